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

#include "lif-cookie.h"

#include "openvswitch/uuid.h"

/* Returns the cookie for a flow of 'category' generated from the row with
 * 'uuid' (which may be NULL for flows that belong to no row). */
uint64_t
lif_cookie(enum lif_cookie_category category, const struct uuid *uuid)
{
    return ((uint64_t) category << 56) | (uuid ? uuid->parts[0] : 0);
}

/* Returns the name of the category encoded in 'cookie', or "unknown". */
const char *
lif_cookie_category_name(uint64_t cookie)
{
    switch (cookie >> 56) {
#define LIF_COOKIE_CATEGORY(ENUM, VALUE, NAME) case VALUE: return NAME;
    LIF_COOKIE_CATEGORIES
#undef LIF_COOKIE_CATEGORY
    default:
        return "unknown";
    }
}
