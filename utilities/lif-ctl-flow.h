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

#ifndef LIF_CTL_FLOW_H
#define LIF_CTL_FLOW_H 1

/* lif-ctl's FLOW table commands: policy-add, policy-del, policy-list,
 * flow-list, flow-move and flow-unpin. */

void lif_ctl_flow_register_commands(void);
const char *lif_ctl_flow_usage(void);

#endif /* lif-ctl-flow.h */
