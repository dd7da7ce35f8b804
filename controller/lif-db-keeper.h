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

#ifndef LIF_DB_KEEPER_H
#define LIF_DB_KEEPER_H 1

#include <stdbool.h>

struct ovsdb_idl;

/* lif-db-keeper: keeps the local ovsdb-server serving the LIF database.
 *
 * lif-db-setup registers the LIF database with a running ovsdb-server
 * ("ovsdb-server/add-db"), because the distributions' ovsdb-server units
 * start ovsdb-server with the Open_vSwitch database only.  Whenever
 * ovsdb-server starts again (a crash and Restart=on-failure, "systemctl
 * reload", "ovs-ctl restart", "ovsdb-server/remove-db LIF"), it no longer
 * serves the LIF database.
 *
 * While lif-controller's LIF database connection is down, the keeper asks
 * the local ovsdb-server (the one whose pidfile is in the OVS run
 * directory), through its control socket, a few times a second, which
 * databases it serves ("ovsdb-server/list-dbs"); if the LIF database is
 * not among them, it adds the database file ("ovsdb-server/add-db FILE").
 * Everything is non-blocking: the main loop never waits for ovsdb-server.
 *
 * The keeper never creates or converts the file (lif-db-setup does), and
 * does nothing for an ovsdb-server that is not local (no pidfile). */

struct lif_db_keeper;

struct lif_db_keeper *lif_db_keeper_create(const char *db_file);
void lif_db_keeper_destroy(struct lif_db_keeper *);

void lif_db_keeper_run(struct lif_db_keeper *, const struct ovsdb_idl *);
void lif_db_keeper_wait(const struct lif_db_keeper *);

#endif /* lif-db-keeper.h */
