/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-views"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-admin-view.h"
#include "rr-caseload-view.h"
#include "rr-decision-item.h"
#include "rr-followup-view.h"
#include "rr-log-view.h"
#include "rr-reflections-view.h"
#include "rr-review-view.h"
#include "rr-decision-editor.h"
#include "rr-ui-test-util.h"
#include "rr-window.h"

static char *
record (RrFixture       *fx,
        const char      *actor,
        RrDecisionInput *in)
{
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (fx->store, actor, in, &error);

  g_assert_no_error (error);
  rr_decision_input_free (in);
  return number;
}

static void
finish (GtkWindow *window,
        gpointer   view)
{
  gtk_window_destroy (window);
  rr_ui_pump ();
  g_assert_finalize_object (view);
}

/* The Logboek's list comes from a worker thread: run the main loop until
 * it is in (or give up after ten seconds). */
static void
wait_log (gpointer view)
{
  RrDecisionListModel *model = rr_log_view_get_model (RR_LOG_VIEW (view));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rr_decision_list_model_is_loading (model) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rr_decision_list_model_is_loading (model));
  rr_ui_pump ();
}

/* The review queue comes from a worker thread: run the main loop until it
 * is in (or give up after ten seconds). */
static void
wait_review (gpointer view)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rr_review_view_is_loading (RR_REVIEW_VIEW (view)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rr_review_view_is_loading (RR_REVIEW_VIEW (view)));
  rr_ui_pump ();
}

static guint
review_rows (gpointer view)
{
  wait_review (view);
  return rr_review_view_get_n_rows (RR_REVIEW_VIEW (view));
}

static void
test_verdict (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_deviation_input ());
  g_autoptr(GPtrArray) reviews = NULL;
  GtkWidget *view = g_object_ref_sink (rr_review_view_new (fx->store, "tl1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REVIEW_VIEW;
  GtkLabel *message = rr_ui_child (view, t, "message_label");

  g_assert_cmpuint (review_rows (view), ==, 1);
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "verdict_box")));
  wait_review (view);
  rr_review_view_select (RR_REVIEW_VIEW (view), 0);

  /* "Vragen" needs a comment: the core's refusal shows, nothing recorded. */
  gtk_drop_down_set_selected (rr_ui_child (view, t, "verdict_dropdown"), 2);
  g_signal_emit_by_name (rr_ui_child (view, t, "verdict_button"), "clicked");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-refusal"));
  reviews = rr_reviews_for_decision (fx->store, "tl1", number, NULL);
  g_assert_cmpuint (reviews->len, ==, 0);
  g_clear_pointer (&reviews, g_ptr_array_unref);

  rr_ui_set_text_view (rr_ui_child (view, t, "comment_view"),
                       "Is budgetbeheer overwogen?");
  g_signal_emit_by_name (rr_ui_child (view, t, "verdict_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-success"));
  reviews = rr_reviews_for_decision (fx->store, "tl1", number, NULL);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_cmpint (((RrReview *) reviews->pdata[0])->verdict, ==, RR_VERDICT_VRAGEN);
  g_assert_cmpstr (((RrReview *) reviews->pdata[0])->text, ==, "Is budgetbeheer overwogen?");
  g_assert_cmpstr (((RrReview *) reviews->pdata[0])->reviewer_login, ==, "tl1");
  /* The queue is empty now. */
  g_assert_cmpuint (review_rows (view), ==, 0);
  finish (window, view);
}

/* A teamleider's long queue is listed a page at a time, in the core's
 * order; a verdict on an item from a later page is for that item. */
static void
test_review_pages (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_REVIEW_VIEW;
  GtkWidget *more;
  const char *last;

  for (guint i = 0; i < 3; i++)
    g_free (record (fx, "km1", rr_test_deviation_input ()));
  queue = rr_reviews_queue (fx->store, "tl1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 3);

  view = g_object_ref_sink (rr_review_view_new (fx->store, "tl1"));
  rr_review_view_set_page_size (RR_REVIEW_VIEW (view), 2);
  rr_review_view_reload (RR_REVIEW_VIEW (view));
  g_assert_true (rr_review_view_is_loading (RR_REVIEW_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "loading_box")));
  window = rr_ui_show (view);
  more = rr_ui_child (view, t, "more_button");
  g_assert_cmpuint (review_rows (view), ==, 2);
  g_assert_cmpuint (rr_review_view_get_n_items (RR_REVIEW_VIEW (view)), ==, 3);
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "loading_box")));
  g_assert_true (gtk_widget_get_visible (more));
  g_signal_emit_by_name (more, "clicked");
  g_assert_cmpuint (rr_review_view_get_n_rows (RR_REVIEW_VIEW (view)), ==, 3);
  g_assert_false (gtk_widget_get_visible (more));

  rr_review_view_select (RR_REVIEW_VIEW (view), 2);
  last = ((RrQueueItem *) g_ptr_array_index (queue, 2))->number;
  gtk_drop_down_set_selected (rr_ui_child (view, t, "verdict_dropdown"), 0);  /* akkoord */
  g_signal_emit_by_name (rr_ui_child (view, t, "verdict_button"), "clicked");
  reviews = rr_reviews_for_decision (fx->store, "tl1", last, NULL);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_cmpint (((RrReview *) reviews->pdata[0])->verdict, ==, RR_VERDICT_AKKOORD);
  /* The queue starts over from its first page, one item shorter. */
  g_assert_cmpuint (review_rows (view), ==, 2);
  g_assert_cmpuint (rr_review_view_get_n_items (RR_REVIEW_VIEW (view)), ==, 2);
  g_assert_false (gtk_widget_get_visible (more));
  finish (window, view);
}

static void
test_klantmanager_no_verdict (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_review_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);

  /* A klantmanager gives advice, never a verdict. */
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, RR_TYPE_REVIEW_VIEW,
                                                       "verdict_box")));
  finish (window, view);
}

static void
test_advice (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_deviation_input ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  GtkWidget *view;
  GtkWindow *window;

  rr_reviews_request_advice (fx->store, "km1", number, "km2", "Zou jij dit ook doen?", &error);
  g_assert_no_error (error);
  view = g_object_ref_sink (rr_review_view_new (fx->store, "km2"));
  window = rr_ui_show (view);
  g_assert_cmpuint (review_rows (view), ==, 1);
  wait_review (view);
  rr_review_view_select (RR_REVIEW_VIEW (view), 0);
  rr_ui_set_text_view (rr_ui_child (view, RR_TYPE_REVIEW_VIEW, "comment_view"),
                       "Ja, met een termijn van drie maanden.");
  g_signal_emit_by_name (rr_ui_child (view, RR_TYPE_REVIEW_VIEW, "advice_button"), "clicked");
  reviews = rr_reviews_for_decision (fx->store, "km1", number, NULL);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_true (((RrReview *) reviews->pdata[0])->is_advice);
  finish (window, view);
}

/* The follow-ups come from a worker thread: run the main loop until they
 * are in (or give up after ten seconds). */
static void
wait_follow_ups (RrFollowupView *view)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rr_followup_view_is_loading (view) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rr_followup_view_is_loading (view));
  rr_ui_pump ();
}

static void
test_follow_up (RrFixture *fx, gconstpointer data)
{
  RrDecisionInput *in = rr_test_applied_input ();
  g_autofree char *number = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_FOLLOWUP_VIEW;

  in->follow_up = rr_date_today ();
  number = record (fx, "km1", in);
  view = g_object_ref_sink (rr_followup_view_new (fx->store, "km1"));
  window = rr_ui_show (view);
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 1);
  g_assert_false (rr_followup_view_has_more (RR_FOLLOWUP_VIEW (view)));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "more_button")));
  rr_followup_view_select (RR_FOLLOWUP_VIEW (view), 0);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "effect_dropdown"), 1);  /* deels */
  rr_ui_set_text_view (rr_ui_child (view, t, "note_view"), "Huur betaald, schuld blijft.");
  g_signal_emit_by_name (rr_ui_child (view, t, "record_button"), "clicked");

  outcomes = rr_outcomes_for_decision (fx->store, "km1", number, NULL);
  g_assert_cmpuint (outcomes->len, ==, 1);
  g_assert_cmpint (((RrOutcome *) outcomes->pdata[0])->effect, ==, RR_EFFECT_DEELS);
  g_assert_cmpstr (((RrOutcome *) outcomes->pdata[0])->note, ==, "Huur betaald, schuld blijft.");
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 0);
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "empty_label")));
  finish (window, view);
}

/* A long list of follow-ups comes a page at a time: "Show More" fetches
 * the next page after the last row, in order, until none are left; an
 * outcome recorded from a later page is for the row selected. */
static void
test_follow_up_pages (RrFixture *fx, gconstpointer data)
{
  const char *dates[] = { "2025-05-01", "2025-02-01", "2025-05-01", "2025-03-01", "2025-05-01" };
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_FOLLOWUP_VIEW;
  GtkWidget *more;
  GtkListBox *list;

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      RrDecisionInput *in = rr_test_applied_input ();
      g_autofree char *number = NULL;

      in->decision_date = g_strdup ("2025-01-10");
      in->follow_up = g_strdup (dates[i]);
      number = record (fx, "km1", in);
    }
  due = rr_outcomes_due (fx->store, "km1", NULL, NULL);
  g_assert_cmpuint (due->len, ==, G_N_ELEMENTS (dates));

  view = g_object_ref_sink (rr_followup_view_new (fx->store, "km1"));
  rr_followup_view_set_page_size (RR_FOLLOWUP_VIEW (view), 2);
  rr_followup_view_reload (RR_FOLLOWUP_VIEW (view));
  window = rr_ui_show (view);
  more = rr_ui_child (view, t, "more_button");
  list = rr_ui_child (view, t, "list");
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 2);
  g_assert_true (rr_followup_view_has_more (RR_FOLLOWUP_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (more));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "empty_label")));

  g_signal_emit_by_name (more, "clicked");
  g_assert_true (rr_followup_view_is_loading (RR_FOLLOWUP_VIEW (view)));
  g_assert_false (gtk_widget_get_visible (more));
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 4);
  g_signal_emit_by_name (more, "clicked");
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 5);
  g_assert_false (rr_followup_view_has_more (RR_FOLLOWUP_VIEW (view)));
  g_assert_false (gtk_widget_get_visible (more));

  /* The rows are the whole list in the core's order, none twice. */
  for (guint i = 0; i < due->len; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) i);
      GtkWidget *title = gtk_widget_get_first_child (gtk_list_box_row_get_child (row));
      const char *number = ((RrDecisionRow *) g_ptr_array_index (due, i))->number;

      g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (title)), number));
    }

  /* The last row, from the third page. */
  rr_followup_view_select (RR_FOLLOWUP_VIEW (view), 4);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "effect_dropdown"), 0);  /* bereikt */
  g_signal_emit_by_name (rr_ui_child (view, t, "record_button"), "clicked");
  outcomes = rr_outcomes_for_decision (fx->store, "km1",
                                       ((RrDecisionRow *) g_ptr_array_index (due, 4))->number,
                                       NULL);
  g_assert_cmpuint (outcomes->len, ==, 1);
  /* Recording starts the list over from its first page. */
  wait_follow_ups (RR_FOLLOWUP_VIEW (view));
  g_assert_cmpuint (rr_followup_view_get_n_rows (RR_FOLLOWUP_VIEW (view)), ==, 2);
  g_assert_true (rr_followup_view_has_more (RR_FOLLOWUP_VIEW (view)));
  finish (window, view);
}

/* Closing the view while a page is on its way drops the page. */
static void
test_follow_up_closed_while_loading (RrFixture *fx, gconstpointer data)
{
  RrDecisionInput *in = rr_test_applied_input ();
  g_autofree char *number = NULL;
  GtkWidget *view;
  GtkWindow *window;

  in->follow_up = rr_date_today ();
  number = record (fx, "km1", in);
  view = g_object_ref_sink (rr_followup_view_new (fx->store, "km1"));
  g_assert_true (rr_followup_view_is_loading (RR_FOLLOWUP_VIEW (view)));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, view);
  gtk_window_destroy (window);
  g_assert_finalize_object (view);
  /* The worker finishes with nobody to tell. */
  rr_ui_wait (300);
}

static guint
n_items (GtkWidget *view)
{
  wait_log (view);
  return g_list_model_get_n_items (G_LIST_MODEL (rr_log_view_get_model (RR_LOG_VIEW (view))));
}

/* The Logboek's list of decisions comes from a worker thread: the view
 * says it is loading, then shows the count; a change in the store keeps
 * the rows shown until the new list is in. Closing the view meanwhile
 * drops the list. */
static void
test_log_loads_in_background (RrFixture *fx, gconstpointer data)
{
  g_autofree char *a = record (fx, "km1", rr_test_applied_input ());
  g_autofree char *b = NULL;
  GtkWidget *view = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  RrDecisionListModel *model = rr_log_view_get_model (RR_LOG_VIEW (view));
  GtkLabel *count = rr_ui_child (view, RR_TYPE_LOG_VIEW, "count_label");
  GtkWindow *window;
  GtkWidget *other;

  g_assert_true (rr_decision_list_model_is_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (count), ==, "Loading decisions…");
  window = rr_ui_show (view);
  g_assert_cmpuint (n_items (view), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 decision");

  b = record (fx, "km1", rr_test_deviation_input ());
  g_assert_true (rr_decision_list_model_is_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpuint (n_items (view), ==, 2);
  g_assert_cmpstr (gtk_label_get_text (count), ==, "2 decisions");
  finish (window, view);

  other = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  g_assert_true (rr_decision_list_model_is_loading (rr_log_view_get_model (RR_LOG_VIEW (other))));
  g_assert_finalize_object (other);
  rr_ui_wait (300);
}

static void
test_log_filter_search (RrFixture *fx, gconstpointer data)
{
  g_autofree char *a = record (fx, "km1", rr_test_applied_input ());
  g_autofree char *b = record (fx, "km1", rr_test_applied_input ());
  g_autofree char *c = record (fx, "km1", rr_test_deviation_input ());
  GtkWidget *view = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_LOG_VIEW;
  GtkWidget *search = rr_ui_child (view, t, "search_entry");
  g_autoptr(RrDecisionItem) first = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_items (view), ==, 3);
  g_assert_nonnull (strstr (gtk_label_get_text (rr_ui_child (view, t, "count_label")), "3"));

  gtk_drop_down_set_selected (rr_ui_child (view, t, "outcome_dropdown"), 2);
  g_assert_cmpuint (n_items (view), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (rr_log_view_get_model (RR_LOG_VIEW (view))), 0);
  g_assert_cmpstr (rr_decision_item_get_row (first)->number, ==, c);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "outcome_dropdown"), 1);
  g_assert_cmpuint (n_items (view), ==, 2);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "outcome_dropdown"), 0);

  gtk_editable_set_text (GTK_EDITABLE (search), "huisuitzetting");
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpuint (n_items (view), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpuint (n_items (view), ==, 3);

  /* Withdrawn ones are found under their status; the list follows the store. */
  rr_decisions_withdraw (fx->store, "km1", a, "Dubbel vastgelegd", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (view), ==, 3);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "status_dropdown"), 3);
  g_assert_cmpuint (n_items (view), ==, 1);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "status_dropdown"), 0);

  /* Sorting by number, low to high, puts the first one first. */
  gtk_drop_down_set_selected (rr_ui_child (view, t, "sort_dropdown"), 3);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (rr_log_view_get_model (RR_LOG_VIEW (view))), 0);
  g_assert_cmpstr (rr_decision_item_get_row (first)->number, ==, a);

  /* Opening one shows its details. */
  wait_log (view);
  rr_log_view_select (RR_LOG_VIEW (view), 0);
  rr_ui_pump ();
  g_assert_nonnull (gtk_widget_get_first_child (rr_ui_child (view, t, "detail_box")));
  finish (window, view);
  (void) b;
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_log_withdraw (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_applied_input ());
  g_autoptr(RrDecision) decision = NULL;
  GtkWidget *view = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);
  GtkWidget *detail = rr_ui_child (view, RR_TYPE_LOG_VIEW, "detail_box");
  GtkWidget *entry;
  GtkWidget *button;

  wait_log (view);
  rr_log_view_select (RR_LOG_VIEW (view), 0);
  entry = find_descendant (detail, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  button = find_descendant (gtk_widget_get_parent (entry), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);

  /* Without a reason the core refuses, and says so in the pane. */
  g_signal_emit_by_name (button, "clicked");
  decision = rr_decisions_get (fx->store, "km1", number, 0, NULL);
  g_assert_cmpint (decision->status, ==, RR_STATUS_RECORDED);
  g_clear_pointer (&decision, rr_decision_free);

  entry = find_descendant (detail, GTK_TYPE_ENTRY);
  button = find_descendant (gtk_widget_get_parent (entry), GTK_TYPE_BUTTON);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Dubbel vastgelegd");
  g_signal_emit_by_name (button, "clicked");
  rr_ui_pump ();
  decision = rr_decisions_get (fx->store, "km1", number, 0, NULL);
  g_assert_cmpint (decision->status, ==, RR_STATUS_WITHDRAWN);
  g_assert_cmpstr (decision->withdrawn_reason, ==, "Dubbel vastgelegd");
  /* A withdrawn decision offers no second withdrawal. */
  wait_log (view);
  rr_log_view_select (RR_LOG_VIEW (view), 0);
  g_assert_null (find_descendant (detail, GTK_TYPE_ENTRY));
  finish (window, view);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* Questions from the teamleider, answered with a new version through the
 * whole window: log → editor → record. */
static void
test_new_version (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_deviation_input ());
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecision) decision = NULL;
  RrWindow *window;
  GtkWidget *log;
  GtkWidget *editor;
  GtkWidget *button;

  rr_reviews_verdict (fx->store, "tl1", number, RR_VERDICT_VRAGEN, "Is budgetbeheer overwogen?",
                      &error);
  g_assert_no_error (error);

  window = rr_window_new (NULL, fx->store, "km1");
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  rr_ui_pump ();
  rr_window_show_view (window, "log");
  log = rr_window_get_page (window, "log");
  editor = rr_window_get_page (window, "record");
  wait_log (log);
  rr_log_view_select (RR_LOG_VIEW (log), 0);
  button = find_button (log, _("Record a New _Version…"));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (rr_window_get_view (window), ==, "record");
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR,
                                                        "summary_entry")), ==,
                   "Geen verlaging bij dreigende huisuitzetting");
  g_assert_true (gtk_widget_get_visible (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR,
                                                      "version_label")));
  rr_ui_set_text_view (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR, "explanation_view"),
                       "Budgetbeheer is overwogen maar lost de huurachterstand niet op; "
                       "verlagen zou de huisuitzetting zeker maken.");
  g_assert_true (rr_decision_editor_record (RR_DECISION_EDITOR (editor)));

  decision = rr_decisions_get (fx->store, "km1", number, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decision->version, ==, 2);
  g_assert_nonnull (strstr (decision->input->explanation, "Budgetbeheer is overwogen"));
  /* The form is back to a new decision. */
  g_assert_false (gtk_widget_get_visible (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR,
                                                       "version_label")));
  gtk_window_destroy (GTK_WINDOW (window));
  rr_ui_pump ();
  g_assert_finalize_object (window);
}

static void
test_log_paging (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionListModel) model = NULL;
  g_autoptr(GObject) item = NULL;

  for (guint i = 0; i < RR_DECISION_LIST_PAGE_SIZE + 5; i++)
    g_free (record (fx, "km1", rr_test_applied_input ()));
  model = rr_decision_list_model_new (fx->store, "km1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    RR_DECISION_LIST_PAGE_SIZE + 5);
  /* Counting fetches no rows; one item fetches one page; the same page again none. */
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), ==, 0);
  item = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_true (RR_IS_DECISION_ITEM (item));
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 7);
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), ==, 1);
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), RR_DECISION_LIST_PAGE_SIZE + 4);
  g_assert_nonnull (item);
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), ==, 2);
  g_clear_object (&item);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), RR_DECISION_LIST_PAGE_SIZE + 5));
}

/* A demo database of a few thousand decisions, and an auditor who sees
 * them all. */
#define DEMO_DECISIONS 4000

static void
demo_setup (RrFixture     *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rr_fixture_open (fx);
  rr_store_initialise (fx->store, "beheer", "Bea Beheer", "Gemeente Test", "Team Noord", &error);
  g_assert_no_error (error);
  g_assert_true (rr_demo_generate (fx->store, DEMO_DECISIONS, 5, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  rr_users_add (fx->store, "beheer", "aud", "Anna Uden", "Team Noord", RR_ROLE_AUDITOR, &error);
  g_assert_no_error (error);
}

static void
assert_rows_equal (const RrDecisionRow *a,
                   const RrDecisionRow *b)
{
  g_assert_cmpint (a->id, ==, b->id);
  g_assert_cmpstr (a->number, ==, b->number);
  g_assert_cmpint (a->version, ==, b->version);
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpstr (a->decision_date, ==, b->decision_date);
  g_assert_cmpstr (a->client_dossier, ==, b->client_dossier);
  g_assert_cmpstr (a->client_name, ==, b->client_name);
  g_assert_cmpstr (a->author_login, ==, b->author_login);
  g_assert_cmpstr (a->rule_code, ==, b->rule_code);
  g_assert_cmpstr (a->kind, ==, b->kind);
  g_assert_cmpint (a->outcome, ==, b->outcome);
  g_assert_cmpstr (a->summary, ==, b->summary);
  g_assert_cmpint (a->review_state, ==, b->review_state);
  g_assert_cmpint (a->verdict, ==, b->verdict);
  g_assert_cmpint (a->effect, ==, b->effect);
  g_assert_cmpstr (a->follow_up, ==, b->follow_up);
  g_assert_cmpint (a->within_mandate, ==, b->within_mandate);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

/* The model keeps at most its bound of pages however far it is walked;
 * items handed out outlive their page, and a page fetched again holds
 * the same rows. */
static void
test_log_paging_bounded (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionListModel) model = rr_decision_list_model_new (fx->store, "aud");
  GListModel *list = G_LIST_MODEL (model);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
  guint n, n_pages, changes = 0;
  guint max_pages = 3;

  g_assert_null (rr_decision_list_model_get_error (model));
  g_assert_cmpuint (rr_decision_list_model_get_max_pages (model), ==,
                    RR_DECISION_LIST_MAX_PAGES);
  n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, >=, DEMO_DECISIONS * 9 / 10);
  n_pages = (n + RR_DECISION_LIST_PAGE_SIZE - 1) / RR_DECISION_LIST_PAGE_SIZE;
  g_assert_cmpuint (n_pages, >=, 10 * max_pages);
  rr_decision_list_model_set_max_pages (model, max_pages);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Walk it all in order, holding every item. */
  for (guint i = 0; i < n; i++)
    {
      RrDecisionItem *item = g_list_model_get_item (list, i);

      g_assert_true (RR_IS_DECISION_ITEM (item));
      g_ptr_array_add (held, item);
      g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), <=, max_pages);
    }
  g_assert_null (g_list_model_get_item (list, n));
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), ==, max_pages);
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), ==, n_pages);
  /* Dropping pages is no change to the list. */
  g_assert_cmpuint (changes, ==, 0);

  /* Walk it again, backwards and then by jumps: the pages dropped are
   * fetched again, into items equal to those still held from before. */
  for (guint i = n; i-- > 0;)
    {
      g_autoptr(RrDecisionItem) item = g_list_model_get_item (list, i);

      assert_rows_equal (rr_decision_item_get_row (item),
                         rr_decision_item_get_row (held->pdata[i]));
      g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), <=, max_pages);
    }
  for (guint k = 0; k < 4 * n_pages; k++)
    {
      guint i = (k * 7919u) % n;
      RrDecisionItem *item = g_list_model_get_item (list, i);

      assert_rows_equal (rr_decision_item_get_row (item),
                         rr_decision_item_get_row (held->pdata[i]));
      g_ptr_array_add (again, item);
      g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), <=, max_pages);
    }
  /* The pages used last stay: the same page asked again fetches nothing. */
  {
    g_autoptr(GObject) a = g_list_model_get_item (list, 0);
    guint fetched = rr_decision_list_model_get_n_pages_fetched (model);
    g_autoptr(GObject) b = g_list_model_get_item (list, 1);
    g_autoptr(GObject) c = g_list_model_get_item (list, 0);

    g_assert_true (a != b);
    g_assert_true (a == c);
    g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), ==, fetched);
  }

  /* Shrinking the bound drops pages at once; a reload drops them all. */
  rr_decision_list_model_set_max_pages (model, 1);
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), ==, 1);
  rr_decision_list_model_reload (model);
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), ==, 0);
  g_assert_cmpuint (changes, ==, 1);

  /* What the test holds is still whole, its page long gone; it dies with
   * the last reference, the model's or not. */
  g_clear_object (&model);
  for (guint i = 0; i < held->len; i++)
    {
      const RrDecisionRow *row = rr_decision_item_get_row (held->pdata[i]);

      g_assert_nonnull (row->number);
      g_assert_cmpuint (G_OBJECT (held->pdata[i])->ref_count, ==, 1);
    }
  for (guint i = 0; i < again->len; i++)
    g_assert_cmpuint (G_OBJECT (again->pdata[i])->ref_count, ==, 1);
  while (held->len > 0)
    g_assert_finalize_object (g_ptr_array_steal_index (held, held->len - 1));
}

/* The Logboek's column view scrolled through a model that keeps two
 * pages: the rows it shows stay whole while the model drops their pages. */
static void
test_log_view_bounded (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_log_view_new (fx->store, "aud"));
  RrDecisionListModel *model = rr_log_view_get_model (RR_LOG_VIEW (view));
  GtkWindow *window;
  GtkWidget *column_view;
  GtkAdjustment *adjustment;
  guint fetched;

  rr_decision_list_model_set_max_pages (model, 2);
  window = rr_ui_show (view);
  wait_log (view);
  column_view = GTK_WIDGET (rr_ui_child (view, RR_TYPE_LOG_VIEW, "column_view"));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  for (guint i = 0; i < 50 && gtk_adjustment_get_page_size (adjustment) <= 0; i++)
    rr_ui_wait (20);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  fetched = rr_decision_list_model_get_n_pages_fetched (model);

  /* Down in big steps and back up: every frame draws rows of items whose
   * pages may be gone. */
  for (int pass = 0; pass < 2; pass++)
    for (guint step = 0; step <= 20; step++)
      {
        double upper = gtk_adjustment_get_upper (adjustment);
        double page = gtk_adjustment_get_page_size (adjustment);
        double at = (upper - page) * (pass == 0 ? step : 20 - step) / 20.0;

        gtk_adjustment_set_value (adjustment, at);
        rr_ui_wait (10);
        g_assert_cmpuint (rr_decision_list_model_get_n_pages_resident (model), <=, 2);
      }
  g_assert_cmpuint (rr_decision_list_model_get_n_pages_fetched (model), >, fetched + 10);
  finish (window, view);
}

/* The caseload comes from a worker thread: run the main loop until it is
 * in (or give up after ten seconds). */
static void
wait_caseload (RrCaseloadView *view)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rr_caseload_view_is_loading (view) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rr_caseload_view_is_loading (view));
  rr_ui_pump ();
}

static void
test_caseload (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_applied_input ());
  GtkWidget *view = g_object_ref_sink (rr_caseload_view_new (fx->store, "km1"));
  GtkWindow *window;

  /* Nothing is listed before the worker's answer is in. */
  g_assert_true (rr_caseload_view_is_loading (RR_CASELOAD_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, RR_TYPE_CASELOAD_VIEW,
                                                      "loading_box")));
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 0);
  window = rr_ui_show (view);
  wait_caseload (RR_CASELOAD_VIEW (view));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, RR_TYPE_CASELOAD_VIEW,
                                                       "loading_box")));
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 1);
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, RR_TYPE_CASELOAD_VIEW,
                                                       "more_button")));
  rr_caseload_view_select (RR_CASELOAD_VIEW (view), 0);
  g_assert_nonnull (gtk_widget_get_first_child (rr_ui_child (view, RR_TYPE_CASELOAD_VIEW,
                                                             "detail_box")));
  finish (window, view);
}

/* A large caseload is listed a page at a time, in the core's order; a
 * client from a later page shows its own timeline. */
static void
test_caseload_pages (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_CASELOAD_VIEW;
  GtkWidget *more;
  GtkWidget *title;
  RrClient *last;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *dossier = g_strdup_printf ("D-1%u", i);
      g_autofree char *name = g_strdup_printf ("Klant %u", i);

      g_assert_true (rr_clients_add (fx->store, "km1", dossier, name, NULL, &error));
      g_assert_no_error (error);
    }
  clients = rr_clients_list (fx->store, "km1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 5);

  view = g_object_ref_sink (rr_caseload_view_new (fx->store, "km1"));
  rr_caseload_view_set_page_size (RR_CASELOAD_VIEW (view), 2);
  rr_caseload_view_reload (RR_CASELOAD_VIEW (view));
  window = rr_ui_show (view);
  more = rr_ui_child (view, t, "more_button");
  wait_caseload (RR_CASELOAD_VIEW (view));
  g_assert_cmpuint (rr_caseload_view_get_n_clients (RR_CASELOAD_VIEW (view)), ==, 5);
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 2);
  g_assert_true (gtk_widget_get_visible (more));
  g_signal_emit_by_name (more, "clicked");
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 4);
  g_signal_emit_by_name (more, "clicked");
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 5);
  g_assert_false (gtk_widget_get_visible (more));

  rr_caseload_view_select (RR_CASELOAD_VIEW (view), 4);
  last = g_ptr_array_index (clients, 4);
  title = gtk_widget_get_first_child (rr_ui_child (view, t, "detail_box"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (title)), last->dossier));

  /* A change in the store lists the caseload again from its first page. */
  g_assert_true (rr_clients_add (fx->store, "km1", "D-20", "Klant 20", NULL, &error));
  g_assert_no_error (error);
  wait_caseload (RR_CASELOAD_VIEW (view));
  g_assert_cmpuint (rr_caseload_view_get_n_clients (RR_CASELOAD_VIEW (view)), ==, 6);
  g_assert_cmpuint (rr_caseload_view_get_n_rows (RR_CASELOAD_VIEW (view)), ==, 2);
  finish (window, view);
}

/* Closing the view while the caseload is on its way drops it. */
static void
test_caseload_closed_while_loading (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_caseload_view_new (fx->store, "km1"));
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  g_assert_true (rr_caseload_view_is_loading (RR_CASELOAD_VIEW (view)));
  gtk_window_set_child (window, view);
  gtk_window_destroy (window);
  g_assert_finalize_object (view);
  rr_ui_wait (300);
}

static void
test_reflection (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reflections_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REFLECTIONS_VIEW;
  GtkLabel *message = rr_ui_child (view, t, "message_label");
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *body = NULL;

  /* No title: refused, and the text stays. */
  rr_ui_set_text_view (rr_ui_child (view, t, "body_view"), "Het gesprek liep vast op geld.");
  g_signal_emit_by_name (rr_ui_child (view, t, "save_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-refusal"));
  body = rr_ui_get_text_view (rr_ui_child (view, t, "body_view"));
  g_assert_cmpstr (body, ==, "Het gesprek liep vast op geld.");
  list = rr_reflections_list (fx->store, "km1", NULL);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  gtk_editable_set_text (rr_ui_child (view, t, "title_entry"), "Hittemoment bij de balie");
  gtk_drop_down_set_selected (rr_ui_child (view, t, "kind_dropdown"), 1);
  gtk_check_button_set_active (rr_ui_child (view, t, "shared_check"), TRUE);
  g_signal_emit_by_name (rr_ui_child (view, t, "save_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-success"));
  list = rr_reflections_list (fx->store, "km1", NULL);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((RrReflection *) list->pdata[0])->title, ==, "Hittemoment bij de balie");
  g_assert_cmpint (((RrReflection *) list->pdata[0])->kind, ==, RR_REFLECTION_HITTEMOMENT);
  g_assert_true (((RrReflection *) list->pdata[0])->shared);
  g_assert_cmpuint (rr_reflections_view_get_n_rows (RR_REFLECTIONS_VIEW (view)), ==, 1);
  finish (window, view);

  /* A team mate reads it, but cannot change it. */
  view = g_object_ref_sink (rr_reflections_view_new (fx->store, "km2"));
  window = rr_ui_show (view);
  g_assert_cmpuint (rr_reflections_view_get_n_rows (RR_REFLECTIONS_VIEW (view)), ==, 1);
  rr_reflections_view_select (RR_REFLECTIONS_VIEW (view), 0);
  g_assert_false (gtk_widget_get_sensitive (rr_ui_child (view, t, "save_button")));
  finish (window, view);
}

static void
test_admin (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_admin_view_new (fx->store, "beheer"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_ADMIN_VIEW;
  g_autoptr(GPtrArray) users = rr_users_list (fx->store, NULL);
  g_autoptr(RrUser) km1 = NULL;
  g_autoptr(RrUser) added = NULL;
  int index = -1;

  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (((RrUser *) users->pdata[i])->login, "km1") == 0)
      index = (int) i;
  g_assert_cmpint (index, >=, 0);
  rr_admin_view_select (RR_ADMIN_VIEW (view), index);
  g_assert_false (gtk_check_button_get_active (rr_ui_child (view, t, "teamleider_check")));
  gtk_check_button_set_active (rr_ui_child (view, t, "teamleider_check"), TRUE);
  km1 = rr_users_lookup (fx->store, "km1", NULL);
  g_assert_true (km1->roles & RR_ROLE_TEAMLEIDER);
  g_assert_true (km1->roles & RR_ROLE_KLANTMANAGER);
  /* The same user stays selected, showing the new role. */
  g_assert_true (gtk_check_button_get_active (rr_ui_child (view, t, "teamleider_check")));

  gtk_editable_set_text (rr_ui_child (view, t, "login_entry"), "km9");
  gtk_editable_set_text (rr_ui_child (view, t, "name_entry"), "Nina Nieuw");
  g_signal_emit_by_name (rr_ui_child (view, t, "add_button"), "clicked");
  added = rr_users_lookup (fx->store, "km9", NULL);
  g_assert_nonnull (added);
  g_assert_cmpstr (added->team, ==, "Team Noord");
  g_assert_true (added->roles & RR_ROLE_KLANTMANAGER);
  finish (window, view);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if ((found = find_named (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static const RrMandate *
find_mandate (GPtrArray  *mandate,
              RrRoles     role,
              const char *kind)
{
  for (guint i = 0; i < mandate->len; i++)
    {
      const RrMandate *m = g_ptr_array_index (mandate, i);

      if (m->role == role && g_strcmp0 (m->kind, kind) == 0)
        return m;
    }
  return NULL;
}

static const RrMandate *
get_mandate (GPtrArray  *mandate,
             RrRoles     role,
             const char *kind)
{
  const RrMandate *m = find_mandate (mandate, role, kind);

  if (m == NULL)
    g_error ("No mandate row for %s", kind);
  return m;
}

/* A beheerder adds a kader domain and a kind of discretion, renames a
 * domain and gives the new kind its mandate, all through the widgets;
 * the database says what the core made of it. */
static void
test_admin_vocab_mandate (RrFixture *fx, gconstpointer data)
{
  /* The beheerder is klantmanager too: the form already open follows. */
  GtkWidget *editor = g_object_ref_sink (rr_decision_editor_new (fx->store, "beheer"));
  GtkWidget *view = g_object_ref_sink (rr_admin_view_new (fx->store, "beheer"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_ADMIN_VIEW;
  GtkLabel *domain_message = rr_ui_child (view, t, "domain_message");
  GtkLabel *kind_message = rr_ui_child (view, t, "kind_message");
  GtkLabel *mandate_message = rr_ui_child (view, t, "mandate_message");
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *dropdown;
  g_autoptr(GPtrArray) mandate = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autofree char *label = NULL;
  const RrMandate *m;

  gtk_editable_set_text (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR, "summary_entry"),
                         "Half getypt");
  gtk_stack_set_visible_child_name (rr_ui_child (view, t, "stack"), "terms");
  rr_ui_pump ();

  /* The code follows the label. */
  gtk_editable_set_text (rr_ui_child (view, t, "domain_label_entry"), "Financiële zelfredzaamheid");
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "domain_code_entry")), ==,
                   "financiele-zelfredzaamheid");
  g_signal_emit_by_name (rr_ui_child (view, t, "domain_add_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (domain_message), "rr-success"));
  g_assert_true (rr_vocab_contains (fx->store, RR_VOCAB_DOMAIN, "financiele-zelfredzaamheid"));
  label = rr_vocab_label (fx->store, RR_VOCAB_DOMAIN, "financiele-zelfredzaamheid");
  g_assert_cmpstr (label, ==, "Financiële zelfredzaamheid");
  g_clear_pointer (&label, g_free);
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "domain_label_entry")), ==, "");
  g_assert_nonnull (find_named (rr_ui_child (view, t, "domain_list"), "financiele-zelfredzaamheid"));

  /* The same code again: refused in plain words, and the typing stays. */
  gtk_editable_set_text (rr_ui_child (view, t, "domain_label_entry"), "Financiële zelfredzaamheid");
  g_signal_emit_by_name (rr_ui_child (view, t, "domain_label_entry"), "activate");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (domain_message)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (domain_message), "rr-refusal"));
  g_assert_nonnull (strstr (gtk_label_get_text (domain_message), "financiele-zelfredzaamheid"));
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "domain_label_entry")), ==,
                   "Financiële zelfredzaamheid");

  /* A kind with a code of one's own. */
  gtk_editable_set_text (rr_ui_child (view, t, "kind_code_entry"), "schuldhulp");
  gtk_editable_set_text (rr_ui_child (view, t, "kind_label_entry"), "Schuldhulpverlening inzetten");
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "kind_code_entry")), ==,
                   "schuldhulp");
  g_signal_emit_by_name (rr_ui_child (view, t, "kind_add_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (kind_message), "rr-success"));
  kinds = rr_vocab_list (fx->store, RR_VOCAB_KIND, NULL);
  g_assert_cmpuint (kinds->len, ==, 10);
  g_assert_cmpstr (((RrTerm *) kinds->pdata[9])->code, ==, "schuldhulp");
  g_assert_cmpstr (((RrTerm *) kinds->pdata[9])->label, ==, "Schuldhulpverlening inzetten");
  {
    GListModel *offered = gtk_drop_down_get_model (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR,
                                                                "kind_dropdown"));
    g_autoptr(GtkStringObject) last = g_list_model_get_item (offered, 9);

    g_assert_cmpuint (g_list_model_get_n_items (offered), ==, 10);
    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "Schuldhulpverlening inzetten");
    /* What was typed in the form stays. */
    g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (editor, RR_TYPE_DECISION_EDITOR,
                                                         "summary_entry")), ==, "Half getypt");
  }

  /* Renaming a built-in domain keeps its code. */
  row = find_named (rr_ui_child (view, t, "domain_list"), "plan");
  g_assert_nonnull (row);
  entry = find_descendant (row, GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (find_button (row, _("Rename")), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (domain_message), "rr-refusal"));
  label = rr_vocab_label (fx->store, RR_VOCAB_DOMAIN, "plan");
  g_assert_cmpstr (label, ==, "Plan, quality and safety");
  g_clear_pointer (&label, g_free);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Plan van aanpak en veiligheid");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (domain_message), "rr-success"));
  label = rr_vocab_label (fx->store, RR_VOCAB_DOMAIN, "plan");
  g_assert_cmpstr (label, ==, "Plan van aanpak en veiligheid");

  /* The new kind has no mandate yet: the table shows it as needing approval. */
  gtk_stack_set_visible_child_name (rr_ui_child (view, t, "stack"), "mandate");
  rr_ui_pump ();
  row = find_named (rr_ui_child (view, t, "mandate_list"), "schuldhulp");
  g_assert_nonnull (row);
  dropdown = find_descendant (row, GTK_TYPE_DROP_DOWN);
  entry = find_descendant (row, GTK_TYPE_ENTRY);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (entry));

  /* Decides alone up to € 1.500; first a typing slip, refused and kept. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  g_assert_true (gtk_widget_get_sensitive (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "1500 euro");
  g_signal_emit_by_name (find_button (row, _("Save")), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (mandate_message), "rr-refusal"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "1500 euro");
  mandate = rr_mandate_list (fx->store, NULL);
  g_assert_null (find_mandate (mandate, RR_ROLE_KLANTMANAGER, "schuldhulp"));
  g_clear_pointer (&mandate, g_ptr_array_unref);

  gtk_editable_set_text (GTK_EDITABLE (entry), "1.500");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (mandate_message), "rr-success"));
  mandate = rr_mandate_list (fx->store, NULL);
  m = get_mandate (mandate, RR_ROLE_KLANTMANAGER, "schuldhulp");
  g_assert_true (m->alone);
  g_assert_cmpint (m->max_amount_cents, ==, 150000);
  g_clear_pointer (&mandate, g_ptr_array_unref);

  /* The teamleider's row for the same kind: approval by the teamleider
   * is not asked of themselves, so they decide alone, for any amount. */
  gtk_drop_down_set_selected (rr_ui_child (view, t, "role_dropdown"), 1);
  rr_ui_pump ();
  row = find_named (rr_ui_child (view, t, "mandate_list"), "claim");
  g_assert_nonnull (row);
  dropdown = find_descendant (row, GTK_TYPE_DROP_DOWN);
  entry = find_descendant (row, GTK_TYPE_ENTRY);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "10000,50");
  g_signal_emit_by_name (find_button (row, _("Save")), "clicked");
  mandate = rr_mandate_list (fx->store, NULL);
  m = get_mandate (mandate, RR_ROLE_TEAMLEIDER, "claim");
  g_assert_true (m->alone);
  g_assert_cmpint (m->max_amount_cents, ==, 1000050);
  /* The klantmanager's row for claims is untouched. */
  m = get_mandate (mandate, RR_ROLE_KLANTMANAGER, "claim");
  g_assert_cmpint (m->max_amount_cents, ==, 250000);
  g_clear_pointer (&mandate, g_ptr_array_unref);

  /* Keyboard users reach every control: the rows' controls are focusable
   * and named. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Highest amount in euros for “Granting or refusing a claim”");
  g_assert_true (gtk_widget_grab_focus (entry));
  finish (window, view);
  g_assert_finalize_object (editor);
}

/* The view refuses nothing itself: a colleague without the beheerder role
 * who somehow reached it is refused by the core, and keeps the typing. */
static void
test_admin_refused (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_admin_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_ADMIN_VIEW;
  GtkLabel *message = rr_ui_child (view, t, "kind_message");

  gtk_editable_set_text (rr_ui_child (view, t, "kind_label_entry"), "Eigen soort");
  g_signal_emit_by_name (rr_ui_child (view, t, "kind_add_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-refusal"));
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "kind_label_entry")), ==,
                   "Eigen soort");
  g_assert_false (rr_vocab_contains (fx->store, RR_VOCAB_KIND, "eigen-soort"));
  finish (window, view);
}

static gboolean
window_has_page (RrFixture  *fx,
                 const char *login,
                 const char *name)
{
  RrWindow *window = rr_window_new (NULL, fx->store, login);
  gboolean found;

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  rr_ui_pump ();
  found = rr_window_get_page (window, name) != NULL;
  gtk_window_destroy (GTK_WINDOW (window));
  rr_ui_pump ();
  g_assert_finalize_object (window);
  return found;
}

/* The labels in @widget whose text holds @part. */
static guint
count_labels (GtkWidget  *widget,
              const char *part)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, part);
  return n;
}

/* With hundreds of users the list makes rows for those in sight only, and
 * still lists them all: the last one can be scrolled to, chosen as a click
 * chooses (the list's own select-item action) and shown with its roles. */
static void
test_admin_many_users (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_ADMIN_VIEW;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *list;
  const RrUser *last;
  g_autofree char *title = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *login = g_strdup_printf ("mw%03u", i);
      g_autofree char *name = g_strdup_printf ("Medewerker %03u", i);

      rr_users_add (fx->store, "beheer", login, name, "Team Zuid",
                    i == 299 ? RR_ROLE_AUDITOR : RR_ROLE_KLANTMANAGER, &error);
      g_assert_no_error (error);
    }
  users = rr_users_list (fx->store, &error);
  g_assert_no_error (error);
  view = g_object_ref_sink (rr_admin_view_new (fx->store, "beheer"));
  window = rr_ui_show (view);
  list = rr_ui_child (view, t, "list");
  g_assert_cmpuint (rr_admin_view_get_n_rows (RR_ADMIN_VIEW (view)), ==, users->len);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)))),
                    ==, users->len);
  /* Some rows show, far from all 300. */
  g_assert_cmpuint (count_labels (list, "Medewerker"), >, 0);
  g_assert_cmpuint (count_labels (list, "Medewerker"), <, 250);

  last = g_ptr_array_index (users, users->len - 1);
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", users->len - 1);
  gtk_widget_activate_action (list, "list.select-item", "(ubb)", users->len - 1, FALSE, FALSE);
  rr_ui_wait (100);
  title = g_strdup_printf ("%s · %s", last->display_name, last->login);
  g_assert_cmpuint (count_labels (rr_ui_child (view, t, "detail_box"), title), ==, 1);
  g_assert_cmpuint (count_labels (list, last->display_name), ==, 1);
  g_assert_cmpint (gtk_check_button_get_active (rr_ui_child (view, t, "auditor_check")), ==,
                   (last->roles & RR_ROLE_AUDITOR) != 0);
  g_assert_cmpint (gtk_check_button_get_active (rr_ui_child (view, t, "klantmanager_check")), ==,
                   (last->roles & RR_ROLE_KLANTMANAGER) != 0);
  finish (window, view);
}

static void
test_admin_only_beheerder (RrFixture *fx, gconstpointer data)
{
  g_assert_true (window_has_page (fx, "beheer", "admin"));
  g_assert_false (window_has_page (fx, "km1", "admin"));
  g_assert_false (window_has_page (fx, "tl1", "admin"));
  g_assert_false (window_has_page (fx, "aud", "admin"));
}

static char *
record_on (RrFixture  *fx,
           const char *date,
           gboolean    deviated)
{
  RrDecisionInput *in = deviated ? rr_test_deviation_input () : rr_test_applied_input ();

  in->decision_date = g_strdup (date);
  return record (fx, "km1", in);
}

/* A hand-built year: the period narrows the list to what lies within it,
 * both ends included, together with the other filters. */
static void
test_log_period (RrFixture *fx, gconstpointer data)
{
  const char *dates[] = { "2025-01-15", "2025-02-10", "2025-03-05", "2025-03-20", "2025-04-02" };
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_LOG_VIEW;
  GtkWidget *from;
  GtkWidget *to;
  GtkLabel *count;

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    g_free (record_on (fx, dates[i], i == 2));
  view = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  window = rr_ui_show (view);
  from = rr_ui_child (view, t, "from_entry");
  to = rr_ui_child (view, t, "to_entry");
  count = rr_ui_child (view, t, "count_label");
  g_assert_cmpuint (n_items (view), ==, 5);

  gtk_editable_set_text (GTK_EDITABLE (from), "2025-02-01");
  g_assert_cmpuint (n_items (view), ==, 4);
  gtk_editable_set_text (GTK_EDITABLE (to), "2025-03-31");
  g_assert_cmpuint (n_items (view), ==, 3);
  g_assert_nonnull (strstr (gtk_label_get_text (count), "3"));
  g_assert_cmpstr (rr_decision_list_model_get_filter (rr_log_view_get_model (RR_LOG_VIEW (view)))->from,
                   ==, "2025-02-01");

  /* Both ends count. */
  gtk_editable_set_text (GTK_EDITABLE (from), "2025-03-05");
  g_assert_cmpuint (n_items (view), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (to), "2025-03-05");
  g_assert_cmpuint (n_items (view), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (to), "2025-03-31");

  /* The Dutch way of writing a date is read too. */
  gtk_editable_set_text (GTK_EDITABLE (from), "10-2-2025");
  g_assert_cmpuint (n_items (view), ==, 3);

  /* With the outcome filter: only the one deviation. */
  gtk_drop_down_set_selected (rr_ui_child (view, t, "outcome_dropdown"), 2);
  g_assert_cmpuint (n_items (view), ==, 1);
  gtk_drop_down_set_selected (rr_ui_child (view, t, "outcome_dropdown"), 0);
  g_assert_cmpuint (n_items (view), ==, 3);

  /* A slip of the keyboard: the list stays as it was; on Enter it says why. */
  {
    int position = -1;

    gtk_editable_set_position (GTK_EDITABLE (from), -1);
    position = gtk_editable_get_position (GTK_EDITABLE (from));
    gtk_editable_insert_text (GTK_EDITABLE (from), "7", -1, &position);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (from)), ==, "10-2-20257");
  g_assert_cmpuint (n_items (view), ==, 3);
  g_assert_false (gtk_widget_has_css_class (from, "error"));
  g_signal_emit_by_name (from, "activate");
  g_assert_true (gtk_widget_has_css_class (from, "error"));
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "period_message")));
  g_assert_nonnull (strstr (gtk_label_get_text (rr_ui_child (view, t, "period_message")),
                            "10-2-20257"));
  g_assert_cmpuint (n_items (view), ==, 3);

  /* Empty ends are open ends. */
  gtk_editable_set_text (GTK_EDITABLE (from), "");
  g_assert_false (gtk_widget_has_css_class (from, "error"));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "period_message")));
  g_assert_cmpuint (n_items (view), ==, 4);
  gtk_editable_set_text (GTK_EDITABLE (to), "");
  g_assert_cmpuint (n_items (view), ==, 5);
  g_assert_nonnull (strstr (gtk_label_get_text (count), "5"));
  finish (window, view);
}

static guint
string_index (GtkDropDown *dropdown,
              const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

/* The author asks a colleague's advice from the log; the colleague finds
 * it in Toetsing, and the author sees it under what they asked. */
static void
test_ask_advice (RrFixture *fx, gconstpointer data)
{
  g_autofree char *number = record (fx, "km1", rr_test_deviation_input ());
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *log = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (log);
  GtkWidget *detail = rr_ui_child (log, RR_TYPE_LOG_VIEW, "detail_box");
  GtkWidget *dropdown;
  GtkWidget *entry;
  GtkWidget *view;
  GtkListBox *asked_list;
  GtkLabel *shown = NULL;

  wait_log (log);
  rr_log_view_select (RR_LOG_VIEW (log), 0);
  rr_ui_pump ();
  dropdown = find_descendant (detail, GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (dropdown);
  /* Only the team's klantmanagers and teamleiders, never the author. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))),
                    ==, 3);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                              string_index (GTK_DROP_DOWN (dropdown), "Kees Maas"));
  entry = find_descendant (gtk_widget_get_parent (dropdown), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Zou jij ook afzien van verlaging?");
  g_signal_emit_by_name (find_button (detail, _("Ask _Advice")), "clicked");
  rr_ui_pump ();

  queue = rr_reviews_queue (fx->store, "km2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_true (((RrQueueItem *) queue->pdata[0])->advice_asked);
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[0])->number, ==, number);
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[0])->asked_by, ==, "km1");
  g_assert_cmpstr (((RrQueueItem *) queue->pdata[0])->question, ==,
                   "Zou jij ook afzien van verlaging?");
  /* The pane says so, and still offers asking someone else. */
  g_assert_nonnull (find_descendant (detail, GTK_TYPE_DROP_DOWN));
  finish (window, log);

  /* The colleague sees it waiting in Toetsing. */
  view = g_object_ref_sink (rr_review_view_new (fx->store, "km2"));
  window = rr_ui_show (view);
  g_assert_cmpuint (review_rows (view), ==, 1);
  g_assert_cmpuint (rr_review_view_get_n_asked (RR_REVIEW_VIEW (view)), ==, 0);
  wait_review (view);
  rr_review_view_select (RR_REVIEW_VIEW (view), 0);
  rr_ui_set_text_view (rr_ui_child (view, RR_TYPE_REVIEW_VIEW, "comment_view"),
                       "Ja, met een betalingsregeling erbij.");
  g_signal_emit_by_name (rr_ui_child (view, RR_TYPE_REVIEW_VIEW, "advice_button"), "clicked");
  g_assert_cmpuint (review_rows (view), ==, 0);
  finish (window, view);

  /* The author sees the request and its answer under "What You Asked". */
  asked = rr_reviews_asked (fx->store, "km1", &error);
  g_assert_cmpuint (asked->len, ==, 1);
  g_assert_true (((RrAdviceRequest *) asked->pdata[0])->answered);
  view = g_object_ref_sink (rr_review_view_new (fx->store, "km1"));
  window = rr_ui_show (view);
  g_assert_cmpuint (rr_review_view_get_n_asked (RR_REVIEW_VIEW (view)), ==, 1);
  asked_list = rr_ui_child (view, RR_TYPE_REVIEW_VIEW, "asked_list");
  for (GtkWidget *w = find_descendant (GTK_WIDGET (asked_list), GTK_TYPE_LABEL); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && strstr (gtk_label_get_text (GTK_LABEL (w)), "betalingsregeling") != NULL)
      shown = GTK_LABEL (w);
  g_assert_nonnull (shown);
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, RR_TYPE_REVIEW_VIEW,
                                                       "asked_empty_label")));
  finish (window, view);
}

/* Run with LANGUAGE=nl: the log's filters speak Dutch. */
static void
test_dutch (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GListModel *outcomes;
  g_autoptr(GtkStringObject) applied = NULL;
  g_autoptr(GtkStringObject) deviated = NULL;

  if (g_strcmp0 (g_getenv ("LANGUAGE"), "nl") != 0)
    {
      g_test_skip ("Only with LANGUAGE=nl");
      return;
    }
  view = g_object_ref_sink (rr_log_view_new (fx->store, "km1"));
  window = rr_ui_show (view);
  outcomes = gtk_drop_down_get_model (rr_ui_child (view, RR_TYPE_LOG_VIEW, "outcome_dropdown"));
  applied = g_list_model_get_item (outcomes, 1);
  deviated = g_list_model_get_item (outcomes, 2);
  g_assert_cmpstr (gtk_string_object_get_string (applied), ==, "Toegepast");
  g_assert_cmpstr (gtk_string_object_get_string (deviated), ==, "Afgeweken");
  finish (window, view);
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/rr/app-views/" path, RrFixture, NULL, rr_fixture_setup, func, \
              rr_fixture_teardown)
  ADD ("verdict", test_verdict);
  ADD ("review-pages", test_review_pages);
  ADD ("klantmanager-no-verdict", test_klantmanager_no_verdict);
  ADD ("advice", test_advice);
  ADD ("follow-up", test_follow_up);
  ADD ("follow-up-pages", test_follow_up_pages);
  ADD ("follow-up-closed-while-loading", test_follow_up_closed_while_loading);
  ADD ("log-filter-search", test_log_filter_search);
  ADD ("log-withdraw", test_log_withdraw);
  ADD ("new-version", test_new_version);
  ADD ("log-paging", test_log_paging);
  ADD ("log-loads-in-background", test_log_loads_in_background);
  ADD ("caseload", test_caseload);
  ADD ("caseload-pages", test_caseload_pages);
  ADD ("caseload-closed-while-loading", test_caseload_closed_while_loading);
  ADD ("reflection", test_reflection);
  ADD ("admin", test_admin);
  ADD ("admin-vocab-mandate", test_admin_vocab_mandate);
  ADD ("admin-refused", test_admin_refused);
  ADD ("admin-only-beheerder", test_admin_only_beheerder);
  ADD ("admin-many-users", test_admin_many_users);
  ADD ("log-period", test_log_period);
  ADD ("ask-advice", test_ask_advice);
  ADD ("dutch", test_dutch);
#undef ADD
  g_test_add ("/rr/app-views/log-paging-bounded", RrFixture, NULL, demo_setup,
              test_log_paging_bounded, rr_fixture_teardown);
  g_test_add ("/rr/app-views/log-view-bounded", RrFixture, NULL, demo_setup,
              test_log_view_bounded, rr_fixture_teardown);
  return g_test_run ();
}
