#!/bin/sh
# systemd-analyze verify on doord.service and doord.socket, with
# ExecStart= pointing at the doord just built. Exit 77 (skip) without
# systemd-analyze.
set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not found, skipping"; exit 77; }

dir=$(mktemp -d /tmp/doord-units.XXXXXX)
trap 'rm -rf "$dir"' EXIT
doord=$(cd "$top_builddir/doord" && pwd)/doord
test -x "$doord" || { echo "doord not built at $doord" >&2; exit 1; }
sed -e "s|@sbindir@/doord|$doord|" "$top_srcdir/units/doord.service.in" > "$dir/doord.service"
cp "$top_srcdir/units/doord.socket" "$dir/doord.socket"
if grep -q '@[a-z]*@' "$dir/doord.service"; then
	echo "unsubstituted variable left in doord.service" >&2
	exit 1
fi
out=$(cd "$dir" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
	"$dir/doord.socket" "$dir/doord.service" 2>&1) || { echo "$out" >&2; exit 1; }
# verify exits 0 on warnings too: any output about our units is a failure.
if printf '%s\n' "$out" | grep -E 'doord\.(service|socket)' >&2; then
	exit 1
fi
echo "doord.service and doord.socket verify cleanly"
