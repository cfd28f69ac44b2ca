# Tests. Host tests (TESTS) run natively through automake's harness; the
# kernel-module tests (VM_TESTS) run inside the VM, on every kernel
# door.ko was built for, from `make check` (check-vm below).
AM_DISTCHECK_CONFIGURE_FLAGS = \
	--disable-vm-check \
	--with-moduledir=$$dc_install_base/lib/modules/extra \
	--with-systemdsystemunitdir=$$dc_install_base/lib/systemd/system \
	--with-modulesloaddir=$$dc_install_base/lib/modules-load.d \
	--with-udevrulesdir=$$dc_install_base/lib/udev/rules.d \
	--with-bashcompletiondir=$$dc_install_base/share/bash-completion/completions

if ENABLE_TESTS
include tests/vm/local.mk
include tests/kmod/local.mk
include tests/lib/local.mk
include tests/doord/local.mk
include tests/doorctl/local.mk
endif
include tests/bench/local.mk

EXTRA_DIST += tests/vm

# Sanitizer builds: leaks in criterion's runner are not ours to fix.
TESTS_SANITIZER_ENV = LSAN_OPTIONS=suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0
AM_TESTS_ENVIRONMENT = export $(TESTS_SANITIZER_ENV);
EXTRA_DIST += tests/lsan.supp tests/debug-kernel

# The VM series (6.1, 6.12) that have a door.ko in this build.
VM_KERNELS = $(shell for r in $(KMOD_RELEASES); do echo "$$r" | sed -E 's/^([0-9]+\.[0-9]+)\..*/\1/'; done)
VM_RUN = $(top_srcdir)/tests/vm/run

.PHONY: check-vm check-vm-prereq check-vm-selftest bench demo

# Outside CI a machine without qemu or kernel images skips (and says so);
# under CI=true that is a failure: the module tests must never be skipped
# silently there.
check-vm-prereq:
	@if ! command -v qemu-system-x86_64 >/dev/null 2>&1 || \
	    ! ls /boot/vmlinuz-* >/dev/null 2>&1; then \
		if test "$$CI" = true; then \
			echo "check-vm: FAILED: qemu-system-x86 or a kernel image is missing; the kernel-module tests cannot run" >&2; \
			exit 1; \
		fi; \
		echo "check-vm: SKIPPED: install qemu-system-x86 and linux-image-amd64 to run the kernel-module tests" >&2; \
		exit 77; \
	fi

check-vm-selftest: check-vm-prereq
	$(top_srcdir)/tests/vm/selftest

# One boot runs every VM test program: about 12 minutes on a quiet 2-core
# machine, so the limit leaves room for a loaded one.
VM_TIMEOUT = 2400
check-vm: $(VM_TESTS) $(VM_SYSTEMD_TESTS)
	@rc=0; $(MAKE) $(AM_MAKEFLAGS) check-vm-prereq || rc=$$?; \
	if test $$rc = 77; then exit 0; elif test $$rc != 0; then exit $$rc; fi; \
	fail=0; \
	for k in $(VM_KERNELS); do \
		echo "=== kernel-module tests on Linux $$k ==="; \
		$(TESTS_SANITIZER_ENV) $(VM_RUN) --kernel $$k --cpus 2 \
			--timeout $(VM_TIMEOUT) -- \
			$(top_srcdir)/tests/vm/run-tests $(VM_TESTS) || fail=1; \
	done; \
	for t in $(VM_SYSTEMD_TESTS); do \
		echo "=== $$t under systemd as PID 1 ==="; \
		$(TESTS_SANITIZER_ENV) $(VM_RUN) --systemd --cpus 2 -- $$t || fail=1; \
	done; \
	test $$fail = 0

if VM_CHECK
check-local: check-vm
endif

bench: all
	$(top_srcdir)/tests/bench/run

demo: all
	$(top_srcdir)/scripts/demo-run
noinst_HEADERS += tests/module-features.h

# The module tests on a debug kernel (KASAN, lockdep, UBSAN, kmemleak,
# hung-task detection) built once per machine by tests/debug-kernel/build,
# then a kmemleak scan; any report in the guest log fails the run. The
# userspace sanitizers add nothing here (check-vm runs them) but more than
# double the time, so scripts/check runs this from a build without them.
# Calls are several times slower there, so the random-kill stress test
# makes 30,000 calls instead of 100,000: about 15 rounds of kills, near
# the 20 that 100,000 calls give on a stock kernel.
DEBUG_TIMEOUT = 3000
DEBUG_STRESS_CALLS = 30000
.PHONY: check-debug check-debug-inject
check-debug: $(VM_TESTS)
	@case "$(SANITIZER_FLAGS)" in *-fsanitize*) \
		echo "check-debug: note: this build has the userspace sanitizers on, which" \
		     "makes the run more than twice as long; configure a build without" \
		     "--enable-sanitizers for it" >&2 ;; esac; \
	dir=$$($(top_srcdir)/tests/debug-kernel/build) || exit 1; \
	$(MAKE) $(AM_MAKEFLAGS) modules KMOD_DIRS="$$dir/build" || exit 1; \
	$(TESTS_SANITIZER_ENV) DOOR_STRESS_CALLS=$(DEBUG_STRESS_CALLS) \
		$(VM_RUN) --kernel debug --cpus 2 --timeout $(DEBUG_TIMEOUT) -- \
		$(top_srcdir)/tests/debug-kernel/guest-check $(VM_TESTS)

# Checks that check: a door.ko built to leak one object at load time must
# fail the same debug-kernel run with a kmemleak report from its init.
check-debug-inject:
	$(top_srcdir)/tests/debug-kernel/inject-check
