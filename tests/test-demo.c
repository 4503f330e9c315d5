/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rr-test-util.h"

#define N_DECISIONS 500

typedef struct {
  char    *dir;
  char    *path;
  RrStore *store;
} DemoFixture;

static RrStore *
open_initialised (const char *path)
{
  g_autoptr(GError) error = NULL;
  RrStore *store = rr_store_open (path, RR_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  rr_store_initialise (store, "beheer", "Beheer", "Gemeente Demo", "Team Noord", &error);
  g_assert_no_error (error);
  return store;
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
demo_setup (DemoFixture   *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  double last = 0.0;

  fx->dir = g_dir_make_tmp ("rr-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "demo.db", NULL);
  fx->store = open_initialised (fx->path);
  g_assert_true (rr_demo_generate (fx->store, N_DECISIONS, 42, on_progress, &last, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
}

static void
demo_teardown (DemoFixture   *fx,
               gconstpointer  data)
{
  g_assert_finalize_object (fx->store);
  rr_remove_tree (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static gint64
count (RrStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_counts (DemoFixture   *fx,
             gconstpointer  data)
{
  gint64 first_versions = count (fx->store, "SELECT count(*) FROM decisions WHERE version = 1");
  gint64 deviations = count (fx->store, "SELECT count(*) FROM decisions WHERE version = 1"
                                        " AND outcome = 'deviated'");
  double share = (double) deviations / first_versions;

  g_assert_cmpint (first_versions, ==, N_DECISIONS);
  g_assert_cmpfloat (share, >=, 0.2);
  g_assert_cmpfloat (share, <=, 0.4);

  /* Structure: at least two teams, each with a teamleider, an auditor and
   * a handful of klantmanagers. */
  g_assert_cmpint (count (fx->store, "SELECT count(DISTINCT u.team) FROM users u JOIN user_roles r"
                                     " ON r.user_id = u.id WHERE r.role = 'teamleider'"), >=, 2);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM user_roles WHERE role = 'auditor'"),
                   >=, 1);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM user_roles"
                                     " WHERE role = 'klantmanager'"), >=, 5);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM clients"), >=, 20);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM clients WHERE bsn IS NOT NULL"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM clients WHERE dossier NOT LIKE 'D-____-______'"),
                   ==, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions"
                                     " WHERE number NOT LIKE 'RR-' || substr (decision_date, 1, 4)"
                                     " || '-______'"), ==, 0);

  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM reviews WHERE kind = 'teamleider'"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM outcomes"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions WHERE outcome = 'deviated'"
                                     " AND weighings IS NOT NULL"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions WHERE amount_cents IS NOT NULL"),
                   >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions WHERE sanction <> 'none'"
                                     " AND contact_date IS NULL"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions WHERE sanction <> 'none'"
                                     " AND contact_date IS NOT NULL"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM reflections"), >, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM signals"), >, 0);

  /* Four eyes: nobody reviews their own decision; a teamleider reviews
   * only the own team's. */
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM reviews r JOIN decisions d"
                                     " ON d.id = r.decision_id WHERE r.reviewer_id = d.author_id"),
                   ==, 0);
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM reviews r JOIN decisions d"
                                     " ON d.id = r.decision_id JOIN users u ON u.id = r.reviewer_id"
                                     " WHERE r.kind = 'teamleider' AND u.team <> d.team"), ==, 0);
  /* No decision before its client was opened or after it was closed. */
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions d JOIN clients c"
                                     " ON c.id = d.client_id WHERE d.decision_date < c.opened"
                                     " OR (c.closed IS NOT NULL AND d.decision_date > c.closed)"),
                   ==, 0);
  /* Every decision's rule version was in force on its date. */
  g_assert_cmpint (count (fx->store, "SELECT count(*) FROM decisions d JOIN rules r"
                                     " ON r.id = d.rule_id WHERE d.decision_date < r.valid_from"
                                     " OR (r.valid_to IS NOT NULL AND d.decision_date > r.valid_to)"),
                   ==, 0);
}

/* The generator loads without index upkeep and constraint checks; what it
 * leaves must hold to every constraint, have every index of a database that
 * was never bulk loaded, and be back in WAL mode with checks on. */
static void
test_constraints (DemoFixture   *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh_path = g_build_filename (fx->dir, "fresh.db", NULL);
  RrStore *fresh = open_initialised (fresh_path);
  sqlite3 *db = _rr_store_get_db (fx->store);
  sqlite3_stmt *stmt = NULL;
  const char *index_sql = "SELECT group_concat (name || ':' || sql, ';') FROM"
                          " (SELECT name, sql FROM sqlite_schema"
                          " WHERE type IN ('index', 'trigger') ORDER BY name)";

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_cmpint (count (fx->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (count (fx->store, "PRAGMA ignore_check_constraints"), ==, 0);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  /* The same indexes and triggers, with the same definitions, as a new
   * database: also those the generator set aside while it loaded. */
  {
    g_autofree char *want = NULL;
    g_autofree char *have = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_rr_store_get_db (fresh), index_sql, -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    want = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, index_sql, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    have = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    g_assert_nonnull (strstr (want, "decisions_client"));
    g_assert_nonnull (strstr (want, "report_facts_insert"));
    g_assert_nonnull (strstr (want, "events_no_replace"));
    g_assert_cmpstr (have, ==, want);
  }

  /* The number counters stand where the generator stopped, so the next
   * decision of a year gets the next number. */
  g_assert_cmpint (count (fx->store, "SELECT count (*) FROM counters"), ==,
                   count (fx->store, "SELECT count (DISTINCT substr (number, 4, 4)) FROM decisions"));
  g_assert_cmpint (count (fx->store,
                          "SELECT count (*) FROM counters c WHERE c.last IS NOT"
                          " (SELECT max (CAST (substr (number, 9) AS INTEGER)) FROM decisions"
                          "  WHERE substr (number, 4, 4) = CAST (c.year AS TEXT))"), ==, 0);

  g_assert_finalize_object (fresh);
  g_assert_no_error (error);
}

static void
test_bsn (DemoFixture   *fx,
          gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;
  gint64 with = count (fx->store, "SELECT count(*) FROM clients WHERE bsn IS NOT NULL");
  gint64 all = count (fx->store, "SELECT count(*) FROM clients");

  g_assert_cmpfloat ((double) with / all, >, 0.4);
  g_assert_cmpfloat ((double) with / all, <, 0.8);
  g_assert_cmpint (sqlite3_prepare_v2 (_rr_store_get_db (fx->store),
                                       "SELECT bsn FROM clients WHERE bsn IS NOT NULL", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_assert_true (rr_bsn_is_valid ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
}

static void
test_verify (DemoFixture   *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;

  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.problem, ==, NULL);
  g_assert_true (result.ok);
  g_assert_cmpint (result.n_events, >, N_DECISIONS);
  rr_verify_result_clear (&result);
}

static char *
dump_decisions_db (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT number, version, summary, outcome,"
                                           " decision_date FROM decisions ORDER BY id", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 5; i++)
      {
        g_string_append (out, (const char *) sqlite3_column_text (stmt, i));
        g_string_append_c (out, i < 4 ? '|' : '\n');
      }
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static char *
dump_decisions (const char *path)
{
  sqlite3 *db = rr_test_raw_open (path);
  char *dump = dump_decisions_db (db);

  sqlite3_close (db);
  return dump;
}

static char *
generate_and_dump (const char *dir,
                   const char *name,
                   guint64     seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  RrStore *store = open_initialised (path);

  g_assert_true (rr_demo_generate (store, 300, seed, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
  return dump_decisions (path);
}

static void
test_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rr-demo-XXXXXX", &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_no_error (error);
  a = generate_and_dump (dir, "a.db", 7);
  b = generate_and_dump (dir, "b.db", 7);
  c = generate_and_dump (dir, "c.db", 8);
  g_assert_cmpuint (strlen (a), >, 1000);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  rr_remove_tree (dir);
}

/* A database in a file is filled on two threads, through a working copy
 * beside it that is gone afterwards; one without a file on one thread.
 * Both make the same decisions, texts, report summary and a chain that
 * holds. */
static void
test_two_threads_one_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rr-demo-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GDir) listing = NULL;
  RrStore *stores[2];
  char *dumps[2] = { NULL, NULL };
  const char *name;

  g_assert_no_error (error);
  path = g_build_filename (dir, "two.db", NULL);
  stores[0] = open_initialised (path);
  stores[1] = open_initialised (":memory:");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GString) dump = NULL;
      g_autofree char *decisions = NULL;
      RrVerifyResult result;

      g_assert_true (rr_demo_generate (stores[i], 2500, 3, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (rr_ledger_verify (stores[i], NULL, &result, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (result.ok);
      rr_verify_result_clear (&result);

      decisions = dump_decisions_db (_rr_store_get_db (stores[i]));
      dump = g_string_new (decisions);
      g_string_append_printf (dump, "fts %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              count (stores[i], "SELECT count (*) FROM decisions_fts"
                                                " WHERE decisions_fts MATCH 'huur*'"),
                              count (stores[i], "SELECT count (*) FROM decisions_fts"));
      g_string_append_printf (dump, "summary %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              count (stores[i], "SELECT count (*) FROM report_facts"),
                              count (stores[i], "SELECT sum (n * (level + 1)) FROM report_rule_counts"),
                              count (stores[i], "SELECT sum (days_ms) FROM report_state_counts"),
                              count (stores[i], "SELECT count (*) FROM report_author_counts"));
      g_string_append_printf (dump, "rows %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              count (stores[i], "SELECT count (*) FROM reviews"),
                              count (stores[i], "SELECT count (*) FROM outcomes"),
                              count (stores[i], "SELECT count (*) FROM withdrawals"),
                              count (stores[i], "SELECT count (*) FROM events"));
      dumps[i] = g_string_free (g_steal_pointer (&dump), FALSE);
    }
  g_assert_cmpuint (strlen (dumps[0]), >, 10000);
  g_assert_cmpstr (dumps[0], ==, dumps[1]);

  /* Nothing of the working copy is left. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_has_prefix (name, "two.db") && strstr (name, "staging") == NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_finalize_object (stores[i]);
      g_free (dumps[i]);
    }
  rr_remove_tree (dir);
}

static char *
first_login (RrStore    *store,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *login = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_nonnull (login);
  return login;
}

static void
test_precedents (DemoFixture   *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  /* A klantmanager of the team with the most deviations from art. 18 lid 1. */
  g_autofree char *login = first_login (fx->store,
                                        "SELECT u.login FROM decisions d JOIN rules r ON r.id = d.rule_id"
                                        " JOIN users u ON u.team = d.team JOIN user_roles ur"
                                        " ON ur.user_id = u.id AND ur.role = 'klantmanager'"
                                        " WHERE r.code = 'PW-18-1' AND d.outcome = 'deviated'"
                                        " AND d.status = 'recorded'"
                                        " GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1");
  gboolean seen_other = FALSE;
  guint n_same = 0;

  found = rr_decisions_precedents (fx->store, login, "PW-18-1",
                                   "schulden mantelzorg kinderen dakloosheid", 10, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, >, 0);

  for (guint i = 0; i < found->len; i++)
    {
      RrPrecedent *p = g_ptr_array_index (found, i);
      char *sql;

      /* Same rule first, then others. */
      if (p->same_rule)
        {
          g_assert_false (seen_other);
          g_assert_cmpstr (p->rule_code, ==, "PW-18-1");
          n_same++;
        }
      else
        seen_other = TRUE;
      g_assert_cmpint (p->outcome, ==, RR_OUTCOME_DEVIATED);

      /* Pseudonymised: never the client's name or dossier number. */
      g_assert_nonnull (p->client_pseudonym);
      g_assert_cmpuint (strlen (p->client_pseudonym), >, 0);
      sql = sqlite3_mprintf ("SELECT count(*) FROM clients c JOIN decisions d ON d.client_id = c.id"
                             " WHERE d.number = '%q' AND (c.name = '%q' OR c.dossier = '%q')",
                             p->number, p->client_pseudonym, p->client_pseudonym);
      g_assert_cmpint (count (fx->store, sql), ==, 0);
      sqlite3_free (sql);
    }
  g_assert_cmpuint (n_same, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rr/demo/counts", DemoFixture, NULL, demo_setup, test_counts, demo_teardown);
  g_test_add ("/rr/demo/constraints", DemoFixture, NULL, demo_setup, test_constraints,
              demo_teardown);
  g_test_add ("/rr/demo/bsn", DemoFixture, NULL, demo_setup, test_bsn, demo_teardown);
  g_test_add ("/rr/demo/verify", DemoFixture, NULL, demo_setup, test_verify, demo_teardown);
  g_test_add ("/rr/demo/precedents", DemoFixture, NULL, demo_setup, test_precedents,
              demo_teardown);
  g_test_add_func ("/rr/demo/deterministic", test_deterministic);
  g_test_add_func ("/rr/demo/two-threads-one-thread", test_two_threads_one_thread);

  return g_test_run ();
}
