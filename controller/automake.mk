# lif-controller, the daemon.

bin_PROGRAMS += controller/lif-controller
controller_lif_controller_SOURCES = \
	controller/carrier.c \
	controller/carrier.h \
	controller/ct-zone-limit.c \
	controller/ct-zone-limit.h \
	controller/ct-zone-policy.c \
	controller/ct-zone-policy.h \
	controller/failover.c \
	controller/failover.h \
	controller/flow-export.c \
	controller/flow-export.h \
	controller/lif-controller.c \
	controller/lif-db-keeper.c \
	controller/lif-db-keeper.h \
	controller/ofctrl.c \
	controller/ofctrl.h \
	controller/path-notify.c \
	controller/path-notify.h \
	controller/pinctrl.c \
	controller/pinctrl.h \
	controller/bridge-settings.c \
	controller/bridge-settings.h \
	controller/status.c \
	controller/status.h \
	controller/subif-isolation.c \
	controller/subif-isolation.h \
	controller/appctl-client.c \
	controller/appctl-client.h \
	controller/vswitchd-status.c \
	controller/vswitchd-status.h
controller_lif_controller_LDADD = lib/liblif.la \
	$(OVS_LIBDIR)/libopenvswitch.la

man_MANS += controller/lif-controller.8
CLEANFILES += controller/lif-controller.8
EXTRA_DIST += controller/lif-controller.8.xml
