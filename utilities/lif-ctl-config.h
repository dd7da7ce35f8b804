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

#ifndef LIF_CTL_CONFIG_H
#define LIF_CTL_CONFIG_H 1

#include <stdbool.h>

/* lif-ctl's declarative configuration commands: "export", "apply FILE" and
 * "state-dump" (JSON, libjansson). */

/* lif-ctl's global options that these commands need, read when a command
 * runs (after the options are parsed). */
struct lif_ctl_config_globals {
    const char *const *db;      /* --db. */
    const bool *dry_run;        /* --dry-run. */
    const bool *wait;           /* --wait. */
};

void lif_ctl_config_register(const struct lif_ctl_config_globals *);

#endif /* lif-ctl-config.h */
