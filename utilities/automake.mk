# lif-ctl, the database setup script and the sandbox.

bin_PROGRAMS += utilities/lif-ctl
utilities_lif_ctl_SOURCES = \
	utilities/lif-config-file.c \
	utilities/lif-config-file.h \
	utilities/lif-ctl.c \
	utilities/lif-ctl-config.c \
	utilities/lif-ctl-config.h \
	utilities/lif-ctl-flow.c \
	utilities/lif-ctl-flow.h \
	utilities/lif-ctl-state.c \
	utilities/lif-ctl-state.h
utilities_lif_ctl_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
utilities_lif_ctl_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la \
	$(JANSSON_LIBS)
$(utilities_lif_ctl_OBJECTS): lib/lif-idl.h

# The JSON Schema of "lif-ctl export" and "lif-ctl apply" files.
dist_pkgdata_DATA += utilities/lif-config.schema.json

man_MANS += utilities/lif-ctl.8
CLEANFILES += utilities/lif-ctl.8
EXTRA_DIST += utilities/lif-ctl.8.xml

# An administrator's command (the systemd unit runs it before
# lif-controller): on PATH, in sbindir.
sbin_SCRIPTS += utilities/lif-db-setup
man_MANS += utilities/lif-db-setup.8
CLEANFILES += utilities/lif-db-setup.8
EXTRA_DIST += utilities/lif-db-setup.8.xml
EXTRA_DIST += utilities/lif-db-setup utilities/lif-sandbox utilities/lif-dev \
	utilities/lif-package-check

# A private OVS + lif-controller with two simulated access networks.
sandbox: all
	cd $(srcdir) && $(abs_srcdir)/utilities/lif-sandbox \
		--builddir=$(abs_builddir) --srcdir=$(abs_srcdir) \
		--ovs-build=$(OVS_BUILDDIR) $(SANDBOXFLAGS)
.PHONY: sandbox

# Receive buffers for the userspace datapath (lif-controller(8), "Receive
# Buffers"), in the systemd sysctl.d folder.
sysctldir = $(prefix)/lib/sysctl.d
dist_sysctl_DATA = utilities/60-ovs-lif.conf
