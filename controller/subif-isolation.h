/* Copyright (c) 2026 The ovs-lif authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef SUBIF_ISOLATION_H
#define SUBIF_ISOLATION_H 1

#include <stdbool.h>

struct lif_model;
struct ovsdb_idl;
struct svec;

/* subif-isolation: sub-interfaces invisible to the host's IP stack
 * (RFC 7847 section 5, property 1).
 *
 * With the userspace datapath, ovs-vswitchd reads a sub-interface through
 * a packet socket, but the kernel still treats the device as an ordinary
 * netdev: it gives it IPv6 addresses (link-local, and SLAAC ones from the
 * access network's RAs), sends MLD reports and Router Solicitations from
 * it, answers ARP for the LIF's IPv4 addresses through it, and answers
 * packets addressed to its MAC (which is what frames carry with
 * lif-lladdr=own) a second time, besides the LIF.
 *
 * For every sub-interface of every usable LIF whose kernel device
 * ovs-vswitchd opened in this network namespace (the ifindex it reports in
 * the Interface table is the device's ifindex here; the dummy ports of the
 * hermetic tests and devices in other namespaces are skipped), this module
 * sets three per-device sysctls:
 *
 *   net.ipv6.conf.DEV.disable_ipv6=1   no IPv6 addresses, no RS, MLD or
 *                                      DAD, and all IPv6 input dropped;
 *   net.ipv4.conf.DEV.rp_filter=1      IPv4 input on a device without IPv4
 *                                      addresses fails the reverse-path
 *                                      check (in strict and loose mode),
 *                                      so nothing reaches the IPv4 stack;
 *   net.ipv4.conf.DEV.arp_ignore=8     no ARP replies from the device,
 *                                      whatever else is configured.
 *
 * ovs-vswitchd's packet socket sees every frame before the IP stack drops
 * it, so forwarding is unaffected.  The original values are saved in
 * $OVS_RUNDIR/lif-controller.isolation and written back when the device
 * leaves the LIF (del-port), also if that happened while lif-controller was
 * not running.  lif-controller's exit restores nothing: the sub-interfaces
 * stay attached and forwarding meanwhile.
 *
 * What the module cannot hide (an IPv4 address configured on the device, a
 * sysctl it cannot write) is reported per sub-interface through
 * subif_isolation_get_errors(). */

void subif_isolation_init(void);
void subif_isolation_register_columns(struct ovsdb_idl *ovs_idl);
bool subif_isolation_run(const struct lif_model *,
                         const struct ovsdb_idl *ovs_idl);
void subif_isolation_wait(void);
void subif_isolation_destroy(void);
void subif_isolation_get_errors(const char *name, struct svec *errors);

#endif /* subif-isolation.h */
