/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-application"
#include "config.h"

#include <locale.h>
#include <stdio.h>
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

/* The first message dialog among the toplevels, or NULL. */
static GtkMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (window))
        return GTK_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Overwrites the start of the pages at a quarter, half and three quarters
 * of the file: a b-tree page then has no valid type, an overflow or free
 * page points past the end. */
static void
damage_pages (const char *path,
              sqlite3    *db)
{
  gint64 page_size = rr_test_raw_int (db, "PRAGMA page_size");
  gint64 n_pages = rr_test_raw_int (db, "PRAGMA page_count");
  FILE *file = fopen (path, "r+b");
  const char garbage[16] = { (char) 0xff, (char) 0xff, (char) 0xff, (char) 0xff,
                             (char) 0xff, (char) 0xff, (char) 0xff, (char) 0xff,
                             (char) 0xff, (char) 0xff, (char) 0xff, (char) 0xff,
                             (char) 0xff, (char) 0xff, (char) 0xff, (char) 0xff };

  g_assert_nonnull (file);
  g_assert_cmpint (n_pages, >, 40);
  for (int q = 1; q <= 3; q++)
    {
      g_assert_cmpint (fseek (file, (long) (n_pages * q / 4 * page_size), SEEK_SET), ==, 0);
      g_assert_cmpuint (fwrite (garbage, 1, sizeof garbage, file), ==, sizeof garbage);
    }
  g_assert_cmpint (fclose (file), ==, 0);
}

/* A damaged file is checked in the background and said so in a dialog over
 * the window, which stays open; an intact one gets no dialog. */
static void
test_check_database (RrFixture *fx, gconstpointer data)
{
  /* A second application in this process, under an id of its own. */
  g_autoptr(GtkApplication) app = gtk_application_new ("nl.regelruimte.CheckTest",
                                                       G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  RrWindow *window;
  GtkMessageDialog *dialog = NULL;
  sqlite3 *db;
  GList *windows;
  g_autofree char *primary = NULL;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rr_demo_generate (fx->store, 300, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Intact: the check finds nothing to say. */
  window = rr_window_new (app, fx->store, "km1");
  gtk_window_present (GTK_WINDOW (window));
  rr_window_check_database (window);
  for (int i = 0; i < 20 && dialog == NULL; i++)
    {
      rr_ui_wait (100);
      dialog = find_message_dialog ();
    }
  g_assert_null (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  rr_ui_pump ();

  /* Damaged behind the open connection's back, after a checkpoint has put
   * every page in the file. */
  db = _rr_store_get_db (fx->store);
  rr_test_raw_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  damage_pages (fx->path, db);
  window = rr_window_new (app, fx->store, "km1");
  gtk_window_present (GTK_WINDOW (window));
  rr_window_check_database (window);
  for (int i = 0; i < 100 && dialog == NULL; i++)
    {
      rr_ui_wait (100);
      dialog = find_message_dialog ();
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_object_get (dialog, "text", &primary, NULL);
  g_assert_cmpstr (primary, ==, _("The database is damaged"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (dialog));
  while ((windows = gtk_application_get_windows (app)) != NULL)
    gtk_window_destroy (windows->data);
  rr_ui_pump ();
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

  g_test_add ("/rr/application/actions", RrFixture, NULL, rr_fixture_setup, test_actions,
              rr_fixture_teardown);
  g_test_add ("/rr/application/check-database", RrFixture, NULL, rr_fixture_setup,
              test_check_database, rr_fixture_teardown);
  return g_test_run ();
}
