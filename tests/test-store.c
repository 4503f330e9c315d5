/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include "rr-test-util.h"

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
test_create_settings (RrFixture *fx, gconstpointer data)
{
  struct stat st;
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (stat (fx->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (rr_store_get_schema_version (fx->store), ==, rr_store_latest_schema_version ());
  g_assert_true (rr_store_is_initialised (fx->store));

  db = rr_test_raw_open (fx->path);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA application_id"), ==, RR_STORE_APPLICATION_ID);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  /* Every table is STRICT. */
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM pragma_table_list"
                                        " WHERE schema = 'main' AND type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
                                        " AND strict = 0"), ==, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);

  /* The connection's own settings. */
  db = _rr_store_get_db (fx->store);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA secure_delete"), ==, 1);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA trusted_schema"), ==, 0);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA busy_timeout"), >, 0);
  {
    int on = -1;
    sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
    g_assert_cmpint (on, ==, 1);
  }
}

/* A second program opens a new database while the first still has it open:
 * its first transactions are in the write-ahead log, not yet in the file's
 * header, and that is no reason to call it foreign. */
static void
test_second_connection_before_checkpoint (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) second = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (fx->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >=, 100);
  /* The case under test: the header does not carry our id yet. */
  g_assert_cmpint (contents[68] | contents[69] | contents[70] | contents[71], ==, 0);

  second = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (rr_store_is_initialised (second));
}

static void
test_initialise_twice (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (rr_store_initialise (fx->store, "beheer", "B", "Org", "Team", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open ("/nonexistent/dir/x.db", RR_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_FOUND);
}

static void
assert_refused_unchanged (const char   *path,
                          RrStoreError  code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(RrStore) store = rr_store_open (path, RR_STORE_OPEN_CREATE, &error);

  g_assert_null (store);
  g_assert_error (error, RR_STORE_ERROR, (int) code);
  g_assert_nonnull (strstr (error->message, path));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_not_ours_text (RrFixture *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (path, "hello, this is not a database\n", -1, NULL));
  assert_refused_unchanged (path, RR_STORE_ERROR_NOT_OURS);
}

static void
test_not_ours_sqlite (RrFixture *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->dir, "other.db", NULL);
  sqlite3 *db = rr_test_raw_open (path);

  rr_test_raw_exec (db, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');");
  sqlite3_close (db);
  assert_refused_unchanged (path, RR_STORE_ERROR_NOT_OURS);
}

static void
test_too_new (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;

  g_clear_object (&fx->store);
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA user_version = 9999; PRAGMA journal_mode = DELETE;");
  sqlite3_close (db);
  assert_refused_unchanged (fx->path, RR_STORE_ERROR_TOO_NEW);
}

/* Found by fuzzing: a negative version used to index past the migrations. */
static void
test_negative_version (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;

  g_clear_object (&fx->store);
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA user_version = -33554432; PRAGMA journal_mode = DELETE;");
  sqlite3_close (db);
  assert_refused_unchanged (fx->path, RR_STORE_ERROR_CORRUPT);
}

static void
test_truncated (RrFixture *fx, gconstpointer data)
{
  g_autofree char *contents = NULL;
  gsize len;
  sqlite3 *db;

  g_clear_object (&fx->store);
  /* Fold the log into the file so that it stands alone, then cut it. */
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA journal_mode = DELETE;");
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (fx->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (fx->path, contents, len / 2, NULL));
  assert_refused_unchanged (fx->path, RR_STORE_ERROR_CORRUPT);
}

static void
test_garbled (RrFixture *fx, gconstpointer data)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len;
  sqlite3 *db;

  g_clear_object (&fx->store);
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA journal_mode = DELETE;");
  sqlite3_close (db);

  /* Garble the schema page (page 1 after its header) and a page beyond. */
  g_assert_true (g_file_get_contents (fx->path, &contents, &len, NULL));
  for (gsize i = 100; i < 12288 && i < len; i++)
    contents[i] = (char) (i * 7);
  g_assert_true (g_file_set_contents (fx->path, contents, len, NULL));
  before = file_checksum (fx->path);

  store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    {
      /* Whatever opened must fail its check. */
      g_assert_false (rr_store_quick_check (store, &error));
    }
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT);
  g_clear_object (&store);
  after = file_checksum (fx->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_read_only (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) ro = NULL;
  g_autoptr(GPtrArray) users = NULL;
  sqlite3 *db;

  g_clear_object (&fx->store);
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA journal_mode = DELETE;");
  sqlite3_close (db);
  g_assert_cmpint (g_chmod (fx->path, 0444), ==, 0);

  assert_refused_unchanged (fx->path, RR_STORE_ERROR_READ_ONLY);

  /* Reading still works, and a write through it is refused. */
  ro = rr_store_open (fx->path, RR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  users = rr_users_list (ro, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 7);
  g_assert_false (rr_clients_add (ro, "km1", "D-9", "Nieuw", NULL, &error));
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_READ_ONLY);
  g_chmod (fx->path, 0600);
}

static void
test_busy (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  sqlite3 *db = rr_test_raw_open (fx->path);
  gint64 start;

  rr_test_raw_exec (db, "BEGIN IMMEDIATE; INSERT INTO settings VALUES ('lock', 'held');");
  rr_store_set_busy_timeout (fx->store, 200);

  start = g_get_monotonic_time ();
  g_assert_false (rr_clients_add (fx->store, "km1", "D-9", "Nieuw", NULL, &error));
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_BUSY);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150000);
  g_clear_error (&error);

  /* Readers are not held up by a writer in WAL mode. */
  clients = rr_clients_list (fx->store, "km1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);

  rr_test_raw_exec (db, "ROLLBACK;");
  sqlite3_close (db);
  g_assert_true (rr_clients_add (fx->store, "km1", "D-9", "Nieuw", NULL, &error));
  g_assert_no_error (error);
}

static void
test_busy_on_open (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) other = NULL;
  sqlite3 *db;

  g_clear_object (&fx->store);
  /* An exclusive lock, as a program that keeps the file to itself holds. */
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;"
                        " INSERT INTO settings VALUES ('lock', 'held');");
  other = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_null (other);
  g_assert_error (error, RR_STORE_ERROR, RR_STORE_ERROR_BUSY);
  rr_test_raw_exec (db, "ROLLBACK;");
  sqlite3_close (db);
}

/* A bulk connection (the demo generator's, on a new file) skips the
 * fsync and the zeroing of freed pages, but keeps every check; a normal
 * connection to the same file has them all again. */
static void
test_bulk_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rr-bulk-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(RrStore) bulk = NULL;
  g_autoptr(RrStore) normal = NULL;
  sqlite3 *db;
  int on = -1;

  g_assert_no_error (error);
  path = g_build_filename (dir, "bulk.db", NULL);
  bulk = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
  g_assert_no_error (error);
  db = _rr_store_get_db (bulk);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA synchronous"), ==, 0);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA secure_delete"), ==, 2);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA trusted_schema"), ==, 0);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
  g_assert_cmpint (on, ==, 1);

  normal = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  db = _rr_store_get_db (normal);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (rr_test_raw_int (db, "PRAGMA secure_delete"), ==, 1);
  g_clear_object (&normal);
  g_clear_object (&bulk);
  rr_remove_tree (dir);
}

static void
test_migrations (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rr-mig-XXXXXX", &error);
  int latest = rr_store_latest_schema_version ();

  g_assert_no_error (error);
  g_assert_cmpint (latest, >=, 1);

  /* From every earlier version (0 = an empty file) up to the latest. */
  for (int from = 0; from < latest; from++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", dir, from);
      g_autoptr(RrStore) store = rr_store_open_at_version (path, from, &error);
      g_autoptr(RrStore) reopened = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (rr_store_get_schema_version (store), ==, from);
      g_clear_object (&store);

      reopened = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpint (rr_store_get_schema_version (reopened), ==, latest);
      g_assert_true (rr_store_integrity_check (reopened, &error));
      g_assert_no_error (error);
      rr_store_initialise (reopened, "beheer", "B", "Org", "Team", &error);
      g_assert_no_error (error);
    }
  rr_remove_tree (dir);
}

static void
test_triggers (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);
  sqlite3 *db = rr_test_raw_open (fx->path);
  const char *refused[] = {
    "UPDATE events SET actor = 'x' WHERE seq = 1",
    "DELETE FROM events WHERE seq = 1",
    "UPDATE decisions SET summary = 'anders'",
    "UPDATE decisions SET status = 'recorded', summary = 'x'",
    "DELETE FROM decisions",
    "UPDATE rules SET title = 'x'",
    "DELETE FROM rules",
    "UPDATE event_content SET canonical = 'x'",
    /* REPLACE deletes the old row first: with recursive triggers on, the
     * delete trigger must still fire and refuse. */
    "REPLACE INTO events SELECT * FROM events WHERE seq = 1",
  };

  g_assert_no_error (error);

  /* Through our own connection (recursive triggers on) a REPLACE of any
   * protected row is refused by its delete trigger. */
  {
    const char *replace[] = {
      "REPLACE INTO decisions SELECT * FROM decisions",
      "REPLACE INTO rules SELECT * FROM rules LIMIT 1",
    };
    for (guint i = 0; i < G_N_ELEMENTS (replace); i++)
      g_assert_cmpint (sqlite3_exec (_rr_store_get_db (fx->store), replace[i], NULL, NULL, NULL),
                       !=, SQLITE_OK);
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      char *msg = NULL;
      int rc = sqlite3_exec (db, refused[i], NULL, NULL, &msg);
      if (rc == SQLITE_OK)
        g_error ("not refused: %s", refused[i]);
      sqlite3_free (msg);
    }
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, RrFixture, NULL, rr_fixture_setup, fn, rr_fixture_teardown)
  ADD ("/rr/store/create-settings", test_create_settings);
  ADD ("/rr/store/initialise-twice", test_initialise_twice);
  ADD ("/rr/store/second-connection", test_second_connection_before_checkpoint);
  ADD ("/rr/store/not-ours-text", test_not_ours_text);
  ADD ("/rr/store/not-ours-sqlite", test_not_ours_sqlite);
  ADD ("/rr/store/too-new", test_too_new);
  ADD ("/rr/store/negative-version", test_negative_version);
  ADD ("/rr/store/truncated", test_truncated);
  ADD ("/rr/store/garbled", test_garbled);
  ADD ("/rr/store/read-only", test_read_only);
  ADD ("/rr/store/busy", test_busy);
  ADD ("/rr/store/busy-on-open", test_busy_on_open);
  ADD ("/rr/store/triggers", test_triggers);
#undef ADD
  g_test_add_func ("/rr/store/not-found", test_not_found);
  g_test_add_func ("/rr/store/migrations", test_migrations);
  g_test_add_func ("/rr/store/bulk-settings", test_bulk_settings);
  return g_test_run ();
}
