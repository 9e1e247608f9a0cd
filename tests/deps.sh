#!/bin/sh
# Installs the Debian packages named as arguments that are missing, when run
# as root; otherwise lists them and fails. A no-op when all are present.
# Node.js may come from elsewhere (NodeSource's nodejs bundles npm and
# conflicts with Debian's): a command on PATH counts as its package.
provided() {
	case "$1" in
	nodejs) command -v node >/dev/null ;;
	npm) command -v npm >/dev/null ;;
	*) false ;;
	esac
}
missing=""
for p in "$@"; do
	provided "$p" && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ echo "deps: apt-get install$missing failed" >&2; exit 1; }
else
	echo "deps: missing packages:$missing" >&2
	echo "deps: install them with: sudo apt-get install$missing" >&2
	exit 1
fi
