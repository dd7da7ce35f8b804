# Tests: unit tests (tests/lif-test), the hermetic autotest suite
# (make check), and the root integration tests (make check-integration).

noinst_PROGRAMS += tests/lif-test
tests_lif_test_SOURCES = tests/lif-test.c
tests_lif_test_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la

noinst_PROGRAMS += tests/lif-test-path
tests_lif_test_path_SOURCES = tests/lif-test-path.c
tests_lif_test_path_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la

noinst_PROGRAMS += tests/lif-test-ct
tests_lif_test_ct_SOURCES = tests/lif-test-ct.c
tests_lif_test_ct_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la

noinst_PROGRAMS += tests/lif-test-ra
tests_lif_test_ra_SOURCES = tests/lif-test-ra.c
tests_lif_test_ra_LDADD = lib/liblif.la $(OVS_LIBDIR)/libopenvswitch.la

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/lif-macros.at \
	tests/lif-unit.at \
	tests/lif-controller.at \
	tests/lif-nd.at \
	tests/lif-path.at \
	tests/lif-ct.at \
	tests/lif-ra.at \
	tests/lif-ctl.at \
	tests/lif-rel.at \
	tests/lif-config.at \
	tests/lif-db-keeper.at \
	tests/lif-flow.at \
	tests/lif-ct-timeout.at
EXTRA_DIST += $(TESTSUITE_AT) tests/testsuite tests/package.m4 \
	tests/atlocal.in tests/integration tests/bench-ct-export.sh
TESTSUITE = $(srcdir)/tests/testsuite
DISTCLEANFILES += tests/atconfig tests/atlocal

AUTOTEST_PATH = tests:controller:utilities:$(OVS_BUILDDIR)/ovsdb:$(OVS_BUILDDIR)/vswitchd:$(OVS_BUILDDIR)/utilities

check-local: tests/atconfig tests/atlocal $(TESTSUITE)
	$(SHELL) '$(TESTSUITE)' -C tests AUTOTEST_PATH='$(AUTOTEST_PATH)' \
		$(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean

AUTOM4TE = autom4te
AUTOTEST = $(AUTOM4TE) -l autotest
$(TESTSUITE): $(srcdir)/tests/package.m4 $(TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -I '$(srcdir)/tests' \
		-o $@.tmp $@.at && mv $@.tmp $@

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN):;{ \
	  echo '# Signature of the current package.' && \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])' && \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])' && \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])' && \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])' && \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} >'$@'

# Integration tests: root, network namespaces, the userspace datapath.
check-integration: all
	LIF_BUILDDIR='$(abs_builddir)' LIF_SRCDIR='$(abs_srcdir)' \
	OVS_BUILDDIR='$(OVS_BUILDDIR)' \
	/usr/bin/python3 -m pytest -v -s -p no:cacheprovider \
		$(srcdir)/tests/integration $(PYTESTFLAGS)
.PHONY: check-integration
