# Automake fragment for doord, included from the top-level Makefile.am.

# The policy parser and evaluator, shared with doorctl (check-policy,
# explain) so both use exactly the same code.
noinst_LTLIBRARIES += doord/libdoord-policy.la
doord_libdoord_policy_la_SOURCES = \
	doord/policy.c doord/policy.h \
	doord/json-locate.c doord/json-locate.h \
	doord/util.c doord/util.h
doord_libdoord_policy_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
doord_libdoord_policy_la_LIBADD = $(JANSSON_LIBS)

# The name table and accounting, linked into doord and its unit tests.
noinst_LTLIBRARIES += doord/libdoord-core.la
doord_libdoord_core_la_SOURCES = \
	doord/names.c doord/names.h \
	doord/accounting.c doord/accounting.h \
	doord/fdstore.c doord/fdstore.h \
	doord/log.c doord/log.h
doord_libdoord_core_la_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
doord_libdoord_core_la_LIBADD = doord/libdoord-policy.la $(SYSTEMD_LIBS)

sbin_PROGRAMS += doord/doord
doord_doord_SOURCES = \
	doord/main.c \
	doord/daemon.c doord/daemon.h \
	doord/server.c doord/server.h \
	doord/manager.c doord/manager.h \
	doord/peer.c doord/peer.h \
	doord/namespace.c doord/namespace.h \
	doord/denial.c doord/denial.h \
	doord/doorfd.c doord/doorfd.h \
	doord/caps.c doord/caps.h \
	doord/bus-error.c doord/bus-error.h
doord_doord_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(CAP_CFLAGS) $(JANSSON_CFLAGS)
doord_doord_LDADD = doord/libdoord-core.la doord/libdoord-policy.la \
	$(SYSTEMD_LIBS) $(CAP_LIBS) $(JANSSON_LIBS)

dbusinterfacedir = $(datadir)/dbus-1/interfaces
dist_dbusinterface_DATA = doord/org.doors.door1.Manager.xml

# Units. ExecStart= carries the configured sbindir.
systemdsystemunit_DATA += units/doord.service units/doord.socket
EXTRA_DIST += units/doord.service.in units/doord.socket
CLEANFILES += units/doord.service
units/doord.service: $(top_srcdir)/units/doord.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) units && \
	$(SED) -e 's|@sbindir[@]|$(sbindir)|g' $(top_srcdir)/units/doord.service.in > $@.tmp && \
	mv $@.tmp $@

# Policy, bus policy, module loading, device node, journal catalog.
doordconf_DATA = config/doord.json
doorddropindir = $(doordconfdir)/doord.json.d
doorddropin_DATA = config/doord.json.d/README
dbussystem_DATA = config/org.doors.door1.conf
modulesload_DATA = config/modules-load.d/door.conf
udevrules_DATA = config/udev/60-door.rules
catalogdir = $(prefix)/lib/systemd/catalog
catalog_DATA = config/doord.catalog
EXTRA_DIST += $(doordconf_DATA) $(doorddropin_DATA) $(dbussystem_DATA) \
	$(modulesload_DATA) $(udevrules_DATA) $(catalog_DATA)

# Manual pages.
dist_man_MANS += man/man8/doord.8 man/man5/doord.json.5
