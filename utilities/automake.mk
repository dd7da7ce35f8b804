# lif-ctl, the database setup script and the sandbox.

bin_PROGRAMS += utilities/lif-ctl
utilities_lif_ctl_SOURCES = utilities/lif-ctl.c \
	utilities/lif-ctl-flow.c \
	utilities/lif-ctl-flow.h
utilities_lif_ctl_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la
utilities/lif-ctl.$(OBJEXT): lib/lif-idl.h
utilities/lif-ctl-flow.$(OBJEXT): lib/lif-idl.h

man_MANS += utilities/lif-ctl.8
CLEANFILES += utilities/lif-ctl.8
EXTRA_DIST += utilities/lif-ctl.8.xml

pkgdata_SCRIPTS += utilities/lif-db-setup
EXTRA_DIST += utilities/lif-db-setup utilities/lif-sandbox utilities/lif-dev

# A private OVS + lif-controller with two simulated access networks.
sandbox: all
	cd $(srcdir) && $(abs_srcdir)/utilities/lif-sandbox \
		--builddir=$(abs_builddir) --srcdir=$(abs_srcdir) \
		--ovs-build=$(OVS_BUILDDIR) $(SANDBOXFLAGS)
.PHONY: sandbox
