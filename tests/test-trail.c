/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "rr-test-util.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* ------------------------------------------------------------- history */

static char *
record (RrFixture *fx, const char *actor, RrDecisionInput *in)
{
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (fx->store, actor, in, &error);

  g_assert_no_error (error);
  g_assert_nonnull (number);
  return number;
}

/* Decisions (one superseded, one withdrawn, one long past its retention
 * period), advice, a verdict and an outcome. */
static void
make_history (RrFixture *fx)
{
  g_autoptr(RrDecisionInput) applied = rr_test_applied_input ();
  g_autoptr(RrDecisionInput) deviation = rr_test_deviation_input ();
  g_autoptr(RrDecisionInput) old = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = record (fx, "km1", applied);
  g_autofree char *b = record (fx, "km1", deviation);
  g_autofree char *c = NULL;

  old->decision_date = g_strdup ("2015-06-01");
  old->follow_up = g_strdup ("2015-09-01");
  c = record (fx, "km1", old);

  rr_reviews_advise (fx->store, "km2", b, "Goed onderbouwd.\nMisschien nog de buren vragen.", &error);
  g_assert_no_error (error);
  rr_reviews_verdict (fx->store, "tl1", b, RR_VERDICT_AKKOORD, NULL, &error);
  g_assert_no_error (error);
  rr_outcomes_record (fx->store, "km1", b, RR_EFFECT_BEREIKT, "Woning behouden", &error);
  g_assert_no_error (error);
  deviation->summary = (g_free (deviation->summary), g_strdup ("Geen verlaging; aangevuld"));
  rr_decisions_supersede (fx->store, "km1", b, deviation, &error);
  g_assert_no_error (error);
  rr_decisions_withdraw (fx->store, "km1", a, "Dubbel vastgelegd", &error);
  g_assert_no_error (error);
  rr_reviews_verdict (fx->store, "tl1", c, RR_VERDICT_VRAGEN, "Waarom toen?", &error);
  g_assert_no_error (error);
  rr_outcomes_record (fx->store, "km1", c, RR_EFFECT_DEELS, "Deels gelukt", &error);
  g_assert_no_error (error);
}

static gint64
head_seq (RrFixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) cp = rr_ledger_checkpoint (fx->store, &error);

  g_assert_no_error (error);
  return cp->seq;
}

static char *
export (RrFixture *fx, const char *name, gboolean personal)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fx->dir, name, NULL);
  RrTrailOptions options = { NULL, NULL, personal };

  g_assert_true (rr_trail_export (fx->store, "aud", &options, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static RrVerifyResult
verify_file (const char *path, const RrCheckpoint *kept)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;

  g_assert_true (rr_trail_verify_file (path, kept, &result, NULL, &error));
  g_assert_no_error (error);
  return result;
}

static void
assert_trail_ok (const char *path, const RrCheckpoint *kept)
{
  RrVerifyResult result = verify_file (path, kept);

  if (!result.ok)
    g_error ("trail %s: broken at %" G_GINT64_FORMAT ": %s", path, result.first_bad_seq,
             result.problem);
  rr_verify_result_clear (&result);
}

static void
assert_trail_broken_at (const char *path, const RrCheckpoint *kept, gint64 seq)
{
  RrVerifyResult result = verify_file (path, kept);

  if (result.ok || result.first_bad_seq != seq)
    g_error ("trail %s: expected a break at %" G_GINT64_FORMAT ", got ok=%d at %"
             G_GINT64_FORMAT ": %s", path, seq, result.ok, result.first_bad_seq, result.problem);
  g_assert_nonnull (result.problem);
  g_assert_nonnull (result.head);
  rr_verify_result_clear (&result);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* ----------------------------------------------------- DOM tampering */

typedef struct {
  xmlDoc             *doc;
  xmlXPathContext    *xpath;
} Dom;

/* Read from memory: the core's deny-all entity loader, installed for the
 * whole process, refuses to open even the document itself by name. */
static xmlDoc *
read_doc (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  return xmlReadMemory (text, (int) len, NULL, "UTF-8", XML_PARSE_NONET);
}

static void
dom_open (Dom *dom, const char *path)
{
  dom->doc = read_doc (path);
  g_assert_nonnull (dom->doc);
  dom->xpath = xmlXPathNewContext (dom->doc);
  xmlXPathRegisterNs (dom->xpath, BAD_CAST "t", BAD_CAST RR_TRAIL_NAMESPACE);
}

static void
dom_save (Dom *dom, const char *path)
{
  g_assert_cmpint (xmlSaveFile (path, dom->doc), >, 0);
  xmlXPathFreeContext (dom->xpath);
  xmlFreeDoc (dom->doc);
}

static xmlNode *
dom_node (Dom *dom, const char *expr)
{
  xmlXPathObject *obj = xmlXPathEvalExpression (BAD_CAST expr, dom->xpath);
  xmlNode *node;

  g_assert_nonnull (obj);
  if (obj->nodesetval == NULL || obj->nodesetval->nodeNr < 1)
    g_error ("no node for %s", expr);
  node = obj->nodesetval->nodeTab[0];
  xmlXPathFreeObject (obj);
  return node;
}

static xmlNode *
dom_event (Dom *dom, gint64 seq)
{
  g_autofree char *expr = g_strdup_printf ("/t:trail/t:events/t:event[@seq='%" G_GINT64_FORMAT "']",
                                           seq);
  return dom_node (dom, expr);
}

static char *
dom_attr (xmlNode *node, const char *name)
{
  xmlChar *value = xmlGetProp (node, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static void
dom_set (xmlNode *node, const char *name, const char *value)
{
  xmlSetProp (node, BAD_CAST name, BAD_CAST value);
}

/* Recomputes every hash from @seq on, as someone who rewrote history
 * would, and moves the checkpoint along. */
static void
dom_rehash (Dom *dom)
{
  xmlXPathObject *obj = xmlXPathEvalExpression (BAD_CAST "/t:trail/t:events/t:event", dom->xpath);
  xmlNode *events = dom_node (dom, "/t:trail/t:events");
  g_autofree char *prev = dom_attr (events, "prev-hash");

  for (int i = 0; i < obj->nodesetval->nodeNr; i++)
    {
      xmlNode *node = obj->nodesetval->nodeTab[i];
      g_autofree char *seq = dom_attr (node, "seq");
      RrEvent event = {
        g_ascii_strtoll (seq, NULL, 10),
        dom_attr (node, "uuid"), dom_attr (node, "at"), dom_attr (node, "actor"),
        dom_attr (node, "action"), dom_attr (node, "entity-type"), dom_attr (node, "entity-uuid"),
        dom_attr (node, "content-hash"), g_strdup (prev), NULL,
      };
      g_autofree char *hash = NULL;

      hash = rr_event_compute_hash (&event);
      dom_set (node, "prev-hash", prev);
      dom_set (node, "hash", hash);
      g_free (prev);
      prev = g_strdup (hash);
      g_free (event.uuid); g_free (event.at); g_free (event.actor); g_free (event.action);
      g_free (event.entity_type); g_free (event.entity_uuid); g_free (event.content_hash);
      g_free (event.prev_hash);
    }
  dom_set (dom_node (dom, "/t:trail/t:checkpoint"), "hash", prev);
  xmlXPathFreeObject (obj);
}

static gint64
first_seq_with (Dom *dom, const char *action)
{
  g_autofree char *expr = g_strdup_printf ("/t:trail/t:events/t:event[@action='%s']", action);
  g_autofree char *seq = dom_attr (dom_node (dom, expr), "seq");

  return g_ascii_strtoll (seq, NULL, 10);
}

/* -------------------------------------------------------------- tests */

static void
test_export_verify (RrFixture *fx, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(RrCheckpoint) before = NULL;
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;
  struct stat st;

  make_history (fx);
  before = rr_ledger_checkpoint (fx->store, &error);
  g_assert_no_error (error);

  path = export (fx, "trail.xml", FALSE);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  result = verify_file (path, NULL);
  g_assert_true (result.ok);
  g_assert_cmpint (result.n_events, ==, before->seq);
  g_assert_cmpint (result.head->seq, ==, before->seq);
  g_assert_cmpstr (result.head->hash, ==, before->hash);
  rr_verify_result_clear (&result);

  /* Extends the checkpoint kept before, and an early one inside it. */
  assert_trail_ok (path, before);
  {
    RrCheckpoint early = { 3, NULL };
    g_autoptr(GPtrArray) all = rr_ledger_events_for (fx->store, "setting:organisation", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, >=, 1);
    early.seq = ((RrEvent *) all->pdata[0])->seq;
    early.hash = ((RrEvent *) all->pdata[0])->hash;
    assert_trail_ok (path, &early);
  }

  /* The export is itself an event, after the trail it describes. */
  g_assert_cmpint (head_seq (fx), ==, before->seq + 1);
  {
    sqlite3 *db = rr_test_raw_open (fx->path);
    g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM events WHERE action = 'export.made'"
                                          " AND entity_type = 'export' AND seq = (SELECT max (seq) FROM events)"),
                     ==, 1);
    g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM event_content c JOIN events e USING (seq)"
                                          " WHERE e.action = 'export.made' AND c.canonical LIKE"
                                          " '%personal_data=false%checkpoint=%'"), ==, 1);
    sqlite3_close (db);
  }
  result = (RrVerifyResult) { 0 };
  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);

  /* Pseudonymised: no names, dossier numbers or BSNs. */
  text = read_text (path);
  g_assert_null (strstr (text, "Jan Jansen"));
  g_assert_null (strstr (text, "111222333"));
  g_assert_null (strstr (text, "dossier="));
  g_assert_nonnull (strstr (text, "content=\"withheld\""));
  g_assert_nonnull (strstr (text, "personal-data=\"false\""));
  /* Content is carried: the advice with its escaped line break. */
  g_assert_nonnull (strstr (text, "Goed onderbouwd.\\nMisschien"));
}

static void
test_personal_data (RrFixture *fx, gconstpointer data)
{
  g_autofree char *plain = NULL;
  g_autofree char *full = NULL;
  g_autofree char *text_plain = NULL;
  g_autofree char *text_full = NULL;
  g_autofree char *again = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *pseudo1 = NULL;
  g_autofree char *pseudo2 = NULL;
  Dom dom = { 0 };

  make_history (fx);
  plain = export (fx, "plain.xml", FALSE);
  full = export (fx, "full.xml", TRUE);
  again = export (fx, "again.xml", FALSE);
  text_plain = read_text (plain);
  text_full = read_text (full);
  text_again = read_text (again);

  g_assert_nonnull (strstr (text_full, "Jan Jansen"));
  g_assert_nonnull (strstr (text_full, "<bsn>111222333</bsn>"));
  g_assert_nonnull (strstr (text_full, "dossier=\"D-1\""));
  g_assert_nonnull (strstr (text_full, "type=client"));
  assert_trail_ok (full, NULL);

  /* A new key per export: the same client gets another pseudonym. */
  dom_open (&dom, plain);
  pseudo1 = dom_attr (dom_node (&dom, "/t:trail/t:clients/t:client[1]"), "pseudonym");
  dom_save (&dom, plain);
  dom_open (&dom, again);
  pseudo2 = dom_attr (dom_node (&dom, "/t:trail/t:clients/t:client[1]"), "pseudonym");
  dom_save (&dom, again);
  g_assert_cmpuint (strlen (pseudo1), ==, 64);
  g_assert_cmpstr (pseudo1, !=, pseudo2);
}

static void
test_refused (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "refused.xml", NULL);
  RrTrailOptions personal = { NULL, NULL, TRUE };
  RrTrailOptions bad_date = { "2026-13-01", NULL, FALSE };
  RrTrailOptions reversed = { "2026-05-01", "2026-04-01", FALSE };
  gint64 seq;

  make_history (fx);
  seq = head_seq (fx);

  g_assert_false (rr_trail_export (fx->store, "km1", NULL, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  /* A beheerder may export, but never personal data. */
  g_assert_false (rr_trail_export (fx->store, "beheer", &personal, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_trail_export (fx->store, "aud", &bad_date, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_trail_export (fx->store, "aud", &reversed, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (head_seq (fx), ==, seq);

  /* A beheerder's plain export works and is logged. */
  g_assert_true (rr_trail_export (fx->store, "beheer", NULL, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (head_seq (fx), ==, seq + 1);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_cancel_progress (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (fx->dir, "cancelled.xml", NULL);
  double last = 0.0;
  gint64 seq;

  make_history (fx);
  seq = head_seq (fx);

  g_cancellable_cancel (cancellable);
  g_assert_false (rr_trail_export (fx->store, "aud", NULL, path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (head_seq (fx), ==, seq);
  {
    /* No temporary file is left behind either. */
    g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".cancelled.xml."));
  }

  g_assert_true (rr_trail_export (fx->store, "aud", NULL, path, on_progress, &last, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  assert_trail_ok (path, NULL);
}

static void
test_period (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *future = g_build_filename (fx->dir, "future.xml", NULL);
  g_autofree char *part = NULL;
  g_autoptr(RrCheckpoint) head = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 2);
  g_autofree char *after = g_date_time_format (later, "%Y-%m-%d");
  RrTrailOptions options = { NULL, NULL, FALSE };
  RrVerifyResult result;
  Dom dom = { 0 };
  gint64 cut = 5;

  make_history (fx);
  head = rr_ledger_checkpoint (fx->store, &error);

  /* A period without events: the trail is empty and ends where it starts. */
  options.from = after;
  g_assert_true (rr_trail_export (fx->store, "aud", &options, future, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  result = verify_file (future, NULL);
  g_assert_true (result.ok);
  g_assert_cmpint (result.n_events, ==, 0);
  g_assert_cmpint (result.head->seq, ==, head->seq);
  g_assert_cmpstr (result.head->hash, ==, head->hash);
  rr_verify_result_clear (&result);
  /* …and proves the kept head unchanged. */
  assert_trail_ok (future, head);

  /* A trail that starts later verifies from its first seq: drop the first
   * events as a period would. */
  part = export (fx, "part.xml", FALSE);
  dom_open (&dom, part);
  {
    g_autofree char *prev = dom_attr (dom_event (&dom, cut - 1), "hash");
    g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT, cut);
    xmlNode *events = dom_node (&dom, "/t:trail/t:events");

    for (gint64 s = 1; s < cut; s++)
      {
        xmlNode *node = dom_event (&dom, s);
        xmlUnlinkNode (node);
        xmlFreeNode (node);
      }
    dom_set (events, "first-seq", first);
    dom_set (events, "prev-hash", prev);
  }
  dom_save (&dom, part);
  result = verify_file (part, NULL);
  g_assert_true (result.ok);
  /* Everything up to the export of this trail, which follows it. */
  g_assert_cmpint (result.n_events, ==, head_seq (fx) - 1 - cut + 1);
  rr_verify_result_clear (&result);
  /* A checkpoint kept from before the trail cannot be proven by it. */
  {
    RrCheckpoint early = { 2, (char *) GENESIS };
    assert_trail_broken_at (part, &early, cut);
  }
}

typedef void (*Tamper) (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept);

static void
tamper_decision_summary (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  gint64 seq = first_seq_with (dom, "decision.superseded");
  xmlNode *summary = dom_node (dom, "/t:trail/t:events/t:event[@action='decision.superseded']"
                                    "/t:decision/t:summary");
  xmlChar *text = xmlNodeGetContent (summary);

  text[0] = text[0] == 'G' ? 'g' : 'G';
  xmlNodeSetContent (summary, text);
  xmlFree (text);
  *bad_seq = seq;
}

static void
tamper_decision_content (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  gint64 seq = first_seq_with (dom, "decision.recorded");
  xmlNode *content = dom_node (dom, "/t:trail/t:events/t:event[@action='decision.recorded']"
                                    "/t:content");
  xmlChar *text = xmlNodeGetContent (content);
  char *p = strstr ((char *) text, "summary=");

  g_assert_nonnull (p);
  p[8] = p[8] == 'X' ? 'Y' : 'X';
  xmlNodeSetContent (content, text);
  xmlFree (text);
  *bad_seq = seq;
}

static void
tamper_event_actor (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  xmlNode *node = dom_event (dom, 7);
  g_autofree char *actor = dom_attr (node, "actor");

  actor[0] = actor[0] == 'x' ? 'y' : 'x';
  dom_set (node, "actor", actor);
  *bad_seq = 7;
}

static void
tamper_remove_middle (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  xmlNode *node = dom_event (dom, 9);

  xmlUnlinkNode (node);
  xmlFreeNode (node);
  *bad_seq = 9;
}

static void
tamper_swap (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  xmlNode *a = dom_event (dom, 10);
  xmlNode *b = dom_event (dom, 11);

  xmlUnlinkNode (b);
  xmlAddPrevSibling (a, b);
  *bad_seq = 10;
}

static void
tamper_cut_tail (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  xmlNode *cp = dom_node (dom, "/t:trail/t:checkpoint");
  g_autofree char *last_text = dom_attr (cp, "seq");
  gint64 last = g_ascii_strtoll (last_text, NULL, 10);
  g_autofree char *new_last = g_strdup_printf ("%" G_GINT64_FORMAT, last - 3);
  g_autofree char *new_hash = dom_attr (dom_event (dom, last - 3), "hash");

  kept->seq = last;
  kept->hash = dom_attr (cp, "hash");
  for (gint64 s = last - 2; s <= last; s++)
    {
      xmlNode *node = dom_event (dom, s);
      xmlUnlinkNode (node);
      xmlFreeNode (node);
    }
  dom_set (cp, "seq", new_last);
  dom_set (cp, "hash", new_hash);
  *bad_seq = last - 2;
}

static void
tamper_rewrite_all (Dom *dom, gint64 *bad_seq, RrCheckpoint *kept)
{
  xmlNode *node = dom_event (dom, 6);
  xmlNode *later = dom_event (dom, 12);
  g_autofree char *actor = dom_attr (node, "actor");

  /* The auditor kept event 12 from an earlier trail. */
  kept->seq = 12;
  kept->hash = dom_attr (later, "hash");
  actor[0] = actor[0] == 'x' ? 'y' : 'x';
  dom_set (node, "actor", actor);
  dom_rehash (dom);
  *bad_seq = 12;
}

static const struct {
  const char *name;
  Tamper      tamper;
  gboolean    needs_kept;   /* undetectable without the kept checkpoint */
} tampers[] = {
  { "decision-summary", tamper_decision_summary, FALSE },
  { "decision-content", tamper_decision_content, FALSE },
  { "event-field", tamper_event_actor, FALSE },
  { "removed", tamper_remove_middle, FALSE },
  { "swapped", tamper_swap, FALSE },
  { "cut-tail", tamper_cut_tail, TRUE },
  { "rewritten", tamper_rewrite_all, TRUE },
};

static void
test_tampered (RrFixture *fx, gconstpointer data)
{
  guint which = GPOINTER_TO_UINT (data);
  g_autofree char *path = NULL;
  g_autofree char *name = g_strdup_printf ("%s.xml", tampers[which].name);
  RrCheckpoint kept = { 0, NULL };
  gint64 bad = 0;
  Dom dom = { 0 };

  make_history (fx);
  path = export (fx, name, FALSE);
  assert_trail_ok (path, NULL);

  dom_open (&dom, path);
  tampers[which].tamper (&dom, &bad, &kept);
  dom_save (&dom, path);

  if (tampers[which].needs_kept)
    {
      assert_trail_ok (path, NULL);
      assert_trail_broken_at (path, &kept, bad);
    }
  else
    assert_trail_broken_at (path, NULL, bad);
  g_free (kept.hash);
}

/* ----------------------------------------------------- hostile input */

static char *canary_path;

static void
write_file (const char *path, const char *text, gssize len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, len, &error));
  g_assert_no_error (error);
}

static void
assert_refused (const char *path)
{
  g_autoptr(GError) error = NULL;
  RrVerifyResult result = { 0 };
  gint64 start = g_get_monotonic_time ();

  g_assert_false (rr_trail_verify_file (path, NULL, &result, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  /* Nothing of the canary file ever reaches us. */
  g_assert_null (strstr (error->message, "CANARY-SECRET"));
  g_assert_false (result.ok);
  g_assert_null (result.problem);
  /* Refused quickly, not after expanding anything. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static const char trail_head[] =
  "<trail xmlns=\"" RR_TRAIL_NAMESPACE "\" format=\"1\" organisation=\"X\" created=\"x\""
  " personal-data=\"false\"><actors>";
static const char trail_tail[] =
  "</actors><rules/><clients/><events first-seq=\"1\" prev-hash=\"" GENESIS "\"/>"
  "<checkpoint seq=\"0\" hash=\"" GENESIS "\"/></trail>\n";

static void
test_hostile (RrFixture *fx, gconstpointer data)
{
  const char *which = data;
  g_autofree char *path = g_build_filename (fx->dir, "hostile.xml", NULL);
  g_autofree char *text = NULL;

  if (g_str_equal (which, "valid-minimal"))
    {
      text = g_strconcat (trail_head, trail_tail, NULL);
      write_file (path, text, -1);
      assert_trail_ok (path, NULL);
      return;
    }
  if (g_str_equal (which, "dtd"))
    text = g_strconcat ("<?xml version=\"1.0\"?>\n<!DOCTYPE trail [<!ELEMENT trail ANY>]>\n",
                        trail_head, trail_tail, NULL);
  else if (g_str_equal (which, "external-file"))
    text = g_strdup_printf ("<?xml version=\"1.0\"?>\n<!DOCTYPE trail [<!ENTITY x SYSTEM "
                            "\"file://%s\">]>\n%s<actor login=\"a\" team=\"&x;\" roles=\"\" "
                            "active=\"true\"><name>&x;</name></actor>%s",
                            canary_path, trail_head, trail_tail);
  else if (g_str_equal (which, "external-http"))
    text = g_strconcat ("<?xml version=\"1.0\"?>\n<!DOCTYPE trail SYSTEM "
                        "\"http://127.0.0.1:9/trail.dtd\">\n", trail_head, trail_tail, NULL);
  else if (g_str_equal (which, "billion-laughs"))
    {
      GString *s = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE trail [\n"
                                 "<!ENTITY l0 \"ha\">\n");
      for (int i = 1; i < 10; i++)
        g_string_append_printf (s, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;"
                                "&l%d;&l%d;\">\n", i, i - 1, i - 1, i - 1, i - 1, i - 1,
                                i - 1, i - 1, i - 1, i - 1, i - 1);
      g_string_append_printf (s, "]>\n%s<actor login=\"a\" team=\"t\" roles=\"\" active=\"true\">"
                              "<name>&l9;</name></actor>%s", trail_head, trail_tail);
      text = g_string_free (s, FALSE);
    }
  else if (g_str_equal (which, "xinclude"))
    text = g_strdup_printf ("%s<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                            "href=\"file://%s\" parse=\"text\"/>%s",
                            trail_head, canary_path, trail_tail);
  else if (g_str_equal (which, "huge-text"))
    {
      GString *s = g_string_new (trail_head);
      gsize n = 20 * 1024 * 1024;

      g_string_append (s, "<actor login=\"a\" team=\"t\" roles=\"\" active=\"true\"><name>");
      g_string_set_size (s, s->len + n);
      memset (s->str + s->len - n, 'A', n);
      g_string_append (s, "</name></actor>");
      g_string_append (s, trail_tail);
      text = g_string_free (s, FALSE);
    }
  else if (g_str_equal (which, "deep"))
    {
      GString *s = g_string_new (trail_head);

      for (int i = 0; i < 10000; i++)
        g_string_append (s, "<a>");
      for (int i = 0; i < 10000; i++)
        g_string_append (s, "</a>");
      g_string_append (s, trail_tail);
      text = g_string_free (s, FALSE);
    }
  else if (g_str_equal (which, "invalid-utf8"))
    text = g_strconcat (trail_head, "<actor login=\"a\" team=\"t\xff\xfe\" roles=\"\" "
                        "active=\"true\"><name>\xc3\x28</name></actor>", trail_tail, NULL);
  else if (g_str_equal (which, "truncated"))
    {
      g_autofree char *whole = NULL;
      g_autofree char *good = NULL;
      gsize len;

      make_history (fx);
      good = export (fx, "good.xml", FALSE);
      g_assert_true (g_file_get_contents (good, &whole, &len, NULL));
      write_file (path, whole, len / 2);
      assert_refused (path);
      return;
    }
  else if (g_str_equal (which, "wrong-schema"))
    text = g_strdup ("<?xml version=\"1.0\"?>\n<catalogue xmlns=\"https://regelruimte.nl/ns/"
                     "catalogue/1\"><rule code=\"X\"/></catalogue>\n");
  else if (g_str_equal (which, "empty"))
    text = g_strdup ("");
  else
    g_assert_not_reached ();

  write_file (path, text, -1);
  assert_refused (path);
}

/* --------------------------------------------------------- retention */

static gint64
count (RrFixture *fx, const char *sql)
{
  sqlite3 *db = rr_test_raw_open (fx->path);
  gint64 n = rr_test_raw_int (db, sql);

  sqlite3_close (db);
  return n;
}

/* Inside <event> the form of hashes, UUIDs, dates, tokens and canonical
 * content is checked in code rather than by the schema's patterns; a
 * trail that breaks one of them is refused like any invalid file, before
 * the chain is looked at. */
static const struct {
  const char *node;        /* XPath of the element */
  const char *attr;        /* NULL: its text */
  const char *value;       /* NULL: the current value upper-cased */
} malformed[] = {
  { "/t:trail/t:events/t:event[5]", "hash", NULL },
  { "/t:trail/t:events/t:event[5]", "prev-hash", "00" },
  { "/t:trail/t:events/t:event[5]", "uuid", "01a24e13-8c62-74e8-94b2x265b63b590bc" },
  { "/t:trail/t:events/t:event[5]", "actor", "k m1" },
  { "/t:trail/t:events/t:event[5]", "action", "a\\b" },
  { "/t:trail/t:events/t:event[t:decision][1]/t:decision", "decision-date", "2015/06/01" },
  { "/t:trail/t:events/t:event[t:decision][1]/t:decision", "client", NULL },
  { "/t:trail/t:events/t:event[t:decision][1]/t:decision", "rule", "not-a-uuid" },
  { "/t:trail/t:events/t:event[t:review][1]/t:review", "reviewer", "" },
  { "/t:trail/t:events/t:event[t:outcome][1]/t:outcome", "content-hash", NULL },
  { "/t:trail/t:events/t:event[t:content][1]/t:content", NULL, "regelruimte-content/1\ntype=x" },
  { "/t:trail/t:events/t:event[t:content][1]/t:content", NULL, "regelruimte-content/1\ntype=x\r\n" },
  { "/t:trail/t:events/t:event[t:content][1]/t:content", NULL, "regelruimte-content/2\ntype=x\n" },
};

static void
test_malformed (RrFixture *fx, gconstpointer data)
{
  g_autofree char *good = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "malformed.xml", NULL);

  make_history (fx);
  good = export (fx, "good.xml", FALSE);
  assert_trail_ok (good, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;
      RrVerifyResult result = { 0 };
      Dom dom = { 0 };
      xmlNode *node;

      dom_open (&dom, good);
      node = dom_node (&dom, malformed[i].node);
      if (malformed[i].attr != NULL)
        {
          g_autofree char *old = dom_attr (node, malformed[i].attr);
          g_autofree char *upper = g_ascii_strup (old, -1);

          if (malformed[i].value == NULL)
            g_assert_cmpstr (old, !=, upper);
          dom_set (node, malformed[i].attr, malformed[i].value != NULL ? malformed[i].value : upper);
        }
      else
        xmlNodeSetContent (node, BAD_CAST malformed[i].value);
      dom_save (&dom, path);

      g_assert_false (rr_trail_verify_file (path, NULL, &result, NULL, &error));
      g_assert_error (error, RR_ERROR, RR_ERROR_XML);
      if (malformed[i].attr != NULL)
        g_assert_nonnull (strstr (error->message, malformed[i].attr));
      else
        g_assert_nonnull (strstr (error->message, "<content>"));
      g_assert_false (result.ok);
    }
}

/* Export checks those forms itself, on each value as it writes it (its
 * checking thread does the schema): a database value out of form fails
 * the export, which names the event and the attribute and leaves neither
 * a file nor an export event behind. */
static const struct {
  const char *sql;         /* puts one value out of form */
  const char *attr;        /* NULL: the text of <content> */
  const char *element;
} out_of_form[] = {
  { "UPDATE events SET actor = 'k m1' WHERE seq = 5", "actor", "<event>" },
  { "UPDATE events SET hash = upper (hash) WHERE seq = 5", "hash", "<event>" },
  { "UPDATE events SET uuid = '01a24e13-8c62-74e8-94b2x265b63b590bc' WHERE seq = 5", "uuid",
    "<event>" },
  { "UPDATE events SET action = 'a\\b' WHERE seq = 5", "action", "<event>" },
  { "UPDATE events SET actor = 'k' || char (9) || 'm1' WHERE seq = 5", "actor", "<event>" },
  { "UPDATE events SET entity_type = 'a&b' WHERE seq = 5", "entity-type", "<event>" },
  { "UPDATE events SET at = '\"2026' WHERE seq = 5", "at", "<event>" },
  { "UPDATE events SET prev_hash = substr (prev_hash, 1, 63) || 'g' WHERE seq = 5", "prev-hash",
    "<event>" },
  { "UPDATE decisions SET decision_date = '2015/06/01'"
    " WHERE id = (SELECT min (id) FROM decisions)", "decision-date", "<decision>" },
  { "UPDATE decisions SET content_hash = 'abc' WHERE id = (SELECT min (id) FROM decisions)",
    "content-hash", "<decision>" },
  { "UPDATE users SET login = 'k m2' WHERE login = 'km2'", "reviewer", "<review>" },
  { "UPDATE users SET login = '' WHERE login = 'km1'", "author", "<decision>" },
  { "UPDATE event_content SET canonical = replace (canonical, char (10), char (13, 10))"
    " WHERE seq = (SELECT min (seq) FROM event_content)", NULL, "<content>" },
  { "UPDATE event_content SET canonical = 'regelruimte-content/2' || char (10)"
    " WHERE seq = (SELECT min (seq) FROM event_content)", NULL, "<content>" },
};

static void
test_export_out_of_form (RrFixture *fx, gconstpointer data)
{
  g_autofree char *pristine = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "out-of-form.xml", NULL);
  gsize len = 0;

  make_history (fx);
  /* Closed, so that the file holds everything. */
  g_clear_object (&fx->store);
  g_assert_true (g_file_get_contents (fx->path, &pristine, &len, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (out_of_form); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RrStore) store = NULL;
      g_autofree char *seq_text = NULL;
      sqlite3 *db;
      gint64 head;

      g_assert_true (g_file_set_contents (fx->path, pristine, len, NULL));
      db = rr_test_raw_open (fx->path);
      rr_test_raw_exec (db, "DROP TRIGGER events_no_update; DROP TRIGGER decisions_no_update;"
                            " DROP TRIGGER event_content_no_update");
      rr_test_raw_exec (db, out_of_form[i].sql);
      g_assert_cmpint (sqlite3_changes (db), ==, 1);
      sqlite3_close (db);

      store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      {
        g_autoptr(RrCheckpoint) cp = rr_ledger_checkpoint (store, &error);

        g_assert_no_error (error);
        head = cp->seq;
      }
      g_assert_false (rr_trail_export (store, "aud", NULL, path, NULL, NULL, NULL, &error));
      g_assert_error (error, RR_ERROR, RR_ERROR_XML);
      g_test_message ("%s: %s", out_of_form[i].sql, error->message);
      g_assert_nonnull (strstr (error->message, "event "));
      g_assert_nonnull (strstr (error->message, out_of_form[i].element));
      if (out_of_form[i].attr != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("“%s”", out_of_form[i].attr);

          g_assert_nonnull (strstr (error->message, quoted));
        }
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_clear_error (&error);
      {
        g_autoptr(RrCheckpoint) cp = rr_ledger_checkpoint (store, &error);

        g_assert_no_error (error);
        g_assert_cmpint (cp->seq, ==, head);
      }
    }
}

/* An event without one of its attributes is refused, whichever it is: the
 * verifier met the missing value before the schema's verdict and read
 * through a null pointer (found by fuzzing). */
static void
test_missing_attribute (RrFixture *fx, gconstpointer data)
{
  const char *attrs[] = { "uuid", "at", "actor", "action", "entity-type", "entity-uuid",
                          "content-hash", "prev-hash", "hash" };
  g_autofree char *good = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "missing.xml", NULL);

  make_history (fx);
  good = export (fx, "good.xml", FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
    {
      g_autoptr(GError) error = NULL;
      RrVerifyResult result = { 0 };
      Dom dom = { 0 };

      dom_open (&dom, good);
      g_assert_cmpint (xmlUnsetProp (dom_node (&dom, "/t:trail/t:events/t:event[5]"),
                                     BAD_CAST attrs[i]), ==, 0);
      dom_save (&dom, path);

      g_assert_false (rr_trail_verify_file (path, NULL, &result, NULL, &error)
                      && result.ok);
      g_assert_false (result.ok);
      rr_verify_result_clear (&result);
    }
}

static void
test_retention (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(GPtrArray) precedents = NULL;
  g_autofree char *trail = NULL;
  RrVerifyResult result = { 0 };
  guint n = 0;
  gint64 seq;

  make_history (fx);
  seq = head_seq (fx);

  /* Beheerder only; nothing changes on refusal. */
  g_assert_null (rr_decisions_list_expired (fx->store, "km1", NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_decisions_destroy_expired (fx->store, "km1", NULL, &n, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_decisions_destroy_expired (fx->store, "beheer", "2999-01-01", &n, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (head_seq (fx), ==, seq);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM decisions WHERE destroyed_at IS NOT NULL"), ==, 0);

  expired = rr_decisions_list_expired (fx->store, "beheer", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 1);
  g_assert_cmpstr (((RrExpiredDecision *) expired->pdata[0])->decision_date, ==, "2015-06-01");

  /* An earlier date finds nothing expired then. */
  g_assert_true (rr_decisions_destroy_expired (fx->store, "beheer", "2020-01-01", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);

  g_assert_true (rr_decisions_destroy_expired (fx->store, "beheer", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  g_assert_cmpint (count (fx, "SELECT count(*) FROM decisions WHERE destroyed_at IS NOT NULL"
                              " AND summary IS NULL AND circumstances IS NULL"
                              " AND explanation IS NULL"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM reviews WHERE destroyed_at IS NOT NULL"
                              " AND text IS NULL"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM outcomes WHERE destroyed_at IS NOT NULL"
                              " AND note IS NULL"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM events WHERE action = 'decision.destroyed'"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM events WHERE action = 'review.destroyed'"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM events WHERE action = 'outcome.destroyed'"), ==, 1);
  /* The text is gone from the search index too. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH 'huisuitzetting'"),
                   ==, 2);
  {
    /* The index agrees with the rows it indexes (fails loudly if not). */
    sqlite3 *db = rr_test_raw_open (fx->path);
    rr_test_raw_exec (db, "INSERT INTO decisions_fts (decisions_fts, rank)"
                          " VALUES ('integrity-check', 1)");
    sqlite3_close (db);
  }

  /* The chain still verifies, in the database and in a trail. */
  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  if (!result.ok)
    g_error ("ledger after destruction: %s", result.problem);
  rr_verify_result_clear (&result);
  trail = export (fx, "after.xml", FALSE);
  assert_trail_ok (trail, NULL);
  {
    g_autofree char *text = read_text (trail);
    g_assert_nonnull (strstr (text, "destroyed=\"true\""));
    g_assert_nonnull (strstr (text, "content=\"destroyed\""));
  }

  /* Nothing is left to destroy. */
  g_clear_pointer (&expired, g_ptr_array_unref);
  expired = rr_decisions_list_expired (fx->store, "beheer", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expired->len, ==, 0);
}

static void
test_withdrawn_destroyed (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) old = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  RrVerifyResult result = { 0 };
  guint n = 0;

  old->decision_date = g_strdup ("2015-03-01");
  old->follow_up = g_strdup ("2015-06-01");
  number = record (fx, "km1", old);
  rr_decisions_withdraw (fx->store, "km1", number, "Vergissing: Jan Jansen bedoeld", &error);
  g_assert_no_error (error);

  g_assert_true (rr_decisions_destroy_expired (fx->store, "beheer", NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM event_content c JOIN events e USING (seq)"
                              " WHERE e.action = 'decision.withdrawn'"), ==, 0);
  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
}

/* -------------------------------------------------------------- MDTO */

static char *
mdto_dir (void)
{
  const char *root = g_getenv ("RR_SOURCE_ROOT");
  g_autofree char *dir = NULL;

  if (root == NULL)
    root = RR_TEST_SOURCE_ROOT;
  dir = g_build_filename (root, "..", "shared", "mdto", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&dir);
}

static void
assert_valid_mdto (const char *schema_path, const char *doc_path)
{
  g_autofree char *xsd = NULL;
  gsize xsd_len = 0;
  xmlSchemaParserCtxt *pctxt;
  xmlSchema *schema;
  xmlSchemaValidCtxt *vctxt;
  xmlDoc *doc = read_doc (doc_path);

  g_assert_true (g_file_get_contents (schema_path, &xsd, &xsd_len, NULL));
  pctxt = xmlSchemaNewMemParserCtxt (xsd, (int) xsd_len);
  schema = xmlSchemaParse (pctxt);
  int rc;

  g_assert_nonnull (schema);
  g_assert_nonnull (doc);
  vctxt = xmlSchemaNewValidCtxt (schema);
  rc = xmlSchemaValidateDoc (vctxt, doc);
  if (rc != 0)
    g_error ("%s is not valid against %s", doc_path, schema_path);
  xmlSchemaFreeValidCtxt (vctxt);
  xmlFreeDoc (doc);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (pctxt);
}

static void
test_mdto (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shared = mdto_dir ();
  g_autofree char *out = NULL;
  g_autofree char *single = NULL;
  g_autofree char *xsd1 = NULL;
  g_autofree char *xsd2 = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0, files = 0;
  gboolean destroyed_seen = FALSE;

  if (shared == NULL)
    {
      g_test_skip ("The MDTO schemas (../shared/mdto) are not available.");
      return;
    }
  xsd1 = g_build_filename (shared, "MDTO-XML1.0.1.xsd", NULL);
  xsd2 = g_build_filename (shared, "MDTO-XML1.0.2.xsd", NULL);

  make_history (fx);
  g_assert_true (rr_decisions_destroy_expired (fx->store, "beheer", NULL, &n, &error));
  g_assert_no_error (error);

  /* Refused for a klantmanager. */
  out = g_build_filename (fx->dir, "mdto", NULL);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_assert_false (rr_mdto_export (fx->store, "km1", NULL, NULL, out, &n, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (rr_mdto_export (fx->store, "aud", NULL, NULL, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  dir = g_dir_open (out, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autofree char *text = read_text (path);

      assert_valid_mdto (xsd1, path);
      assert_valid_mdto (xsd2, path);
      g_assert_nonnull (strstr (text, "<archiefvormer>"));
      g_assert_nonnull (strstr (text, "Gemeente Test"));
      g_assert_nonnull (strstr (text, "<beperkingGebruik>"));
      g_assert_nonnull (strstr (text, "<termijnEinddatum>"));
      g_assert_nonnull (strstr (text, "Vastlegging"));
      g_assert_nonnull (strstr (text, "<gerelateerdInformatieobject>"));
      g_assert_null (strstr (text, "Jan Jansen"));
      if (strstr (text, "Vernietiging") != NULL)
        destroyed_seen = TRUE;
      files++;
    }
  g_assert_cmpuint (files, ==, 3);
  g_assert_true (destroyed_seen);

  /* One file for one decision; several decisions need a folder. */
  single = g_build_filename (fx->dir, "one.xml", NULL);
  g_assert_false (rr_mdto_export (fx->store, "aud", NULL, NULL, single, &n, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (single, G_FILE_TEST_EXISTS));
  g_assert_true (rr_mdto_export (fx->store, "aud", "2015-01-01", "2015-12-31", single, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  assert_valid_mdto (xsd1, single);
  assert_valid_mdto (xsd2, single);

  /* And the reference tool agrees. */
  {
    g_autofree char *xmllint = g_find_program_in_path ("xmllint");
    int status = 0;

    if (xmllint != NULL)
      {
        const char *argv1[] = { xmllint, "--nonet", "--noout", "--schema", xsd1, single, NULL };
        const char *argv2[] = { xmllint, "--nonet", "--noout", "--schema", xsd2, single, NULL };

        g_assert_true (g_spawn_sync (NULL, (char **) argv1, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                     | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                     &status, &error));
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, NULL));
        g_assert_true (g_spawn_sync (NULL, (char **) argv2, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                                     | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                     &status, &error));
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, NULL));
      }
  }
}

/* ------------------------------------- the shell script and the CLI */

static int
run (const char * const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_SEARCH_PATH,
                               NULL, NULL, out, NULL, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  while (n > 0 && *lines[n - 1] == '\0')
    n--;
  return n > 0 ? g_strdup (lines[n - 1]) : g_strdup ("");
}

static void
test_script (RrFixture *fx, gconstpointer data)
{
  const char *cli = g_getenv ("RR_CLI");
  const char *root = g_getenv ("RR_SOURCE_ROOT");
  g_autofree char *script = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *l1 = NULL;
  g_autofree char *l2 = NULL;
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  Dom dom = { 0 };

  if (cli == NULL || root == NULL || xmllint == NULL)
    {
      g_test_skip ("Needs RR_CLI, RR_SOURCE_ROOT and xmllint.");
      return;
    }
  script = g_build_filename (root, "docs", "verify-trail.sh", NULL);
  make_history (fx);
  path = export (fx, "script.xml", FALSE);

  {
    const char *a1[] = { "sh", script, path, NULL };
    const char *a2[] = { cli, "verify-trail", path, NULL };

    g_assert_cmpint (run (a1, &out1), ==, 0);
    g_assert_cmpint (run (a2, &out2), ==, 0);
    l1 = last_line (out1);
    l2 = last_line (out2);
    g_assert_cmpstr (l1, ==, l2);
    g_assert_true (g_str_has_prefix (out1, "ok: "));
    g_assert_true (g_str_has_prefix (out2, "ok: "));
  }

  /* Tampered: both refuse, at the same event. */
  dom_open (&dom, path);
  dom_set (dom_event (&dom, 8), "at", "2020-01-01T00:00:00.000000Z");
  dom_save (&dom, path);
  g_clear_pointer (&out1, g_free);
  g_clear_pointer (&out2, g_free);
  {
    const char *a1[] = { "sh", script, path, NULL };
    const char *a2[] = { cli, "verify-trail", path, NULL };

    g_assert_cmpint (run (a1, &out1), ==, 1);
    g_assert_cmpint (run (a2, &out2), ==, 1);
    g_assert_true (g_str_has_prefix (out1, "broken at event 8:"));
    g_assert_nonnull (strstr (out2, " 8: "));
  }
}

static void
test_cli (RrFixture *fx, gconstpointer data)
{
  const char *cli = g_getenv ("RR_CLI");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(RrCheckpoint) head = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int status = 0;

  if (cli == NULL)
    {
      g_test_skip ("Needs RR_CLI.");
      return;
    }
  make_history (fx);
  head = rr_ledger_checkpoint (fx->store, &error);
  kept = rr_checkpoint_format (head);
  path = g_build_filename (fx->dir, "cli.xml", NULL);
  /* Close it: the CLI checks the file's header, which is only complete
   * once the write-ahead log has been checkpointed. */
  g_assert_finalize_object (g_steal_pointer (&fx->store));
  env = g_environ_setenv (g_get_environ (), "RR_ACTING_USER", "aud", TRUE);

  {
    const char *argv[] = { cli, "--database", fx->path, "export-trail", "--output", path, NULL };

    g_autofree char *err = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL,
                                 NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("export-trail failed: %s", err);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *argv[] = { cli, "verify-trail", "--checkpoint", kept, path, NULL };
    g_autofree char *last = NULL;

    g_assert_cmpint (run (argv, &out), ==, 0);
    last = last_line (out);
    g_assert_cmpstr (last, ==, kept);
    g_clear_pointer (&out, g_free);
  }
  {
    /* A checkpoint beyond the trail's end: truncated. */
    g_autofree char *beyond = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", head->seq + 5, GENESIS);
    const char *argv[] = { cli, "verify-trail", "--checkpoint", beyond, path, NULL };

    g_assert_cmpint (run (argv, &out), ==, 1);
    g_assert_nonnull (strstr (out, "failed"));
    g_clear_pointer (&out, g_free);
  }
  {
    /* A hostile file is refused with one sentence on stderr, exit 1. */
    g_autofree char *bad = g_build_filename (fx->dir, "dtd.xml", NULL);
    g_autofree char *err = NULL;
    const char *argv[] = { cli, "verify-trail", bad, NULL };

    write_file (bad, "<?xml version=\"1.0\"?>\n<!DOCTYPE trail [<!ENTITY x \"y\">]>\n"
                     "<trail>&x;</trail>\n", -1);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "DTD"));
    g_clear_pointer (&out, g_free);
  }
  {
    /* Retention from the command line: beheerder only. */
    g_auto(GStrv) env_km = g_environ_setenv (g_strdupv (env), "RR_ACTING_USER", "km1", TRUE);
    g_auto(GStrv) env_bh = g_environ_setenv (g_strdupv (env), "RR_ACTING_USER", "beheer", TRUE);
    const char *list[] = { cli, "--database", fx->path, "retention", "list", NULL };
    const char *destroy[] = { cli, "--database", fx->path, "retention", "destroy", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) list, env_km, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &out, NULL, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_clear_pointer (&out, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) list, env_bh, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &out, NULL, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_assert_nonnull (strstr (out, "\t2015-06-01\t"));
    g_clear_pointer (&out, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) destroy, env_bh, G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &out, NULL, &status, &error));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_true (g_spawn_sync (NULL, (char **) list, env_bh, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &out, NULL, &status, &error));
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
  }
  {
    /* Personal data is the auditor's alone. */
    g_auto(GStrv) env2 = g_environ_setenv (g_strdupv (env), "RR_ACTING_USER", "beheer", TRUE);
    g_autofree char *other = g_build_filename (fx->dir, "cli2.xml", NULL);
    const char *argv[] = { cli, "--database", fx->path, "export-trail", "--output", other,
                           "--with-personal-data", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, env2, G_SPAWN_STDERR_TO_DEV_NULL
                                 | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *canary_dir = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  canary_dir = g_dir_make_tmp ("rr-canary-XXXXXX", NULL);
  canary_path = g_build_filename (canary_dir, "canary.txt", NULL);
  g_file_set_contents (canary_path, "CANARY-SECRET", -1, NULL);

#define ADD(path, func, data) \
  g_test_add ("/rr/trail/" path, RrFixture, data, rr_fixture_setup, func, rr_fixture_teardown)

  ADD ("export-verify", test_export_verify, NULL);
  ADD ("personal-data", test_personal_data, NULL);
  ADD ("refused", test_refused, NULL);
  ADD ("period", test_period, NULL);
  ADD ("cancel-progress", test_cancel_progress, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rr/trail/tampered/%s", tampers[i].name);
      g_test_add (path, RrFixture, GUINT_TO_POINTER (i), rr_fixture_setup, test_tampered,
                  rr_fixture_teardown);
    }
  {
    static const char * const hostile[] = {
      "valid-minimal", "dtd", "external-file", "external-http", "billion-laughs", "xinclude",
      "huge-text", "deep", "invalid-utf8", "truncated", "wrong-schema", "empty",
    };
    for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
      {
        g_autofree char *path = g_strdup_printf ("/rr/trail/hostile/%s", hostile[i]);
        g_test_add (path, RrFixture, hostile[i], rr_fixture_setup, test_hostile,
                    rr_fixture_teardown);
      }
  }
  ADD ("malformed", test_malformed, NULL);
  ADD ("missing-attribute", test_missing_attribute, NULL);
  ADD ("export-out-of-form", test_export_out_of_form, NULL);
  ADD ("retention", test_retention, NULL);
  ADD ("retention-withdrawn", test_withdrawn_destroyed, NULL);
  ADD ("mdto", test_mdto, NULL);
  ADD ("script", test_script, NULL);
  ADD ("cli", test_cli, NULL);
#undef ADD

  {
    int status = g_test_run ();

    g_unlink (canary_path);
    g_rmdir (canary_dir);
    g_free (canary_path);
    return status;
  }
}
