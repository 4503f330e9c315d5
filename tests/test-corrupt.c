/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6.6: pages of a copy of the database are garbled. Opening it must
 * say clearly that it is damaged (at open, at quick_check, or at the
 * latest at integrity_check or verification), must never write to the
 * damaged file, and restoring the latest good backup must work.
 * RR_CORRUPT_ROUNDS sets the number of damaged copies (default 30). */
#define G_LOG_DOMAIN "rr-test-corrupt"
#include "config.h"

#include "rr-fault-util.h"

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The pages b-trees use (in-use pages only: a garbled free page is not
 * damage anyone could notice). */
static GArray *
pages_in_use (const char *path,
              gint64     *page_size)
{
  sqlite3 *db = rr_test_raw_open (path);
  sqlite3_stmt *stmt = NULL;
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (gint64));

  *page_size = rr_test_raw_int (db, "PRAGMA page_size");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE pageno > 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 page = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return pages;
}

typedef enum {
  FOUND_AT_OPEN,
  FOUND_AT_QUICK_CHECK,
  FOUND_AT_INTEGRITY_CHECK,
  FOUND_AT_VERIFY,
  N_FOUND,
} Found;

/* Opens the damaged file as the program would and says where the damage
 * was noticed; it must be noticed. */
static Found
open_damaged (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  RrVerifyResult result = { 0 };
  gboolean ok;

  if (store == NULL)
    {
      /* Damage in the schema or header may also read as "not ours". */
      if (!g_error_matches (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT)
          && !g_error_matches (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_OURS))
        g_error ("a damaged file gave %s %d: %s", g_quark_to_string (error->domain),
                 error->code, error->message);
      g_assert_nonnull (strstr (error->message, path));
      return FOUND_AT_OPEN;
    }
  if (!rr_store_quick_check (store, &error))
    {
      g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT);
      return FOUND_AT_QUICK_CHECK;
    }
  if (!rr_store_integrity_check (store, &error))
    {
      g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT);
      return FOUND_AT_INTEGRITY_CHECK;
    }
  if (!rr_ledger_verify (store, NULL, &result, NULL, &error))
    return FOUND_AT_VERIFY;
  ok = result.ok;
  rr_verify_result_clear (&result);
  g_assert_false (ok);
  return FOUND_AT_VERIFY;
}

static void
test_corrupt_pages (RrFixture     *fx,
                    gconstpointer  data)
{
  guint32 seed = rr_fault_seed ();
  guint rounds = rr_fault_count ("RR_CORRUPT_ROUNDS", 30);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = g_build_filename (fx->dir, "backup.db", NULL);
  g_autofree char *pristine = NULL;
  g_autoptr(GArray) pages = NULL;
  gsize pristine_length = 0;
  gint64 page_size = 0;
  guint found[N_FOUND] = { 0 };

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(RrDecisionInput) in = i % 2 ? rr_test_applied_input ()
                                            : rr_test_deviation_input ();
      char *number = rr_decisions_record (fx->store, "km1", in, &error);
      g_assert_no_error (error);
      g_ptr_array_add (acked, number);
    }
  rr_backup_create (fx->store, backup, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->store);

  g_assert_true (g_file_get_contents (fx->path, &pristine, &pristine_length, NULL));
  pages = pages_in_use (fx->path, &page_size);
  g_assert_cmpuint (pages->len, >, 10);

  for (guint round = 0; round < rounds; round++)
    {
      g_autofree char *name = g_strdup_printf ("damaged-%u.db", round);
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_autofree char *damaged = g_memdup2 (pristine, pristine_length);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      guint n_pages = g_rand_int_range (rand, 1, 4);
      Found where;

      for (guint i = 0; i < n_pages; i++)
        {
          gint64 page = g_array_index (pages, gint64,
                                       g_rand_int_range (rand, 0, pages->len));
          guint8 *start = (guint8 *) damaged + (page - 1) * page_size;
          /* The whole page, or just its b-tree header and cell pointers. */
          gint64 length = g_rand_boolean (rand) ? page_size : 32;

          for (gint64 b = 0; b < length; b++)
            start[b] = (guint8) g_rand_int (rand);
        }
      g_assert_true (g_file_set_contents (path, damaged, pristine_length, NULL));
      before = file_checksum (path);

      where = open_damaged (path);
      found[where]++;

      /* Never written to. */
      after = file_checksum (path);
      g_assert_cmpstr (before, ==, after);

      /* The latest good backup replaces it, and the damaged file is kept. */
      rr_backup_restore (backup, path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (rr_fault_check_database (path, acked), ==, 20);
    }
  g_test_message ("%u damaged copies: found at open %u, by quick_check %u, by "
                  "integrity_check %u, by verification %u", rounds, found[FOUND_AT_OPEN],
                  found[FOUND_AT_QUICK_CHECK], found[FOUND_AT_INTEGRITY_CHECK],
                  found[FOUND_AT_VERIFY]);
}

/* Only the 100-byte header is garbled past the magic string: the file is
 * refused at open and left as it was. */
static void
test_corrupt_header (RrFixture     *fx,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "header.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  gsize length = 0;

  g_clear_object (&fx->store);
  g_assert_true (g_file_get_contents (fx->path, &contents, &length, NULL));
  /* A page count that does not match the file: cut off or garbled. */
  contents[28] ^= 0x7f;
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  before = file_checksum (path);
  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT);
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/rr/corrupt/pages", RrFixture, NULL,
              rr_fault_fixture_setup, test_corrupt_pages, rr_fixture_teardown);
  g_test_add ("/rr/corrupt/header", RrFixture, NULL,
              rr_fault_fixture_setup, test_corrupt_header, rr_fixture_teardown);
  return g_test_run ();
}
