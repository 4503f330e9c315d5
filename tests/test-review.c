/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rr-test-util.h"

static char *
record_deviation (RrFixture *fx)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (fx->store, "km1", in, &error);

  g_assert_no_error (error);
  return number;
}

static void
test_four_eyes (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record_deviation (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(RrDecision) d = NULL;

  /* The author holds the teamleider role too: still not their own review. */
  rr_users_grant (fx->store, "beheer", "km1", RR_ROLE_TEAMLEIDER, &error);
  g_assert_no_error (error);
  g_assert_false (rr_reviews_verdict (fx->store, "km1", number, RR_VERDICT_AKKOORD, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_false (rr_reviews_advise (fx->store, "km1", number, "Prima", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_FOUR_EYES);
  g_clear_error (&error);

  /* Without the role. */
  g_assert_false (rr_reviews_verdict (fx->store, "km2", number, RR_VERDICT_AKKOORD, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Another team's teamleider. */
  g_assert_false (rr_reviews_verdict (fx->store, "tl2", number, RR_VERDICT_AKKOORD, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  /* A comment is needed for all but akkoord. */
  g_assert_false (rr_reviews_verdict (fx->store, "tl1", number, RR_VERDICT_VRAGEN, " ", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  reviews = rr_reviews_for_decision (fx->store, "tl1", number, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 0);
  g_clear_pointer (&reviews, g_ptr_array_unref);

  g_assert_true (rr_reviews_verdict (fx->store, "tl1", number, RR_VERDICT_VRAGEN,
                                     "Is de verhuurder al benaderd?", &error));
  g_assert_no_error (error);
  reviews = rr_reviews_for_decision (fx->store, "km1", number, &error);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_cmpint (((RrReview *) reviews->pdata[0])->verdict, ==, RR_VERDICT_VRAGEN);
  g_assert_cmpstr (((RrReview *) reviews->pdata[0])->reviewer_login, ==, "tl1");

  d = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_cmpint (d->review_state, ==, RR_REVIEW_STATE_REVIEWED);
  g_assert_cmpint (d->verdict, ==, RR_VERDICT_VRAGEN);
}

static void
test_queue (RrFixture *fx, gconstpointer data)
{
  g_autofree char *dev = record_deviation (fx);
  g_autofree char *big = NULL;
  g_autofree char *applied = NULL;
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;

  applied = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);
  g_free (in->kind);
  in->kind = g_strdup ("policy");   /* outside a klantmanager's mandate */
  big = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);

  queue = rr_reviews_queue (fx->store, "tl1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[0])->number, ==, big);
  g_assert_cmpint (((RrQueueItem *) queue->pdata[0])->state, ==, RR_REVIEW_STATE_APPROVAL_NEEDED);
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[1])->number, ==, dev);
  g_assert_cmpint (((RrQueueItem *) queue->pdata[1])->state, ==, RR_REVIEW_STATE_FOR_INFORMATION);
  g_clear_pointer (&queue, g_ptr_array_unref);

  g_assert_true (rr_reviews_verdict (fx->store, "tl1", big, RR_VERDICT_AKKOORD, NULL, &error));
  queue = rr_reviews_queue (fx->store, "tl1", &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* The other team's teamleider sees nothing of it. */
  queue = rr_reviews_queue (fx->store, "tl2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 0);
}

static void
test_advice (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record_deviation (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;

  g_assert_false (rr_reviews_request_advice (fx->store, "km1", number, "km1", NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_true (rr_reviews_request_advice (fx->store, "km1", number, "km2",
                                            "Zou jij ook afzien van verlaging?", &error));
  g_assert_no_error (error);

  queue = rr_reviews_queue (fx->store, "km2", &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_true (((RrQueueItem *) queue->pdata[0])->advice_asked);
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[0])->asked_by, ==, "km1");
  g_clear_pointer (&queue, g_ptr_array_unref);

  g_assert_false (rr_reviews_advise (fx->store, "km2", number, "", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rr_reviews_advise (fx->store, "km2", number,
                                    "Ja, met een betalingsregeling erbij.", &error));
  g_assert_no_error (error);
  queue = rr_reviews_queue (fx->store, "km2", &error);
  g_assert_cmpuint (queue->len, ==, 0);

  /* Advice from another team is refused. */
  g_assert_false (rr_reviews_advise (fx->store, "km3", number, "Advies", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
}

/* "What I asked": open first, then answered with the advice beside it; a
 * colleague sees only their own requests. */
static void
test_asked (RrFixture *fx, gconstpointer data)
{
  g_autofree char *first = record_deviation (fx);
  g_autofree char *second = record_deviation (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  RrAdviceRequest *r;

  asked = rr_reviews_asked (fx->store, "km1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asked->len, ==, 0);
  g_clear_pointer (&asked, g_ptr_array_unref);

  g_assert_true (rr_reviews_request_advice (fx->store, "km1", first, "km2", "Eerste vraag", &error));
  g_assert_true (rr_reviews_request_advice (fx->store, "km1", second, "tl1", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rr_reviews_advise (fx->store, "km2", first, "Doen.", &error));
  g_assert_no_error (error);

  asked = rr_reviews_asked (fx->store, "km1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asked->len, ==, 2);
  r = asked->pdata[0];
  g_assert_cmpstr (r->number, ==, second);
  g_assert_cmpstr (r->colleague_login, ==, "tl1");
  g_assert_false (r->answered);
  g_assert_null (r->question);
  g_assert_null (r->advice);
  r = asked->pdata[1];
  g_assert_cmpstr (r->number, ==, first);
  g_assert_cmpstr (r->colleague_login, ==, "km2");
  g_assert_cmpstr (r->colleague_name, ==, "Kees Maas");
  g_assert_cmpstr (r->question, ==, "Eerste vraag");
  g_assert_true (r->answered);
  g_assert_cmpstr (r->advice, ==, "Doen.");
  g_clear_pointer (&asked, g_ptr_array_unref);

  asked = rr_reviews_asked (fx->store, "km2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asked->len, ==, 0);
  g_clear_pointer (&asked, g_ptr_array_unref);

  /* The auditor asks no advice and has no such list. */
  asked = rr_reviews_asked (fx->store, "aud", &error);
  g_assert_null (asked);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
}

static void
test_outcomes (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(RrDecision) d = NULL;

  in->decision_date = g_strdup ("2025-01-10");
  in->follow_up = g_strdup ("2025-04-10");
  number = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_no_error (error);

  due = rr_outcomes_due (fx->store, "km1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = rr_outcomes_due (fx->store, "tl1", NULL, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = rr_outcomes_due (fx->store, "km2", NULL, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  g_assert_false (rr_outcomes_record (fx->store, "km3", number, RR_EFFECT_BEREIKT, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_outcomes_record (fx->store, "km1", number, RR_EFFECT_NONE, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rr_outcomes_record (fx->store, "km1", number, RR_EFFECT_DEELS,
                                     "Huur betaald, schuld blijft", &error));
  g_assert_no_error (error);

  outcomes = rr_outcomes_for_decision (fx->store, "km1", number, &error);
  g_assert_cmpuint (outcomes->len, ==, 1);
  d = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_cmpint (d->effect, ==, RR_EFFECT_DEELS);
  due = rr_outcomes_due (fx->store, "km1", NULL, &error);
  g_assert_cmpuint (due->len, ==, 0);
}

/* Paging the due follow-ups gives the whole list, in order, a page at a
 * time; a page ends where the next begins, also within one date. */
static void
test_outcomes_due_pages (RrFixture *fx, gconstpointer data)
{
  const char *dates[] = { "2025-03-01", "2025-02-01", "2025-03-01", "2025-01-15", "2025-03-01" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) paged = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_row_free);
  g_autofree char *after = NULL;
  gint64 after_id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
      g_autofree char *number = NULL;

      in->decision_date = g_strdup ("2025-01-10");
      in->follow_up = g_strdup (dates[i]);
      number = rr_decisions_record (fx->store, "km1", in, &error);
      g_assert_no_error (error);
    }
  all = rr_outcomes_due (fx->store, "km1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (dates));

  for (guint pages = 0;; pages++)
    {
      g_autoptr(GPtrArray) page = rr_outcomes_due_page (fx->store, "km1", NULL, after, after_id,
                                                        2, &error);
      RrDecisionRow *last;

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 2);
      g_assert_cmpuint (pages, <, 4);
      if (page->len == 0)
        break;
      last = g_ptr_array_index (page, page->len - 1);
      g_free (after);
      after = g_strdup (last->follow_up);
      after_id = last->id;
      g_ptr_array_extend_and_steal (paged, g_steal_pointer (&page));
    }
  g_assert_cmpuint (paged->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      RrDecisionRow *a = g_ptr_array_index (all, i), *b = g_ptr_array_index (paged, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->follow_up, ==, b->follow_up);
      if (i > 0)
        g_assert_cmpstr (((RrDecisionRow *) g_ptr_array_index (all, i - 1))->follow_up, <=,
                         a->follow_up);
    }
}

static void
test_reflections_signals (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record_deviation (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RrCheckpoint) before = rr_ledger_checkpoint (fx->store, NULL);
  g_autoptr(RrCheckpoint) after = NULL;
  const char *numbers[] = { number, NULL };
  gint64 priv, shared;

  priv = rr_reflections_save (fx->store, "km1", 0, RR_REFLECTION_HITTEMOMENT, FALSE, number,
                              "Boosheid aan de balie", "Ik merkte dat ik haast had.", &error);
  g_assert_no_error (error);
  shared = rr_reflections_save (fx->store, "km1", 0, RR_REFLECTION_CASE_STORY, TRUE, NULL,
                                "Woning behouden", "Samen met de verhuurder…", &error);
  g_assert_no_error (error);
  g_assert_cmpint (priv, >, 0);

  /* Reflections stay outside the ledger. */
  after = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (after->seq, ==, before->seq);

  list = rr_reflections_list (fx->store, "km2", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((RrReflection *) list->pdata[0])->id, ==, shared);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rr_reflections_list (fx->store, "km3", &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_false (rr_reflections_delete (fx->store, "km2", priv, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (rr_reflections_delete (fx->store, "km1", priv, &error));

  g_assert_true (rr_signals_add (fx->store, "km1", "PW-18-2", "Verlaging treft de kinderen",
                                 "Kindtoets in de verordening", numbers, &error));
  g_assert_no_error (error);
  list = rr_signals_list (fx->store, "tl1", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((RrSignal *) list->pdata[0])->numbers[0], ==, number);
  g_assert_false (rr_signals_add (fx->store, "km1", "NOPE", "x", NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, RrFixture, NULL, rr_fixture_setup, fn, rr_fixture_teardown)
  ADD ("/rr/review/four-eyes", test_four_eyes);
  ADD ("/rr/review/queue", test_queue);
  ADD ("/rr/review/advice", test_advice);
  ADD ("/rr/review/asked", test_asked);
  ADD ("/rr/review/outcomes", test_outcomes);
  ADD ("/rr/review/outcomes-due-pages", test_outcomes_due_pages);
  ADD ("/rr/review/reflections-signals", test_reflections_signals);
#undef ADD
  return g_test_run ();
}
