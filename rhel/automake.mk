# RPM packaging.  configure makes rhel/ovs-lif.spec from rhel/ovs-lif.spec.in
# (AC_CONFIG_FILES), substituting @VERSION@ and @OVSVERSION@; build with
#   rpmbuild -ba --define "_sourcedir $PWD" rhel/ovs-lif.spec
# next to ovs-lif-VERSION.tar.gz ("make dist") and
# openvswitch-OVSVERSION.tar.gz.

EXTRA_DIST += \
	rhel/ovs-lif.spec.in \
	rhel/usr_lib_systemd_system_lif-controller.service
