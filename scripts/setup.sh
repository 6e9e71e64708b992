#!/usr/bin/env bash
# Install what is missing (Debian packages, cargo-pgrx 0.18.0, pgrx's PG15 config),
# then build and install the extension (release build) into the system PostgreSQL 15.
# Idempotent: a second run only rebuilds what changed. Needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
log() { printf '\033[1m== %s\033[0m\n' "$*"; }

PKGS=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron libclang-dev clang sudo make)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian starts a 'main' cluster on install; this project uses its own throwaway clusters.
command -v cargo >/dev/null || { echo "cargo (Rust) is required: install the Rust toolchain first" >&2; exit 1; }

if [ "$(cargo pgrx --version 2>/dev/null || true)" != "cargo-pgrx 0.18.0" ]; then
  log "installing cargo-pgrx 0.18.0 (about 5 minutes)"
  cargo install cargo-pgrx --version 0.18.0 --locked --quiet
fi
if ! grep -qs '^pg15' "${PGRX_HOME:-$HOME/.pgrx}/config.toml"; then
  log "cargo pgrx init --pg15 /usr/bin/pg_config (uses Debian's PostgreSQL; downloads nothing)"
  cargo pgrx init --pg15 /usr/bin/pg_config >/dev/null
fi

log "building and installing ar_analytics (release)"
if [ -n "$SUDO" ]; then
  cargo pgrx install --release --sudo --pg-config /usr/bin/pg_config 2>&1 | grep -E "error|warning: unused|Finished installing" || true
else
  cargo pgrx install --release --pg-config /usr/bin/pg_config 2>&1 | grep -E "error|warning: unused|Finished installing" || true
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
extdir="$(/usr/bin/pg_config --sharedir)/extension"
test -f "$extdir/ar_analytics--$version.sql" || { echo "install failed: no ar_analytics--$version.sql was installed" >&2; exit 1; }
# the update scripts from every released version, generated from sql/updates/ and the built script
$SUDO python3 scripts/gen-update-scripts "$extdir"
