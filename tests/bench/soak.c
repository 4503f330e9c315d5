/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Soak test (issue 6): four writers and two readers, each a thread with its
 * own connection, on one database for a long time. Prints throughput per
 * interval, p50/p95/p99 latency of recording and of reading, resident
 * memory at the start and the end, and every error. Duration: argument in
 * minutes, or RR_SOAK_MINUTES (default 30), or RR_SOAK_SECONDS for a quick
 * check. Exits non-zero when any operation failed or the ledger does not
 * verify at the end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include <glib/gstdio.h>

#include "rr-core.h"
#include "rr-store-private.h"

#define N_WRITERS 4
#define N_READERS 2
#define N_INTERVALS 10

typedef struct {
  const char *path;
  gboolean    writer;
  guint       index;
  GArray     *latencies_us;   /* (element-type gint64) */
  guint       errors;
  guint       busy;
  char       *first_error;
  gint        cache_kb;       /* SQLite's page cache of this connection */
} Worker;

static gint stop;
static gint ops_done;
static gint interval_slow;      /* records over a second in this interval */
static gint interval_max_ms;    /* the slowest record in this interval */

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

static void
note_error (Worker *worker,
            GError *error)
{
  worker->errors++;
  if (g_error_matches (error, RR_STORE_ERROR, RR_STORE_ERROR_BUSY))
    worker->busy++;
  if (worker->first_error == NULL)
    worker->first_error = g_strdup (error->message);
}

static gpointer
run_worker (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open (worker->path, RR_STORE_OPEN_DEFAULT, &error);
  g_autoptr(RrDecisionInput) in = rr_decision_input_new ();
  guint i = 0;

  if (store == NULL)
    {
      note_error (worker, error);
      return NULL;
    }
  in->client = g_strdup ("S-1");
  in->rule = g_strdup ("PW-18-2");
  in->kind = g_strdup ("rule-does-not-fit");
  in->outcome = RR_OUTCOME_DEVIATED;
  in->circumstances = g_strdup ("Hoge schulden en een huurachterstand; huisuitzetting dreigt.");
  in->explanation = g_strdup ("Verlagen maakt de huisuitzetting zeker; dat staat niet in "
                              "verhouding tot het doel van de regel.");
  in->reason = g_strdup ("disproportionate");

  while (!g_atomic_int_get (&stop))
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      if (worker->writer)
        {
          g_autofree char *number = NULL;

          g_free (in->summary);
          in->summary = g_strdup_printf ("Geen verlaging, schrijver %u, besluit %u",
                                         worker->index, i);
          number = rr_decisions_record (store, "beheer", in, &error);
          if (number == NULL)
            {
              note_error (worker, error);
              g_clear_error (&error);
            }
        }
      else
        {
          g_autoptr(GPtrArray) rows = NULL;
          g_autoptr(GPtrArray) precedents = NULL;
          RrDecisionFilter filter;

          rr_decision_filter_init (&filter);
          rows = rr_decisions_list (store, "beheer", &filter, (i * 50) % 500, 50, &error);
          rr_decision_filter_clear (&filter);
          if (rows == NULL)
            {
              note_error (worker, error);
              g_clear_error (&error);
            }
          precedents = rr_decisions_precedents (store, "beheer", "PW-18-2",
                                                "huisuitzetting schulden", 10, &error);
          if (precedents == NULL && error != NULL)
            {
              note_error (worker, error);
              g_clear_error (&error);
            }
        }
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (worker->latencies_us, elapsed);
      if (worker->writer)
        {
          gint ms = (gint) (elapsed / 1000), max;

          if (ms >= 1000)
            g_atomic_int_inc (&interval_slow);
          while (ms > (max = g_atomic_int_get (&interval_max_ms))
                 && !g_atomic_int_compare_and_exchange (&interval_max_ms, max, ms))
            ;
        }
      {
        int used = 0, highest = 0;

        sqlite3_db_status (_rr_store_get_db (store), SQLITE_DBSTATUS_CACHE_USED, &used,
                           &highest, 0);
        g_atomic_int_set (&worker->cache_kb, used / 1024);
      }
      g_atomic_int_inc (&ops_done);
      i++;
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, gint64, (guint) (p * (sorted->len - 1))) / 1000.0;
}

static void
report_latency (const char *what,
                Worker     *workers,
                gboolean    writers)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_WRITERS + N_READERS; i++)
    if (workers[i].writer == writers)
      g_array_append_vals (all, workers[i].latencies_us->data, workers[i].latencies_us->len);
  g_array_sort (all, compare_gint64);
  printf ("%-8s %8u ops   p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n",
          what, all->len, percentile_ms (all, 0.50), percentile_ms (all, 0.95),
          percentile_ms (all, 0.99), percentile_ms (all, 1.0));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  Worker workers[N_WRITERS + N_READERS] = { 0 };
  GThread *threads[N_WRITERS + N_READERS];
  RrVerifyResult result = { 0 };
  double seconds = 30 * 60;
  gint64 rss_start, rss_end, start;
  guint total_errors = 0, total_busy = 0;
  int status = 0;

  /* As the programs do (regelruimte and regelruimte-cli). */
  rr_core_init_memory ();

  if (argc > 1)
    seconds = g_ascii_strtod (argv[1], NULL) * 60;
  else if (g_getenv ("RR_SOAK_SECONDS") != NULL)
    seconds = g_ascii_strtod (g_getenv ("RR_SOAK_SECONDS"), NULL);
  else if (g_getenv ("RR_SOAK_MINUTES") != NULL)
    seconds = g_ascii_strtod (g_getenv ("RR_SOAK_MINUTES"), NULL) * 60;

  dir = g_dir_make_tmp ("rr-soak-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "soak.db", NULL);
  store = rr_store_open (path, RR_STORE_OPEN_CREATE, &error);
  if (store == NULL
      || !rr_store_initialise (store, "beheer", "Bea Beheer", "Gemeente Soak", "Team 1", &error)
      || !rr_clients_add (store, "beheer", "S-1", "Sam Soak", NULL, &error))
    g_error ("setup: %s", error->message);
  /* The setup connection closes, so the others find a checkpointed file. */
  g_clear_object (&store);

  printf ("soak: %d writers, %d readers, %.0f s, database %s\n", N_WRITERS, N_READERS,
          seconds, path);
  rss_start = rss_kb ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_WRITERS + N_READERS; i++)
    {
      workers[i].path = path;
      workers[i].writer = i < N_WRITERS;
      workers[i].index = i;
      workers[i].latencies_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      threads[i] = g_thread_new ("soak", run_worker, &workers[i]);
    }

  for (guint interval = 0; interval < N_INTERVALS; interval++)
    {
      gint before = g_atomic_int_get (&ops_done);
      double slice = seconds / N_INTERVALS;

      g_usleep ((gulong) (slice * G_USEC_PER_SEC));
      gint64 rss = rss_kb ();
      gint64 caches = 0;

      for (guint i = 0; i < N_WRITERS + N_READERS; i++)
        caches += g_atomic_int_get (&workers[i].cache_kb);
      /* The page caches fill up to their limit as the file grows; what
       * else is resident must stay level. */
      struct mallinfo2 mi = mallinfo2 ();
      /* Where resident memory goes: SQLite's page caches, what the
       * program holds from malloc (caches included), and what malloc keeps
       * free without giving back. */
      printf ("t=%6.0f s  %8.1f ops/s  rss %" G_GINT64_FORMAT " kB"
              "  (SQLite page caches %" G_GINT64_FORMAT " kB, the rest %" G_GINT64_FORMAT " kB;"
              " malloc in use %zu kB, free kept %zu kB)\n",
              (g_get_monotonic_time () - start) / 1e6,
              (g_atomic_int_get (&ops_done) - before) / slice, rss, caches, rss - caches,
              (mi.uordblks + mi.hblkhd) / 1024, mi.fordblks / 1024);
      printf ("           slowest record %d ms, records over 1 s: %d\n",
              g_atomic_int_exchange (&interval_max_ms, 0),
              g_atomic_int_exchange (&interval_slow, 0));
      fflush (stdout);
    }
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < N_WRITERS + N_READERS; i++)
    g_thread_join (threads[i]);
  rss_end = rss_kb ();

  report_latency ("record", workers, TRUE);
  report_latency ("read", workers, FALSE);
  printf ("rss: start %" G_GINT64_FORMAT " kB, end %" G_GINT64_FORMAT " kB\n",
          rss_start, rss_end);
  for (guint i = 0; i < N_WRITERS + N_READERS; i++)
    {
      total_errors += workers[i].errors;
      total_busy += workers[i].busy;
      if (workers[i].first_error != NULL)
        printf ("worker %u: %u errors, first: %s\n", i, workers[i].errors,
                workers[i].first_error);
      g_array_unref (workers[i].latencies_us);
      g_free (workers[i].first_error);
    }
  printf ("errors: %u (busy: %u)\n", total_errors, total_busy);

  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !rr_store_integrity_check (store, &error)
      || !rr_ledger_verify (store, NULL, &result, NULL, &error))
    g_error ("final check: %s", error->message);
  printf ("ledger: %s, %" G_GINT64_FORMAT " events\n", result.ok ? "verifies" : "BROKEN",
          result.n_events);
  if (!result.ok || total_errors > 0)
    status = 1;
  rr_verify_result_clear (&result);
  g_clear_object (&store);

  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return status;
}
