/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/wait.h>
#include <unistd.h>

#include <string.h>

#include "rr-test-util.h"
#include "rr-sha256-private.h"

static char *
record (RrFixture *fx, const char *actor, RrDecisionInput *in)
{
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (fx->store, actor, in, &error);

  g_assert_no_error (error);
  return number;
}

/* A small history: two decisions, a verdict, an outcome, a withdrawal. */
static void
make_history (RrFixture *fx)
{
  g_autoptr(RrDecisionInput) applied = rr_test_applied_input ();
  g_autoptr(RrDecisionInput) deviation = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = record (fx, "km1", applied);
  g_autofree char *b = record (fx, "km1", deviation);

  rr_reviews_verdict (fx->store, "tl1", b, RR_VERDICT_AKKOORD, NULL, &error);
  g_assert_no_error (error);
  rr_outcomes_record (fx->store, "km1", b, RR_EFFECT_BEREIKT, "Woning behouden", &error);
  g_assert_no_error (error);
  rr_decisions_withdraw (fx->store, "km1", a, "Dubbel vastgelegd", &error);
  g_assert_no_error (error);
}

static RrVerifyResult
verify (RrFixture *fx, const RrCheckpoint *kept)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;

  g_assert_true (rr_ledger_verify (fx->store, kept, &result, NULL, &error));
  g_assert_no_error (error);
  return result;
}

static void
assert_broken_at (RrFixture *fx, const RrCheckpoint *kept, gint64 seq)
{
  RrVerifyResult result = verify (fx, kept);

  if (result.ok || result.first_bad_seq != seq)
    g_error ("expected a break at %" G_GINT64_FORMAT ", got ok=%d at %" G_GINT64_FORMAT ": %s",
             seq, result.ok, result.first_bad_seq, result.problem);
  g_assert_nonnull (result.problem);
  rr_verify_result_clear (&result);
}

static sqlite3 *
open_untriggered (RrFixture *fx)
{
  sqlite3 *db = rr_test_raw_open (fx->path);

  rr_test_raw_exec (db, "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"
                        " DROP TRIGGER decisions_no_update; DROP TRIGGER event_content_no_update;");
  return db;
}

static void
test_worked_example (void)
{
  g_autofree char *doc_path = g_build_filename (RR_TEST_SOURCE_ROOT, "docs", "trail-format.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCanon) canon = rr_canon_new ("withdrawal");
  g_autofree char *content_hash = NULL;
  g_autofree char *hash = NULL;
  const char *begin, *end, *mark;
  char *argv[] = { (char *) "sh", (char *) "-c", NULL, NULL };
  int status;
  RrEvent event = { 0 };

  g_assert_true (g_file_get_contents (doc_path, &doc, NULL, &error));
  g_assert_no_error (error);

  /* The shell lines between the markers, without the ``` fences. */
  begin = strstr (doc, "<!-- worked-example:begin -->");
  end = strstr (doc, "<!-- worked-example:end -->");
  g_assert_nonnull (begin);
  g_assert_nonnull (end);
  begin = strstr (begin, "```sh\n") + strlen ("```sh\n");
  script = g_strndup (begin, end - begin);
  *strstr (script, "```") = '\0';

  mark = strstr (doc, "<!-- worked-example-hash -->");
  g_assert_nonnull (mark);
  mark = strchr (mark, '`') + 1;
  expected = g_strndup (mark, 64);

  argv[2] = script;
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strstrip (out);
  g_assert_cmpstr (out, ==, expected);

  /* And our own code agrees with sha256sum. */
  rr_canon_add (canon, "decision", "3b9e7c1a-52d4-4f60-8e2b-9c7d1a0f4e36");
  rr_canon_add (canon, "number", "RR-2026-000123");
  rr_canon_add_int (canon, "version", 1);
  rr_canon_add (canon, "reason", "Dubbel vastgelegd; zie RR-2026-000124.\nAkkoord met klant.");
  rr_canon_add (canon, "at", "2026-03-02T09:14:07.250113Z");
  content_hash = rr_canon_hash (canon);

  event.seq = 1;
  event.prev_hash = (char *) "0000000000000000000000000000000000000000000000000000000000000000";
  event.uuid = (char *) "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f";
  event.at = (char *) "2026-03-02T09:14:07.250113Z";
  event.actor = (char *) "jdevries";
  event.action = (char *) "decision.withdrawn";
  event.entity_type = (char *) "decision";
  event.entity_uuid = (char *) "3b9e7c1a-52d4-4f60-8e2b-9c7d1a0f4e36";
  event.content_hash = content_hash;
  hash = rr_event_compute_hash (&event);
  g_assert_cmpstr (hash, ==, expected);
}

static void
test_verifies (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) head = NULL;
  g_autofree char *text = NULL;
  g_autoptr(RrCheckpoint) parsed = NULL;
  RrVerifyResult result;

  make_history (fx);
  head = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);
  result = verify (fx, head);
  g_assert_true (result.ok);
  g_assert_cmpint (result.n_events, ==, head->seq);
  g_assert_cmpint (result.head->seq, ==, head->seq);
  g_assert_cmpstr (result.head->hash, ==, head->hash);
  rr_verify_result_clear (&result);

  text = rr_checkpoint_format (head);
  parsed = rr_checkpoint_parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (parsed->seq, ==, head->seq);
  g_assert_cmpstr (parsed->hash, ==, head->hash);

  g_assert_null (rr_checkpoint_parse ("12:abc", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
}

static gint64
seq_of (sqlite3 *db, const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM events WHERE %s ORDER BY seq LIMIT 1", where);
  return rr_test_raw_int (db, sql);
}

static void
test_tamper_event (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;
  gint64 seq;

  make_history (fx);
  db = open_untriggered (fx);
  seq = seq_of (db, "action = 'review.verdict'");
  /* One changed character in one field. */
  rr_test_raw_exec (db, "UPDATE events SET actor = 'tl2' WHERE action = 'review.verdict'");
  sqlite3_close (db);
  assert_broken_at (fx, NULL, seq);
}

static void
test_tamper_decision (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;
  gint64 seq;

  make_history (fx);
  db = open_untriggered (fx);
  seq = seq_of (db, "action = 'decision.recorded' AND entity_uuid ="
                    " (SELECT uuid FROM decisions WHERE outcome = 'deviated')");
  rr_test_raw_exec (db, "UPDATE decisions SET explanation = replace (explanation, 'zeker', 'zekxr')"
                        " WHERE outcome = 'deviated'");
  sqlite3_close (db);
  assert_broken_at (fx, NULL, seq);
}

static void
test_tamper_content (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;
  gint64 seq;

  make_history (fx);
  db = open_untriggered (fx);
  seq = seq_of (db, "action = 'user.added' AND entity_uuid = (SELECT uuid FROM users WHERE login = 'km2')");
  rr_test_raw_exec (db, "UPDATE event_content SET canonical = replace (canonical, 'Kees', 'Keez')"
                        " WHERE canonical LIKE '%Kees Maas%'");
  sqlite3_close (db);
  assert_broken_at (fx, NULL, seq);
}

static void
test_remove_middle (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;
  gint64 n;

  make_history (fx);
  db = open_untriggered (fx);
  n = rr_test_raw_int (db, "SELECT max (seq) FROM events");
  rr_test_raw_exec (db, "DELETE FROM event_content WHERE seq = 5; DELETE FROM events WHERE seq = 5;");
  sqlite3_close (db);
  g_assert_cmpint (n, >, 10);
  assert_broken_at (fx, NULL, 5);
}

static void
test_swap (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;

  make_history (fx);
  db = open_untriggered (fx);
  /* Exchange the fields of events 6 and 7, keeping their seq. */
  rr_test_raw_exec (db,
                    "CREATE TEMP TABLE t AS SELECT * FROM events WHERE seq IN (6, 7);"
                    "UPDATE events SET (at, actor, action, entity_type, entity_uuid, content_hash, prev_hash, hash) ="
                    " (SELECT at, actor, action, entity_type, entity_uuid, content_hash, prev_hash, hash"
                    "  FROM t WHERE t.seq = 13 - events.seq) WHERE seq IN (6, 7);");
  sqlite3_close (db);
  assert_broken_at (fx, NULL, 6);
}

/* Rewrites history from @seq on so that the chain is consistent again. */
static void
rewrite_from (RrFixture *fx, sqlite3 *db, gint64 from)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_event_free);
  sqlite3_stmt *stmt;
  char prev[65];

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, uuid, at, actor, action, entity_type,"
                                       " entity_uuid, content_hash, prev_hash, hash FROM events"
                                       " ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RrEvent *e = g_new0 (RrEvent, 1);
      e->seq = sqlite3_column_int64 (stmt, 0);
      e->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->at = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->action = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->entity_type = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      e->entity_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      e->content_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      e->prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      g_ptr_array_add (events, e);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < events->len; i++)
    {
      RrEvent *e = g_ptr_array_index (events, i);

      if (e->seq >= from)
        {
          g_autofree char *sql = NULL;

          if (g_str_equal (e->action, "decision.recorded"))
            {
              gint64 id;
              g_autofree char *q = g_strdup_printf ("SELECT id FROM decisions WHERE uuid = '%s'",
                                                    e->entity_uuid);
              g_autofree char *canonical = NULL;
              id = rr_test_raw_int (db, q);
              canonical = _rr_decision_canonical (fx->store, id, NULL);
              g_free (e->content_hash);
              e->content_hash = rr_sha256_hex (canonical, -1);
            }
          g_free (e->prev_hash);
          e->prev_hash = g_strdup (prev);
          g_free (e->hash);
          e->hash = rr_event_compute_hash (e);
          sql = g_strdup_printf ("UPDATE events SET content_hash = '%s', prev_hash = '%s', hash = '%s'"
                                 " WHERE seq = %" G_GINT64_FORMAT,
                                 e->content_hash, e->prev_hash, e->hash, e->seq);
          rr_test_raw_exec (db, sql);
        }
      g_strlcpy (prev, e->hash, sizeof prev);
    }
}

static void
test_rewrite_caught_by_checkpoint (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) kept = NULL;
  RrVerifyResult result;
  sqlite3 *db;
  gint64 seq;

  make_history (fx);
  kept = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);

  db = open_untriggered (fx);
  seq = seq_of (db, "action = 'decision.recorded' AND entity_uuid ="
                    " (SELECT uuid FROM decisions WHERE outcome = 'deviated')");
  rr_test_raw_exec (db, "UPDATE decisions SET summary = 'Verlaging toegepast' WHERE outcome = 'deviated'");
  rewrite_from (fx, db, seq);
  sqlite3_close (db);

  /* Without a kept checkpoint the rewritten chain looks whole… */
  result = verify (fx, NULL);
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
  /* …with one, the rewrite shows. */
  assert_broken_at (fx, kept, kept->seq);
}

static void
test_truncation_caught_by_checkpoint (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) kept = NULL;
  RrVerifyResult result;
  sqlite3 *db;

  make_history (fx);
  kept = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);

  /* Cut off the last event together with what it recorded. */
  db = open_untriggered (fx);
  rr_test_raw_exec (db, "DROP TRIGGER withdrawals_no_update;");
  rr_test_raw_exec (db, "DELETE FROM event_content WHERE seq = (SELECT max (seq) FROM events);"
                        "DELETE FROM withdrawals;"
                        "UPDATE decisions SET status = 'recorded' WHERE status = 'withdrawn';"
                        "DELETE FROM events WHERE seq = (SELECT max (seq) FROM events);");
  sqlite3_close (db);

  result = verify (fx, NULL);
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
  assert_broken_at (fx, kept, kept->seq);
}

static void
test_row_without_event (RrFixture *fx, gconstpointer data)
{
  sqlite3 *db;
  RrVerifyResult result;

  make_history (fx);
  db = rr_test_raw_open (fx->path);
  rr_test_raw_exec (db, "INSERT INTO decisions (uuid, number, version, status, client_id, author_id,"
                        " team, decision_date, recorded_at, kind, rule_id, outcome, summary,"
                        " within_mandate, needs_review, retention_until, content_hash)"
                        " SELECT 'forged', 'RR-2026-999999', 1, 'recorded', client_id, author_id,"
                        " team, decision_date, recorded_at, kind, rule_id, 'applied', 'ingevoegd',"
                        " 1, 0, retention_until, content_hash FROM decisions LIMIT 1");
  sqlite3_close (db);
  result = verify (fx, NULL);
  g_assert_false (result.ok);
  g_assert_nonnull (strstr (result.problem, "RR-2026-999999"));
  rr_verify_result_clear (&result);
}

static void
test_every_change_has_event (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) before = rr_ledger_checkpoint (fx->store, &error);
  g_autoptr(RrCheckpoint) after = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(RrClient) client = NULL;

  rr_users_grant (fx->store, "beheer", "km1", RR_ROLE_AUDITOR, &error);
  g_assert_no_error (error);
  rr_users_revoke (fx->store, "beheer", "km1", RR_ROLE_AUDITOR, &error);
  g_assert_no_error (error);
  rr_clients_close (fx->store, "km2", "D-2", &error);
  g_assert_no_error (error);
  rr_mandate_set (fx->store, "beheer", RR_ROLE_KLANTMANAGER, "claim", TRUE, 100000, &error);
  g_assert_no_error (error);
  rr_store_set_setting (fx->store, "beheer", "follow_up_months", "6", &error);
  g_assert_no_error (error);
  after = rr_ledger_checkpoint (fx->store, &error);
  g_assert_cmpint (after->seq, ==, before->seq + 5);

  client = rr_clients_lookup (fx->store, "km1", "D-2", &error);
  g_assert_no_error (error);
  events = rr_ledger_events_for (fx->store, client->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (((RrEvent *) events->pdata[1])->action, ==, "client.closed");
}

/* The SHA-256 the ledger uses gives the digests of FIPS 180-4, with the
 * processor's SHA extensions as without: every length around the block
 * and padding boundaries, and a long input. */
static void
test_sha256 (void)
{
  static const struct { const char *in; const char *hex; } vectors[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize big = 1 << 20;
  g_autofree guint8 *data = g_malloc (big);

  g_test_message ("SHA extensions in use: %s", _rr_sha256_accelerated () ? "yes" : "no");
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      char hex[RR_SHA256_LEN * 2 + 1];

      _rr_sha256_hex_into (vectors[i].in, strlen (vectors[i].in), hex);
      g_assert_cmpstr (hex, ==, vectors[i].hex);
    }
  for (gsize i = 0; i < big; i++)
    data[i] = (guint8) g_rand_int (rand);
  for (gsize len = 0; len <= 1100; len++)
    {
      guint8 a[RR_SHA256_LEN], b[RR_SHA256_LEN];
      gsize offset = len % 7;   /* unaligned input too */

      _rr_sha256 (data + offset, len, a);
      _rr_sha256_portable (data + offset, len, b);
      g_assert_cmpmem (a, sizeof a, b, sizeof b);
    }
  {
    guint8 a[RR_SHA256_LEN], b[RR_SHA256_LEN];

    _rr_sha256 (data, big, a);
    _rr_sha256_portable (data, big, b);
    g_assert_cmpmem (a, sizeof a, b, sizeof b);
  }
}

/* UUIDs are version 7 (RFC 9562): time-ordered, so that new rows land at
 * the end of the indexes on them, with a random tail; a forked child makes
 * its own. */
static void
test_uuid (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;
  int fds[2];
  pid_t pid;
  char child[40] = { 0 };
  char *parent_next;

  for (int i = 0; i < 2000; i++)
    {
      char *uuid = rr_uuid_new ();

      g_assert_true (g_uuid_string_is_valid (uuid));
      g_assert_cmpint (uuid[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", uuid[19]));
      /* The first 48 bits are milliseconds: never going back. */
      if (previous != NULL)
        g_assert_cmpint (strncmp (previous, uuid, 13), <=, 0);
      g_assert_true (g_hash_table_add (seen, g_strdup (uuid)));
      g_free (previous);
      previous = uuid;
    }

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *uuid = rr_uuid_new ();
      ssize_t n = write (fds[1], uuid, strlen (uuid));
      _exit (n == (ssize_t) strlen (uuid) ? 0 : 1);
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], child, 36), ==, 36);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  parent_next = rr_uuid_new ();
  /* Same millisecond perhaps, never the same random tail. */
  g_assert_cmpstr (child + 19, !=, parent_next + 19);
  g_free (parent_next);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rr/ledger/worked-example", test_worked_example);
  g_test_add_func ("/rr/ledger/uuid", test_uuid);
  g_test_add_func ("/rr/ledger/sha256", test_sha256);
#define ADD(path, fn) g_test_add (path, RrFixture, NULL, rr_fixture_setup, fn, rr_fixture_teardown)
  ADD ("/rr/ledger/verifies", test_verifies);
  ADD ("/rr/ledger/tamper-event", test_tamper_event);
  ADD ("/rr/ledger/tamper-decision", test_tamper_decision);
  ADD ("/rr/ledger/tamper-content", test_tamper_content);
  ADD ("/rr/ledger/remove-middle", test_remove_middle);
  ADD ("/rr/ledger/swap", test_swap);
  ADD ("/rr/ledger/rewrite-checkpoint", test_rewrite_caught_by_checkpoint);
  ADD ("/rr/ledger/truncation-checkpoint", test_truncation_caught_by_checkpoint);
  ADD ("/rr/ledger/row-without-event", test_row_without_event);
  ADD ("/rr/ledger/every-change-has-event", test_every_change_has_event);
#undef ADD
  return g_test_run ();
}
