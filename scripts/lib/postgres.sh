# A private PostgreSQL cluster for the pushdown tests: initdb in a temporary folder, listening
# on a Unix socket in that folder only (no TCP port), stopped by `stop_private_postgres`.
# Sourced by scripts/test and Tests/remote/run.sh. Sets PG_DIR, PG_SOCKET, PG_USER, PG_URL.
# As root, the server runs as the user `ansinh_pg` (created if missing): PostgreSQL refuses root.
PG_BIN=""
find_postgres() {
  for dir in /usr/lib/postgresql/*/bin; do if [ -x "$dir/initdb" ]; then PG_BIN="$dir"; fi; done
  if [ -z "$PG_BIN" ] && command -v initdb >/dev/null 2>&1; then PG_BIN="$(dirname "$(command -v initdb)")"; fi
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u ansinh_pg -- "$@"; else "$@"; fi
}

start_private_postgres() {
  find_postgres || { echo "initdb not found (apt-get install postgresql)" >&2; return 1; }
  if [ "$(id -u)" -eq 0 ] && ! id ansinh_pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin ansinh_pg
  fi
  PG_DIR="$(mktemp -d /tmp/ansinh-pg.XXXXXX)"
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown ansinh_pg "$PG_DIR"
  PG_SOCKET="$PG_DIR"
  PG_USER="$(if [ "$(id -u)" -eq 0 ]; then echo ansinh_pg; else id -un; fi)"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # The role ansinh_pw must give a password (the wrong-password test); everyone else is trusted
  # (the socket is in a private folder).
  printf 'local all ansinh_pw scram-sha-256\nlocal all all trust\n' | pg_as_owner tee "$PG_DIR/data/pg_hba.conf" >/dev/null
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-k $PG_DIR -c listen_addresses='' -c fsync=off" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://$PG_USER@/ansinh?host=$PG_DIR"
  "$PG_BIN/createdb" -h "$PG_DIR" -U "$PG_USER" ansinh
  PGDATA_STARTED=1
}

stop_private_postgres() {
  [ -n "${PGDATA_STARTED:-}" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PGDATA_STARTED=""
}

psql_private() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U "$PG_USER" -d ansinh "$@"
}
