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

#include <config.h>

#include "vswitchd-status.h"

#include <limits.h>

#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(vswitchd_status);

/* When the status was first seen incomplete, LLONG_MIN if it is complete. */
static long long int pending_since = LLONG_MIN;

/* Returns the first Interface that has an OpenFlow port but no status. */
static const struct ovsrec_interface *
first_pending(const struct ovsdb_idl *idl)
{
    const struct ovsrec_interface *iface;
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        if (iface->n_ofport && iface->ofport[0] > 0 && !iface->admin_state) {
            return iface;
        }
    }
    return NULL;
}

/* Returns true if ovs-vswitchd's interface status in 'idl' is complete, or
 * has been incomplete for VSWITCHD_STATUS_MAX_WAIT ms. */
bool
vswitchd_status_ready(const struct ovsdb_idl *idl)
{
    const struct ovsrec_interface *iface = first_pending(idl);
    if (!iface) {
        pending_since = LLONG_MIN;
        return true;
    }

    long long int now = time_msec();
    if (pending_since == LLONG_MIN) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_INFO_RL(&rl, "interface %s has no status yet (ovsdb-server "
                     "restarted?): waiting for ovs-vswitchd to report it",
                     iface->name);
        pending_since = now;
    }
    return now - pending_since >= VSWITCHD_STATUS_MAX_WAIT;
}

/* Wakes up the main loop when vswitchd_status_ready() stops waiting. */
void
vswitchd_status_wait(void)
{
    if (pending_since != LLONG_MIN) {
        poll_timer_wait_until(pending_since + VSWITCHD_STATUS_MAX_WAIT);
    }
}
