/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.2: simulated power loss. A VFS shim buffers writes until xSync;
 * at a chosen sync it keeps or drops each unsynced write at random and
 * fails everything after. The database must then open whole: integrity
 * ok, the chain verifies, every acknowledged decision is there, and the
 * one in flight is there entirely or not at all. RR_CRASH_ROUNDS sets the
 * number of crashes (default 100), RR_TEST_SEED replays a run. */
#define G_LOG_DOMAIN "rr-test-crash"
#include "config.h"

#include "rr-crash-vfs.h"
#include "rr-fault-util.h"

static char *
record_one (RrStore  *store,
            guint     i,
            GError  **error)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();

  g_free (in->summary);
  in->summary = g_strdup_printf ("Besluit %u", i);
  if (i % 3 == 0)
    {
      rr_decision_input_free (g_steal_pointer (&in));
      in = rr_test_deviation_input ();
    }
  return rr_decisions_record (store, "km1", in, error);
}

static void
crash_once (guint32   seed,
            guint    *out_acked,
            gboolean *out_in_flight_kept,
            gboolean *out_in_checkpoint)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  RrFixture fx = { 0 };
  guint n_before = g_rand_int_range (rand, 0, 6);
  guint nth = g_rand_int_range (rand, 1, 14);
  guint kept = 0, dropped = 0;
  gint64 n_found;
  guint i;

  rr_crash_vfs_install (TRUE);
  /* A database whose first session has ended cleanly; the first session
   * itself is /rr/crash/first-session. */
  rr_fault_fixture_setup (&fx, NULL);
  /* Checkpoint often, so that crashes also fall inside checkpoints. */
  rr_test_raw_exec (_rr_store_get_db (fx.store), "PRAGMA wal_autocheckpoint = 16");

  for (i = 0; i < n_before; i++)
    g_ptr_array_add (acked, record_one (fx.store, i, NULL));

  rr_crash_vfs_arm_crash (nth, seed);
  for (; i < n_before + 100; i++)
    {
      g_autoptr(GError) error = NULL;
      char *number = record_one (fx.store, i, &error);

      if (number == NULL)
        {
          /* The failure reaches the user as a clean error. */
          g_assert_true (error->domain == RR_STORE_ERROR);
          g_assert_nonnull (error->message);
          break;
        }
      g_ptr_array_add (acked, number);
    }
  g_assert_true (rr_crash_vfs_crashed ());
  rr_crash_vfs_crash_stats (&kept, &dropped);
  *out_in_checkpoint = rr_crash_vfs_crashed_in_db ();

  g_clear_object (&fx.store);
  rr_crash_vfs_uninstall ();

  n_found = rr_fault_check_database (fx.path, acked);
  g_assert_cmpint (n_found, >=, acked->len);
  g_assert_cmpint (n_found, <=, acked->len + 1);
  *out_acked = acked->len;
  *out_in_flight_kept = n_found == acked->len + 1;

  rr_remove_tree (fx.dir);
  g_free (fx.path);
  g_free (fx.dir);
}

static void
test_crash_power_loss (void)
{
  guint32 seed = rr_fault_seed ();
  guint rounds = rr_fault_count ("RR_CRASH_ROUNDS", 100);
  guint total_acked = 0, in_flight_kept = 0, in_checkpoint = 0;

  for (guint round = 0; round < rounds; round++)
    {
      guint acked = 0;
      gboolean kept = FALSE;
      gboolean checkpointing = FALSE;

      crash_once (seed + round, &acked, &kept, &checkpointing);
      total_acked += acked;
      in_flight_kept += kept;
      in_checkpoint += checkpointing;
    }
  g_test_message ("%u crashes (%u inside a checkpoint), %u acknowledged decisions survived, "
                  "the decision in flight survived %u times", rounds, in_checkpoint,
                  total_acked, in_flight_kept);
}

/* Power is lost (or the process is killed) during the very first session,
 * before SQLite has checkpointed anything into the database file: the file
 * then holds only the header written when WAL was switched on (application
 * id 0), and the schema lives in the write-ahead log. */
static void
test_crash_first_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autofree char *number = NULL;
  RrFixture fx = { 0 };

  rr_crash_vfs_install (TRUE);
  rr_fixture_setup (&fx, NULL);
  number = record_one (fx.store, 1, &error);
  g_assert_no_error (error);
  /* Every synced write is on disk; the crash keeps whatever it keeps. */
  rr_crash_vfs_arm_crash (1, 1);
  g_free (record_one (fx.store, 2, NULL));
  g_assert_true (rr_crash_vfs_crashed ());
  g_clear_object (&fx.store);
  rr_crash_vfs_uninstall ();

  /* The application id of a new database may still sit only in the
   * write-ahead log: the file is ours all the same. */
  store = rr_store_open (fx.path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  {
    g_autoptr(GPtrArray) acked = g_ptr_array_new ();

    g_ptr_array_add (acked, number);
    rr_fault_check_database (fx.path, acked);
  }

  rr_remove_tree (fx.dir);
  g_free (fx.path);
  g_free (fx.dir);
}

/* Without any crash: while the first session is still open,
 * a second connection (another process, or a GTask with its own
 * connection as DESIGN §4 asks for) cannot open the database. */
static void
test_crash_second_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) second = NULL;
  RrFixture fx = { 0 };

  rr_fixture_setup (&fx, NULL);
  second = rr_store_open (fx.path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (rr_store_is_initialised (second));
  g_clear_object (&second);
  rr_fixture_teardown (&fx, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rr/crash/power-loss", test_crash_power_loss);
  g_test_add_func ("/rr/crash/first-session", test_crash_first_session);
  g_test_add_func ("/rr/crash/second-connection", test_crash_second_connection);
  return g_test_run ();
}
