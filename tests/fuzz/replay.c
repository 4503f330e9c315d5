/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays a seed corpus through a fuzz target without libFuzzer, so that
 * every normal test run (gcc, no clang) exercises the targets. Arguments:
 * directories or files; every regular file is one input. */
#define G_LOG_DOMAIN "rr-fuzz"
#include "config.h"

#include <stdio.h>

#include "rr-fuzz.h"

static guint n_inputs;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
replay_path (const char *path)
{
  g_autoptr(GError) error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      /* A stable order, so a failure reproduces the same way. */
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        replay_path (g_ptr_array_index (names, i));
    }
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        g_error ("%s", error->message);
      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      n_inputs++;
    }
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    replay_path (argv[i]);
  if (n_inputs == 0)
    {
      fprintf (stderr, "no inputs found\n");
      return 1;
    }
  printf ("replayed %u inputs\n", n_inputs);
  return 0;
}
