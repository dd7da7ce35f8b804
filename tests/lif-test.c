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

#include <errno.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "csum.h"
#include "dp-packet.h"
#include "flow.h"
#include "lif-cookie.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "lif-nd.h"
#include "lif-pipeline.h"
#include "lif-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "packets.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Unit tests for ovs-lif's pure functions, run from tests/lif-unit.at:
 * "lif-test COMMAND ARGS..." prints what the function computes. */

/* Reads flows "TABLE PRIORITY COOKIE MATCH ACTIONS" (MATCH "-" for none)
 * and groups "group ID SPEC" from 'file' into 'table'. */
static void
read_table(const char *file, struct lif_flow_table *table)
{
    FILE *stream = fopen(file, "r");
    if (!stream) {
        ovs_fatal(errno, "%s: open failed", file);
    }
    char line[1024];
    while (fgets(line, sizeof line, stream)) {
        char a[256], b[256], c[256], d[512], e[512];
        int n = sscanf(line, "%255s %255s %255s %511s %511s", a, b, c, d, e);
        char *error = NULL;
        if (n == 3 && !strcmp(a, "group")) {
            error = lif_flow_table_add_group(table, atoi(b), c);
        } else if (n == 5) {
            error = lif_flow_table_add_flow(table, atoi(a), atoi(b),
                                            strtoull(c, NULL, 0),
                                            strcmp(d, "-") ? d : "", e);
        } else if (n > 0) {
            ovs_fatal(0, "%s: bad line: %s", file, line);
        }
        if (error) {
            printf("error: %s\n", error);
            free(error);
        }
    }
    fclose(stream);
}

/* "diff INSTALLED DESIRED": prints the changes, in bundle order. */
static void
test_diff(struct ovs_cmdl_context *ctx)
{
    struct lif_flow_table installed, desired;
    lif_flow_table_init(&installed);
    lif_flow_table_init(&desired);
    read_table(ctx->argv[1], &installed);
    read_table(ctx->argv[2], &desired);

    struct lif_changes changes;
    lif_flow_table_diff(&installed, &desired, &changes);

    struct svec lines = SVEC_EMPTY_INITIALIZER;
    for (size_t i = 0; i < changes.n; i++) {
        const struct lif_change *c = &changes.changes[i];
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_format(&s, "%d %s ", (int) c->type,
                      lif_change_type_name(c->type));
        if (c->flow) {
            lif_flow_format(c->flow, &s);
        } else {
            lif_group_format(c->group, &s);
        }
        svec_add_nocopy(&lines, ds_steal_cstr(&s));
    }
    /* The diff's order within one kind of change is unspecified. */
    svec_sort(&lines);
    for (size_t i = 0; i < lines.n; i++) {
        puts(strchr(lines.names[i], ' ') + 1);
    }
    printf("equal: %s\n",
           lif_flow_table_equal(&installed, &desired) ? "yes" : "no");

    svec_destroy(&lines);
    lif_changes_destroy(&changes);
    lif_flow_table_destroy(&installed);
    lif_flow_table_destroy(&desired);
}

/* "canonical MATCH ACTIONS": prints a flow as stored. */
static void
test_canonical(struct ovs_cmdl_context *ctx)
{
    struct lif_flow_table table;
    lif_flow_table_init(&table);
    char *error = lif_flow_table_add_flow(&table, 0, 100, 0, ctx->argv[1],
                                          ctx->argv[2]);
    if (error) {
        printf("error: %s\n", error);
        free(error);
    } else {
        struct ds s = DS_EMPTY_INITIALIZER;
        lif_flow_table_format(&table, &s);
        fputs(ds_cstr(&s), stdout);
        ds_destroy(&s);
    }
    lif_flow_table_destroy(&table);
}

/* "pipeline [NAME:OFPORT:PRIORITY:LINK:CARRIER]...": builds a LIF with
 * ofport 1 and the given sub-interfaces (OFPORT 0 for none, LINK up|down,
 * CARRIER up|down|unknown) and prints its states and flows. */
static void
test_pipeline(struct ovs_cmdl_context *ctx)
{
    struct lif_logical lif;
    lif_logical_init(&lif, "lif0", "br0");
    lif.ofport = u16_to_ofp(1);
    uuid_zero(&lif.uuid);
    lif.uuid.parts[0] = 0xabcd;

    for (int i = 1; i < ctx->argc; i++) {
        char name[64], link[16], carrier[16];
        int ofport, priority;
        if (sscanf(ctx->argv[i], "%63[^:]:%d:%d:%15[^:]:%15s", name,
                   &ofport, &priority, link, carrier) != 5) {
            ovs_fatal(0, "bad sub-interface %s", ctx->argv[i]);
        }
        struct lif_subif *s = lif_logical_add_subif(&lif, name);
        s->ofport = ofport ? u16_to_ofp(ofport) : OFPP_NONE;
        s->priority = priority;
        s->link_up = !strcmp(link, "up");
        s->carrier = (!strcmp(carrier, "up") ? LIF_CARRIER_UP
                      : !strcmp(carrier, "down") ? LIF_CARRIER_DOWN
                      : LIF_CARRIER_UNKNOWN);
        s->uuid.parts[0] = i;
        s->mtu = 1500 - i * 10;
    }
    lif_logical_finish(&lif);

    printf("mtu %d\n", lif.mtu);
    for (size_t i = 0; i < lif.n_subifs; i++) {
        printf("%s %s\n", lif.subifs[i].name,
               lif_subif_state_to_string(lif.subifs[i].state));
    }

    struct lif_flow_table table;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    lif_flow_table_init(&table);
    lif_pipeline_build(&lif, &table, &errors);
    for (size_t i = 0; i < errors.n; i++) {
        printf("error: %s\n", errors.names[i]);
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    lif_flow_table_format(&table, &s);
    fputs(ds_cstr(&s), stdout);

    ds_destroy(&s);
    svec_destroy(&errors);
    lif_flow_table_destroy(&table);
    lif_logical_destroy(&lif);
}

/* "vll-id SYSTEM-ID NAME": prints the derived VLL-ID ("-" for no
 * system-id). */
static void
test_vll_id(struct ovs_cmdl_context *ctx)
{
    struct eth_addr ea;
    lif_vll_id_derive(strcmp(ctx->argv[1], "-") ? ctx->argv[1] : NULL,
                      ctx->argv[2], &ea);
    printf(ETH_ADDR_FMT" %s %s\n", ETH_ADDR_ARGS(ea),
           eth_addr_is_multicast(ea) ? "multicast" : "unicast",
           ea.ea[0] & 0x02 ? "local" : "global");
}

/* Returns the ICMPv6 checksum that the IPv6 packet in 'p' should have, given
 * that its l3 and l4 offsets are set. */
static ovs_be16
icmp6_checksum(const struct dp_packet *p, ovs_be16 *in_packet)
{
    const struct ovs_16aligned_ip6_hdr *ip6 = dp_packet_l3(p);
    struct icmp6_header *icmp = dp_packet_l4(p);
    size_t size = dp_packet_l4_size(p);
    ovs_be16 saved = icmp->icmp6_cksum;

    *in_packet = saved;
    icmp->icmp6_cksum = 0;
    ovs_be16 sum = csum_finish(csum_continue(packet_csum_pseudoheader6(ip6),
                                             icmp, size));
    icmp->icmp6_cksum = saved;
    return sum;
}

/* Prints 'p' in hex on a line of its own. */
static void
print_packet_hex(const struct dp_packet *p)
{
    for (size_t i = 0; i < dp_packet_size(p); i++) {
        printf("%02x", ((const uint8_t *) dp_packet_data(p))[i]);
    }
    putchar('\n');
}

/* Composes an ICMPv6 ND packet of 'type' from fe80::1 with source 'mac':
 * RS to ff02::2, NS and NA to ff02::1, NS and NA with target fe80::2, and
 * 'options' (raw option bytes) after the fixed part. */
static struct dp_packet *
compose_nd(int type, const struct eth_addr mac, const struct ofpbuf *options)
{
    struct eth_addr dst;
    struct in6_addr src6, dst6, target;
    ovs_assert(ipv6_parse("fe80::1", &src6));
    ovs_assert(ipv6_parse(type == ND_ROUTER_SOLICIT ? "ff02::2" : "ff02::1",
                          &dst6));
    ovs_assert(ipv6_parse("fe80::2", &target));
    ipv6_multicast_to_ethernet(&dst, &dst6);

    size_t fixed = type == ND_ROUTER_SOLICIT ? 8 : 8 + sizeof target;
    size_t l4_size = fixed + options->size;
    struct dp_packet *p = dp_packet_new(128);
    struct ovs_16aligned_ip6_hdr *ip6
        = eth_compose(p, dst, mac, ETH_TYPE_IPV6, sizeof *ip6 + l4_size);
    put_16aligned_be32(&ip6->ip6_ctlun.ip6_un1.ip6_un1_flow, htonl(6 << 28));
    ip6->ip6_ctlun.ip6_un1.ip6_un1_plen = htons(l4_size);
    ip6->ip6_ctlun.ip6_un1.ip6_un1_nxt = IPPROTO_ICMPV6;
    ip6->ip6_ctlun.ip6_un1.ip6_un1_hlim = 255;
    memcpy(&ip6->ip6_src, &src6, sizeof src6);
    memcpy(&ip6->ip6_dst, &dst6, sizeof dst6);
    uint8_t *l4 = (uint8_t *) (ip6 + 1);
    dp_packet_set_l4(p, l4);
    memset(l4, 0, l4_size);
    l4[0] = type;
    if (type != ND_ROUTER_SOLICIT) {
        memcpy(&l4[8], &target, sizeof target);
    }
    if (options->size) {
        memcpy(&l4[fixed], options->data, options->size);
    }
    ovs_be16 old;
    ((struct icmp6_header *) l4)->icmp6_cksum = icmp6_checksum(p, &old);
    return p;
}

/* "rs-packet MAC": prints, in hex, a Router Solicitation from fe80::1 to
 * ff02::2 sent by MAC, with a source link-layer address option. */
static void
test_rs_packet(struct ovs_cmdl_context *ctx)
{
    struct eth_addr mac;
    if (!eth_addr_from_string(ctx->argv[1], &mac)) {
        ovs_fatal(0, "%s: bad MAC", ctx->argv[1]);
    }

    uint8_t opt[ND_LLA_OPT_LEN] = { ND_OPT_SOURCE_LINKADDR, 1 };
    memcpy(&opt[2], &mac, sizeof mac);
    struct ofpbuf options = ofpbuf_const_initializer(opt, sizeof opt);
    struct dp_packet *p = compose_nd(ND_ROUTER_SOLICIT, mac, &options);
    print_packet_hex(p);
    dp_packet_delete(p);
}

/* "nd-packet TYPE MAC [OPTIONS]": prints, in hex, an RS (TYPE 133), NS
 * (135) or NA (136) from fe80::1 sent by MAC, with OPTIONS, raw option
 * bytes in hex, after its fixed part. */
static void
test_nd_packet(struct ovs_cmdl_context *ctx)
{
    int type = atoi(ctx->argv[1]);
    struct eth_addr mac;
    if (type != ND_ROUTER_SOLICIT && type != ND_NEIGHBOR_SOLICIT
        && type != ND_NEIGHBOR_ADVERT) {
        ovs_fatal(0, "%s: not 133, 135 or 136", ctx->argv[1]);
    }
    if (!eth_addr_from_string(ctx->argv[2], &mac)) {
        ovs_fatal(0, "%s: bad MAC", ctx->argv[2]);
    }
    struct ofpbuf options;
    ofpbuf_init(&options, 0);
    if (ctx->argc > 3 && ofpbuf_put_hex(&options, ctx->argv[3], NULL)[0]) {
        ovs_fatal(0, "%s: bad hex", ctx->argv[3]);
    }
    struct dp_packet *p = compose_nd(type, mac, &options);
    print_packet_hex(p);
    dp_packet_delete(p);
    ofpbuf_uninit(&options);
}

/* "rewrite-nd HEX MAC": runs lif_nd_rewrite_lladdr() on the packet in HEX
 * and prints the result: the Ethernet source, every link-layer address
 * option (type, length in bytes, body in hex), and whether the checksum is
 * right. */
static void
test_rewrite_nd(struct ovs_cmdl_context *ctx)
{
    struct eth_addr mac;
    if (!eth_addr_from_string(ctx->argv[2], &mac)) {
        ovs_fatal(0, "%s: bad MAC", ctx->argv[2]);
    }
    struct dp_packet *p = dp_packet_new(0);
    if (dp_packet_put_hex(p, ctx->argv[1], NULL)[0] != '\0'
        && !dp_packet_size(p)) {
        ovs_fatal(0, "bad hex");
    }

    bool ok = lif_nd_rewrite_lladdr(p, mac);
    printf("%s\n", ok ? "rewritten" : "not a well-formed RS, NS or NA");
    if (ok) {
        const uint8_t *l4 = dp_packet_l4(p);
        size_t size = dp_packet_l4_size(p);
        size_t ofs = l4[0] == ND_ROUTER_SOLICIT ? 8 : 24;
        struct eth_header *eh = dp_packet_eth(p);
        printf("eth_src="ETH_ADDR_FMT"\n", ETH_ADDR_ARGS(eh->eth_src));
        while (ofs + 2 <= size && l4[ofs + 1]) {
            size_t len = l4[ofs + 1] * 8;
            printf("option %d length %"PRIuSIZE" ", l4[ofs], len);
            for (size_t i = 2; i < len && ofs + i < size; i++) {
                printf("%02x", l4[ofs + i]);
            }
            putchar('\n');
            ofs += len;
        }
        ovs_be16 in_packet;
        ovs_be16 right = icmp6_checksum(p, &in_packet);
        printf("checksum %s\n", in_packet == right ? "ok" : "bad");
    }
    dp_packet_delete(p);
}

/* "cookie CATEGORY UUID-PART": prints a cookie and its category's name. */
static void
test_cookie(struct ovs_cmdl_context *ctx)
{
    struct uuid uuid;
    uuid_zero(&uuid);
    uuid.parts[0] = strtoul(ctx->argv[2], NULL, 0);
    uint64_t cookie = lif_cookie(atoi(ctx->argv[1]), &uuid);
    printf("%#"PRIx64" %s\n", cookie, lif_cookie_category_name(cookie));
}

static const struct ovs_cmdl_command commands[] = {
    {"diff", "INSTALLED DESIRED", 2, 2, test_diff, OVS_RO},
    {"canonical", "MATCH ACTIONS", 2, 2, test_canonical, OVS_RO},
    {"pipeline", "[SUBIF]...", 0, INT_MAX, test_pipeline, OVS_RO},
    {"vll-id", "SYSTEM-ID NAME", 2, 2, test_vll_id, OVS_RO},
    {"cookie", "CATEGORY UUID-PART", 2, 2, test_cookie, OVS_RO},
    {"rs-packet", "MAC", 1, 1, test_rs_packet, OVS_RO},
    {"nd-packet", "TYPE MAC [OPTIONS]", 2, 3, test_nd_packet, OVS_RO},
    {"rewrite-nd", "HEX MAC", 2, 2, test_rewrite_nd, OVS_RO},
    {NULL, NULL, 0, 0, NULL, OVS_RO},
};

int
main(int argc, char *argv[])
{
    lif_set_program_name(argv[0]);
    struct ovs_cmdl_context ctx = { .argc = argc - 1, .argv = argv + 1 };
    ovs_cmdl_run_command(&ctx, commands);
    return 0;
}
