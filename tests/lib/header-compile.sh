#!/bin/sh
# <door.h> is strict C99 and C++, and Solaris door programs build unchanged
# with `cc prog.c -ldoor -lpthread` (libdoor.so being a link to
# libdoorclient.so, as installed).
set -eu

srcdir=${srcdir:-.}
CC=${CC:-cc}
CXX=${CXX:-c++}
lib=libdoorclient/.libs/libdoorclient.so
inc=$srcdir/libdoorclient
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {
	what=$1
	shift
	if "$@" 2>"$tmp/err"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		cat "$tmp/err"
		fail=1
	fi
}

printf '#include <door.h>\nint main(void) { door_arg_t a; (void)a; return 0; }\n' >"$tmp/c99.c"
check "door.h as C99 -pedantic" \
	"$CC" -std=c99 -pedantic -Wall -Wextra -Werror -I"$inc" -c "$tmp/c99.c" -o "$tmp/c99.o"
check "door.h as C89 -pedantic (Solaris programs of that age)" \
	"$CC" -std=gnu89 -Wall -Werror -I"$inc" -c "$tmp/c99.c" -o "$tmp/c89.o"

cp "$tmp/c99.c" "$tmp/cxx.cc"
if command -v "$CXX" >/dev/null 2>&1; then
	check "door.h as C++" \
		"$CXX" -std=c++11 -pedantic -Wall -Wextra -Werror -I"$inc" -c "$tmp/cxx.cc" -o "$tmp/cxx.o"
else
	echo "FAIL: no C++ compiler ($CXX) to check door.h with"
	fail=1
fi

if [ ! -e "$lib" ]; then
	echo "FAIL: $lib not built"
	exit 1
fi
ln -s "$(cd "$(dirname "$lib")" && pwd)/libdoorclient.so" "$tmp/libdoor.so"
for prog in "$srcdir"/tests/lib/solaris/*.c; do
	name=$(basename "$prog" .c)
	check "cc $name.c -ldoor -lpthread" \
		"$CC" -I"$inc" -o "$tmp/$name" "$prog" -L"$tmp" -ldoor -lpthread
done
exit $fail
