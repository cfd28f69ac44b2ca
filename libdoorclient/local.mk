# Automake fragment for libdoorclient, included from the top-level Makefile.am.
#
# libdoorclient is the Solaris-compatible <door.h> library. Solaris programs
# link with -ldoor: libdoor.so is installed as a link to libdoorclient.so.

lib_LTLIBRARIES += libdoorclient/libdoorclient.la
include_HEADERS += libdoorclient/door.h
pkgconfig_DATA += libdoorclient/libdoorclient.pc

libdoorclient_libdoorclient_la_SOURCES = \
	libdoorclient/bind.c \
	libdoorclient/bus.c \
	libdoorclient/bus.h \
	libdoorclient/call.c \
	libdoorclient/context.c \
	libdoorclient/create.c \
	libdoorclient/create.h \
	libdoorclient/cred.c \
	libdoorclient/error.c \
	libdoorclient/info.c \
	libdoorclient/internal.h \
	libdoorclient/naming.c \
	libdoorclient/param.c \
	libdoorclient/pool.c \
	libdoorclient/resolve.c \
	libdoorclient/server.c \
	libdoorclient/server.h \
	libdoorclient/stats.c \
	libdoorclient/ucred.c \
	libdoorclient/ucred.h \
	libdoorclient/xcreate.c
libdoorclient_libdoorclient_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden \
	-pthread $(SYSTEMD_CFLAGS)
libdoorclient_libdoorclient_la_LIBADD = $(SYSTEMD_LIBS)
libdoorclient_libdoorclient_la_LDFLAGS = -pthread -version-info 0:0:0 \
	-Wl,--version-script=$(top_srcdir)/libdoorclient/libdoor.sym \
	-Wl,-z,defs
EXTRA_libdoorclient_libdoorclient_la_DEPENDENCIES = \
	$(top_srcdir)/libdoorclient/libdoor.sym

EXTRA_DIST += libdoorclient/libdoor.sym libdoorclient/libdoorclient.pc.in

# -ldoor: the Solaris library name, a link to libdoorclient.
install-exec-hook: libdoorclient-install-exec-hook
libdoorclient-install-exec-hook:
	cd $(DESTDIR)$(libdir) && rm -f libdoor.so && \
	$(LN_S) libdoorclient.so libdoor.so

uninstall-hook: libdoorclient-uninstall-hook
libdoorclient-uninstall-hook:
	rm -f $(DESTDIR)$(libdir)/libdoor.so

# Section 3 manual: one page per function family, .so links for the rest.
dist_man_MANS += \
	man/man3/libdoor.3 \
	man/man3/door_bind.3 \
	man/man3/door_call.3 \
	man/man3/door_create.3 \
	man/man3/door_create_notify.3 \
	man/man3/door_cred.3 \
	man/man3/door_getparam.3 \
	man/man3/door_getstats.3 \
	man/man3/door_info.3 \
	man/man3/door_open.3 \
	man/man3/door_reply.3 \
	man/man3/door_return.3 \
	man/man3/door_revoke.3 \
	man/man3/door_server_create.3 \
	man/man3/door_server_threads_max.3 \
	man/man3/door_setparam.3 \
	man/man3/door_strerror_detail.3 \
	man/man3/door_ucred.3 \
	man/man3/door_unbind.3 \
	man/man3/door_xcreate.3 \
	man/man3/fattach.3 \
	man/man3/fdetach.3 \
	man/man3/ucred_free.3 \
	man/man3/ucred_get.3 \
	man/man3/ucred_getegid.3 \
	man/man3/ucred_geteuid.3 \
	man/man3/ucred_getgroups.3 \
	man/man3/ucred_getpid.3 \
	man/man3/ucred_getrgid.3 \
	man/man3/ucred_getruid.3 \
	man/man3/ucred_getsgid.3 \
	man/man3/ucred_getsuid.3 \
	man/man3/ucred_size.3
