/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-log-view"
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rr-decision-item.h"
#include "rr-log-view.h"

typedef enum {
  COLUMN_NUMBER,
  COLUMN_DATE,
  COLUMN_CLIENT,
  COLUMN_RULE,
  COLUMN_OUTCOME,
  COLUMN_STATUS,
  COLUMN_REVIEW,
  COLUMN_SUMMARY,
} Column;

struct _RrLogView
{
  GtkWidget            parent_instance;

  /* template */
  GtkSearchEntry      *search_entry;
  GtkDropDown         *outcome_dropdown;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *sort_dropdown;
  GtkEntry            *from_entry;
  GtkEntry            *to_entry;
  GtkLabel            *count_label;
  GtkLabel            *period_message;
  GtkColumnView       *column_view;
  GtkBox              *detail_box;

  /* owned */
  RrStore             *store;
  char                *login;
  RrDecisionListModel *model;
  GtkSingleSelection  *selection;
  char                *shown_number;
  GtkEntry            *withdraw_entry;
  GtkDropDown         *advice_dropdown;
  GtkEntry            *advice_entry;
  GStrv                advice_logins;  /* parallel to advice_dropdown */
  GtkLabel            *detail_error;
  /* While the model puts a new list in place: after a change in the store
   * the list comes later than the action that changed it, so the decision
   * in the detail pane stays there (a new filter clears it). */
  gboolean             replacing;
  gboolean             filter_pending;
};

G_DEFINE_FINAL_TYPE (RrLogView, rr_log_view, GTK_TYPE_WIDGET)

enum {
  NEW_VERSION,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static const int status_values[] = { -1, RR_STATUS_RECORDED, RR_STATUS_SUPERSEDED,
                                     RR_STATUS_WITHDRAWN };
static const RrSort sort_values[] = { RR_SORT_DATE_DESC, RR_SORT_DATE_ASC, RR_SORT_NUMBER_DESC,
                                      RR_SORT_NUMBER_ASC };

/* ------------------------------------------------------------- helpers */

/* "2026-11-25T04:18:15.222015Z" → "2026-11-25 04:18": minutes are enough to read. */
static char *
short_time (const char *timestamp)
{
  char *text;

  if (timestamp == NULL)
    return g_strdup ("");
  text = g_strndup (timestamp, 16);
  g_strdelimit (text, "T", ' ');
  return text;
}


/* An empty entry is no bound; "2026-03-31" and the Dutch "31-03-2026" (or
 * 31/3/2026, 31.3.2026) are read; anything else is a problem. */
static gboolean
read_period_entry (GtkEntry  *entry,
                   char     **date)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_auto(GStrv) parts = NULL;

  *date = NULL;
  if (*text == '\0')
    return TRUE;
  if (rr_date_is_valid (text))
    {
      *date = g_steal_pointer (&text);
      return TRUE;
    }
  parts = g_strsplit_set (text, "-/.", 3);
  if (g_strv_length (parts) == 3 && strlen (parts[0]) <= 2 && strlen (parts[1]) <= 2
      && strlen (parts[2]) == 4)
    {
      g_autofree char *iso = g_strdup_printf ("%s-%02d-%02d", parts[2],
                                              (int) g_ascii_strtoll (parts[1], NULL, 10),
                                              (int) g_ascii_strtoll (parts[0], NULL, 10));

      if (rr_date_is_valid (iso))
        {
          *date = g_steal_pointer (&iso);
          return TRUE;
        }
    }
  return FALSE;
}

static void
update_count (RrLogView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const GError *error = rr_decision_list_model_get_error (self->model);
  g_autofree char *text = NULL;

  if (rr_decision_list_model_is_loading (self->model))
    {
      gtk_label_set_text (self->count_label, _("Loading decisions…"));
      return;
    }
  if (error != NULL)
    {
      gtk_label_set_text (self->count_label, error->message);
      return;
    }
  text = g_strdup_printf (ngettext ("%u decision", "%u decisions", n), n);
  gtk_label_set_text (self->count_label, text);
}

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  gtk_box_append (box, label);
  return label;
}

static void
add_field (GtkBox     *box,
           const char *name,
           const char *value)
{
  g_autofree char *markup = NULL;
  GtkWidget *label;

  if (value == NULL || *value == '\0')
    return;
  markup = g_markup_printf_escaped ("<b>%s</b>  %s", name, value);
  label = add_label (box, NULL, NULL);
  gtk_label_set_markup (GTK_LABEL (label), markup);
}

static void
clear_detail (RrLogView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  self->withdraw_entry = NULL;
  self->advice_dropdown = NULL;
  self->advice_entry = NULL;
  g_clear_pointer (&self->advice_logins, g_strfreev);
  self->detail_error = NULL;
}

static void show_detail (RrLogView *self, const char *number);

static void
on_withdraw_clicked (RrLogView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *number = g_strdup (self->shown_number);

  if (self->withdraw_entry == NULL || number == NULL)
    return;
  reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->withdraw_entry)));
  if (!rr_decisions_withdraw (self->store, self->login, number, reason, &error))
    {
      gtk_label_set_text (self->detail_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_error), TRUE);
      return;
    }
  show_detail (self, number);
}

static void
show_detail_message (RrLogView  *self,
                     const char *text,
                     gboolean    refusal)
{
  gtk_label_set_text (self->detail_error, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->detail_error), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (self->detail_error), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_error),
                            refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_error), TRUE);
}

static void
on_ask_advice_clicked (RrLogView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = g_strdup (self->shown_number);
  g_autofree char *question = NULL;
  g_autofree char *colleague = NULL;
  g_autofree char *done = NULL;
  g_autoptr(RrUser) other = NULL;
  guint index;

  if (self->advice_dropdown == NULL || number == NULL)
    return;
  index = gtk_drop_down_get_selected (self->advice_dropdown);
  if (index >= g_strv_length (self->advice_logins))
    {
      show_detail_message (self, _("Choose the colleague whose advice you want."), TRUE);
      return;
    }
  colleague = g_strdup (self->advice_logins[index]);
  question = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->advice_entry))));
  if (!rr_reviews_request_advice (self->store, self->login, number, colleague, question, &error))
    {
      /* The question stays, so that nothing typed is lost. */
      show_detail_message (self, error->message, TRUE);
      return;
    }
  other = rr_users_lookup (self->store, colleague, NULL);
  show_detail (self, number);
  done = g_strdup_printf (_("Advice asked of %s; your request waits in their Review view."),
                          other != NULL ? other->display_name : colleague);
  show_detail_message (self, done, FALSE);
}

/* Colleagues in the author's team who can give advice: active
 * klantmanagers and teamleiders other than the author. */
static void
add_advice_request (RrLogView *self,
                    GtkBox    *box)
{
  g_autoptr(RrUser) me = rr_users_lookup (self->store, self->login, NULL);
  g_autoptr(GPtrArray) users = rr_users_list (self->store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) logins = g_ptr_array_new ();
  GtkWidget *row;
  GtkWidget *button;

  add_label (box, _("Ask a Colleague’s Advice"), "rr-section-title");
  for (guint i = 0; me != NULL && users != NULL && i < users->len; i++)
    {
      RrUser *user = g_ptr_array_index (users, i);

      if (!user->active || user->id == me->id || g_strcmp0 (user->team, me->team) != 0
          || !(user->roles & (RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER)))
        continue;
      gtk_string_list_append (names, user->display_name);
      g_ptr_array_add (logins, g_strdup (user->login));
    }
  if (logins->len == 0)
    {
      add_label (box, _("Nobody else in your team can be asked for advice."), "dim-label");
      return;
    }
  g_ptr_array_add (logins, NULL);
  self->advice_logins = (GStrv) g_ptr_array_steal (logins, NULL);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->advice_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)),
                                                            NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->advice_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Colleague to ask for advice"), -1);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->advice_dropdown));
  self->advice_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->advice_entry, _("Your question (optional)"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->advice_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->advice_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your question to the colleague"), -1);
  g_signal_connect_swapped (self->advice_entry, "activate", G_CALLBACK (on_ask_advice_clicked),
                            self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->advice_entry));
  button = gtk_button_new_with_mnemonic (_("Ask _Advice"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_ask_advice_clicked), self);
  gtk_box_append (GTK_BOX (row), button);
  gtk_box_append (box, row);
}

static void
on_new_version_clicked (RrLogView *self)
{
  g_autofree char *number = g_strdup (self->shown_number);

  if (number != NULL)
    g_signal_emit (self, signals[NEW_VERSION], 0, number);
}

static void
show_detail (RrLogView  *self,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecision) decision = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autofree char *title = NULL;
  GtkBox *box = self->detail_box;
  GtkWidget *label;

  clear_detail (self);
  g_free (self->shown_number);
  self->shown_number = g_strdup (number);
  if (number == NULL)
    {
      add_label (box, _("Select a decision to see its versions, reviews, outcome and "
                        "ledger events."), "dim-label");
      return;
    }
  decision = rr_decisions_get (self->store, self->login, number, 0, &error);
  if (decision == NULL)
    {
      add_label (box, error->message, "rr-refusal");
      return;
    }

  title = g_strdup_printf ("%s · %s", decision->number, rr_status_label (decision->status));
  add_label (box, title, "title-3");
  if (decision->input != NULL)
    add_label (box, decision->input->summary, NULL);
  add_field (box, _("Client"), decision->client_dossier);
  add_field (box, _("Rule"), decision->rule_title);
  add_field (box, _("Author"), decision->author_name);
  {
    g_autofree char *recorded = short_time (decision->recorded_at);

    add_field (box, _("Recorded"), recorded);
  }
  if (decision->input != NULL)
    {
      add_field (box, _("Outcome"), rr_outcome_label (decision->input->outcome));
      add_field (box, _("Circumstances"), decision->input->circumstances);
      add_field (box, _("Explanation"), decision->input->explanation);
      add_field (box, _("Follow-up"), decision->input->follow_up);
    }
  add_field (box, _("Review"), rr_review_state_label (decision->review_state));
  add_field (box, _("Within mandate"), decision->within_mandate ? _("Yes") : _("No"));
  add_field (box, _("Withdrawn because"), decision->withdrawn_reason);

  add_label (box, _("Versions"), "rr-section-title");
  versions = rr_decisions_versions (self->store, self->login, number, NULL);
  for (guint i = 0; versions != NULL && i < versions->len; i++)
    {
      RrDecision *v = g_ptr_array_index (versions, i);
      g_autofree char *at = short_time (v->recorded_at);
      g_autofree char *text = g_strdup_printf (_("Version %d · %s · %s"), v->version,
                                               at, rr_status_label (v->status));

      add_label (box, text, NULL);
    }

  add_label (box, _("Reviews"), "rr-section-title");
  reviews = rr_reviews_for_decision (self->store, self->login, number, NULL);
  if (reviews == NULL || reviews->len == 0)
    add_label (box, _("No reviews yet."), "dim-label");
  for (guint i = 0; reviews != NULL && i < reviews->len; i++)
    {
      RrReview *r = g_ptr_array_index (reviews, i);
      g_autofree char *at = short_time (r->created_at);
      g_autofree char *text =
        g_strdup_printf ("%s · %s · %s%s%s", at, r->reviewer_name,
                         r->is_advice ? _("Advice") : rr_verdict_label (r->verdict),
                         r->text != NULL ? ": " : "", r->text != NULL ? r->text : "");

      add_label (box, text, NULL);
    }

  add_label (box, _("Outcome at follow-up"), "rr-section-title");
  outcomes = rr_outcomes_for_decision (self->store, self->login, number, NULL);
  if (outcomes == NULL || outcomes->len == 0)
    add_label (box, _("No outcome recorded yet."), "dim-label");
  for (guint i = 0; outcomes != NULL && i < outcomes->len; i++)
    {
      RrOutcome *o = g_ptr_array_index (outcomes, i);
      g_autofree char *at = short_time (o->recorded_at);
      g_autofree char *text = g_strdup_printf ("%s · %s%s%s", at,
                                               rr_effect_label (o->effect),
                                               o->note != NULL ? ": " : "",
                                               o->note != NULL ? o->note : "");

      add_label (box, text, NULL);
    }

  add_label (box, _("Ledger events"), "rr-section-title");
  for (guint i = 0; versions != NULL && i < versions->len; i++)
    {
      RrDecision *v = g_ptr_array_index (versions, i);
      g_autoptr(GPtrArray) events = rr_ledger_events_for (self->store, v->uuid, NULL);

      for (guint j = 0; events != NULL && j < events->len; j++)
        {
          RrEvent *e = g_ptr_array_index (events, j);
          g_autofree char *at = short_time (e->at);
          g_autofree char *text = g_strdup_printf ("#%" PRId64 " · %s · %s · %s", e->seq,
                                                   at, e->action, e->actor);

          label = add_label (box, text, "monospace");
          gtk_widget_set_tooltip_text (label, e->hash);
        }
    }

  if (decision->status == RR_STATUS_RECORDED && g_strcmp0 (decision->author_login,
                                                           self->login) == 0)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Withdraw"));

      add_label (box, _("Withdraw"), "rr-section-title");
      self->withdraw_entry = GTK_ENTRY (gtk_entry_new ());
      gtk_entry_set_placeholder_text (self->withdraw_entry, _("Reason for withdrawing"));
      gtk_widget_set_hexpand (GTK_WIDGET (self->withdraw_entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->withdraw_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reason for withdrawing"), -1);
      gtk_widget_add_css_class (button, "destructive-action");
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_withdraw_clicked), self);
      gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->withdraw_entry));
      gtk_box_append (GTK_BOX (row), button);
      gtk_box_append (box, row);

      /* Questions from the teamleider are answered with a new version. */
      button = gtk_button_new_with_mnemonic (_("Record a New _Version…"));
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_new_version_clicked), self);
      gtk_box_append (box, button);

      add_advice_request (self, box);
    }
  self->detail_error = GTK_LABEL (add_label (box, NULL, "rr-refusal"));
  gtk_widget_set_visible (GTK_WIDGET (self->detail_error), FALSE);
}

static const char *
cell_text (const RrDecisionRow *row,
           Column               column,
           char               **tmp)
{
  switch (column)
    {
    case COLUMN_NUMBER:
      if (row->version > 1)
        return *tmp = g_strdup_printf ("%s v%d", row->number, row->version);
      return row->number;
    case COLUMN_DATE: return row->decision_date;
    case COLUMN_CLIENT: return row->client_dossier;
    case COLUMN_RULE: return row->rule_code;
    case COLUMN_OUTCOME: return rr_outcome_label (row->outcome);
    case COLUMN_STATUS: return rr_status_label (row->status);
    case COLUMN_REVIEW:
      if (row->verdict != RR_VERDICT_NONE)
        return rr_verdict_label (row->verdict);
      return rr_review_state_label (row->review_state);
    case COLUMN_SUMMARY: return row->summary;
    default: return "";
    }
}

/* ----------------------------------------------------------- callbacks */

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  RrDecisionItem *decision = gtk_list_item_get_item (item);
  g_autofree char *tmp = NULL;
  const char *text = "";

  if (decision != NULL)
    text = cell_text (rr_decision_item_get_row (decision), GPOINTER_TO_INT (user_data), &tmp);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
on_filter_changed (RrLogView *self)
{
  RrDecisionFilter filter;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

  if (self->model == NULL)
    return;
  rr_decision_filter_init (&filter);
  /* A date still being typed keeps the period as it was: the person sees
   * what it was until the date can be read (on Enter it says why not). */
  if (!read_period_entry (self->from_entry, &filter.from)
      || !read_period_entry (self->to_entry, &filter.to))
    {
      const RrDecisionFilter *shown = rr_decision_list_model_get_filter (self->model);

      g_clear_pointer (&filter.from, g_free);
      g_clear_pointer (&filter.to, g_free);
      filter.from = g_strdup (shown->from);
      filter.to = g_strdup (shown->to);
    }
  filter.text = *text != '\0' ? g_strdup (text) : NULL;
  filter.outcome = (RrOutcomeKind) gtk_drop_down_get_selected (self->outcome_dropdown);
  filter.status = status < G_N_ELEMENTS (status_values) ? status_values[status] : -1;
  filter.sort = sort < G_N_ELEMENTS (sort_values) ? sort_values[sort] : RR_SORT_DATE_DESC;
  self->filter_pending = TRUE;
  rr_decision_list_model_set_filter (self->model, &filter);
  rr_decision_filter_clear (&filter);
  update_count (self);
}

static void
check_period_entry (RrLogView *self,
                    GtkEntry  *entry,
                    gboolean   complain)
{
  g_autofree char *date = NULL;
  g_autofree char *problem = NULL;

  if (read_period_entry (entry, &date))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  if (!complain)
    return;
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  problem = g_strdup_printf (_("“%s” is not a date. Write dates as YYYY-MM-DD, "
                               "for example 2026-03-31."),
                             gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_label_set_text (self->period_message, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->period_message), TRUE);
}

static void
on_period_changed (RrLogView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->period_message), FALSE);
  check_period_entry (self, self->from_entry, FALSE);
  check_period_entry (self, self->to_entry, FALSE);
  on_filter_changed (self);
}

static void
on_period_activated (RrLogView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->period_message), FALSE);
  check_period_entry (self, self->from_entry, TRUE);
  check_period_entry (self, self->to_entry, TRUE);
  on_filter_changed (self);
}

static void
on_selection_changed (RrLogView *self)
{
  RrDecisionItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL && self->replacing && !self->filter_pending)
    return;
  show_detail (self, item != NULL ? rr_decision_item_get_row (item)->number : NULL);
}

/* Before the selection hears of a new list (connected first). */
static void
on_model_replacing (RrLogView *self)
{
  self->replacing = TRUE;
}

/* After it (connected last). */
static void
on_model_changed (RrLogView *self)
{
  self->replacing = FALSE;
  self->filter_pending = FALSE;
  update_count (self);
}

/* ----------------------------------------------------------- overrides */

static void
rr_log_view_dispose (GObject *object)
{
  RrLogView *self = RR_LOG_VIEW (object);
  GtkWidget *child;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_LOG_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_log_view_parent_class)->dispose (object);
}

static void
rr_log_view_finalize (GObject *object)
{
  RrLogView *self = RR_LOG_VIEW (object);

  g_free (self->login);
  g_free (self->shown_number);
  g_strfreev (self->advice_logins);
  G_OBJECT_CLASS (rr_log_view_parent_class)->finalize (object);
}

static void
rr_log_view_class_init (RrLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_log_view_dispose;
  object_class->finalize = rr_log_view_finalize;

  /**
   * RrLogView::new-version:
   * @number: the decision to answer with a new version
   *
   * The person wants to record a new version of their decision.
   */
  signals[NEW_VERSION] = g_signal_new ("new-version", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-log-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, from_entry);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, to_entry);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, count_label);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, period_message);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, column_view);
  gtk_widget_class_bind_template_child (widget_class, RrLogView, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_activated);
}

static void
set_strings (GtkDropDown *dropdown,
             const char **strings)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (strings);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static void
add_column (RrLogView  *self,
            const char *title,
            Column      column,
            gboolean    expand,
            int         width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (col, width);
  gtk_column_view_append_column (self->column_view, col);
  g_object_unref (col);
}

static void
rr_log_view_init (RrLogView *self)
{
  const char *outcomes[] = { _("Any outcome"), rr_outcome_label (RR_OUTCOME_APPLIED),
                             rr_outcome_label (RR_OUTCOME_DEVIATED), NULL };
  const char *statuses[] = { _("Current"), rr_status_label (RR_STATUS_RECORDED),
                             rr_status_label (RR_STATUS_SUPERSEDED),
                             rr_status_label (RR_STATUS_WITHDRAWN), NULL };
  const char *sorts[] = { _("Newest first"), _("Oldest first"), _("Number, high to low"),
                          _("Number, low to high"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  set_strings (self->outcome_dropdown, outcomes);
  set_strings (self->status_dropdown, statuses);
  set_strings (self->sort_dropdown, sorts);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_filter_changed),
                            self);

  add_column (self, _("Number"), COLUMN_NUMBER, FALSE, 135);
  add_column (self, _("Date"), COLUMN_DATE, FALSE, 100);
  add_column (self, _("Client"), COLUMN_CLIENT, FALSE, 125);
  add_column (self, _("Rule"), COLUMN_RULE, FALSE, 115);
  add_column (self, _("Outcome"), COLUMN_OUTCOME, FALSE, 100);
  add_column (self, _("Status"), COLUMN_STATUS, FALSE, 100);
  add_column (self, _("Review"), COLUMN_REVIEW, FALSE, 165);
  add_column (self, _("Summary"), COLUMN_SUMMARY, TRUE, -1);
}

/* ------------------------------------------------------------------ API */

GtkWidget *
rr_log_view_new (RrStore    *store,
                 const char *login)
{
  RrLogView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_LOG_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  self->model = rr_decision_list_model_new_full (store, login, TRUE);
  g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_model_replacing), self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_model_changed), self);
  update_count (self);
  show_detail (self, NULL);
  return GTK_WIDGET (self);
}

RrDecisionListModel *
rr_log_view_get_model (RrLogView *self)
{
  g_return_val_if_fail (RR_IS_LOG_VIEW (self), NULL);
  return self->model;
}

void
rr_log_view_select (RrLogView *self,
                    guint      position)
{
  g_return_if_fail (RR_IS_LOG_VIEW (self));
  gtk_single_selection_set_selected (self->selection, position);
}
