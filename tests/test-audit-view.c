/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-audit-view"
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rr-audit-view.h"
#include "rr-ui-test-util.h"
#include "rr-window.h"

static void
record_some (RrFixture *fx)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      RrDecisionInput *in = i == 1 ? rr_test_deviation_input () : rr_test_applied_input ();
      g_autofree char *number = rr_decisions_record (fx->store, "km1", in, &error);

      g_assert_no_error (error);
      g_assert_nonnull (number);
      rr_decision_input_free (in);
    }
}

static void
finish (GtkWindow *window,
        gpointer   view)
{
  gtk_window_destroy (window);
  rr_ui_pump ();
  g_assert_finalize_object (view);
}

/* Iterates the main context until the view's job is done. */
static void
wait_idle (RrAuditView *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (rr_audit_view_is_busy (view))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  rr_ui_pump ();
}

static void
test_create (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  GtkWindow *window = rr_ui_show (view);
  g_autoptr(RrCheckpoint) head = rr_ledger_checkpoint (fx->store, NULL);
  g_autofree char *text = rr_checkpoint_format (head);
  GType t = RR_TYPE_AUDIT_VIEW;

  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (view, t, "checkpoint_label")), ==, text);
  g_assert_true (gtk_label_get_selectable (rr_ui_child (view, t, "checkpoint_label")));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  g_assert_false (rr_audit_view_is_busy (RR_AUDIT_VIEW (view)));
  /* Copy puts the checkpoint on the clipboard. */
  g_signal_emit_by_name (rr_ui_child (view, t, "copy_button"), "clicked");
  g_assert_true (gdk_clipboard_is_local (gtk_widget_get_clipboard (view)));
  g_assert_nonnull (gdk_clipboard_get_content (gtk_widget_get_clipboard (view)));
  finish (window, view);
}

static void
test_export_verify (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_AUDIT_VIEW;
  g_autofree char *path = g_build_filename (fx->dir, "trail.xml", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *head_text = NULL;
  g_autofree char *head_line = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;
  RrVerifyResult result = { 0 };
  GtkLabel *export_label;
  GtkLabel *verify_label;

  record_some (fx);
  view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  window = rr_ui_show (view);
  export_label = rr_ui_child (view, t, "export_label");
  verify_label = rr_ui_child (view, t, "verify_label");
  kept = g_strdup (gtk_label_get_text (rr_ui_child (view, t, "checkpoint_label")));

  gtk_check_button_set_active (rr_ui_child (view, t, "personal_check"), TRUE);
  rr_audit_view_export_to (RR_AUDIT_VIEW (view), path);
  g_assert_true (rr_audit_view_is_busy (RR_AUDIT_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  g_assert_false (gtk_widget_get_sensitive (rr_ui_child (view, t, "export_button")));
  wait_idle (RR_AUDIT_VIEW (view));

  done = g_strdup_printf (_("The trail was exported to ‘%s’."), path);
  g_assert_cmpstr (gtk_label_get_text (export_label), ==, done);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (export_label), "rr-success"));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* The export is itself an event: the checkpoint moved on. */
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (view, t, "checkpoint_label")), !=, kept);

  /* What the view must say, from the core directly. */
  g_assert_true (rr_trail_verify_file (path, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (result.ok);
  g_assert_cmpint (result.n_events, >, 3);
  expected = g_strdup_printf (ngettext ("ok: %" PRId64 " event, the trail is intact.",
                                        "ok: %" PRId64 " events, the trail is intact.",
                                        (unsigned long) result.n_events),
                              result.n_events);
  head_text = rr_checkpoint_format (result.head);
  head_line = g_strdup_printf (_("Checkpoint of this trail: %s"), head_text);
  rr_verify_result_clear (&result);

  /* Verified through the view, against the checkpoint kept before. */
  gtk_editable_set_text (rr_ui_child (view, t, "kept_entry"), kept);
  rr_audit_view_verify_file (RR_AUDIT_VIEW (view), path);
  wait_idle (RR_AUDIT_VIEW (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (verify_label)));
  g_assert_cmpstr (gtk_label_get_text (verify_label), ==, expected);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (verify_label), "ok: "));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (verify_label), "rr-success"));
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (view, t, "trail_checkpoint_label")), ==,
                   head_line);
  finish (window, view);
}

static void
test_export_refused (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_AUDIT_VIEW;
  g_autofree char *path = g_build_filename (fx->dir, "trail.xml", NULL);
  g_autoptr(RrCheckpoint) before = rr_ledger_checkpoint (fx->store, NULL);
  g_autoptr(RrCheckpoint) after = NULL;
  g_autoptr(GError) error = NULL;
  RrTrailOptions options = { .from = "2026-02-01", .to = "31-01-2026" };
  GtkLabel *export_label;

  /* The core's own sentence, which the view must show. */
  g_assert_false (rr_trail_export (fx->store, "aud", &options, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  window = rr_ui_show (view);
  export_label = rr_ui_child (view, t, "export_label");
  gtk_editable_set_text (rr_ui_child (view, t, "from_entry"), "2026-02-01");
  gtk_editable_set_text (rr_ui_child (view, t, "to_entry"), "31-01-2026");
  rr_audit_view_export_to (RR_AUDIT_VIEW (view), path);
  wait_idle (RR_AUDIT_VIEW (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (export_label)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (export_label), "rr-refusal"));
  g_assert_cmpstr (gtk_label_get_text (export_label), ==, error->message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (after->seq, ==, before->seq);
  finish (window, view);
}

/* A changed trail names its first broken event, through the view. */
static void
test_verify_broken (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_AUDIT_VIEW;
  g_autofree char *path = g_build_filename (fx->dir, "trail.xml", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  RrVerifyResult result = { 0 };
  GtkLabel *verify_label;
  char *at;

  record_some (fx);
  view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  window = rr_ui_show (view);
  verify_label = rr_ui_child (view, t, "verify_label");
  rr_audit_view_export_to (RR_AUDIT_VIEW (view), path);
  wait_idle (RR_AUDIT_VIEW (view));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  at = strstr (contents, "huisuitzetting");
  g_assert_nonnull (at);
  *at = 'H';
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  g_assert_true (rr_trail_verify_file (path, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (result.ok);
  g_assert_cmpint (result.first_bad_seq, >, 0);
  expected = g_strdup_printf (_("Broken at event %" PRId64 ": %s"), result.first_bad_seq,
                              result.problem);
  rr_verify_result_clear (&result);

  rr_audit_view_verify_file (RR_AUDIT_VIEW (view), path);
  wait_idle (RR_AUDIT_VIEW (view));
  g_assert_cmpstr (gtk_label_get_text (verify_label), ==, expected);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (verify_label), "rr-refusal"));
  finish (window, view);
}

/* Cancelled before the thread gets to it: nothing is left behind. */
static void
test_export_cancel (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_AUDIT_VIEW;
  g_autofree char *path = g_build_filename (fx->dir, "trail.xml", NULL);
  g_autoptr(RrCheckpoint) before = NULL;
  g_autoptr(RrCheckpoint) after = NULL;
  GtkLabel *export_label;

  record_some (fx);
  before = rr_ledger_checkpoint (fx->store, NULL);
  view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  window = rr_ui_show (view);
  export_label = rr_ui_child (view, t, "export_label");
  rr_audit_view_export_to (RR_AUDIT_VIEW (view), path);
  g_assert_true (gtk_widget_get_sensitive (rr_ui_child (view, t, "cancel_button")));
  g_signal_emit_by_name (rr_ui_child (view, t, "cancel_button"), "clicked");
  wait_idle (RR_AUDIT_VIEW (view));
  g_assert_cmpstr (gtk_label_get_text (export_label), ==,
                   _("The export was cancelled; nothing was written."));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (export_label), "rr-refusal"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  after = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (after->seq, ==, before->seq);
  g_assert_true (gtk_widget_get_sensitive (rr_ui_child (view, t, "export_button")));
  finish (window, view);
}

static void
test_mdto (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view;
  GtkWindow *window;
  GType t = RR_TYPE_AUDIT_VIEW;
  g_autofree char *folder = g_build_filename (fx->dir, "mdto", NULL);
  g_autofree char *done = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;
  GtkLabel *export_label;

  record_some (fx);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  window = rr_ui_show (view);
  export_label = rr_ui_child (view, t, "export_label");
  rr_audit_view_export_mdto_to (RR_AUDIT_VIEW (view), folder);
  g_assert_true (rr_audit_view_is_busy (RR_AUDIT_VIEW (view)));
  /* The core's MDTO export cannot be cancelled: the button says so. */
  g_assert_false (gtk_widget_get_sensitive (rr_ui_child (view, t, "cancel_button")));
  wait_idle (RR_AUDIT_VIEW (view));
  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 3);
  done = g_strdup_printf (ngettext ("%u MDTO document was written to ‘%s’.",
                                    "%u MDTO documents were written to ‘%s’.", 3),
                          3, folder);
  g_assert_cmpstr (gtk_label_get_text (export_label), ==, done);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (export_label), "rr-success"));
  finish (window, view);
}

static void
test_bad_checkpoint (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_audit_view_new (fx->store, "aud"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_AUDIT_VIEW;
  GtkLabel *verify_label = rr_ui_child (view, t, "verify_label");
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) parsed = rr_checkpoint_parse ("12-abc", &error);

  g_assert_null (parsed);
  g_assert_nonnull (error);
  gtk_editable_set_text (rr_ui_child (view, t, "kept_entry"), "12-abc");
  /* The button checks the entry before any file chooser opens. */
  g_signal_emit_by_name (rr_ui_child (view, t, "verify_button"), "clicked");
  rr_ui_pump ();
  g_assert_false (rr_audit_view_is_busy (RR_AUDIT_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (verify_label)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (verify_label), "rr-refusal"));
  g_assert_cmpstr (gtk_label_get_text (verify_label), ==, error->message);
  /* The direct path refuses the same way. */
  gtk_label_set_text (verify_label, "");
  rr_audit_view_verify_file (RR_AUDIT_VIEW (view), "/nonexistent/trail.xml");
  g_assert_false (rr_audit_view_is_busy (RR_AUDIT_VIEW (view)));
  g_assert_cmpstr (gtk_label_get_text (verify_label), ==, error->message);
  finish (window, view);
}

static void
test_sidebar (RrFixture *fx, gconstpointer data)
{
  const char *logins[] = { "aud", "km1", "beheer" };
  const gboolean sees[] = { TRUE, FALSE, FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      RrWindow *window = rr_window_new (NULL, fx->store, logins[i]);
      GtkWidget *page;

      g_object_ref (window);
      gtk_window_present (GTK_WINDOW (window));
      rr_ui_pump ();
      page = rr_window_get_page (window, "audit");
      if (sees[i])
        {
          g_assert_nonnull (page);
          g_assert_true (RR_IS_AUDIT_VIEW (page));
          rr_window_show_view (window, "audit");
          g_assert_cmpstr (rr_window_get_view (window), ==, "audit");
        }
      else
        g_assert_null (page);
      gtk_window_destroy (GTK_WINDOW (window));
      rr_ui_pump ();
      g_assert_finalize_object (window);
    }
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/rr/audit-view/" path, RrFixture, NULL, rr_fixture_setup, func, \
              rr_fixture_teardown)
  ADD ("create", test_create);
  ADD ("export-verify", test_export_verify);
  ADD ("export-refused", test_export_refused);
  ADD ("verify-broken", test_verify_broken);
  ADD ("export-cancel", test_export_cancel);
  ADD ("mdto", test_mdto);
  ADD ("bad-checkpoint", test_bad_checkpoint);
  ADD ("sidebar", test_sidebar);
#undef ADD
  return g_test_run ();
}
