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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lif-ct-dump.h"
#include "lif-util.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

/* Unit tests for lib/lif-ct-dump.c, run from tests/lif-ct.at.
 *
 *   lif-test-ct parse       reads "dpctl/dump-conntrack -s" lines on stdin
 *                           and prints, per line, what was parsed or the
 *                           error
 *   lif-test-ct top LIMIT   reads such lines and prints the at most LIMIT
 *                           most recently active reflective entries (ct_mark
 *                           port not 0), most recent first, then counts of
 *                           lines, malformed lines and reflective entries */

static void
print_entry(const struct lif_ct_entry *e)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    lif_ct_entry_format_host_match(e, &ds);
    printf("port=%u %s zone=%u timeout=%u host=%s\n",
           (unsigned int) lif_ct_entry_port(e),
           lif_ct_entry_host_tuple(e) == &e->orig ? "orig" : "reply",
           (unsigned int) e->zone, (unsigned int) e->timeout, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
do_parse(void)
{
    struct ds line = DS_EMPTY_INITIALIZER;
    while (!ds_get_line(&line, stdin)) {
        struct lif_ct_entry e;
        char *error = lif_ct_dump_parse_line(ds_cstr(&line), &e);
        if (error) {
            printf("error: %s\n", error);
            free(error);
        } else {
            print_entry(&e);
        }
    }
    ds_destroy(&line);
}

static void
do_top(const char *limit_s)
{
    int limit;
    if (!str_to_int(limit_s, 10, &limit) || limit < 0) {
        ovs_fatal(0, "%s: bad limit", limit_s);
    }

    struct lif_ct_top top;
    lif_ct_top_init(&top, limit);
    struct ds line = DS_EMPTY_INITIALIZER;
    size_t n_lines = 0, n_malformed = 0;
    while (!ds_get_line(&line, stdin)) {
        struct lif_ct_entry e;
        char *error = lif_ct_dump_parse_line(ds_cstr(&line), &e);
        n_lines++;
        if (error) {
            n_malformed++;
            free(error);
        } else if (lif_ct_entry_port(&e)) {
            lif_ct_top_offer(&top, &e);
        }
    }
    lif_ct_top_sort(&top);
    for (size_t i = 0; i < top.n; i++) {
        print_entry(&top.heap[i]);
    }
    printf("lines=%"PRIuSIZE" malformed=%"PRIuSIZE" reflective=%"PRIuSIZE
           " kept=%"PRIuSIZE"\n", n_lines, n_malformed, top.n_offered,
           top.n);
    lif_ct_top_destroy(&top);
    ds_destroy(&line);
}

int
main(int argc, char *argv[])
{
    lif_set_program_name(argv[0]);
    if (argc == 2 && !strcmp(argv[1], "parse")) {
        do_parse();
    } else if (argc == 3 && !strcmp(argv[1], "top")) {
        do_top(argv[2]);
    } else {
        ovs_fatal(0, "usage: %s parse | top LIMIT", argv[0]);
    }
    return 0;
}
