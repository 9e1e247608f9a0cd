#!/bin/sh
# The include-direction check: lib <- {messages, store} <- handlers <- {daemon, cqoctl}.
# Reads every quoted #include under the source folders of ROOT (default: the
# checkout), resolves it against the including file's folder and fails,
# naming each line, when a folder includes one it may not.
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
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then
	n=$(wc -l <"${TMPDIR:-/tmp}/layers.$$")
	rm -f "${TMPDIR:-/tmp}/layers.$$"
	echo "layers: $n include(s) run the wrong way (lib <- {messages, store} <- handlers <- {daemon, cqoctl})"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
echo "layers: every include runs lib <- {messages, store} <- handlers <- {daemon, cqoctl}"
