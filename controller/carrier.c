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
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "failover.h"
#include "lif-model.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "packets.h"
#include "seq.h"
#include "simap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(carrier);

/* Devices without a usable carrier_changes file are read with
 * ETHTOOL_GLINK, which takes the RTNL lock, this often (ms). */
#define GLINK_INTERVAL_MS 10

/* How often the thread re-checks that each device is still the one it
 * opened, retries devices it could not open, and runs the fast path's
 * OpenFlow connections (ms). */
#define HOUSEKEEPING_MS 10
#define REOPEN_MS 1000

#define SYSFS_NET "/sys/class/net"

/* Shared with the main thread. */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct sset devices OVS_GUARDED_BY(mutex)
    = SSET_INITIALIZER(&devices);
static uint64_t devices_gen OVS_GUARDED_BY(mutex);
static struct simap states OVS_GUARDED_BY(mutex)
    = SIMAP_INITIALIZER(&states);
static struct seq *carrier_seq;
static atomic_bool exiting;
static pthread_t thread;
static int interval;            /* Microseconds; 0 if not polling. */

/* One polled device (the thread's own). */
struct carrier_dev {
    struct hmap_node hmap_node; /* In 'devs', by name. */
    char *name;
    int fd;                     /* Its sysfs carrier_changes, or -1. */
    int ifindex;                /* Of the device 'fd' belongs to. */
    uint64_t changes;           /* carrier_changes last read. */
    enum lif_carrier state;
    long long int next_check;   /* Next identity check or reopen. */
    long long int next_glink;   /* Next ETHTOOL_GLINK poll, if fd < 0. */
};

static struct carrier_dev *
find_dev(const struct hmap *devs, const char *name)
{
    struct carrier_dev *dev;
    HMAP_FOR_EACH_WITH_HASH (dev, hmap_node, hash_string(name, 0), devs) {
        if (!strcmp(dev->name, name)) {
            return dev;
        }
    }
    return NULL;
}

/* Returns the link state of device 'name' with ETHTOOL_GLINK on 'sock'.
 * This also makes the kernel deliver the device's pending link event. */
static enum lif_carrier
query_glink(int sock, const char *name)
{
    struct ethtool_value ev = { .cmd = ETHTOOL_GLINK };
    struct ifreq ifr;

    if (sock < 0 || strlen(name) >= sizeof ifr.ifr_name) {
        return LIF_CARRIER_UNKNOWN;
    }
    memset(&ifr, 0, sizeof ifr);
    ovs_strzcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
    ifr.ifr_data = (void *) &ev;
    if (ioctl(sock, SIOCETHTOOL, &ifr) < 0) {
        return LIF_CARRIER_UNKNOWN;
    }
    return ev.data ? LIF_CARRIER_UP : LIF_CARRIER_DOWN;
}

/* Reads the whole small sysfs file at 'fd' into 'buf'. */
static bool
read_sysfs_fd(int fd, char *buf, size_t size)
{
    ssize_t n = pread(fd, buf, size - 1, 0);
    if (n <= 0) {
        return false;
    }
    buf[n] = '\0';
    return true;
}

static bool
read_sysfs(const char *name, const char *attr, char *buf, size_t size)
{
    char *path = xasprintf("%s/%s/%s", SYSFS_NET, name, attr);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        return false;
    }
    bool ok = read_sysfs_fd(fd, buf, size);
    close(fd);
    return ok;
}

static bool
read_changes(int fd, uint64_t *changes)
{
    char buf[32];
    char *end;
    if (!read_sysfs_fd(fd, buf, sizeof buf)) {
        return false;
    }
    *changes = strtoull(buf, &end, 10);
    return end != buf;
}

/* Whether /sys/class/net/NAME is the device 'name' of our own network
 * namespace (sysfs shows the namespace of whoever mounted it): the same
 * ifindex and the same MAC.  Stores the ifindex in '*ifindexp'. */
static bool
sysfs_is_ours(int sock, const char *name, int *ifindexp)
{
    char buf[64];
    struct ifreq ifr;
    struct eth_addr mac;

    if (sock < 0 || strlen(name) >= sizeof ifr.ifr_name
        || !read_sysfs(name, "ifindex", buf, sizeof buf)) {
        return false;
    }
    int ifindex = atoi(buf);
    if (ifindex <= 0 || if_nametoindex(name) != (unsigned int) ifindex
        || !read_sysfs(name, "address", buf, sizeof buf)) {
        return false;
    }
    buf[strcspn(buf, "\n")] = '\0';
    if (!eth_addr_from_string(buf, &mac)) {
        return false;
    }
    memset(&ifr, 0, sizeof ifr);
    ovs_strzcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
    if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0
        || memcmp(ifr.ifr_hwaddr.sa_data, mac.ea, ETH_ADDR_LEN)) {
        return false;
    }
    *ifindexp = ifindex;
    return true;
}

/* (Re)opens 'dev' and reads its state with ETHTOOL_GLINK, with its
 * carrier_changes count from just before and after, so that later changes
 * of the count can be applied to a known state. */
static void
open_dev(int sock, struct carrier_dev *dev)
{
    if (dev->fd >= 0) {
        close(dev->fd);
        dev->fd = -1;
    }
    dev->state = query_glink(sock, dev->name);
    dev->next_check = time_msec() + REOPEN_MS;
    dev->next_glink = time_msec() + GLINK_INTERVAL_MS;
    if (dev->state == LIF_CARRIER_UNKNOWN
        || !sysfs_is_ours(sock, dev->name, &dev->ifindex)) {
        return;
    }

    char *path = xasprintf("%s/%s/carrier_changes", SYSFS_NET,
                           dev->name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        return;
    }
    for (int i = 0; i < 10; i++) {
        uint64_t before, after;
        if (!read_changes(fd, &before)) {
            break;
        }
        enum lif_carrier state = query_glink(sock, dev->name);
        if (!read_changes(fd, &after)) {
            break;
        }
        if (before == after && state != LIF_CARRIER_UNKNOWN) {
            dev->fd = fd;
            dev->changes = after;
            dev->state = state;
            VLOG_DBG("%s: polling sysfs carrier_changes", dev->name);
            return;
        }
    }
    close(fd);
}

static void
close_dev(struct hmap *devs, struct carrier_dev *dev)
{
    hmap_remove(devs, &dev->hmap_node);
    if (dev->fd >= 0) {
        close(dev->fd);
    }
    free(dev->name);
    free(dev);
}

/* Makes 'devs' the devices the main thread asked for.  Returns true if
 * they changed. */
static bool
sync_devs(int sock, struct hmap *devs, uint64_t *gen)
{
    struct sset names = SSET_INITIALIZER(&names);
    bool changed = false;

    ovs_mutex_lock(&mutex);
    if (devices_gen != *gen) {
        sset_clone(&names, &devices);
        *gen = devices_gen;
        changed = true;
    }
    ovs_mutex_unlock(&mutex);

    if (changed) {
        struct carrier_dev *dev;
        HMAP_FOR_EACH_SAFE (dev, hmap_node, devs) {
            if (!sset_contains(&names, dev->name)) {
                close_dev(devs, dev);
            }
        }
        const char *name;
        SSET_FOR_EACH (name, &names) {
            if (!find_dev(devs, name)) {
                dev = xzalloc(sizeof *dev);
                dev->name = xstrdup(name);
                dev->fd = -1;
                hmap_insert(devs, &dev->hmap_node, hash_string(name, 0));
                open_dev(sock, dev);
            }
        }
    }
    sset_destroy(&names);
    return changed;
}

/* Polls every device once.  Returns true if some device's state changed,
 * and adds the names of the changed devices to 'changed'. */
static bool
poll_devs(int sock, struct hmap *devs, long long int now,
          struct sset *changed)
{
    struct carrier_dev *dev;
    HMAP_FOR_EACH (dev, hmap_node, devs) {
        enum lif_carrier state = dev->state;
        uint64_t changes;

        if (dev->fd >= 0 && read_changes(dev->fd, &changes)) {
            if (changes != dev->changes) {
                /* Every change toggles the carrier: an odd number of
                 * them since the last read flips it.  (ETHTOOL_GLINK
                 * confirms it below.) */
                if ((changes - dev->changes) & 1) {
                    state = (state == LIF_CARRIER_UP ? LIF_CARRIER_DOWN
                             : LIF_CARRIER_UP);
                }
                dev->changes = changes;
            }
        } else if (dev->fd >= 0) {
            /* The device went away or was renamed. */
            open_dev(sock, dev);
            state = dev->state;
        } else if (now >= dev->next_glink) {
            state = query_glink(sock, dev->name);
            dev->next_glink = now + GLINK_INTERVAL_MS;
        }
        if (state != dev->state) {
            dev->state = state;
            sset_add(changed, dev->name);
        }
    }
    return !sset_is_empty(changed);
}

/* Publishes the states of 'devs' to the main thread, waking it if they
 * changed (or always, with 'force'). */
static void
publish(const struct hmap *devs, bool force)
{
    struct simap now = SIMAP_INITIALIZER(&now);
    const struct carrier_dev *dev;
    HMAP_FOR_EACH (dev, hmap_node, devs) {
        simap_put(&now, dev->name, dev->state);
    }

    ovs_mutex_lock(&mutex);
    if (force || !simap_equal(&now, &states)) {
        simap_swap(&now, &states);
        seq_change(carrier_seq);
    }
    ovs_mutex_unlock(&mutex);
    simap_destroy(&now);
}

static void
collect_down(const struct hmap *devs, struct sset *down)
{
    const struct carrier_dev *dev;
    HMAP_FOR_EACH (dev, hmap_node, devs) {
        if (dev->state == LIF_CARRIER_DOWN) {
            sset_add(down, dev->name);
        }
    }
}

/* Reacts to the devices in 'changed': the fast path first, then a check
 * of each with ETHTOOL_GLINK (which also flushes the kernel's pending link
 * event to ovs-vswitchd), then the main loop. */
static void
react(int sock, struct hmap *devs, struct sset *changed)
{
    struct sset down = SSET_INITIALIZER(&down);
    collect_down(devs, &down);
    failover_react(&down, changed);

    bool again = false;
    const char *name;
    SSET_FOR_EACH (name, changed) {
        struct carrier_dev *dev = find_dev(devs, name);
        enum lif_carrier state = query_glink(sock, name);
        if (state != LIF_CARRIER_UNKNOWN && state != dev->state) {
            /* A second change between the two reads: believe the ioctl,
             * and read the counter again as the base for later ones. */
            dev->state = state;
            if (dev->fd >= 0) {
                read_changes(dev->fd, &dev->changes);
            }
            again = true;
        }
    }
    if (again) {
        sset_clear(&down);
        collect_down(devs, &down);
        failover_react(&down, changed);
    }
    sset_destroy(&down);
    publish(devs, false);
}

static void
timespec_add_ns(struct timespec *ts, long long int ns)
{
    ts->tv_nsec += ns;
    while (ts->tv_nsec >= 1000000000) {
        ts->tv_nsec -= 1000000000;
        ts->tv_sec++;
    }
}

/* Sleeps until 'next' plus 'step_ns', on an absolute schedule.  When late
 * (a busy machine), the schedule restarts from now rather than catching up
 * with a burst of polls: the thread always sleeps. */
static void
sleep_until(struct timespec *next, long long int step_ns)
{
    struct timespec now;

    timespec_add_ns(next, step_ns);
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > next->tv_sec
        || (now.tv_sec == next->tv_sec && now.tv_nsec > next->tv_nsec)) {
        *next = now;
        timespec_add_ns(next, step_ns);
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL)
           == EINTR) {
        continue;
    }
}

/* Gives the calling thread the lowest real-time priority, when allowed: it
 * runs for microseconds every interval, and on a busy machine an ordinary
 * thread can wake several milliseconds late. */
static void
set_realtime(void)
{
    struct sched_param param = { .sched_priority = 1 };
    int error = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
    if (error) {
        VLOG_INFO("carrier thread keeps its normal priority (%s)",
                  ovs_strerror(error));
    }
}

static void *
carrier_main(void *arg OVS_UNUSED)
{
    struct hmap devs = HMAP_INITIALIZER(&devs);
    struct timespec next;
    long long int next_housekeeping = 0;
    uint64_t gen = UINT64_MAX;

    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        VLOG_ERR("socket failed (%s): carrier polling disabled",
                 ovs_strerror(errno));
    }

    set_realtime();
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        bool stop;
        atomic_read_relaxed(&exiting, &stop);
        if (stop) {
            break;
        }

        long long int now = time_msec();
        if (now >= next_housekeeping) {
            bool dirty = sync_devs(sock, &devs, &gen);
            struct carrier_dev *dev;
            HMAP_FOR_EACH (dev, hmap_node, &devs) {
                if (now < dev->next_check) {
                    continue;
                }
                /* A cheap identity check (opening sysfs files can take
                 * milliseconds): a device that was deleted makes the read
                 * of 'fd' fail, one that was renamed changes index. */
                if (dev->fd < 0
                    || if_nametoindex(dev->name) != (unsigned) dev->ifindex) {
                    enum lif_carrier old = dev->state;
                    open_dev(sock, dev);
                    dirty |= old != dev->state;
                } else {
                    dev->next_check = now + REOPEN_MS;
                }
            }
            if (dirty) {
                publish(&devs, false);
            }
            failover_run();
            next_housekeeping = now + HOUSEKEEPING_MS;
        }

        struct sset changed = SSET_INITIALIZER(&changed);
        if (poll_devs(sock, &devs, now, &changed)) {
            react(sock, &devs, &changed);
        }
        sset_destroy(&changed);

        sleep_until(&next, interval * 1000LL);
    }

    struct carrier_dev *dev;
    HMAP_FOR_EACH_SAFE (dev, hmap_node, &devs) {
        close_dev(&devs, dev);
    }
    hmap_destroy(&devs);
    if (sock >= 0) {
        close(sock);
    }
    return NULL;
}

/* Starts polling every 'interval_us' microseconds (0 disables polling:
 * every device is then LIF_CARRIER_UNKNOWN, and there is no fast path).
 * Call once, after daemonizing. */
void
carrier_init(int interval_us)
{
    carrier_seq = seq_create();
    interval = interval_us;
    if (interval > 0) {
        atomic_store(&exiting, false);
        thread = ovs_thread_create("carrier", carrier_main, NULL);
    }
}

/* Stops the poller. */
void
carrier_destroy(void)
{
    if (interval > 0) {
        atomic_store(&exiting, true);
        xpthread_join(thread, NULL);
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
        devices_gen++;
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

/* Returns the polling interval in microseconds, 0 if disabled. */
int
carrier_get_interval(void)
{
    return interval;
}
