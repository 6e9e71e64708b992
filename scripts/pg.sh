#!/usr/bin/env bash
# Throwaway local PostgreSQL 15 cluster for the demo, the tests and the benchmark.
#   scripts/pg.sh start|stop|psql ...   (env: AR_PGDATA, AR_PGPORT)
# Runs the server as the `postgres` OS user when invoked as root (initdb refuses root).
set -euo pipefail
PGBIN=${PGBIN:-$(/usr/bin/pg_config --bindir)}
AR_PGDATA=${AR_PGDATA:-/tmp/ar_analytics/pgdata}
AR_PGPORT=${AR_PGPORT:-54315}
SOCKDIR=$(dirname "$AR_PGDATA")
as_pg() { if [ "$(id -u)" = 0 ]; then sudo -u postgres "$@"; else "$@"; fi; }

start() {
  mkdir -p "$SOCKDIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$SOCKDIR"
  if [ ! -f "$AR_PGDATA/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$AR_PGDATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$AR_PGDATA/postgresql.conf" <<CONF
port = $AR_PGPORT
listen_addresses = ''
unix_socket_directories = '$SOCKDIR'
shared_preload_libraries = 'pg_cron'
cron.database_name = '${AR_CRON_DB:-ar_demo}'
# pg_cron connects through libpq; point it at our socket (no TCP listener here)
cron.host = '$SOCKDIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = '4GB'
shared_buffers = '${AR_SHARED_BUFFERS:-1GB}'
work_mem = '64MB'
maintenance_work_mem = '512MB'
max_parallel_workers_per_gather = 2
log_min_messages = warning
CONF
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$AR_PGDATA" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$AR_PGDATA" -l "$SOCKDIR/server.log" -w start >/dev/null
  fi
}

stop() {
  if [ -f "$AR_PGDATA/PG_VERSION" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$AR_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

destroy() { stop; rm -rf "$AR_PGDATA"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  destroy) destroy ;;
  psql) shift; exec "$PGBIN/psql" -h "$SOCKDIR" -p "$AR_PGPORT" -U postgres "$@" ;;
  *) echo "usage: $0 start|stop|destroy|psql [args]" >&2; exit 2 ;;
esac
