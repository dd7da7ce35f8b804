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

#include "lif-ct-dump.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-parse.h"
#include "packets.h"
#include "util.h"

/* The protocol names of ct_dpif_format_ipproto(). */
static const struct {
    const char *name;
    uint8_t proto;
} ct_protos[] = {
    { "icmp", IPPROTO_ICMP },
    { "icmpv6", IPPROTO_ICMPV6 },
    { "tcp", IPPROTO_TCP },
    { "udp", IPPROTO_UDP },
    { "sctp", IPPROTO_SCTP },
    { "udplite", IPPROTO_UDPLITE },
    { "dccp", IPPROTO_DCCP },
    { "igmp", IPPROTO_IGMP },
};

static bool
parse_proto(const char *s, uint8_t *proto)
{
    for (size_t i = 0; i < ARRAY_SIZE(ct_protos); i++) {
        if (!strcmp(s, ct_protos[i].name)) {
            *proto = ct_protos[i].proto;
            return true;
        }
    }
    unsigned int u;
    if (str_to_uint(s, 10, &u) && u <= UINT8_MAX) {
        *proto = u;
        return true;
    }
    return false;
}

static bool
is_icmp(uint8_t proto)
{
    return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

/* Whether the host's packets of 'proto' have ports an OpenFlow match can
 * name. */
static bool
has_of_ports(uint8_t proto)
{
    return (proto == IPPROTO_TCP || proto == IPPROTO_UDP
            || proto == IPPROTO_SCTP);
}

/* Parses 'value' (decimal) into '*u', at most 'max'. */
static char * OVS_WARN_UNUSED_RESULT
parse_uint(const char *key, const char *value, unsigned int max,
           unsigned int *u)
{
    if (!str_to_uint(value, 10, u) || *u > max) {
        return xasprintf("%s: \"%s\" is not an integer between 0 and %u",
                         key, value, max);
    }
    return NULL;
}

/* Parses an address into 'addr', telling IPv6 from IPv4 in '*ipv6'. */
static char * OVS_WARN_UNUSED_RESULT
parse_addr(const char *key, const char *value, struct in6_addr *addr,
           bool *ipv6)
{
    ovs_be32 ip4;
    if (strchr(value, ':')) {
        if (ipv6_parse(value, addr)) {
            *ipv6 = true;
            return NULL;
        }
    } else if (ip_parse(value, &ip4)) {
        in6_addr_set_mapped_ipv4(addr, ip4);
        *ipv6 = false;
        return NULL;
    }
    return xasprintf("%s: \"%s\" is not an IP address", key, value);
}

/* The fields of a tuple, as bits of the set that a tuple names. */
enum {
    T_SRC = 1 << 0,
    T_DST = 1 << 1,
    T_SPORT = 1 << 2,
    T_DPORT = 1 << 3,
    T_ID = 1 << 4,
    T_TYPE = 1 << 5,
    T_CODE = 1 << 6,
};

/* Parses the inside of "orig=(...)" or "reply=(...)", 's' (modified), for
 * 'proto', into 't'; '*ipv6' says whether its addresses are IPv6. */
static char * OVS_WARN_UNUSED_RESULT
parse_tuple(const char *what, char *s, uint8_t proto,
            struct lif_ct_tuple *t, bool *ipv6)
{
    unsigned int seen = 0;
    bool src_ipv6 = false, dst_ipv6 = false;
    char *key, *value;

    while (ofputil_parse_key_value(&s, &key, &value)) {
        static const char *names[] = {
            "src", "dst", "sport", "dport", "id", "type", "code",
        };
        unsigned int bit = 0;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcmp(key, names[i])) {
                bit = 1u << i;
            }
        }
        if (!bit) {
            /* "packets", "bytes" and whatever later versions add. */
            continue;
        }
        if (seen & bit) {
            return xasprintf("%s: %s appears twice", what, key);
        }
        seen |= bit;

        unsigned int u = 0;
        char *error = NULL;
        switch (bit) {
        case T_SRC:
            error = parse_addr(key, value, &t->src, &src_ipv6);
            break;
        case T_DST:
            error = parse_addr(key, value, &t->dst, &dst_ipv6);
            break;
        case T_SPORT:
        case T_DPORT:
        case T_ID:
            error = parse_uint(key, value, UINT16_MAX, &u);
            *(bit == T_SPORT ? &t->sport
              : bit == T_DPORT ? &t->dport : &t->icmp_id) = u;
            break;
        default:
            error = parse_uint(key, value, UINT8_MAX, &u);
            *(bit == T_TYPE ? &t->icmp_type : &t->icmp_code) = u;
            break;
        }
        if (error) {
            char *full = xasprintf("%s: %s", what, error);
            free(error);
            return full;
        }
    }

    unsigned int need = (T_SRC | T_DST
                         | (is_icmp(proto) ? T_ID | T_TYPE | T_CODE
                            : T_SPORT | T_DPORT));
    if ((seen & need) != need) {
        return xasprintf("%s: incomplete tuple", what);
    }
    if (src_ipv6 != dst_ipv6) {
        return xasprintf("%s: IPv4 and IPv6 addresses mixed", what);
    }
    *ipv6 = src_ipv6;
    return NULL;
}

/* Parses one line of "dpctl/dump-conntrack" output, 'line', into 'e'.
 * Returns NULL if successful, otherwise a malloc()'d error message (and 'e'
 * is unspecified).  Fields that later versions of OVS may add are ignored;
 * the protocol and both tuples are required. */
char *
lif_ct_dump_parse_line(const char *line, struct lif_ct_entry *e)
{
    char *copy = xstrdup(line);
    char *s = copy;
    char *key, *value;
    char *error = NULL;
    bool seen_orig = false, seen_reply = false;
    bool seen_zone = false, seen_mark = false, seen_timeout = false;
    bool orig_ipv6 = false, reply_ipv6 = false;

    memset(e, 0, sizeof *e);
    if (!ofputil_parse_key_value(&s, &key, &value)) {
        error = xstrdup("empty line");
        goto out;
    }
    if (*value || !parse_proto(key, &e->ip_proto)) {
        error = xasprintf("\"%s\" is not a protocol", key);
        goto out;
    }

    while (ofputil_parse_key_value(&s, &key, &value)) {
        bool is_orig = !strcmp(key, "orig");
        unsigned int u;

        if (is_orig || !strcmp(key, "reply")) {
            bool *seen = is_orig ? &seen_orig : &seen_reply;
            size_t len = strlen(value);
            if (*seen) {
                error = xasprintf("%s appears twice", key);
                goto out;
            }
            *seen = true;
            if (len < 2 || value[0] != '(' || value[len - 1] != ')') {
                error = xasprintf("%s: \"%s\" is not a parenthesized tuple",
                                  key, value);
                goto out;
            }
            value[len - 1] = '\0';
            error = parse_tuple(key, value + 1, e->ip_proto,
                                is_orig ? &e->orig : &e->reply,
                                is_orig ? &orig_ipv6 : &reply_ipv6);
        } else if (!strcmp(key, "zone") || !strcmp(key, "mark")
                   || !strcmp(key, "timeout")) {
            bool is_zone = key[0] == 'z';
            bool *seen = (is_zone ? &seen_zone
                          : key[0] == 'm' ? &seen_mark : &seen_timeout);
            if (*seen) {
                error = xasprintf("%s appears twice", key);
                goto out;
            }
            *seen = true;
            error = parse_uint(key, value, is_zone ? UINT16_MAX : UINT32_MAX,
                               &u);
            if (is_zone) {
                e->zone = u;
            } else if (key[0] == 'm') {
                e->mark = u;
            } else {
                e->timeout = u;
            }
        }
        /* Anything else (id, status, labels, protoinfo, helper, start,
         * stop, parent...) says nothing about the reflective flow. */
        if (error) {
            goto out;
        }
    }

    if (!seen_orig || !seen_reply) {
        error = xstrdup("the original or the reply tuple is missing");
    } else if (orig_ipv6 != reply_ipv6) {
        error = xstrdup("the tuples are of different address families");
    } else {
        e->ipv6 = orig_ipv6;
    }

out:
    free(copy);
    return error;
}

/* Returns the OpenFlow port of the sub-interface that 'e' names in its
 * ct_mark, 0 if none (not a reflective flow). */
uint16_t
lif_ct_entry_port(const struct lif_ct_entry *e)
{
    return e->mark & LIF_CT_MARK_PORT;
}

/* Returns the tuple of 'e' that describes the host's packets: the original
 * one if the host opened the flow, the reply one otherwise. */
const struct lif_ct_tuple *
lif_ct_entry_host_tuple(const struct lif_ct_entry *e)
{
    return e->mark & LIF_CT_MARK_HOST_ORIG ? &e->orig : &e->reply;
}

/* Appends to 'ds' the host's packets of 'e' in ovs-ofctl(8) flow syntax:
 * addresses, protocol and, for TCP, UDP and SCTP, ports.  ICMP echo's
 * identifier is not an OpenFlow field: an echo is addresses and protocol
 * only. */
void
lif_ct_entry_format_host_match(const struct lif_ct_entry *e, struct ds *ds)
{
    const struct lif_ct_tuple *t = lif_ct_entry_host_tuple(e);
    struct match match;

    match_init_catchall(&match);
    if (e->ipv6) {
        match_set_dl_type(&match, htons(ETH_TYPE_IPV6));
        match_set_ipv6_src(&match, &t->src);
        match_set_ipv6_dst(&match, &t->dst);
    } else {
        match_set_dl_type(&match, htons(ETH_TYPE_IP));
        match_set_nw_src(&match, in6_addr_get_mapped_ipv4(&t->src));
        match_set_nw_dst(&match, in6_addr_get_mapped_ipv4(&t->dst));
    }
    match_set_nw_proto(&match, e->ip_proto);
    if (has_of_ports(e->ip_proto)) {
        match_set_tp_src(&match, htons(t->sport));
        match_set_tp_dst(&match, htons(t->dport));
    }
    match_format(&match, NULL, ds, OFP_DEFAULT_PRIORITY);
}

/* Initializes 'top' to keep at most 'limit' entries. */
void
lif_ct_top_init(struct lif_ct_top *top, size_t limit)
{
    top->heap = xmalloc((limit + 1) * sizeof *top->heap);
    top->n = 0;
    top->limit = limit;
    top->n_offered = 0;
}

void
lif_ct_top_destroy(struct lif_ct_top *top)
{
    free(top->heap);
}

/* Empties 'top' and makes it keep at most 'limit' entries. */
void
lif_ct_top_clear(struct lif_ct_top *top, size_t limit)
{
    if (limit != top->limit) {
        lif_ct_top_destroy(top);
        lif_ct_top_init(top, limit);
    } else {
        top->n = top->n_offered = 0;
    }
}

/* Exchanges the contents of 'a' and 'b'. */
void
lif_ct_top_swap(struct lif_ct_top *a, struct lif_ct_top *b)
{
    struct lif_ct_top tmp = *a;
    *a = *b;
    *b = tmp;
}

/* Whether 'a' was less recently active than 'b'. */
static bool
less_recent(const struct lif_ct_entry *a, const struct lif_ct_entry *b)
{
    return a->timeout < b->timeout;
}

static void
heap_swap(struct lif_ct_entry *heap, size_t i, size_t j)
{
    struct lif_ct_entry tmp = heap[i];
    heap[i] = heap[j];
    heap[j] = tmp;
}

/* Offers 'e' to 'top': kept if 'top' has room or 'e' was more recently
 * active than the least recent entry 'top' keeps (which then goes). */
void
lif_ct_top_offer(struct lif_ct_top *top, const struct lif_ct_entry *e)
{
    struct lif_ct_entry *heap = top->heap;

    top->n_offered++;
    if (top->n < top->limit) {
        size_t i = top->n++;
        heap[i] = *e;
        while (i && less_recent(&heap[i], &heap[(i - 1) / 2])) {
            heap_swap(heap, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    } else if (top->n && less_recent(&heap[0], e)) {
        heap[0] = *e;
        for (size_t i = 0;;) {
            size_t min = i;
            size_t l = 2 * i + 1, r = 2 * i + 2;
            if (l < top->n && less_recent(&heap[l], &heap[min])) {
                min = l;
            }
            if (r < top->n && less_recent(&heap[r], &heap[min])) {
                min = r;
            }
            if (min == i) {
                break;
            }
            heap_swap(heap, i, min);
            i = min;
        }
    }
}

static int
compare_recent_first(const void *a_, const void *b_)
{
    const struct lif_ct_entry *a = a_;
    const struct lif_ct_entry *b = b_;
    return (a->timeout != b->timeout ? (a->timeout > b->timeout ? -1 : 1)
            : 0);
}

/* Sorts the entries of 'top', the most recently active first.  'top' is
 * no longer a heap: clear it before offering more. */
void
lif_ct_top_sort(struct lif_ct_top *top)
{
    if (top->n) {
        qsort(top->heap, top->n, sizeof *top->heap, compare_recent_first);
    }
}
