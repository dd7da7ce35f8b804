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

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dp-packet.h"
#include "lif-ra.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

/* libFuzzer target for lif_ra_parse() ("make fuzz-run" in the build
 * directory).  Every input is parsed; an input that parses must satisfy what
 * the parser promises its callers and format without trouble, and an RA
 * composed from it with lif_ra_compose_ra() must parse back to the same
 * router and prefixes. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what a successful parse promises. */
static void
check_parsed(const struct lif_ra *ra)
{
    ovs_assert(ra->ip6_src.s6_addr[0] == 0xfe
               && (ra->ip6_src.s6_addr[1] & 0xc0) == 0x80);
    ovs_assert(ra->preference >= -1 && ra->preference <= 1);
    ovs_assert(ra->n_prefixes <= LIF_RA_MAX_PREFIXES);
    for (size_t i = 0; i < ra->n_prefixes; i++) {
        const struct lif_ra_prefix *p = &ra->prefixes[i];
        struct in6_addr mask = ipv6_create_mask(p->plen);
        struct in6_addr masked = ipv6_addr_bitand(&p->prefix, &mask);

        ovs_assert(p->plen <= 128);
        ovs_assert(p->preferred <= p->valid);
        ovs_assert(ipv6_addr_equals(&masked, &p->prefix));
        ovs_assert(!(p->prefix.s6_addr[0] == 0xfe
                     && (p->prefix.s6_addr[1] & 0xc0) == 0x80));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lif_ra ra;
    if (lif_ra_parse(data, size, &ra)) {
        return 0;
    }
    check_parsed(&ra);

    /* What lif-controller logs about an RA must not crash either. */
    struct ds s = DS_EMPTY_INITIALIZER;
    lif_ra_format(&ra, &s);
    ovs_assert(s.length > 0);
    ds_destroy(&s);

    struct dp_packet *b = dp_packet_new(0);
    lif_ra_compose_ra(b, ra.eth_src, &ra.ip6_src, ra.router_lifetime,
                      ra.preference, ra.prefixes, ra.n_prefixes, ra.mtu);

    struct lif_ra ra2;
    const char *error = lif_ra_parse(dp_packet_data(b), dp_packet_size(b),
                                     &ra2);
    if (error) {
        ovs_abort(0, "composed RA does not parse: %s", error);
    }
    check_parsed(&ra2);
    ovs_assert(eth_addr_equals(ra2.eth_src, ra.eth_src));
    ovs_assert(ra2.have_sllao && eth_addr_equals(ra2.sllao, ra.eth_src));
    ovs_assert(ipv6_addr_equals(&ra2.ip6_src, &ra.ip6_src));
    ovs_assert(ra2.router_lifetime == ra.router_lifetime);
    ovs_assert(ra2.preference == ra.preference);
    ovs_assert(ra2.mtu == ra.mtu);
    ovs_assert(ra2.n_prefixes == ra.n_prefixes);
    ovs_assert(!ra2.n_prefixes_ignored);
    for (size_t i = 0; i < ra.n_prefixes; i++) {
        const struct lif_ra_prefix *p = &ra.prefixes[i];
        const struct lif_ra_prefix *q = &ra2.prefixes[i];
        ovs_assert(ipv6_addr_equals(&p->prefix, &q->prefix));
        ovs_assert(p->plen == q->plen);
        ovs_assert(p->on_link == q->on_link);
        ovs_assert(p->autonomous == q->autonomous);
        ovs_assert(p->valid == q->valid);
        ovs_assert(p->preferred == q->preferred);
    }
    dp_packet_delete(b);
    return 0;
}
