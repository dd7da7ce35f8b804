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

#include "subif-isolation.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dirs.h"
#include "lif-model.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "simap.h"
#include "smap.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(subif_isolation);

/* How often, in ms, the settings of isolated devices are checked again (and
 * their IPv4 addresses looked up for the error report), also when nothing
 * in the database changed. */
#define CHECK_INTERVAL 5000

/* A per-device sysctl this module sets.  'key' names it in the state file
 * and in log messages. */
struct isolation_setting {
    const char *family;         /* "ipv4" or "ipv6". */
    const char *key;            /* Name under /proc/sys/net/FAMILY/conf/DEV. */
    const char *value;          /* Value while isolated. */
};

/* IPv4 first: while IPv6 is still enabled the order does not matter, and
 * on restore, IPv6 (which makes the kernel send RS/MLD) comes back last. */
static const struct isolation_setting settings[] = {
    { "ipv4", "arp_ignore", "8" },
    { "ipv4", "rp_filter", "1" },
    { "ipv6", "disable_ipv6", "1" },
};

/* A device this module has isolated, with the values it found before. */
struct isolated_dev {
    char *name;
    int ifindex;                /* Kernel ifindex when isolated. */
    struct smap originals;      /* "family.key" -> original value.  A
                                 * setting the kernel does not have (IPv6
                                 * disabled at boot) is absent. */
};

static char *state_file;
static struct shash isolated = SHASH_INITIALIZER(&isolated);
static struct shash errors = SHASH_INITIALIZER(&errors); /* Name -> svec. */
static struct simap last_wanted = SIMAP_INITIALIZER(&last_wanted);
static long long int next_check = LLONG_MIN;

static void
setting_path(const struct isolation_setting *s, const char *dev,
             char *path, size_t size)
{
    snprintf(path, size, "/proc/sys/net/%s/conf/%s/%s", s->family, dev,
             s->key);
}

static void
setting_name(const struct isolation_setting *s, char *name, size_t size)
{
    snprintf(name, size, "%s.%s", s->family, s->key);
}

/* Reads sysctl 's' of 'dev' into 'value' (at most 'size' - 1 characters,
 * without the newline).  Returns 0 or a positive errno value. */
static int
read_setting(const struct isolation_setting *s, const char *dev,
             char *value, size_t size)
{
    char path[128 + IF_NAMESIZE];
    setting_path(s, dev, path, sizeof path);

    FILE *f = fopen(path, "r");
    if (!f) {
        return errno;
    }
    int error = 0;
    if (!fgets(value, size, f)) {
        error = ferror(f) ? errno : EINVAL;
    } else {
        value[strcspn(value, " \t\n")] = '\0';
    }
    fclose(f);
    return error;
}

/* Writes 'value' to sysctl 's' of 'dev'.  Returns 0 or a positive errno
 * value. */
static int
write_setting(const struct isolation_setting *s, const char *dev,
              const char *value)
{
    char path[128 + IF_NAMESIZE];
    setting_path(s, dev, path, sizeof path);

    FILE *f = fopen(path, "w");
    if (!f) {
        return errno;
    }
    int error = fprintf(f, "%s\n", value) < 0 ? errno : 0;
    if (fclose(f) && !error) {
        error = errno;
    }
    return error;
}

static struct svec *
errors_for(const char *name)
{
    struct svec *svec = shash_find_data(&errors, name);
    if (!svec) {
        svec = xmalloc(sizeof *svec);
        svec_init(svec);
        shash_add(&errors, name, svec);
    }
    return svec;
}

static void
clear_errors(struct shash *map)
{
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, map) {
        svec_destroy(node->data);
        free(node->data);
        shash_delete(map, node);
    }
}

static bool
errors_equal(const struct shash *a, const struct shash *b)
{
    if (shash_count(a) != shash_count(b)) {
        return false;
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, a) {
        const struct svec *sa = node->data;
        const struct svec *sb = shash_find_data(b, node->name);
        if (!sb || !svec_equal(sa, sb)) {
            return false;
        }
    }
    return true;
}

static void
isolated_dev_destroy(struct isolated_dev *dev)
{
    if (dev) {
        free(dev->name);
        smap_destroy(&dev->originals);
        free(dev);
    }
}

/* ---- State file. ------------------------------------------------------
 *
 * One line per isolated device: "NAME IFINDEX family.key=value ...".
 * Device names never contain white space. */

static void
save_state(void)
{
    if (!state_file) {
        return;
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "# lif-controller: sub-interfaces isolated from the "
                "host IP stack, with their original settings.\n");
    const struct shash_node **nodes = shash_sort(&isolated);
    for (size_t i = 0; i < shash_count(&isolated); i++) {
        const struct isolated_dev *dev = nodes[i]->data;
        ds_put_format(&s, "%s %d", dev->name, dev->ifindex);
        const struct smap_node **sn = smap_sort(&dev->originals);
        for (size_t j = 0; j < smap_count(&dev->originals); j++) {
            ds_put_format(&s, " %s=%s", sn[j]->key, sn[j]->value);
        }
        free(sn);
        ds_put_char(&s, '\n');
    }
    free(nodes);

    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    char *tmp = xasprintf("%s.tmp", state_file);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        VLOG_WARN_RL(&rl, "%s: cannot create (%s); a device detached while "
                     "lif-controller is down will not get its settings "
                     "back", tmp, ovs_strerror(errno));
    } else {
        bool ok = fwrite(ds_cstr(&s), 1, s.length, f) == s.length;
        ok = !fclose(f) && ok;
        if (!ok || rename(tmp, state_file)) {
            VLOG_WARN_RL(&rl, "%s: cannot write (%s)", state_file,
                         ovs_strerror(errno));
            unlink(tmp);
        }
    }
    free(tmp);
    ds_destroy(&s);
}

static void
load_state(void)
{
    FILE *f = fopen(state_file, "r");
    if (!f) {
        if (errno != ENOENT) {
            VLOG_WARN("%s: cannot read (%s)", state_file,
                      ovs_strerror(errno));
        }
        return;
    }

    struct ds line = DS_EMPTY_INITIALIZER;
    int line_number = 0;
    while (!ds_get_line(&line, f)) {
        line_number++;
        char *save_ptr = NULL;
        char *name = strtok_r(ds_cstr(&line), " \t", &save_ptr);
        if (!name || name[0] == '#') {
            continue;
        }
        char *ifindex_s = strtok_r(NULL, " \t", &save_ptr);
        int ifindex;
        if (!ifindex_s || !str_to_int(ifindex_s, 10, &ifindex)
            || ifindex <= 0 || strlen(name) >= IF_NAMESIZE
            || shash_find(&isolated, name)) {
            VLOG_WARN("%s:%d: ignoring bad line", state_file, line_number);
            continue;
        }

        struct isolated_dev *dev = xzalloc(sizeof *dev);
        dev->name = xstrdup(name);
        dev->ifindex = ifindex;
        smap_init(&dev->originals);
        for (char *kv = strtok_r(NULL, " \t", &save_ptr); kv;
             kv = strtok_r(NULL, " \t", &save_ptr)) {
            char *eq = strchr(kv, '=');
            if (!eq) {
                continue;
            }
            *eq = '\0';
            /* Keep only settings this module knows, so a corrupt file
             * cannot make it write arbitrary files. */
            for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
                char key[64];
                setting_name(&settings[i], key, sizeof key);
                if (!strcmp(key, kv) && strlen(eq + 1) < 16) {
                    smap_replace(&dev->originals, key, eq + 1);
                }
            }
        }
        shash_add(&isolated, dev->name, dev);
    }
    ds_destroy(&line);
    fclose(f);

    if (!shash_is_empty(&isolated)) {
        VLOG_INFO("%s: %"PRIuSIZE" isolated sub-interface(s) from a "
                  "previous run", state_file, shash_count(&isolated));
    }
}

/* ---- Isolating and restoring. ------------------------------------------ */

/* Returns the IPv4 addresses ("A.B.C.D/LEN") of every device, by name. */
static void
get_ipv4_addrs(struct shash *addrs)
{
    struct ifaddrs *ifa_list;
    if (getifaddrs(&ifa_list)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "getifaddrs failed (%s)", ovs_strerror(errno));
        return;
    }
    for (struct ifaddrs *ifa = ifa_list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_name || !ifa->ifa_addr
            || ifa->ifa_addr->sa_family != AF_INET) {
            continue;
        }
        const struct sockaddr_in *sin = ALIGNED_CAST(
            const struct sockaddr_in *, ifa->ifa_addr);
        char addr[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
        int plen = 32;
        if (ifa->ifa_netmask) {
            const struct sockaddr_in *mask = ALIGNED_CAST(
                const struct sockaddr_in *, ifa->ifa_netmask);
            plen = ip_count_cidr_bits(mask->sin_addr.s_addr);
        }
        struct svec *svec = shash_find_data(addrs, ifa->ifa_name);
        if (!svec) {
            svec = xmalloc(sizeof *svec);
            svec_init(svec);
            shash_add(addrs, ifa->ifa_name, svec);
        }
        svec_add_nocopy(svec, xasprintf("%s/%d", addr, plen));
    }
    freeifaddrs(ifa_list);
}

/* Makes sure 'name' (kernel 'ifindex') is isolated, recording its original
 * settings the first time.  Adds what it cannot fix to 'errs'. */
static bool
isolate(const char *name, int ifindex, const struct svec *ipv4_addrs,
        struct svec *errs)
{
    bool changed = false;
    struct isolated_dev *dev = shash_find_data(&isolated, name);
    if (dev && dev->ifindex != ifindex) {
        /* Deleted and created again under the same name: the saved values
         * belonged to the old device. */
        VLOG_INFO("%s: device was recreated (ifindex %d, was %d)", name,
                  ifindex, dev->ifindex);
        shash_find_and_delete(&isolated, name);
        isolated_dev_destroy(dev);
        dev = NULL;
    }
    bool first = !dev;
    if (first) {
        dev = xzalloc(sizeof *dev);
        dev->name = xstrdup(name);
        dev->ifindex = ifindex;
        smap_init(&dev->originals);
        for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
            char key[64], value[32];
            setting_name(&settings[i], key, sizeof key);
            if (!read_setting(&settings[i], name, value, sizeof value)) {
                smap_add(&dev->originals, key, value);
            }
        }
        shash_add(&isolated, name, dev);
        changed = true;
    }

    struct ds applied = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
        const struct isolation_setting *s = &settings[i];
        char key[64], value[32];
        setting_name(s, key, sizeof key);
        int error = read_setting(s, name, value, sizeof value);
        if (error == ENOENT && !strcmp(s->family, "ipv6")) {
            /* IPv6 is disabled in this kernel or namespace. */
            continue;
        }
        if (!error && !strcmp(value, s->value)) {
            continue;
        }
        if (!error) {
            error = write_setting(s, name, s->value);
        }
        if (error) {
            svec_add_nocopy(errs, xasprintf(
                                "cannot set net.%s.conf.%s.%s=%s (%s); the "
                                "device stays visible to the host stack",
                                s->family, name, s->key, s->value,
                                ovs_strerror(error)));
            continue;
        }
        if (!first) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: net.%s.conf.%s.%s was changed to %s "
                         "while the device is a sub-interface; setting it "
                         "to %s again", name, s->family, name, s->key,
                         value, s->value);
        }
        ds_put_format(&applied, " %s=%s", key, s->value);
    }
    if (first) {
        VLOG_INFO("%s: isolated from the host IP stack:%s", name,
                  applied.length ? ds_cstr(&applied) : " (already)");
    }
    ds_destroy(&applied);

    for (size_t i = 0; ipv4_addrs && i < ipv4_addrs->n; i++) {
        svec_add_nocopy(errs, xasprintf(
                            "device has IPv4 address %s configured; it stays "
                            "visible to the host stack (remove the address: "
                            "the LIF holds the host's addresses)",
                            ipv4_addrs->names[i]));
    }
    return changed;
}

/* Writes back the original settings of 'dev', if the device still exists.
 * Returns true if 'dev' can be forgotten. */
static bool
restore(const struct isolated_dev *dev)
{
    unsigned int ifindex = if_nametoindex(dev->name);
    if (!ifindex || ifindex != (unsigned int) dev->ifindex) {
        VLOG_INFO("%s: no longer a sub-interface and %s; forgetting its "
                  "saved settings", dev->name,
                  ifindex ? "recreated since" : "gone");
        return true;
    }

    bool ok = true;
    struct ds restored = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
        const struct isolation_setting *s = &settings[i];
        char key[64];
        setting_name(s, key, sizeof key);
        const char *orig = smap_get(&dev->originals, key);
        if (!orig) {
            continue;
        }
        int error = write_setting(s, dev->name, orig);
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: cannot restore net.%s.conf.%s.%s=%s (%s)",
                         dev->name, s->family, dev->name, s->key, orig,
                         ovs_strerror(error));
            ok = false;
        } else {
            ds_put_format(&restored, " %s=%s", key, orig);
        }
    }
    if (ok) {
        VLOG_INFO("%s: no longer a sub-interface; restored:%s", dev->name,
                  ds_cstr(&restored));
    }
    ds_destroy(&restored);
    return ok;
}

/* ---- Public interface. -------------------------------------------------- */

/* Reads the state file left by a previous lif-controller, so that devices
 * that left their LIF in the meantime get their settings back at the first
 * subif_isolation_run(). */
void
subif_isolation_init(void)
{
    free(state_file);
    state_file = xasprintf("%s/lif-controller.isolation", ovs_rundir());
    load_state();
    next_check = LLONG_MIN;
}

/* Registers the Open_vSwitch column this module reads besides the model's:
 * Interface "ifindex", which tells which devices ovs-vswitchd opened in the
 * kernel. */
void
subif_isolation_register_columns(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_ifindex);
}

/* Isolates every sub-interface of every usable LIF in 'model' that is a
 * kernel device in this network namespace, and restores the devices that
 * are no longer sub-interfaces.  Cheap when nothing changed: the kernel is
 * looked at only when the set of sub-interfaces changes and every few
 * seconds.  Call it only with complete database contents (an empty model
 * restores every device).
 *
 * Returns true if the errors subif_isolation_get_errors() reports changed,
 * so that the caller can refresh its status. */
bool
subif_isolation_run(const struct lif_model *model,
                    const struct ovsdb_idl *ovs_idl)
{
    if (!state_file) {
        subif_isolation_init();
    }

    /* The devices to isolate, with their kernel ifindex. */
    struct simap wanted = SIMAP_INITIALIZER(&wanted);
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        if (!lif->usable) {
            continue;
        }
        for (size_t i = 0; i < lif->n_subifs; i++) {
            const struct lif_subif *subif = &lif->subifs[i];
            const struct ovsrec_interface *iface
                = ovsrec_interface_get_for_uuid(ovs_idl, &subif->uuid);
            if (!iface || !iface->n_ifindex || iface->ifindex[0] <= 0
                || iface->ifindex[0] > INT_MAX
                || strlen(subif->name) >= IF_NAMESIZE) {
                continue;
            }
            unsigned int ifindex = if_nametoindex(subif->name);
            if (ifindex && ifindex == iface->ifindex[0]) {
                simap_put(&wanted, subif->name, iface->ifindex[0]);
            }
        }
    }

    if (simap_equal(&wanted, &last_wanted) && time_msec() < next_check) {
        simap_destroy(&wanted);
        return false;
    }
    simap_swap(&wanted, &last_wanted);
    simap_destroy(&wanted);
    next_check = time_msec() + CHECK_INTERVAL;

    struct shash addrs = SHASH_INITIALIZER(&addrs);
    if (!simap_is_empty(&last_wanted)) {
        get_ipv4_addrs(&addrs);
    }

    struct shash old_errors = SHASH_INITIALIZER(&old_errors);
    shash_swap(&old_errors, &errors);

    bool dirty = false;
    const struct simap_node *sn;
    SIMAP_FOR_EACH (sn, &last_wanted) {
        struct svec errs = SVEC_EMPTY_INITIALIZER;
        dirty |= isolate(sn->name, sn->data, shash_find_data(&addrs,
                                                             sn->name),
                         &errs);
        if (errs.n) {
            struct svec *e = errors_for(sn->name);
            svec_swap(e, &errs);
            for (size_t i = 0; i < e->n; i++) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
                VLOG_WARN_RL(&rl, "%s: %s", sn->name, e->names[i]);
            }
        }
        svec_destroy(&errs);
    }

    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &isolated) {
        struct isolated_dev *dev = node->data;
        if (!simap_contains(&last_wanted, dev->name) && restore(dev)) {
            shash_delete(&isolated, node);
            isolated_dev_destroy(dev);
            dirty = true;
        }
    }
    if (dirty) {
        save_state();
    }

    bool changed = !errors_equal(&old_errors, &errors);
    clear_errors(&old_errors);
    shash_destroy(&old_errors);
    clear_errors(&addrs);
    shash_destroy(&addrs);
    return changed;
}

/* Arranges for poll_block() to wake up for the next periodic check. */
void
subif_isolation_wait(void)
{
    if (!simap_is_empty(&last_wanted) || !shash_is_empty(&isolated)) {
        poll_timer_wait_until(next_check);
    }
}

/* Frees memory.  Restores nothing: sub-interfaces stay attached and keep
 * forwarding while lif-controller is down, and the state file lets the next
 * one restore those that leave meanwhile. */
void
subif_isolation_destroy(void)
{
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &isolated) {
        isolated_dev_destroy(node->data);
        shash_delete(&isolated, node);
    }
    clear_errors(&errors);
    simap_clear(&last_wanted);
    free(state_file);
    state_file = NULL;
}

/* Appends to 'errs' the problems that keep sub-interface 'name' visible to
 * the host stack, as found by the last subif_isolation_run(). */
void
subif_isolation_get_errors(const char *name, struct svec *errs)
{
    const struct svec *e = shash_find_data(&errors, name);
    for (size_t i = 0; e && i < e->n; i++) {
        svec_add(errs, e->names[i]);
    }
}
