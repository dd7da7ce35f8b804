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

#ifndef LIF_PATHS_H
#define LIF_PATHS_H 1

#include <stdbool.h>

struct lif_logical;
struct lif_ra;
struct sset;

/* The path table: what the Router Advertisements heard on each access say
 * (RFC 7847 section 5 property 3, path awareness): its routers, its
 * prefixes and its MTU, each entry expiring with its advertised lifetime.
 *
 * lif-controller keeps one for all LIF bridges, keyed by bridge and
 * sub-interface name, feeds it every RA that reaches it through the
 * metered punt, and copies it into the model before each recompute
 * (lif_paths_fill()), so the pipeline and the status writer stay pure
 * functions of the model.  Time is passed in (wall-clock milliseconds), so
 * this module is pure as well and unit-testable.
 *
 * Each access keeps at most LIF_PATHS_MAX_ROUTERS routers and
 * LIF_PATHS_MAX_PREFIXES prefixes: a hostile access cannot grow the table
 * without bound; what does not fit is counted. */
#define LIF_PATHS_MAX_ROUTERS 8
#define LIF_PATHS_MAX_PREFIXES 32

struct lif_paths;

struct lif_paths *lif_paths_create(void);
void lif_paths_destroy(struct lif_paths *);

bool lif_paths_learn(struct lif_paths *, const char *bridge,
                     const char *subif, const struct lif_ra *,
                     long long int now);
long long int lif_paths_last_ra(const struct lif_paths *, const char *bridge,
                                const char *subif);
void lif_paths_count_malformed(struct lif_paths *, const char *bridge,
                               const char *subif);
bool lif_paths_expire(struct lif_paths *, long long int now);
long long int lif_paths_next_expiry(const struct lif_paths *);
bool lif_paths_retain(struct lif_paths *, const char *bridge,
                      const struct sset *subifs);
void lif_paths_fill(const struct lif_paths *, struct lif_logical *);

#endif /* lif-paths.h */
