/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the trail verifier on arbitrary bytes. The verifier
 * reads files, so each input is written to one temporary file first. */
#define G_LOG_DOMAIN "rr-fuzz"
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rr-core.h"
#include "rr-fuzz.h"

static char *input_path;

static void
remove_input (void)
{
  if (input_path != NULL)
    g_unlink (input_path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;
  gboolean ran;

  if (input_path == NULL)
    {
      int fd = g_file_open_tmp ("rr-fuzz-trail-XXXXXX.xml", &input_path, NULL);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
      atexit (remove_input);
    }
  g_assert_true (g_file_set_contents (input_path, (const char *) data, (gssize) size, NULL));

  ran = rr_trail_verify_file (input_path, NULL, &result, NULL, &error);
  /* Exactly one of a result and an error; a failed check names its
   * problem; an error is a readable sentence. */
  if (ran)
    {
      g_assert_no_error (error);
      g_assert_true (result.ok == (result.problem == NULL));
      g_assert_nonnull (result.head);
      rr_verify_result_clear (&result);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_false (result.ok);
    }
  return 0;
}
