# shellcheck shell=bash
# shellcheck disable=SC2154 # $cache and die come from tests/vm/run
# An uncompressed kernel for a faster boot.  Sourced by tests/vm/run.
#
# Unpacking a bzImage under emulation takes seconds (xz above all); qemu can
# instead start the uncompressed ELF kernel directly at its PVH entry point.
# The ELF is cut out of the bzImage once and kept in the cache, keyed by the
# image's release, size and time.

# Magic bytes of the compressed payload and the command that unpacks it.
vmlinux_formats=(
	'\xfd\x37\x7a\x58\x5a\x00' 'xz -dcq --single-stream'
	'\x28\xb5\x2f\xfd' 'zstd -dcq'
	'\x1f\x8b\x08' 'gzip -dcq'
)

# True if $1 is an ELF kernel with a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY).
is_pvh_elf() {
	[ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ] &&
		readelf -nW "$1" 2>/dev/null | grep -qE 'Xen[[:space:]].*(0x00000012|NT_XEN_PHYS32|PHYS32_ENTRY)'
}

# Unpack bzImage $1 into $2; fail if no payload gives a PVH kernel.
extract_vmlinux() {
	local img=$1 out=$2 i magic tool off
	for ((i = 0; i < ${#vmlinux_formats[@]}; i += 2)); do
		magic=${vmlinux_formats[i]}
		read -ra tool <<<"${vmlinux_formats[i + 1]}"
		command -v "${tool[0]}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "$magic" "$img" 2>/dev/null | cut -d: -f1 | head -n 3); do
			tail -c +"$((off + 1))" "$img" | "${tool[@]}" >"$out" 2>/dev/null
			is_pvh_elf "$out" && return 0
		done
	done
	rm -f "$out"
	return 1
}

# Print the cached uncompressed kernel for bzImage $1 (release $2), or
# nothing if it cannot be made (the caller then boots the bzImage).
ensure_vmlinux() {
	local img=$1 krel=$2 key out
	command -v readelf >/dev/null || return 0
	key=$(stat -Lc '%n %s %Y' "$img" | sha256sum | cut -c1-16)
	out=$cache/vmlinux-$krel-$key
	if [ -s "$out" ]; then
		printf '%s' "$out"
		return 0
	fi
	mkdir -p "$cache" || die "cannot create the cache directory $cache"
	extract_vmlinux "$img" "$out.tmp.$$" || return 0
	mv -f "$out.tmp.$$" "$out" || return 0
	find "$cache" -maxdepth 1 -name "vmlinux-$krel-*" ! -name '*.tmp.*' \
		! -path "$out" -mmin +60 -delete 2>/dev/null
	printf '%s' "$out"
}
