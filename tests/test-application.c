/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-application"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-application.h"
#include "rr-ui-test-util.h"
#include "rr-window.h"

static guint
n_windows (RrApplication *app)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
close_all (RrApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  rr_ui_pump ();
}

/* Startup installs the app actions with their accelerators; the actions
 * open real windows; a main window gets the shortcuts window. */
static void
test_actions (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrApplication) app = rr_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  RrWindow *window;
  const char *actions[] = { "quit", "new-decision", "about", "preferences" };

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), actions[i]));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.new-decision");
  g_assert_cmpstr (accels[0], ==, "<Control>n");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  window = rr_window_new (GTK_APPLICATION (app), fx->store, "km1");
  gtk_window_present (GTK_WINDOW (window));
  rr_ui_pump ();
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_cmpuint (n_windows (app), ==, 1);

  /* Ctrl+N from another view goes to the record form. */
  rr_window_show_view (window, "log");
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-decision", NULL);
  g_assert_cmpstr (rr_window_get_view (window), ==, "record");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  rr_ui_pump ();
  g_assert_cmpuint (n_windows (app), ==, 2);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  rr_ui_pump ();
  g_assert_cmpuint (n_windows (app), >=, 2);

  /* Quit closes every window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  rr_ui_pump ();
  g_assert_cmpuint (n_windows (app), <=, 1);
  close_all (app);
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

  g_test_add ("/rr/application/actions", RrFixture, NULL, rr_fixture_setup, test_actions,
              rr_fixture_teardown);
  return g_test_run ();
}
