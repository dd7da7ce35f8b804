# The LIF database: schema, its checksum check, and its man page lif(5).

dist_pkgdata_DATA += ovsdb/lif.ovsschema
EXTRA_DIST += ovsdb/lif.xml

man_MANS += ovsdb/lif.5
CLEANFILES += ovsdb/lif.5
ovsdb/lif.5: $(srcdir)/ovsdb/lif.ovsschema $(srcdir)/ovsdb/lif.xml
	$(AM_V_GEN)$(MKDIR_P) ovsdb && \
	$(OVSDB_DOC) --version=$(VERSION) \
		$(srcdir)/ovsdb/lif.ovsschema \
		$(srcdir)/ovsdb/lif.xml > $@.tmp1 && \
	$(MAN_TH_FIX) $@.tmp1 > $@.tmp && rm -f $@.tmp1 && mv $@.tmp $@

# Fails the build when the schema changed but its "cksum" did not.
ALL_LOCAL += ovsdb/lif.ovsschema.stamp
CLEANFILES += ovsdb/lif.ovsschema.stamp
ovsdb/lif.ovsschema.stamp: $(srcdir)/ovsdb/lif.ovsschema
	$(AM_V_GEN)$(MKDIR_P) ovsdb && \
	$(SHELL) $(OVS_SRCDIR)/build-aux/cksum-schema-check $? $@
