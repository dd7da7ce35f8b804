# liblif: code shared by lif-controller, lif-ctl and the unit tests.

noinst_LTLIBRARIES += lib/liblif.la
lib_liblif_la_SOURCES = \
	lib/lif-cookie.c \
	lib/lif-cookie.h \
	lib/lif-ct-dump.c \
	lib/lif-ct-dump.h \
	lib/lif-flow-config.c \
	lib/lif-flow-config.h \
	lib/lif-flow-table.c \
	lib/lif-flow-table.h \
	lib/lif-model.c \
	lib/lif-model.h \
	lib/lif-nd.c \
	lib/lif-nd.h \
	lib/lif-path-events.c \
	lib/lif-path-events.h \
	lib/lif-paths.c \
	lib/lif-paths.h \
	lib/lif-pipeline.c \
	lib/lif-pipeline.h \
	lib/lif-pipeline-flow.c \
	lib/lif-pipeline-lladdr.c \
	lib/lif-pipeline-nd.c \
	lib/lif-pipeline-path.c \
	lib/lif-pipeline-private.h \
	lib/lif-ra.c \
	lib/lif-ra.h \
	lib/lif-tables.h \
	lib/lif-util.c \
	lib/lif-util.h
nodist_lib_liblif_la_SOURCES = lib/lif-idl.c lib/lif-idl.h
lib_liblif_la_LIBADD = $(OVS_LIBDIR)/libopenvswitch.la

OVSIDL_BUILT += lib/lif-idl.c lib/lif-idl.h lib/lif-idl.ovsidl
BUILT_SOURCES += $(OVSIDL_BUILT)
CLEANFILES += $(OVSIDL_BUILT)
EXTRA_DIST += lib/lif-idl.ann

lib/lif-idl.ovsidl: $(srcdir)/ovsdb/lif.ovsschema $(srcdir)/lib/lif-idl.ann
	$(AM_V_GEN)$(MKDIR_P) lib && \
	$(OVSDB_IDLC) annotate $(srcdir)/ovsdb/lif.ovsschema \
		$(srcdir)/lib/lif-idl.ann > $@.tmp && mv $@.tmp $@
lib/lif-idl.c: lib/lif-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source lib/lif-idl.ovsidl > $@.tmp && \
	mv $@.tmp $@
lib/lif-idl.h: lib/lif-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header lib/lif-idl.ovsidl > $@.tmp && \
	mv $@.tmp $@
