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

#include "lif-ctl-state.h"

#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "lif-config-file.h"
#include "lif-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "ovsdb-data.h"
#include "ovsdb-idl-provider.h"
#include "ovsdb-idl.h"
#include "util.h"

/* "state-dump" walks the IDL's own description of the schema (table and
 * column classes), not the generated structs, so that it prints every
 * column, including ones added to the schema later.  A reference to a row
 * of another table (Sub_Interface's references to Router and Prefix rows,
 * say) is printed as that row, nested, up to MAX_DEPTH levels.
 *
 * It builds the JSON with OVS's JSON library, not libjansson: the OVSDB
 * data it prints are OVS's, and the two libraries' names collide.
 * libjansson only indents the result, as "export" does. */

#define MAX_DEPTH 3

static struct json *row_to_json(struct ovsdb_idl *,
                                const struct ovsdb_idl_row *,
                                const char *skip_column, int depth);

/* Replicates every column of every table of the LIF database. */
void
lif_ctl_pre_state_dump(struct ctl_context *ctx)
{
    for (size_t i = 0; i < lifrec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &lifrec_idl_class.tables[i];
        for (size_t j = 0; j < tc->n_columns; j++) {
            ovsdb_idl_add_column(ctx->idl, &tc->columns[j]);
        }
    }
}

static const struct ovsdb_idl_table_class *
find_table_class(const char *name)
{
    for (size_t i = 0; i < lifrec_idl_class.n_tables; i++) {
        if (!strcmp(lifrec_idl_class.tables[i].name, name)) {
            return &lifrec_idl_class.tables[i];
        }
    }
    return NULL;
}

static struct json *
atom_to_json(struct ovsdb_idl *idl, const union ovsdb_atom *atom,
             const struct ovsdb_base_type *base, int depth)
{
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer_create(atom->integer);

    case OVSDB_TYPE_REAL:
        return json_real_create(atom->real);

    case OVSDB_TYPE_BOOLEAN:
        return json_boolean_create(atom->boolean);

    case OVSDB_TYPE_STRING:
        return json_string_create(json_string(atom->s));

    case OVSDB_TYPE_UUID: {
        const char *ref_table = base->uuid.refTableName;
        const struct ovsdb_idl_table_class *tc
            = ref_table ? find_table_class(ref_table) : NULL;
        const struct ovsdb_idl_row *row
            = (tc && depth < MAX_DEPTH
               ? ovsdb_idl_get_row_for_uuid(idl, tc, &atom->uuid) : NULL);
        if (row) {
            return row_to_json(idl, row, NULL, depth + 1);
        }
        return json_string_create_nocopy(xasprintf(UUID_FMT,
                                                   UUID_ARGS(&atom->uuid)));
    }

    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return json_null_create();
    }
}

/* The member that orders objects in an array: "name" if it is a string,
 * otherwise the whole object as text.  The caller must free it. */
static char *
sort_key(const struct json *json)
{
    if (json->type == JSON_OBJECT) {
        const struct json *name = shash_find_data(json_object(json), "name");
        if (name && name->type == JSON_STRING) {
            return xstrdup(json_string(name));
        }
    }
    return json_to_string(json, JSSF_SORT);
}

static int
compare_json(const void *a_, const void *b_)
{
    const struct json *const *a = a_;
    const struct json *const *b = b_;
    char *ka = sort_key(*a);
    char *kb = sort_key(*b);
    int cmp = strcmp(ka, kb);

    free(ka);
    free(kb);
    return cmp;
}

/* Sorts the elements of 'array' so that the output does not depend on row
 * UUIDs. */
static void
sort_array(struct json *array)
{
    struct json_array *a = json_array(array);
    if (a->n > 1) {
        qsort(a->elems, a->n, sizeof *a->elems, compare_json);
    }
}

/* Returns 'datum', of 'type', as JSON: a scalar column as its value, an
 * optional one as its value or null, a set as an array, a map as an object
 * (keys as strings). */
static struct json *
datum_to_json(struct ovsdb_idl *idl, const struct ovsdb_datum *datum,
              const struct ovsdb_type *type, int depth)
{
    if (type->value.type != OVSDB_TYPE_VOID) {
        struct json *object = json_object_create();
        for (size_t i = 0; i < datum->n; i++) {
            struct ds key = DS_EMPTY_INITIALIZER;
            ovsdb_atom_to_bare(&datum->keys[i], type->key.type, &key);
            json_object_put(object, ds_cstr(&key),
                            atom_to_json(idl, &datum->values[i],
                                         &type->value, depth));
            ds_destroy(&key);
        }
        return object;
    }

    if (type->n_max == 1) {
        return (datum->n
                ? atom_to_json(idl, &datum->keys[0], &type->key, depth)
                : json_null_create());
    }

    struct json *array = json_array_create_empty();
    for (size_t i = 0; i < datum->n; i++) {
        json_array_add(array, atom_to_json(idl, &datum->keys[i], &type->key,
                                           depth));
    }
    sort_array(array);
    return array;
}

/* Returns every column of 'row' but 'skip_column' (if nonnull) as a JSON
 * object. */
static struct json *
row_to_json(struct ovsdb_idl *idl, const struct ovsdb_idl_row *row,
            const char *skip_column, int depth)
{
    const struct ovsdb_idl_table_class *tc = row->table->class_;
    struct json *object = json_object_create();

    for (size_t i = 0; i < tc->n_columns; i++) {
        const struct ovsdb_idl_column *column = &tc->columns[i];
        if (skip_column && !strcmp(column->name, skip_column)) {
            continue;
        }
        json_object_put(object, column->name,
                        datum_to_json(idl, ovsdb_idl_read(row, column),
                                      &column->type, depth));
    }
    return object;
}

/* Returns, as a JSON array, the rows of table 'tc' whose "lif" column is
 * 'lif', without that column. */
static struct json *
rows_of_lif(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *tc,
            const char *lif)
{
    const struct ovsdb_idl_column *lif_column = NULL;
    for (size_t i = 0; i < tc->n_columns; i++) {
        if (!strcmp(tc->columns[i].name, "lif")) {
            lif_column = &tc->columns[i];
        }
    }

    struct json *array = json_array_create_empty();
    const struct ovsdb_idl_row *row;
    for (row = ovsdb_idl_first_row(idl, tc); row;
         row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, lif_column);
        if (datum->n && !strcmp(json_string(datum->keys[0].s), lif)) {
            json_array_add(array, row_to_json(idl, row, "lif", 1));
        }
    }
    sort_array(array);
    return array;
}

/* "state-dump [LIF]": every LIF (or only LIF), with every column of its
 * Logical_Interface row, its Sub_Interface rows nested, and its Flow_Policy
 * and Flow rows as "policies" and "flows". */
void
lif_ctl_cmd_state_dump(struct ctl_context *ctx)
{
    const char *only = ctx->argc > 1 ? ctx->argv[1] : NULL;
    struct json *lifs = json_array_create_empty();
    const struct lifrec_logical_interface *lif;
    bool found = false;

    LIFREC_LOGICAL_INTERFACE_FOR_EACH (lif, ctx->idl) {
        if (only && strcmp(lif->name, only)) {
            continue;
        }
        found = true;

        struct json *object = row_to_json(ctx->idl, &lif->header_, NULL, 0);
        json_object_put(object, "policies",
                        rows_of_lif(ctx->idl, &lifrec_table_flow_policy,
                                    lif->name));
        json_object_put(object, "flows",
                        rows_of_lif(ctx->idl, &lifrec_table_flow,
                                    lif->name));
        json_array_add(lifs, object);
    }
    if (only && !found) {
        ctx->error = xasprintf("no LIF named \"%s\"", only);
        json_destroy(lifs);
        return;
    }
    sort_array(lifs);

    struct json *root = json_object_create();
    json_object_put(root, "lifs", lifs);
    /* Indented by libjansson, like "export". */
    char *s = json_to_string(root, JSSF_SORT);
    char *text = lif_cfg_reindent(s);
    ds_put_cstr(&ctx->output, text);
    free(text);
    free(s);
    json_destroy(root);
}
