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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "dp-packet.h"
#include "lif-ra.h"
#include "lif-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

/* Unit tests for lib/lif-ra.c, run from tests/lif-ra.at:
 * "lif-test-ra COMMAND ARGS..." prints what the function computes, packets
 * in hex. */

static void
print_hex(const void *data_, size_t size)
{
    const uint8_t *data = data_;
    for (size_t i = 0; i < size; i++) {
        printf("%02x", data[i]);
    }
    putchar('\n');
}

static void
print_packet(const struct dp_packet *p)
{
    print_hex(dp_packet_data(p), dp_packet_size(p));
}

static unsigned long
parse_ulong(const char *s, unsigned long max, int base)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(s, &end, base);
    if (errno || !*s || *end || value > max) {
        ovs_fatal(0, "%s: bad number (at most %lu)", s, max);
    }
    return value;
}

static struct eth_addr
parse_mac(const char *s)
{
    struct eth_addr mac;
    if (!eth_addr_from_string(s, &mac)) {
        ovs_fatal(0, "%s: bad MAC", s);
    }
    return mac;
}

static struct in6_addr
parse_ipv6(const char *s)
{
    struct in6_addr addr;
    if (!ipv6_parse(s, &addr)) {
        ovs_fatal(0, "%s: bad IPv6 address", s);
    }
    return addr;
}

static uint32_t
parse_lifetime(const char *s)
{
    return (!strcmp(s, "inf") ? LIF_RA_INFINITY
            : parse_ulong(s, UINT32_MAX, 10));
}

/* Parses "PREFIX/PLEN,FLAGS,VALID,PREFERRED" (FLAGS: "L", "A", "LA" or "-";
 * lifetimes in seconds or "inf").  The prefix is not masked, and PLEN may
 * be up to 255, so that tests can make bad options. */
static struct lif_ra_prefix
parse_pio(const char *s)
{
    char prefix[64], flags[8], valid[16], preferred[16];
    unsigned int plen;
    if (sscanf(s, "%63[^/]/%u,%7[^,],%15[^,],%15s", prefix, &plen, flags,
               valid, preferred) != 5 || plen > 255) {
        ovs_fatal(0, "%s: bad prefix (PREFIX/PLEN,FLAGS,VALID,PREFERRED)",
                  s);
    }
    struct lif_ra_prefix p = {
        .prefix = parse_ipv6(prefix),
        .plen = plen,
        .on_link = strchr(flags, 'L') != NULL,
        .autonomous = strchr(flags, 'A') != NULL,
        .valid = parse_lifetime(valid),
        .preferred = parse_lifetime(preferred),
    };
    return p;
}

/* The Internet checksum (RFC 1071) of 'size' bytes at 'data' added to
 * 'sum', written here rather than taken from OVS so that the frames the
 * tests build do not depend on the code they test. */
static uint32_t
sum_bytes(uint32_t sum, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        sum += i % 2 ? data[i] : data[i] << 8;
    }
    return sum;
}

/* "parse HEX": parses the frame in HEX and prints it or the error. */
static void
test_parse(struct ovs_cmdl_context *ctx)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 0);
    if (ofpbuf_put_hex(&b, ctx->argv[1], NULL)[0] != '\0') {
        ovs_fatal(0, "%s: bad hex", ctx->argv[1]);
    }

    /* An exact-size copy, so that a tool such as valgrind sees reads past
     * the end. */
    void *frame = xmemdup(b.data, b.size);
    struct lif_ra ra;
    const char *error = lif_ra_parse(frame, b.size, &ra);
    if (error) {
        printf("error: %s\n", error);
    } else {
        struct ds s = DS_EMPTY_INITIALIZER;
        lif_ra_format(&ra, &s);
        fputs(ds_cstr(&s), stdout);
        ds_destroy(&s);
    }
    free(frame);
    ofpbuf_uninit(&b);
}

/* "frame [KEY=VALUE]...": builds a Router Advertisement byte by byte,
 * without lib/lif-ra.c or OVS's composers, and prints it in hex.  Every
 * field has a default that makes a valid RA without options; options are
 * added in order:
 *
 *   ethdst=MAC ethsrc=MAC ethtype=HEX  Ethernet
 *   ver=N nxt=N hlim=N src=IP6 dst=IP6 IPv6
 *   plen=N                             declared payload length (the
 *                                      checksum covers that many bytes)
 *   pad=N                              N zero bytes after the payload
 *   type=N code=N csum=HEX|bad         ICMPv6 ("bad": the right one + 1)
 *   chl=N flags=HEX lifetime=N reachable=N retrans=N   RA header
 *   sll=MAC mtu=N pio=PREFIX/PLEN,FLAGS,VALID,PREFERRED  options
 *   opt=HEX                            raw bytes appended to the options
 */
static void
test_frame(struct ovs_cmdl_context *ctx)
{
    struct eth_addr ethdst = ETH_ADDR_C(33, 33, 00, 00, 00, 01);
    struct eth_addr ethsrc = ETH_ADDR_C(00, 00, 5e, 00, 53, 01);
    unsigned long ethtype = 0x86dd, ver = 6, nxt = 58, hlim = 255;
    struct in6_addr src = parse_ipv6("fe80::1");
    struct in6_addr dst = parse_ipv6("ff02::1");
    long plen = -1, csum = -1;
    bool bad_csum = false;
    unsigned long pad = 0, type = 134, code = 0, chl = 64, flags = 0;
    unsigned long lifetime = 1800, reachable = 0, retrans = 0;
    struct ofpbuf opts;

    ofpbuf_init(&opts, 0);
    for (int i = 1; i < ctx->argc; i++) {
        char *arg = ctx->argv[i];
        char *value = strchr(arg, '=');
        if (!value) {
            ovs_fatal(0, "%s: KEY=VALUE expected", arg);
        }
        *value++ = '\0';
        if (!strcmp(arg, "ethdst")) {
            ethdst = parse_mac(value);
        } else if (!strcmp(arg, "ethsrc")) {
            ethsrc = parse_mac(value);
        } else if (!strcmp(arg, "ethtype")) {
            ethtype = parse_ulong(value, UINT16_MAX, 16);
        } else if (!strcmp(arg, "ver")) {
            ver = parse_ulong(value, 15, 10);
        } else if (!strcmp(arg, "nxt")) {
            nxt = parse_ulong(value, UINT8_MAX, 10);
        } else if (!strcmp(arg, "hlim")) {
            hlim = parse_ulong(value, UINT8_MAX, 10);
        } else if (!strcmp(arg, "src")) {
            src = parse_ipv6(value);
        } else if (!strcmp(arg, "dst")) {
            dst = parse_ipv6(value);
        } else if (!strcmp(arg, "plen")) {
            plen = parse_ulong(value, UINT16_MAX, 10);
        } else if (!strcmp(arg, "pad")) {
            pad = parse_ulong(value, 1500, 10);
        } else if (!strcmp(arg, "type")) {
            type = parse_ulong(value, UINT8_MAX, 10);
        } else if (!strcmp(arg, "code")) {
            code = parse_ulong(value, UINT8_MAX, 10);
        } else if (!strcmp(arg, "csum")) {
            if (!strcmp(value, "bad")) {
                bad_csum = true;
            } else {
                csum = parse_ulong(value, UINT16_MAX, 16);
            }
        } else if (!strcmp(arg, "chl")) {
            chl = parse_ulong(value, UINT8_MAX, 10);
        } else if (!strcmp(arg, "flags")) {
            flags = parse_ulong(value, UINT8_MAX, 16);
        } else if (!strcmp(arg, "lifetime")) {
            lifetime = parse_ulong(value, UINT16_MAX, 10);
        } else if (!strcmp(arg, "reachable")) {
            reachable = parse_ulong(value, UINT32_MAX, 10);
        } else if (!strcmp(arg, "retrans")) {
            retrans = parse_ulong(value, UINT32_MAX, 10);
        } else if (!strcmp(arg, "sll")) {
            struct eth_addr mac = parse_mac(value);
            ofpbuf_put(&opts, (uint8_t[]) { 1, 1 }, 2);
            ofpbuf_put(&opts, &mac, sizeof mac);
        } else if (!strcmp(arg, "mtu")) {
            uint32_t mtu = htonl(parse_ulong(value, UINT32_MAX, 10));
            ofpbuf_put(&opts, (uint8_t[]) { 5, 1, 0, 0 }, 4);
            ofpbuf_put(&opts, &mtu, sizeof mtu);
        } else if (!strcmp(arg, "pio")) {
            struct lif_ra_prefix p = parse_pio(value);
            uint8_t head[4] = { 3, 4, p.plen,
                                (p.on_link ? 0x80 : 0)
                                | (p.autonomous ? 0x40 : 0) };
            uint32_t lifetimes[3] = { htonl(p.valid), htonl(p.preferred),
                                      0 };
            ofpbuf_put(&opts, head, sizeof head);
            ofpbuf_put(&opts, lifetimes, sizeof lifetimes);
            ofpbuf_put(&opts, &p.prefix, sizeof p.prefix);
        } else if (!strcmp(arg, "opt")) {
            if (ofpbuf_put_hex(&opts, value, NULL)[0] != '\0') {
                ovs_fatal(0, "%s: bad hex", value);
            }
        } else {
            ovs_fatal(0, "%s: unknown key", arg);
        }
    }

    /* The ICMPv6 message. */
    struct ofpbuf icmp;
    ofpbuf_init(&icmp, 0);
    uint8_t *h = ofpbuf_put_zeros(&icmp, 16);
    h[0] = type;
    h[1] = code;
    h[4] = chl;
    h[5] = flags;
    h[6] = lifetime >> 8;
    h[7] = lifetime;
    for (int i = 0; i < 4; i++) {
        h[8 + i] = reachable >> (24 - 8 * i);
        h[12 + i] = retrans >> (24 - 8 * i);
    }
    ofpbuf_put(&icmp, opts.data, opts.size);
    if (plen < 0) {
        plen = icmp.size;
    }

    /* Checksum: pseudo-header and the first 'plen' bytes of the message. */
    if (csum < 0) {
        uint32_t sum = sum_bytes(0, (uint8_t *) &src, sizeof src);
        sum = sum_bytes(sum, (uint8_t *) &dst, sizeof dst);
        sum += (plen >> 16) + (plen & 0xffff) + nxt;
        sum = sum_bytes(sum, icmp.data, MIN(plen, icmp.size));
        while (sum >> 16) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        csum = ~sum & 0xffff;
        if (bad_csum) {
            csum = (csum + 1) & 0xffff;
        }
    }
    h = icmp.data;
    h[2] = csum >> 8;
    h[3] = csum;

    struct ofpbuf frame;
    ofpbuf_init(&frame, 0);
    ofpbuf_put(&frame, &ethdst, sizeof ethdst);
    ofpbuf_put(&frame, &ethsrc, sizeof ethsrc);
    ofpbuf_put(&frame, (uint8_t[]) { ethtype >> 8, ethtype }, 2);
    ofpbuf_put(&frame, (uint8_t[]) { ver << 4, 0, 0, 0, plen >> 8, plen,
                                     nxt, hlim }, 8);
    ofpbuf_put(&frame, &src, sizeof src);
    ofpbuf_put(&frame, &dst, sizeof dst);
    ofpbuf_put(&frame, icmp.data, icmp.size);
    ofpbuf_put_zeros(&frame, pad);
    print_hex(frame.data, frame.size);

    ofpbuf_uninit(&frame);
    ofpbuf_uninit(&icmp);
    ofpbuf_uninit(&opts);
}

/* "compose-ra MAC LL LIFETIME PREFERENCE MTU [PIO]...": PREFERENCE is low,
 * medium or high, PIO as for "frame". */
static void
test_compose_ra(struct ovs_cmdl_context *ctx)
{
    struct eth_addr mac = parse_mac(ctx->argv[1]);
    struct in6_addr ll = parse_ipv6(ctx->argv[2]);
    uint16_t lifetime = parse_ulong(ctx->argv[3], UINT16_MAX, 10);
    const char *prf = ctx->argv[4];
    int preference = (!strcmp(prf, "low") ? -1
                      : !strcmp(prf, "medium") ? 0
                      : !strcmp(prf, "high") ? 1
                      : (ovs_fatal(0, "%s: bad preference", prf), 0));
    uint32_t mtu = parse_ulong(ctx->argv[5], UINT32_MAX, 10);

    size_t n = ctx->argc - 6;
    struct lif_ra_prefix *prefixes = xcalloc(n, sizeof *prefixes);
    for (size_t i = 0; i < n; i++) {
        prefixes[i] = parse_pio(ctx->argv[6 + i]);
    }

    struct dp_packet *p = dp_packet_new(0);
    lif_ra_compose_ra(p, mac, &ll, lifetime, preference, prefixes, n, mtu);
    print_packet(p);
    dp_packet_delete(p);
    free(prefixes);
}

/* "compose-rs MAC". */
static void
test_compose_rs(struct ovs_cmdl_context *ctx)
{
    struct dp_packet *p = dp_packet_new(0);
    lif_ra_compose_rs(p, parse_mac(ctx->argv[1]));
    print_packet(p);
    dp_packet_delete(p);
}

/* "compose-na MAC TARGET". */
static void
test_compose_na(struct ovs_cmdl_context *ctx)
{
    struct in6_addr target = parse_ipv6(ctx->argv[2]);
    struct dp_packet *p = dp_packet_new(0);
    lif_ra_compose_unsolicited_na(p, parse_mac(ctx->argv[1]), &target);
    print_packet(p);
    dp_packet_delete(p);
}

static const struct ovs_cmdl_command commands[] = {
    {"parse", "HEX", 1, 1, test_parse, OVS_RO},
    {"frame", "[KEY=VALUE]...", 0, INT_MAX, test_frame, OVS_RO},
    {"compose-ra", "MAC LL LIFETIME PREFERENCE MTU [PIO]...", 5, INT_MAX,
     test_compose_ra, OVS_RO},
    {"compose-rs", "MAC", 1, 1, test_compose_rs, OVS_RO},
    {"compose-na", "MAC TARGET", 2, 2, test_compose_na, OVS_RO},
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
