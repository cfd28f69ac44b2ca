# Automake fragment for tests/kmod, included from the top-level Makefile.am.
# Criterion tests of door.ko against the raw uapi (kdoor.h), run inside the
# VM as root with the module loaded (VM_TESTS). -no-install: the guest runs
# the binaries themselves, not libtool wrappers.
KMOD_TESTS = \
	tests/kmod/test_basic \
	tests/kmod/test_call \
	tests/kmod/test_desc \
	tests/kmod/test_cred \
	tests/kmod/test_failure \
	tests/kmod/test_handoff \
	tests/kmod/test_fuzz \
	tests/kmod/test_stress \
	tests/kmod/test_unref \
	tests/kmod/test_private \
	tests/kmod/test_reply \
	tests/kmod/test_exit_signal \
	tests/kmod/test_stats \
	tests/kmod/test_fork
check_PROGRAMS += $(KMOD_TESTS) tests/kmod/handoff_measure
VM_TESTS += $(KMOD_TESTS)
EXTRA_DIST += tests/kmod/kdoor.h

KMOD_TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -pthread
KMOD_TEST_LDFLAGS = $(AM_LDFLAGS) -no-install -pthread
KMOD_TEST_LIBS = $(CRITERION_LIBS)

tests_kmod_test_basic_SOURCES = tests/kmod/test_basic.c tests/kmod/kdoor.h
tests_kmod_test_basic_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_basic_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_basic_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_call_SOURCES = tests/kmod/test_call.c tests/kmod/kdoor.h
tests_kmod_test_call_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_call_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_call_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_desc_SOURCES = tests/kmod/test_desc.c tests/kmod/kdoor.h
tests_kmod_test_desc_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_desc_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_desc_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_cred_SOURCES = tests/kmod/test_cred.c tests/kmod/kdoor.h
tests_kmod_test_cred_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_cred_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_cred_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_failure_SOURCES = tests/kmod/test_failure.c tests/kmod/kdoor.h
tests_kmod_test_failure_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_failure_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_failure_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_handoff_SOURCES = tests/kmod/test_handoff.c tests/kmod/kdoor.h
tests_kmod_test_handoff_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_handoff_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_handoff_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_fuzz_SOURCES = tests/kmod/test_fuzz.c tests/kmod/kdoor.h
tests_kmod_test_fuzz_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_fuzz_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_fuzz_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_stress_SOURCES = tests/kmod/test_stress.c tests/kmod/kdoor.h
tests_kmod_test_stress_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_stress_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_stress_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_unref_SOURCES = tests/kmod/test_unref.c tests/kmod/kdoor.h
tests_kmod_test_unref_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_unref_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_unref_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_private_SOURCES = tests/kmod/test_private.c tests/kmod/kdoor.h
tests_kmod_test_private_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_private_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_private_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_reply_SOURCES = tests/kmod/test_reply.c tests/kmod/kdoor.h
tests_kmod_test_reply_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_reply_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_reply_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_exit_signal_SOURCES = tests/kmod/test_exit_signal.c tests/kmod/kdoor.h
tests_kmod_test_exit_signal_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_exit_signal_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_exit_signal_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_stats_SOURCES = tests/kmod/test_stats.c tests/kmod/kdoor.h
tests_kmod_test_stats_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_stats_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_stats_LDADD = $(KMOD_TEST_LIBS)

tests_kmod_test_fork_SOURCES = tests/kmod/test_fork.c tests/kmod/kdoor.h
tests_kmod_test_fork_CFLAGS = $(KMOD_TEST_CFLAGS)
tests_kmod_test_fork_LDFLAGS = $(KMOD_TEST_LDFLAGS)
tests_kmod_test_fork_LDADD = $(KMOD_TEST_LIBS)

# Handoff strategies and a pipe ping-pong side by side (not a test):
#   tests/vm/run --cpus 2 -- tests/kmod/handoff_measure 10000
#   tests/vm/run --icount -- tests/kmod/handoff_measure 2000 7 15 31
tests_kmod_handoff_measure_SOURCES = tests/kmod/handoff_measure.c tests/kmod/kdoor.h
tests_kmod_handoff_measure_CFLAGS = $(AM_CFLAGS) -O2 -pthread
tests_kmod_handoff_measure_LDFLAGS = $(AM_LDFLAGS) -no-install -pthread

# Unloading and reloading the module (a script: it needs only the shell).
VM_TESTS += $(top_srcdir)/tests/kmod/test-unload.sh
EXTRA_DIST += tests/kmod/test-unload.sh
