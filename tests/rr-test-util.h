/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rr-core.h"
#include "rr-store-private.h"

/* A fresh database in a temporary folder, set up with two teams:
 *   beheer  — beheerder + klantmanager, Team Noord (the first user)
 *   km1,km2 — klantmanager, Team Noord
 *   tl1     — teamleider, Team Noord
 *   km3     — klantmanager, Team Zuid;  tl2 — teamleider, Team Zuid
 *   aud     — auditor
 * and clients D-1 (km1), D-2 (km2), Z-1 (km3). */
typedef struct {
  char    *dir;
  char    *path;
  RrStore *store;
} RrFixture;

static inline void
rr_fixture_open (RrFixture *fx)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("rr-test-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "test.db", NULL);
  fx->store = rr_store_open (fx->path, RR_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->store);
}

static inline void
rr_fixture_setup (RrFixture     *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rr_fixture_open (fx);
  rr_store_initialise (fx->store, "beheer", "Bea Beheer", "Gemeente Test", "Team Noord", &error);
  g_assert_no_error (error);

#define ADD_USER(login, name, team, roles) \
  do { rr_users_add (fx->store, "beheer", login, name, team, roles, &error); \
       g_assert_no_error (error); } while (0)
  ADD_USER ("km1", "Karin Mol", "Team Noord", RR_ROLE_KLANTMANAGER);
  ADD_USER ("km2", "Kees Maas", "Team Noord", RR_ROLE_KLANTMANAGER);
  ADD_USER ("tl1", "Tineke Lont", "Team Noord", RR_ROLE_TEAMLEIDER);
  ADD_USER ("km3", "Koen Meijer", "Team Zuid", RR_ROLE_KLANTMANAGER);
  ADD_USER ("tl2", "Tom Leeuw", "Team Zuid", RR_ROLE_TEAMLEIDER);
  ADD_USER ("aud", "Anna Uden", "Team Noord", RR_ROLE_AUDITOR);
#undef ADD_USER

  rr_clients_add (fx->store, "km1", "D-1", "Jan Jansen", "111222333", &error);
  g_assert_no_error (error);
  rr_clients_add (fx->store, "km2", "D-2", "Piet Pietersen", NULL, &error);
  g_assert_no_error (error);
  rr_clients_add (fx->store, "km3", "Z-1", "Sara de Wit", NULL, &error);
  g_assert_no_error (error);
}

static inline void
rr_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            rr_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static inline void
rr_fixture_teardown (RrFixture     *fx,
                     gconstpointer  data)
{
  if (fx->store != NULL)
    g_assert_finalize_object (fx->store);
  rr_remove_tree (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

/* An applied decision of km1 for D-1 under the Participatiewet art. 18 lid 1. */
static inline RrDecisionInput *
rr_test_applied_input (void)
{
  RrDecisionInput *in = rr_decision_input_new ();

  in->client = g_strdup ("D-1");
  in->rule = g_strdup ("PW-18-1");
  in->kind = g_strdup ("which-rule");
  in->outcome = RR_OUTCOME_APPLIED;
  in->summary = g_strdup ("Bijstand afgestemd op de gezinssituatie");
  return in;
}

static inline RrDecisionInput *
rr_test_deviation_input (void)
{
  RrDecisionInput *in = rr_test_applied_input ();

  in->outcome = RR_OUTCOME_DEVIATED;
  in->kind = (g_free (in->kind), g_strdup ("rule-does-not-fit"));
  in->summary = (g_free (in->summary), g_strdup ("Geen verlaging bij dreigende huisuitzetting"));
  in->circumstances = g_strdup ("Klant heeft hoge schulden, mantelzorg voor moeder en "
                                "huurachterstand; huisuitzetting dreigt binnen een maand.");
  in->explanation = g_strdup ("Verlagen zou de huisuitzetting zeker maken; de kosten van "
                              "dakloosheid en de schade voor de kinderen staan niet in "
                              "verhouding tot het doel van de regel.");
  in->reason = g_strdup ("disproportionate");
  rr_decision_input_set_weighing (in, "wellbeing", RR_RELEVANCE_DECISIVE, "Kinderen in huis");
  return in;
}

static inline void
rr_test_raw_bulk_loading (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  sqlite3_result_int (context, 0);
}

/* A plain connection, with the function the report triggers ask
 * (rr-store.c registers it on every connection of ours). */
static inline sqlite3 *
rr_test_raw_open (const char *path)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_create_function (db, "rr_bulk_loading", 0,
                                            SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                                            rr_test_raw_bulk_loading, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static inline void
rr_test_raw_exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    g_error ("SQL failed: %s: %s", sql, msg);
}

static inline gint64
rr_test_raw_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}
