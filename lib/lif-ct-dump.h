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

#ifndef LIF_CT_DUMP_H
#define LIF_CT_DUMP_H 1

/* lif-ct-dump: the reflective flows of the FLOW table, read from the lines
 * of "ovs-appctl dpctl/dump-conntrack -s zone=Z" (the format of OVS's
 * ct_dpif_format_entry()), for example:
 *
 *   udp,orig=(src=2001:db8:5::1,dst=2001:db8:1::10,sport=53,dport=5000),
 *   reply=(src=2001:db8:1::10,dst=2001:db8:5::1,sport=5000,dport=53),
 *   zone=61441,timeout=29,mark=3
 *
 * (one line).  Pure functions: no I/O, no global state. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "openvswitch/compiler.h"

struct ds;

/* One direction of a conntrack entry. */
struct lif_ct_tuple {
    struct in6_addr src, dst;   /* IPv4 as IPv4-mapped IPv6. */
    uint16_t sport, dport;      /* Ports (not for ICMP). */
    uint16_t icmp_id;           /* ICMP only. */
    uint8_t icmp_type, icmp_code;
};

/* One conntrack entry. */
struct lif_ct_entry {
    bool ipv6;                  /* Else IPv4. */
    uint8_t ip_proto;
    struct lif_ct_tuple orig, reply;
    uint16_t zone;              /* 0 if the line names none. */
    uint32_t mark;              /* ct_mark, 0 if the line names none. */
    uint32_t timeout;           /* Seconds left, 0 if the line names none. */
};

char *lif_ct_dump_parse_line(const char *line, struct lif_ct_entry *)
    OVS_WARN_UNUSED_RESULT;

uint16_t lif_ct_entry_port(const struct lif_ct_entry *);
const struct lif_ct_tuple *lif_ct_entry_host_tuple(
    const struct lif_ct_entry *);
void lif_ct_entry_format_host_match(const struct lif_ct_entry *,
                                    struct ds *);

/* A bounded selection of the reflective entries of a dump: those with the
 * most time left (the most recently active), at most 'limit', in a
 * min-heap by timeout, so that memory stays bounded however large the
 * dump. */
struct lif_ct_top {
    struct lif_ct_entry *heap;
    size_t n, limit;
    size_t n_offered;           /* Entries offered in all. */
};

void lif_ct_top_init(struct lif_ct_top *, size_t limit);
void lif_ct_top_destroy(struct lif_ct_top *);
void lif_ct_top_clear(struct lif_ct_top *, size_t limit);
void lif_ct_top_swap(struct lif_ct_top *, struct lif_ct_top *);
void lif_ct_top_offer(struct lif_ct_top *, const struct lif_ct_entry *);
void lif_ct_top_sort(struct lif_ct_top *);

#endif /* lif-ct-dump.h */
