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

#ifndef PINCTRL_H
#define PINCTRL_H 1

#include <stdbool.h>

#include "openvswitch/types.h"

struct dp_packet;
struct ds;
struct lif_logical;
struct lif_paths;

/* pinctrl: lif-controller's packet-in connection to one bridge.
 *
 * A second OpenFlow connection to unix:$OVS_RUNDIR/<bridge>.mgmt, separate
 * from ofctrl's so that punted packets never queue behind flow updates.
 * On every connection it asks for packet-ins (a service connection gets
 * none until it sets a miss_send_len) in the NXT_PACKET_IN2 format, which
 * carries the userdata and registers the pipeline sets.
 *
 * Every punt in the pipeline is metered (LIF_METER_PUNT in lif-tables.h),
 * so a flood from an access network cannot starve the controller.  The
 * punts:
 *
 *   - the host's Router Solicitations leaving through a sub-interface with
 *     its own link-layer address, whose source link-layer address option
 *     OVS cannot rewrite; pinctrl rewrites it and sends the solicitation
 *     out on that sub-interface;
 *
 *   - copies of the Router Advertisements from each access (each access
 *     has its own meter): parsed by lif_ra_parse(), which refuses
 *     malformed ones (counted, logged rate-limited), and learned into the
 *     path table.
 *
 * pinctrl_send() is lif-controller's packet-out: the RAs, RSs and NAs that
 * tell the host and the access routers about paths (lif-path-events.h).
 * Packet-outs made while the connection is down wait for it, a few at
 * most. */
struct pinctrl;

struct pinctrl *pinctrl_create(const char *bridge, struct lif_paths *);
void pinctrl_destroy(struct pinctrl *);
void pinctrl_update(struct pinctrl *, const struct lif_logical *);
bool pinctrl_run(struct pinctrl *);
void pinctrl_send(struct pinctrl *, const struct dp_packet *,
                  ofp_port_t out_port);
void pinctrl_wait(struct pinctrl *);
void pinctrl_format_status(const struct pinctrl *, struct ds *);

#endif /* pinctrl.h */
