#!/bin/sh
# The include-direction check: lib <- {messages, store} <- handlers <- {daemon, cqoctl}.
# Reads every quoted #include under the source folders of ROOT (default: the
# checkout), resolves it against the including file's folder and fails,
# naming each line, when a folder includes one it may not, or when SQLite
# shows outside store/'s internals.
# Usage: tests/layers/check.sh [ROOT]
root=${1:-.}
cd "$root" || exit 2
allowed() {
	case "$1" in
	lib) echo "lib" ;;
	store) echo "lib store" ;;
	messages) echo "lib messages" ;;
	handlers) echo "lib store messages handlers" ;;
	daemon) echo "lib store messages handlers daemon" ;;
	cqoctl) echo "lib store messages handlers daemon cqoctl" ;;
	esac
}
bad=0
for dir in lib store messages handlers daemon cqoctl; do
	[ -d "$dir" ] || continue
	ok=$(allowed "$dir")
	# file:line:#include "path"
	grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $(find "$dir" -name '*.[ch]') /dev/null |
	while IFS= read -r hit; do
		file=${hit%%:*}
		rest=${hit#*:}
		line=${rest%%:*}
		path=$(printf '%s\n' "$rest" | sed 's/^[^"]*"\([^"]*\)".*/\1/')
		target=$(realpath -m --relative-to=. "$(dirname "$file")/$path")
		top=${target%%/*}
		[ "$top" = "$target" ] && top=.
		case " $ok " in
		*" $top "*) ;;
		*) echo "$file:$line: $dir may not include $top ($path)"; echo x >&3 ;;
		esac
	done 3>>"${TMPDIR:-/tmp}/layers.$$"
done
# The store's interface speaks no SQLite, so another backend can sit beside
# it: only store/store_internal.h (and the store's .c files) may name
# sqlite3, and nothing outside store/ includes <sqlite3.h> or the internal
# header.
for h in $(find store -name '*.h' ! -name store_internal.h 2>/dev/null); do
	grep -Hn 'sqlite3' "$h" | while IFS= read -r hit; do
		echo "${hit%%:*}:$(printf '%s' "${hit#*:}" | cut -d: -f1): the store's interface names SQLite"
		echo x >&3
	done 3>>"${TMPDIR:-/tmp}/layers.$$"
done
for dir in lib messages handlers daemon cqoctl; do
	[ -d "$dir" ] || continue
	grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\(sqlite3\.h\|.*store_internal\.h\)' \
		$(find "$dir" -name '*.[ch]') /dev/null |
	while IFS= read -r hit; do
		echo "${hit%%:*}:$(printf '%s' "${hit#*:}" | cut -d: -f1): $dir may not use SQLite or the store's internals"
		echo x >&3
	done 3>>"${TMPDIR:-/tmp}/layers.$$"
done
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then
	n=$(wc -l <"${TMPDIR:-/tmp}/layers.$$")
	rm -f "${TMPDIR:-/tmp}/layers.$$"
	echo "layers: $n line(s) break the layers (lib <- {messages, store} <- handlers <- {daemon, cqoctl};" \
	     "SQLite only inside store/)"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
echo "layers: every include runs lib <- {messages, store} <- handlers <- {daemon, cqoctl};" \
     "SQLite only inside store/"
