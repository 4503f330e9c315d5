/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the rule catalogue importer on arbitrary bytes. */
#define G_LOG_DOMAIN "rr-fuzz"
#include "config.h"

#include "rr-core.h"
#include "rr-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  rules = rr_catalogue_parse (bytes, &error);
  /* Exactly one of a result and an error, and an error has a message. */
  if (rules == NULL)
    {
      g_assert_nonnull (error);
      g_assert_nonnull (error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    g_assert_null (error);
  return 0;
}
