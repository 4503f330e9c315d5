/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The core benchmark of DESIGN §8: builds the reference data set once and
 * prints every figure beside a bare-SQLite baseline measured in the same
 * run. Usage: bench-core [N] (or RR_BENCH_DECISIONS=N; default 1,000,000).
 * RR_BENCH_DIR keeps the files in that folder instead of a temporary one.
 * RR_BENCH_DB=PATH makes the data set at PATH when it is missing, and
 * otherwise uses it as it is (no generation figures then).
 * RR_BENCH_GENERATE_ONLY=1 stops after the generation and its baseline
 * (with the file sizes): the other figures take long at a million.
 * Exits 0 whether targets are met or not; non-zero only on an error. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rr-core.h"

#define N_RECORD     500
#define N_SEARCH     200
#define N_PAGES      200
#define BATCH        10000

typedef struct {
  const char *what;
  double      value;
  double      baseline;
  double      target;
  gboolean    higher_is_better;
  const char *unit;
} Row;

static GArray *rows;

static void
add_row (const char *what,
         double      value,
         double      baseline,
         double      target,
         gboolean    higher_is_better,
         const char *unit)
{
  Row row = { what, value, baseline, target, higher_is_better, unit };
  g_array_append_val (rows, row);
}

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-core: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      fprintf (stderr, "bench-core: %s: %s\n", sql, message);
      exit (2);
    }
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      fprintf (stderr, "bench-core: cannot open %s\n", path);
      exit (2);
    }
  return db;
}

static sqlite3_stmt *
raw_prepare (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "bench-core: %s: %s\n", sql, sqlite3_errmsg (db));
      exit (2);
    }
  return stmt;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = raw_prepare (db, sql);
  gint64 n = 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = raw_prepare (db, sql);
  char *text = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Percentile @p (0–100) of @ms, which it sorts. */
static double
percentile (GArray *ms,
            double  p)
{
  guint i;

  g_array_sort (ms, compare_doubles);
  i = (guint) (p / 100.0 * (ms->len - 1) + 0.5);
  return g_array_index (ms, double, MIN (i, ms->len - 1));
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static const char * const words[] = {
  "schulden", "mantelzorg", "kinderen", "dakloosheid", "huurachterstand", "psychische",
  "klachten", "verlaging", "verwijtbaarheid", "ontheffing", "bewindvoering", "schuldhulp",
  "behandeling", "werk", "bijzondere", "kosten", "terugvordering", "huisuitzetting",
  "laaggeletterdheid", "wijkteam", "scheiding", "opleiding", "ziekenhuis", "evenredig",
};

static char *
random_text (GRand *rand,
             int    n_words)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  return g_string_free (text, FALSE);
}

static void
random_uuid (GRand *rand,
             char  *out)
{
  g_snprintf (out, 37, "%08x-%04x-4%03x-%04x-%08x%04x", g_rand_int (rand),
              g_rand_int (rand) & 0xffff, g_rand_int (rand) & 0xfff,
              0x8000 | (g_rand_int (rand) & 0x3fff), g_rand_int (rand),
              g_rand_int (rand) & 0xffff);
}

/* The same number of rows into equivalent tables with plain inserts: a
 * decision-like row, its FTS row and three event-like rows, 10,000 per
 * transaction, with the pragmas of a bulk connection. Returns rows/s. */
static double
baseline_generate (const char *path,
                   guint       n)
{
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *d, *f, *e;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  const char *hash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
  gint64 seq = 0;
  gint64 start;

  raw_exec (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"
                "PRAGMA cache_size = -262144; PRAGMA synchronous = OFF;"
                "PRAGMA temp_store = MEMORY;"
                "CREATE TABLE d (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                " number TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,"
                " client_id INTEGER NOT NULL, author_id INTEGER NOT NULL, team TEXT NOT NULL,"
                " decision_date TEXT NOT NULL, recorded_at TEXT NOT NULL, kind TEXT NOT NULL,"
                " rule_id INTEGER NOT NULL, outcome TEXT NOT NULL, summary TEXT,"
                " circumstances TEXT, explanation TEXT, reason TEXT, follow_up TEXT,"
                " retention_until TEXT NOT NULL, content_hash TEXT NOT NULL,"
                " UNIQUE (number, version)) STRICT;"
                "CREATE INDEX d_author ON d (author_id, status, decision_date);"
                "CREATE INDEX d_team ON d (team, status, decision_date);"
                "CREATE INDEX d_rule ON d (rule_id, status, outcome);"
                "CREATE INDEX d_client ON d (client_id, decision_date);"
                "CREATE INDEX d_date ON d (status, decision_date);"
                "CREATE INDEX d_follow_up ON d (status, follow_up);"
                "CREATE VIRTUAL TABLE d_fts USING fts5 (summary, circumstances, explanation,"
                " content = 'd', content_rowid = 'id',"
                " tokenize = 'unicode61 remove_diacritics 2');"
                "CREATE TABLE e (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                " at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
                " entity_type TEXT NOT NULL, entity_uuid TEXT NOT NULL,"
                " content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;"
                "CREATE INDEX e_entity ON e (entity_uuid);");
  d = raw_prepare (db, "INSERT INTO d (uuid, number, version, status, client_id, author_id, team,"
                       " decision_date, recorded_at, kind, rule_id, outcome, summary,"
                       " circumstances, explanation, reason, follow_up, retention_until,"
                       " content_hash) VALUES (?1, ?2, 1, 'recorded', ?3, ?4, 'Team Noord',"
                       " ?5, ?6, 'which-rule', ?7, ?8, ?9, ?10, ?11, ?12, ?5, ?5, ?13)");
  f = raw_prepare (db, "INSERT INTO d_fts (rowid, summary, circumstances, explanation)"
                       " VALUES (?, ?, ?, ?)");
  e = raw_prepare (db, "INSERT INTO e (seq, uuid, at, actor, action, entity_type, entity_uuid,"
                       " content_hash, prev_hash, hash) VALUES (?, ?, '2026-01-01T10:00:00.000000Z',"
                       " 'jdevries', 'decision.recorded', 'decision', ?, ?, ?, ?)");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      char uuid[40], event_uuid[40], number[32], date[16];
      gboolean deviated = g_rand_int_range (rand, 0, 10) < 3;
      g_autofree char *summary = random_text (rand, 6);
      g_autofree char *circumstances = deviated ? random_text (rand, 30) : NULL;
      g_autofree char *explanation = deviated ? random_text (rand, 30) : NULL;

      if (i % BATCH == 0)
        raw_exec (db, "BEGIN IMMEDIATE");
      random_uuid (rand, uuid);
      g_snprintf (number, sizeof number, "RR-%04u-%06u", 2016 + i * 10 / n, i + 1);
      g_snprintf (date, sizeof date, "%04u-%02u-%02u", 2016 + i * 10 / n, 1 + i % 12, 1 + i % 28);
      sqlite3_bind_text (d, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (d, 2, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (d, 3, g_rand_int_range (rand, 1, 50000));
      sqlite3_bind_int (d, 4, g_rand_int_range (rand, 1, 500));
      sqlite3_bind_text (d, 5, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (d, 6, "2026-01-01T10:00:00.000000Z", -1, SQLITE_STATIC);
      sqlite3_bind_int (d, 7, g_rand_int_range (rand, 1, 21));
      sqlite3_bind_text (d, 8, deviated ? "deviated" : "applied", -1, SQLITE_STATIC);
      sqlite3_bind_text (d, 9, summary, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (d, 10, circumstances, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (d, 11, explanation, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (d, 12, deviated ? "disproportionate" : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (d, 13, hash, -1, SQLITE_STATIC);
      if (sqlite3_step (d) != SQLITE_DONE)
        die ("baseline insert", NULL);
      sqlite3_reset (d);

      sqlite3_bind_int64 (f, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (f, 2, summary, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (f, 3, circumstances, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (f, 4, explanation, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (f) != SQLITE_DONE)
        die ("baseline fts insert", NULL);
      sqlite3_reset (f);

      for (int k = 0; k < 3; k++)
        {
          random_uuid (rand, event_uuid);
          sqlite3_bind_int64 (e, 1, ++seq);
          sqlite3_bind_text (e, 2, event_uuid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (e, 3, k == 0 ? uuid : event_uuid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (e, 4, hash, -1, SQLITE_STATIC);
          sqlite3_bind_text (e, 5, hash, -1, SQLITE_STATIC);
          sqlite3_bind_text (e, 6, hash, -1, SQLITE_STATIC);
          if (sqlite3_step (e) != SQLITE_DONE)
            die ("baseline event insert", NULL);
          sqlite3_reset (e);
        }
      if (i % BATCH == BATCH - 1 || i == n - 1)
        raw_exec (db, "COMMIT");
    }
  sqlite3_finalize (d);
  sqlite3_finalize (f);
  sqlite3_finalize (e);
  sqlite3_close (db);
  return n / ((g_get_monotonic_time () - start) / 1e6);
}

/* One row in its own transaction, synchronous=FULL in WAL: p95 in ms. */
static double
baseline_record (const char *path)
{
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *stmt;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  raw_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                "CREATE TABLE r (id INTEGER PRIMARY KEY, summary TEXT NOT NULL) STRICT;");
  stmt = raw_prepare (db, "INSERT INTO r (summary) VALUES ('Bijstand afgestemd op de gezinssituatie')");
  for (int i = 0; i < N_RECORD; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double t;

      raw_exec (db, "BEGIN IMMEDIATE");
      if (sqlite3_step (stmt) != SQLITE_DONE)
        die ("baseline record", NULL);
      sqlite3_reset (stmt);
      raw_exec (db, "COMMIT");
      t = elapsed_ms (start);
      g_array_append_val (ms, t);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return percentile (ms, 95);
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? atol (line + 6) : -1;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *km = NULL;
  g_autofree char *km_client = NULL;
  g_autofree char *leader = NULL;
  g_autofree char *auditor = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GArray) ms = NULL;
  const char *env = g_getenv ("RR_BENCH_DECISIONS");
  const char *kept = g_getenv ("RR_BENCH_DB");
  gboolean reuse = kept != NULL && g_file_test (kept, G_FILE_TEST_EXISTS);
  guint n = 1000000;
  sqlite3 *raw;
  gint64 start, n_decisions, n_rows;
  double demo_rate, base_rate, p95_base;
  RrDecisionFilter filter;

  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (env != NULL)
    n = (guint) g_ascii_strtoull (env, NULL, 10);
  if (n < 1000)
    n = 1000;

  rr_core_init_i18n ();
  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  if (g_getenv ("RR_BENCH_DIR") != NULL)
    {
      dir = g_strdup (g_getenv ("RR_BENCH_DIR"));
      g_mkdir_with_parents (dir, 0700);
    }
  else if ((dir = g_dir_make_tmp ("rr-bench-XXXXXX", &error)) == NULL)
    die ("temporary folder", error);
  path = kept != NULL ? g_strdup (kept) : g_build_filename (dir, "bench.db", NULL);
  base_path = g_build_filename (dir, "baseline.db", NULL);
  record_path = g_build_filename (dir, "baseline-record.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  for (const char *p = kept != NULL ? base_path : path; p != NULL;
       p = p == path ? base_path : p == base_path ? record_path : NULL)
    {
      g_autofree char *w = g_strconcat (p, "-wal", NULL);
      g_autofree char *s = g_strconcat (p, "-shm", NULL);
      g_unlink (p);
      g_unlink (w);
      g_unlink (s);
    }
  fprintf (stderr, "bench-core: %s\n", reuse ? path : dir);

  /* 1. The reference data set, and the bare baseline. */
  if (!reuse)
    {
      store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
      if (store == NULL || !rr_store_initialise (store, "beheer", "Beheer", "Gemeente Bench",
                                                 "Team Noord", &error))
        die ("create", error);
      start = g_get_monotonic_time ();
      if (!rr_demo_generate (store, n, 1, NULL, NULL, NULL, &error))
        die ("demo", error);
      demo_rate = n / ((g_get_monotonic_time () - start) / 1e6);
      g_clear_object (&store);
      base_rate = baseline_generate (base_path, n);
      add_row ("generate (decisions/s)", demo_rate, base_rate, 20000, TRUE, "/s");
    }

  raw = raw_open (path);
  n_decisions = raw_int (raw, "SELECT count(*) FROM decisions");
  if (g_getenv ("RR_BENCH_GENERATE_ONLY") != NULL && !reuse)
    {
      sqlite3_close (raw);
      goto sizes;
    }
  km = raw_text (raw, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                      " AND r.role = 'klantmanager' JOIN clients c ON c.owner_id = u.id"
                      " AND c.active = 1 WHERE u.login <> 'beheer'"
                      " GROUP BY u.id ORDER BY count(*) DESC LIMIT 1");
  {
    char *sql = sqlite3_mprintf ("SELECT c.dossier FROM clients c JOIN users u ON u.id = c.owner_id"
                                 " WHERE u.login = '%q' AND c.active = 1 LIMIT 1", km);
    km_client = raw_text (raw, sql);
    sqlite3_free (sql);
  }
  {
    char *sql = sqlite3_mprintf ("SELECT l.login FROM users l JOIN user_roles r ON r.user_id = l.id"
                                 " AND r.role = 'teamleider' JOIN users k ON k.team = l.team"
                                 " WHERE k.login = '%q' LIMIT 1", km);
    leader = raw_text (raw, sql);
    sqlite3_free (sql);
  }
  auditor = raw_text (raw, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                           " AND r.role = 'auditor' ORDER BY u.id LIMIT 1");
  sqlite3_close (raw);
  if (km == NULL || km_client == NULL || leader == NULL || auditor == NULL)
    die ("finding users in the demo data", NULL);

  /* 2. Recording on a normal (synchronous=FULL) connection. */
  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("reopen", error);
  ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < N_RECORD; i++)
    {
      g_autoptr(RrDecisionInput) in = rr_decision_input_new ();
      g_autofree char *number = NULL;
      double t;

      in->client = g_strdup (km_client);
      in->rule = g_strdup ("PW-18-1");
      in->kind = g_strdup ("which-rule");
      in->summary = g_strdup ("Verplichtingen afgestemd op wat klant kan");
      if (i % 3 == 0)
        {
          in->outcome = RR_OUTCOME_DEVIATED;
          in->circumstances = g_strdup ("Klant is mantelzorger en heeft problematische schulden; "
                                        "dakloosheid dreigt binnen vier weken.");
          in->explanation = g_strdup ("Volledige toepassing zou het schuldhulptraject "
                                      "doorkruisen; dat staat niet in verhouding tot het doel.");
          in->reason = g_strdup ("disproportionate");
          rr_decision_input_set_weighing (in, "wellbeing", RR_RELEVANCE_DECISIVE, "Kinderen");
        }
      else
        in->outcome = RR_OUTCOME_APPLIED;
      start = g_get_monotonic_time ();
      number = rr_decisions_record (store, km, in, &error);
      t = elapsed_ms (start);
      if (number == NULL)
        die ("record", error);
      g_array_append_val (ms, t);
    }
  p95_base = baseline_record (record_path);
  add_row ("record p50 (ms)", percentile (ms, 50), NAN, NAN, FALSE, "ms");
  add_row ("record p95 (ms)", percentile (ms, 95), p95_base, 10, FALSE, "ms");
  add_row ("record p99 (ms)", percentile (ms, 99), NAN, NAN, FALSE, "ms");

  /* 3. Precedents: a rule and three to six words. */
  {
    g_autoptr(GPtrArray) rules = rr_rules_list (store, FALSE, &error);
    g_autoptr(GArray) base_ms = g_array_new (FALSE, FALSE, sizeof (double));
    sqlite3_stmt *stmt;

    if (rules == NULL)
      die ("rules", error);
    g_array_set_size (ms, 0);
    raw = raw_open (path);
    stmt = raw_prepare (raw, "SELECT rowid FROM decisions_fts WHERE decisions_fts MATCH ? LIMIT 10");
    gint64 phase_start = g_get_monotonic_time ();

    for (int i = 0; i < N_SEARCH && (i < 20 || elapsed_ms (phase_start) < 30000); i++)
      {
        RrRule *rule = g_ptr_array_index (rules, g_rand_int_range (rand, 0, rules->len));
        g_autofree char *text = random_text (rand, g_rand_int_range (rand, 3, 7));
        g_autoptr(GPtrArray) found = NULL;
        g_auto(GStrv) parts = g_strsplit (text, " ", -1);
        g_autofree char *query = NULL;
        double t;

        start = g_get_monotonic_time ();
        found = rr_decisions_precedents (store, km, rule->code, text, 10, &error);
        t = elapsed_ms (start);
        if (found == NULL)
          die ("precedents", error);
        g_array_append_val (ms, t);

        for (guint j = 0; parts[j] != NULL; j++)
          {
            char *quoted = g_strdup_printf ("\"%s\"*", parts[j]);
            g_free (parts[j]);
            parts[j] = quoted;
          }
        query = g_strjoinv (" OR ", parts);
        start = g_get_monotonic_time ();
        sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          ;
        sqlite3_reset (stmt);
        t = elapsed_ms (start);
        g_array_append_val (base_ms, t);
      }
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
    add_row ("precedents p95 (ms)", percentile (ms, 95), percentile (base_ms, 95), 25, FALSE,
             "ms");
  }

  /* 4. A page of the log at random offsets, as a teamleider and as an auditor. */
  rr_decision_filter_init (&filter);
  {
    const char *actors[] = { leader, auditor };
    const char *names[] = { "log page by offset p95, tl (ms)", "log page by offset p95, aud (ms)" };
    const char *id_names[] = { "log page by ids p95, tl (ms)", "log page by ids p95, aud (ms)" };
    const char *all_names[] = { "log all ids, teamleider (ms)", "log all ids, auditor (ms)" };
    g_autoptr(GArray) base_ms = g_array_new (FALSE, FALSE, sizeof (double));
    sqlite3_stmt *stmt;
    double base_p95;

    raw = raw_open (path);
    stmt = raw_prepare (raw, "SELECT id, number, summary FROM decisions"
                             " WHERE status IN ('recorded', 'withdrawn')"
                             " ORDER BY decision_date DESC, id DESC LIMIT 50 OFFSET ?");
    n_rows = raw_int (raw, "SELECT count(*) FROM decisions");
    for (int i = 0; i < N_PAGES; i++)
      {
        double t;

        start = g_get_monotonic_time ();
        sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 0, MAX (1, n_rows - 50)));
        while (sqlite3_step (stmt) == SQLITE_ROW)
          ;
        sqlite3_reset (stmt);
        t = elapsed_ms (start);
        g_array_append_val (base_ms, t);
      }
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
    base_p95 = percentile (base_ms, 95);

    for (guint a = 0; a < G_N_ELEMENTS (actors); a++)
      {
        gint64 visible = rr_decisions_count (store, actors[a], &filter, &error);

        if (visible < 0)
          die ("count", error);
        gint64 phase_start = g_get_monotonic_time ();

        g_array_set_size (ms, 0);
        /* A slow plan would take hours at a million: cap each actor at 30 s
         * once 20 pages are measured. */
        for (int i = 0; i < N_PAGES && (i < 20 || elapsed_ms (phase_start) < 30000); i++)
          {
            g_autoptr(GPtrArray) page = NULL;
            guint offset = g_rand_int_range (rand, 0, MAX (1, visible - 50));
            double t;

            start = g_get_monotonic_time ();
            page = rr_decisions_list (store, actors[a], &filter, offset, 50, &error);
            t = elapsed_ms (start);
            if (page == NULL)
              die ("list", error);
            g_array_append_val (ms, t);
          }
        add_row (names[a], percentile (ms, 95), base_p95, NAN, FALSE, "ms");

        /* The way the list model pages: every id once (off the main
         * thread), then the rows of the visible page by id. */
        {
          g_autoptr(GArray) ids = NULL;
          double all_ms;

          start = g_get_monotonic_time ();
          ids = rr_decisions_list_ids (store, actors[a], &filter, &error);
          all_ms = elapsed_ms (start);
          if (ids == NULL)
            die ("list ids", error);
          add_row (all_names[a], all_ms, NAN, NAN, FALSE, "ms");

          g_array_set_size (ms, 0);
          for (int i = 0; i < N_PAGES && ids->len > 0; i++)
            {
              g_autoptr(GPtrArray) page = NULL;
              guint at = g_rand_int_range (rand, 0, MAX (1, (gint32) ids->len - 50));
              guint count = MIN (50, ids->len - at);
              double t;

              start = g_get_monotonic_time ();
              page = rr_decisions_rows (store, actors[a], &g_array_index (ids, gint64, at), count,
                                        &error);
              t = elapsed_ms (start);
              if (page == NULL || page->len != count)
                die ("rows", error);
              g_array_append_val (ms, t);
            }
          add_row (id_names[a], percentile (ms, 95), base_p95, 8, FALSE, "ms");
        }
      }
  }
  g_clear_object (&store);

  /* 5. Size and memory. */
sizes:
  add_row ("file size per decision (KB)",
           (file_size (path) + file_size (wal)) / 1024.0 / n_decisions,
           reuse ? NAN : (file_size (base_path)) / 1024.0 / n, 1.3, FALSE, "KB");
  add_row ("peak RSS (MB)", peak_rss_kb () / 1024.0, NAN, 150, FALSE, "MB");

  if (reuse)
    printf ("\nRegelruimte core benchmark: %s (%" G_GINT64_FORMAT " decision rows)\n\n", path,
            n_decisions);
  else
    printf ("\nRegelruimte core benchmark: %u decisions generated (%" G_GINT64_FORMAT
            " decision rows)\n\n", n, n_decisions);
  printf ("%-34s %12s %12s %10s  %s\n", "what", "measured", "baseline", "target", "");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = &g_array_index (rows, Row, i);
      const char *verdict = isnan (r->target) ? ""
                            : (r->higher_is_better ? r->value >= r->target : r->value <= r->target)
                              ? "PASS" : "FAIL";
      char base[32] = "-", target[32] = "-";

      if (!isnan (r->baseline))
        g_snprintf (base, sizeof base, "%.2f", r->baseline);
      if (!isnan (r->target))
        g_snprintf (target, sizeof target, "%s%.1f", r->higher_is_better ? "≥" : "≤", r->target);
      printf ("%-34s %12.2f %12s %10s  %s\n", r->what, r->value, base, target, verdict);
    }
  printf ("\n(peak RSS includes the 256 MB page cache of the bulk generation.)\n");

  if (g_getenv ("RR_BENCH_DIR") == NULL)
    {
      for (const char *p = kept != NULL ? base_path : path; p != NULL; p = p == path ? base_path : p == base_path ? record_path : NULL)
        {
          g_autofree char *w = g_strconcat (p, "-wal", NULL);
          g_autofree char *s = g_strconcat (p, "-shm", NULL);
          g_unlink (p);
          g_unlink (w);
          g_unlink (s);
        }
      g_rmdir (dir);
    }
  return 0;
}
