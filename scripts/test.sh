#!/usr/bin/env bash
# Run the whole pytest suite on SQLite, on PostgreSQL, or on both (`make test`).
#
#   scripts/test.sh all|sqlite|pg [pytest arguments…]
#
# Both runs always happen, so one database's failures do not hide the other's; the
# script fails when either fails. The PostgreSQL server is the one in TEST_DATABASE_URL_PG.
set -uo pipefail

cd "$(dirname "$0")/.."
which_db="${1:-all}"
shift || true
# A hung test (a deadlock, a lost connection) ends the run after TEST_TIMEOUT seconds
# instead of holding CI: SIGINT first, so that pytest still prints its summary.
# The PostgreSQL run takes 834-900 s on a 2-core machine (2026-11-21, 3 098 tests): 1 200.
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

passed=0
failed=0
skipped=0

# count WORD FILE: the number before WORD in pytest's closing summary line, or 0.
count() {
  tail -n 1 "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0
}

run_suite() {
  local name=$1 log="$LOG_DIR/$1.log" started status
  echo
  if [[ $name == sqlite ]]; then
    echo "=== pytest on SQLite ==="
    started=$SECONDS
    env -u TEST_DATABASE_URL "${PYTEST[@]}" 2>&1 | tee "$log"
  else
    pick_pg_test_url
    echo "=== pytest on PostgreSQL (database ${PG_TEST_URL##*/}) ==="
    started=$SECONDS
    TEST_DATABASE_URL="$PG_TEST_URL" "${PYTEST[@]}" 2>&1 | tee "$log"
  fi
  status=${PIPESTATUS[0]}
  if ((status == 124 || status == 137)); then
    echo "=== pytest on $name did not finish within $TEST_TIMEOUT s (TEST_TIMEOUT): stopped ==="
  fi
  # Exit code 5 (no test collected) is a failure here as well: it is not a pass.
  echo "=== pytest on $name: exit $status after $((SECONDS - started)) s ==="
  passed=$((passed + $(count passed "$log")))
  failed=$((failed + $(count failed "$log") + $(count error "$log")))
  skipped=$((skipped + $(count skipped "$log")))
  return "$status"
}

ensure_chromium
case $which_db in
  sqlite)
    run_suite sqlite
    ;;
  pg)
    ensure_postgres
    run_suite postgresql
    ;;
  all)
    ensure_postgres
    run_suite sqlite
    sqlite_status=$?
    run_suite postgresql
    pg_status=$?
    echo
    echo "SQLite: $([[ $sqlite_status == 0 ]] && echo passed || echo "FAILED (exit $sqlite_status)")"
    echo "PostgreSQL: $([[ $pg_status == 0 ]] && echo passed || echo "FAILED (exit $pg_status)")"
    # Both runs together, errors counted as failures.
    echo "total: $passed passed, $failed failed, $skipped skipped"
    [[ $sqlite_status == 0 && $pg_status == 0 ]]
    ;;
  *)
    fail "unknown database '$which_db' (all, sqlite or pg)."
    ;;
esac
