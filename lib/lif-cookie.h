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

#ifndef LIF_COOKIE_H
#define LIF_COOKIE_H 1

#include <stdint.h>

struct uuid;

/* Flow cookies name the generator of every flow: the top 8 bits are a
 * category, the low 32 bits are the first 32 bits of the database row
 * (normally an Open_vSwitch Interface) the flow was generated from, so that
 * "ovs-ofctl dump-flows" output maps back to rows. */
#define LIF_COOKIE_CATEGORIES                                     \
    LIF_COOKIE_CATEGORY(CLASSIFY, 0x01, "classify")               \
    LIF_COOKIE_CATEGORY(LIF_DEFAULT, 0x02, "lif-default-path")    \
    LIF_COOKIE_CATEGORY(SUBIF_IN, 0x03, "subif-ingress")          \
    LIF_COOKIE_CATEGORY(DROP, 0x04, "drop")                       \
    LIF_COOKIE_CATEGORY(ND, 0x05, "nd-arp")                       \
    LIF_COOKIE_CATEGORY(LLADDR, 0x06, "lladdr-rewrite")           \
    LIF_COOKIE_CATEGORY(LEARNED, 0x07, "learned-neighbor")        \
    LIF_COOKIE_CATEGORY(CHAIN, 0x08, "flow-chain")                \
    LIF_COOKIE_CATEGORY(PIN, 0x09, "flow-pinned")                 \
    LIF_COOKIE_CATEGORY(REFLECTIVE, 0x0a, "flow-reflective")      \
    LIF_COOKIE_CATEGORY(POLICY, 0x0b, "flow-policy")              \
    LIF_COOKIE_CATEGORY(SRC_PREFIX, 0x0c, "source-prefix")        \
    LIF_COOKIE_CATEGORY(ROUTER_MAC, 0x0d, "router-mac")           \
    LIF_COOKIE_CATEGORY(RA_PUNT, 0x0e, "ra-punt")                 \
    LIF_COOKIE_CATEGORY(ND_REFUSED, 0x0f, "nd-refused")

/* Cookie categories. */
enum lif_cookie_category {
#define LIF_COOKIE_CATEGORY(ENUM, VALUE, NAME) LIF_COOKIE_##ENUM = VALUE,
    LIF_COOKIE_CATEGORIES
#undef LIF_COOKIE_CATEGORY
};

uint64_t lif_cookie(enum lif_cookie_category, const struct uuid *);
const char *lif_cookie_category_name(uint64_t cookie);

#endif /* lif-cookie.h */
