/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-decision-editor"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-decision-editor.h"
#include "rr-ui-test-util.h"

#define T RR_TYPE_DECISION_EDITOR

typedef struct {
  RrFixture         fx;
  RrDecisionEditor *editor;
  GtkWindow        *window;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  rr_fixture_setup (&f->fx, data);
  f->editor = RR_DECISION_EDITOR (rr_decision_editor_new (f->fx.store, "km1"));
  g_object_ref_sink (f->editor);
  f->window = rr_ui_show (GTK_WIDGET (f->editor));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  rr_ui_pump ();
  g_assert_finalize_object (f->editor);
  rr_fixture_teardown (&f->fx, data);
}

static void
set_entry (Fixture *f, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (rr_ui_child (f->editor, T, name)), text);
}

static const char *
get_entry (Fixture *f, const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (rr_ui_child (f->editor, T, name)));
}

static void
fill_common (Fixture *f, const char *kind, const char *summary)
{
  set_entry (f, "client_entry", "D-1");
  set_entry (f, "rule_entry", "PW-18-1");
  gtk_drop_down_set_selected (rr_ui_child (f->editor, T, "kind_dropdown"),
                              rr_ui_vocab_index (f->fx.store, RR_VOCAB_KIND, kind));
  set_entry (f, "summary_entry", summary);
}

static gint64
count_decisions (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = rr_decisions_count (f->fx.store, "km1", NULL, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_record_applied (Fixture *f, gconstpointer data)
{
  g_autoptr(RrDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  const char *number;

  fill_common (f, "which-rule", "Bijstand afgestemd op de gezinssituatie");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.record", NULL));
  rr_ui_pump ();

  number = rr_decision_editor_get_last_number (f->editor);
  g_assert_nonnull (number);
  decision = rr_decisions_get (f->fx.store, "km1", number, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decision->client_dossier, ==, "D-1");
  g_assert_cmpstr (decision->rule_code, ==, "PW-18-1");
  g_assert_cmpint (decision->input->outcome, ==, RR_OUTCOME_APPLIED);
  g_assert_cmpstr (decision->input->kind, ==, "which-rule");
  g_assert_cmpstr (decision->input->summary, ==, "Bijstand afgestemd op de gezinssituatie");
  /* The follow-up was prefilled three months on. */
  g_assert_nonnull (decision->input->follow_up);

  /* The form is ready for the next one and says what happened. */
  g_assert_cmpstr (get_entry (f, "summary_entry"), ==, "");
  g_assert_cmpstr (get_entry (f, "client_entry"), ==, "");
  g_assert_true (gtk_widget_get_visible (rr_ui_child (f->editor, T, "success_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (rr_ui_child (f->editor, T, "success_label")),
                            number));
  g_assert_cmpint (count_decisions (f), ==, 1);
}

static void
test_record_deviation (Fixture *f, gconstpointer data)
{
  g_autoptr(RrDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  GtkRevealer *revealer = rr_ui_child (f->editor, T, "deviation_revealer");

  fill_common (f, "rule-does-not-fit", "Geen verlaging bij dreigende huisuitzetting");
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  gtk_toggle_button_set_active (rr_ui_child (f->editor, T, "deviated_button"), TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  rr_ui_set_text_view (rr_ui_child (f->editor, T, "circumstances_view"),
                       "Klant heeft hoge schulden, mantelzorg voor moeder en huurachterstand; "
                       "huisuitzetting dreigt binnen een maand.");
  rr_ui_set_text_view (rr_ui_child (f->editor, T, "explanation_view"),
                       "Verlagen zou de huisuitzetting zeker maken; de kosten van dakloosheid "
                       "en de schade voor de kinderen staan niet in verhouding tot het doel.");
  gtk_drop_down_set_selected (rr_ui_child (f->editor, T, "reason_dropdown"),
                              rr_ui_vocab_index (f->fx.store, RR_VOCAB_REASON,
                                                 "disproportionate"));
  g_assert_true (rr_decision_editor_record (f->editor));

  decision = rr_decisions_get (f->fx.store, "km1", rr_decision_editor_get_last_number (f->editor),
                               0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (decision->input->outcome, ==, RR_OUTCOME_DEVIATED);
  g_assert_cmpstr (decision->input->reason, ==, "disproportionate");
  g_assert_nonnull (strstr (decision->input->explanation, "dakloosheid"));
  g_assert_nonnull (strstr (decision->input->circumstances, "mantelzorg"));
  /* A deviation goes to the teamleider. */
  g_assert_cmpint (decision->review_state, !=, RR_REVIEW_STATE_NOT_NEEDED);
  /* After recording, the deviation fields are hidden again. */
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
}

static void
test_refusal_keeps_text (Fixture *f, gconstpointer data)
{
  GtkLabel *refusal = rr_ui_child (f->editor, T, "refusal_label");
  g_autofree char *circumstances = NULL;

  fill_common (f, "rule-does-not-fit", "Afwijking zonder toelichting");
  gtk_toggle_button_set_active (rr_ui_child (f->editor, T, "deviated_button"), TRUE);
  rr_ui_set_text_view (rr_ui_child (f->editor, T, "circumstances_view"),
                       "De klant zorgt voor een zieke ouder.");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (refusal)));

  g_assert_false (rr_decision_editor_record (f->editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (refusal)));
  g_assert_cmpstr (gtk_label_get_text (refusal), !=, "");
  /* Nothing was recorded, and nothing typed is lost. */
  g_assert_cmpint (count_decisions (f), ==, 0);
  g_assert_null (rr_decision_editor_get_last_number (f->editor));
  g_assert_cmpstr (get_entry (f, "summary_entry"), ==, "Afwijking zonder toelichting");
  g_assert_cmpstr (get_entry (f, "client_entry"), ==, "D-1");
  circumstances = rr_ui_get_text_view (rr_ui_child (f->editor, T, "circumstances_view"));
  g_assert_cmpstr (circumstances, ==, "De klant zorgt voor een zieke ouder.");
  g_assert_true (gtk_toggle_button_get_active (rr_ui_child (f->editor, T, "deviated_button")));

  /* Adding the explanation then records it, and the refusal goes away. */
  rr_ui_set_text_view (rr_ui_child (f->editor, T, "explanation_view"),
                       "Een verlaging zou de zorg voor de ouder onmogelijk maken; dat staat "
                       "niet in verhouding tot het doel van de regel.");
  g_assert_true (rr_decision_editor_record (f->editor));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (refusal)));
  g_assert_cmpint (count_decisions (f), ==, 1);
}

static void
test_draft_autosave_restore (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) drafts = NULL;
  RrDecisionEditor *again;
  GtkWindow *window;

  fill_common (f, "which-rule", "Nog niet af");
  /* Autosave after a few seconds of no typing (the timer fires on whole
   * seconds, so allow for one more). */
  drafts = rr_drafts_list (f->fx.store, "km1", NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
  for (guint i = 0; i < 60 && drafts->len == 0; i++)
    {
      rr_ui_wait (100);
      g_ptr_array_unref (drafts);
      drafts = rr_drafts_list (f->fx.store, "km1", NULL);
    }
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (f->editor, T, "draft_label")), !=, "");

  /* A new form (the app started again) restores it. */
  again = RR_DECISION_EDITOR (rr_decision_editor_new (f->fx.store, "km1"));
  g_object_ref_sink (again);
  window = rr_ui_show (GTK_WIDGET (again));
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (again, T, "summary_entry")), ==,
                   "Nog niet af");
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (again, T, "client_entry")), ==, "D-1");

  /* Recording it removes the draft. */
  g_assert_true (rr_decision_editor_record (again));
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = rr_drafts_list (f->fx.store, "km1", NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
  gtk_window_destroy (window);
  rr_ui_pump ();
  g_assert_finalize_object (again);
}

static void
test_sanction_warning_and_hints (Fixture *f, gconstpointer data)
{
  GtkWidget *warning = rr_ui_child (f->editor, T, "sanction_warning");
  GtkWidget *hints = rr_ui_child (f->editor, T, "hints_label");

  g_assert_false (gtk_widget_get_visible (warning));
  gtk_drop_down_set_selected (rr_ui_child (f->editor, T, "sanction_dropdown"),
                              RR_SANCTION_IMPOSED);
  g_assert_true (gtk_widget_get_visible (warning));
  set_entry (f, "contact_entry", "2026-01-05");
  g_assert_false (gtk_widget_get_visible (warning));

  /* A deviation without circumstances or weighing gets hints, live. */
  fill_common (f, "rule-does-not-fit", "Afwijking");
  gtk_toggle_button_set_active (rr_ui_child (f->editor, T, "deviated_button"), TRUE);
  g_assert_true (gtk_widget_get_visible (hints));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hints)),
                            rr_hint_message (RR_HINT_NO_CIRCUMSTANCES)));
}

static void
test_type_ahead (Fixture *f, gconstpointer data)
{
  GtkWidget *client = rr_ui_child (f->editor, T, "client_entry");
  GtkWidget *rule = rr_ui_child (f->editor, T, "rule_entry");

  gtk_widget_grab_focus (client);
  gtk_editable_set_text (GTK_EDITABLE (client), "Jansen");
  rr_ui_pump ();
  g_signal_emit_by_name (client, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (client)), ==, "D-1");
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (f->editor, T, "client_name_label")), ==,
                   "Jan Jansen");

  gtk_widget_grab_focus (rule);
  gtk_editable_set_text (GTK_EDITABLE (rule), "PW-18-");
  rr_ui_pump ();
  g_signal_emit_by_name (rule, "activate");
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (rule)), "PW-18-"));
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (f->editor, T, "rule_title_label")), !=, "");
}

/* The precedents come from a worker thread: run the main loop until the
 * search is done (or give up after ten seconds). */
static void
wait_precedents (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rr_decision_editor_is_finding_precedents (RR_DECISION_EDITOR (f->editor))
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rr_decision_editor_is_finding_precedents (RR_DECISION_EDITOR (f->editor)));
  rr_ui_pump ();
}

static void
test_precedents (Fixture *f, gconstpointer data)
{
  g_autoptr(RrDecisionInput) in = rr_test_deviation_input ();
  g_autofree char *number = NULL;
  GtkWidget *list = rr_ui_child (f->editor, T, "precedents_list");

  /* A colleague in the team deviated from the same rule before. */
  in->client = (g_free (in->client), g_strdup ("D-2"));
  number = rr_decisions_record (f->fx.store, "km2", in, NULL);
  g_assert_nonnull (number);

  g_assert_null (gtk_widget_get_first_child (list));
  set_entry (f, "rule_entry", "PW-18-1");
  g_assert_true (rr_decision_editor_is_finding_precedents (RR_DECISION_EDITOR (f->editor)));
  wait_precedents (f);
  g_assert_nonnull (gtk_widget_get_first_child (list));
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (f->editor, T, "precedents_status")), ==,
                   "Earlier deviations by your team, the same rule first.");

  /* A search that a newer one overtakes is dropped: the list is that of
   * the last one, here none at all. */
  set_entry (f, "rule_entry", "AWB-3:4-2");
  rr_ui_wait (350);
  set_entry (f, "rule_entry", "");
  wait_precedents (f);
  rr_ui_wait (200);
  g_assert_null (gtk_widget_get_first_child (list));
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (f->editor, T, "precedents_status")), ==,
                   "Choose a rule to see earlier deviations by your team.");
}

/* Ctrl+Enter is the editor's own shortcut for recording. */
static void
test_ctrl_enter_records (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->editor));
  GtkShortcut *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, "<Control>Return") == 0)
            found = g_steal_pointer (&shortcut);
        }
    }
  g_assert_nonnull (found);

  fill_common (f, "which-rule", "Vastgelegd met Ctrl+Enter");
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (found), 0,
                                               GTK_WIDGET (f->editor), NULL));
  g_object_unref (found);
  g_assert_nonnull (rr_decision_editor_get_last_number (f->editor));
  g_assert_cmpint (count_decisions (f), ==, 1);
}

static void
test_accessible (Fixture *f, gconstpointer data)
{
  struct { const char *id; const char *label; } controls[] = {
    { "client_entry", "Client" },
    { "rule_entry", "Rule" },
    { "kind_dropdown", "Kind of discretion" },
    { "applied_button", "Rule applied" },
    { "deviated_button", "Departed from the rule" },
    { "summary_entry", "Summary" },
    { "circumstances_view", "Circumstances" },
    { "explanation_view", "Explanation" },
    { "reason_dropdown", "Reason for departing" },
    { "sanction_dropdown", "Sanction" },
    { "contact_entry", "Date of personal contact" },
    { "follow_up_entry", "Follow-up date" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkAccessible *control = rr_ui_child (f->editor, T, controls[i].id);

      gtk_test_accessible_assert_property (control, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           controls[i].label);
    }
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (rr_ui_child (f->editor, T, "refusal_label")),
                                   GTK_ACCESSIBLE_ROLE_ALERT);
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/rr/decision-editor/" path, Fixture, NULL, setup, func, teardown)
  ADD ("record-applied", test_record_applied);
  ADD ("record-deviation", test_record_deviation);
  ADD ("refusal-keeps-text", test_refusal_keeps_text);
  ADD ("draft-autosave-restore", test_draft_autosave_restore);
  ADD ("sanction-warning-and-hints", test_sanction_warning_and_hints);
  ADD ("type-ahead", test_type_ahead);
  ADD ("precedents", test_precedents);
  ADD ("ctrl-enter-records", test_ctrl_enter_records);
  ADD ("accessible", test_accessible);
#undef ADD
  return g_test_run ();
}
