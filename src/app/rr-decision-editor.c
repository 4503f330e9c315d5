/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-decision-editor"
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "rr-decision-editor.h"

#include "rr-background.h"

#define AUTOSAVE_SECONDS       3
#define PRECEDENTS_DELAY_MS  300
#define N_SUGGESTIONS          8
#define N_PRECEDENTS          10

/* A type-ahead entry: the entry, its popover of suggestions, and the codes
 * behind the shown labels. */
typedef struct {
  RrDecisionEditor *editor;
  GtkEntry         *entry;
  GtkLabel         *side;
  GtkWidget        *popover;
  GtkListView      *list;
  GtkStringList    *model;
  GtkSingleSelection *selection;
  GPtrArray        *codes;
  GPtrArray        *names;
  gboolean          is_rule;
  gboolean          setting;
} Suggest;

typedef struct {
  char            *code;
  GtkToggleButton *buttons[3];   /* none, some, decisive */
  GtkEntry        *note;
} WeighingRow;

struct _RrDecisionEditor
{
  GtkWidget        parent_instance;

  /* template */
  GtkWidget       *form_scroller;
  GtkWidget       *precedents_box;
  GtkLabel        *refusal_label;
  GtkLabel        *success_label;
  GtkLabel        *version_label;
  GtkEntry        *client_entry;
  GtkLabel        *client_name_label;
  GtkEntry        *rule_entry;
  GtkLabel        *rule_title_label;
  GtkDropDown     *kind_dropdown;
  GtkToggleButton *applied_button;
  GtkToggleButton *deviated_button;
  GtkEntry        *summary_entry;
  GtkRevealer     *deviation_revealer;
  GtkTextView     *circumstances_view;
  GtkTextView     *explanation_view;
  GtkDropDown     *reason_dropdown;
  GtkLabel        *hints_label;
  GtkDropDown     *sanction_dropdown;
  GtkEntry        *contact_entry;
  GtkLabel        *sanction_warning;
  GtkEntry        *follow_up_entry;
  GtkGrid         *weighing_grid;
  GtkGrid         *structure_grid;
  GtkLabel        *draft_label;
  GtkLabel        *precedents_status;
  GtkListBox      *precedents_list;

  /* built in code: the optional structure */
  GtkEntry        *principles_entry;
  GtkEntry        *knowledge_entry;
  GtkEntry        *experiences_entry;
  GtkEntry        *alternatives_entry;
  GtkEntry        *client_view_entry;
  GtkDropDown     *client_agrees_dropdown;
  GtkEntry        *rights_entry;
  GtkEntry        *stakeholders_entry;
  GtkEntry        *risk_entry;
  GtkEntry        *amount_entry;

  /* owned */
  RrStore         *store;
  char            *login;
  char            *last_number;
  char            *supersedes;   /* the number a new version answers, or NULL */
  GPtrArray       *kind_codes;
  GPtrArray       *reason_codes;
  GPtrArray       *weighings;    /* (element-type WeighingRow) */
  Suggest          client;
  Suggest          rule;
  guint            autosave_id;
  guint            precedents_id;
  /* The precedents come from a worker thread: the generation of the
   * search under way, so that an answer a newer search made stale is
   * dropped; cancelled when the editor goes. */
  guint            precedents_generation;
  gboolean         precedents_loading;
  GCancellable    *cancellable;
  gint64           draft_id;
  int              follow_up_months;
  gboolean         dirty;
  gboolean         loading;
};

G_DEFINE_FINAL_TYPE (RrDecisionEditor, rr_decision_editor, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------- helpers */

static char *
get_entry (GtkEntry *entry)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static char *
get_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_view (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static guint
index_of_code (GPtrArray  *codes,
               const char *code)
{
  for (guint i = 0; code != NULL && i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
      return i;
  return 0;
}

static const char *
selected_code (GtkDropDown *dropdown,
               GPtrArray   *codes)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < codes->len ? g_ptr_array_index (codes, selected) : NULL;
}

static void
fill_vocab (RrDecisionEditor *self,
            RrVocab           vocab,
            GtkDropDown      *dropdown,
            GPtrArray        *codes)
{
  g_autoptr(GPtrArray) terms = rr_vocab_list (self->store, vocab, NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; terms != NULL && i < terms->len; i++)
    {
      RrTerm *term = g_ptr_array_index (terms, i);

      gtk_string_list_append (labels, term->label);
      g_ptr_array_add (codes, g_strdup (term->code));
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
}

static gboolean
parse_amount (const char *text,
              gint64     *cents)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  copy = g_strdup (text);
  g_strdelimit (copy, ",", '.');
  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0')
    return FALSE;
  *cents = (gint64) (value * 100 + (value >= 0 ? 0.5 : -0.5));
  return TRUE;
}

static RrDecisionInput *
collect_input (RrDecisionEditor *self)
{
  RrDecisionInput *in = rr_decision_input_new ();
  const char *kind = selected_code (self->kind_dropdown, self->kind_codes);
  g_autofree char *amount = NULL;

  in->client = get_entry (self->client_entry);
  in->rule = get_entry (self->rule_entry);
  in->kind = g_strdup (kind);
  in->outcome = gtk_toggle_button_get_active (self->deviated_button)
                ? RR_OUTCOME_DEVIATED : RR_OUTCOME_APPLIED;
  in->summary = get_entry (self->summary_entry);
  if (in->outcome == RR_OUTCOME_DEVIATED)
    {
      in->circumstances = get_view (self->circumstances_view);
      in->explanation = get_view (self->explanation_view);
      in->reason = g_strdup (selected_code (self->reason_dropdown, self->reason_codes));
    }
  in->principles = get_entry (self->principles_entry);
  in->knowledge = get_entry (self->knowledge_entry);
  in->experiences = get_entry (self->experiences_entry);
  in->alternatives = get_entry (self->alternatives_entry);
  in->client_view = get_entry (self->client_view_entry);
  switch (gtk_drop_down_get_selected (self->client_agrees_dropdown))
    {
    case 1: in->client_agrees = 1; break;
    case 2: in->client_agrees = 0; break;
    default: in->client_agrees = -1; break;
    }
  in->rights_explained = get_entry (self->rights_entry);
  in->stakeholders = get_entry (self->stakeholders_entry);
  in->risk = get_entry (self->risk_entry);
  amount = get_entry (self->amount_entry);
  in->has_amount = parse_amount (amount, &in->amount_cents);
  in->sanction = (RrSanction) gtk_drop_down_get_selected (self->sanction_dropdown);
  in->contact_date = get_entry (self->contact_entry);
  in->follow_up = get_entry (self->follow_up_entry);

  for (guint i = 0; i < self->weighings->len; i++)
    {
      WeighingRow *row = g_ptr_array_index (self->weighings, i);
      RrRelevance relevance = RR_RELEVANCE_NONE;
      g_autofree char *note = get_entry (row->note);

      if (gtk_toggle_button_get_active (row->buttons[2]))
        relevance = RR_RELEVANCE_DECISIVE;
      else if (gtk_toggle_button_get_active (row->buttons[1]))
        relevance = RR_RELEVANCE_SOME;
      if (relevance != RR_RELEVANCE_NONE || note != NULL)
        rr_decision_input_set_weighing (in, row->code, relevance, note);
    }
  return in;
}

static gboolean
input_is_empty (const RrDecisionInput *in)
{
  return in->client == NULL && in->rule == NULL && in->summary == NULL
         && in->circumstances == NULL && in->explanation == NULL;
}

static void
fill_form (RrDecisionEditor      *self,
           const RrDecisionInput *in)
{
  g_autofree char *amount = NULL;

  self->loading = TRUE;
  self->client.setting = self->rule.setting = TRUE;
  set_entry (self->client_entry, in->client);
  set_entry (self->rule_entry, in->rule);
  self->client.setting = self->rule.setting = FALSE;
  gtk_label_set_text (self->client_name_label, "");
  gtk_label_set_text (self->rule_title_label, "");
  gtk_drop_down_set_selected (self->kind_dropdown, index_of_code (self->kind_codes, in->kind));
  gtk_toggle_button_set_active (in->outcome == RR_OUTCOME_DEVIATED
                                ? self->deviated_button : self->applied_button, TRUE);
  set_entry (self->summary_entry, in->summary);
  set_view (self->circumstances_view, in->circumstances);
  set_view (self->explanation_view, in->explanation);
  gtk_drop_down_set_selected (self->reason_dropdown,
                              index_of_code (self->reason_codes, in->reason));
  set_entry (self->principles_entry, in->principles);
  set_entry (self->knowledge_entry, in->knowledge);
  set_entry (self->experiences_entry, in->experiences);
  set_entry (self->alternatives_entry, in->alternatives);
  set_entry (self->client_view_entry, in->client_view);
  gtk_drop_down_set_selected (self->client_agrees_dropdown,
                              in->client_agrees < 0 ? 0 : in->client_agrees ? 1 : 2);
  set_entry (self->rights_entry, in->rights_explained);
  set_entry (self->stakeholders_entry, in->stakeholders);
  set_entry (self->risk_entry, in->risk);
  if (in->has_amount)
    amount = g_strdup_printf ("%.2f", (double) in->amount_cents / 100);
  set_entry (self->amount_entry, amount);
  gtk_drop_down_set_selected (self->sanction_dropdown, (guint) in->sanction);
  set_entry (self->contact_entry, in->contact_date);
  if (in->follow_up != NULL)
    set_entry (self->follow_up_entry, in->follow_up);
  else
    {
      g_autofree char *today = rr_date_today ();
      g_autofree char *follow_up = rr_date_add_months (today, self->follow_up_months);

      set_entry (self->follow_up_entry, follow_up);
    }
  for (guint i = 0; i < self->weighings->len; i++)
    {
      WeighingRow *row = g_ptr_array_index (self->weighings, i);
      RrRelevance relevance = RR_RELEVANCE_NONE;
      const char *note = NULL;

      for (guint j = 0; in->weighings != NULL && j < in->weighings->len; j++)
        {
          RrWeighing *w = g_ptr_array_index (in->weighings, j);

          if (g_strcmp0 (w->domain, row->code) == 0)
            {
              relevance = w->relevance;
              note = w->note;
            }
        }
      gtk_toggle_button_set_active (row->buttons[CLAMP ((int) relevance, 0, 2)], TRUE);
      set_entry (row->note, note);
    }
  self->loading = FALSE;
}

static void update_feedback (RrDecisionEditor *self);

static void
clear_form (RrDecisionEditor *self)
{
  g_autoptr(RrDecisionInput) empty = rr_decision_input_new ();

  fill_form (self, empty);
  self->dirty = FALSE;
  self->draft_id = 0;
  g_clear_pointer (&self->supersedes, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), FALSE);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  update_feedback (self);
}

static void
show_refusal (RrDecisionEditor *self,
              const char       *message)
{
  gtk_label_set_text (self->refusal_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), message != NULL);
}

/* --------------------------------------------------------- precedents */

static GtkWidget *
precedent_row (const RrPrecedent *p)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title;
  GtkWidget *summary;
  GtkWidget *meta;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  head = g_markup_printf_escaped ("<b>%s</b>  %s · %s", p->number, p->decision_date,
                                  p->rule_code);
  title = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  summary = gtk_label_new (p->summary);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  tail = g_strdup_printf ("%s · %s%s%s", p->client_pseudonym,
                          rr_outcome_label (p->outcome),
                          p->effect != RR_EFFECT_NONE ? " · " : "",
                          p->effect != RR_EFFECT_NONE ? rr_effect_label (p->effect) : "");
  meta = gtk_label_new (tail);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_wrap (GTK_LABEL (meta), TRUE);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

/* Earlier deviations by the team: a search over its decisions that takes
 * over a hundred milliseconds at a million decisions, so it runs in a
 * worker thread (rr_background_query). */
typedef struct {
  char *rule;
  char *text;
} Search;

static void
search_free (Search *search)
{
  g_free (search->rule);
  g_free (search->text);
  g_free (search);
}

static gpointer
query_precedents (RrStore     *store,
                  const char  *login,
                  gpointer     data,
                  GError     **error)
{
  Search *search = data;

  return rr_decisions_precedents (store, login, search->rule, search->text, N_PRECEDENTS,
                                  error);
}

static void
on_precedents_found (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RrDecisionEditor) self = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint generation;

  found = rr_background_query_finish (result, (gpointer *) &self, &generation, NULL, &error);
  if (self == NULL || generation != self->precedents_generation)
    return;
  self->precedents_loading = FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->precedents_list))) != NULL)
    gtk_list_box_remove (self->precedents_list, child);
  if (found == NULL)
    {
      gtk_label_set_text (self->precedents_status, error->message);
      return;
    }
  if (found->len == 0)
    gtk_label_set_text (self->precedents_status,
                        _("No earlier deviations by your team are like this one."));
  else
    gtk_label_set_text (self->precedents_status,
                        _("Earlier deviations by your team, the same rule first."));
  for (guint i = 0; i < found->len; i++)
    gtk_list_box_append (self->precedents_list, precedent_row (g_ptr_array_index (found, i)));
}

static gboolean
refresh_precedents (gpointer user_data)
{
  RrDecisionEditor *self = user_data;
  g_autofree char *rule = get_entry (self->rule_entry);
  g_autofree char *summary = get_entry (self->summary_entry);
  g_autofree char *explanation = get_view (self->explanation_view);
  g_autofree char *text = NULL;
  GtkWidget *child;
  Search *search;

  self->precedents_id = 0;
  self->precedents_generation++;
  text = g_strjoin (" ", summary != NULL ? summary : "", explanation != NULL ? explanation : "",
                    NULL);
  g_strstrip (text);
  if (rule == NULL && *text == '\0')
    {
      self->precedents_loading = FALSE;
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->precedents_list))) != NULL)
        gtk_list_box_remove (self->precedents_list, child);
      gtk_label_set_text (self->precedents_status,
                          _("Choose a rule to see earlier deviations by your team."));
      return G_SOURCE_REMOVE;
    }
  /* The rows shown stay until the new ones are in. */
  search = g_new0 (Search, 1);
  search->rule = g_steal_pointer (&rule);
  search->text = *text != '\0' ? g_steal_pointer (&text) : NULL;
  self->precedents_loading = TRUE;
  rr_background_query (self, self->precedents_generation, self->store, self->login,
                       query_precedents, search, (GDestroyNotify) search_free,
                       (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                       on_precedents_found);
  return G_SOURCE_REMOVE;
}

static void
queue_precedents (RrDecisionEditor *self)
{
  g_clear_handle_id (&self->precedents_id, g_source_remove);
  self->precedents_id = g_timeout_add (PRECEDENTS_DELAY_MS, refresh_precedents, self);
}

/* ------------------------------------------------------------ feedback */

static void
update_feedback (RrDecisionEditor *self)
{
  g_autoptr(RrDecisionInput) in = collect_input (self);
  g_autoptr(GString) text = g_string_new (NULL);
  RrHints hints = RR_HINT_NONE;
  gboolean deviated = in->outcome == RR_OUTCOME_DEVIATED;

  gtk_revealer_set_reveal_child (self->deviation_revealer, deviated);
  if (deviated)
    hints = rr_decision_input_hints (in);
  for (guint bit = 1; bit <= RR_HINT_SANCTION_NO_CONTACT; bit <<= 1)
    if ((hints & bit) && bit != RR_HINT_SANCTION_NO_CONTACT)
      {
        if (text->len > 0)
          g_string_append_c (text, '\n');
        g_string_append (text, rr_hint_message ((RrHints) bit));
      }
  gtk_label_set_text (self->hints_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->hints_label), text->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sanction_warning),
                          in->sanction != RR_SANCTION_NONE && in->contact_date == NULL);
}

static gboolean
autosave (gpointer user_data)
{
  RrDecisionEditor *self = user_data;

  self->autosave_id = 0;
  rr_decision_editor_save_draft (self);
  return G_SOURCE_REMOVE;
}

static void
on_form_changed (RrDecisionEditor *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->success_label), FALSE);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add_seconds (AUTOSAVE_SECONDS, autosave, self);
  update_feedback (self);
}

static void
on_text_changed (RrDecisionEditor *self)
{
  on_form_changed (self);
  queue_precedents (self);
}

/* ----------------------------------------------------------- type-ahead */

static void
suggest_pick (Suggest *s,
              guint    position)
{
  if (position >= s->codes->len)
    return;
  s->setting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (s->entry), g_ptr_array_index (s->codes, position));
  gtk_editable_set_position (GTK_EDITABLE (s->entry), -1);
  s->setting = FALSE;
  gtk_label_set_text (s->side, g_ptr_array_index (s->names, position));
  gtk_popover_popdown (GTK_POPOVER (s->popover));
  queue_precedents (s->editor);
}

/* The popovers belong to the editor (an entry does not place popovers it
 * does not know about) and point at their entry. */
static void
suggest_point (Suggest *s)
{
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (s->entry), GTK_WIDGET (s->editor), &bounds))
    return;
  rect.x = (int) bounds.origin.x;
  rect.y = (int) bounds.origin.y;
  rect.width = (int) bounds.size.width;
  rect.height = (int) bounds.size.height;
  gtk_popover_set_pointing_to (GTK_POPOVER (s->popover), &rect);
  gtk_widget_set_size_request (s->popover, rect.width, -1);
}

static void
suggest_update (Suggest *s)
{
  RrDecisionEditor *self = s->editor;
  g_autofree char *text = get_entry (s->entry);
  g_autoptr(GPtrArray) found = NULL;
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (s->model));
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  gboolean exact = FALSE;

  g_ptr_array_set_size (s->codes, 0);
  g_ptr_array_set_size (s->names, 0);
  gtk_label_set_text (s->side, "");
  if (text != NULL)
    {
      if (s->is_rule)
        {
          g_autofree char *today = rr_date_today ();

          found = rr_rules_search (self->store, text, today, N_SUGGESTIONS, NULL);
          for (guint i = 0; found != NULL && i < found->len; i++)
            {
              RrRule *rule = g_ptr_array_index (found, i);

              g_ptr_array_add (s->codes, g_strdup (rule->code));
              g_ptr_array_add (s->names, g_strdup (rule->title));
              g_ptr_array_add (shown, g_strdup_printf ("%s — %s", rule->code, rule->title));
            }
        }
      else
        {
          found = rr_clients_search (self->store, self->login, text, N_SUGGESTIONS, NULL);
          for (guint i = 0; found != NULL && i < found->len; i++)
            {
              RrClient *client = g_ptr_array_index (found, i);

              g_ptr_array_add (s->codes, g_strdup (client->dossier));
              g_ptr_array_add (s->names, g_strdup (client->name));
              g_ptr_array_add (shown, g_strdup_printf ("%s — %s", client->dossier,
                                                       client->name));
            }
        }
    }
  for (guint i = 0; i < s->codes->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (s->codes, i), text) == 0)
      {
        exact = TRUE;
        gtk_label_set_text (s->side, g_ptr_array_index (s->names, i));
      }
  g_ptr_array_add (shown, NULL);
  gtk_string_list_splice (s->model, 0, n_old, (const char * const *) shown->pdata);
  gtk_single_selection_set_selected (s->selection, 0);

  /* Only while the person types here, and not once the text is a match. */
  if (s->codes->len > 0 && !exact && gtk_widget_get_mapped (GTK_WIDGET (s->entry))
      && gtk_widget_is_focus (gtk_widget_get_first_child (GTK_WIDGET (s->entry))))
    {
      suggest_point (s);
      gtk_popover_popup (GTK_POPOVER (s->popover));
    }
  else
    gtk_popover_popdown (GTK_POPOVER (s->popover));
}

static void
on_suggestion_activate (GtkListView *list,
                        guint        position,
                        gpointer     user_data)
{
  suggest_pick (user_data, position);
}

static void
on_suggest_entry_activate (GtkEntry *entry,
                           gpointer  user_data)
{
  Suggest *s = user_data;

  if (gtk_widget_get_visible (s->popover))
    suggest_pick (s, gtk_single_selection_get_selected (s->selection));
}

static gboolean
on_suggest_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  Suggest *s = user_data;
  guint selected = gtk_single_selection_get_selected (s->selection);
  guint n = s->codes->len;

  if (!gtk_widget_get_visible (s->popover) || n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Down:
      gtk_single_selection_set_selected (s->selection, MIN (selected + 1, n - 1));
      return TRUE;
    case GDK_KEY_Up:
      gtk_single_selection_set_selected (s->selection, selected > 0 ? selected - 1 : 0);
      return TRUE;
    case GDK_KEY_Escape:
      gtk_popover_popdown (GTK_POPOVER (s->popover));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_suggestion_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_list_item_set_child (item, label);
}

static void
on_suggestion_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static void
suggest_init (Suggest          *s,
              RrDecisionEditor *self,
              GtkEntry         *entry,
              GtkLabel         *side,
              gboolean          is_rule)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  s->editor = self;
  s->entry = entry;
  s->side = side;
  s->is_rule = is_rule;
  s->codes = g_ptr_array_new_with_free_func (g_free);
  s->names = g_ptr_array_new_with_free_func (g_free);
  s->model = gtk_string_list_new (NULL);
  s->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (s->model)));
  g_signal_connect (factory, "setup", G_CALLBACK (on_suggestion_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_suggestion_bind), NULL);
  s->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (s->selection)),
                                              factory));
  gtk_list_view_set_single_click_activate (s->list, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (s->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  is_rule ? _("Matching rules") : _("Matching clients"), -1);
  g_signal_connect (s->list, "activate", G_CALLBACK (on_suggestion_activate), s);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (s->list));
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 300);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);

  s->popover = gtk_popover_new ();
  /* Typing goes on in the entry while the suggestions show. */
  gtk_popover_set_autohide (GTK_POPOVER (s->popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (s->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (s->popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (s->popover, GTK_ALIGN_START);
  gtk_popover_set_child (GTK_POPOVER (s->popover), scroller);
  gtk_widget_set_parent (s->popover, GTK_WIDGET (self));

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_suggest_key), s);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (entry), keys);
  g_signal_connect (entry, "activate", G_CALLBACK (on_suggest_entry_activate), s);
}

static void
suggest_clear (Suggest *s)
{
  if (s->popover != NULL)
    gtk_widget_unparent (s->popover);
  s->popover = NULL;
  g_clear_object (&s->selection);
  g_clear_object (&s->model);
  g_clear_pointer (&s->codes, g_ptr_array_unref);
  g_clear_pointer (&s->names, g_ptr_array_unref);
}

static void
on_client_entry_changed (RrDecisionEditor *self)
{
  if (!self->client.setting && !self->loading)
    suggest_update (&self->client);
  on_form_changed (self);
}

static void
on_rule_entry_changed (RrDecisionEditor *self)
{
  if (!self->rule.setting && !self->loading)
    suggest_update (&self->rule);
  on_text_changed (self);
}

static void
on_deviated_toggled (RrDecisionEditor *self)
{
  on_form_changed (self);
  update_feedback (self);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                gpointer                 user_data)
{
  Suggest *s = user_data;

  gtk_popover_popdown (GTK_POPOVER (s->popover));
}

/* ------------------------------------------------------------ building */

static void
connect_change (RrDecisionEditor *self,
                gpointer          widget,
                const char       *signal,
                GCallback         callback)
{
  g_signal_connect_swapped (widget, signal, callback, self);
}

static GtkEntry *
add_structure_row (RrDecisionEditor *self,
                   int               row,
                   const char       *label,
                   const char       *accessible)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (l), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), entry);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_grid_attach (self->structure_grid, l, 0, row, 1, 1);
  gtk_grid_attach (self->structure_grid, entry, 1, row, 1, 1);
  connect_change (self, entry, "changed", G_CALLBACK (on_form_changed));
  return GTK_ENTRY (entry);
}

static void
build_structure (RrDecisionEditor *self)
{
  const char *agrees[] = { N_("Not asked"), N_("Agrees"), N_("Does not agree"), NULL };
  g_autoptr(GtkStringList) agrees_model = gtk_string_list_new (NULL);
  GtkWidget *l;
  int row = 0;

  self->principles_entry = add_structure_row (self, row++, _("_Principles and values"),
                                              _("Principles and values"));
  self->knowledge_entry = add_structure_row (self, row++, _("_Knowledge"), _("Knowledge"));
  self->experiences_entry = add_structure_row (self, row++, _("E_xperiences and assumptions"),
                                               _("Experiences and assumptions"));
  self->alternatives_entry = add_structure_row (self, row++, _("Alternatives c_onsidered"),
                                                _("Alternatives considered"));
  self->client_view_entry = add_structure_row (self, row++, _("The client’s _view"),
                                               _("The client’s view"));
  for (guint i = 0; agrees[i] != NULL; i++)
    gtk_string_list_append (agrees_model, _(agrees[i]));
  self->client_agrees_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&agrees_model)), NULL));
  l = gtk_label_new_with_mnemonic (_("The client a_grees"));
  gtk_label_set_xalign (GTK_LABEL (l), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), GTK_WIDGET (self->client_agrees_dropdown));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->client_agrees_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Whether the client agrees"),
                                  -1);
  gtk_widget_set_halign (GTK_WIDGET (self->client_agrees_dropdown), GTK_ALIGN_START);
  gtk_grid_attach (self->structure_grid, l, 0, row, 1, 1);
  gtk_grid_attach (self->structure_grid, GTK_WIDGET (self->client_agrees_dropdown), 1, row++,
                   1, 1);
  connect_change (self, self->client_agrees_dropdown, "notify::selected",
                  G_CALLBACK (on_form_changed));
  self->rights_entry = add_structure_row (self, row++, _("Rights and duties explained _on"),
                                          _("Date rights and duties were explained"));
  self->stakeholders_entry = add_structure_row (self, row++, _("Stakeholders consu_lted"),
                                                _("Stakeholders consulted"));
  self->risk_entry = add_structure_row (self, row++, _("_Risk assessment"),
                                        _("Risk assessment"));
  self->amount_entry = add_structure_row (self, row++, _("Financial conse_quence (€)"),
                                          _("Financial consequence in euros"));
}

static void
build_weighings (RrDecisionEditor *self)
{
  g_autoptr(GPtrArray) domains = rr_vocab_list (self->store, RR_VOCAB_DOMAIN, NULL);
  const char *levels[] = { N_("None"), N_("Some"), N_("Decisive") };

  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      RrTerm *term = g_ptr_array_index (domains, i);
      WeighingRow *row = g_new0 (WeighingRow, 1);
      GtkWidget *label = gtk_label_new (term->label);
      GtkWidget *group = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      g_autofree char *note_name = g_strdup_printf (_("Note on ‘%s’"), term->label);

      row->code = g_strdup (term->code);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_widget_add_css_class (group, "linked");
      gtk_widget_set_valign (group, GTK_ALIGN_CENTER);
      for (guint j = 0; j < 3; j++)
        {
          g_autofree char *name = g_strdup_printf ("%s: %s", term->label, _(levels[j]));
          GtkWidget *button = gtk_toggle_button_new_with_label (_(levels[j]));

          row->buttons[j] = GTK_TOGGLE_BUTTON (button);
          if (j > 0)
            gtk_toggle_button_set_group (row->buttons[j], row->buttons[0]);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_box_append (GTK_BOX (group), button);
          connect_change (self, button, "toggled", G_CALLBACK (on_form_changed));
        }
      gtk_toggle_button_set_active (row->buttons[0], TRUE);
      row->note = GTK_ENTRY (gtk_entry_new ());
      gtk_widget_set_hexpand (GTK_WIDGET (row->note), TRUE);
      gtk_entry_set_placeholder_text (row->note, _("Note"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      note_name, -1);
      connect_change (self, row->note, "changed", G_CALLBACK (on_form_changed));
      gtk_grid_attach (self->weighing_grid, label, 0, (int) i, 1, 1);
      gtk_grid_attach (self->weighing_grid, group, 1, (int) i, 1, 1);
      gtk_grid_attach (self->weighing_grid, GTK_WIDGET (row->note), 2, (int) i, 1, 1);
      g_ptr_array_add (self->weighings, row);
    }
}

/* A beheerder added or renamed a kind of discretion or a kader domain: the
 * form offers the new terms and keeps what was typed. */
static void
on_vocab_changed (RrDecisionEditor *self)
{
  g_autoptr(RrDecisionInput) in = NULL;
  g_autofree char *client_name = NULL;
  g_autofree char *rule_title = NULL;
  GtkWidget *child;

  if (self->weighing_grid == NULL)
    return;
  in = collect_input (self);
  client_name = g_strdup (gtk_label_get_text (self->client_name_label));
  rule_title = g_strdup (gtk_label_get_text (self->rule_title_label));
  self->loading = TRUE;
  g_ptr_array_set_size (self->kind_codes, 0);
  fill_vocab (self, RR_VOCAB_KIND, self->kind_dropdown, self->kind_codes);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->weighing_grid))) != NULL)
    gtk_grid_remove (self->weighing_grid, child);
  g_ptr_array_set_size (self->weighings, 0);
  build_weighings (self);
  fill_form (self, in);
  gtk_label_set_text (self->client_name_label, client_name);
  gtk_label_set_text (self->rule_title_label, rule_title);
}

static void
weighing_row_free (gpointer data)
{
  WeighingRow *row = data;

  g_free (row->code);
  g_free (row);
}

static void
restore_draft (RrDecisionEditor *self)
{
  g_autoptr(GPtrArray) drafts = rr_drafts_list (self->store, self->login, NULL);
  g_autoptr(RrDraft) draft = NULL;
  RrDraft *newest;

  if (drafts == NULL || drafts->len == 0)
    return;
  newest = g_ptr_array_index (drafts, 0);
  draft = rr_drafts_get (self->store, self->login, newest->id, NULL);
  if (draft == NULL || draft->input == NULL)
    return;
  fill_form (self, draft->input);
  self->draft_id = draft->id;
  {
    g_autofree char *text = g_strdup_printf (_("Draft of %s restored."), draft->updated_at);

    gtk_label_set_text (self->draft_label, text);
  }
  update_feedback (self);
  queue_precedents (self);
}

/* ------------------------------------------------------------- actions */

static void
on_record_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *parameter)
{
  rr_decision_editor_record (RR_DECISION_EDITOR (widget));
}

static void
on_clear_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  RrDecisionEditor *self = RR_DECISION_EDITOR (widget);

  if (self->draft_id != 0)
    rr_drafts_delete (self->store, self->login, self->draft_id, NULL);
  clear_form (self);
  show_refusal (self, NULL);
  gtk_label_set_text (self->draft_label, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->client_entry));
}

/* ----------------------------------------------------------- overrides */

static void
rr_decision_editor_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  RrDecisionEditor *self = RR_DECISION_EDITOR (widget);

  GTK_WIDGET_CLASS (rr_decision_editor_parent_class)->size_allocate (widget, width, height,
                                                                     baseline);
  if (self->client.popover != NULL)
    {
      suggest_point (&self->client);
      gtk_popover_present (GTK_POPOVER (self->client.popover));
    }
  if (self->rule.popover != NULL)
    {
      suggest_point (&self->rule);
      gtk_popover_present (GTK_POPOVER (self->rule.popover));
    }
}

static gboolean
rr_decision_editor_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (RR_DECISION_EDITOR (widget)->client_entry));
}

static void
rr_decision_editor_dispose (GObject *object)
{
  RrDecisionEditor *self = RR_DECISION_EDITOR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_clear_handle_id (&self->precedents_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  suggest_clear (&self->client);
  suggest_clear (&self->rule);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_DECISION_EDITOR);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_decision_editor_parent_class)->dispose (object);
}

static void
rr_decision_editor_finalize (GObject *object)
{
  RrDecisionEditor *self = RR_DECISION_EDITOR (object);

  g_free (self->login);
  g_free (self->last_number);
  g_free (self->supersedes);
  g_ptr_array_unref (self->kind_codes);
  g_ptr_array_unref (self->reason_codes);
  g_ptr_array_unref (self->weighings);
  G_OBJECT_CLASS (rr_decision_editor_parent_class)->finalize (object);
}

static void
rr_decision_editor_class_init (RrDecisionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_decision_editor_dispose;
  object_class->finalize = rr_decision_editor_finalize;
  widget_class->grab_focus = rr_decision_editor_grab_focus;
  widget_class->size_allocate = rr_decision_editor_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-decision-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RrDecisionEditor, name)
  BIND (form_scroller);
  BIND (precedents_box);
  BIND (refusal_label);
  BIND (success_label);
  BIND (version_label);
  BIND (client_entry);
  BIND (client_name_label);
  BIND (rule_entry);
  BIND (rule_title_label);
  BIND (kind_dropdown);
  BIND (applied_button);
  BIND (deviated_button);
  BIND (summary_entry);
  BIND (deviation_revealer);
  BIND (circumstances_view);
  BIND (explanation_view);
  BIND (reason_dropdown);
  BIND (hints_label);
  BIND (sanction_dropdown);
  BIND (contact_entry);
  BIND (sanction_warning);
  BIND (follow_up_entry);
  BIND (weighing_grid);
  BIND (structure_grid);
  BIND (draft_label);
  BIND (precedents_status);
  BIND (precedents_list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_client_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_rule_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_deviated_toggled);

  gtk_widget_class_install_action (widget_class, "editor.record", NULL, on_record_action);
  gtk_widget_class_install_action (widget_class, "editor.clear", NULL, on_clear_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.record", NULL);
}

static void
rr_decision_editor_init (RrDecisionEditor *self)
{
  const char *sanctions[] = { N_("No sanction"), N_("Sanction imposed"),
                              N_("Refrained from a sanction"), NULL };
  g_autoptr(GtkStringList) sanction_model = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->kind_codes = g_ptr_array_new_with_free_func (g_free);
  self->reason_codes = g_ptr_array_new_with_free_func (g_free);
  self->weighings = g_ptr_array_new_with_free_func (weighing_row_free);
  self->follow_up_months = 3;
  for (guint i = 0; sanctions[i] != NULL; i++)
    gtk_string_list_append (sanction_model, _(sanctions[i]));
  gtk_drop_down_set_model (self->sanction_dropdown, G_LIST_MODEL (sanction_model));
}

static void
connect_form (RrDecisionEditor *self)
{
  GtkEventController *focus;

  connect_change (self, self->summary_entry, "changed", G_CALLBACK (on_text_changed));
  connect_change (self, gtk_text_view_get_buffer (self->circumstances_view), "changed",
                  G_CALLBACK (on_form_changed));
  connect_change (self, gtk_text_view_get_buffer (self->explanation_view), "changed",
                  G_CALLBACK (on_text_changed));
  connect_change (self, self->kind_dropdown, "notify::selected", G_CALLBACK (on_form_changed));
  connect_change (self, self->reason_dropdown, "notify::selected", G_CALLBACK (on_form_changed));
  connect_change (self, self->sanction_dropdown, "notify::selected",
                  G_CALLBACK (on_form_changed));
  connect_change (self, self->contact_entry, "changed", G_CALLBACK (on_form_changed));
  connect_change (self, self->follow_up_entry, "changed", G_CALLBACK (on_form_changed));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), &self->client);
  gtk_widget_add_controller (GTK_WIDGET (self->client_entry), focus);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), &self->rule);
  gtk_widget_add_controller (GTK_WIDGET (self->rule_entry), focus);
}

/* ------------------------------------------------------------------ API */

GtkWidget *
rr_decision_editor_new (RrStore    *store,
                        const char *login)
{
  RrDecisionEditor *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_DECISION_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  self->follow_up_months = rr_store_get_setting_int (store, "follow_up_months", 3);
  fill_vocab (self, RR_VOCAB_KIND, self->kind_dropdown, self->kind_codes);
  fill_vocab (self, RR_VOCAB_REASON, self->reason_dropdown, self->reason_codes);
  build_structure (self);
  build_weighings (self);
  suggest_init (&self->client, self, self->client_entry, self->client_name_label, FALSE);
  suggest_init (&self->rule, self, self->rule_entry, self->rule_title_label, TRUE);
  clear_form (self);
  connect_form (self);
  restore_draft (self);
  g_signal_connect_object (store, "changed::settings", G_CALLBACK (on_vocab_changed), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

void
rr_decision_editor_set_follow_up_months (RrDecisionEditor *self,
                                         int               months)
{
  g_return_if_fail (RR_IS_DECISION_EDITOR (self));

  self->follow_up_months = CLAMP (months, 1, 24);
  if (!self->dirty && self->draft_id == 0)
    {
      g_autofree char *today = rr_date_today ();
      g_autofree char *follow_up = rr_date_add_months (today, self->follow_up_months);

      self->loading = TRUE;
      set_entry (self->follow_up_entry, follow_up);
      self->loading = FALSE;
    }
}

void
rr_decision_editor_save_draft (RrDecisionEditor *self)
{
  g_autoptr(RrDecisionInput) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  g_return_if_fail (RR_IS_DECISION_EDITOR (self));

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (!self->dirty || self->store == NULL)
    return;
  in = collect_input (self);
  if (input_is_empty (in))
    return;
  id = rr_drafts_save (self->store, self->login, self->draft_id, in, &error);
  if (id == 0)
    {
      text = g_strdup_printf (_("The draft could not be saved: %s"), error->message);
      gtk_label_set_text (self->draft_label, text);
      return;
    }
  self->draft_id = id;
  self->dirty = FALSE;
  now = g_date_time_new_now_local ();
  time = g_date_time_format (now, "%H:%M:%S");
  text = g_strdup_printf (_("Draft saved at %s."), time);
  gtk_label_set_text (self->draft_label, text);
}

gboolean
rr_decision_editor_record (RrDecisionEditor *self)
{
  g_autoptr(RrDecisionInput) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (RR_IS_DECISION_EDITOR (self), FALSE);

  in = collect_input (self);
  if (self->supersedes != NULL)
    {
      int version = rr_decisions_supersede (self->store, self->login, self->supersedes, in,
                                            &error);

      if (version > 0)
        {
          number = g_strdup (self->supersedes);
          text = g_strdup_printf (_("Recorded as version %d of %s."), version, number);
        }
    }
  else
    number = rr_decisions_record (self->store, self->login, in, &error);
  if (number == NULL)
    {
      /* Everything typed stays; the refusal says what to add. */
      show_refusal (self, error->message);
      return FALSE;
    }
  show_refusal (self, NULL);
  if (self->draft_id != 0)
    rr_drafts_delete (self->store, self->login, self->draft_id, NULL);
  g_free (self->last_number);
  self->last_number = g_strdup (number);
  clear_form (self);
  if (text == NULL)
    text = g_strdup_printf (_("Recorded as %s."), number);
  gtk_label_set_text (self->success_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->success_label), TRUE);
  gtk_label_set_text (self->draft_label, "");
  queue_precedents (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->client_entry));
  return TRUE;
}

gboolean
rr_decision_editor_start_new_version (RrDecisionEditor *self,
                                      const char       *number,
                                      GError          **error)
{
  g_autoptr(RrDecision) decision = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (RR_IS_DECISION_EDITOR (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  decision = rr_decisions_get (self->store, self->login, number, 0, error);
  if (decision == NULL)
    return FALSE;
  /* What was typed for another decision is kept as a draft first. */
  rr_decision_editor_save_draft (self);
  clear_form (self);
  if (decision->input != NULL)
    fill_form (self, decision->input);
  self->supersedes = g_strdup (decision->number);
  text = g_strdup_printf (_("A new version of %s: change what the questions asked about, "
                            "then record it."), decision->number);
  gtk_label_set_text (self->version_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), TRUE);
  show_refusal (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->success_label), FALSE);
  update_feedback (self);
  queue_precedents (self);
  return TRUE;
}

/* Whether earlier deviations are still being looked for (a search is
 * queued or under way). */
gboolean
rr_decision_editor_is_finding_precedents (RrDecisionEditor *self)
{
  g_return_val_if_fail (RR_IS_DECISION_EDITOR (self), FALSE);
  return self->precedents_id != 0 || self->precedents_loading;
}

const char *
rr_decision_editor_get_last_number (RrDecisionEditor *self)
{
  g_return_val_if_fail (RR_IS_DECISION_EDITOR (self), NULL);
  return self->last_number;
}
