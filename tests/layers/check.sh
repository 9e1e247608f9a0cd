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
	# file:line:#include "path", resolved against the file's folder in one
	# awk pass (a process per include made this take half a minute).
	grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $(find "$dir" -name '*.[ch]') /dev/null |
	awk -v dir="$dir" -v ok=" $(allowed "$dir") " '
	{
		file = $0; sub(/:.*/, "", file)
		rest = substr($0, length(file) + 2)
		line = rest; sub(/:.*/, "", line)
		path = rest; sub(/^[^"]*"/, "", path); sub(/".*/, "", path)
		n = split(file, part, "/"); m = 0
		for (i = 1; i < n; i++) seg[++m] = part[i]
		k = split(path, step, "/")
		for (i = 1; i <= k; i++) {
			if (step[i] == "..") { if (m > 0 && seg[m] != "..") m--; else seg[++m] = ".." }
			else if (step[i] != "." && step[i] != "") seg[++m] = step[i]
		}
		top = m > 1 ? seg[1] : "."
		if (index(ok, " " top " ") == 0) {
			printf "%s:%s: %s may not include %s (%s)\n", file, line, dir, top, path
			print "x" >> "/dev/fd/3"
		}
	}' 3>>"${TMPDIR:-/tmp}/layers.$$"
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
