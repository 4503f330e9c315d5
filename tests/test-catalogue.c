/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rr-core.h"
#include "rr-rules-private.h"
#include "rr-xml.h"

/* The rule catalogue: the starter catalogue, versions in force, adding
 * versions, search, import/export, and every way a hostile catalogue is
 * refused with the store left as it was. */

#define N_STARTER_VERSIONS 21
#define N_STARTER_RULES 20
#define CANARY_TEXT "canary-91d2b7-catalogue-never-read"
#define NS "https://regelruimte.nl/ns/catalogue/1"

typedef struct
{
  char    *dir;
  char    *path;
  char    *canary;
  int      inotify_fd;
  RrStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("rr-catalogue-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "test.db", NULL);
  fx->store = rr_store_open (fx->path, RR_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  rr_store_initialise (fx->store, "beheer", "Beheer Test", "Gemeente Test", "Team Noord", &error);
  g_assert_no_error (error);
  rr_users_add (fx->store, "beheer", "km1", "Km Een", "Team Noord", RR_ROLE_KLANTMANAGER, &error);
  g_assert_no_error (error);

  fx->canary = g_build_filename (fx->dir, "canary.txt", NULL);
  g_file_set_contents (fx->canary, CANARY_TEXT "\n", -1, &error);
  g_assert_no_error (error);
  fx->inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (fx->inotify_fd, >=, 0);
  g_assert_cmpint (inotify_add_watch (fx->inotify_fd, fx->canary, IN_OPEN | IN_ACCESS), >=, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  close (fx->inotify_fd);
  g_assert_finalize_object (fx->store);
  remove_tree (fx->dir);
  g_free (fx->canary);
  g_free (fx->path);
  g_free (fx->dir);
}

static guint
count_versions (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = rr_rules_list (fx->store, TRUE, &error);

  g_assert_no_error (error);
  return rules->len;
}

static gint64
head_seq (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) checkpoint = rr_ledger_checkpoint (fx->store, &error);

  g_assert_no_error (error);
  return checkpoint->seq;
}

static RrRule *
in_force (Fixture    *fx,
          const char *code,
          const char *date)
{
  g_autoptr(GError) error = NULL;
  RrRule *rule = rr_rules_in_force (fx->store, code, date, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rule);
  return rule;
}

static RrRule *
make_rule (const char *code,
           int         version,
           const char *valid_from,
           const char *valid_to)
{
  RrRule *rule = rr_rule_new ();

  rule->code = g_strdup (code);
  rule->version = version;
  rule->title = g_strdup ("Testregel");
  rule->source_kind = g_strdup ("beleidsregel");
  rule->reference = g_strdup ("CVDR-TEST-1");
  rule->article = g_strdup ("art. 1");
  rule->text = g_strdup ("Tekst van de regel,\nover twee regels & met <tekens>.");
  rule->goal = g_strdup ("Het doel van de regel.");
  rule->valid_from = g_strdup (valid_from);
  rule->valid_to = g_strdup (valid_to);
  return rule;
}

static void
assert_canary_untouched (Fixture *fx)
{
  char buffer[4096];

  g_assert_cmpint (read (fx->inotify_fd, buffer, sizeof buffer), <, 0);
}

/* Imports @text, expects a refusal in @domain/@code and the store exactly
 * as it was: no rule, no ledger event. Returns the message. */
static char *
assert_import_refused (Fixture    *fx,
                       const char *text,
                       gssize      length,
                       GQuark      domain,
                       int         code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);
  g_autoptr(GError) error = NULL;
  guint before = count_versions (fx);
  gint64 seq = head_seq (fx);
  guint n_added = 99;

  g_assert_false (rr_catalogue_import_bytes (fx->store, "beheer", bytes, &n_added, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpuint (n_added, ==, 0);
  g_assert_null (strstr (error->message, CANARY_TEXT));
  g_test_message ("refused: %s", error->message);

  g_assert_cmpuint (count_versions (fx), ==, before);
  g_assert_cmpint (head_seq (fx), ==, seq);
  assert_canary_untouched (fx);
  return g_strdup (error->message);
}

static void
test_starter (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GBytes) starter = rr_catalogue_starter ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(RrRule) before = NULL;
  g_autoptr(RrRule) after = NULL;
  g_autoptr(RrRule) awb = NULL;

  g_assert_nonnull (starter);
  g_assert_true (rr_xml_validate_bytes (starter, RR_CATALOGUE_MAX_SIZE, RR_XML_SCHEMA_CATALOGUE,
                                        "starter", &error));
  g_assert_no_error (error);
  parsed = rr_catalogue_parse (starter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, N_STARTER_VERSIONS);

  g_assert_cmpuint (count_versions (fx), ==, N_STARTER_VERSIONS);
  newest = rr_rules_list (fx->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, N_STARTER_RULES);
  for (guint i = 0; i < newest->len; i++)
    {
      const RrRule *rule = g_ptr_array_index (newest, i);

      /* Marked as an example to adapt, and every rule states its goal. */
      g_assert_true (rule->example);
      g_assert_nonnull (rule->goal);
      g_assert_nonnull (rule->uuid);
      g_assert_true (rr_rule_source_kind_is_valid (rule->source_kind));
    }

  /* The threshold rule changed on 2024-01-01. */
  before = in_force (fx, "LOC-BB-DREMPEL", "2023-12-31");
  after = in_force (fx, "LOC-BB-DREMPEL", "2024-01-01");
  g_assert_cmpint (before->version, ==, 1);
  g_assert_cmpstr (before->valid_to, ==, "2023-12-31");
  g_assert_cmpint (after->version, ==, 2);
  g_assert_null (after->valid_to);
  g_assert_nonnull (strstr (before->text, "50"));
  g_assert_nonnull (strstr (after->text, "25"));

  awb = in_force (fx, "AWB-4:84", "2026-03-01");
  g_assert_cmpstr (awb->reference, ==, "jci1.3:c:BWBR0005537&artikel=4:84");
  g_assert_cmpstr (awb->source_kind, ==, "wet");

  /* Loading the starter catalogue again adds nothing. */
  {
    guint n_added = 99;

    g_assert_true (rr_catalogue_import_bytes (fx->store, "beheer", starter, &n_added, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_added, ==, 0);
  }
}

static void
test_in_force_errors (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;

  g_assert_null (rr_rules_in_force (fx->store, "NOPE-1", "2024-01-01", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE-1"));
  g_clear_error (&error);

  g_assert_null (rr_rules_in_force (fx->store, "LOC-BB-DREMPEL", "2018-12-31", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2018-12-31"));
  g_assert_nonnull (strstr (error->message, "2019-01-01"));
  g_assert_nonnull (strstr (error->message, "2024-01-01"));
  g_clear_error (&error);

  g_assert_null (rr_rules_in_force (fx->store, "PW-18-1", "2024-02-30", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (rr_rules_versions (fx->store, "NOPE-1", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  versions = rr_rules_versions (fx->store, "LOC-BB-DREMPEL", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
}

static void
test_add_version (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrRule) rule = NULL;
  g_autoptr(RrRule) old = NULL;
  g_autoptr(RrRule) new = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) old_events = NULL;
  gint64 seq = head_seq (fx);

  rule = make_rule ("PW-18-1", 0, "2025-07-01", NULL);
  rule->source_kind = (g_free (rule->source_kind), g_strdup ("wet"));
  rule->title = (g_free (rule->title), g_strdup ("  Afstemming, nieuwe tekst  "));
  g_assert_true (rr_rules_add (fx->store, "beheer", rule, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rule->version, ==, 2);
  g_assert_nonnull (rule->uuid);
  g_assert_cmpstr (rule->title, ==, "Afstemming, nieuwe tekst");
  g_assert_cmpuint (count_versions (fx), ==, N_STARTER_VERSIONS + 1);

  old = in_force (fx, "PW-18-1", "2025-06-30");
  new = in_force (fx, "PW-18-1", "2025-07-01");
  g_assert_cmpint (old->version, ==, 1);
  g_assert_cmpstr (old->valid_to, ==, "2025-06-30");
  g_assert_cmpint (new->version, ==, 2);
  g_assert_cmpstr (new->uuid, ==, rule->uuid);

  /* One event closes the old version, one adds the new. */
  g_assert_cmpint (head_seq (fx), ==, seq + 2);
  events = rr_ledger_events_for (fx->store, rule->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((RrEvent *) events->pdata[0])->action, ==, "rule.added");
  old_events = rr_ledger_events_for (fx->store, old->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old_events->len, ==, 2);
  g_assert_cmpstr (((RrEvent *) old_events->pdata[1])->action, ==, "rule.closed");

  /* A brand-new rule starts at version 1. */
  {
    g_autoptr(RrRule) fresh = make_rule ("TA-NIEUW", 0, "2026-01-01", NULL);

    g_assert_true (rr_rules_add (fx->store, "beheer", fresh, &error));
    g_assert_no_error (error);
    g_assert_cmpint (fresh->version, ==, 1);
  }
}

static void
assert_add_refused (Fixture *fx,
                    RrRule  *rule,
                    int      code)
{
  g_autoptr(GError) error = NULL;
  guint before = count_versions (fx);
  gint64 seq = head_seq (fx);

  g_assert_false (rr_rules_add (fx->store, "beheer", rule, &error));
  g_assert_error (error, RR_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_null (rule->uuid);
  g_assert_cmpuint (count_versions (fx), ==, before);
  g_assert_cmpint (head_seq (fx), ==, seq);
  rr_rule_free (rule);
}

static void
test_add_invalid (Fixture       *fx,
                  gconstpointer  data)
{
  RrRule *rule;
  g_autoptr(RrRule) v1 = NULL;

  assert_add_refused (fx, make_rule ("pw 18", 0, "2025-01-01", NULL), RR_ERROR_INVALID);
  assert_add_refused (fx, make_rule ("PW--18", 0, "2025-01-01", NULL), RR_ERROR_INVALID);
  assert_add_refused (fx, make_rule ("PW-18-", 0, "2025-01-01", NULL), RR_ERROR_INVALID);
  assert_add_refused (fx, make_rule ("T-1", 0, "2025-02-30", NULL), RR_ERROR_INVALID);
  assert_add_refused (fx, make_rule ("T-1", 0, "2025-01-01", "2024-12-31"), RR_ERROR_INVALID);
  assert_add_refused (fx, make_rule ("T-1", 0, "2025-01-01", "later"), RR_ERROR_INVALID);

  rule = make_rule ("T-1", 0, "2025-01-01", NULL);
  rule->title = (g_free (rule->title), g_strdup ("   "));
  assert_add_refused (fx, rule, RR_ERROR_INVALID);

  rule = make_rule ("T-1", 0, "2025-01-01", NULL);
  rule->title = (g_free (rule->title), g_strdup ("two\nlines"));
  assert_add_refused (fx, rule, RR_ERROR_INVALID);

  rule = make_rule ("T-1", 0, "2025-01-01", NULL);
  rule->text = (g_free (rule->text), g_strdup ("bell \a"));
  assert_add_refused (fx, rule, RR_ERROR_INVALID);

  rule = make_rule ("T-1", 0, "2025-01-01", NULL);
  rule->source_kind = (g_free (rule->source_kind), g_strdup ("wetje"));
  assert_add_refused (fx, rule, RR_ERROR_INVALID);

  rule = make_rule ("T-1", 0, "2025-01-01", NULL);
  rule->retention_years = -1;
  assert_add_refused (fx, rule, RR_ERROR_INVALID);

  /* Existing versions are fixed; older numbers cannot slip in. */
  assert_add_refused (fx, make_rule ("PW-18-1", 1, "2025-01-01", NULL), RR_ERROR_CONFLICT);
  assert_add_refused (fx, make_rule ("LOC-BB-DREMPEL", 1, "2030-01-01", NULL), RR_ERROR_CONFLICT);
  /* A new version must start after the open one it closes... */
  assert_add_refused (fx, make_rule ("PW-18-1", 0, "2015-01-01", NULL), RR_ERROR_INVALID);
  /* ...and may not overlap a closed one. */
  assert_add_refused (fx, make_rule ("LOC-BB-DREMPEL", 3, "2023-06-01", NULL), RR_ERROR_INVALID);

  /* A closed version is not closed again, but still may not overlap. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RrRule) closed = make_rule ("T-2", 0, "2020-01-01", "2020-12-31");

    g_assert_true (rr_rules_add (fx->store, "beheer", closed, &error));
    g_assert_no_error (error);
    assert_add_refused (fx, make_rule ("T-2", 0, "2020-06-01", NULL), RR_ERROR_INVALID);
  }

  /* Nothing above touched PW-18-1 version 1. */
  v1 = in_force (fx, "PW-18-1", "2030-01-01");
  g_assert_cmpint (v1->version, ==, 1);
  g_assert_null (v1->valid_to);
}

static void
test_add_refused_for_klantmanager (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrRule) rule = make_rule ("PW-18-1", 0, "2025-07-01", NULL);
  g_autoptr(RrRule) v1 = NULL;
  g_autoptr(GBytes) starter = rr_catalogue_starter ();
  guint before = count_versions (fx);
  gint64 seq = head_seq (fx);

  g_assert_false (rr_rules_add (fx->store, "km1", rule, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_false (rr_rules_add (fx->store, "nobody", rule, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_false (rr_catalogue_import_bytes (fx->store, "km1", starter, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);

  g_assert_cmpuint (count_versions (fx), ==, before);
  g_assert_cmpint (head_seq (fx), ==, seq);
  v1 = in_force (fx, "PW-18-1", "2030-01-01");
  g_assert_null (v1->valid_to);
}

static void
test_search (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  found = rr_rules_search (fx->store, "drempel", "2020-01-01", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((RrRule *) found->pdata[0])->version, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = rr_rules_search (fx->store, "DREMPEL", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((RrRule *) found->pdata[0])->version, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Codes that start with the text come first. */
  found = rr_rules_search (fx->store, "pw-18", "2024-06-01", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((RrRule *) found->pdata[0])->code, ==, "PW-18-1");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = rr_rules_search (fx->store, "bijstand", "2024-06-01", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 3);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Wildcards are text, not patterns. */
  found = rr_rules_search (fx->store, "%", "2024-06-01", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = rr_rules_search (fx->store, "PW_18", "2024-06-01", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Empty text lists every rule in force; none before 1994. */
  found = rr_rules_search (fx->store, "", "2024-06-01", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, N_STARTER_RULES);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = rr_rules_search (fx->store, NULL, "1990-01-01", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_null (rr_rules_search (fx->store, "x", "gisteren", 0, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
}

static void
test_round_trip (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = g_build_filename (fx->dir, "catalogus.xml", NULL);
  g_autoptr(RrRule) kept = make_rule ("LOC-BEWAAR", 0, "2020-01-01", NULL);
  g_autoptr(RrRule) next = make_rule ("LOC-BEWAAR", 0, "2022-01-01", NULL);
  g_autoptr(RrStore) other = NULL;
  g_autofree char *other_path = g_build_filename (fx->dir, "other.db", NULL);
  g_autoptr(RrRule) copied = NULL;
  g_autoptr(RrRule) copied_old = NULL;
  struct stat st;
  guint n_added = 99;

  kept->retention_years = 10;
  kept->example = FALSE;
  g_assert_true (rr_rules_add (fx->store, "beheer", kept, &error));
  g_assert_no_error (error);
  next->text = (g_free (next->text), g_strdup ("Carriage\r\nreturn and tab\t."));
  g_assert_true (rr_rules_add (fx->store, "beheer", next, &error));
  g_assert_no_error (error);

  g_assert_true (rr_catalogue_export_file (fx->store, export_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (export_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_true (rr_xml_validate_file (export_path, 0, RR_XML_SCHEMA_CATALOGUE, "export", &error));
  g_assert_no_error (error);

  /* Everything exported is already here. */
  g_assert_true (rr_catalogue_import_file (fx->store, "beheer", export_path, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 0);

  /* Exporting again over the file works too. */
  g_assert_true (rr_catalogue_export_file (fx->store, export_path, &error));
  g_assert_no_error (error);

  /* A second database gets the two new versions, exactly. */
  other = rr_store_open (other_path, RR_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  rr_store_initialise (other, "beheer", "Beheer Test", "Gemeente Elders", "Team Zuid", &error);
  g_assert_no_error (error);
  g_assert_true (rr_catalogue_import_file (other, "beheer", export_path, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 2);

  copied_old = rr_rules_in_force (other, "LOC-BEWAAR", "2021-12-31", &error);
  g_assert_no_error (error);
  g_assert_cmpint (copied_old->retention_years, ==, 10);
  g_assert_false (copied_old->example);
  g_assert_cmpstr (copied_old->valid_to, ==, "2021-12-31");
  g_assert_cmpstr (copied_old->text, ==, kept->text);
  copied = rr_rules_in_force (other, "LOC-BEWAAR", "2022-01-01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (copied->version, ==, 2);
  g_assert_cmpstr (copied->text, ==, next->text);
  g_assert_cmpstr (copied->goal, ==, next->goal);
  g_assert_cmpstr (copied->reference, ==, next->reference);

  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_export_unwritable (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "no-such-folder", "catalogus.xml", NULL);

  g_assert_false (rr_catalogue_export_file (fx->store, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static const char conflict_catalogue[] =
  "<catalogue xmlns=\"" NS "\">\n"
  "  <rule code=\"NIEUW-1\" version=\"1\"><title>Nieuw</title><sourceKind>teamafspraak</sourceKind>"
  "<validFrom>2024-01-01</validFrom></rule>\n"
  "  <rule code=\"PW-18-1\" version=\"1\"><title>Een andere titel</title><sourceKind>wet</sourceKind>"
  "<validFrom>2015-01-01</validFrom></rule>\n"
  "</catalogue>\n";

static void
test_conflict (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *message = assert_import_refused (fx, conflict_catalogue, -1,
                                                    RR_ERROR, RR_ERROR_CONFLICT);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (message, "PW-18-1"));
  g_assert_nonnull (strstr (message, "1"));
  g_assert_null (rr_rules_versions (fx->store, "NIEUW-1", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
}

static void
test_new_versions_in_file (Fixture       *fx,
                           gconstpointer  data)
{
  /* A file with two open-ended versions, in reverse order: the older is
   * closed by the newer, and importing the file again adds nothing. */
  static const char text[] =
    "<catalogue xmlns=\"" NS "\" example=\"true\">\n"
    "  <rule code=\"TA-X\" version=\"2\" example=\"false\"><title>X</title>"
    "<sourceKind>teamafspraak</sourceKind><validFrom>2024-01-01</validFrom></rule>\n"
    "  <rule code=\"TA-X\" version=\"1\"><title>X</title>"
    "<sourceKind>teamafspraak</sourceKind><validFrom>2020-01-01</validFrom></rule>\n"
    "</catalogue>\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrRule) v1 = NULL;
  g_autoptr(RrRule) v2 = NULL;
  guint n_added = 0;

  g_assert_true (rr_catalogue_import_bytes (fx->store, "beheer", bytes, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 2);
  v1 = in_force (fx, "TA-X", "2023-12-31");
  v2 = in_force (fx, "TA-X", "2024-01-01");
  g_assert_cmpint (v1->version, ==, 1);
  g_assert_cmpstr (v1->valid_to, ==, "2023-12-31");
  g_assert_true (v1->example);
  g_assert_false (v2->example);

  g_assert_true (rr_catalogue_import_bytes (fx->store, "beheer", bytes, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 0);
}

static void
test_malformed (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *m1 = assert_import_refused (fx, "<catalogue xmlns=\"" NS "\">\n<rule>\n</catalogue>",
                                               -1, RR_ERROR, RR_ERROR_XML);
  g_autofree char *m2 = assert_import_refused (fx, "", -1, RR_ERROR, RR_ERROR_XML);
  g_autofree char *m3 = assert_import_refused (fx, "not xml at all", -1, RR_ERROR, RR_ERROR_XML);

  g_assert_true (g_str_has_prefix (m1, "The file is not a valid rule catalogue: line 3: "));
}

static void
test_truncated (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *m = assert_import_refused (fx, conflict_catalogue, 150,
                                              RR_ERROR, RR_ERROR_XML);
}

static void
test_wrong_schema (Fixture       *fx,
                   gconstpointer  data)
{
  const char *docs[] = {
    /* no namespace */
    "<catalogue><rule code=\"A-1\" version=\"1\"><title>A</title><sourceKind>wet</sourceKind>"
    "<validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* another root */
    "<rules xmlns=\"" NS "\"/>",
    /* missing title */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\"><sourceKind>wet</sourceKind>"
    "<validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* unknown source kind */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\"><title>A</title>"
    "<sourceKind>roddel</sourceKind><validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* bad code */
    "<catalogue xmlns=\"" NS "\"><rule code=\"a 1\" version=\"1\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* bad version */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"01\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* not a date */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-02-30</validFrom></rule></catalogue>",
    /* the same version twice */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom></rule>"
    "<rule code=\"A-1\" version=\"1\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom></rule></catalogue>",
    /* an element of our own invention */
    "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\"><title>A</title>"
    "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom><extra/></rule></catalogue>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *m = assert_import_refused (fx, docs[i], -1, RR_ERROR, RR_ERROR_XML);
    }

  /* Well formed and valid, but it ends before it starts. */
  {
    g_autofree char *m =
      assert_import_refused (fx, "<catalogue xmlns=\"" NS "\"><rule code=\"A-1\" version=\"1\">"
                                 "<title>A</title><sourceKind>wet</sourceKind>"
                                 "<validFrom>2020-01-01</validFrom><validTo>2019-01-01</validTo>"
                                 "</rule></catalogue>",
                             -1, RR_ERROR, RR_ERROR_INVALID);
  }
}

static char *
canary_doc (Fixture    *fx,
            const char *before,
            const char *after)
{
  return g_strconcat (before, fx->canary, after, NULL);
}

#define RULE_WITH_TITLE(title) \
  "<catalogue xmlns=\"" NS "\"><rule code=\"EVIL-1\" version=\"1\"><title>" title "</title>" \
  "<sourceKind>wet</sourceKind><validFrom>2020-01-01</validFrom></rule></catalogue>"

static void
test_hostile (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *file_entity =
    canary_doc (fx, "<?xml version=\"1.0\"?>\n<!DOCTYPE catalogue [<!ENTITY x SYSTEM \"file://",
                "\">]>\n" RULE_WITH_TITLE ("&x;"));
  g_autofree char *external_dtd =
    canary_doc (fx, "<!DOCTYPE catalogue SYSTEM \"file://", "\">\n" RULE_WITH_TITLE ("t"));
  g_autofree char *parameter_entity =
    canary_doc (fx, "<!DOCTYPE catalogue [\n<!ENTITY % p SYSTEM \"file://",
                "\">\n%p;\n]>\n" RULE_WITH_TITLE ("t"));
  g_autofree char *xinclude =
    canary_doc (fx, "<catalogue xmlns=\"" NS "\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                "<rule code=\"EVIL-1\" version=\"1\"><title>t</title><sourceKind>wet</sourceKind>"
                "<text><xi:include href=\"", "\" parse=\"text\"/></text>"
                "<validFrom>2020-01-01</validFrom></rule></catalogue>");
  const char *http_entity =
    "<!DOCTYPE catalogue [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>\n" RULE_WITH_TITLE ("&x;");
  g_autoptr(GString) laughs = g_string_new ("<!DOCTYPE catalogue [\n<!ENTITY l0 \"lol\">\n");
  g_autoptr(GString) deep = g_string_new ("<catalogue xmlns=\"" NS "\">");
  const char *bad_utf8 = RULE_WITH_TITLE ("caf\xe9");
  const char *entity_use = RULE_WITH_TITLE ("&x;");
  const char *docs[8];
  gsize n = 0;

  for (int i = 1; i <= 10; i++)
    {
      g_string_append_printf (laughs, "<!ENTITY l%d \"", i);
      for (int j = 0; j < 10; j++)
        g_string_append_printf (laughs, "&l%d;", i - 1);
      g_string_append (laughs, "\">\n");
    }
  g_string_append (laughs, "]>\n" RULE_WITH_TITLE ("&l10;"));
  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "<rule>");

  docs[n++] = file_entity;
  docs[n++] = external_dtd;
  docs[n++] = parameter_entity;
  docs[n++] = xinclude;
  docs[n++] = http_entity;
  docs[n++] = laughs->str;
  docs[n++] = deep->str;
  docs[n++] = bad_utf8;
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (docs));

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *m = assert_import_refused (fx, docs[i], -1, RR_ERROR, RR_ERROR_XML);

      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    }
  {
    g_autofree char *m = assert_import_refused (fx, entity_use, -1, RR_ERROR, RR_ERROR_XML);
  }

  /* The same refusals from a file on disk. */
  {
    g_autofree char *path = g_build_filename (fx->dir, "evil.xml", NULL);
    g_autoptr(GError) error = NULL;
    guint before = count_versions (fx);

    g_file_set_contents (path, file_entity, -1, &error);
    g_assert_no_error (error);
    g_assert_false (rr_catalogue_import_file (fx->store, "beheer", path, NULL, &error));
    g_assert_error (error, RR_ERROR, RR_ERROR_XML);
    g_assert_null (strstr (error->message, CANARY_TEXT));
    g_assert_cmpuint (count_versions (fx), ==, before);
    assert_canary_untouched (fx);
  }
}

static void
test_oversize (Fixture       *fx,
               gconstpointer  data)
{
  gsize size = 20 * 1024 * 1024;
  g_autoptr(GString) doc = g_string_sized_new (size + 512);
  g_autofree char *path = g_build_filename (fx->dir, "big.xml", NULL);
  g_autofree char *m = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_string_append (doc, "<catalogue xmlns=\"" NS "\"><rule code=\"BIG-1\" version=\"1\"><title>t"
                        "</title><sourceKind>wet</sourceKind><text>");
  while (doc->len < size)
    g_string_append (doc, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ");
  g_string_append (doc, "</text><validFrom>2020-01-01</validFrom></rule></catalogue>");

  start = g_get_monotonic_time ();
  m = assert_import_refused (fx, doc->str, doc->len, RR_ERROR, RR_ERROR_XML);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  g_assert_nonnull (strstr (m, "larger than"));

  /* From a file, refused on its size before it is read. */
  g_file_set_contents (path, doc->str, doc->len, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_false (rr_catalogue_import_file (fx->store, "beheer", path, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
}

static void
test_source_kinds (void)
{
  const char *kinds[] = { "wet", "amvb", "verordening", "beleidsregel", "werkinstructie",
                          "teamafspraak" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (rr_rule_source_kind_is_valid (kinds[i]));
      g_assert_nonnull (rr_rule_source_kind_label (kinds[i]));
      g_assert_cmpstr (rr_rule_source_kind_label (kinds[i]), !=, kinds[i]);
    }
  g_assert_false (rr_rule_source_kind_is_valid ("Wet"));
  g_assert_false (rr_rule_source_kind_is_valid (""));
  g_assert_false (rr_rule_source_kind_is_valid (NULL));
  g_assert_cmpstr (rr_rule_source_kind_label ("onbekend"), ==, "onbekend");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/rr/catalogue/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/rr/catalogue/source-kinds", test_source_kinds);
  ADD ("starter", test_starter);
  ADD ("in-force-errors", test_in_force_errors);
  ADD ("add-version", test_add_version);
  ADD ("add-invalid", test_add_invalid);
  ADD ("add-refused-for-klantmanager", test_add_refused_for_klantmanager);
  ADD ("search", test_search);
  ADD ("round-trip", test_round_trip);
  ADD ("export-unwritable", test_export_unwritable);
  ADD ("conflict", test_conflict);
  ADD ("new-versions-in-file", test_new_versions_in_file);
  ADD ("malformed", test_malformed);
  ADD ("truncated", test_truncated);
  ADD ("wrong-schema", test_wrong_schema);
  ADD ("hostile", test_hostile);
  ADD ("oversize", test_oversize);

#undef ADD

  return g_test_run ();
}
