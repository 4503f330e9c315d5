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

/* The query plan of the statement of @db's connection whose text holds
 * @part, as EXPLAIN QUERY PLAN gives it, one line a step. */
static char *
plan_of (sqlite3    *db,
         const char *part)
{
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *explain = NULL;
  g_autofree char *sql = NULL;

  while ((stmt = sqlite3_next_stmt (db, stmt)) != NULL)
    if (strstr (sqlite3_sql (stmt), part) != NULL)
      break;
  g_assert_nonnull (stmt);
  sql = g_strconcat ("EXPLAIN QUERY PLAN ", sqlite3_sql (stmt), NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &explain, NULL), ==, SQLITE_OK);
  while (sqlite3_step (explain) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (explain, 3));
  sqlite3_finalize (explain);
  return g_string_free (plan, FALSE);
}

static GPtrArray *
due_ids (RrStore    *store,
         const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = rr_outcomes_due (store, login, "2026-01-01", &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      RrDecisionRow *row = g_ptr_array_index (rows, i);

      g_ptr_array_add (ids, g_strdup_printf ("%s %" G_GINT64_FORMAT, row->follow_up, row->id));
    }
  return ids;
}

static void
assert_same_ids (GPtrArray *a,
                 GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* Schema 5: a version 4 database gets the index on the author's due
 * follow-ups; the due lists are the same before and after, and a
 * klantmanager's is read through it (not by walking every decision's
 * follow-up), a teamleider's still through the due index. */
static void
test_due_migrate (void)
{
  const char *dates[] = { "2025-03-01", "2025-02-01", "2025-03-01", "2025-01-15", "2026-03-01" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rr-due-mig-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GPtrArray) km1_before = NULL;
  g_autoptr(GPtrArray) tl1_before = NULL;
  g_autoptr(GPtrArray) km1_after = NULL;
  g_autoptr(GPtrArray) tl1_after = NULL;
  g_autofree char *plan = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "v4.db", NULL);
  store = rr_store_open_at_version (path, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rr_store_get_schema_version (store), ==, 4);
  rr_store_initialise (store, "beheer", "Bea Beheer", "Gemeente Test", "Team Noord", &error);
  g_assert_no_error (error);
  rr_users_add (store, "beheer", "km1", "Karin Mol", "Team Noord", RR_ROLE_KLANTMANAGER, &error);
  g_assert_no_error (error);
  rr_users_add (store, "beheer", "km2", "Kees Maas", "Team Noord", RR_ROLE_KLANTMANAGER, &error);
  g_assert_no_error (error);
  rr_users_add (store, "beheer", "tl1", "Tineke Lont", "Team Noord", RR_ROLE_TEAMLEIDER, &error);
  g_assert_no_error (error);
  rr_clients_add (store, "km1", "D-1", "Jan Jansen", NULL, &error);
  g_assert_no_error (error);
  rr_clients_add (store, "km2", "D-2", "Piet Pietersen", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2 * G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
      const char *author = i % 2 == 0 ? "km1" : "km2";
      g_autofree char *number = NULL;

      if (i % 2 == 1)
        in->client = (g_free (in->client), g_strdup ("D-2"));
      in->decision_date = g_strdup ("2025-01-10");
      in->follow_up = g_strdup (dates[i / 2]);
      number = rr_decisions_record (store, author, in, &error);
      g_assert_no_error (error);
    }
  km1_before = due_ids (store, "km1");
  tl1_before = due_ids (store, "tl1");
  g_assert_cmpuint (km1_before->len, ==, 4);
  g_assert_cmpuint (tl1_before->len, ==, 8);
  g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (store),
                                    "SELECT count (*) FROM sqlite_schema"
                                    " WHERE name = 'decisions_author_due'"), ==, 0);
  g_clear_object (&store);

  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rr_store_get_schema_version (store), ==, rr_store_latest_schema_version ());
  g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (store),
                                    "SELECT count (*) FROM sqlite_schema"
                                    " WHERE name = 'decisions_author_due'"), ==, 1);
  km1_after = due_ids (store, "km1");
  tl1_after = due_ids (store, "tl1");
  assert_same_ids (km1_before, km1_after);
  assert_same_ids (tl1_before, tl1_after);

  plan = plan_of (_rr_store_get_db (store), "WHERE d.author_id = ?2 AND");
  g_test_message ("klantmanager: %s", plan);
  g_assert_nonnull (strstr (plan, "decisions_author_due"));
  g_clear_pointer (&plan, g_free);
  plan = plan_of (_rr_store_get_db (store), "OR d.team = ?4");
  g_test_message ("teamleider: %s", plan);
  g_assert_nonnull (strstr (plan, "decisions_follow_up"));
  g_clear_object (&store);
  rr_remove_tree (dir);
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
  g_test_add_func ("/rr/review/due-migrate", test_due_migrate);
  return g_test_run ();
}
