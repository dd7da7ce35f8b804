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

/* The ICMPv6 header of RS, NS and NA: type, code, checksum, and 4 bytes of
 * flags or reserved. */
#define ND_HEADER_SIZE 8

/* If 'packet' is a Router Solicitation, Neighbor Solicitation or Neighbor
 * Advertisement, makes it carry 'mac' instead of the host's link-layer
 * address: as the Ethernet source and in every source or target
 * link-layer address option, whatever its length (the first 6 bytes of the
 * option's body become 'mac', the rest zeros), with the ICMPv6 checksum
 * recomputed.  Returns true if 'packet' was such a packet with well-formed
 * options, false otherwise, in which case 'packet' is unchanged and should
 * not be sent.
 *
 * In ND packets from the host every link-layer address option names the
 * host itself.  OVS's nd_sll and nd_tll actions rewrite only the first
 * option of length 1 and none in Router Solicitations, so for accesses
 * with their own link-layer address (RFC 7847 section 5.4) lif-controller
 * rewrites them all, so that the LIF's MAC never leaves through them. */
bool
lif_nd_rewrite_lladdr(struct dp_packet *packet, const struct eth_addr mac)
{
    struct flow flow;

    flow_extract(packet, &flow);
    if (flow.dl_type != htons(ETH_TYPE_IPV6)
        || flow.nw_proto != IPPROTO_ICMPV6
        || flow.tp_dst != htons(0)) {
        return false;
    }

    size_t first_option;
    switch (ntohs(flow.tp_src)) {
    case ND_ROUTER_SOLICIT:
        first_option = ND_HEADER_SIZE;
        break;
    case ND_NEIGHBOR_SOLICIT:
    case ND_NEIGHBOR_ADVERT:
        first_option = ND_HEADER_SIZE + sizeof(struct in6_addr);
        break;
    default:
        return false;
    }

    uint8_t *l4 = dp_packet_l4(packet);
    size_t size = dp_packet_l4_size(packet);
    if (!l4 || !dp_packet_l3(packet) || size < first_option) {
        return false;
    }

    /* Check every option before changing anything. */
    size_t ofs = first_option;
    while (ofs < size) {
        if (size - ofs < 2) {
            return false;
        }
        size_t opt_size = l4[ofs + 1] * 8;
        if (!opt_size || opt_size > size - ofs) {
            return false;
        }
        ofs += opt_size;
    }

    for (ofs = first_option; ofs < size; ofs += l4[ofs + 1] * 8) {
        if (l4[ofs] == ND_OPT_SOURCE_LINKADDR
            || l4[ofs] == ND_OPT_TARGET_LINKADDR) {
            size_t body = l4[ofs + 1] * 8 - 2;
            memset(&l4[ofs + 2], 0, body);
            memcpy(&l4[ofs + 2], &mac, MIN(body, sizeof mac));
        }
    }

    struct icmp6_header *icmp = (struct icmp6_header *) l4;
    icmp->icmp6_cksum = 0;
    icmp->icmp6_cksum = packet_csum_upperlayer6(dp_packet_l3(packet), l4,
                                                IPPROTO_ICMPV6, size);
    struct eth_header *eh = dp_packet_eth(packet);
    eh->eth_src = mac;
    return true;
}
