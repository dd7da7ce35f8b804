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

#include "carrier.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "latch.h"
#include "lif-model.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "simap.h"
#include "socket-util.h"
#include "sset.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(carrier);

static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct sset devices OVS_GUARDED_BY(mutex)
    = SSET_INITIALIZER(&devices);
static struct simap states OVS_GUARDED_BY(mutex)
    = SIMAP_INITIALIZER(&states);
static struct seq *carrier_seq;
static struct latch exit_latch;
static pthread_t thread;
static int interval;            /* Milliseconds; 0 if not polling. */

/* Returns the link state of device 'name', using socket 'sock'. */
static enum lif_carrier
query_carrier(int sock, const char *name)
{
    struct ethtool_value ev = { .cmd = ETHTOOL_GLINK };
    struct ifreq ifr;

    if (strlen(name) >= sizeof ifr.ifr_name) {
        return LIF_CARRIER_UNKNOWN;
    }
    memset(&ifr, 0, sizeof ifr);
    ovs_strzcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
    ifr.ifr_data = (void *) &ev;
    if (sock < 0 || ioctl(sock, SIOCETHTOOL, &ifr) < 0) {
        return LIF_CARRIER_UNKNOWN;
    }
    return ev.data ? LIF_CARRIER_UP : LIF_CARRIER_DOWN;
}

static void *
carrier_main(void *arg OVS_UNUSED)
{
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0) {
        VLOG_ERR("socket failed (%s): carrier polling disabled",
                 ovs_strerror(errno));
    }

    while (!latch_is_set(&exit_latch)) {
        struct sset names = SSET_INITIALIZER(&names);
        ovs_mutex_lock(&mutex);
        sset_clone(&names, &devices);
        ovs_mutex_unlock(&mutex);

        struct simap now = SIMAP_INITIALIZER(&now);
        const char *name;
        SSET_FOR_EACH (name, &names) {
            simap_put(&now, name, query_carrier(sock, name));
        }

        ovs_mutex_lock(&mutex);
        if (!simap_equal(&now, &states)) {
            simap_swap(&now, &states);
            seq_change(carrier_seq);
        }
        ovs_mutex_unlock(&mutex);
        simap_destroy(&now);
        sset_destroy(&names);

        latch_wait(&exit_latch);
        poll_timer_wait(interval);
        poll_block();
    }

    if (sock >= 0) {
        close(sock);
    }
    return NULL;
}

/* Starts polling every 'interval_ms' milliseconds (0 disables polling: every
 * device is then LIF_CARRIER_UNKNOWN).  Call once, after daemonizing. */
void
carrier_init(int interval_ms)
{
    carrier_seq = seq_create();
    interval = interval_ms;
    if (interval > 0) {
        latch_init(&exit_latch);
        thread = ovs_thread_create("carrier", carrier_main, NULL);
    }
}

/* Stops the poller. */
void
carrier_destroy(void)
{
    if (interval > 0) {
        latch_set(&exit_latch);
        xpthread_join(thread, NULL);
        latch_destroy(&exit_latch);
        interval = 0;
    }
}

/* Sets the devices to poll to 'names'. */
void
carrier_set_devices(const struct sset *names)
{
    ovs_mutex_lock(&mutex);
    if (!sset_equals(names, &devices)) {
        sset_destroy(&devices);
        sset_clone(&devices, names);
    }
    ovs_mutex_unlock(&mutex);
}

/* Stores in 'out' (initialized by the caller) the last known state of every
 * polled device, as "enum lif_carrier" values. */
void
carrier_get(struct simap *out)
{
    ovs_mutex_lock(&mutex);
    struct simap_node *node;
    SIMAP_FOR_EACH (node, &states) {
        simap_put(out, node->name, node->data);
    }
    ovs_mutex_unlock(&mutex);
}

/* Returns a sequence number that changes whenever a device's state does. */
uint64_t
carrier_seq_read(void)
{
    return seq_read(carrier_seq);
}

/* Wakes the next poll_block() once the state changed since 'seqno'. */
void
carrier_wait(uint64_t seqno)
{
    seq_wait(carrier_seq, seqno);
}

/* Returns the polling interval in milliseconds, 0 if disabled. */
int
carrier_get_interval(void)
{
    return interval;
}
