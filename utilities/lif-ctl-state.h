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

#ifndef LIF_CTL_STATE_H
#define LIF_CTL_STATE_H 1

/* lif-ctl's "state-dump [LIF]": the live state of the LIF database as JSON,
 * every column of every row, so that columns added to the schema appear
 * without code changes. */

struct ctl_context;

void lif_ctl_pre_state_dump(struct ctl_context *);
void lif_ctl_cmd_state_dump(struct ctl_context *);

#endif /* lif-ctl-state.h */
