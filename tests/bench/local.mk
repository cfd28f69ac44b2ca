# Automake fragment for tests/bench, included from the top-level Makefile.am.
# doorbench runs inside the VM (tests/bench/run boots it): -no-install so
# the binary itself, not a libtool wrapper, is what the guest executes.
noinst_PROGRAMS += tests/bench/doorbench

tests_bench_doorbench_SOURCES = \
	tests/bench/bench.h \
	tests/bench/main.c \
	tests/bench/peer.c \
	tests/bench/timing.c \
	tests/bench/io.c \
	tests/bench/fdpass.c \
	tests/bench/report.c \
	tests/bench/memcpy_bw.c \
	tests/bench/perf_pipe.c \
	tests/bench/mech_door.c \
	tests/bench/mech_pipe.c \
	tests/bench/mech_unix.c \
	tests/bench/mech_futex.c \
	tests/bench/mech_yield.c \
	tests/bench/mech_binder.c
tests_bench_doorbench_CFLAGS = $(AM_CFLAGS) -O2 -pthread
tests_bench_doorbench_LDFLAGS = $(AM_LDFLAGS) -no-install -pthread
tests_bench_doorbench_LDADD = -lm

# doord lookups (needs libsystemd for the bus and a doord to start).
noinst_PROGRAMS += tests/bench/doorlookupbench
tests_bench_doorlookupbench_SOURCES = \
	tests/bench/bench.h \
	tests/bench/lookup.c \
	tests/bench/timing.c
tests_bench_doorlookupbench_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) -O2 -pthread
tests_bench_doorlookupbench_LDFLAGS = $(AM_LDFLAGS) -no-install -pthread
tests_bench_doorlookupbench_LDADD = $(SYSTEMD_LIBS)

EXTRA_DIST += tests/bench/run tests/bench/plot.gp tests/bench/README.md
