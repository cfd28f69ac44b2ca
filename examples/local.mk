# Solaris-style example programs; they compile unchanged against <door.h>.
noinst_PROGRAMS += examples/hello-server examples/hello-client
examples_hello_server_LDADD = libdoorclient/libdoorclient.la -lpthread
examples_hello_server_LDFLAGS = -no-install $(AM_LDFLAGS)
examples_hello_client_LDADD = libdoorclient/libdoorclient.la -lpthread
examples_hello_client_LDFLAGS = -no-install $(AM_LDFLAGS)
