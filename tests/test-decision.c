/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rr-test-util.h"
#include "rr-decision-private.h"
#include "rr-store-private.h"

static gint64
count_decisions (RrFixture *fx)
{
  sqlite3 *db = rr_test_raw_open (fx->path);
  gint64 n = rr_test_raw_int (db, "SELECT count(*) FROM decisions");
  sqlite3_close (db);
  return n;
}

static void
test_record_applied (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);
  g_autoptr(RrDecision) d = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *today = rr_date_today ();
  g_autofree char *follow_up = rr_date_add_months (today, 3);

  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^RR-[0-9]{4}-[0-9]{6}$", number, 0, 0));

  d = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->version, ==, 1);
  g_assert_cmpint (d->status, ==, RR_STATUS_RECORDED);
  g_assert_cmpstr (d->client_dossier, ==, "D-1");
  g_assert_cmpstr (d->rule_code, ==, "PW-18-1");
  g_assert_cmpstr (d->input->decision_date, ==, today);
  g_assert_cmpstr (d->input->follow_up, ==, follow_up);
  g_assert_true (d->within_mandate);
  g_assert_cmpint (d->review_state, ==, RR_REVIEW_STATE_NOT_NEEDED);

  events = rr_ledger_events_for (fx->store, d->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((RrEvent *) events->pdata[0])->action, ==, "decision.recorded");
  g_assert_cmpstr (((RrEvent *) events->pdata[0])->content_hash, ==, d->content_hash);
}

static void
test_record_deviation (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);
  g_autoptr(RrDecision) d = NULL;

  g_assert_no_error (error);
  d = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->input->outcome, ==, RR_OUTCOME_DEVIATED);
  g_assert_cmpstr (d->input->reason, ==, "disproportionate");
  g_assert_cmpstr (d->input->explanation, ==, in->explanation);
  g_assert_cmpuint (d->input->weighings->len, ==, 1);
  g_assert_cmpstr (((RrWeighing *) d->input->weighings->pdata[0])->note, ==, "Kinderen in huis");
  g_assert_cmpint (d->review_state, ==, RR_REVIEW_STATE_FOR_INFORMATION);
}

typedef void (*Spoil) (RrDecisionInput *in);

static void spoil_circumstances (RrDecisionInput *in) { g_clear_pointer (&in->circumstances, g_free); }
static void spoil_explanation (RrDecisionInput *in) { g_free (in->explanation); in->explanation = g_strdup ("   "); }
static void spoil_reason (RrDecisionInput *in) { g_clear_pointer (&in->reason, g_free); }
static void spoil_summary (RrDecisionInput *in) { g_clear_pointer (&in->summary, g_free); }
static void spoil_date (RrDecisionInput *in) { in->decision_date = g_strdup ("2026-02-30"); }

static void
test_refusals (RrFixture *fx, gconstpointer data)
{
  static const struct { Spoil spoil; int code; const char *word; } cases[] = {
    { spoil_circumstances, RR_ERROR_INVALID, "circumstances" },
    { spoil_explanation, RR_ERROR_INVALID, "explanation" },
    { spoil_reason, RR_ERROR_INVALID, "reason" },
    { spoil_summary, RR_ERROR_INVALID, "summary" },
    { spoil_date, RR_ERROR_INVALID, "YYYY-MM-DD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
      g_autoptr(GError) error = NULL;
      g_autofree char *number = NULL;

      cases[i].spoil (in);
      number = rr_decisions_record (fx->store, "km1", in, &error);
      g_assert_null (number);
      g_assert_error (error, RR_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].word));
    }
  g_assert_cmpint (count_decisions (fx), ==, 0);
}

static void
test_unknowns (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();

  g_free (in->client);
  in->client = g_strdup ("D-404");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A client of another team is not found either. */
  g_free (in->client);
  in->client = g_strdup ("Z-1");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_free (in->client);
  in->client = g_strdup ("D-1");
  g_free (in->rule);
  in->rule = g_strdup ("PW-999");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A rule version not in force on the decision date. */
  g_free (in->rule);
  in->rule = g_strdup ("PW-18-1");
  in->decision_date = g_strdup ("2010-06-01");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2010-06-01"));
  g_clear_error (&error);

  g_free (in->decision_date);
  in->decision_date = g_strdup ("2999-01-01");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&in->decision_date, g_free);
  g_free (in->kind);
  in->kind = g_strdup ("guesswork");
  g_assert_null (rr_decisions_record (fx->store, "km1", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An auditor does not record decisions. */
  g_free (in->kind);
  in->kind = g_strdup ("which-rule");
  g_assert_null (rr_decisions_record (fx->store, "aud", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (rr_decisions_record (fx->store, "nobody", in, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);

  g_assert_cmpint (count_decisions (fx), ==, 0);
}

static void
test_rule_versions_by_date (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(RrDecision) da = NULL;
  g_autoptr(RrDecision) db = NULL;

  /* The starter catalogue has two versions of this local rule, changing on
   * 2024-01-01: a decision points at the version in force on its date. */
  g_free (in->rule);
  in->rule = g_strdup ("LOC-BB-DREMPEL");
  in->decision_date = g_strdup ("2023-06-01");
  a = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);
  g_free (in->decision_date);
  in->decision_date = g_strdup ("2024-06-01");
  b = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);
  da = rr_decisions_get (fx->store, "km1", a, 0, &error);
  db = rr_decisions_get (fx->store, "km1", b, 0, &error);
  g_assert_cmpint (da->rule_version, ==, 1);
  g_assert_cmpint (db->rule_version, ==, 2);
}

static void
test_supersede_withdraw (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(RrDecision) current = NULL;
  int version;

  g_assert_no_error (error);

  /* Someone else may not write a new version. */
  g_assert_cmpint (rr_decisions_supersede (fx->store, "km2", number, in, &error), ==, 0);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  g_free (in->explanation);
  in->explanation = g_strdup ("Aangevuld na vragen van de teamleider: verlaging zou tot "
                              "huisuitzetting leiden, wat niet in verhouding staat.");
  version = rr_decisions_supersede (fx->store, "km1", number, in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 2);

  versions = rr_decisions_versions (fx->store, "km1", number, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (((RrDecision *) versions->pdata[0])->status, ==, RR_STATUS_SUPERSEDED);
  g_assert_cmpint (((RrDecision *) versions->pdata[1])->status, ==, RR_STATUS_RECORDED);
  g_assert_cmpstr (((RrDecision *) versions->pdata[1])->supersedes, ==,
                   ((RrDecision *) versions->pdata[0])->uuid);

  g_assert_false (rr_decisions_withdraw (fx->store, "km1", number, "  ", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_decisions_withdraw (fx->store, "km2", number, "reden", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (rr_decisions_withdraw (fx->store, "km1", number, "Dubbel vastgelegd", &error));
  g_assert_no_error (error);
  g_assert_false (rr_decisions_withdraw (fx->store, "km1", number, "nogmaals", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);

  current = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_cmpint (current->status, ==, RR_STATUS_WITHDRAWN);
  g_assert_cmpstr (current->withdrawn_reason, ==, "Dubbel vastgelegd");
  g_assert_cmpint (rr_decisions_supersede (fx->store, "km1", number, in, &error), ==, 0);
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
}

static void
test_hints (void)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  RrHints hints = rr_decision_input_hints (in);

  g_assert_cmpint (hints, ==, RR_HINT_NONE);

  g_free (in->explanation);
  in->explanation = g_strdup ("Deze regel is onredelijk en zou niet moeten bestaan.");
  g_assert_true (rr_decision_input_hints (in) & RR_HINT_ONLY_IN_PRINCIPLE);

  g_free (in->circumstances);
  in->circumstances = g_strdup ("Zie dossier.");
  g_assert_true (rr_decision_input_hints (in) & RR_HINT_NO_CIRCUMSTANCES);

  g_ptr_array_set_size (in->weighings, 0);
  g_assert_true (rr_decision_input_hints (in) & RR_HINT_NO_WEIGHING);

  in->sanction = RR_SANCTION_IMPOSED;
  g_assert_true (rr_decision_input_hints (in) & RR_HINT_SANCTION_NO_CONTACT);
  in->contact_date = g_strdup ("2026-01-05");
  g_assert_false (rr_decision_input_hints (in) & RR_HINT_SANCTION_NO_CONTACT);
  g_assert_cmpstr (rr_hint_message (RR_HINT_NO_WEIGHING), !=, "");
}

static void
test_mandate (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;
  g_autoptr(RrDecision) ds = NULL;
  g_autoptr(RrDecision) dl = NULL;

  g_free (in->kind);
  in->kind = g_strdup ("claim");
  in->has_amount = TRUE;
  in->amount_cents = 120000;
  small = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);
  in->amount_cents = 500000;
  large = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);

  ds = rr_decisions_get (fx->store, "km1", small, 0, &error);
  dl = rr_decisions_get (fx->store, "km1", large, 0, &error);
  g_assert_true (ds->within_mandate);
  g_assert_false (dl->within_mandate);
  g_assert_cmpint (dl->review_state, ==, RR_REVIEW_STATE_APPROVAL_NEEDED);
}

static void
test_euros (void)
{
  gint64 c;

  g_assert_true (_rr_parse_euros ("1250", &c)); g_assert_cmpint (c, ==, 125000);
  g_assert_true (_rr_parse_euros ("1250,50", &c)); g_assert_cmpint (c, ==, 125050);
  g_assert_true (_rr_parse_euros ("1.250,5", &c)); g_assert_cmpint (c, ==, 125050);
  g_assert_true (_rr_parse_euros ("1250.05", &c)); g_assert_cmpint (c, ==, 125005);
  g_assert_true (_rr_parse_euros ("1.250", &c)); g_assert_cmpint (c, ==, 125000);
  g_assert_false (_rr_parse_euros ("twaalf", &c));
  g_assert_false (_rr_parse_euros ("", &c));
}

static void
test_drafts (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(RrDecisionInput) back = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(RrDraft) draft = NULL;
  gint64 id;

  in->has_amount = TRUE;
  in->amount_cents = 12345;
  in->sanction = RR_SANCTION_REFRAINED;
  in->client_agrees = 1;
  text = rr_decision_input_to_data (in);
  back = rr_decision_input_from_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->explanation, ==, in->explanation);
  g_assert_cmpint (back->amount_cents, ==, 12345);
  g_assert_cmpint (back->sanction, ==, RR_SANCTION_REFRAINED);
  g_assert_cmpint (back->client_agrees, ==, 1);
  g_assert_cmpuint (back->weighings->len, ==, 1);

  id = rr_drafts_save (fx->store, "km1", 0, in, &error);
  g_assert_no_error (error);
  g_free (in->summary);
  in->summary = g_strdup ("Bijgewerkt");
  g_assert_cmpint (rr_drafts_save (fx->store, "km1", id, in, &error), ==, id);
  /* Another person's draft is not theirs to change. */
  g_assert_cmpint (rr_drafts_save (fx->store, "km2", id, in, &error), ==, 0);
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  drafts = rr_drafts_list (fx->store, "km1", &error);
  g_assert_cmpuint (drafts->len, ==, 1);
  draft = rr_drafts_get (fx->store, "km1", id, &error);
  g_assert_cmpstr (draft->summary, ==, "Bijgewerkt");
  g_assert_true (rr_drafts_delete (fx->store, "km1", id, &error));
  g_assert_null (rr_drafts_get (fx->store, "km1", id, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);

  g_clear_error (&error);
  g_assert_null (rr_decision_input_from_data ("[decision]\namount=veel\n", -1, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
}

static void
test_visibility_and_list (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) dev = rr_test_deviation_input ();
  g_autoptr(RrDecisionInput) app = rr_test_applied_input ();
  g_autofree char *a = rr_decisions_record (fx->store, "km1", dev, &error);
  g_autofree char *b = rr_decisions_record (fx->store, "km1", app, &error);
  g_autoptr(RrDecision) seen = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  RrDecisionFilter filter;

  g_assert_no_error (error);
  seen = rr_decisions_get (fx->store, "tl1", a, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&seen, rr_decision_free);
  seen = rr_decisions_get (fx->store, "aud", a, 0, &error);
  g_assert_no_error (error);
  g_assert_null (rr_decisions_get (fx->store, "km2", a, 0, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rr_decisions_get (fx->store, "tl2", a, 0, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rr_decision_filter_init (&filter);
  g_assert_cmpint (rr_decisions_count (fx->store, "km1", &filter, &error), ==, 2);
  g_assert_cmpint (rr_decisions_count (fx->store, "km2", &filter, &error), ==, 0);
  g_assert_cmpint (rr_decisions_count (fx->store, "tl2", &filter, &error), ==, 0);
  filter.outcome = RR_OUTCOME_DEVIATED;
  rows = rr_decisions_list (fx->store, "tl1", &filter, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RrDecisionRow *) rows->pdata[0])->number, ==, a);
  g_clear_pointer (&rows, g_ptr_array_unref);

  filter.outcome = RR_OUTCOME_NONE;
  filter.text = g_strdup ("huisuitzet");
  rows = rr_decisions_list (fx->store, "km1", &filter, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_free (filter.text);
  filter.text = g_strdup ("\"*)(");   /* nothing searchable: no rows, no error */
  rows = rr_decisions_list (fx->store, "km1", &filter, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&filter.text, g_free);

  /* Lazy paging: all ids once, then rows by id, in the same order; ids
   * another user may not see are left out. */
  {
    g_autoptr(GArray) ids = rr_decisions_list_ids (fx->store, "km1", &filter, &error);
    g_autoptr(GPtrArray) by_id = NULL;
    g_autoptr(GPtrArray) hidden = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 2);
    by_id = rr_decisions_rows (fx->store, "km1", (gint64 *) ids->data, ids->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (by_id->len, ==, 2);
    g_assert_cmpint (((RrDecisionRow *) by_id->pdata[0])->id, ==, g_array_index (ids, gint64, 0));
    g_assert_cmpint (((RrDecisionRow *) by_id->pdata[1])->id, ==, g_array_index (ids, gint64, 1));
    hidden = rr_decisions_rows (fx->store, "km3", (gint64 *) ids->data, ids->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hidden->len, ==, 0);
  }

  filter.from = g_strdup ("2000-01-01");
  filter.to = g_strdup ("2001-01-01");
  g_assert_cmpint (rr_decisions_count (fx->store, "km1", &filter, &error), ==, 0);
  rr_decision_filter_clear (&filter);
  (void) b;
}

static void
test_precedents (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(RrDecisionInput) dev = rr_test_deviation_input ();
  g_autoptr(RrDecisionInput) other = rr_test_deviation_input ();
  g_autofree char *a = rr_decisions_record (fx->store, "km1", dev, &error);
  g_autofree char *b = NULL;

  g_free (other->rule);
  other->rule = g_strdup ("PW-9-2");
  g_free (other->client);
  other->client = g_strdup ("D-2");
  b = rr_decisions_record (fx->store, "km2", other, &error);
  g_assert_no_error (error);

  /* A newer deviation from the same rule, about something else. */
  {
    g_autoptr(RrDecisionInput) unrelated = rr_test_deviation_input ();
    g_autofree char *c = NULL;

    g_free (unrelated->circumstances);
    unrelated->circumstances = g_strdup ("Klant volgt een opleiding tot verzorgende en werkt "
                                         "daarnaast twintig uur per week.");
    g_free (unrelated->explanation);
    unrelated->explanation = g_strdup ("De opleiding leidt binnen een jaar tot werk; de regel "
                                       "zou dat doorkruisen.");
    g_free (unrelated->summary);
    unrelated->summary = g_strdup ("Opleiding voortgezet met behoud van uitkering");
    c = rr_decisions_record (fx->store, "km1", unrelated, &error);
    g_assert_no_error (error);
  }

  found = rr_decisions_precedents (fx->store, "km2", "PW-18-1", "huisuitzetting schulden", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 3);
  /* Same rule and similar text first, though it is older; then the rule's
   * latest; then the other rule. */
  g_assert_cmpstr (((RrPrecedent *) found->pdata[0])->number, ==, a);
  g_assert_true (((RrPrecedent *) found->pdata[0])->same_rule);
  g_assert_true (((RrPrecedent *) found->pdata[1])->same_rule);
  g_assert_false (((RrPrecedent *) found->pdata[2])->same_rule);
  for (guint i = 0; i < found->len; i++)
    {
      RrPrecedent *p = found->pdata[i];
      g_assert_null (strstr (p->client_pseudonym, "Jansen"));
      g_assert_null (strstr (p->client_pseudonym, "D-1"));
      g_assert_true (g_str_has_prefix (p->client_pseudonym, "Client "));
    }
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Another team sees none of them. */
  found = rr_decisions_precedents (fx->store, "km3", "PW-18-1", "huisuitzetting", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* Two processes recording at once lose nothing and keep one chain. */
static void
test_two_processes (RrFixture *fx, gconstpointer data)
{
  const int per_child = 40;
  pid_t pids[2];
  g_autoptr(GError) error = NULL;
  RrVerifyResult result;

  g_clear_object (&fx->store);
  for (int c = 0; c < 2; c++)
    {
      pids[c] = fork ();
      g_assert_cmpint (pids[c], >=, 0);
      if (pids[c] == 0)
        {
          g_autoptr(RrStore) store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, NULL);
          for (int i = 0; store != NULL && i < per_child; i++)
            {
              g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
              g_autoptr(GError) child_error = NULL;
              g_autofree char *n = rr_decisions_record (store, c == 0 ? "km1" : "tl1", in,
                                                        &child_error);
              if (n == NULL)
                {
                  fprintf (stderr, "child %d: %s\n", c, child_error ? child_error->message : "?"); fflush (stderr);
                  _exit (1);
                }
            }
          _exit (store != NULL ? 0 : 2);
        }
    }
  for (int c = 0; c < 2; c++)
    {
      int status;
      g_assert_cmpint (waitpid (pids[c], &status, 0), ==, pids[c]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  fx->store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_decisions (fx), ==, 2 * per_child);
  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
}

/* A klantmanager's lists hold the decisions they wrote and those of their
 * clients, whoever wrote them: list, count and ids agree, and a
 * colleague's show nothing of it. */
static void
test_klantmanager_lists (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);
  const char *who[] = { "km1", "km2", "km3" };
  const guint expected[] = { 1, 1, 0 };
  RrDecisionFilter filter;

  g_assert_no_error (error);
  /* D-1 goes to km2: km1 wrote the decision, km2 now has the client. */
  g_assert_true (rr_clients_reassign (fx->store, "km1", "D-1", "km2", &error));
  g_assert_no_error (error);
  rr_decision_filter_init (&filter);
  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autoptr(GPtrArray) list = rr_decisions_list (fx->store, who[i], &filter, 0, 50, &error);
      g_autoptr(GArray) ids = rr_decisions_list_ids (fx->store, who[i], &filter, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, expected[i]);
      g_assert_cmpuint (ids->len, ==, expected[i]);
      g_assert_cmpint (rr_decisions_count (fx->store, who[i], &filter, &error), ==, expected[i]);
      if (expected[i] > 0)
        g_assert_cmpstr (((RrDecisionRow *) list->pdata[0])->number, ==, number);
    }
  rr_decision_filter_clear (&filter);
}

/* Compares, for every decision version in @store, the canonical content
 * an export makes straight from a row with the one its content hash was
 * made of; returns how many there were. */
static guint
compare_canonical_from_row (RrStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *columns, *from;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  _rr_decision_canonical_sql (&columns, &from);
  sql = g_strconcat ("SELECT ", columns, ", d.id, d.content_hash", from, " ORDER BY d.id", NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int last = sqlite3_column_count (stmt) - 1;
      g_autofree char *direct = _rr_decision_canonical_from_row (stmt);
      g_autofree char *through = _rr_decision_canonical (store, sqlite3_column_int64 (stmt, last - 1),
                                                         &error);
      g_autofree char *hash = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (direct, ==, through);
      hash = rr_sha256_hex (direct, -1);
      g_assert_cmpstr (hash, ==, (const char *) sqlite3_column_text (stmt, last));
      n++;
    }
  sqlite3_finalize (stmt);
  return n;
}

static void
test_canonical_from_row (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) applied = rr_test_applied_input ();
  g_autoptr(RrDecisionInput) deviation = rr_test_deviation_input ();
  g_autofree char *demo_path = g_build_filename (fx->dir, "demo.db", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  RrStore *demo;

  a = rr_decisions_record (fx->store, "km1", applied, &error);
  g_assert_no_error (error);
  b = rr_decisions_record (fx->store, "km1", deviation, &error);
  g_assert_no_error (error);
  deviation->client_agrees = 1;
  deviation->has_amount = TRUE;
  deviation->amount_cents = 12345;
  deviation->sanction = RR_SANCTION_REFRAINED;
  g_free (deviation->risk);
  deviation->risk = g_strdup ("  \n ");
  rr_decisions_supersede (fx->store, "km1", b, deviation, &error);
  g_assert_no_error (error);
  rr_decisions_withdraw (fx->store, "km1", a, "Dubbel vastgelegd", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (compare_canonical_from_row (fx->store), ==, 3);

  /* And every shape the demo data takes. */
  demo = rr_store_open (demo_path, RR_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  rr_store_initialise (demo, "beheer", "Bea Beheer", "Gemeente Demo", "Team Noord", &error);
  g_assert_no_error (error);
  g_assert_true (rr_demo_generate (demo, 300, 3, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (compare_canonical_from_row (demo), >=, 300);
  g_assert_finalize_object (demo);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, RrFixture, NULL, rr_fixture_setup, fn, rr_fixture_teardown)
  ADD ("/rr/decision/record-applied", test_record_applied);
  ADD ("/rr/decision/record-deviation", test_record_deviation);
  ADD ("/rr/decision/refusals", test_refusals);
  ADD ("/rr/decision/unknowns", test_unknowns);
  ADD ("/rr/decision/rule-versions-by-date", test_rule_versions_by_date);
  ADD ("/rr/decision/supersede-withdraw", test_supersede_withdraw);
  ADD ("/rr/decision/mandate", test_mandate);
  ADD ("/rr/decision/drafts", test_drafts);
  ADD ("/rr/decision/visibility-and-list", test_visibility_and_list);
  ADD ("/rr/decision/klantmanager-lists", test_klantmanager_lists);
  ADD ("/rr/decision/precedents", test_precedents);
  ADD ("/rr/decision/two-processes", test_two_processes);
  ADD ("/rr/decision/canonical-from-row", test_canonical_from_row);
#undef ADD
  g_test_add_func ("/rr/decision/hints", test_hints);
  g_test_add_func ("/rr/decision/euros", test_euros);
  return g_test_run ();
}
