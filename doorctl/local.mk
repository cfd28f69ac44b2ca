# doorctl: the administrator's command line (doorctl(1)).
# Everything but main() is a convenience library, so the host tests in
# tests/doorctl link the very code the program runs.
noinst_LTLIBRARIES += doorctl/libdoorctl.la
doorctl_libdoorctl_la_SOURCES = \
	doorctl/args.c doorctl/args.h \
	doorctl/bus.c doorctl/bus.h \
	doorctl/common.c doorctl/common.h \
	doorctl/door-call.c doorctl/door-call.h \
	doorctl/exit-codes.c doorctl/exit-codes.h \
	doorctl/format.c doorctl/format.h \
	doorctl/hexdump.c doorctl/hexdump.h \
	doorctl/log.c doorctl/log.h \
	doorctl/output.c doorctl/output.h \
	doorctl/pager.c doorctl/pager.h \
	doorctl/variant.c doorctl/variant.h \
	doorctl/verbs.c doorctl/verbs.h \
	doorctl/verb-call.c \
	doorctl/verb-daemon.c \
	doorctl/verb-list.c \
	doorctl/verb-monitor.c \
	doorctl/verb-names.c \
	doorctl/verb-policy.c
# check-policy and explain run doord's own policy code.
doorctl_libdoorctl_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
doorctl_libdoorctl_la_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
doorctl_libdoorctl_la_LIBADD = doord/libdoord-policy.la libdoorclient/libdoorclient.la \
	$(SYSTEMD_LIBS) $(JANSSON_LIBS)

bin_PROGRAMS += doorctl/doorctl
doorctl_doorctl_SOURCES = doorctl/doorctl.c
doorctl_doorctl_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
doorctl_doorctl_LDADD = doorctl/libdoorctl.la

bashcompletion_DATA += doorctl/completion/doorctl
EXTRA_DIST += doorctl/completion/doorctl
dist_man_MANS += man/man1/doorctl.1
