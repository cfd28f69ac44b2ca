#!/bin/sh
# doord under the real service manager (tests/vm/run --systemd, as root):
# doord.socket activates doord on the first request, systemctl status
# reports it, 1,000 names are attached, and every one of them still
# works after "systemctl restart doord" (the fd store).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-$(pwd)}
doord=$(cd "$builddir/doord" && pwd)/doord
tool=$(cd "$builddir/tests/doord" && pwd)/names-tool
n=${DOORD_TEST_NAMES:-1000}

fail() { echo "FAIL: $*" >&2; journalctl -u doord.service --no-pager -n 30 >&2 || true; exit 1; }

# doord reports its status and stores its descriptors through sd_notify,
# which systemd reads when it gets to it: wait (at most 30 s) for its view
# to catch up before judging it.
eventually() {
	tries=0
	until "$@"; do
		tries=$((tries + 1)); test "$tries" -lt 300 || return 1
		sleep 0.1
	done
}
status_shows() { systemctl status doord.service --no-pager | grep -q "running: $1 names"; }
fd_store_holds() { test "$(systemctl show -p NFileDescriptorStore --value doord.service)" = "$1"; }

test -d /run/systemd/system || { echo "not running under systemd" >&2; exit 1; }
mkdir -p /run/systemd/system /etc/doord
sed -e "s|@sbindir@/doord|$doord --config-dir /etc/doord|" "$top_srcdir/units/doord.service.in" \
	> /run/systemd/system/doord.service
cp "$top_srcdir/units/doord.socket" /run/systemd/system/doord.socket
cp "$top_srcdir/config/doord.json" /etc/doord/doord.json
systemctl daemon-reload
systemctl start doord.socket
test "$(systemctl is-active doord.service || true)" = inactive || fail "doord started before any request"

dir=$(mktemp -d /tmp/doord-systemd.XXXXXX)
out=$dir/serve.out
"$tool" serve "$dir" "$n" > "$out" 2>&1 &
server=$!
i=0
until grep -q ready "$out"; do
	kill -0 "$server" 2>/dev/null || { cat "$out" >&2; fail "server died"; }
	i=$((i + 1)); test "$i" -lt 3000 || fail "attaching $n names timed out"
	sleep 0.1
done
test "$(systemctl is-active doord.service)" = active || fail "socket activation did not start doord"
eventually status_shows "$n" || {
	systemctl status doord.service --no-pager >&2; fail "status does not show $n names"; }
eventually fd_store_holds $((2 * n)) || fail "fd store holds" \
	"$(systemctl show -p NFileDescriptorStore --value doord.service) descriptors, expected $((2 * n))"
"$tool" check "$dir" "$n" || fail "names do not work before the restart"

systemctl restart doord.service
test "$(systemctl is-active doord.service)" = active || fail "doord did not come back"
"$tool" check "$dir" "$n" || fail "names lost across the restart"
journalctl -u doord.service --no-pager | grep -q "Restored $n names from the fd store" || fail "no restore logged"

kill "$server"
wait "$server" 2>/dev/null || true
rm -rf "$dir"
echo "PASS: socket activation, status, $n names kept across a restart"
