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

#include "lif-nd.h"

#include <netinet/in.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "packets.h"

/* If 'packet' is a Router Solicitation, makes it carry 'mac' instead of the
 * host's link-layer address: as the Ethernet source and in its source
 * link-layer address option, with the ICMPv6 checksum updated.  Returns
 * true if 'packet' was a well-formed Router Solicitation (with or without
 * the option), false otherwise, in which case 'packet' is unchanged.
 *
 * OVS can rewrite that option in Neighbor Solicitations (nd_sll) but not in
 * Router Solicitations, so lif-controller does it for accesses with their
 * own link-layer address (RFC 7847 section 5.4). */
bool
lif_nd_rewrite_rs(struct dp_packet *packet, const struct eth_addr mac)
{
    struct flow flow;

    flow_extract(packet, &flow);
    if (flow.dl_type != htons(ETH_TYPE_IPV6)
        || flow.nw_proto != IPPROTO_ICMPV6
        || flow.tp_src != htons(ND_ROUTER_SOLICIT)
        || flow.tp_dst != htons(0)) {
        return false;
    }

    uint8_t *l4 = dp_packet_l4(packet);
    size_t size = dp_packet_l4_size(packet);
    const size_t rs_size = 8;   /* Type, code, checksum, reserved. */
    if (!l4 || size < rs_size) {
        return false;
    }

    /* Check every option before changing anything. */
    size_t sllao = 0;
    size_t ofs = rs_size;
    while (ofs < size) {
        if (size - ofs < 2) {
            return false;
        }
        size_t opt_size = l4[ofs + 1] * 8;
        if (!opt_size || opt_size > size - ofs) {
            return false;
        }
        if (l4[ofs] == ND_OPT_SOURCE_LINKADDR && opt_size == ND_LLA_OPT_LEN) {
            sllao = ofs;
        }
        ofs += opt_size;
    }

    if (sllao) {
        struct icmp6_header *icmp = (struct icmp6_header *) l4;
        struct eth_addr old;

        memcpy(&old, &l4[sllao + 2], sizeof old);
        icmp->icmp6_cksum = recalc_csum48(icmp->icmp6_cksum, old, mac);
        memcpy(&l4[sllao + 2], &mac, sizeof mac);
    }
    struct eth_header *eh = dp_packet_eth(packet);
    eh->eth_src = mac;
    return true;
}
