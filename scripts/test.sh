#!/usr/bin/env bash
# Run the whole pytest suite on SQLite, on PostgreSQL, or on both (`make test`).
#
#   scripts/test.sh all|sqlite|pg [pytest arguments…]
#
# `all` runs both at the same time (each line of output starts with its database), so
# one database's failures do not hide the other's, and the two runs share the machine's
# cores: the PostgreSQL run spends much of its time waiting for the server. The script
# fails when either fails. The PostgreSQL server is the one in TEST_DATABASE_URL_PG.
set -uo pipefail

cd "$(dirname "$0")/.."
which_db="${1:-all}"
shift || true
# A hung test (a deadlock, a lost connection) ends the run after TEST_TIMEOUT seconds
# instead of holding CI: SIGINT first, so that pytest still prints its summary.
# Side by side on a 2-core machine: SQLite 620 s, PostgreSQL 780 s (2026-11-21, 3 098 tests).
TEST_TIMEOUT="${TEST_TIMEOUT:-1200}"
PYTEST=(timeout --signal=INT --kill-after=30 "$TEST_TIMEOUT" .venv/bin/python -m pytest "$@")
CHROMIUM=/usr/bin/chromium
PG_URL="${TEST_DATABASE_URL_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

fail() {
  echo "make test: $*" >&2
  exit 1
}

ensure_chromium() {
  [[ -x $CHROMIUM ]] && return 0
  if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    echo "Chromium is missing; installing Debian's package (apt-get install chromium)."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      || fail "could not install chromium with apt-get."
    [[ -x $CHROMIUM ]] || fail "apt-get installed chromium, but $CHROMIUM is still missing."
  else
    fail "the browser tests need Chromium at $CHROMIUM. Install it (Debian/Ubuntu:" \
      "'sudo apt-get install chromium') and run make test again."
  fi
}

# pg ping|create NAME|drop NAME: talk to the server in PG_URL (create prints the new URL).
pg() {
  .venv/bin/python - "$PG_URL" "$@" <<'PY'
import sys
from urllib.parse import urlsplit

import psycopg

url, action, *name = sys.argv[1:]
plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
try:
    with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name[0]}"')
            print(urlsplit(url)._replace(path="/" + name[0]).geturl())
        elif action == "drop":
            conn.execute(f'DROP DATABASE IF EXISTS "{name[0]}" WITH (FORCE)')
except psycopg.Error as error:
    print(f"PostgreSQL ({action}): {error}".strip(), file=sys.stderr)
    sys.exit(1)
PY
}

ensure_postgres() {
  pg ping 2>/dev/null && return 0
  if command -v pg_ctlcluster >/dev/null && [[ -n $(ls /etc/postgresql 2>/dev/null) ]]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "PostgreSQL is not reachable; starting cluster $version/main."
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 20); do
      pg ping 2>/dev/null && return 0
      sleep 0.5
    done
  fi
  fail "PostgreSQL is not reachable at $PG_URL. Start it, or set TEST_DATABASE_URL_PG" \
    "to a database the tests may empty (user with CREATE rights on schema public)."
}

LOG_DIR=$(mktemp -d)
PRIVATE_DB=""
cleanup() {
  rm -rf "$LOG_DIR"
  if [[ -n $PRIVATE_DB ]]; then
    pg drop "$PRIVATE_DB" || true
  fi
}
trap cleanup EXIT

# Several people (or runs) may share one PostgreSQL server, and a test run empties its
# database: so each run gets a database of its own beside PG_URL's when the user may
# create one, and PG_URL's own database otherwise.
pick_pg_test_url() {
  local base=${PG_URL##*/}
  base=${base%%\?*}
  PRIVATE_DB="${base:-test}_run_$$"
  if ! PG_TEST_URL=$(pg create "$PRIVATE_DB" 2>/dev/null); then
    PRIVATE_DB=""
    PG_TEST_URL=$PG_URL
  fi
}

# count WORD FILE: the number before WORD in pytest's closing summary line, or 0.
count() {
  tail -n 1 "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0
}

# run_suite sqlite|postgresql: one pytest run, its output in $LOG_DIR/NAME.log and, each
# line headed by the database's name, on standard output; its exit status in NAME.status.
run_suite() {
  local name=$1 log="$LOG_DIR/$1.log" started status
  started=$SECONDS
  if [[ $name == sqlite ]]; then
    echo "=== pytest on SQLite ==="
    env -u TEST_DATABASE_URL TEST_REDIS_URL=redis://127.0.0.1:6379/14 "${PYTEST[@]}" \
      >"$log" 2>&1 &
  else
    echo "=== pytest on PostgreSQL (database ${PG_TEST_URL##*/}) ==="
    TEST_DATABASE_URL="$PG_TEST_URL" TEST_REDIS_URL=redis://127.0.0.1:6379/15 "${PYTEST[@]}" \
      >"$log" 2>&1 &
  fi
  local pid=$!
  tail -n +1 --pid="$pid" -f "$log" | sed -u "s/^/[$name] /"
  wait "$pid"
  status=$?
  if ((status == 124 || status == 137)); then
    echo "=== pytest on $name did not finish within $TEST_TIMEOUT s (TEST_TIMEOUT): stopped ==="
  fi
  # Exit code 5 (no test collected) is a failure here as well: it is not a pass.
  echo "=== pytest on $name: exit $status after $((SECONDS - started)) s ==="
  echo "$status" >"$LOG_DIR/$name.status"
  return "$status"
}

verdict() {
  local status
  status=$(cat "$LOG_DIR/$1.status" 2>/dev/null || echo missing)
  if [[ $status == 0 ]]; then echo passed; else echo "FAILED (exit $status)"; fi
}

ensure_chromium
case $which_db in
  sqlite)
    run_suite sqlite
    ;;
  pg)
    ensure_postgres
    pick_pg_test_url
    run_suite postgresql
    ;;
  all)
    ensure_postgres
    pick_pg_test_url
    run_suite sqlite &
    sqlite_job=$!
    run_suite postgresql &
    pg_job=$!
    wait "$sqlite_job"
    sqlite_status=$?
    wait "$pg_job"
    pg_status=$?
    passed=0 failed=0 skipped=0
    for name in sqlite postgresql; do
      log="$LOG_DIR/$name.log"
      passed=$((passed + $(count passed "$log")))
      # Errors count as failures.
      failed=$((failed + $(count failed "$log") + $(count error "$log")))
      skipped=$((skipped + $(count skipped "$log")))
    done
    echo
    echo "SQLite: $(verdict sqlite)"
    echo "PostgreSQL: $(verdict postgresql)"
    echo "total: $passed passed, $failed failed, $skipped skipped"
    [[ $sqlite_status == 0 && $pg_status == 0 ]]
    ;;
  *)
    fail "unknown database '$which_db' (all, sqlite or pg)."
    ;;
esac
