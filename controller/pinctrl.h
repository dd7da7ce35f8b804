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

struct ds;
struct lif_logical;

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
 * only punt today: the host's Router Solicitations leaving through a
 * sub-interface with its own link-layer address, whose source link-layer
 * address option OVS cannot rewrite; pinctrl rewrites it and sends the
 * solicitation out on that sub-interface. */
struct pinctrl;

struct pinctrl *pinctrl_create(const char *bridge);
void pinctrl_destroy(struct pinctrl *);
void pinctrl_update(struct pinctrl *, const struct lif_logical *);
void pinctrl_run(struct pinctrl *);
void pinctrl_wait(struct pinctrl *);
void pinctrl_format_status(const struct pinctrl *, struct ds *);

#endif /* pinctrl.h */
