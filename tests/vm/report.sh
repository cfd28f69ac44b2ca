# shellcheck shell=bash
# shellcheck disable=SC2154 # $here, $prog and die come from tests/vm/run
# Find kernel reports in a guest's kernel log.  Sourced by tests/vm/run
# (bash), which provides $prog.

# Lines that start a report: "cut here" (what WARN and BUG print first),
# oops, BUG (KASAN, KFENCE, soft lockup and sleeping-in-atomic reports
# included), WARN, lockdep, UBSAN, kmemleak, hung tasks, RCU stalls,
# lockups and panics.
kernel_report_re='\[ cut here \]|Kernel panic|Oops:|BUG:|WARNING:|kernel BUG at'
kernel_report_re+='|general protection fault|Unable to handle kernel'
kernel_report_re+='|INFO: task .* blocked for more than'
kernel_report_re+='|possible circular locking|possible recursive locking'
kernel_report_re+='|inconsistent lock state|UBSAN:|KASAN:|KFENCE:'
kernel_report_re+='|kmemleak: [0-9]+ new suspected|detected stalls? on CPU'
kernel_report_re+='|self-detected stall|hard LOCKUP|soft lockup'

# Taint flags that only a kernel problem sets: B (bad page), D (died),
# M (machine check), W (warning), L (soft lockup).
taint_problem_mask=$(((1 << 5) | (1 << 7) | (1 << 4) | (1 << 9) | (1 << 14)))

taint_letters() {
	local flags=$1 letters=PFSRMBUDAWCIOELKXT out="" bit
	for ((bit = 0; bit < ${#letters}; bit++)); do
		if (((flags >> bit) & 1)); then
			out+=${letters:bit:1}
		fi
	done
	printf '%s' "${out:-none}"
}

# Print the first report in log $1 (and new problem taints from the
# "taint BEFORE AFTER" line $2) to stdout; return 1 if there is none.
print_kernel_report() {
	local log=$1 taint=$2 line before after found=1
	line=$(grep -naE -m1 "$kernel_report_re" "$log" 2>/dev/null | cut -d: -f1)
	if [ -n "$line" ]; then
		printf '%s: the guest kernel reported a problem:\n' "$prog"
		tail -n +"$line" "$log" | head -n 60 | tr -d '\r'
		found=0
	fi
	if [ -n "$taint" ]; then
		read -r _ before after <<<"$taint"
		if [[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ ]] &&
			(((after & ~before) & taint_problem_mask)); then
			printf '%s: the command tainted the kernel: %s -> %s\n' "$prog" \
				"$(taint_letters "$before")" "$(taint_letters "$after")"
			found=0
		fi
	fi
	return "$found"
}
