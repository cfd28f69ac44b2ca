#!/bin/sh
# doord on the system bus (tests/vm/run --systemd, as root): with a bus
# daemon running and the bus policy installed, doord owns
# org.doors.door1 there and answers its methods on it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-$(pwd)}
doord=$(cd "$builddir/doord" && pwd)/doord

fail() { echo "FAIL: $*" >&2; journalctl -u doord.service -u dbus.service --no-pager -n 30 >&2 || true; exit 1; }

test -d /run/systemd/system || { echo "not running under systemd" >&2; exit 1; }
if ! command -v dbus-daemon >/dev/null 2>&1; then
	echo "SKIPPED: no dbus-daemon installed; doord on the system bus not tested" >&2
	exit 0
fi

# The bus first: doord looks for it once, when it starts.
mkdir -p /etc/dbus-1/system.d
cp "$top_srcdir/config/org.doors.door1.conf" /etc/dbus-1/system.d/
systemctl start dbus.service || fail "the system bus did not start"

mkdir -p /run/systemd/system /etc/doord
sed -e "s|@sbindir@/doord|$doord --config-dir /etc/doord|" "$top_srcdir/units/doord.service.in" \
	> /run/systemd/system/doord.service
cp "$top_srcdir/units/doord.socket" /run/systemd/system/doord.socket
cp "$top_srcdir/config/doord.json" /etc/doord/doord.json
systemctl daemon-reload
systemctl start doord.service || fail "doord did not start"

# The name is requested without waiting for the answer: poll for it.
owned() {
	busctl --system call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus \
		NameHasOwner s org.doors.door1 2>/dev/null | grep -q true
}
i=0
until owned; do
	i=$((i + 1)); test "$i" -lt 300 || fail "doord does not own org.doors.door1 on the system bus"
	sleep 0.1
done
reply=$(busctl --system call org.doors.door1 /org/doors/door1 org.doors.door1.Manager Status) ||
	fail "Status over the system bus failed"
echo "$reply" | grep -q running || fail "Status over the system bus: $reply"
echo "PASS: doord owns org.doors.door1 on the system bus and answers there"
