/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.7: backups taken while another process writes are consistent;
 * restore keeps the chain verifiable; rotating backups keep the newest N. */
#define G_LOG_DOMAIN "rr-test-backup"
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rr-fault-util.h"

static char *
record_one (RrStore *store)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (store, "km1", in, &error);

  g_assert_no_error (error);
  return number;
}

static GPid
spawn_writer (const char *path,
              guint       n)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { RR_RECORD_LOOP, "record", path, count, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static gboolean
child_running (GPid pid)
{
  int status = 0;
  pid_t done = waitpid (pid, &status, WNOHANG);

  if (done == 0)
    return TRUE;
  g_assert_cmpint (done, ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);
  return FALSE;
}

static void
test_backup_during_writes (RrFixture     *fx,
                           gconstpointer  data)
{
  GPid writers[2];
  gboolean running[2] = { TRUE, TRUE };
  guint n_backups = 0;
  gint64 last_count = 0;

  writers[0] = spawn_writer (fx->path, 300);
  writers[1] = spawn_writer (fx->path, 300);

  while (running[0] || running[1] || n_backups < 2)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("backup-%u.db", n_backups);
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      gint64 n;

      rr_backup_create (fx->store, path, NULL, &error);
      g_assert_no_error (error);
      /* Whole, verifiable, and never behind an earlier copy. */
      n = rr_fault_check_database (path, NULL);
      g_assert_cmpint (n, >=, last_count);
      last_count = n;
      n_backups++;
      for (guint i = 0; i < 2; i++)
        if (running[i])
          running[i] = child_running (writers[i]);
    }
  g_assert_cmpint (rr_fault_check_database (fx->path, NULL), ==, 600);
  g_test_message ("%u backups taken during 600 concurrent records", n_backups);
}

static void
test_backup_restore_round_trip (RrFixture     *fx,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) at_backup = NULL;
  g_autoptr(RrCheckpoint) restored_head = NULL;
  g_autofree char *backup = g_build_filename (fx->dir, "backup.db", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean kept_aside = FALSE;
  RrVerifyResult result = { 0 };

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (before, record_one (fx->store));
  at_backup = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);
  rr_backup_create (fx->store, backup, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (after, record_one (fx->store));
  g_clear_object (&fx->store);

  rr_backup_restore (backup, fx->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rr_fault_check_database (fx->path, before), ==, 5);

  /* The restored chain is the one at backup time, and it goes on. */
  fx->store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  restored_head = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (restored_head->seq, ==, at_backup->seq);
  g_assert_cmpstr (restored_head->hash, ==, at_backup->hash);
  g_ptr_array_add (before, record_one (fx->store));
  g_assert_true (rr_ledger_verify (fx->store, at_backup, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
  g_clear_object (&fx->store);
  g_assert_cmpint (rr_fault_check_database (fx->path, before), ==, 6);

  /* The replaced database was kept beside it, whole. */
  dir = g_dir_open (fx->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "test.db.before-restore-")
        && !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
      {
        g_autofree char *path = g_build_filename (fx->dir, name, NULL);
        g_assert_cmpint (rr_fault_check_database (path, after), ==, 8);
        kept_aside = TRUE;
      }
  g_assert_true (kept_aside);
}

static guint
count_backups (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "regelruimte-") && g_str_has_suffix (name, ".db"))
      {
        g_autofree char *file = g_build_filename (path, name, NULL);
        rr_fault_check_database (file, NULL);
        n++;
      }
  return n;
}

static void
test_backup_rotate (RrFixture     *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (fx->dir, "backups", NULL);
  g_autofree char *other = g_build_filename (dir, "notes.txt", NULL);
  struct stat st;

  for (guint i = 0; i < 5; i++)
    {
      g_free (record_one (fx->store));
      rr_backup_rotate (fx->store, dir, 3, &error);
      g_assert_no_error (error);
      if (i == 0)
        g_assert_true (g_file_set_contents (other, "niet van ons", -1, NULL));
      g_assert_cmpuint (count_backups (dir), ==, MIN (i + 1, 3));
    }
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  /* Files that are not ours are left alone. */
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

  /* The newest backup holds all five decisions. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    g_autofree char *newest = NULL;
    const char *name;

    while ((name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_prefix (name, "regelruimte-") && g_strcmp0 (name, newest) > 0)
        {
          g_free (newest);
          newest = g_strdup (name);
        }
    {
      g_autofree char *path = g_build_filename (dir, newest, NULL);
      g_assert_cmpint (rr_fault_check_database (path, NULL), ==, 5);
    }
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/rr/backup/during-writes", RrFixture, NULL,
              rr_fault_fixture_setup, test_backup_during_writes, rr_fixture_teardown);
  g_test_add ("/rr/backup/restore-round-trip", RrFixture, NULL,
              rr_fault_fixture_setup, test_backup_restore_round_trip, rr_fixture_teardown);
  g_test_add ("/rr/backup/rotate", RrFixture, NULL,
              rr_fault_fixture_setup, test_backup_rotate, rr_fixture_teardown);
  return g_test_run ();
}
