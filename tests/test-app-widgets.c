/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app-widgets"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-admin-view.h"
#include "rr-caseload-view.h"
#include "rr-decision-editor.h"
#include "rr-followup-view.h"
#include "rr-log-view.h"
#include "rr-reflections-view.h"
#include "rr-review-view.h"
#include "rr-rules-view.h"
#include "rr-window.h"
#include "rr-ui-test-util.h"

/* Every template widget: create, show, destroy, and nothing keeps it alive. */
static void
check_lifecycle (GtkWidget *widget)
{
  GtkWindow *window;

  g_object_ref_sink (widget);
  window = rr_ui_show (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  gtk_window_destroy (window);
  rr_ui_pump ();
  g_assert_finalize_object (widget);
}

static void
test_editor (RrFixture *fx, gconstpointer data)
{
  check_lifecycle (rr_decision_editor_new (fx->store, "km1"));
}

static void
test_log_view (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autofree char *number = rr_decisions_record (fx->store, "km1", in, NULL);
  GtkWidget *view;

  g_assert_nonnull (number);
  view = rr_log_view_new (fx->store, "aud");
  g_object_ref_sink (view);
  {
    GtkWindow *window = rr_ui_show (view);

    /* The detail pane too, which builds widgets in code: once the list,
     * which comes from a worker thread, is in. */
    while (rr_decision_list_model_is_loading (rr_log_view_get_model (RR_LOG_VIEW (view))))
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rr_log_view_get_model (
                                                  RR_LOG_VIEW (view)))), ==, 1);
    rr_log_view_select (RR_LOG_VIEW (view), 0);
    rr_ui_pump ();
    gtk_window_destroy (window);
    rr_ui_pump ();
  }
  g_assert_finalize_object (view);
}

static void
test_review_view (RrFixture *fx, gconstpointer data)
{
  check_lifecycle (rr_review_view_new (fx->store, "tl1"));
}

static void
test_followup_view (RrFixture *fx, gconstpointer data)
{
  check_lifecycle (rr_followup_view_new (fx->store, "km1"));
}

static void
test_caseload_view (RrFixture *fx, gconstpointer data)
{
  check_lifecycle (rr_caseload_view_new (fx->store, "km1"));
}

static void
test_rules_view (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = rr_rules_view_new (fx->store);

  g_assert_cmpuint (rr_rules_view_get_n_rows (RR_RULES_VIEW (view)), >, 0);
  check_lifecycle (view);
}

static void
test_reflections_view (RrFixture *fx, gconstpointer data)
{
  check_lifecycle (rr_reflections_view_new (fx->store, "km1"));
}

static void
test_admin_view (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = rr_admin_view_new (fx->store, "beheer");

  rr_admin_view_select (RR_ADMIN_VIEW (view), 0);
  check_lifecycle (view);
}

static void
test_window (RrFixture *fx, gconstpointer data)
{
  RrWindow *window = rr_window_new (NULL, fx->store, "km1");

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  rr_ui_pump ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  rr_ui_pump ();
  g_assert_finalize_object (window);
}

/* The sidebar offers only what works for the person's roles. */
static void
test_window_roles (RrFixture *fx, gconstpointer data)
{
  struct {
    const char *login;
    const char *present[8];
    const char *absent[6];
  } cases[] = {
    { "km1", { "record", "log", "review", "follow-up", "caseload", "rules", "reflections" },
      { "none", "admin" } },
    { "tl1", { "log", "review", "follow-up", "caseload", "rules", "reflections" },
      { "record", "none", "admin" } },
    { "aud", { "log", "caseload", "rules" },
      { "record", "review", "follow-up", "none", "reflections", "admin" } },
    { "beheer", { "record", "admin", "reflections" }, { "none" } },
    { "stranger", { "none" }, { "record", "log", "review", "rules", "admin" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RrWindow *window = rr_window_new (NULL, fx->store, cases[i].login);

      g_object_ref_sink (window);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].present) && cases[i].present[j]; j++)
        g_assert_nonnull (rr_window_get_page (window, cases[i].present[j]));
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].absent) && cases[i].absent[j]; j++)
        g_assert_null (rr_window_get_page (window, cases[i].absent[j]));
      gtk_window_destroy (GTK_WINDOW (window));
      g_object_unref (window);
    }
  rr_ui_pump ();
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/rr/app-widgets/" path, RrFixture, NULL, rr_fixture_setup, func, \
              rr_fixture_teardown)
  ADD ("decision-editor", test_editor);
  ADD ("log-view", test_log_view);
  ADD ("review-view", test_review_view);
  ADD ("followup-view", test_followup_view);
  ADD ("caseload-view", test_caseload_view);
  ADD ("rules-view", test_rules_view);
  ADD ("reflections-view", test_reflections_view);
  ADD ("admin-view", test_admin_view);
  ADD ("window", test_window);
  ADD ("window-roles", test_window_roles);
#undef ADD
  return g_test_run ();
}
