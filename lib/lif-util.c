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

#include "lif-util.h"

#include <stdio.h>

#include "openvswitch/version.h"
#include "util.h"

/* Sets the program name for logs and messages to the basename of 'argv0',
 * with ovs-lif's version (not the version of Open vSwitch it links). */
void
lif_set_program_name(const char *argv0)
{
    ovs_set_program_name(argv0, PACKAGE_VERSION);
}

/* Prints the --version text of an ovs-lif program. */
void
lif_print_version(void)
{
    printf("%s (%s) %s\n", program_name, PACKAGE_NAME, PACKAGE_VERSION);
    printf("Open vSwitch library %s\n", OVS_PACKAGE_VERSION);
}
