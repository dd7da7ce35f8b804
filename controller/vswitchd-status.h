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

#ifndef VSWITCHD_STATUS_H
#define VSWITCHD_STATUS_H 1

#include <stdbool.h>

struct ovsdb_idl;

/* vswitchd-status: is ovs-vswitchd's interface status in the Open_vSwitch
 * database current?
 *
 * The Interface columns that lif-controller's model reads for link state,
 * MAC and ifindex (admin_state, link_state, mac_in_use, ifindex, mtu) are
 * ephemeral: ovsdb-server does not store them, so after it restarts they
 * are empty until ovs-vswitchd writes them again, a few milliseconds
 * later.  A model computed in between would take every sub-interface for
 * down, give it back to the host stack and change the LIF's MAC.
 *
 * vswitchd_status_ready() is false while an Interface that has an OpenFlow
 * port has no admin_state (ovs-vswitchd writes it for every interface it
 * opened), for at most VSWITCHD_STATUS_MAX_WAIT ms, so that an interface
 * that never reports one does not hold lif-controller forever. */

#define VSWITCHD_STATUS_MAX_WAIT 2000

bool vswitchd_status_ready(const struct ovsdb_idl *ovs_idl);
void vswitchd_status_wait(void);

#endif /* vswitchd-status.h */
