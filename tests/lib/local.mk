# Automake fragment for tests/lib, included from the top-level Makefile.am.
#
# test-native runs on the build host; the others need door.ko and run in
# the VM (VM_TESTS). The Solaris-style programs in tests/lib/solaris are
# built unchanged from Solaris sources and run by test-examples.

LIBDOOR_TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -pthread \
	-DTESTS_BUILDDIR=\"$(abs_top_builddir)\"
LIBDOOR_TEST_LDADD = libdoorclient/libdoorclient.la $(CRITERION_LIBS) -lpthread

TESTS += tests/lib/test-native tests/lib/header-compile.sh
check_PROGRAMS += tests/lib/test-native
tests_lib_test_native_SOURCES = tests/lib/test-native.c tests/lib/common.h
tests_lib_test_native_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_native_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_native_LDFLAGS = -no-install
EXTRA_DIST += tests/lib/header-compile.sh tests/lib/solaris/attach-server.c \
	tests/lib/solaris/open-client.c

LIBDOOR_VM_TESTS = \
	tests/lib/test-call \
	tests/lib/test-server \
	tests/lib/test-private \
	tests/lib/test-lifecycle \
	tests/lib/test-naming \
	tests/lib/test-examples
VM_TESTS += $(LIBDOOR_VM_TESTS)
check_PROGRAMS += $(LIBDOOR_VM_TESTS)

tests_lib_test_call_SOURCES = tests/lib/test-call.c tests/lib/common.h
tests_lib_test_call_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_call_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_call_LDFLAGS = -no-install

tests_lib_test_server_SOURCES = tests/lib/test-server.c tests/lib/common.h
tests_lib_test_server_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_server_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_server_LDFLAGS = -no-install

tests_lib_test_private_SOURCES = tests/lib/test-private.c tests/lib/common.h
tests_lib_test_private_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_private_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_private_LDFLAGS = -no-install

tests_lib_test_lifecycle_SOURCES = tests/lib/test-lifecycle.c tests/lib/common.h
tests_lib_test_lifecycle_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_lifecycle_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_lifecycle_LDFLAGS = -no-install

tests_lib_test_naming_SOURCES = tests/lib/test-naming.c tests/lib/common.h \
	tests/lib/doord.h
tests_lib_test_naming_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_naming_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_naming_LDFLAGS = -no-install

tests_lib_test_examples_SOURCES = tests/lib/test-examples.c tests/lib/common.h \
	tests/lib/doord.h
tests_lib_test_examples_CFLAGS = $(LIBDOOR_TEST_CFLAGS)
tests_lib_test_examples_LDADD = $(LIBDOOR_TEST_LDADD)
tests_lib_test_examples_LDFLAGS = -no-install
EXTRA_tests_lib_test_examples_DEPENDENCIES = $(LIBDOOR_EXAMPLES)

# Solaris-style programs, compiled exactly as they would be on Solaris
# (no project flags), and the examples from the man pages.
LIBDOOR_EXAMPLES = \
	tests/lib/solaris/desc-server \
	tests/lib/solaris/private-pool \
	tests/lib/solaris/unref-server \
	tests/lib/solaris/attach-server \
	tests/lib/solaris/open-client \
	tests/lib/man-example
check_PROGRAMS += $(LIBDOOR_EXAMPLES)
LIBDOOR_EXAMPLE_CPPFLAGS = -I$(top_srcdir)/libdoorclient
LIBDOOR_EXAMPLE_LDADD = libdoorclient/libdoorclient.la -lpthread

tests_lib_solaris_desc_server_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_solaris_desc_server_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_solaris_desc_server_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_solaris_desc_server_LDFLAGS = -no-install $(SANITIZER_FLAGS)
tests_lib_solaris_private_pool_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_solaris_private_pool_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_solaris_private_pool_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_solaris_private_pool_LDFLAGS = -no-install $(SANITIZER_FLAGS)
tests_lib_solaris_unref_server_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_solaris_unref_server_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_solaris_unref_server_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_solaris_unref_server_LDFLAGS = -no-install $(SANITIZER_FLAGS)
tests_lib_solaris_attach_server_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_solaris_attach_server_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_solaris_attach_server_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_solaris_attach_server_LDFLAGS = -no-install $(SANITIZER_FLAGS)
tests_lib_solaris_open_client_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_solaris_open_client_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_solaris_open_client_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_solaris_open_client_LDFLAGS = -no-install $(SANITIZER_FLAGS)

# The example in libdoor(3), extracted from the page itself.
nodist_tests_lib_man_example_SOURCES = tests/lib/man-example.c
tests_lib_man_example_CPPFLAGS = $(LIBDOOR_EXAMPLE_CPPFLAGS)
tests_lib_man_example_CFLAGS = $(SANITIZER_FLAGS)
tests_lib_man_example_LDADD = $(LIBDOOR_EXAMPLE_LDADD)
tests_lib_man_example_LDFLAGS = -no-install $(SANITIZER_FLAGS)
CLEANFILES += tests/lib/man-example.c
tests/lib/man-example.c: $(top_srcdir)/man/man3/libdoor.3 $(top_srcdir)/tests/lib/extract-example.sh
	$(AM_V_GEN)$(MKDIR_P) tests/lib && \
	$(SHELL) $(top_srcdir)/tests/lib/extract-example.sh $(top_srcdir)/man/man3/libdoor.3 >$@.tmp && \
	mv $@.tmp $@
EXTRA_DIST += tests/lib/extract-example.sh
