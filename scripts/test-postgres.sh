#!/usr/bin/env bash
# Runs the server test suite against a throwaway PostgreSQL server.
#
#   npm run test:pg                      # whole server project
#   npm run test:pg -- server/src/modules/auth   # any extra vitest arguments
#
# It starts a private PostgreSQL (initdb + pg_ctl) in a fresh temporary directory on a free loopback
# port, creates the database `tongban_test`, runs `vitest run --project server` with
# TEST_DATABASE_URL pointing at it (the harness gives each test file its own schema), then stops
# the server and deletes the directory, whatever happens.
#
# Needs the PostgreSQL server binaries (Debian/Ubuntu: `apt-get install postgresql`; elsewhere put
# initdb on PATH or set PG_BIN to the directory holding initdb, pg_ctl and postgres). Run as root,
# the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
#
# .ci/run sources this file for pg_throwaway_start / pg_throwaway_stop; sourcing runs nothing.
# The functions do not rely on `set -e`, so they behave the same in any caller.

# Finds the directory with initdb/pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/<ver>/bin,
# else wherever initdb is on PATH.
pg_find_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    [[ -x $PG_BIN/initdb ]] || { echo "PG_BIN=$PG_BIN holds no initdb" >&2; return 1; }
    echo "$PG_BIN"
    return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n $dir && -x $dir/initdb ]]; then
    echo "$dir"
    return 0
  fi
  dir=$(command -v initdb 2>/dev/null) && { dirname "$dir"; return 0; }
  echo "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)" >&2
  return 1
}

# Runs a command as the PostgreSQL owner: the `postgres` user when we are root, else ourselves.
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_pg_free_port() {
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

# Starts the server. Sets PG_THROWAWAY_DIR, PG_THROWAWAY_PORT, PG_THROWAWAY_URL (for the database
# tongban_test). Call pg_throwaway_stop afterwards (from an EXIT trap), even when this fails.
pg_throwaway_start() {
  local bin
  bin=$(pg_find_bin) || return 1
  PG_THROWAWAY_BIN=$bin
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "running as root but there is no 'postgres' user to run PostgreSQL as" >&2
    return 1
  fi
  if [[ $(id -u) -eq 0 ]]; then
    # In /tmp, not $TMPDIR: the postgres user must be able to reach the directory.
    PG_THROWAWAY_DIR=$(mktemp -d /tmp/tongban-pg.XXXXXX) || return 1
    chown postgres: "$PG_THROWAWAY_DIR" || return 1
  else
    PG_THROWAWAY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tongban-pg.XXXXXX") || return 1
  fi
  PG_THROWAWAY_PORT=$(_pg_free_port) || return 1
  local data=$PG_THROWAWAY_DIR/data log=$PG_THROWAWAY_DIR/server.log

  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $PG_THROWAWAY_DIR, port $PG_THROWAWAY_PORT"
  _pg_as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --lc-collate=C --no-sync \
    >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 || {
    # Same locale as PGlite (collation C, ctype C.UTF-8); systems without C.UTF-8 get plain C.
    _pg_as_owner rm -rf "$data"
    _pg_as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
      >"$PG_THROWAWAY_DIR/initdb.log" 2>&1
  } || {
    echo "initdb failed:" >&2
    cat "$PG_THROWAWAY_DIR/initdb.log" >&2
    return 1
  }
  # A test server: nothing here needs to survive a crash.
  _pg_as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF || return 1

# tongban throwaway test server
listen_addresses = '127.0.0.1'
port = $PG_THROWAWAY_PORT
unix_socket_directories = '$PG_THROWAWAY_DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  _pg_as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null || {
    echo "PostgreSQL did not start:" >&2
    cat "$log" >&2
    return 1
  }
  _pg_as_owner "$bin/createdb" -h "$PG_THROWAWAY_DIR" -p "$PG_THROWAWAY_PORT" -U postgres tongban_test || return 1
  PG_THROWAWAY_URL="postgres://postgres@127.0.0.1:$PG_THROWAWAY_PORT/tongban_test"
  export PG_THROWAWAY_DIR PG_THROWAWAY_PORT PG_THROWAWAY_URL
}

# Stops the server (if running) and deletes its directory. Safe to call more than once.
pg_throwaway_stop() {
  local dir=${PG_THROWAWAY_DIR:-}
  [[ -n $dir && -d $dir ]] || return 0
  if [[ -f $dir/data/postmaster.pid ]]; then
    _pg_as_owner "${PG_THROWAWAY_BIN:-$(pg_find_bin)}/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || {
      # pg_ctl failed: stop the postmaster we started by its own pid.
      local pid
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
      [[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
    }
  fi
  rm -rf "$dir"
  PG_THROWAWAY_DIR=
}

# Executed (not sourced): start, run the server tests, stop.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  trap pg_throwaway_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_throwaway_start
  TEST_DATABASE_URL=$PG_THROWAWAY_URL npx vitest run --project server "$@"
fi
