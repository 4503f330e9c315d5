/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: arbitrary bytes as a database file, opened through
 * rr_store_open, read a little, closed. Hostile files must give a GError,
 * never a crash. */
#define G_LOG_DOMAIN "rr-fuzz"
#include "config.h"

#include <glib/gstdio.h>

#include "rr-core.h"
#include "rr-fuzz.h"

static char *work_dir;

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static void
read_a_little (RrStore *store)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result = { 0 };
  RrDecisionFilter filter;
  g_autoptr(GPtrArray) rows = NULL;

  if (!rr_store_quick_check (store, &error))
    return;
  (void) rr_store_is_initialised (store);
  g_free (rr_store_get_setting (store, "organisation"));

  rr_decision_filter_init (&filter);
  rows = rr_decisions_list (store, "beheer", &filter, 0, 20, &error);
  g_clear_error (&error);
  (void) rr_decisions_count (store, "beheer", &filter, &error);
  g_clear_error (&error);
  rr_decision_filter_clear (&filter);

  if (rr_ledger_verify (store, NULL, &result, NULL, &error))
    rr_verify_result_clear (&result);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  RrStore *store;

  if (work_dir == NULL)
    {
      work_dir = g_dir_make_tmp ("rr-fuzz-store-XXXXXX", &error);
      g_assert_no_error (error);
    }
  path = g_build_filename (work_dir, "fuzz.db", NULL);
  remove_database (path);
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
    g_error ("%s", error->message);

  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == RR_STORE_ERROR || error->domain == RR_ERROR);
    }
  else
    {
      g_assert_no_error (error);
      read_a_little (store);
      g_object_unref (store);
    }
  remove_database (path);
  return 0;
}
