# shellcheck shell=bash
# shellcheck disable=SC2154 # $here, $cache and die come from tests/vm/run
# Build (or reuse) the guest's initramfs: a static busybox, tests/vm/init
# as /init and the drivers needed to reach the host root.  Sourced by
# tests/vm/run (bash), which provides $here, die and $prog.
#
# The result is cached in $DOOR_VM_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/door-vm), keyed by the kernel release and a
# hash of everything that goes into it, and rebuilt when any of that changes.

# Drivers the guest needs before it can see the host root; those built into
# the kernel are skipped, dependencies come from modules.dep.
initramfs_modules=(virtio_pci virtio_console 9pnet_virtio 9p overlay)
initramfs_format=1

find_busybox() {
	local bb=${DOOR_VM_BUSYBOX:-}
	if [ -z "$bb" ]; then
		for bb in /bin/busybox /usr/bin/busybox ""; do
			[ -x "$bb" ] && break
		done
	fi
	[ -x "$bb" ] ||
		die "busybox not found (Debian package busybox-static; or set DOOR_VM_BUSYBOX)"
	if command -v readelf >/dev/null && readelf -lW "$bb" 2>/dev/null | grep -q INTERP; then
		die "$bb is dynamically linked; the guest needs a static one" \
			"(Debian package busybox-static, or set DOOR_VM_BUSYBOX)"
	fi
	printf '%s' "$bb"
}

# Print the modules.dep path of module $2 for kernel $1, or nothing if it
# is built in; fail if the kernel has neither.
module_path() {
	local dir=/lib/modules/$1 name=${2//-/_} alt line
	alt=${2//_/-}
	line=$(grep -m1 -E "(^|/)($name|$alt)\\.ko(\\.[a-z]+)?:" "$dir/modules.dep") ||
		line=""
	if [ -n "$line" ]; then
		printf '%s' "${line%%:*}"
		return 0
	fi
	grep -qE "(^|/)($name|$alt)\\.ko\$" "$dir/modules.builtin" 2>/dev/null && return 0
	return 1
}

# Append module $2 (a modules.dep path) and its dependencies to
# initramfs_order, dependencies first.
add_module_path() {
	local krel=$1 path=$2 dep deps
	case " ${initramfs_order[*]} " in
	*" $path "*) return 0 ;;
	esac
	deps=$(awk -F: -v p="$path" '$1 == p { print $2; exit }' \
		"/lib/modules/$krel/modules.dep")
	for dep in $deps; do
		add_module_path "$krel" "$dep"
	done
	initramfs_order+=("$path")
}

resolve_modules() {
	local krel=$1 mod path
	initramfs_order=()
	[ -f "/lib/modules/$krel/modules.dep" ] || return 0
	for mod in "${initramfs_modules[@]}"; do
		path=$(module_path "$krel" "$mod") ||
			die "kernel $krel has no module $mod (not in modules.dep nor modules.builtin)"
		[ -n "$path" ] && add_module_path "$krel" "$path"
	done
	return 0
}

# Copy a module, decompressed (the guest's busybox insmod may not unpack it).
copy_module() {
	case $1 in
	*.ko) cat "$1" ;;
	*.ko.xz) xz -dc "$1" ;;
	*.ko.zst) zstd -qdc "$1" ;;
	*.ko.gz) gzip -dc "$1" ;;
	*) return 1 ;;
	esac >"$2"
}

initramfs_key() {
	local krel=$1 bb=$2 path
	{
		echo "format $initramfs_format $krel"
		sha256sum "$here/init" | cut -d' ' -f1
		stat -Lc '%s %Y' "$bb"
		for path in "${initramfs_order[@]}"; do
			stat -Lc "%n %s %Y" "/lib/modules/$krel/$path"
		done
	} | sha256sum | cut -c1-16
}

# Print the path of an up-to-date initramfs for kernel release $1.
ensure_initramfs() {
	local krel=$1 bb out stage path name key
	bb=$(find_busybox) || exit
	resolve_modules "$krel"
	key=$(initramfs_key "$krel" "$bb")
	out=$cache/initramfs-$krel-$key.cpio
	if [ -s "$out" ]; then
		printf '%s' "$out"
		return 0
	fi
	mkdir -p "$cache" || die "cannot create the cache directory $cache"
	stage=$(mktemp -d "$cache/stage.XXXXXX") || die "cannot create a directory in $cache"
	mkdir -p "$stage"/{bin,dev,proc,sys,host,rw,newroot,lib/modules}
	if ! cp "$bb" "$stage/bin/busybox" || ! cp "$here/init" "$stage/init" ||
		! chmod 755 "$stage/init"; then
		die "cannot populate $stage"
	fi
	: >"$stage/modules"
	for path in "${initramfs_order[@]}"; do
		name=${path##*/}
		name=${name%%.ko*}
		copy_module "/lib/modules/$krel/$path" "$stage/lib/modules/$name.ko" ||
			die "cannot copy /lib/modules/$krel/$path"
		echo "$name" >>"$stage/modules"
	done
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		"$bb" cpio -o -H newc 2>/dev/null) >"$out.tmp.$$" ||
		die "cannot write the initramfs $out"
	mv -f "$out.tmp.$$" "$out" || die "cannot write the initramfs $out"
	rm -rf "$stage"
	# Other images for this kernel are stale; an hour's grace for runs of
	# another checkout that may still be using one.
	find "$cache" -maxdepth 1 -name "initramfs-$krel-*.cpio" ! -path "$out" \
		-mmin +60 -delete 2>/dev/null
	printf '%s' "$out"
}
