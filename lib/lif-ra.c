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

#include "lif-ra.h"

#include <inttypes.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "util.h"

/* RFC 4191 section 2.2: the Default Router Preference, bits 4 and 3 of the
 * flags byte that also holds M and O. */
#define RA_PRF_SHIFT 3
#define RA_PRF_MASK 0x3
#define RA_PRF_HIGH 0x1
#define RA_PRF_LOW 0x3

/* Returns true if 'nxt' is an IPv6 extension header (RFC 8200 section 4 and
 * IANA's "IPv6 Extension Header Types" registry). */
static bool
is_ipv6_extension_header(uint8_t nxt)
{
    switch (nxt) {
    case IPPROTO_HOPOPTS:
    case IPPROTO_ROUTING:
    case IPPROTO_FRAGMENT:
    case IPPROTO_ESP:
    case IPPROTO_AH:
    case IPPROTO_DSTOPTS:
    case 135:                   /* Mobility. */
    case 139:                   /* Host Identity Protocol. */
    case 140:                   /* Shim6. */
    case 253:                   /* Experimentation and testing. */
    case 254:
        return true;
    default:
        return false;
    }
}

/* Returns true if 'a' is in fe80::/10. */
static bool
is_link_local(const struct in6_addr *a)
{
    return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

/* Reads the Prefix Information option at 'opt' (ND_PREFIX_OPT_LEN bytes)
 * into 'ra', or counts it as ignored if RFC 4862 section 5.5.3 says to
 * ignore it, if its prefix length is impossible, or if 'ra' is full. */
static void
parse_prefix_opt(const uint8_t *opt, struct lif_ra *ra)
{
    struct ovs_nd_prefix_opt pio;
    memcpy(&pio, opt, sizeof pio);

    uint32_t valid = ntohl(get_16aligned_be32(&pio.valid_lifetime));
    uint32_t preferred = ntohl(get_16aligned_be32(&pio.preferred_lifetime));
    if (pio.prefix_len > 128 || preferred > valid) {
        ra->n_prefixes_ignored++;
        return;
    }

    struct in6_addr prefix, mask;
    memcpy(&prefix, &pio.prefix, sizeof prefix);
    mask = ipv6_create_mask(pio.prefix_len);
    prefix = ipv6_addr_bitand(&prefix, &mask);
    if (is_link_local(&prefix) || ra->n_prefixes >= LIF_RA_MAX_PREFIXES) {
        ra->n_prefixes_ignored++;
        return;
    }

    struct lif_ra_prefix *p = &ra->prefixes[ra->n_prefixes++];
    p->prefix = prefix;
    p->plen = pio.prefix_len;
    p->on_link = (pio.la_flags & ND_OPT_PI_FLAG_ONLINK) != 0;
    p->autonomous = (pio.la_flags & ND_OPT_PI_FLAG_AUTO) != 0;
    p->valid = valid;
    p->preferred = preferred;
}

/* Reads the options of the Router Advertisement whose ICMPv6 message is the
 * 'size' bytes at 'icmp' into 'ra'.  Returns NULL if they are well formed,
 * otherwise why not. */
static const char *
parse_options(const uint8_t *icmp, size_t size, struct lif_ra *ra)
{
    bool have_mtu = false;
    size_t ofs = RA_MSG_LEN;

    while (ofs < size) {
        const uint8_t *opt = icmp + ofs;
        size_t left = size - ofs;
        if (left < 2) {
            return "truncated option header";
        }
        size_t opt_size = opt[1] * 8;
        if (!opt_size) {
            return "option with length 0";
        }
        if (opt_size > left) {
            return "option runs past the end of the packet";
        }

        switch (opt[0]) {
        case ND_OPT_SOURCE_LINKADDR:
            if (opt_size != ND_LLA_OPT_LEN) {
                return "bad source link-layer address option length";
            }
            if (ra->have_sllao) {
                return "several source link-layer address options";
            }
            ra->have_sllao = true;
            memcpy(&ra->sllao, opt + 2, sizeof ra->sllao);
            break;

        case ND_OPT_PREFIX_INFORMATION:
            if (opt_size != ND_PREFIX_OPT_LEN) {
                return "bad prefix information option length";
            }
            parse_prefix_opt(opt, ra);
            break;

        case ND_OPT_MTU:
            if (opt_size != ND_MTU_OPT_LEN) {
                return "bad MTU option length";
            }
            if (!have_mtu) {
                /* Like Linux, the first MTU option counts. */
                struct ovs_nd_mtu_opt mtu;
                memcpy(&mtu, opt, sizeof mtu);
                ra->mtu = ntohl(get_16aligned_be32(&mtu.mtu));
                have_mtu = true;
            }
            break;

        default:
            /* RFC 4861 section 4.6: unknown options are skipped. */
            break;
        }
        ofs += opt_size;
    }
    return NULL;
}

/* Parses the Ethernet frame 'frame' of 'len' bytes (untagged, as in a
 * packet-in) as a Router Advertisement, validated as RFC 4861 section 6.1.2
 * says, into 'ra'.  Trailing bytes beyond the IPv6 payload (Ethernet
 * padding) are ignored.  Returns NULL on success, otherwise a static string
 * that says why the frame is not a valid RA, in which case the contents of
 * 'ra' are unspecified and must not be trusted.
 *
 * Reads nothing beyond 'len' bytes and needs no alignment of 'frame'. */
const char *
lif_ra_parse(const void *frame, size_t len, struct lif_ra *ra)
{
    const uint8_t *p = frame;

    memset(ra, 0, sizeof *ra);

    /* Ethernet. */
    struct eth_header eh;
    if (len < sizeof eh) {
        return "truncated Ethernet header";
    }
    memcpy(&eh, p, sizeof eh);
    if (eh.eth_type == htons(ETH_TYPE_VLAN_8021Q)
        || eh.eth_type == htons(ETH_TYPE_VLAN_8021AD)) {
        return "VLAN-tagged frame";
    }
    if (eh.eth_type != htons(ETH_TYPE_IPV6)) {
        return "not IPv6";
    }
    ra->eth_src = eh.eth_src;
    p += sizeof eh;
    len -= sizeof eh;

    /* IPv6. */
    struct ovs_16aligned_ip6_hdr ip6;
    if (len < sizeof ip6) {
        return "truncated IPv6 header";
    }
    memcpy(&ip6, p, sizeof ip6);
    if (ip6.ip6_vfc >> 4 != 6) {
        return "IP version is not 6";
    }
    size_t size = ntohs(ip6.ip6_plen);
    if (size > len - sizeof ip6) {
        return "IPv6 payload length exceeds the frame";
    }
    if (ip6.ip6_nxt != IPPROTO_ICMPV6) {
        return (is_ipv6_extension_header(ip6.ip6_nxt)
                ? "IPv6 extension headers are not supported"
                : "not ICMPv6");
    }
    if (ip6.ip6_hlim != 255) {
        return "hop limit is not 255";
    }
    memcpy(&ra->ip6_src, &ip6.ip6_src, sizeof ra->ip6_src);
    if (!is_link_local(&ra->ip6_src)) {
        return "source address is not link-local";
    }
    p += sizeof ip6;

    /* ICMPv6 and the Router Advertisement's header. */
    if (size < ICMP6_HEADER_LEN) {
        return "truncated ICMPv6 header";
    }
    if (p[0] != ND_ROUTER_ADVERT) {
        return "not a Router Advertisement";
    }
    if (p[1] != 0) {
        return "ICMPv6 code is not 0";
    }
    if (size < RA_MSG_LEN) {
        return "Router Advertisement shorter than 16 bytes";
    }
    if (packet_csum_upperlayer6(&ip6, p, IPPROTO_ICMPV6, size)) {
        return "bad ICMPv6 checksum";
    }

    struct ovs_ra_msg msg;
    memcpy(&msg, p, RA_MSG_LEN);
    ra->cur_hop_limit = msg.cur_hop_limit;
    ra->managed = (msg.mo_flags & ND_RA_MANAGED_ADDRESS) != 0;
    ra->other = (msg.mo_flags & ND_RA_OTHER_CONFIG) != 0;
    int prf = (msg.mo_flags >> RA_PRF_SHIFT) & RA_PRF_MASK;
    ra->preference = (prf == RA_PRF_HIGH ? 1 : prf == RA_PRF_LOW ? -1 : 0);
    ra->router_lifetime = ntohs(msg.router_lifetime);
    ra->reachable_time = ntohl(msg.reachable_time);
    ra->retrans_timer = ntohl(msg.retrans_timer);

    return parse_options(p, size, ra);
}

/* Appends 'lifetime' to 's', in seconds or as "infinity". */
static void
format_lifetime(uint32_t lifetime, struct ds *s)
{
    if (lifetime == LIF_RA_INFINITY) {
        ds_put_cstr(s, "infinity");
    } else {
        ds_put_format(s, "%"PRIu32, lifetime);
    }
}

/* Appends to 's' a description of the parsed Router Advertisement 'ra',
 * several lines, each ending in a new-line. */
void
lif_ra_format(const struct lif_ra *ra, struct ds *s)
{
    ds_put_format(s, "eth_src="ETH_ADDR_FMT" ip6_src=",
                  ETH_ADDR_ARGS(ra->eth_src));
    ipv6_format_addr(&ra->ip6_src, s);
    if (ra->have_sllao) {
        ds_put_format(s, " sllao="ETH_ADDR_FMT, ETH_ADDR_ARGS(ra->sllao));
    }
    ds_put_format(s, "\ncur_hop_limit=%"PRIu8" managed=%s other=%s "
                  "preference=%s router_lifetime=%"PRIu16"\n",
                  ra->cur_hop_limit, ra->managed ? "yes" : "no",
                  ra->other ? "yes" : "no",
                  (ra->preference > 0 ? "high"
                   : ra->preference < 0 ? "low"
                   : "medium"),
                  ra->router_lifetime);
    ds_put_format(s, "reachable_time=%"PRIu32" retrans_timer=%"PRIu32
                  " mtu=%"PRIu32"\n",
                  ra->reachable_time, ra->retrans_timer, ra->mtu);
    for (size_t i = 0; i < ra->n_prefixes; i++) {
        const struct lif_ra_prefix *p = &ra->prefixes[i];
        ds_put_cstr(s, "prefix ");
        ipv6_format_addr(&p->prefix, s);
        ds_put_format(s, "/%"PRIu8" on_link=%s autonomous=%s valid=",
                      p->plen, p->on_link ? "yes" : "no",
                      p->autonomous ? "yes" : "no");
        format_lifetime(p->valid, s);
        ds_put_cstr(s, " preferred=");
        format_lifetime(p->preferred, s);
        ds_put_char(s, '\n');
    }
    ds_put_format(s, "prefixes_ignored=%"PRIuSIZE"\n",
                  ra->n_prefixes_ignored);
}

/* Composes into 'b' (whose contents are replaced) a Router Advertisement
 * from 'router_mac' and 'router_ll' to all nodes (ff02::1,
 * 33:33:00:00:00:01), hop limit 255, with router lifetime
 * 'router_lifetime' (0 withdraws the router), default router preference
 * 'preference' (RFC 4191: negative for low, 0 for medium, positive for
 * high), a source link-layer address option 'router_mac', an MTU option if
 * 'mtu' is nonzero, and one Prefix Information option for each of the 'n'
 * 'prefixes', with their own flags and lifetimes (a caller that deprecates a
 * prefix passes preferred = 0).  Current hop limit, M and O flags,
 * reachable time and retransmission timer are 0 (unspecified). */
void
lif_ra_compose_ra(struct dp_packet *b, struct eth_addr router_mac,
                  const struct in6_addr *router_ll,
                  uint16_t router_lifetime, int preference,
                  const struct lif_ra_prefix *prefixes, size_t n,
                  uint32_t mtu)
{
    struct eth_addr eth_dst;
    ipv6_multicast_to_ethernet(&eth_dst, &in6addr_all_hosts);

    int prf = (preference > 0 ? RA_PRF_HIGH
               : preference < 0 ? RA_PRF_LOW
               : 0);
    compose_nd_ra(b, router_mac, eth_dst, router_ll, &in6addr_all_hosts,
                  0, prf << RA_PRF_SHIFT, htons(router_lifetime),
                  htonl(0), htonl(0), mtu);

    for (size_t i = 0; i < n; i++) {
        const struct lif_ra_prefix *p = &prefixes[i];
        uint8_t flags = ((p->on_link ? ND_OPT_PI_FLAG_ONLINK : 0)
                         | (p->autonomous ? ND_OPT_PI_FLAG_AUTO : 0));
        ovs_be128 prefix;
        memcpy(&prefix, &p->prefix, sizeof prefix);
        packet_put_ra_prefix_opt(b, p->plen, flags, htonl(p->valid),
                                 htonl(p->preferred), prefix);
    }
}

/* Composes into 'b' (whose contents are replaced) a Router Solicitation
 * from the unspecified address, hence without a source link-layer address
 * option (RFC 4861 section 4.1), to all routers (ff02::2,
 * 33:33:00:00:00:02), with Ethernet source 'src_mac' and hop limit 255. */
void
lif_ra_compose_rs(struct dp_packet *b, struct eth_addr src_mac)
{
    struct eth_addr eth_dst;
    ipv6_multicast_to_ethernet(&eth_dst, &in6addr_all_routers);

    /* Type, code, checksum and 4 reserved bytes. */
    const size_t rs_size = ICMP6_DATA_HEADER_LEN;
    eth_compose(b, eth_dst, src_mac, ETH_TYPE_IPV6, IPV6_HEADER_LEN);
    struct icmp6_data_header *rs = compose_ipv6(b, IPPROTO_ICMPV6,
                                                &in6addr_any,
                                                &in6addr_all_routers,
                                                0, 0, 255, rs_size);
    rs->icmp6_base.icmp6_type = ND_ROUTER_SOLICIT;
    rs->icmp6_base.icmp6_code = 0;
    rs->icmp6_base.icmp6_cksum = 0;
    uint32_t csum = packet_csum_pseudoheader6(dp_packet_l3(b));
    rs->icmp6_base.icmp6_cksum = csum_finish(csum_continue(csum, rs,
                                                           rs_size));
}

/* Composes into 'b' (whose contents are replaced) an unsolicited Neighbor
 * Advertisement (RFC 4861 section 7.2.6) for 'target' with 'mac': from
 * 'target' and 'mac' to all nodes (ff02::1, 33:33:00:00:00:01), hop limit
 * 255, Override flag set, Router and Solicited flags clear, and a target
 * link-layer address option 'mac'. */
void
lif_ra_compose_unsolicited_na(struct dp_packet *b, struct eth_addr mac,
                              const struct in6_addr *target)
{
    struct eth_addr eth_dst;
    ipv6_multicast_to_ethernet(&eth_dst, &in6addr_all_hosts);
    compose_nd_na(b, mac, eth_dst, target, &in6addr_all_hosts,
                  htonl(ND_RSO_OVERRIDE));
}
