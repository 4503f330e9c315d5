/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trail benchmark (issue 4): export of the whole trail beside a plain
 * `sqlite3` dump of the same rows, and verification beside
 * `xmllint --stream --noout`, each measured in the same run; and the peak
 * memory of verification at two sizes, which must not grow with the file.
 * Usage: bench-trail [N] (or RR_BENCH_DECISIONS=N; default 20,000).
 * RR_BENCH_DB=PATH uses (or makes, when missing) a demo database at PATH
 * for the large size instead, beside a small one of 5,000 decisions for the
 * memory comparison. Export also runs in a fresh process, which reports
 * its peak memory (DESIGN §8: ≤ 64 MB, constant).
 * Exits 0 whether the figures please or not; non-zero only on an error. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rr-core.h"

#define SMALL 5000

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-trail: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Runs the command; returns its wall time in seconds, or -1 when it could
 * not run. Its output goes nowhere: a command that writes a file names it
 * itself, so that the baseline costs what the tool costs. */
static double
time_command (const char * const *argv)
{
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                     | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return -1;
  return seconds_since (start);
}

/* Reads @path once, so that what is timed next finds it in the page
 * cache: the same start for a figure and its baseline. */
static void
warm (const char *path)
{
  g_autofree char *buf = g_malloc (1024 * 1024);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  while (read (fd, buf, 1024 * 1024) > 0)
    ;
  close (fd);
}

/* Verifies in a fresh process (this program again, with --verify), which
 * reports its own peak memory (VmHWM starts afresh at exec; the parent's
 * pages must not count). Returns it in KB; *@seconds gets the time. */
static gint64
verify_in_child (const char *path,
                 double     *seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "/proc/self/exe", "--verify", path, NULL };
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    die ("verify", error);
  *seconds = seconds_since (start);
  return g_ascii_strtoll (out, NULL, 10);
}

static gint64
peak_rss_kb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

static int
verify_only (const char *path)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;

  if (!rr_trail_verify_file (path, NULL, &result, NULL, &error))
    die ("verify", error);
  if (!result.ok)
    {
      fprintf (stderr, "bench-trail: %s\n", result.problem);
      return 3;
    }
  rr_verify_result_clear (&result);
  printf ("%" G_GINT64_FORMAT "\n", peak_rss_kb ());
  return 0;
}

/* Exports in a fresh process (this program again, with --export), which
 * reports its own peak memory in KB; *@seconds gets the time. */
static gint64
export_in_child (const char *db,
                 const char *auditor,
                 const char *from,
                 const char *trail,
                 double     *seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "/proc/self/exe", "--export", db, auditor, trail, from, NULL };
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    die ("export", error);
  *seconds = seconds_since (start);
  return g_ascii_strtoll (out, NULL, 10);
}

static int
export_only (const char *db,
             const char *auditor,
             const char *trail,
             const char *from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open (db, RR_STORE_OPEN_DEFAULT, &error);
  RrTrailOptions options = { from, NULL, FALSE };

  if (store == NULL)
    die ("open", error);
  if (!rr_trail_export (store, auditor, from != NULL ? &options : NULL, trail, NULL, NULL, NULL,
                        &error))
    die ("export", error);
  printf ("%" G_GINT64_FORMAT "\n", peak_rss_kb ());
  return 0;
}

static char *
auditor_login (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *login = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die ("open", NULL);
  sqlite3_prepare_v2 (db, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                          " WHERE r.role = 'auditor' LIMIT 1", -1, &stmt, NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (login == NULL)
    die ("no auditor in the demo data", NULL);
  return login;
}

typedef struct {
  double export_s, dump_s, verify_s, xmllint_s;
  gint64 verify_rss_kb, export_rss_kb, events, bytes;
} Figures;

static void
generate (const char *path,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;

  store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
  if (store == NULL || !rr_store_initialise (store, "beheer", "Beheer", "Gemeente Bench",
                                             "Team Noord", &error))
    die ("create", error);
  if (!rr_demo_generate (store, n, 1, NULL, NULL, NULL, &error))
    die ("demo", error);
}

/* @existing: a demo database to use instead of making one of @n; @from:
 * only the trail from that day. */
static void
measure (const char *dir,
         guint       n,
         const char *existing,
         const char *from,
         Figures    *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autofree char *name = g_strdup_printf ("bench-%u.db", n);
  g_autofree char *path = existing != NULL ? g_strdup (existing) : g_build_filename (dir, name, NULL);
  g_autofree char *trail_name = g_strdup_printf ("trail-%u.xml", n);
  g_autofree char *trail = g_build_filename (dir, trail_name, NULL);
  g_autofree char *dump = g_build_filename (dir, "dump.txt", NULL);
  g_autofree char *auditor = NULL;
  g_autofree char *dump_sql = NULL;
  struct stat st;

  if (existing == NULL)
    generate (path, n);

  auditor = auditor_login (path);
  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  {
    g_autoptr(RrCheckpoint) head = rr_ledger_checkpoint (store, &error);
    f->events = head != NULL ? head->seq : 0;
  }
  g_clear_object (&store);

  /* Export and dump read the same database from the page cache. */
  warm (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    warm (wal);
  }
  f->export_rss_kb = export_in_child (path, auditor, from, trail, &f->export_s);
  f->bytes = g_stat (trail, &st) == 0 ? (gint64) st.st_size : -1;

  /* The rows the trail holds, each table as it is stored: actors (users
   * and their roles), rules, clients, the events with their kept
   * content, and the decision versions, reviews and outcomes the events
   * record (in a period, roughly those made in it). sqlite3 writes them
   * to a file, as export writes the trail. */
  {
    g_autofree char *since = from != NULL ? g_strdup_printf (" WHERE e.at >= '%s'", from)
                                          : g_strdup ("");
    g_autofree char *made = from != NULL ? g_strdup_printf (" WHERE recorded_at >= '%s'", from)
                                         : g_strdup ("");
    g_autofree char *created = from != NULL ? g_strdup_printf (" WHERE created_at >= '%s'", from)
                                            : g_strdup ("");

    dump_sql = g_strdup_printf ("SELECT * FROM users ORDER BY login;"
                                " SELECT * FROM user_roles;"
                                " SELECT * FROM rules ORDER BY code, version;"
                                " SELECT * FROM clients ORDER BY id;"
                                " SELECT e.*, c.canonical FROM events e LEFT JOIN event_content c"
                                " ON c.seq = e.seq%s ORDER BY e.seq;"
                                " SELECT * FROM decisions%s ORDER BY id;"
                                " SELECT * FROM reviews%s ORDER BY id;"
                                " SELECT * FROM outcomes%s ORDER BY id;",
                                since, made, created, made);
  }
  {
    g_autofree char *output = g_strdup_printf (".output '%s'", dump);
    const char *argv[] = { "sqlite3", "-readonly", "-cmd", output, path, dump_sql, NULL };

    f->dump_s = time_command (argv);
  }

  /* Verify and xmllint read the same trail from the page cache (export
   * writes it around the cache). */
  warm (trail);
  f->verify_rss_kb = verify_in_child (trail, &f->verify_s);
  {
    const char *argv[] = { "xmllint", "--stream", "--noout", trail, NULL };
    f->xmllint_s = time_command (argv);
  }
  g_unlink (dump);
}

static void
print_figures (const char    *label,
               const Figures *f)
{
  printf ("%s, %" G_GINT64_FORMAT " events in the ledger, trail %.1f MB\n", label,
          f->events, f->bytes / 1048576.0);
  printf ("  export-trail        %8.2f s   sqlite3 dump of the same rows %8.2f s\n",
          f->export_s, f->dump_s);
  printf ("  verify-trail        %8.2f s   xmllint --stream --noout      %8.2f s\n",
          f->verify_s, f->xmllint_s);
  printf ("  export peak RSS     %8.1f MB   %s\n", f->export_rss_kb / 1024.0,
          f->export_rss_kb <= 64 * 1024 ? "PASS (≤ 64 MB)" : "FAIL (> 64 MB)");
  printf ("  verify peak RSS     %8.1f MB\n", f->verify_rss_kb / 1024.0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  const char *env = g_getenv ("RR_BENCH_DECISIONS");
  const char *existing = g_getenv ("RR_BENCH_DB");
  guint n = 20000;
  Figures small = { 0 }, large = { 0 };

  if (argc == 3 && g_str_equal (argv[1], "--verify"))
    return verify_only (argv[2]);
  if ((argc == 5 || argc == 6) && g_str_equal (argv[1], "--export"))
    return export_only (argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (env != NULL)
    n = (guint) g_ascii_strtoull (env, NULL, 10);
  if (n < 1000)
    n = 1000;

  rr_core_init_i18n ();
  if ((dir = g_dir_make_tmp ("rr-bench-trail-XXXXXX", &error)) == NULL)
    die ("temporary folder", error);

  if (existing != NULL)
    {
      if (!g_file_test (existing, G_FILE_TEST_EXISTS))
        generate (existing, n);
      measure (dir, SMALL, NULL, NULL, &small);
      measure (dir, n, existing, NULL, &large);
    }
  else
    {
      measure (dir, n / 4, NULL, NULL, &small);
      measure (dir, n, NULL, NULL, &large);
    }
  {
    g_autofree char *small_label = g_strdup_printf ("%u decisions",
                                                    existing != NULL ? SMALL : n / 4);
    g_autofree char *large_label = existing != NULL ? g_strdup (existing)
                                   : g_strdup_printf ("%u decisions", n);

    print_figures (small_label, &small);
    print_figures (large_label, &large);
    /* Streaming: four times the file, about the same memory. */
    printf ("verify memory growth from %s to %s: %+.1f MB (%s)\n", small_label, large_label,
            (large.verify_rss_kb - small.verify_rss_kb) / 1024.0,
            large.verify_rss_kb < small.verify_rss_kb * 1.5 ? "PASS: constant" : "FAIL: grows");
    printf ("export memory growth from %s to %s: %+.1f MB (%s)\n", small_label, large_label,
            (large.export_rss_kb - small.export_rss_kb) / 1024.0,
            large.export_rss_kb < small.export_rss_kb * 1.5 ? "PASS: constant" : "FAIL: grows");
  }

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
