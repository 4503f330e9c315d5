/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-test"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "rr-test-util.h"
#include "rr-report-private.h"
#include "rr-schema.h"

/* The report summary of schema version 3 against the reports as they were
 * computed before it, straight from the decisions (report-reference.c),
 * and against a summary rebuilt from scratch: after a mix of records,
 * supersedes, withdrawals, reviews and outcomes through the ordinary
 * commands, after the demo generator's bulk load, and after migrating a
 * version 2 database that already holds decisions. */
#include "report-reference.c"

static const char * const summary_tables[] = {
  "SELECT * FROM report_facts ORDER BY decision_id",
  "SELECT * FROM report_rule_counts ORDER BY " "level, period, team, rule_id, kind, outcome, reason, effect",
  "SELECT * FROM report_state_counts ORDER BY level, period, team, outcome, effect, dated, sanction,"
  " contact, within_mandate, mandate_kind, approval, verdict, advised",
  "SELECT * FROM report_author_counts ORDER BY level, period, author_id, team, outcome, open",
};

/* Every row of the summary as text. */
static char *
dump_summary (RrStore *store)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = _rr_store_get_db (store);

  for (guint t = 0; t < G_N_ELEMENTS (summary_tables); t++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, summary_tables[t], -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (out, "%s\n", summary_tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            g_string_append_printf (out, "%s|", sqlite3_column_type (stmt, i) == SQLITE_NULL
                                    ? "NULL" : (const char *) sqlite3_column_text (stmt, i));
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

/* What the triggers kept equals what a rebuild from scratch makes, and
 * no count is zero or below. */
static void
assert_summary_rebuilds (RrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = dump_summary (store);
  g_autofree char *rebuilt = NULL;
  sqlite3 *db = _rr_store_get_db (store);

  g_assert_cmpint (rr_test_raw_int (db, "SELECT count (*) FROM report_facts"), ==,
                   rr_test_raw_int (db, "SELECT count (*) FROM decisions"
                                        " WHERE status = 'recorded'"));
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count (*) FROM report_rule_counts WHERE n <= 0")
                   + rr_test_raw_int (db, "SELECT count (*) FROM report_state_counts WHERE n <= 0")
                   + rr_test_raw_int (db, "SELECT count (*) FROM report_author_counts WHERE n <= 0"),
                   ==, 0);
  g_assert_true (_rr_report_summary_rebuild (store, &error));
  g_assert_no_error (error);
  g_assert_false (_rr_store_get_bulk_loading (store));
  rebuilt = dump_summary (store);
  g_assert_cmpstr (kept, ==, rebuilt);
}

static void
assert_same_value (double a,
                   double b)
{
  if (isnan (a) || isnan (b))
    g_assert_true (isnan (a) && isnan (b));
  else
    g_assert_cmpfloat_with_epsilon (a, b, 1e-9 * MAX (1.0, fabs (a)));
}

static void
assert_same_report (const RrReport *a,
                    const RrReport *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->scope, ==, b->scope);
  g_assert_cmpstr (a->from, ==, b->from);
  g_assert_cmpstr (a->to, ==, b->to);
  g_assert_cmpuint (a->paragraphs->len, ==, b->paragraphs->len);
  for (guint i = 0; i < a->paragraphs->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->paragraphs, i), ==, g_ptr_array_index (b->paragraphs, i));

  g_assert_cmpuint (a->tables->len, ==, b->tables->len);
  for (guint t = 0; t < a->tables->len; t++)
    {
      RrReportTable *ta = g_ptr_array_index (a->tables, t);
      RrReportTable *tb = g_ptr_array_index (b->tables, t);

      g_assert_cmpstr (ta->title, ==, tb->title);
      g_assert_cmpstr (ta->note, ==, tb->note);
      g_assert_cmpuint (ta->columns->len, ==, tb->columns->len);
      g_assert_cmpuint (ta->rows->len, ==, tb->rows->len);
      for (guint r = 0; r < ta->rows->len; r++)
        {
          RrReportRow *ra = g_ptr_array_index (ta->rows, r);
          RrReportRow *rb = g_ptr_array_index (tb->rows, r);

          g_assert_cmpint (ra->aggregate, ==, rb->aggregate);
          for (guint c = 0; c < ta->columns->len; c++)
            {
              g_assert_cmpstr (ra->cells[c].text, ==, rb->cells[c].text);
              assert_same_value (ra->cells[c].value, rb->cells[c].value);
            }
        }
    }

  g_assert_cmpuint (a->charts->len, ==, b->charts->len);
  for (guint i = 0; i < a->charts->len; i++)
    {
      RrReportChart *ca = g_ptr_array_index (a->charts, i);
      RrReportChart *cb = g_ptr_array_index (b->charts, i);

      g_assert_cmpstr (ca->title, ==, cb->title);
      g_assert_cmpuint (ca->categories->len, ==, cb->categories->len);
      for (guint j = 0; j < ca->categories->len; j++)
        g_assert_cmpstr (g_ptr_array_index (ca->categories, j), ==,
                         g_ptr_array_index (cb->categories, j));
      g_assert_cmpuint (ca->series->len, ==, cb->series->len);
      for (guint j = 0; j < ca->series->len; j++)
        {
          RrReportSeries *sa = g_ptr_array_index (ca->series, j);
          RrReportSeries *sb = g_ptr_array_index (cb->series, j);

          g_assert_cmpstr (sa->label, ==, sb->label);
          g_assert_cmpuint (sa->values->len, ==, sb->values->len);
          for (guint k = 0; k < sa->values->len; k++)
            assert_same_value (g_array_index (sa->values, double, k),
                               g_array_index (sb->values, double, k));
        }
    }
}

/* Every report, as every kind of viewer, over periods that start and end
 * on a month's first and last days, within months, across years, and on
 * one day: the summary's figures are the reference's. */
static void
assert_reports_match (RrStore    *store,
                      const char *first,
                      const char *last,
                      const char * const *actors,
                      const char * const *teams)
{
  const char *periods[][2] = {
    { first, last },
    { NULL, last },
    { first, NULL },
    { "2024-01-01", "2025-12-31" },
    { "2024-02-01", "2024-02-29" },
    { "2023-11-15", "2026-03-14" },
    { "2024-12-31", "2025-01-01" },
    { "2025-03-01", "2026-06-30" },
    { "2025-06-17", "2025-06-17" },
    { "2016-01-01", "2099-12-31" },
  };
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);
  guint compared = 0;

  for (guint a = 0; actors[a] != NULL; a++)
    for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GError) ref_error = NULL;
          g_autoptr(RrReport) report = NULL;
          g_autoptr(RrReport) reference = NULL;

          report = rr_report_run (store, actors[a], infos[i].name, periods[p][0], periods[p][1],
                                  teams[a], NULL, &error);
          reference = reference_report_run (store, actors[a], infos[i].name, periods[p][0],
                                            periods[p][1], teams[a], NULL, &ref_error);
          if (reference == NULL)
            {
              /* Refused alike (an auditor and the stories). */
              g_assert_nonnull (ref_error);
              g_assert_error (error, ref_error->domain, ref_error->code);
              continue;
            }
          g_assert_no_error (error);
          assert_same_report (report, reference);
          compared++;
        }
  g_assert_cmpuint (compared, >, 0);
}

/* --------------------------------------------------------------- data */

static RrDecisionInput *
mixed_input (GRand *rand,
             int    i)
{
  static const char * const rules[] = { "PW-18-1", "PW-18-2" };
  static const char * const kinds[] = { "which-rule", "policy", "sanction" };
  static const char * const reasons[] = { "disproportionate", "not-foreseen", "client-interest" };
  gboolean deviated = g_rand_int_range (rand, 0, 100) < 40;
  RrDecisionInput *in = deviated ? rr_test_deviation_input () : rr_test_applied_input ();
  /* Days around the turns of months and years, from 2023 to 2026. */
  int year = g_rand_int_range (rand, 2023, 2027);
  int month = g_rand_int_range (rand, 1, 13);
  int day = (int[]) { 1, 2, 14, 15, 28, 31 }[g_rand_int_range (rand, 0, 6)];

  if (year == 2026 && month > 10)
    month = 10;
  day = MIN (day, (int) g_date_get_days_in_month (month, year));
  g_free (in->rule);
  in->rule = g_strdup (rules[g_rand_int_range (rand, 0, 2)]);
  g_free (in->kind);
  in->kind = g_strdup (kinds[g_rand_int_range (rand, 0, 3)]);
  if (deviated)
    {
      g_free (in->reason);
      in->reason = g_strdup (reasons[i % 3]);
    }
  if (g_str_equal (in->kind, "sanction"))
    {
      in->sanction = i % 3 == 0 ? RR_SANCTION_REFRAINED : RR_SANCTION_IMPOSED;
      if (i % 4 != 0)
        in->contact_date = g_strdup_printf ("%04d-%02d-01", year, month);
    }
  in->decision_date = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  switch (i % 5)
    {
    case 0:
      in->follow_up = g_strdup ("2099-01-01");
      break;
    case 1:
      in->follow_up = rr_date_today ();
      break;
    case 2:
      in->follow_up = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
      break;
    default:
      break;
    }
  return in;
}

/* Records, supersedes, withdrawals, verdicts, advice and outcomes in a
 * varied order, through the ordinary commands (and so the triggers). */
static void
add_mixed (RrFixture *fx,
           guint      n,
           guint32    seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) authors = g_ptr_array_new ();
  static const char * const kms[] = { "km1", "km2", "km3" };
  static const char * const clients[] = { "D-1", "D-2", "Z-1" };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      guint k = g_rand_int_range (rand, 0, 3);
      g_autoptr(RrDecisionInput) in = mixed_input (rand, (int) i);
      char *number;

      g_free (in->client);
      in->client = g_strdup (clients[k]);
      number = rr_decisions_record (fx->store, kms[k], in, &error);
      g_assert_no_error (error);
      g_ptr_array_add (numbers, number);
      g_ptr_array_add (authors, (gpointer) kms[k]);
    }

  for (guint i = 0; i < n; i++)
    {
      const char *number = g_ptr_array_index (numbers, i);
      const char *author = g_ptr_array_index (authors, i);
      const char *leader = g_str_equal (author, "km3") ? "tl2" : "tl1";
      int r = g_rand_int_range (rand, 0, 100);
      g_autoptr(GError) error = NULL;

      /* Refusals (a verdict a decision does not need, an outcome on a
       * withdrawn one) are fine: the summary must follow what is kept. */
      if (r < 35)
        rr_reviews_verdict (fx->store, leader, number,
                            (RrVerdict[]) { RR_VERDICT_AKKOORD, RR_VERDICT_AKKOORD_MET_AANVULLING,
                                            RR_VERDICT_VRAGEN, RR_VERDICT_NIET_AKKOORD }[r % 4],
                            "Gezien.", &error);
      g_clear_error (&error);
      if (r % 7 == 0)
        rr_reviews_advise (fx->store, g_str_equal (author, "km1") ? "km2" : "km1", number,
                           "Mee eens.", &error);
      g_clear_error (&error);
      if (r % 3 == 0)
        rr_outcomes_record (fx->store, author, number,
                            (RrEffect[]) { RR_EFFECT_BEREIKT, RR_EFFECT_DEELS, RR_EFFECT_NIET,
                                           RR_EFFECT_ONBEKEND }[r % 4],
                            "Nazorg.", &error);
      g_clear_error (&error);
      if (r % 11 == 0)
        {
          g_autoptr(RrDecisionInput) in = mixed_input (rand, (int) i);
          g_autofree char *client = NULL;

          g_free (in->client);
          in->client = g_strdup (g_str_equal (author, "km3") ? "Z-1"
                                 : g_str_equal (author, "km1") ? "D-1" : "D-2");
          g_assert_cmpint (rr_decisions_supersede (fx->store, author, number, in, &error), >, 1);
          g_assert_no_error (error);
          /* A second outcome and a verdict on the new version. */
          if (r % 2 == 0)
            {
              rr_outcomes_record (fx->store, author, number, RR_EFFECT_DEELS, "Later.", &error);
              g_clear_error (&error);
            }
          rr_reviews_verdict (fx->store, leader, number, RR_VERDICT_AKKOORD, NULL, &error);
          g_clear_error (&error);
        }
      else if (r % 13 == 0)
        {
          g_assert_true (rr_decisions_withdraw (fx->store, author, number, "Vergissing.",
                                                &error));
          g_assert_no_error (error);
        }
    }
}

static const char * const viewers[] = { "km1", "km3", "tl1", "tl2", "aud", "aud", "aud", NULL };
static const char * const viewer_teams[] = { NULL, NULL, NULL, NULL, NULL, "Team Zuid",
                                             "Team Noord", NULL };

/* --------------------------------------------------------------- tests */

static void
test_mixed (RrFixture     *fx,
            gconstpointer  user_data)
{
  add_mixed (fx, 240, 7);
  assert_summary_rebuilds (fx->store);
  assert_reports_match (fx->store, "2023-01-01", "2026-10-31", viewers, viewer_teams);
}

/* The demo's bulk load skips the triggers and rebuilds once; afterwards
 * the connection keeps the summary again. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  RrFixture fx = { 0 };
  sqlite3 *db;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *auditor = NULL;
  g_autofree char *teamleider = NULL;
  g_autofree char *klantmanager = NULL;
  g_autofree char *team = NULL;

  rr_fixture_open (&fx);
  g_assert_true (rr_store_initialise (fx.store, "beheer", "Bea Beheer", "Gemeente Test",
                                      "Team Noord", &error));
  g_assert_no_error (error);
  g_assert_true (rr_demo_generate (fx.store, 3000, 11, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (_rr_store_get_bulk_loading (fx.store));
  db = _rr_store_get_db (fx.store);
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count (*) FROM report_facts"), >, 2900);
  assert_summary_rebuilds (fx.store);

  {
    sqlite3_stmt *stmt = NULL;
    const char *sql =
      "SELECT min (decision_date), max (decision_date),"
      " (SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
      "  WHERE r.role = 'auditor' AND u.active = 1 ORDER BY u.id LIMIT 1),"
      " (SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
      "  WHERE r.role = 'teamleider' AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM user_roles a"
      "  WHERE a.user_id = u.id AND a.role = 'auditor') ORDER BY u.id LIMIT 1),"
      " (SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
      "  WHERE r.role = 'klantmanager' AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM user_roles a"
      "  WHERE a.user_id = u.id AND a.role IN ('auditor', 'teamleider')) ORDER BY u.id LIMIT 1)"
      " FROM decisions";

    g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    last = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    auditor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    teamleider = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    klantmanager = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    sqlite3_finalize (stmt);
  }
  g_assert_nonnull (auditor);
  g_assert_nonnull (teamleider);
  g_assert_nonnull (klantmanager);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT team FROM users WHERE login = '%s'",
                                            teamleider);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    team = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  {
    const char *actors[] = { auditor, auditor, teamleider, klantmanager, NULL };
    const char *teams[] = { NULL, team, NULL, NULL, NULL };

    assert_reports_match (fx.store, first, last, actors, teams);
  }

  /* Keeping the summary on an outcome looks the decision up by number: a
   * few hundred virtual machine steps, not a walk over every recorded
   * decision (without table statistics SQLite would rather take an index
   * that starts with the status). */
  {
    sqlite3_stmt *stmt = NULL;
    int steps;

    g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "INSERT INTO outcomes (uuid, number, decision_id,"
                                         " author_id, effect, note, recorded_at)"
                                         " SELECT '00000000-0000-7000-8000-000000000001',"
                                         " d.number, d.id, d.author_id, 'bereikt', NULL,"
                                         " '2026-01-01T00:00:00Z' FROM decisions d"
                                         " WHERE d.id = (SELECT max (id) FROM decisions)",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    steps = sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
    g_test_message ("outcome insert with its summary triggers: %d steps", steps);
    g_assert_cmpint (steps, <, 3000);

  }
  rr_fixture_teardown (&fx, NULL);
}

static void
cancel_halfway (double   fraction,
                gpointer user_data)
{
  if (fraction > 0.5)
    g_cancellable_cancel (user_data);
}

/* A demo cancelled after its first batch keeps what it committed, and the
 * summary of it. */
static void
test_demo_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RrFixture fx = { 0 };

  rr_fixture_open (&fx);
  g_assert_true (rr_store_initialise (fx.store, "beheer", "Bea Beheer", "Gemeente Test",
                                      "Team Noord", &error));
  g_assert_no_error (error);
  g_assert_false (rr_demo_generate (fx.store, 11000, 5, cancel_halfway, cancellable,
                                    cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (_rr_store_get_bulk_loading (fx.store));
  g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (fx.store),
                                    "SELECT count (*) FROM report_facts"), >, 9000);
  assert_summary_rebuilds (fx.store);
  rr_fixture_teardown (&fx, NULL);
}

/* A version 2 database with decisions, reviews and outcomes: migrating
 * builds the summary from them, and the triggers carry on from there. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  RrFixture fx = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("rr-report-mig-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "v2.db", NULL);
  fx.store = rr_store_open_at_version (path, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rr_store_get_schema_version (fx.store), ==, 2);
  fx.dir = g_strdup (dir);
  fx.path = g_strdup (path);
  /* The usual team, at version 2: no summary tables, no triggers. */
  g_clear_object (&fx.store);
  {
    RrFixture setup = { 0 };

    setup.store = rr_store_open_at_version (path, 2, &error);
    g_assert_no_error (error);
    setup.dir = fx.dir;
    setup.path = fx.path;
    rr_store_initialise (setup.store, "beheer", "Bea Beheer", "Gemeente Test", "Team Noord",
                         &error);
    g_assert_no_error (error);
#define ADD_USER(login, name, t, roles) \
    do { rr_users_add (setup.store, "beheer", login, name, t, roles, &error); \
         g_assert_no_error (error); } while (0)
    ADD_USER ("km1", "Karin Mol", "Team Noord", RR_ROLE_KLANTMANAGER);
    ADD_USER ("km2", "Kees Maas", "Team Noord", RR_ROLE_KLANTMANAGER);
    ADD_USER ("tl1", "Tineke Lont", "Team Noord", RR_ROLE_TEAMLEIDER);
    ADD_USER ("km3", "Koen Meijer", "Team Zuid", RR_ROLE_KLANTMANAGER);
    ADD_USER ("tl2", "Tom Leeuw", "Team Zuid", RR_ROLE_TEAMLEIDER);
    ADD_USER ("aud", "Anna Uden", "Team Noord", RR_ROLE_AUDITOR);
#undef ADD_USER
    rr_clients_add (setup.store, "km1", "D-1", "Jan Jansen", NULL, &error);
    g_assert_no_error (error);
    rr_clients_add (setup.store, "km2", "D-2", "Piet Pietersen", NULL, &error);
    g_assert_no_error (error);
    rr_clients_add (setup.store, "km3", "Z-1", "Sara de Wit", NULL, &error);
    g_assert_no_error (error);
    add_mixed (&setup, 120, 3);
    g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (setup.store),
                                      "SELECT count (*) FROM sqlite_schema"
                                      " WHERE name = 'report_facts'"), ==, 0);
    g_clear_object (&setup.store);
  }

  fx.store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rr_store_get_schema_version (fx.store), ==, rr_store_latest_schema_version ());
  g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (fx.store),
                                    "SELECT count (*) FROM report_facts"), >, 100);
  assert_summary_rebuilds (fx.store);
  assert_reports_match (fx.store, "2023-01-01", "2026-10-31", viewers, viewer_teams);

  /* And on from there, through the triggers. */
  add_mixed (&fx, 60, 5);
  assert_summary_rebuilds (fx.store);
  assert_reports_match (fx.store, "2023-01-01", "2026-10-31", viewers, viewer_teams);
  rr_fixture_teardown (&fx, NULL);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/rr/report-summary/mixed", RrFixture, NULL, rr_fixture_setup, test_mixed,
              rr_fixture_teardown);
  g_test_add_func ("/rr/report-summary/demo", test_demo);
  g_test_add_func ("/rr/report-summary/demo-cancelled", test_demo_cancelled);
  g_test_add_func ("/rr/report-summary/migrate", test_migrate);

  return g_test_run ();
}
