# Debian packaging: build with "dpkg-buildpackage -b -us -uc" from the top of
# a source tree (Build-Depends in debian/control).

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
	debian/rules \
	debian/source/format \
	debian/source/options
