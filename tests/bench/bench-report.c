/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report benchmark of DESIGN §8 ("any report over the full data set
 * ≤ 1 s"): every report of §9 over the demo data set, as an auditor over all
 * teams and as a teamleider over their team, for the whole ten years and for
 * the last year; then the largest as a PDF (target ≤ 2 s). The baseline is
 * the bare SQL underneath: one aggregate over the same decisions on a plain
 * SQLite connection, measured in the same run.
 *
 * Usage: bench-report [N] (or RR_BENCH_DECISIONS=N; default 1,000,000).
 * RR_BENCH_DB=PATH uses (or makes, when missing) a demo database at PATH,
 * so repeated runs skip the generation. Exits 0 whether targets are met or
 * not; non-zero only on an error. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rr-core.h"

#define RUNS 3

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-report: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "bench-report: %s: %s\n", sql, sqlite3_errmsg (db));
      exit (2);
    }
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

/* The bare aggregate a report stands on: every current decision of the
 * period (of one team, or all), grouped, on a plain connection. */
static double
baseline_seconds (sqlite3    *db,
                  const char *from,
                  const char *to,
                  const char *team)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT rule_id, count (*), sum (outcome = 'deviated') FROM decisions"
    " WHERE status = 'recorded' AND decision_date BETWEEN ?1 AND ?2%s GROUP BY rule_id",
    team != NULL ? " AND team = ?3" : "");
  double best = G_MAXDOUBLE;

  for (int run = 0; run < RUNS; run++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 start = g_get_monotonic_time ();

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          fprintf (stderr, "bench-report: %s\n", sqlite3_errmsg (db));
          exit (2);
        }
      sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
      if (team != NULL)
        sqlite3_bind_text (stmt, 3, team, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      sqlite3_finalize (stmt);
      best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
    }
  return best;
}

static guint
report_size (const RrReport *report)
{
  guint rows = 0;

  for (guint i = 0; i < report->tables->len; i++)
    rows += ((RrReportTable *) g_ptr_array_index (report->tables, i))->rows->len;
  return rows;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *year_ago = NULL;
  g_autofree char *auditor = NULL;
  g_autofree char *teamleider = NULL;
  g_autofree char *team = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(RrReport) largest = NULL;
  const char *env = g_getenv ("RR_BENCH_DECISIONS");
  const char *kept = g_getenv ("RR_BENCH_DB");
  guint n = 1000000;
  guint n_reports;
  const RrReportInfo *infos = rr_report_list (&n_reports);
  sqlite3 *db = NULL;
  int failures = 0;
  double worst = 0.0;

  rr_core_init_i18n ();
  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (env != NULL)
    n = (guint) g_ascii_strtoull (env, NULL, 10);

  if (kept != NULL)
    path = g_strdup (kept);
  else
    {
      dir = g_dir_make_tmp ("rr-bench-report-XXXXXX", &error);
      if (dir == NULL)
        die ("temporary folder", error);
      path = g_build_filename (dir, "bench.db", NULL);
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gint64 start = g_get_monotonic_time ();

      store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
      if (store == NULL)
        die ("open", error);
      if (!rr_store_initialise (store, "bench", "Bench", "Gemeente Bench", "Team 1", &error))
        die ("initialise", error);
      if (!rr_demo_generate (store, n, 1, NULL, NULL, NULL, &error))
        die ("demo", error);
      g_clear_object (&store);
      printf ("generated %u decisions in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);
    }

  store = rr_store_open (path, RR_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    die ("open", error);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die ("open raw", NULL);

  first = raw_text (db, "SELECT min (decision_date) FROM decisions");
  last = raw_text (db, "SELECT max (decision_date) FROM decisions");
  auditor = raw_text (db, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                          " WHERE r.role = 'auditor' AND u.active = 1 ORDER BY u.id LIMIT 1");
  teamleider = raw_text (db, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                             " WHERE r.role = 'teamleider' AND u.active = 1"
                             " AND NOT EXISTS (SELECT 1 FROM user_roles a WHERE a.user_id = u.id"
                             "   AND a.role = 'auditor') ORDER BY u.id LIMIT 1");
  if (first == NULL || auditor == NULL || teamleider == NULL)
    die ("the demo data set has no decisions, auditor or teamleider", NULL);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT team FROM users WHERE login = '%s'",
                                            teamleider);
    team = raw_text (db, sql);
  }
  year_ago = rr_date_add_months (last, -12);
  printf ("%s: %s … %s; auditor %s, teamleider %s (%s)\n\n", path, first, last, auditor,
          teamleider, team);

  {
    struct {
      const char *who;
      const char *actor;
      const char *team;
      const char *from;
      const char *label;
    } cases[] = {
      { "auditor", auditor, NULL, first, "all teams, all years" },
      { "auditor", auditor, NULL, year_ago, "all teams, last year" },
      { "teamleider", teamleider, team, first, "one team, all years" },
      { "teamleider", teamleider, team, year_ago, "one team, last year" },
    };

    printf ("%-24s %-22s %9s %9s %7s  %s\n", "report", "scope", "report s", "SQL s", "ratio",
            "≤ 1 s");
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        double base = baseline_seconds (db, cases[c].from, last, cases[c].team);

        for (guint i = 0; i < n_reports; i++)
          {
            const char *actor = cases[c].actor;
            double best = G_MAXDOUBLE;

            /* Reflections are not the auditor's to read. */
            if (g_str_equal (infos[i].name, "verhalen") && g_str_equal (cases[c].who, "auditor"))
              continue;
            for (int run = 0; run < RUNS; run++)
              {
                gint64 start = g_get_monotonic_time ();
                g_autoptr(RrReport) report = rr_report_run (store, actor, infos[i].name,
                                                            cases[c].from, last, cases[c].team,
                                                            NULL, &error);

                if (report == NULL)
                  die (infos[i].name, error);
                best = MIN (best, (g_get_monotonic_time () - start) / 1e6);
                if (largest == NULL || report_size (report) > report_size (largest))
                  largest = g_steal_pointer (&report);
              }
            worst = MAX (worst, best);
            if (best > 1.0)
              failures++;
            printf ("%-24s %-22s %9.3f %9.3f %7.1f  %s\n", infos[i].name, cases[c].label, best,
                    base, base > 0 ? best / base : 0.0, best <= 1.0 ? "PASS" : "FAIL");
          }
      }
  }

  {
    g_autofree char *pdf = g_build_filename (dir != NULL ? dir : g_get_tmp_dir (),
                                             "bench-report.pdf", NULL);
    gint64 start = g_get_monotonic_time ();
    double seconds;

    if (!rr_report_write_pdf (largest, pdf, &error))
      die ("pdf", error);
    seconds = (g_get_monotonic_time () - start) / 1e6;
    printf ("\nPDF of the largest report (%s, %u rows): %.3f s  %s\n", largest->name,
            report_size (largest), seconds, seconds <= 2.0 ? "PASS" : "FAIL");
    if (seconds > 2.0)
      failures++;
    g_unlink (pdf);
  }
  printf ("slowest report: %.3f s; %d target(s) missed\n", worst, failures);

  sqlite3_close (db);
  g_clear_object (&store);
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
