/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.1: a process recording decisions is killed with SIGKILL at random
 * moments; after every kill the database opens whole and holds every
 * decision whose number was printed (acknowledged). RR_KILL_ROUNDS sets the
 * number of kills (default 50), RR_TEST_SEED replays a run. */
#define G_LOG_DOMAIN "rr-test-kill"
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rr-fault-util.h"

#ifndef RR_RECORD_LOOP
#error "RR_RECORD_LOOP must name the helper executable"
#endif

/* Starts the helper; returns its pid and the read end of its stdout. */
static GPid
spawn_recorder (const char *path,
                int        *out_fd)
{
  const char *argv[] = { RR_RECORD_LOOP, "record", path, "0", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, out_fd, NULL, &error);
  g_assert_no_error (error);
  return pid;
}

/* Reads what is there now (or, with @wait_ms, waits that long for more). */
static gboolean
read_some (int      fd,
           GString *out,
           int      wait_ms)
{
  GPollFD pfd = { fd, G_IO_IN | G_IO_HUP, 0 };
  char buffer[4096];
  ssize_t n;

  if (g_poll (&pfd, 1, wait_ms) <= 0)
    return TRUE;
  n = read (fd, buffer, sizeof buffer);
  if (n <= 0)
    return FALSE;
  g_string_append_len (out, buffer, n);
  return TRUE;
}

/* Every complete line is an acknowledged number; a torn last line is not. */
static void
collect_acked (int        fd,
               GString   *out,
               GPtrArray *acked)
{
  g_auto(GStrv) lines = NULL;

  while (read_some (fd, out, -1))
    ;
  close (fd);
  lines = g_strsplit (out->str, "\n", -1);
  /* The last element is what followed the last newline. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (acked, g_strdup (lines[i]));
}

static void
test_kill_recording (RrFixture     *fx,
                     gconstpointer  data)
{
  guint32 seed = rr_fault_seed ();
  guint rounds = rr_fault_count ("RR_KILL_ROUNDS", 50);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  guint mid_startup = 0;

  /* The helper opens its own connection; ours is closed so that nothing but
   * the killed process touches the file between checks. */
  g_assert_finalize_object (g_steal_pointer (&fx->store));

  for (guint round = 0; round < rounds; round++)
    {
      int fd = -1;
      int status = 0;
      guint before = acked->len;
      g_autoptr(GString) out = g_string_new (NULL);
      gint64 deadline;
      GPid pid = spawn_recorder (fx->path, &fd);

      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          /* Now and then while it is still starting or opening. */
          g_usleep (g_rand_int_range (rand, 0, 5000));
        }
      else
        {
          /* Mostly while recording: once the first number is out (however
           * slow the start, e.g. under a sanitizer), 0-60 ms later. */
          deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
          while (strchr (out->str, '\n') == NULL && g_get_monotonic_time () < deadline)
            if (!read_some (fd, out, 100))
              break;
          g_usleep (g_rand_int_range (rand, 0, 60000));
        }
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      /* It must have died of the kill, not of an error of its own. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      collect_acked (fd, out, acked);
      if (acked->len == before)
        mid_startup++;
      rr_fault_check_database (fx->path, acked);
    }

  g_test_message ("%u kills, %u acknowledged decisions, %u kills before the first record",
                  rounds, acked->len, mid_startup);
  g_assert_cmpuint (acked->len, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/rr/kill/recording", RrFixture, NULL,
              rr_fixture_setup, test_kill_recording, rr_fixture_teardown);
  return g_test_run ();
}
