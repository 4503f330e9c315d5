/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the real regelruimte-cli against real databases in a temporary
 * folder. $RR_CLI is a test build in which $RR_ACTING_USER names the acting
 * user, so that one test can play several people; $RR_CLI_RELEASE is the
 * program as installed. */

#define G_LOG_DOMAIN "rr-test-cli"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rr-core.h"

#define VALID_BSN   "111222333"
#define INVALID_BSN "111222334"

typedef struct {
  char *dir;
  char *db;
  char *rule;    /* a rule code from the starter catalogue */
  char *kind;    /* a discretion kind */
  char *reason;  /* a deviation reason */
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* g_test_message () prefixes only the first line with "# "; keep the TAP
 * stream parseable by sending one line at a time. */
static void
note_text (const char *label,
           const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  g_test_message ("%s:", label);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_test_message ("  %s", lines[i]);
}

/* ------------------------------------------------------------------ */
/* Running the program                                                */
/* ------------------------------------------------------------------ */

static const char *
cli_binary (void)
{
  return g_getenv ("RR_CLI");
}

static const char *
release_binary (void)
{
  return g_getenv ("RR_CLI_RELEASE");
}

/* Runs @binary with --database @database (unless NULL) and the NULL-ended
 * arguments. @actor sets $RR_ACTING_USER (NULL: unset). @env is a NULL-ended
 * list of NAME=VALUE to add. */
static Run
spawn_va (const char         *binary,
          const char         *actor,
          const char * const *env,
          const char         *database,
          const char         *first,
          va_list             ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  Run run = { -1, NULL, NULL };
  int wait_status = 0;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  if (database != NULL)
    {
      g_ptr_array_add (argv, (char *) "--database");
      g_ptr_array_add (argv, (char *) database);
    }
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  if (actor != NULL)
    envp = g_environ_setenv (envp, "RR_ACTING_USER", actor, TRUE);
  else
    envp = g_environ_unsetenv (envp, "RR_ACTING_USER");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);
      envp = g_environ_setenv (envp, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }

  if (!g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &run.out, &run.err, &wait_status, &error))
    g_error ("Could not run %s: %s", binary, error->message);

  if (WIFEXITED (wait_status))
    run.status = WEXITSTATUS (wait_status);
  else
    run.status = -1;

  if (g_test_verbose ())
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 1);

      g_test_message ("[%s] %s → %d", actor != NULL ? actor : "-", line, run.status);
      note_text ("stdout", run.out);
      note_text ("stderr", run.err);
    }
  return run;
}

static Run
cli_as (Fixture    *f,
        const char *actor,
        const char *first,
        ...)
{
  va_list ap;
  Run run;

  va_start (ap, first);
  run = spawn_va (cli_binary (), actor, NULL, f->db, first, ap);
  va_end (ap);
  return run;
}

static Run
cli_at (const char *database,
        const char *actor,
        const char *first,
        ...)
{
  va_list ap;
  Run run;

  va_start (ap, first);
  run = spawn_va (cli_binary (), actor, NULL, database, first, ap);
  va_end (ap);
  return run;
}

static Run
cli_env (const char * const *env,
         const char         *binary,
         const char         *database,
         const char         *actor,
         const char         *first,
         ...)
{
  va_list ap;
  Run run;

  va_start (ap, first);
  run = spawn_va (binary, actor, env, database, first, ap);
  va_end (ap);
  return run;
}

#define assert_run(run, expected)                                                       \
  G_STMT_START {                                                                        \
    if ((run).status != (expected))                                                     \
      {                                                                                 \
        note_text ("stdout", (run).out);                                                \
        note_text ("stderr", (run).err);                                                \
      }                                                                                 \
    g_assert_cmpint ((run).status, ==, (expected));                                     \
  } G_STMT_END

/* A refusal: exit 1 and one sentence on stderr, prefixed by the program. */
#define assert_refused(run)                                                             \
  G_STMT_START {                                                                        \
    assert_run ((run), 1);                                                              \
    g_assert_true (g_str_has_prefix ((run).err, "regelruimte-cli: "));                  \
    g_assert_cmpuint (strlen ((run).err), >, strlen ("regelruimte-cli: ") + 10);        \
  } G_STMT_END

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* The first tab-separated column of the first line. */
static char *
first_column (const char *text)
{
  gsize len = strcspn (text, "\t\n");

  return g_strndup (text, len);
}

/* The line of a listing whose first column is @key, or NULL. */
static char *
find_row (const char *listing,
          const char *key)
{
  g_auto(GStrv) lines = g_strsplit (listing, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *col = first_column (lines[i]);

      if (g_str_equal (col, key))
        return g_strdup (lines[i]);
    }
  return NULL;
}

static gboolean
has_row (const char *listing,
         const char *key)
{
  g_autofree char *row = find_row (listing, key);
  return row != NULL;
}

static gboolean
matches (const char *pattern,
         const char *text)
{
  return g_regex_match_simple (pattern, text, G_REGEX_MULTILINE, 0);
}

static char *
strip_copy (const char *text)
{
  return g_strstrip (g_strdup (text));
}

static guint
count_log (Fixture    *f,
           const char *actor)
{
  g_auto(Run) run = cli_as (f, actor, "log", NULL);

  assert_run (run, 0);
  return count_lines (run.out);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  rc = sqlite3_open (path, &db);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql,
           const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* ------------------------------------------------------------------ */
/* Fixture                                                            */
/* ------------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("rr-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "regelruimte.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->rule);
  g_free (f->kind);
  g_free (f->reason);
}

static char *
first_code_of (Fixture    *f,
               const char *what)
{
  g_auto(Run) run = cli_as (f, "alice", what, "list", NULL);

  assert_run (run, 0);
  g_assert_cmpuint (count_lines (run.out), >, 0);
  return first_column (run.out);
}

/* alice (beheerder, klantmanager), bob (teamleider), carol (klantmanager),
 * and client D-1 on alice's caseload. */
static void
setup_team (Fixture *f)
{
  {
    g_auto(Run) run = cli_as (f, "alice", "init", "--organisation", "Gemeente Testdam",
                              "--team", "Team Noord", "--name", "Alice Aalbers", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "add", "--login", "bob", "--name",
                              "Bob Bakker", "--role", "teamleider", "--team", "Team Noord", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "add", "--login", "carol", "--name",
                              "Carol Claes", "--role", "klantmanager", "--team", "Team Noord",
                              NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-1",
                              "--name", "Jan Jansen", NULL);
    assert_run (run, 0);
  }

  f->rule = first_code_of (f, "rule");
  f->kind = first_code_of (f, "kind");
  f->reason = first_code_of (f, "reason");
}

static char *
decide_applied (Fixture    *f,
                const char *actor,
                const char *summary)
{
  g_auto(Run) run = cli_as (f, actor, "decide", "--client", "D-1", "--rule", f->rule,
                            "--kind", f->kind, "--summary", summary, "--applied", NULL);

  assert_run (run, 0);
  return strip_copy (run.out);
}

static char *
decide_deviated (Fixture    *f,
                 const char *actor,
                 const char *summary,
                 const char *explanation)
{
  g_auto(Run) run = cli_as (f, actor, "decide", "--client", "D-1", "--rule", f->rule,
                            "--kind", f->kind, "--summary", summary, "--deviated",
                            "--circumstances", "Client lost his job and has two children.",
                            "--explanation", explanation, "--reason", f->reason,
                            "--weighing", "wellbeing=decisive:keeps the family afloat", NULL);

  assert_run (run, 0);
  return strip_copy (run.out);
}

static gboolean
have_binaries (void)
{
  if (cli_binary () == NULL || release_binary () == NULL)
    {
      g_test_skip ("RR_CLI and RR_CLI_RELEASE are not set; run through meson test");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */
/* ------------------------------------------------------------------ */

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  if (!have_binaries ())
    return;

  {
    g_auto(Run) run = cli_as (f, "alice", "init", NULL);
    assert_run (run, 2);
    g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "init", "--organisation", "Gemeente Testdam",
                              "--name", "Alice Aalbers", NULL);
    assert_run (run, 0);
    g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (f->db, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }
  {
    g_autofree char *before = file_checksum (f->db);
    g_autofree char *after = NULL;
    g_auto(Run) run = cli_as (f, "mallory", "init", "--organisation", "Ander", NULL);

    assert_refused (run);
    after = file_checksum (f->db);
    g_assert_cmpstr (before, ==, after);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "list", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    row = find_row (run.out, "alice");
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "Alice Aalbers"));
    g_assert_nonnull (strstr (row, "Team 1"));
    g_assert_nonnull (strstr (row, "beheerder"));
    g_assert_nonnull (strstr (row, "klantmanager"));
    g_assert_null (strstr (run.out, "mallory"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "rule", "list", NULL);
    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), >, 0);
  }
}

static void
test_no_database (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_binaries ())
    return;

  {
    g_auto(Run) run = cli_as (f, "alice", "log", NULL);
    assert_refused (run);
    g_assert_nonnull (strstr (run.err, f->db));
    g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-1", "--name", "X",
                              NULL);
    assert_refused (run);
    g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  if (!have_binaries ())
    return;
  setup_team (f);

  {
    g_auto(Run) run = cli_as (f, "alice", "user", "add", "--login", "dave", "--name", "Dave",
                              "--role", "klantmanager,auditor", "--role", "teamleider", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "list", NULL);
    g_autofree char *bob = NULL;
    g_autofree char *dave = NULL;

    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 4);
    bob = find_row (run.out, "bob");
    g_assert_nonnull (bob);
    g_assert_nonnull (strstr (bob, "Team Noord"));
    g_assert_nonnull (strstr (bob, "teamleider"));
    dave = find_row (run.out, "dave");
    g_assert_nonnull (dave);
    g_assert_nonnull (strstr (dave, "klantmanager"));
    g_assert_nonnull (strstr (dave, "auditor"));
    g_assert_nonnull (strstr (dave, "teamleider"));
  }

  /* A klantmanager may not add users. */
  {
    g_auto(Run) run = cli_as (f, "carol", "user", "add", "--login", "eve", "--name", "Eve",
                              "--role", "beheerder", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "list", NULL);
    assert_run (run, 0);
    g_assert_null (find_row (run.out, "eve"));
  }

  /* Someone who is not a user at all may not either. */
  {
    g_auto(Run) run = cli_as (f, "stranger", "user", "add", "--login", "eve", "--name", "Eve",
                              "--role", "beheerder", NULL);
    assert_refused (run);
  }

  {
    g_auto(Run) run = cli_as (f, "alice", "user", "add", "--login", "eve", "--name", "Eve",
                              "--role", "koning", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "add", "--login", "bob", "--name", "Bob 2",
                              "--role", "auditor", NULL);
    assert_refused (run);
  }

  {
    g_auto(Run) run = cli_as (f, "alice", "user", "grant", "carol", "auditor", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "list", NULL);
    g_autofree char *carol = find_row (run.out, "carol");
    g_assert_nonnull (carol);
    g_assert_nonnull (strstr (carol, "auditor"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "revoke", "carol", "auditor", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "list", NULL);
    g_autofree char *carol = find_row (run.out, "carol");
    g_assert_nonnull (carol);
    g_assert_null (strstr (carol, "auditor"));
  }
  {
    g_auto(Run) run = cli_as (f, "carol", "user", "grant", "carol", "beheerder", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "grant", "nobody", "auditor", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "grant", "carol", NULL);
    assert_run (run, 2);
  }
}

static void
test_clients (Fixture       *f,
              gconstpointer  data)
{
  if (!have_binaries ())
    return;
  setup_team (f);

  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-2",
                              "--name", "Piet Pietersen", "--bsn", VALID_BSN, NULL);
    assert_run (run, 0);
    g_assert_null (strstr (run.out, VALID_BSN));
    g_assert_null (strstr (run.err, VALID_BSN));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-3",
                              "--name", "Kees Klaassen", "--bsn", INVALID_BSN, NULL);
    assert_refused (run);
    g_assert_null (strstr (run.err, INVALID_BSN));
    g_assert_null (strstr (run.out, INVALID_BSN));
  }
  /* A refusal for another reason (the dossier exists) keeps the BSN out too. */
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-2",
                              "--name", "Piet Pietersen", "--bsn", VALID_BSN, NULL);
    assert_refused (run);
    g_assert_null (strstr (run.err, VALID_BSN));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--name", "Zonder Dossier", NULL);
    assert_run (run, 2);
  }
  /* "--bsn -" reads it from standard input, off the command line. */
  {
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                          | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                          | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_setenv (launcher, "RR_ACTING_USER", "alice", TRUE);
    process = g_subprocess_launcher_spawn (launcher, &error, cli_binary (), "--database", f->db,
                                           "client", "add", "--dossier", "D-4", "--name",
                                           "Via Invoer", "--bsn", "-", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, VALID_BSN "\n", NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (process));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "show", "D-4", "--show-bsn", NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, VALID_BSN));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "list", NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, "D-1"));
    g_assert_true (has_row (run.out, "D-2"));
    g_assert_null (find_row (run.out, "D-3"));
    g_assert_null (strstr (run.out, VALID_BSN));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "show", "D-2", NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Piet Pietersen"));
    g_assert_null (strstr (run.out, VALID_BSN));
    g_assert_nonnull (strstr (run.out, "*****2333"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "show", "D-2", "--show-bsn", NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, VALID_BSN));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "show", "D-99", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "close", "D-2", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "list", NULL);
    assert_run (run, 0);
    g_assert_null (find_row (run.out, "D-2"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "list", "--all", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    row = find_row (run.out, "D-2");
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "closed"));
  }
}

static void
test_decide (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *deviated = NULL;
  guint before;

  if (!have_binaries ())
    return;
  setup_team (f);

  number = decide_applied (f, "alice", "Bijstand toegekend volgens de norm");
  g_assert_true (matches ("^RR-\\d{4}-\\d{6}$", number));

  deviated = decide_deviated (f, "alice", "Geen verlaging opgelegd",
                              "A reduction would push the family into debt, out of "
                              "proportion to the goal of the rule.");
  g_assert_true (matches ("^RR-\\d{4}-\\d{6}$", deviated));
  g_assert_cmpstr (number, !=, deviated);

  before = count_log (f, "alice");
  g_assert_cmpuint (before, ==, 2);

  /* A deviation needs its explanation: refused, nothing recorded. */
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "Zonder toelichting",
                              "--deviated", "--circumstances", "Iets", "--reason", f->reason,
                              NULL);
    assert_refused (run);
    g_assert_cmpstr (run.out, ==, "");
  }
  g_assert_cmpuint (count_log (f, "alice"), ==, before);

  /* Unknown client, unknown rule. */
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-404", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", "NO-SUCH-RULE",
                              "--kind", f->kind, "--summary", "x", "--applied", NULL);
    assert_refused (run);
  }
  /* No version of the rule was in force in 1990. */
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied",
                              "--date", "1990-01-01", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied",
                              "--date", "31-12-2025", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied",
                              "--amount", "twaalf", NULL);
    assert_refused (run);
  }
  /* Usage errors: a required option missing, or both outcomes. */
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--applied", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied", "--deviated",
                              NULL);
    assert_run (run, 2);
  }
  /* A user who is not a klantmanager may not record. */
  {
    g_auto(Run) run = cli_as (f, "stranger", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied", NULL);
    assert_refused (run);
  }
  g_assert_cmpuint (count_log (f, "alice"), ==, before);

  /* An amount with a decimal comma, and the optional structure. */
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "Bijzondere bijstand wasmachine",
                              "--applied", "--amount", "1250,50", "--client-agrees", "yes",
                              "--principles", "Menswaardigheid", "--follow-up", "2099-06-30",
                              NULL);
    g_autofree char *nr = NULL;

    assert_run (run, 0);
    nr = strip_copy (run.out);
    {
      g_auto(Run) show = cli_as (f, "alice", "show", nr, NULL);
      assert_run (show, 0);
      g_assert_nonnull (strstr (show.out, "1250,50"));
      g_assert_nonnull (strstr (show.out, "Menswaardigheid"));
      g_assert_nonnull (strstr (show.out, "2099-06-30"));
    }
  }
}

static void
test_from_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RrDecisionInput) input = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *path = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  input = rr_decision_input_new ();
  input->client = g_strdup ("D-1");
  input->rule = g_strdup (f->rule);
  input->kind = g_strdup (f->kind);
  input->outcome = RR_OUTCOME_DEVIATED;
  input->summary = g_strdup ("Samenvatting uit het concept");
  input->circumstances = g_strdup ("Omstandigheden uit het concept");
  input->explanation = g_strdup ("Toelichting uit het concept");
  input->reason = g_strdup (f->reason);
  draft = rr_decision_input_to_data (input);
  path = g_build_filename (f->dir, "draft.ini", NULL);
  g_file_set_contents (path, draft, -1, &error);
  g_assert_no_error (error);

  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--from-file", path,
                              "--summary", "Samenvatting van de opdrachtregel", NULL);
    assert_run (run, 0);
    number = strip_copy (run.out);
    g_assert_true (matches ("^RR-\\d{4}-\\d{6}$", number));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Samenvatting van de opdrachtregel"));
    g_assert_null (strstr (run.out, "Samenvatting uit het concept"));
    g_assert_nonnull (strstr (run.out, "Toelichting uit het concept"));
  }
  {
    g_autofree char *missing = g_build_filename (f->dir, "missing.ini", NULL);
    g_auto(Run) run = cli_as (f, "alice", "decide", "--from-file", missing, NULL);
    assert_refused (run);
  }
}

static void
test_supersede_withdraw (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *expected = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  number = decide_applied (f, "alice", "Eerste versie");
  {
    g_auto(Run) run = cli_as (f, "alice", "supersede", number, "--summary", "Tweede versie",
                              NULL);
    assert_run (run, 0);
    expected = g_strdup_printf ("%s\t2\n", number);
    g_assert_cmpstr (run.out, ==, expected);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Eerste versie"));
    g_assert_nonnull (strstr (run.out, "Tweede versie"));
    g_assert_true (matches ("version 1\\b", run.out));
    g_assert_true (matches ("version 2\\b", run.out));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 1);
    row = find_row (run.out, number);
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "Tweede versie"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "supersede", "RR-1999-999999", "--summary", "x", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "withdraw", number, NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "carol", "withdraw", number, "--reason", "Niet van mij", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "withdraw", number, "--reason",
                              "Verkeerde klant gekozen", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "withdraw", number, "--reason", "Nog eens", NULL);
    assert_refused (run);
  }
  /* The log shows the withdrawal; the decision is no longer due. */
  {
    g_auto(Run) run = cli_as (f, "alice", "log", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 1);
    row = find_row (run.out, number);
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "\twithdrawn\t"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "due", "--until", "2999-12-31", NULL);
    assert_run (run, 0);
    g_assert_null (find_row (run.out, number));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Verkeerde klant gekozen"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", NULL);
    assert_run (run, 0);
  }
}

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *number = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  number = decide_deviated (f, "alice", "Afgezien van terugvordering",
                            "Recovering the money would cost more than it returns.");

  /* Every recorded deviation waits in the teamleider's queue. */
  {
    g_auto(Run) run = cli_as (f, "bob", "queue", NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, number));
  }

  /* Four eyes: the author may not judge their own decision. */
  {
    g_auto(Run) run = cli_as (f, "alice", "review", number, "--verdict", "akkoord", NULL);
    assert_refused (run);
  }
  /* Nor may a klantmanager give a verdict. */
  {
    g_auto(Run) run = cli_as (f, "carol", "review", number, "--verdict", "akkoord", NULL);
    assert_refused (run);
  }
  /* Questions back need the questions. */
  {
    g_auto(Run) run = cli_as (f, "bob", "review", number, "--verdict", "vragen", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "bob", "review", number, "--verdict", "misschien", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "bob", "review", number, NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "bob", "review", number, "--verdict", "akkoord",
                              "--advice", "x", NULL);
    assert_run (run, 2);
  }

  /* Advice: asked of carol, it shows in her queue; she gives it. */
  {
    g_auto(Run) run = cli_as (f, "alice", "ask", number, "--of", "carol",
                              "--question", "Zou jij dit ook doen?", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "carol", "queue", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    row = find_row (run.out, number);
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "advice"));
  }
  {
    g_auto(Run) run = cli_as (f, "carol", "review", number, "--advice",
                              "Ja, en leg de afspraak vast.", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "review", number, "--advice", "Zelf", NULL);
    assert_refused (run);
  }

  {
    g_auto(Run) run = cli_as (f, "bob", "review", number, "--verdict", "akkoord-met-aanvulling",
                              "--comment", "Plan de nazorg over drie maanden.", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Ja, en leg de afspraak vast."));
    g_assert_nonnull (strstr (run.out, "Plan de nazorg over drie maanden."));
  }
}

static void
test_outcome (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *other = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  number = decide_applied (f, "alice", "Traject bij werkgever gestart");
  other = decide_applied (f, "alice", "Tweede traject gestart");

  {
    g_auto(Run) run = cli_as (f, "alice", "due", "--until", "2999-12-31", NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, number));
    g_assert_true (has_row (run.out, other));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "due", "--until", "1999-12-31", NULL);
    assert_run (run, 0);
    g_assert_null (find_row (run.out, number));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "due", "--until", "morgen", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "outcome", number, "--effect", "geweldig", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "outcome", number, NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "outcome", number, "--effect", "bereikt",
                              "--note", "Werkt nu twintig uur per week.", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "due", "--until", "2999-12-31", NULL);
    assert_run (run, 0);
    g_assert_null (find_row (run.out, number));
    g_assert_true (has_row (run.out, other));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "Werkt nu twintig uur per week."));
  }
}

/* Splits CSV text into records of fields (RFC 4180). */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"' && field->len == 0)
        {
          p++;
          while (*p != '\0')
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      else if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        g_string_append_c (field, *p++);
    }
  /* Every record ends with CRLF: nothing may be left over. */
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);
  return records;
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  a = decide_applied (f, "alice", "Eenvoudig, toegepast");
  b = decide_deviated (f, "alice", "Met \"aanhalingstekens\", komma's\ten tab",
                       "Because the rule did not foresee a carer's situation.");
  c = decide_applied (f, "alice", "Nog een");

  {
    g_auto(Run) run = cli_as (f, "alice", "log", NULL);
    g_auto(GStrv) lines = NULL;

    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 3);
    lines = g_strsplit (run.out, "\n", -1);
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *col = first_column (lines[i]);
        g_auto(GStrv) columns = g_strsplit (lines[i], "\t", -1);

        g_assert_true (matches ("^RR-\\d{4}-\\d{6}$", col));
        /* Tabs inside the summary may not split the columns. */
        g_assert_cmpuint (g_strv_length (columns), ==, 10);
      }
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--format", "csv", NULL);
    g_autoptr(GPtrArray) records = NULL;
    GPtrArray *header;
    gboolean found_b = FALSE;

    assert_run (run, 0);
    records = parse_csv (run.out);
    g_assert_cmpuint (records->len, ==, 4);
    header = g_ptr_array_index (records, 0);
    g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "number");
    for (guint i = 1; i < records->len; i++)
      {
        GPtrArray *record = g_ptr_array_index (records, i);

        g_assert_cmpuint (record->len, ==, header->len);
        if (g_str_equal (g_ptr_array_index (record, 0), b))
          {
            found_b = TRUE;
            g_assert_cmpstr (g_ptr_array_index (record, header->len - 1), ==,
                             "Met \"aanhalingstekens\", komma's\ten tab");
          }
      }
    g_assert_true (found_b);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--outcome", "deviated", NULL);
    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 1);
    g_assert_true (has_row (run.out, b));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--limit", "2", NULL);
    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--rule", f->rule, "--from", "2000-01-01",
                              "--to", "2999-12-31", NULL);
    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 3);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--to", "1999-12-31", NULL);
    assert_run (run, 0);
    g_assert_cmpuint (count_lines (run.out), ==, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--outcome", "maybe", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--format", "xml", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--limit", "veel", NULL);
    assert_run (run, 2);
  }
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *plain = NULL;
  g_autofree char *target = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  plain = decide_applied (f, "alice", "Gewoon toegepast");
  target = decide_deviated (f, "alice", "Afwijking voor de mantelzorger",
                            "The zonnebloemveld arrangement shows the rule's goal is met.");

  {
    g_auto(Run) run = cli_as (f, "alice", "search", "zonnebloemveld", NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, target));
    g_assert_null (find_row (run.out, plain));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "search", "onvindbaarwoord", NULL);
    assert_run (run, 0);
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(Run) run = cli_as (f, "carol", "search", "--precedents", "--rule", f->rule, NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, target));
    /* Precedents never name the client. */
    g_assert_null (strstr (run.out, "Jan Jansen"));
    g_assert_null (strstr (run.out, "D-1"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "search", NULL);
    assert_run (run, 2);
  }
}

static void
test_show (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *uuid_line = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  number = decide_deviated (f, "alice", "Eerste", "Because the first explanation holds.");
  {
    g_auto(Run) run = cli_as (f, "alice", "supersede", number, "--explanation",
                              "Because the second explanation holds better.", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    gint64 seq1, seq2;
    g_autofree char *pattern = NULL;

    assert_run (run, 0);
    g_assert_true (g_str_has_prefix (run.out, number));
    g_assert_nonnull (strstr (run.out, "Because the first explanation holds."));
    g_assert_nonnull (strstr (run.out, "Because the second explanation holds better."));
    g_assert_nonnull (strstr (run.out, "Events:"));
    g_assert_nonnull (strstr (run.out, "Jan Jansen"));

    /* Each version's record event, with its seq and hash. */
    seq1 = query_int (f->db, "SELECT min (seq) FROM events WHERE entity_uuid ="
                      " (SELECT uuid FROM decisions WHERE number = ? AND version = 1)", number);
    seq2 = query_int (f->db, "SELECT min (seq) FROM events WHERE entity_uuid ="
                      " (SELECT uuid FROM decisions WHERE number = ? AND version = 2)", number);
    g_assert_cmpint (seq1, >, 0);
    g_assert_cmpint (seq2, >, seq1);
    pattern = g_strdup_printf ("^    %" G_GINT64_FORMAT "\\t.*\\t[0-9a-f]{64}$", seq1);
    g_assert_true (matches (pattern, run.out));
    g_free (pattern);
    pattern = g_strdup_printf ("^    %" G_GINT64_FORMAT "\\t.*\\t[0-9a-f]{64}$", seq2);
    g_assert_true (matches (pattern, run.out));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", "RR-1999-999999", NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", NULL);
    assert_run (run, 2);
  }
}

static char *
take_checkpoint (const char *database)
{
  g_auto(Run) run = cli_at (database, "alice", "checkpoint", NULL);

  assert_run (run, 0);
  g_assert_true (matches ("^\\d+:[0-9a-f]{64}$", run.out));
  g_assert_cmpuint (count_lines (run.out), ==, 1);
  return strip_copy (run.out);
}

static char *
last_line (const char *text)
{
  g_autofree char *copy = strip_copy (text);
  const char *nl = strrchr (copy, '\n');

  return g_strdup (nl != NULL ? nl + 1 : copy);
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *checkpoint = NULL;
  g_autofree char *later = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);
  g_free (decide_applied (f, "alice", "Een"));

  checkpoint = take_checkpoint (f->db);
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", NULL);
    g_autofree char *last = NULL;

    assert_run (run, 0);
    g_assert_true (g_str_has_prefix (run.out, "ok"));
    last = last_line (run.out);
    g_assert_cmpstr (last, ==, checkpoint);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", "--checkpoint", checkpoint, NULL);
    assert_run (run, 0);
  }

  /* The chain grows; the old checkpoint still holds. */
  g_free (decide_applied (f, "alice", "Twee"));
  later = take_checkpoint (f->db);
  g_assert_cmpstr (later, !=, checkpoint);
  {
    g_auto(Run) run = cli_as (f, "bob", "verify", "--checkpoint", checkpoint, NULL);
    assert_run (run, 0);
  }

  /* A checkpoint beyond the end of the chain: events were removed. */
  {
    g_auto(GStrv) parts = g_strsplit (later, ":", 2);
    g_autofree char *beyond = g_strdup_printf ("%" G_GINT64_FORMAT ":%s",
                                               g_ascii_strtoll (parts[0], NULL, 10) + 5,
                                               parts[1]);
    g_auto(Run) run = cli_as (f, "alice", "verify", "--checkpoint", beyond, NULL);
    assert_run (run, 1);
  }

  /* Malformed checkpoints. */
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", "--checkpoint", "12345", NULL);
    g_assert_true (run.status == 1 || run.status == 2);
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", "--checkpoint", "x:abc", NULL);
    g_assert_true (run.status == 1 || run.status == 2);
  }
}

static void
test_tamper (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *number = NULL;
  g_autofree char *seq_text = NULL;
  gint64 seq;

  if (!have_binaries ())
    return;
  setup_team (f);

  first = decide_applied (f, "alice", "Niet aangeraakt");
  number = decide_applied (f, "alice", "Oorspronkelijke samenvatting");
  g_free (decide_applied (f, "alice", "Daarna"));
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", NULL);
    assert_run (run, 0);
  }

  seq = query_int (f->db, "SELECT min (seq) FROM events WHERE entity_uuid ="
                   " (SELECT uuid FROM decisions WHERE number = ?)", number);
  g_assert_cmpint (seq, >, 0);

  /* Someone with the file and the sqlite3 shell changes one letter. */
  {
    g_autofree char *sql = g_strdup_printf (
        "DROP TRIGGER decisions_no_update;"
        "UPDATE decisions SET summary = 'o' || substr (summary, 2) WHERE number = '%s';",
        number);
    exec_sql (f->db, sql);
  }

  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", NULL);
    g_autofree char *pattern = g_strdup_printf ("\\b%s\\b", seq_text);
    g_autofree char *first_line = g_strndup (run.out, strcspn (run.out, "\n"));

    assert_run (run, 1);
    g_assert_false (g_str_has_prefix (run.out, "ok"));
    /* The problem names the seq of the changed decision's event. */
    g_assert_true (matches (pattern, first_line));
    /* The last line is still the chain's checkpoint. */
    {
      g_autofree char *last = last_line (run.out);
      g_assert_true (matches ("^\\d+:[0-9a-f]{64}$", last));
    }
  }
}

static void
run_same_steps (const char *database)
{
  {
    g_auto(Run) run = cli_at (database, "alice", "init", "--organisation", "Gemeente Testdam",
                              NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_at (database, "alice", "client", "add", "--dossier", "D-1",
                              "--name", "Jan Jansen", NULL);
    assert_run (run, 0);
  }
}

static void
test_rewritten_history (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *other = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *theirs = NULL;

  if (!have_binaries ())
    return;

  other = g_build_filename (f->dir, "rewritten.db", NULL);
  run_same_steps (f->db);
  kept = take_checkpoint (f->db);

  /* The same steps again: a chain that verifies on its own, but is not the
   * one the auditor kept a checkpoint of. */
  run_same_steps (other);
  theirs = take_checkpoint (other);
  g_assert_cmpstr (kept, !=, theirs);
  {
    g_auto(Run) run = cli_at (other, "alice", "verify", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_at (other, "alice", "verify", "--checkpoint", kept, NULL);
    assert_run (run, 1);
    g_assert_false (g_str_has_prefix (run.out, "ok"));
  }
  {
    g_auto(Run) run = cli_at (f->db, "alice", "verify", "--checkpoint", kept, NULL);
    assert_run (run, 0);
  }
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  if (!have_binaries ())
    return;
  setup_team (f);

  {
    g_auto(Run) run = cli_at (NULL, "alice", NULL, NULL);
    assert_run (run, 2);
    g_assert_true (g_str_has_prefix (run.err, "regelruimte-cli: "));
    g_assert_nonnull (strstr (run.err, "--help"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "frobnicate", NULL);
    assert_run (run, 2);
    g_assert_nonnull (strstr (run.err, "frobnicate"));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "frobnicate", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "--frobnicate", NULL);
    assert_run (run, 2);
    g_assert_nonnull (strstr (run.err, "--help"));
  }
  {
    g_auto(Run) run = cli_at (NULL, "alice", "--frobnicate", "log", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_at (NULL, "alice", "--database", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "log", "extra", NULL);
    assert_run (run, 2);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "user", "grant", NULL);
    assert_run (run, 2);
  }
  /* --database also after the command. */
  {
    g_auto(Run) run = cli_at (NULL, "alice", "user", "list", "--database", f->db, NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, "alice"));
  }
  {
    g_auto(Run) run = cli_at (NULL, "alice", "--version", NULL);
    assert_run (run, 0);
    g_assert_true (g_str_has_prefix (run.out, "regelruimte-cli "));
  }
}

static const char * const all_commands[] = {
  "init", "user add", "user list", "user grant", "user revoke", "user activate",
  "user deactivate", "client add", "client list", "client show", "client close",
  "client reassign", "rule list", "rule show", "rule import", "rule export", "kind list",
  "reason list", "domain list", "decide", "supersede", "withdraw", "review", "ask", "queue",
  "outcome", "due", "log", "search", "show", "verify", "checkpoint", "demo", "backup",
  "restore",
};

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  if (!have_binaries ())
    return;

  {
    g_auto(Run) run = cli_at (NULL, "alice", "--help", NULL);
    assert_run (run, 0);
    for (guint i = 0; i < G_N_ELEMENTS (all_commands); i++)
      g_assert_nonnull (strstr (run.out, all_commands[i]));
  }
  {
    g_auto(Run) run = cli_at (NULL, "alice", "help", "decide", NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "--deviated"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (all_commands); i++)
    {
      g_auto(GStrv) words = g_strsplit (all_commands[i], " ", 2);
      g_auto(Run) run = { -1, NULL, NULL };
      g_autofree char *usage = g_strdup_printf ("regelruimte-cli %s", all_commands[i]);

      if (words[1] != NULL)
        run = cli_as (f, "alice", words[0], words[1], "--help", NULL);
      else
        run = cli_as (f, "alice", words[0], "--help", NULL);
      assert_run (run, 0);
      g_assert_nonnull (strstr (run.out, "Usage:"));
      g_assert_nonnull (strstr (run.out, usage));
      g_assert_nonnull (strstr (run.out, "--database"));
      /* Help touches no database. */
      g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
    }
}

static void
test_release_ignores_override (Fixture       *f,
                               gconstpointer  data)
{
  const char *login = g_get_user_name ();

  if (!have_binaries ())
    return;

  {
    g_auto(Run) run = cli_env (NULL, release_binary (), f->db, "mallory", "init",
                               "--organisation", "Gemeente Testdam", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_env (NULL, release_binary (), f->db, "mallory", "user", "list", NULL);
    g_autofree char *row = NULL;

    assert_run (run, 0);
    row = find_row (run.out, login);
    g_assert_nonnull (row);
    g_assert_nonnull (strstr (row, "beheerder"));
    g_assert_null (find_row (run.out, "mallory"));
  }
  /* The test build, by contrast, does act as mallory: who is no user here. */
  {
    g_auto(Run) run = cli_as (f, "mallory", "user", "add", "--login", "eve", "--name", "Eve",
                              "--role", "auditor", NULL);
    assert_refused (run);
  }
}

static void
test_no_gtk (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *ldd = g_find_program_in_path ("ldd");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!have_binaries ())
    return;
  if (ldd == NULL)
    {
      g_test_skip ("ldd is not installed");
      return;
    }

  {
    const char *argv[] = { ldd, release_binary (), NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                  &wait_status, &error);
    g_assert_no_error (error);
  }
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
  g_assert_nonnull (strstr (out, "libglib-2.0"));
  g_assert_null (strstr (out, "libgtk"));
  g_assert_null (strstr (out, "libgdk"));
}

/* The columns of a demo log that do not depend on when it was made. */
static char *
demo_csv (const char *database)
{
  g_auto(Run) run = cli_at (database, "tester", "log", "--format", "csv", NULL);

  assert_run (run, 0);
  return g_steal_pointer (&run.out);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *other = NULL;
  g_autofree char *csv1 = NULL;
  g_autofree char *csv2 = NULL;
  g_autoptr(GPtrArray) records = NULL;

  if (!have_binaries ())
    return;

  other = g_build_filename (f->dir, "demo2.db", NULL);

  /* Never into a database that is in use. */
  {
    g_autofree char *real = g_build_filename (f->dir, "real.db", NULL);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    {
      g_auto(Run) run = cli_at (real, "tester", "init", "--organisation", "Echt", NULL);
      assert_run (run, 0);
    }
    before = file_checksum (real);
    {
      g_auto(Run) run = cli_at (real, "tester", "demo", "--decisions", "10", NULL);
      assert_refused (run);
    }
    after = file_checksum (real);
    g_assert_cmpstr (before, ==, after);
  }
  {
    g_auto(Run) run = cli_at (f->db, "tester", "demo", NULL);
    assert_run (run, 2);
    g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  }

  {
    g_auto(Run) run = cli_at (f->db, "tester", "demo", "--decisions", "200", "--seed", "7",
                              NULL);
    assert_run (run, 0);
    g_assert_nonnull (strstr (run.out, "200"));
    /* No progress line when stderr is not a terminal. */
    g_assert_cmpstr (run.err, ==, "");
  }
  {
    g_auto(Run) run = cli_at (other, "tester", "demo", "--decisions", "200", "--seed", "7",
                              NULL);
    assert_run (run, 0);
  }
  /* The one who made it sees everything, as an auditor: demo grants it. */
  {
    g_auto(Run) run = cli_at (f->db, "tester", "user", "list", NULL);
    assert_run (run, 0);
    g_assert_nonnull (g_regex_match_simple ("^tester\t.*auditor", run.out, G_REGEX_MULTILINE, 0)
                      ? run.out : NULL);
  }

  csv1 = demo_csv (f->db);
  csv2 = demo_csv (other);
  records = parse_csv (csv1);
  g_assert_cmpuint (records->len, >, 100);
  g_assert_cmpstr (csv1, ==, csv2);

  {
    g_auto(Run) run = cli_at (f->db, "tester", "verify", NULL);
    assert_run (run, 0);
  }

  /* Not into a database that holds decisions. */
  {
    g_autofree char *before = file_checksum (f->db);
    g_autofree char *after = NULL;
    g_auto(Run) run = cli_at (f->db, "tester", "demo", "--decisions", "10", NULL);

    assert_refused (run);
    after = file_checksum (f->db);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_backup_restore (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *backup = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *before_restore = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);

  backup = g_build_filename (f->dir, "backup.db", NULL);
  g_free (decide_applied (f, "alice", "Voor de back-up"));
  kept = take_checkpoint (f->db);
  {
    g_auto(Run) run = cli_as (f, "alice", "backup", "--output", backup, NULL);
    assert_run (run, 0);
    g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "backup", "--output", backup, NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_at (backup, "alice", "verify", "--checkpoint", kept, NULL);
    assert_run (run, 0);
  }

  g_free (decide_applied (f, "alice", "Na de back-up"));
  g_assert_cmpuint (count_log (f, "alice"), ==, 2);

  /* Only the beheerder restores over a readable database. */
  {
    g_auto(Run) run = cli_as (f, "carol", "restore", backup, NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "restore", backup, NULL);
    assert_run (run, 0);
  }
  /* The replaced file is kept beside it. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "regelruimte.db.before-restore")
          && !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
        {
          g_free (before_restore);
          before_restore = g_build_filename (f->dir, name, NULL);
        }
    g_assert_nonnull (before_restore);
  }
  g_assert_cmpuint (count_log (f, "alice"), ==, 1);
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", "--checkpoint", kept, NULL);
    g_autofree char *last = NULL;

    assert_run (run, 0);
    last = last_line (run.out);
    g_assert_cmpstr (last, ==, kept);
  }
  {
    g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
    g_auto(Run) run = cli_as (f, "alice", "restore", missing, NULL);
    assert_refused (run);
  }
}

static void
check_refused_unchanged (const char *path)
{
  g_autofree char *before = file_checksum (path);

  g_assert_nonnull (before);
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Run) run = { -1, NULL, NULL };
      g_autofree char *after = NULL;

      switch (i)
        {
        case 0:
          run = cli_at (path, "alice", "log", NULL);
          break;
        case 1:
          run = cli_at (path, "alice", "verify", NULL);
          break;
        case 2:
          run = cli_at (path, "alice", "user", "list", NULL);
          break;
        case 3:
          run = cli_at (path, "alice", "init", "--organisation", "X", NULL);
          break;
        default:
          run = cli_at (path, "alice", "client", "add", "--dossier", "D-1", "--name", "X", NULL);
          break;
        }
      assert_refused (run);
      after = file_checksum (path);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_not_ours (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *other_db = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_binaries ())
    return;

  text = g_build_filename (f->dir, "hello.txt", NULL);
  g_file_set_contents (text, "hello\n", -1, &error);
  g_assert_no_error (error);
  check_refused_unchanged (text);

  other_db = g_build_filename (f->dir, "other.sqlite", NULL);
  exec_sql (other_db, "CREATE TABLE recipes (name TEXT, minutes INTEGER);"
                      "INSERT INTO recipes VALUES ('stamppot', 40);");
  check_refused_unchanged (other_db);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *number = NULL;

  if (!have_binaries ())
    return;
  setup_team (f);
  number = decide_applied (f, "alice", "Alleen-lezen");

  g_assert_cmpint (g_chmod (f->db, 0444), ==, 0);
  before = file_checksum (f->db);

  {
    g_auto(Run) run = cli_as (f, "alice", "log", NULL);
    assert_run (run, 0);
    g_assert_true (has_row (run.out, number));
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "verify", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "show", number, NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "checkpoint", NULL);
    assert_run (run, 0);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "client", "add", "--dossier", "D-9", "--name", "X",
                              NULL);
    assert_refused (run);
  }
  {
    g_auto(Run) run = cli_as (f, "alice", "decide", "--client", "D-1", "--rule", f->rule,
                              "--kind", f->kind, "--summary", "x", "--applied", NULL);
    assert_refused (run);
    g_assert_cmpstr (run.out, ==, "");
  }

  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
  g_chmod (f->db, 0600);
}

/* Like strstr (), but through NUL bytes, as in a compiled catalogue. */
static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= length; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static void
test_dutch (Fixture       *f,
            gconstpointer  data)
{
  const char *localedir = g_getenv ("RR_LOCALEDIR");
  g_autofree char *mo = NULL;
  const char *env[] = { "LANGUAGE=nl", "LC_ALL=C.UTF-8", NULL };

  if (!have_binaries ())
    return;
  if (localedir == NULL)
    {
      g_test_skip ("RR_LOCALEDIR is not set");
      return;
    }
  mo = g_build_filename (localedir, "nl", "LC_MESSAGES", "regelruimte.mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("The Dutch translation is not built");
      return;
    }
  /* The catalogue is filled in later than the code: until the phrase is in
   * it, there is nothing to check yet. */
  {
    g_autoptr(GMappedFile) mapped = g_mapped_file_new (mo, FALSE, NULL);
    const char *phrase = "Er is geen database";

    if (mapped == NULL
        || !contains_bytes (g_mapped_file_get_contents (mapped),
                            g_mapped_file_get_length (mapped), phrase))
      {
        g_test_skip ("The Dutch translation does not have this message yet");
        return;
      }
  }

  {
    g_auto(Run) run = cli_env (env, cli_binary (), f->db, "alice", "log", NULL);
    assert_refused (run);
    g_assert_nonnull (strstr (run.err, "Er is geen database"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  rr_core_init_i18n ();

#define ADD(name, func) g_test_add ("/rr/cli/" name, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("init", test_init);
  ADD ("no-database", test_no_database);
  ADD ("users", test_users);
  ADD ("clients", test_clients);
  ADD ("decide", test_decide);
  ADD ("from-file", test_from_file);
  ADD ("supersede-withdraw", test_supersede_withdraw);
  ADD ("review", test_review);
  ADD ("outcome", test_outcome);
  ADD ("log", test_log);
  ADD ("search", test_search);
  ADD ("show", test_show);
  ADD ("verify", test_verify);
  ADD ("tamper", test_tamper);
  ADD ("rewritten-history", test_rewritten_history);
  ADD ("usage", test_usage);
  ADD ("help", test_help);
  ADD ("release-ignores-override", test_release_ignores_override);
  ADD ("no-gtk", test_no_gtk);
  ADD ("backup-restore", test_backup_restore);
  ADD ("not-ours", test_not_ours);
  ADD ("read-only", test_read_only);
  ADD ("dutch", test_dutch);
  /* Last: it needs the demo generator, the largest piece of the core. */
  ADD ("demo", test_demo);
#undef ADD

  return g_test_run ();
}
