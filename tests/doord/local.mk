# Automake fragment for tests/doord, included from the top-level Makefile.am.
#
# Host tests (TESTS) need no kernel module: they run a real doord on a
# temporary socket and unit-test the name table and the policy. Tests
# that create doors run in the VM (VM_TESTS).

DOORD_TEST_CPP = $(AM_CPPFLAGS) -I$(top_srcdir)/doord \
	-DDOORD_BUILD_PATH=\"$(abs_top_builddir)/doord/doord\" \
	-DDOORD_SRCDIR=\"$(abs_top_srcdir)/doord\" \
	-DDOORD_TOP_SRCDIR=\"$(abs_top_srcdir)\"
DOORD_TEST_CC = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(SYSTEMD_CFLAGS) -pthread
DOORD_TEST_LINK = -no-install
DOORD_TEST_LIBS = $(CRITERION_LIBS) $(SYSTEMD_LIBS) -lpthread
DOORD_TEST_HELPER = tests/doord/helper.c tests/doord/helper.h

doord_host_tests = \
	tests/doord/test-daemon \
	tests/doord/test-notify \
	tests/doord/test-names \
	tests/doord/test-policy \
	tests/doord/test-accounting

check_PROGRAMS += $(doord_host_tests)
TESTS += $(doord_host_tests)

tests_doord_test_daemon_SOURCES = tests/doord/test-daemon.c $(DOORD_TEST_HELPER)
tests_doord_test_daemon_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_daemon_CFLAGS = $(DOORD_TEST_CC)
tests_doord_test_daemon_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_daemon_LDADD = $(DOORD_TEST_LIBS)
EXTRA_tests_doord_test_daemon_DEPENDENCIES = doord/doord

tests_doord_test_notify_SOURCES = tests/doord/test-notify.c $(DOORD_TEST_HELPER)
tests_doord_test_notify_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_notify_CFLAGS = $(DOORD_TEST_CC)
tests_doord_test_notify_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_notify_LDADD = $(DOORD_TEST_LIBS)
EXTRA_tests_doord_test_notify_DEPENDENCIES = doord/doord

tests_doord_test_names_SOURCES = tests/doord/test-names.c
tests_doord_test_names_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_names_CFLAGS = $(DOORD_TEST_CC)
tests_doord_test_names_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_names_LDADD = doord/libdoord-core.la $(DOORD_TEST_LIBS)

tests_doord_test_policy_SOURCES = tests/doord/test-policy.c
tests_doord_test_policy_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_policy_CFLAGS = $(DOORD_TEST_CC) $(JANSSON_CFLAGS)
tests_doord_test_policy_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_policy_LDADD = doord/libdoord-policy.la $(DOORD_TEST_LIBS) $(JANSSON_LIBS)

tests_doord_test_accounting_SOURCES = tests/doord/test-accounting.c
tests_doord_test_accounting_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_accounting_CFLAGS = $(DOORD_TEST_CC)
tests_doord_test_accounting_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_accounting_LDADD = doord/libdoord-core.la $(DOORD_TEST_LIBS)

# Through door.ko: in the VM, as root.
doord_vm_tests = tests/doord/test-vm-names
check_PROGRAMS += $(doord_vm_tests)
VM_TESTS += $(doord_vm_tests)

tests_doord_test_vm_names_SOURCES = tests/doord/test-vm-names.c $(DOORD_TEST_HELPER)
tests_doord_test_vm_names_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_test_vm_names_CFLAGS = $(DOORD_TEST_CC) -pthread
tests_doord_test_vm_names_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_test_vm_names_LDADD = libdoorclient/libdoorclient.la $(DOORD_TEST_LIBS) -lpthread
EXTRA_tests_doord_test_vm_names_DEPENDENCIES = doord/doord

# The units pass systemd-analyze verify (skipped without systemd).
TESTS += tests/doord/test-units.sh
EXTRA_DIST += tests/doord/test-units.sh

# Lookup latency and throughput with 100,000 names; run by hand in the VM:
#   tests/vm/run --cpus 2 -- tests/doord/bench-names [N [LOOKUPS]]
check_PROGRAMS += tests/doord/bench-names
tests_doord_bench_names_SOURCES = tests/doord/bench-names.c $(DOORD_TEST_HELPER)
tests_doord_bench_names_CPPFLAGS = $(DOORD_TEST_CPP)
tests_doord_bench_names_CFLAGS = $(DOORD_TEST_CC)
tests_doord_bench_names_LDFLAGS = $(DOORD_TEST_LINK)
tests_doord_bench_names_LDADD = libdoorclient/libdoorclient.la $(DOORD_TEST_LIBS)

# Under systemd as PID 1 in the VM (tests/vm/run --systemd -- ...):
# socket activation, status and the fd store across a restart.
check_PROGRAMS += tests/doord/names-tool
tests_doord_names_tool_SOURCES = tests/doord/names-tool.c
tests_doord_names_tool_CFLAGS = $(AM_CFLAGS)
tests_doord_names_tool_LDFLAGS = -no-install
tests_doord_names_tool_LDADD = libdoorclient/libdoorclient.la
VM_SYSTEMD_TESTS += $(top_srcdir)/tests/doord/test-vm-systemd.sh
EXTRA_DIST += tests/doord/test-vm-systemd.sh

# With a bus daemon started in the guest: doord's name on the system bus.
VM_SYSTEMD_TESTS += $(top_srcdir)/tests/doord/test-vm-system-bus.sh
EXTRA_DIST += tests/doord/test-vm-system-bus.sh
