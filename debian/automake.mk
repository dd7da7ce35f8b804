# Debian packaging: build with "dpkg-buildpackage -b -us -uc" from the top of
# a source tree or of the unpacked release tarball (Build-Depends in
# debian/control; see README.md).  utilities/lif-package-check builds,
# installs, runs and purges the package in CI.

EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/lif-controller.default \
	debian/lif-controller.service \
	debian/not-installed \
	debian/ovs-lif.install \
	debian/ovs-lif.manpages \
	debian/postrm \
	debian/prerm \
	debian/rules \
	debian/source/format \
	debian/source/options
