#!/bin/sh
# door.ko cannot be unloaded while a door context or descriptor is open,
# unloads once none is, and survives load/unload cycles; it is loaded
# again at the end for the tests that follow in the same guest.
# (Leaks across cycles are what the debug kernel's kmemleak scan checks.)
set -u
ko=${DOOR_BUILDDIR:-$PWD}/kmod/build/$(uname -r)/door.ko
pass=0
fail=0

check() {
	if eval "$2"; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
	fi
}
loaded() { grep -q '^door ' /proc/modules; }

[ -r "$ko" ] || { echo "FAIL: no door.ko at $ko"; exit 1; }
loaded || insmod "$ko"

exec 3<>/dev/door
check "rmmod refuses while a context is open" '! rmmod door 2>/dev/null && loaded'
exec 3>&-
check "rmmod succeeds once nothing is open" 'rmmod door && ! loaded'
check "/dev/door goes with the module" '[ ! -e /dev/door ]'

cycles_ok=true
i=0
while [ $i -lt 20 ]; do
	insmod "$ko" && exec 3<>/dev/door && exec 3>&- && rmmod door || cycles_ok=false
	i=$((i + 1))
done
check "20 load, open, close, unload cycles" '$cycles_ok && ! loaded'

insmod "$ko"
check "loaded again for the tests that follow" 'loaded && [ -c /dev/door ]'
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
