# -*- autoconf -*-
# Build-system helpers for ovs-lif.

dnl LIF_CHECK_OVS
dnl
dnl Finds the Open vSwitch source and build trees that ovs-lif links against
dnl (--with-ovs-source, --with-ovs-build, as OVN's configure does) and checks
dnl that the build tree has been built.
AC_DEFUN([LIF_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
       [Open vSwitch 3.1 source tree (default: $srcdir/_ovs)])],
    [OVS_SRCDIR=$withval], [OVS_SRCDIR=`cd $srcdir && pwd`/_ovs])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
       [Open vSwitch build tree (default: the source tree)])],
    [OVS_BUILDDIR=$withval], [OVS_BUILDDIR=$OVS_SRCDIR])
  OVS_SRCDIR=`cd "$OVS_SRCDIR" 2>/dev/null && pwd || echo "$OVS_SRCDIR"`
  OVS_BUILDDIR=`cd "$OVS_BUILDDIR" 2>/dev/null && pwd || echo "$OVS_BUILDDIR"`

  AC_MSG_CHECKING([for an Open vSwitch source tree in $OVS_SRCDIR])
  AS_IF([test -f "$OVS_SRCDIR/vswitchd/vswitch.ovsschema" &&
         test -f "$OVS_SRCDIR/ovsdb/ovsdb-idlc.in"],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([no Open vSwitch source tree at $OVS_SRCDIR.
Unpack /usr/src/openvswitch/openvswitch.tar.gz (package openvswitch-source)
and pass --with-ovs-source=DIR, or run utilities/lif-dev build.])])

  AC_MSG_CHECKING([for a built Open vSwitch tree in $OVS_BUILDDIR])
  AS_IF([test -f "$OVS_BUILDDIR/config.h" &&
         test -f "$OVS_BUILDDIR/lib/libopenvswitch.la"],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([Open vSwitch is not built in $OVS_BUILDDIR
(config.h or lib/libopenvswitch.la missing).  Configure it with
--prefix=/usr --localstatedir=/var --sysconfdir=/etc, run make there, and
pass --with-ovs-build=DIR.])])

  OVSVERSION=`sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$OVS_BUILDDIR/config.h"`
  AC_MSG_CHECKING([Open vSwitch version])
  AC_MSG_RESULT([$OVSVERSION])
  case $OVSVERSION in
    3.1.*) ;;
    *) AC_MSG_WARN([ovs-lif is developed against Open vSwitch 3.1, not $OVSVERSION]) ;;
  esac
  AC_SUBST([OVS_SRCDIR])
  AC_SUBST([OVS_BUILDDIR])
  AC_SUBST([OVSVERSION])
])

dnl LIF_MIRROR_OVS_CONFIG
dnl
dnl OVS headers change behaviour, and struct layouts (HAVE_AF_XDP in
dnl struct dp_packet), with the HAVE_* macros of the config.h that OVS was
dnl built with.  Copy those definitions into lif-ovs-config.h, included at
dnl the bottom of our config.h, so that both sides agree.
AC_DEFUN([LIF_MIRROR_OVS_CONFIG], [
  AC_CONFIG_COMMANDS([lif-ovs-config.h], [
    sed -n 's/^#define \([A-Za-z_0-9]*\) \(.*\)$/\1 \2/p' "$ovs_builddir/config.h" |
    grep -v -E '^(PACKAGE|VERSION|LT_OBJDIR|STDC_HEADERS)' |
    while read name value; do
      printf '#ifndef %s\n#define %s %s\n#endif\n' "$name" "$name" "$value"
    done > lif-ovs-config.h.tmp
    if cmp -s lif-ovs-config.h.tmp lif-ovs-config.h; then
      rm -f lif-ovs-config.h.tmp
    else
      mv lif-ovs-config.h.tmp lif-ovs-config.h
    fi
  ], [ovs_builddir=$OVS_BUILDDIR])
  AH_BOTTOM([/* The HAVE_* macros Open vSwitch was built with. */
#include "lif-ovs-config.h"])
])

dnl LIF_ENABLE_WERROR
AC_DEFUN([LIF_ENABLE_WERROR], [
  AC_ARG_ENABLE([Werror],
    [AS_HELP_STRING([--enable-Werror], [treat compiler warnings as errors])],
    [], [enable_Werror=no])
  AS_IF([test "$enable_Werror" = yes], [WERROR=-Werror], [WERROR=])
  AC_SUBST([WERROR])
])

dnl LIF_SET_DIRS
dnl
dnl The run-time directories, the same as Debian's Open vSwitch uses.
AC_DEFUN([LIF_SET_DIRS], [
  RUNDIR='${localstatedir}/run/openvswitch'
  LOGDIR='${localstatedir}/log/openvswitch'
  DBDIR='${sysconfdir}/openvswitch'
  PKIDIR='${localstatedir}/lib/openvswitch/pki'
  AC_SUBST([RUNDIR])
  AC_SUBST([LOGDIR])
  AC_SUBST([DBDIR])
  AC_SUBST([PKIDIR])
])
