# Automake fragment for tests/vm, included from the top-level Makefile.am.
