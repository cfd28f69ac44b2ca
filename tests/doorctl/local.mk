# doorctl's tests. Host tests (TESTS) check the command line, the
# rendering of the model and the program's output and exit codes
# against a test fixture server; vm-doorctl runs every verb against
# the real doord and real doors inside the VM.
doorctl_test_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/doorctl \
	-DDOORCTL_PATH=\"$(abs_top_builddir)/tests/doorctl/doorctl\"
doorctl_test_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)

doorctl_host_tests = tests/doorctl/test-args tests/doorctl/test-output \
	tests/doorctl/test-fixture tests/doorctl/test-policy
check_PROGRAMS += $(doorctl_host_tests)
TESTS += $(doorctl_host_tests)

# The tests run this doorctl: the same main() and library as the
# installed program, linked -no-install so it is a real executable (no
# libtool wrapper script, which costs seconds per run in the VM).
check_PROGRAMS += tests/doorctl/doorctl
tests_doorctl_doorctl_SOURCES = doorctl/doorctl.c
tests_doorctl_doorctl_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
tests_doorctl_doorctl_LDADD = doorctl/libdoorctl.la
tests_doorctl_doorctl_LDFLAGS = -no-install

tests_doorctl_test_args_SOURCES = tests/doorctl/test-args.c
tests_doorctl_test_args_CPPFLAGS = $(doorctl_test_cppflags)
tests_doorctl_test_args_CFLAGS = $(doorctl_test_cflags)
tests_doorctl_test_args_LDADD = doorctl/libdoorctl.la $(CRITERION_LIBS)
tests_doorctl_test_args_LDFLAGS = -no-install

tests_doorctl_test_output_SOURCES = tests/doorctl/test-output.c
tests_doorctl_test_output_CPPFLAGS = $(doorctl_test_cppflags)
tests_doorctl_test_output_CFLAGS = $(doorctl_test_cflags)
tests_doorctl_test_output_LDADD = doorctl/libdoorctl.la $(CRITERION_LIBS)
tests_doorctl_test_output_LDFLAGS = -no-install

# The fixture test runs the doorctl program itself.
tests_doorctl_test_fixture_SOURCES = tests/doorctl/test-fixture.c \
	tests/doorctl/fixture-doord.c tests/doorctl/fixture-doord.h \
	tests/doorctl/run-doorctl.c tests/doorctl/run-doorctl.h
tests_doorctl_test_fixture_CPPFLAGS = $(doorctl_test_cppflags)
tests_doorctl_test_fixture_CFLAGS = $(doorctl_test_cflags)
tests_doorctl_test_fixture_LDADD = $(SYSTEMD_LIBS) $(JANSSON_LIBS) $(CRITERION_LIBS)
tests_doorctl_test_fixture_LDFLAGS = -no-install
EXTRA_tests_doorctl_test_fixture_DEPENDENCIES = tests/doorctl/doorctl

tests_doorctl_test_policy_SOURCES = tests/doorctl/test-policy.c \
	tests/doorctl/run-doorctl.c tests/doorctl/run-doorctl.h
tests_doorctl_test_policy_CPPFLAGS = $(doorctl_test_cppflags)
tests_doorctl_test_policy_CFLAGS = $(doorctl_test_cflags)
tests_doorctl_test_policy_LDADD = $(JANSSON_LIBS) $(CRITERION_LIBS)
tests_doorctl_test_policy_LDFLAGS = -no-install
EXTRA_tests_doorctl_test_policy_DEPENDENCIES = tests/doorctl/doorctl

# In the VM, as root, with door.ko loaded: the real doord, real doors.
VM_TESTS += tests/doorctl/vm-doorctl
check_PROGRAMS += tests/doorctl/vm-doorctl
tests_doorctl_vm_doorctl_SOURCES = tests/doorctl/vm-doorctl.c \
	tests/doorctl/echo-door.c tests/doorctl/echo-door.h \
	tests/doorctl/run-doorctl.c tests/doorctl/run-doorctl.h
tests_doorctl_vm_doorctl_CPPFLAGS = $(doorctl_test_cppflags) \
	-DDOORD_PATH=\"$(abs_top_builddir)/doord/doord\"
tests_doorctl_vm_doorctl_CFLAGS = $(doorctl_test_cflags) -pthread
tests_doorctl_vm_doorctl_LDADD = $(JANSSON_LIBS) $(CRITERION_LIBS)
tests_doorctl_vm_doorctl_LDFLAGS = -no-install -pthread
EXTRA_tests_doorctl_vm_doorctl_DEPENDENCIES = tests/doorctl/doorctl doord/doord
