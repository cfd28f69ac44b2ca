dnl DOOR_KERNEL: find the kernel build trees the module is built against.
dnl
dnl The primary tree (--with-linux) is the one `make install` installs for;
dnl the test trees (--with-test-linux, default: every installed Debian
dnl linux-headers tree) get a door.ko of their own so the VM tests can boot
dnl each kernel with a matching module.
AC_DEFUN([DOOR_KERNEL_RELEASE], [
  door_krel=
  dnl Debian's 6.1 trees carry the upstream version in kernel.release;
  dnl the release modules are matched against is UTS_RELEASE.
  AS_IF([test -r "$1/include/generated/utsrelease.h"],
        [door_krel=`sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h"`])
])

AC_DEFUN([DOOR_KERNEL], [
  AC_ARG_ENABLE([kmod],
    [AS_HELP_STRING([--disable-kmod], [do not build the kernel module])],
    [], [enable_kmod=yes])
  AC_ARG_WITH([linux],
    [AS_HELP_STRING([--with-linux=DIR],
      [kernel build tree (default: the running kernel's, else the newest /usr/src/linux-headers-*)])],
    [KMOD_PRIMARY_DIR=$withval], [KMOD_PRIMARY_DIR=])
  AC_ARG_WITH([test-linux],
    [AS_HELP_STRING([--with-test-linux="DIR..."],
      [further kernel build trees to build the module for, for the VM tests (default: every installed /usr/src/linux-headers-*)])],
    [KMOD_TEST_DIRS=$withval], [KMOD_TEST_DIRS=auto])
  AC_ARG_WITH([moduledir],
    [AS_HELP_STRING([--with-moduledir=DIR],
      [where make install puts door.ko (default: /lib/modules/RELEASE/updates)])],
    [KMOD_MODULEDIR=$withval], [KMOD_MODULEDIR=])

  KMOD_DIRS=
  KMOD_RELEASES=
  KMOD_PRIMARY_RELEASE=none
  AS_IF([test "x$enable_kmod" != xno], [
    dnl Debian's headers trees, newest version last.
    door_installed=`ls -d /usr/src/linux-headers-* 2>/dev/null | grep -v -- '-common' | sort -V`
    AS_IF([test -z "$KMOD_PRIMARY_DIR"], [
      door_running=/lib/modules/`uname -r`/build
      AS_IF([test -r "$door_running/include/generated/utsrelease.h"],
            [KMOD_PRIMARY_DIR=$door_running],
            [for d in $door_installed; do KMOD_PRIMARY_DIR=$d; done])
    ])
    AC_MSG_CHECKING([for the kernel build tree])
    DOOR_KERNEL_RELEASE([$KMOD_PRIMARY_DIR])
    AS_IF([test -z "$door_krel" || test ! -r "$KMOD_PRIMARY_DIR/Makefile"],
      [AC_MSG_RESULT([no])
       AC_MSG_ERROR([no configured kernel build tree found${KMOD_PRIMARY_DIR:+ at $KMOD_PRIMARY_DIR}: install the Debian package linux-headers-amd64 (or linux-headers-6.12-amd64), pass --with-linux=DIR, or build without the module using --disable-kmod])])
    AC_MSG_RESULT([$KMOD_PRIMARY_DIR ($door_krel)])
    KMOD_PRIMARY_RELEASE=$door_krel
    KMOD_DIRS=$KMOD_PRIMARY_DIR
    KMOD_RELEASES=$door_krel
    AS_IF([test "x$KMOD_TEST_DIRS" = xauto], [KMOD_TEST_DIRS=$door_installed])
    for d in $KMOD_TEST_DIRS; do
      DOOR_KERNEL_RELEASE([$d])
      AS_IF([test -z "$door_krel"], [AC_MSG_ERROR([$d is not a configured kernel build tree])])
      case " $KMOD_RELEASES " in
        *" $door_krel "*) ;;
        *) KMOD_DIRS="$KMOD_DIRS $d"; KMOD_RELEASES="$KMOD_RELEASES $door_krel" ;;
      esac
    done
    AC_MSG_CHECKING([for kernel releases to build door.ko for])
    AC_MSG_RESULT([$KMOD_RELEASES])
    AS_IF([test -z "$KMOD_MODULEDIR"], [KMOD_MODULEDIR=/lib/modules/$KMOD_PRIMARY_RELEASE/updates])
  ])
  AM_CONDITIONAL([BUILD_KMOD], [test "x$enable_kmod" != xno])
  AC_SUBST([KMOD_PRIMARY_DIR])
  AC_SUBST([KMOD_PRIMARY_RELEASE])
  AC_SUBST([KMOD_DIRS])
  AC_SUBST([KMOD_RELEASES])
  AC_SUBST([KMOD_MODULEDIR])
])

dnl DOOR_VM_CHECK: whether `make check` boots the VM for the module tests.
AC_DEFUN([DOOR_VM_CHECK], [
  AC_ARG_ENABLE([vm-check],
    [AS_HELP_STRING([--disable-vm-check],
      [make check runs only the host tests, not the kernel-module tests in the VM])],
    [], [enable_vm_check=yes])
  AS_IF([test "x$enable_kmod" = xno], [enable_vm_check=no])
  AM_CONDITIONAL([VM_CHECK], [test "x$enable_vm_check" = xyes])
])
