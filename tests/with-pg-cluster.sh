#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test against a throwaway PostgreSQL 15 cluster of its own:
#
#   tests/with-pg-cluster.sh MODULE.so PROGRAM [ARG...]
#
# initdb and pg_ctl in a new temporary folder, listening on a Unix socket
# there and on no TCP port, as an unprivileged user (PostgreSQL refuses to
# run as root: as root the cluster runs as nobody). The server module is
# copied beside it, since the build tree may be unreadable for that user.
# The cluster is stopped and the folder removed when the test ends, pass
# or fail, or is killed (the trap). The test gets:
#
#   RESKILL_TEST_PG        conninfo of the superuser "postgres", database "postgres"
#   RESKILL_TEST_PG_HOST   the socket folder
#   RESKILL_TEST_PG_MODULE the module's path, for reskill server init --module
#   RESKILL_TEST_PG_CTL    a command that runs pg_ctl on this cluster as its
#                          user: "$RESKILL_TEST_PG_CTL stop -m immediate", "... start"
#
# Exit status 77 (skipped) only when PostgreSQL 15 is not installed.
set -eu

module=$1
shift
bindir=/usr/lib/postgresql/15/bin
if [ ! -x "$bindir/initdb" ]; then
  echo "1..0 # SKIP PostgreSQL 15 is not installed (tools/install-deps installs it)"
  exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/reskill-pg.XXXXXX")
chmod 755 "$dir"
mkdir "$dir/pg"
if [ "$(id -u)" = 0 ]; then
  chown nobody "$dir/pg"
  as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
  as_user() { "$@"; }
fi

# PostgreSQL is not built with AddressSanitizer, and preloading its runtime
# into the server deadlocks at start-up (measured: `postgres -V` hangs in a
# futex with libasan preloaded). So under `make test-asan` the server runs
# a module built without sanitizers (RESKILL_PG_PLAIN_MODULE, from the plain
# build): the kiosk's side of every server test still runs sanitized, and
# the module's checks are the core's own code, which the sanitized tests
# run in the kiosk.
if [ -n "${RESKILL_PG_PLAIN_MODULE:-}" ] && ldd "$module" 2>/dev/null | grep -q libasan; then
  module=$RESKILL_PG_PLAIN_MODULE
fi
preload=""

cat > "$dir/pgctl" <<SCRIPT
#!/bin/sh
# pg_ctl on the throwaway cluster of $dir, as its user.
cd /
exec env $preload $( [ "$(id -u)" = 0 ] && echo "setpriv --reuid=nobody --regid=nogroup --clear-groups --" ) \
  $bindir/pg_ctl -D "$dir/pg/data" -l "$dir/pg/log" -w -t 60 \
  -o "-k $dir/pg -c listen_addresses='' -c fsync=off -c max_connections=40 -c shared_buffers=32MB" "\$@"
SCRIPT
chmod 755 "$dir/pgctl"

cleanup() {
  status=$?
  "$dir/pgctl" stop -m immediate >/dev/null 2>&1 || true
  if [ $status -ne 0 ] && [ -f "$dir/pg/log" ]; then
    echo "# --- PostgreSQL log ---" >&2
    sed 's/^/# /' "$dir/pg/log" | tail -40 >&2
  fi
  rm -rf "$dir"
  exit $status
}
trap cleanup EXIT INT TERM HUP

(cd / && as_user "$bindir/initdb" -D "$dir/pg/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1) || { cat "$dir/initdb.log" >&2; exit 1; }
"$dir/pgctl" start >/dev/null
cp "$module" "$dir/reskill-pg.so"
chmod 755 "$dir/reskill-pg.so"

export RESKILL_TEST_PG="host=$dir/pg dbname=postgres user=postgres"
export RESKILL_TEST_PG_HOST="$dir/pg"
export RESKILL_TEST_PG_MODULE="$dir/reskill-pg.so"
export RESKILL_TEST_PG_CTL="$dir/pgctl"
export RESKILL_TEST_PG_DIR="$dir"
set +e
"$@"
status=$?
set -e
exit $status
