# Superset configuration for the ar_analytics dashboard (scripts/dashboard.sh sets
# SUPERSET_CONFIG_PATH to this file and SUPERSET_HOME to its state directory).
# Metadata in SQLite under SUPERSET_HOME; a secret key made once per SUPERSET_HOME.
import os
import secrets

_home = os.environ["SUPERSET_HOME"]
_key_file = os.path.join(_home, "secret_key")
if not os.path.exists(_key_file):
    os.makedirs(_home, exist_ok=True)
    with open(_key_file, "w") as f:
        f.write(secrets.token_urlsafe(42))
    os.chmod(_key_file, 0o600)
with open(_key_file) as f:
    SECRET_KEY = f.read().strip()

SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(_home, "superset.db")
# A local, single-user instance: no rate limiting store, no async workers, no telemetry.
RATELIMIT_ENABLED = False
FEATURE_FLAGS = {"DASHBOARD_NATIVE_FILTERS": True}
SUPERSET_WEBSERVER_TIMEOUT = 120
TALISMAN_ENABLED = False
