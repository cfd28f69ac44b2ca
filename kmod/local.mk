# door.ko is built by kbuild, once per kernel build tree found by configure
# (the primary one and the VM test kernels): kmod/build/<release>/door.ko.
# kbuild wants its sources in the module directory, so each output
# directory links to the sources in $(srcdir)/kmod.

KMOD_SRCS = $(wildcard $(top_srcdir)/kmod/*.c $(top_srcdir)/kmod/*.h)
EXTRA_DIST += kmod/Kbuild kmod/dkms.conf.in kmod/include \
	$(patsubst $(top_srcdir)/%,%,$(KMOD_SRCS))

if BUILD_KMOD
all-local: modules

.PHONY: modules modules-install checkpatch sparse

modules:
	@set -e; for kdir in $(KMOD_DIRS); do \
		krel=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$$kdir/include/generated/utsrelease.h"); \
		out="$(abs_top_builddir)/kmod/build/$$krel"; \
		$(MKDIR_P) "$$out"; \
		find "$$out" -maxdepth 1 -type l ! -exec test -e {} \; -delete; \
		for f in $(abs_top_srcdir)/kmod/*.c $(abs_top_srcdir)/kmod/*.h \
			 $(abs_top_srcdir)/kmod/Kbuild; do \
			test -e "$$f" && ln -sf "$$f" "$$out/"; \
		done; \
		ln -sfn "$(abs_top_srcdir)/kmod/include" "$$out/include"; \
		echo "  KBUILD   door.ko for $$krel"; \
		$(MAKE) -C "$$kdir" M="$$out" $(KBUILD_FLAGS) modules; \
	done

# Sparse must stay silent: any warning fails the target.
sparse:
	@set -e; for kdir in $(KMOD_DIRS); do \
		krel=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$$kdir/include/generated/utsrelease.h"); \
		out="$(abs_top_builddir)/kmod/build/$$krel"; \
		$(MAKE) modules KMOD_DIRS="$$kdir" KBUILD_FLAGS="C=2 W=1" > "$$out.sparse.log" 2>&1 \
			|| { cat "$$out.sparse.log"; exit 1; }; \
		if grep -E '(warning|error):' "$$out.sparse.log"; then exit 1; fi; \
		echo "  SPARSE   $$krel: clean"; \
	done

modules-install: modules
	$(MKDIR_P) "$(DESTDIR)$(KMOD_MODULEDIR)"
	$(INSTALL_DATA) "kmod/build/$(KMOD_PRIMARY_RELEASE)/door.ko" "$(DESTDIR)$(KMOD_MODULEDIR)/door.ko"
	if test -z "$(DESTDIR)" && test -e "/lib/modules/$(KMOD_PRIMARY_RELEASE)/modules.dep"; then \
		depmod -a "$(KMOD_PRIMARY_RELEASE)"; fi

modules-uninstall:
	rm -f "$(DESTDIR)$(KMOD_MODULEDIR)/door.ko"

KMOD_INSTALL_TARGETS = modules-install
KMOD_UNINSTALL_TARGETS = modules-uninstall

clean-local:
	rm -rf kmod/build
endif

# checkpatch.pl comes from Debian's linux-source-6.1 tarball; the three
# files it needs are unpacked once into a cache outside the tree.
CHECKPATCH_TARBALL = $(wildcard /usr/src/linux-source-6.1.tar.xz)
CHECKPATCH_CACHE = $${XDG_CACHE_HOME:-$$HOME/.cache}/doors/checkpatch
checkpatch:
	@set -e; cp="$(CHECKPATCH_CACHE)"; \
	if test ! -x "$$cp/scripts/checkpatch.pl"; then \
		if test -x /usr/src/linux-source-6.1/scripts/checkpatch.pl; then \
			cp=/usr/src/linux-source-6.1; \
		elif test -n "$(CHECKPATCH_TARBALL)"; then \
			$(MKDIR_P) "$$cp"; \
			tar -xJf "$(CHECKPATCH_TARBALL)" -C "$$cp" --strip-components=1 \
				linux-source-6.1/scripts/checkpatch.pl \
				linux-source-6.1/scripts/spelling.txt \
				linux-source-6.1/scripts/const_structs.checkpatch; \
		else \
			echo "checkpatch: install the Debian package linux-source-6.1" >&2; exit 1; \
		fi; \
	fi; \
	cd "$(top_srcdir)" && "$$cp/scripts/checkpatch.pl" --strict --no-tree --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		kmod/*.c kmod/*.h kmod/include/uapi/linux/door.h

# A DKMS source tree: dkms builds the module for each kernel it manages.
dkmsdir = $(prefix)/src/door-$(VERSION)
dkms-install:
	$(MKDIR_P) "$(DESTDIR)$(dkmsdir)/include/uapi/linux"
	$(INSTALL_DATA) $(top_srcdir)/kmod/Kbuild $(KMOD_SRCS) "$(DESTDIR)$(dkmsdir)/"
	$(INSTALL_DATA) kmod/dkms.conf "$(DESTDIR)$(dkmsdir)/dkms.conf"
	$(INSTALL_DATA) $(top_srcdir)/kmod/include/uapi/linux/door.h \
		"$(DESTDIR)$(dkmsdir)/include/uapi/linux/door.h"
dkms-uninstall:
	rm -rf "$(DESTDIR)$(dkmsdir)"
install-data-local: dkms-install
install-exec-local: $(KMOD_INSTALL_TARGETS)
uninstall-local: $(KMOD_UNINSTALL_TARGETS) dkms-uninstall
