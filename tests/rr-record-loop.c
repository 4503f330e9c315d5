/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A helper process for the reliability tests (issue 6):
 *   rr-record-loop record DB N   record N decisions as km1 (0: forever),
 *                                printing each number once it is recorded
 *   rr-record-loop read DB N     list the log N times
 *   rr-record-loop verify DB N   verify the ledger N times
 * For read and verify, N = 0 means: until the file DB.stop exists. Every
 * mode also stops when the test that started it is gone (it was reparented)
 * or after ten minutes, so that a failed test leaves nothing running.
 * Exit status: 0 done, 3 an error reached the user (message on stderr),
 * 4 the ledger did not verify. */
#define G_LOG_DOMAIN "rr-record-loop"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rr-core.h"

static int
fail (const char *what,
      GError     *error)
{
  fprintf (stderr, "%s: %s (%s %d)\n", what, error->message,
           g_quark_to_string (error->domain), error->code);
  return 3;
}

static pid_t parent;
static gint64 started;

static gboolean
orphaned (void)
{
  return getppid () != parent
         || g_get_monotonic_time () - started > 600 * G_USEC_PER_SEC;
}

static int
record (RrStore *store,
        guint64  n)
{
  g_autoptr(RrDecisionInput) in = rr_decision_input_new ();

  in->client = g_strdup ("D-1");
  in->rule = g_strdup ("PW-18-1");
  in->kind = g_strdup ("which-rule");
  in->outcome = RR_OUTCOME_APPLIED;

  for (guint64 i = 0; (n == 0 || i < n) && !orphaned (); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *number = NULL;

      g_free (in->summary);
      in->summary = g_strdup_printf ("Besluit %" G_GUINT64_FORMAT " van proces %d",
                                     i, (int) getpid ());
      number = rr_decisions_record (store, "km1", in, &error);
      if (number == NULL)
        return fail ("record", error);
      /* Only now is it acknowledged. */
      printf ("%s\n", number);
      fflush (stdout);
    }
  return 0;
}

static gboolean
keep_going (RrStore *store,
            guint64  i,
            guint64  n)
{
  g_autofree char *stop = NULL;

  if (orphaned ())
    return FALSE;
  if (n > 0)
    return i < n;
  stop = g_strconcat (rr_store_get_path (store), ".stop", NULL);
  return !g_file_test (stop, G_FILE_TEST_EXISTS);
}

static int
read_log (RrStore *store,
          guint64  n)
{
  for (guint64 i = 0; keep_going (store, i, n); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      RrDecisionFilter filter;

      rr_decision_filter_init (&filter);
      rows = rr_decisions_list (store, "km1", &filter, 0, 50, &error);
      if (rows == NULL)
        return fail ("list", error);
      (void) rr_decisions_count (store, "km1", &filter, &error);
      rr_decision_filter_clear (&filter);
      if (error != NULL)
        return fail ("count", error);
      g_usleep (2000);
    }
  return 0;
}

static int
verify (RrStore *store,
        guint64  n)
{
  for (guint64 i = 0; keep_going (store, i, n); i++)
    {
      g_autoptr(GError) error = NULL;
      RrVerifyResult result = { 0 };
      gboolean ok;

      if (!rr_ledger_verify (store, NULL, &result, NULL, &error))
        return fail ("verify", error);
      ok = result.ok;
      if (!ok)
        fprintf (stderr, "ledger broken at %" G_GINT64_FORMAT ": %s\n",
                 result.first_bad_seq, result.problem);
      rr_verify_result_clear (&result);
      if (!ok)
        return 4;
      g_usleep (5000);
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  guint64 n;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s record|read|verify DB N\n", argv[0]);
      return 2;
    }
  parent = getppid ();
  started = g_get_monotonic_time ();
  n = g_ascii_strtoull (argv[3], NULL, 10);
  store = rr_store_open (argv[2], RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail ("open", error);

  if (g_str_equal (argv[1], "record"))
    return record (store, n);
  if (g_str_equal (argv[1], "read"))
    return read_log (store, n);
  if (g_str_equal (argv[1], "verify"))
    return verify (store, n);
  fprintf (stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
