/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.3 and 6.5: the N-th write, sync or truncate fails (once, and from
 * then on), the N-th SQLite allocation fails, and the disk fills up — each
 * while recording a decision with its ledger event, for N = 1, 2, … until
 * the record succeeds without meeting the fault. Every failure must be a
 * clean GError, leave no partial record (all or nothing, the chain
 * verifies), leak nothing, and the store must keep working. */
#define G_LOG_DOMAIN "rr-test-faults"
#include "config.h"

#include "rr-crash-vfs.h"
#include "rr-fault-util.h"

typedef struct {
  RrFaultKind kind;
  gboolean    persistent;
  gboolean    checkpoint_every_commit;
} IoCase;

static char *
record_one (RrStore  *store,
            guint     i,
            GError  **error)
{
  g_autoptr(RrDecisionInput) in = i % 2 == 0 ? rr_test_deviation_input ()
                                              : rr_test_applied_input ();

  g_free (in->summary);
  in->summary = g_strdup_printf ("Besluit %u", i);
  return rr_decisions_record (store, "km1", in, error);
}

/* Faults that surfaced as something other than a store error (say, as a
 * refusal that blames the user): collected, reported at the end. */
static GHashTable *misleading;

/* A refusal caused by a fault must be a store error with a sentence. */
static void
assert_clean_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
  if (error->domain != RR_STORE_ERROR)
    g_hash_table_add (misleading, g_strdup_printf ("%s %d: %s",
                                                   g_quark_to_string (error->domain),
                                                   error->code, error->message));
}

/* Known core bugs are reported, not hidden: the case is marked incomplete
 * (TAP TODO) with the messages, and the integrator sees them. */
static void
report_misleading (void)
{
  g_autoptr(GString) all = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (misleading) == 0)
    return;
  g_hash_table_iter_init (&iter, misleading);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_string_append_printf (all, "%s%s", all->len > 0 ? " | " : "", (const char *) key);
  g_hash_table_remove_all (misleading);
  if (g_test_subprocess ())
    g_printerr ("faults surfaced as misleading refusals: %s\n", all->str);
  else
    g_test_incomplete_printf ("faults surfaced as misleading refusals: %s", all->str);
}

static void
test_io_fault (gconstpointer data)
{
  const IoCase *c = data;
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  RrFixture fx = { 0 };
  guint n_points = 0, n_refused = 0, n_committed_anyway = 0;
  gint64 n_now;
  guint n;

  rr_crash_vfs_install (FALSE);
  rr_fault_fixture_setup (&fx, NULL);
  if (c->checkpoint_every_commit)
    rr_test_raw_exec (_rr_store_get_db (fx.store),
                      "PRAGMA wal_autocheckpoint = 1; PRAGMA journal_size_limit = 0");
  /* Warm up: statements prepared, the chain head known. */
  g_ptr_array_add (acked, record_one (fx.store, 0, NULL));
  n_now = 1;

  for (n = 1; n < 10000; n++)
    {
      g_autoptr(GError) error = NULL;
      char *number;
      gboolean fired;
      gint64 n_after;

      rr_crash_vfs_arm_fault (c->kind, n, c->persistent);
      number = record_one (fx.store, n, &error);
      fired = rr_crash_vfs_fault_fired ();
      rr_crash_vfs_disarm ();

      if (!fired)
        {
          /* Past the last call of this kind: the record went through. */
          g_assert_no_error (error);
          g_assert_nonnull (number);
          g_ptr_array_add (acked, number);
          break;
        }
      n_points++;
      if (number != NULL)
        g_ptr_array_add (acked, number);
      else
        {
          assert_clean_error (error);
          n_refused++;
        }

      n_after = rr_fault_check_database (fx.path, acked);
      g_assert_cmpint (n_after, >=, n_now);
      g_assert_cmpint (n_after, <=, n_now + 1);
      if (number == NULL && n_after == n_now + 1)
        n_committed_anyway++;
      n_now = n_after;
    }
  g_assert_cmpuint (n, <, 10000);

  /* The store still works after all of that. */
  g_ptr_array_add (acked, record_one (fx.store, 99999, NULL));
  g_assert_nonnull (g_ptr_array_index (acked, acked->len - 1));
  g_clear_object (&fx.store);
  rr_fault_check_database (fx.path, acked);
  rr_crash_vfs_uninstall ();

  g_test_message ("%u fault points, %u refused with an error, %u reported an error but "
                  "were committed", n_points, n_refused, n_committed_anyway);
  rr_fixture_teardown (&fx, NULL);
  report_misleading ();
}

typedef struct {
  gboolean persistent;
  /* The statements prepared again for every N, as on a new connection, so
   * that preparing them meets the fault too. */
  gboolean cold;
} MallocCase;

/* After a record that met an allocation fault: the test's connection has
 * no transaction left open (so that what it sees is what is on disk) and
 * holds @expected decisions, each with its event. When the call changed
 * any row (sqlite3_total_changes counts every completed INSERT, UPDATE and
 * DELETE, in triggers too, committed or not) the file is whole and the
 * chain verifies; a call that changed no row committed nothing, and the
 * file is the one checked before. With @full, the whole check on a fresh
 * connection too (it costs an open, so it is done now and then). */
static void
check_after_fault (RrStore   *store,
                   GPtrArray *acked,
                   gint64     expected,
                   gboolean   changed,
                   gboolean   full)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = _rr_store_get_db (store);

  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_cmpint (rr_fault_count_decisions (store), ==, expected);
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM events"
                                        " WHERE action = 'decision.recorded'"), ==, expected);
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM decisions d WHERE NOT EXISTS "
                                        "(SELECT 1 FROM events e WHERE e.entity_uuid = d.uuid)"),
                   ==, 0);
  if (changed)
    {
      RrVerifyResult result = { 0 };

      rr_store_integrity_check (store, &error);
      g_assert_no_error (error);
      g_assert_true (rr_ledger_verify (store, NULL, &result, NULL, &error));
      g_assert_no_error (error);
      if (!result.ok)
        g_error ("ledger broken at seq %" G_GINT64_FORMAT ": %s", result.first_bad_seq,
                 result.problem);
      rr_verify_result_clear (&result);
    }
  if (full)
    g_assert_cmpint (rr_fault_check_database (rr_store_get_path (store), acked), ==, expected);
}

static char *
record_kind (RrStore   *store,
             gboolean   deviation,
             guint      i,
             GError   **error)
{
  g_autoptr(RrDecisionInput) in = deviation ? rr_test_deviation_input ()
                                            : rr_test_applied_input ();

  g_free (in->summary);
  in->summary = g_strdup_printf ("Besluit %u", i);
  return rr_decisions_record (store, "km1", in, error);
}

/* Issue 6.3: the N-th SQLite allocation fails (once, or from then on)
 * while recording a decision with its event, for N = 1, 2, … until the
 * record no longer meets the fault; for a decision that deviates from its
 * rule and for one that applies it, as they take different paths.
 * Each call either succeeds or says that memory ran out (never a refusal
 * that blames the user, the client or the rule); afterwards the database
 * holds the decision with its event or neither, it is whole and its chain
 * verifies, and every allocation is given back. */
static void
test_malloc_fault (gconstpointer data)
{
  const MallocCase *c = data;
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  RrFixture fx = { 0 };
  guint n_points = 0, n_refused = 0, n_committed = 0, serial = 1;
  gint64 baseline = rr_fault_malloc_outstanding ();
  gint64 n_now;

  rr_fault_fixture_setup (&fx, NULL);
  /* Warm up: statements prepared, the chain head known. */
  g_ptr_array_add (acked, record_one (fx.store, 0, NULL));
  g_assert_nonnull (g_ptr_array_index (acked, 0));
  n_now = 1;

  /* Cold, only the deviation: it prepares every statement the other path
   * does, and more; and each N costs the preparing of all of them. */
  for (guint deviation = c->cold ? 1 : 0; deviation < 2; deviation++)
    for (guint n = 1; ; n++)
      {
        g_autoptr(GError) error = NULL;
        char *number;
        gboolean fired;
        gint64 changes;

        g_assert_cmpuint (n, <, 100000);
        if (c->cold)
          _rr_store_forget_statements (fx.store);

        changes = sqlite3_total_changes64 (_rr_store_get_db (fx.store));
        rr_fault_malloc_arm (n, c->persistent);
        number = record_kind (fx.store, deviation, serial++, &error);
        fired = rr_fault_malloc_fired ();
        rr_fault_malloc_disarm ();

        if (!fired)
          {
            /* Past the last allocation of the record: it went through. */
            g_assert_no_error (error);
            g_assert_nonnull (number);
            g_ptr_array_add (acked, number);
            g_assert_cmpint (rr_fault_check_database (fx.path, acked), ==, n_now + 1);
            n_now++;
            break;
          }
        n_points++;
        if (number != NULL)
          {
            /* SQLite recovered from the failed allocation by itself. */
            g_assert_no_error (error);
            g_ptr_array_add (acked, number);
            n_committed++;
          }
        else
          {
            g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NO_MEMORY);
            g_assert_cmpuint (strlen (error->message), >, 10);
            n_refused++;
          }

        /* All or nothing, the file whole, the chain unbroken. */
        n_now += number != NULL ? 1 : 0;
        check_after_fault (fx.store, acked, n_now,
                           sqlite3_total_changes64 (_rr_store_get_db (fx.store)) != changes,
                           n % 25 == 0);
      }

  /* The store still works after all of that. */
  g_ptr_array_add (acked, record_one (fx.store, 99999, NULL));
  g_assert_nonnull (g_ptr_array_index (acked, acked->len - 1));
  g_clear_object (&fx.store);
  g_assert_cmpint (rr_fault_check_database (fx.path, acked), ==, acked->len);

  /* Everything SQLite allocated for the stores was given back. */
  g_assert_cmpint (rr_fault_malloc_outstanding (), ==, baseline);
  g_test_message ("%u allocation fault points, %u refused for want of memory, %u recorded "
                  "all the same", n_points, n_refused, n_committed);
  rr_fixture_teardown (&fx, NULL);
}

static void
test_full_disk (void)
{
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RrDecisionInput) draft_input = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDraft) draft = NULL;
  RrFixture fx = { 0 };
  gint64 draft_id;
  char *number = NULL;
  guint i;

  rr_crash_vfs_install (FALSE);
  rr_fault_fixture_setup (&fx, NULL);
  for (i = 0; i < 3; i++)
    g_ptr_array_add (acked, record_one (fx.store, i, NULL));
  g_free (draft_input->summary);
  draft_input->summary = g_strdup ("Concept dat niet verloren mag gaan");
  draft_id = rr_drafts_save (fx.store, "km1", 0, draft_input, &error);
  g_assert_no_error (error);
  g_assert_cmpint (draft_id, >, 0);

  /* The disk fills up: a little room, then none. */
  rr_crash_vfs_set_budget (32 * 1024);
  for (i = 3; i < 10000; i++)
    {
      number = record_one (fx.store, i, &error);
      if (number == NULL)
        break;
      g_ptr_array_add (acked, number);
    }
  g_assert_nonnull (error);
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);

  /* The draft survives, nothing recorded is harmed, and saving another
   * draft either fits in the room left or is refused just as clearly. */
  draft = rr_drafts_get (fx.store, "km1", draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->input->summary, ==, "Concept dat niet verloren mag gaan");
  g_assert_cmpstr (draft->input->explanation, ==, draft_input->explanation);
  g_assert_cmpint (rr_fault_count_decisions (fx.store), ==, acked->len);
  if (rr_drafts_save (fx.store, "km1", 0, draft_input, &error) <= 0)
    g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FULL);
  g_clear_error (&error);
  rr_fault_check_database (fx.path, acked);

  /* Space is freed: recording works again, in the same session. */
  rr_crash_vfs_set_budget (G_MAXINT64);
  number = record_one (fx.store, 424242, &error);
  g_assert_no_error (error);
  g_ptr_array_add (acked, number);
  g_clear_object (&fx.store);
  g_assert_cmpint (rr_fault_check_database (fx.path, acked), ==, acked->len);
  rr_crash_vfs_uninstall ();
  g_test_message ("%u decisions fitted before the disk was full", acked->len - 1);
  rr_fixture_teardown (&fx, NULL);
}

int
main (int    argc,
      char **argv)
{
  static const struct {
    const char *name;
    IoCase      c;
  } io_cases[] = {
    { "/rr/faults/write/once", { RR_FAULT_WRITE, FALSE, FALSE } },
    { "/rr/faults/write/persistent", { RR_FAULT_WRITE, TRUE, FALSE } },
    { "/rr/faults/sync/once", { RR_FAULT_SYNC, FALSE, FALSE } },
    { "/rr/faults/sync/persistent", { RR_FAULT_SYNC, TRUE, FALSE } },
    { "/rr/faults/write/once-checkpointing", { RR_FAULT_WRITE, FALSE, TRUE } },
    { "/rr/faults/sync/once-checkpointing", { RR_FAULT_SYNC, FALSE, TRUE } },
    { "/rr/faults/truncate/once-checkpointing", { RR_FAULT_TRUNCATE, FALSE, TRUE } },
    { "/rr/faults/truncate/persistent-checkpointing", { RR_FAULT_TRUNCATE, TRUE, TRUE } },
  };
  static const struct {
    const char *name;
    MallocCase  c;
  } malloc_cases[] = {
    { "/rr/faults/malloc/once", { FALSE, FALSE } },
    { "/rr/faults/malloc/persistent", { TRUE, FALSE } },
    { "/rr/faults/malloc/once-cold", { FALSE, TRUE } },
    { "/rr/faults/malloc/persistent-cold", { TRUE, TRUE } },
  };

  /* Before anything initialises SQLite. */
  rr_fault_malloc_install ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  misleading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (io_cases); i++)
    g_test_add_data_func (io_cases[i].name, &io_cases[i].c, test_io_fault);
  for (guint i = 0; i < G_N_ELEMENTS (malloc_cases); i++)
    g_test_add_data_func (malloc_cases[i].name, &malloc_cases[i].c, test_malloc_fault);
  g_test_add_func ("/rr/faults/full-disk", test_full_disk);
  return g_test_run ();
}
