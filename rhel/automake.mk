# RPM packaging.  configure makes rhel/ovs-lif.spec from rhel/ovs-lif.spec.in
# (AC_CONFIG_FILES), substituting @VERSION@ and @OVSVERSION@, and "make dist"
# puts it into the tarball, so that
#   rpmbuild -ta ovs-lif-VERSION.tar.gz
# builds the RPM, with openvswitch-OVSVERSION.tar.gz in rpmbuild's
# SOURCES folder (see README.md).

EXTRA_DIST += \
	rhel/ovs-lif.spec \
	rhel/ovs-lif.rpmlintrc \
	rhel/ovs-lif.spec.in \
	rhel/usr_lib_systemd_system_lif-controller.service
