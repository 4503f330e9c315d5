/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-followup-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-background.h"
#include "rr-followup-view.h"

struct _RrFollowupView
{
  GtkWidget    parent_instance;

  /* template */
  GtkLabel    *empty_label;
  GtkWidget   *loading_box;
  GtkListBox  *list;
  GtkButton   *more_button;
  GtkBox      *detail_box;
  GtkDropDown *effect_dropdown;
  GtkTextView *note_view;
  GtkButton   *record_button;
  GtkLabel    *message_label;

  /* owned */
  RrStore     *store;
  char        *login;
  GPtrArray   *rows;   /* (element-type RrDecisionRow), as listed */
  guint        page_size;
  gboolean     has_more;
  /* A load in a worker thread: its generation, so that a result that a
   * reload made stale is dropped; cancelled when the view goes. */
  guint        generation;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RrFollowupView, rr_followup_view, GTK_TYPE_WIDGET)

/* How many follow-ups a page lists: a team at a million decisions has tens
 * of thousands due, more than anyone reads or a list box draws in time. */
#define DEFAULT_PAGE_SIZE 100

static void load_page       (RrFollowupView *self);
static void on_more_clicked (RrFollowupView *self);

static const RrEffect effects[] = {
  RR_EFFECT_BEREIKT, RR_EFFECT_DEELS, RR_EFFECT_NIET, RR_EFFECT_ONBEKEND,
};

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  gtk_box_append (box, label);
  return label;
}

static void
show_message (RrFollowupView *self,
              const char     *text,
              gboolean        refusal)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static RrDecisionRow *
selected_row (RrFollowupView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint) index >= self->rows->len)
    return NULL;
  return g_ptr_array_index (self->rows, index);
}

static void
on_row_selected (RrFollowupView *self)
{
  RrDecisionRow *row = selected_row (self);
  GtkWidget *child;
  g_autofree char *title = NULL;
  g_autofree char *meta = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), row != NULL);
  if (row == NULL)
    {
      add_label (self->detail_box, _("Select a follow-up to record what the decision achieved."),
                 "dim-label");
      return;
    }
  title = g_strdup_printf ("%s · %s", row->number, row->rule_code);
  add_label (self->detail_box, title, "title-3");
  add_label (self->detail_box, row->summary, NULL);
  meta = g_strdup_printf (_("Client %s · decided %s · %s · follow-up due %s"),
                          row->client_dossier, row->decision_date,
                          rr_outcome_label (row->outcome), row->follow_up);
  add_label (self->detail_box, meta, "dim-label");
  add_label (self->detail_box, _("What did the decision achieve?"), "rr-section-title");
}

static void
on_record_clicked (RrFollowupView *self)
{
  RrDecisionRow *row = selected_row (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;
  g_autofree char *note = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;
  guint index = gtk_drop_down_get_selected (self->effect_dropdown);

  g_autofree char *number = NULL;

  if (row == NULL || index >= G_N_ELEMENTS (effects))
    return;
  /* Recording reloads the list (the store says so), which frees @row. */
  number = g_strdup (row->number);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  note = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (!rr_outcomes_record (self->store, self->login, number, effects[index],
                           *note != '\0' ? note : NULL, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  done = g_strdup_printf (_("Outcome of %s recorded."), number);
  gtk_text_buffer_set_text (buffer, "", -1);
  rr_followup_view_reload (self);
  show_message (self, done, FALSE);
}

static GtkWidget *
due_row (const RrDecisionRow *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (row->summary);
  GtkWidget *meta;
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s", row->number,
                                                   row->client_dossier);
  g_autofree char *tail = g_strdup_printf (_("Due %s · %s"), row->follow_up,
                                           rr_outcome_label (row->outcome));

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  meta = gtk_label_new (tail);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

static void
rr_followup_view_dispose (GObject *object)
{
  RrFollowupView *self = RR_FOLLOWUP_VIEW (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_FOLLOWUP_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_followup_view_parent_class)->dispose (object);
}

static void
rr_followup_view_finalize (GObject *object)
{
  RrFollowupView *self = RR_FOLLOWUP_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (rr_followup_view_parent_class)->finalize (object);
}

static void
rr_followup_view_class_init (RrFollowupViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_followup_view_dispose;
  object_class->finalize = rr_followup_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-followup-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, loading_box);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, list);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, more_button);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, detail_box);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, effect_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, note_view);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, record_button);
  gtk_widget_class_bind_template_child (widget_class, RrFollowupView, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_record_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
}

static void
rr_followup_view_init (RrFollowupView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_row_free);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (effects); i++)
    gtk_string_list_append (labels, rr_effect_label (effects[i]));
  gtk_drop_down_set_model (self->effect_dropdown, G_LIST_MODEL (labels));
}

GtkWidget *
rr_followup_view_new (RrStore    *store,
                      const char *login)
{
  RrFollowupView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_FOLLOWUP_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  g_signal_connect_swapped (store, "changed::decisions", G_CALLBACK (rr_followup_view_reload),
                            self);
  rr_followup_view_reload (self);
  return GTK_WIDGET (self);
}

/* The query scans the due part of the follow-up index, which at a million
 * decisions takes seconds when few rows are the actor's: it runs in a
 * worker thread on its own connection (DESIGN §4), a page at a time. */
typedef struct {
  char   *until;
  char   *after_follow_up;
  gint64  after_id;
  guint   limit;
} Page;

static void
page_free (Page *page)
{
  g_free (page->until);
  g_free (page->after_follow_up);
  g_free (page);
}

static gpointer
query_page (RrStore     *store,
            const char  *login,
            gpointer     query_data,
            GError     **error)
{
  Page *page = query_data;

  /* One more than a page, to know whether there is a next one. */
  return rr_outcomes_due_page (store, login, page->until, page->after_follow_up,
                               page->after_id, page->limit + 1, error);
}

static void
set_loading (RrFollowupView *self,
             gboolean        loading)
{
  gtk_widget_set_visible (self->loading_box, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), !loading && self->has_more);
}

static void
on_page_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RrFollowupView) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint generation;
  Page *page;

  rows = rr_background_query_finish (result, (gpointer *) &self, &generation,
                                     (gpointer *) &page, &error);
  if (self == NULL || generation != self->generation)
    return;
  self->has_more = FALSE;
  if (rows == NULL)
    {
      set_loading (self, FALSE);
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      return;
    }
  if (rows->len > page->limit)
    {
      self->has_more = TRUE;
      g_ptr_array_set_size (rows, page->limit);
    }
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_append (self->list, due_row (g_ptr_array_index (rows, i)));
  g_ptr_array_extend_and_steal (self->rows, g_steal_pointer (&rows));
  set_loading (self, FALSE);
  gtk_label_set_text (self->empty_label, _("No follow-ups are due."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->rows->len == 0);
}

/* Starts loading the page after the rows listed so far. */
static void
load_page (RrFollowupView *self)
{
  Page *page = g_new0 (Page, 1);
  RrDecisionRow *last = self->rows->len > 0 ? g_ptr_array_index (self->rows, self->rows->len - 1)
                                            : NULL;

  page->until = rr_date_today ();
  page->after_follow_up = last != NULL ? g_strdup (last->follow_up) : NULL;
  page->after_id = last != NULL ? last->id : 0;
  page->limit = self->page_size;
  set_loading (self, TRUE);
  rr_background_query (self, self->generation, self->store, self->login, query_page, page,
                       (GDestroyNotify) page_free, (GDestroyNotify) g_ptr_array_unref,
                       self->cancellable, on_page_loaded);
}

static void
on_more_clicked (RrFollowupView *self)
{
  load_page (self);
}

/* Lists the due follow-ups again from the first page; they come in the
 * background, and the list is empty until they do. */
void
rr_followup_view_reload (RrFollowupView *self)
{
  GtkWidget *child;

  g_return_if_fail (RR_IS_FOLLOWUP_VIEW (self));

  self->generation++;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  show_message (self, NULL, FALSE);
  g_ptr_array_set_size (self->rows, 0);
  self->has_more = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
  on_row_selected (self);
  load_page (self);
}

void
rr_followup_view_select (RrFollowupView *self,
                         int             index)
{
  g_return_if_fail (RR_IS_FOLLOWUP_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

guint
rr_followup_view_get_n_rows (RrFollowupView *self)
{
  g_return_val_if_fail (RR_IS_FOLLOWUP_VIEW (self), 0);
  return self->rows->len;
}

gboolean
rr_followup_view_is_loading (RrFollowupView *self)
{
  g_return_val_if_fail (RR_IS_FOLLOWUP_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->loading_box);
}

gboolean
rr_followup_view_has_more (RrFollowupView *self)
{
  g_return_val_if_fail (RR_IS_FOLLOWUP_VIEW (self), FALSE);
  return self->has_more;
}

/* How many follow-ups a page lists (at least one), from the next reload. */
void
rr_followup_view_set_page_size (RrFollowupView *self,
                                guint           page_size)
{
  g_return_if_fail (RR_IS_FOLLOWUP_VIEW (self));
  self->page_size = MAX (page_size, 1);
}
