/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.4: eight processes record decisions into one database file while
 * one reads the log and one verifies the ledger over and over. Every
 * decision must be there, the chain valid, and no "busy" error may reach a
 * user. The full 8 x 250 takes about two seconds, so it is the default;
 * RR_CONCURRENCY_QUICK=1 records 8 x 60
 * (or set RR_CONCURRENCY_DECISIONS). */
#define G_LOG_DOMAIN "rr-test-concurrency"
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include "rr-fault-util.h"

#define N_WRITERS 8

typedef struct {
  GPid   pid;
  int    out_fd;
  int    err_fd;
} Child;

static void
spawn_child (Child      *child,
             const char *mode,
             const char *path,
             guint       n)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { RR_RECORD_LOOP, mode, path, count, NULL };
  g_autoptr(GError) error = NULL;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &child->pid, NULL, &child->out_fd, &child->err_fd,
                            &error);
  g_assert_no_error (error);
}

static char *
read_all (int fd)
{
  GString *out = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (out, buffer, n);
  close (fd);
  return g_string_free (out, FALSE);
}

/* Waits for @child. It must exit 0, or (counted in @n_busy) have given up
 * because the database stayed busy. Returns its standard output. */
static char *
finish_child (Child      *child,
              const char *what,
              guint      *n_busy)
{
  g_autofree char *out = read_all (child->out_fd);
  g_autofree char *err = read_all (child->err_fd);
  int status = 0;

  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  g_spawn_close_pid (child->pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 3
      && strstr (err, "(rr-store-error-quark 5)") != NULL)
    {
      g_test_message ("%s gave up: %s", what, err);
      (*n_busy)++;
    }
  else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s failed (status %d): %s", what, status, err);
  return g_steal_pointer (&out);
}

static void
test_concurrency_writers (RrFixture     *fx,
                          gconstpointer  data)
{
  guint per_writer = rr_fault_count ("RR_CONCURRENCY_DECISIONS",
                                     g_getenv ("RR_CONCURRENCY_QUICK") != NULL ? 60 : 250);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *stop = g_strconcat (fx->path, ".stop", NULL);
  Child writers[N_WRITERS], reader, verifier;
  gint64 start = g_get_monotonic_time ();
  guint n_busy = 0;

  g_assert_finalize_object (g_steal_pointer (&fx->store));

  spawn_child (&reader, "read", fx->path, 0);
  spawn_child (&verifier, "verify", fx->path, 0);
  for (guint i = 0; i < N_WRITERS; i++)
    spawn_child (&writers[i], "record", fx->path, per_writer);

  for (guint i = 0; i < N_WRITERS; i++)
    {
      guint busy_before = n_busy;
      g_autofree char *out = finish_child (&writers[i], "a writer", &n_busy);
      g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
      guint n = 0;

      for (guint j = 0; lines[j] != NULL; j++)
        if (lines[j][0] != '\0')
          {
            g_ptr_array_add (acked, g_strdup (lines[j]));
            n++;
          }
      if (n_busy == busy_before)
        g_assert_cmpuint (n, ==, per_writer);
    }
  g_assert_true (g_file_set_contents (stop, "", 0, NULL));
  g_free (finish_child (&reader, "the reader", &n_busy));
  g_free (finish_child (&verifier, "the verifier", &n_busy));

  /* Every number is distinct, present, with its event; the chain holds. */
  for (guint i = 0; i < acked->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (acked, i)));
  g_assert_cmpint (rr_fault_check_database (fx->path, acked), ==, acked->len);
  g_test_message ("%u x %u decisions by concurrent processes in %.1f s", N_WRITERS,
                  per_writer, (g_get_monotonic_time () - start) / 1e6);

  /* No "busy" may reach a user: the core waits for the write lock in
   * several rounds of the busy timeout. */
  g_assert_cmpuint (n_busy, ==, 0);
  g_assert_cmpint (acked->len, ==, N_WRITERS * per_writer);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/rr/concurrency/writers", RrFixture, NULL,
              rr_fault_fixture_setup, test_concurrency_writers, rr_fixture_teardown);
  return g_test_run ();
}
