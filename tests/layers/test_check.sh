#!/bin/sh
# Proves the include-direction check can fail: on a copy of the tree it
# passes, then a planted upward include (lib -> daemon, store -> handlers),
# an SQLite type in a store header and <sqlite3.h> in daemon/ must each make
# it fail and be named.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in lib store messages handlers daemon cqoctl; do cp -r "$src/$d" "$tmp/$d"; done
fail() { echo "layers test: $*"; exit 1; }
sh "$here/check.sh" "$tmp" >"$tmp/out" || fail "clean tree refused: $(cat "$tmp/out")"
printf '#include "../daemon/http.h"\n' >>"$tmp/lib/clock.c"
if sh "$here/check.sh" "$tmp" >"$tmp/out"; then fail "planted lib -> daemon include passed"; fi
grep -q '^lib/clock.c:[0-9]*: lib may not include daemon' "$tmp/out" || fail "not named: $(cat "$tmp/out")"
cp "$src/lib/clock.c" "$tmp/lib/clock.c"
printf '#include "../handlers/handler.h"\n' >>"$tmp/store/store.c"
if sh "$here/check.sh" "$tmp" >"$tmp/out"; then fail "planted store -> handlers include passed"; fi
grep -q '^store/store.c:[0-9]*: store may not include handlers' "$tmp/out" || fail "not named: $(cat "$tmp/out")"
cp "$src/store/store.c" "$tmp/store/store.c"
printf 'struct sqlite3_stmt;\n' >>"$tmp/store/store_outbox.h"
if sh "$here/check.sh" "$tmp" >"$tmp/out"; then fail "planted sqlite3 in a store header passed"; fi
grep -q '^store/store_outbox.h:[0-9]*: the store.s interface names SQLite' "$tmp/out" ||
	fail "not named: $(cat "$tmp/out")"
cp "$src/store/store_outbox.h" "$tmp/store/store_outbox.h"
printf '#include <sqlite3.h>\n' >>"$tmp/daemon/inbox.c"
if sh "$here/check.sh" "$tmp" >"$tmp/out"; then fail "planted sqlite3.h in daemon passed"; fi
grep -q '^daemon/inbox.c:[0-9]*: daemon may not use SQLite' "$tmp/out" || fail "not named: $(cat "$tmp/out")"
echo "layers test: a planted wrong include or SQLite outside the store fails the check"
