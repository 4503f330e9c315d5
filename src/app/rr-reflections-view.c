/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-reflections-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-reflections-view.h"

struct _RrReflectionsView
{
  GtkWidget       parent_instance;

  /* template */
  GtkLabel       *empty_label;
  GtkListBox     *list;
  GtkLabel       *heading_label;
  GtkDropDown    *kind_dropdown;
  GtkCheckButton *shared_check;
  GtkEntry       *title_entry;
  GtkEntry       *number_entry;
  GtkTextView    *body_view;
  GtkButton      *save_button;
  GtkButton      *delete_button;
  GtkLabel       *message_label;

  /* owned */
  RrStore        *store;
  char           *login;
  GPtrArray      *reflections;   /* (element-type RrReflection) */
  gint64          editing_id;    /* 0: a new one */
};

G_DEFINE_FINAL_TYPE (RrReflectionsView, rr_reflections_view, GTK_TYPE_WIDGET)

static const RrReflectionKind kinds[] = {
  RR_REFLECTION_FREE, RR_REFLECTION_HITTEMOMENT, RR_REFLECTION_INTERVENTIEMOMENT,
  RR_REFLECTION_NAZORGMOMENT, RR_REFLECTION_CASE_STORY,
};

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

static void
show_message (RrReflectionsView *self,
              const char        *text,
              gboolean           refusal)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static void
fill_editor (RrReflectionsView  *self,
             const RrReflection *r)
{
  gboolean mine = r == NULL || g_strcmp0 (r->author_login, self->login) == 0;
  guint kind = 0;

  for (guint i = 0; r != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == r->kind)
      kind = i;
  self->editing_id = r != NULL ? r->id : 0;
  if (r == NULL)
    gtk_label_set_text (self->heading_label, _("New Reflection"));
  else if (mine)
    gtk_label_set_text (self->heading_label, r->title);
  else
    {
      g_autofree char *heading = g_strdup_printf (_("%s (shared by %s)"), r->title,
                                                  r->author_name);

      gtk_label_set_text (self->heading_label, heading);
    }
  gtk_drop_down_set_selected (self->kind_dropdown, kind);
  gtk_check_button_set_active (self->shared_check, r != NULL && r->shared);
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), r != NULL ? r->title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry),
                         r != NULL && r->number != NULL ? r->number : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            r != NULL ? r->body : "", -1);
  /* A colleague's shared reflection is read, not edited. */
  gtk_editable_set_editable (GTK_EDITABLE (self->title_entry), mine);
  gtk_editable_set_editable (GTK_EDITABLE (self->number_entry), mine);
  gtk_text_view_set_editable (self->body_view, mine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_dropdown), mine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->shared_check), mine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), mine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), mine && r != NULL);
}

static void
on_row_selected (RrReflectionsView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint) index >= self->reflections->len)
    return;
  show_message (self, NULL, FALSE);
  fill_editor (self, g_ptr_array_index (self->reflections, index));
}

static void
select_id (RrReflectionsView *self,
           gint64             id)
{
  for (guint i = 0; i < self->reflections->len; i++)
    if (((RrReflection *) g_ptr_array_index (self->reflections, i))->id == id)
      gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) i));
}

static void
on_save_clicked (RrReflectionsView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  g_autofree char *title = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  gint64 id;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
  number = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_entry))));
  id = rr_reflections_save (self->store, self->login, self->editing_id,
                            kinds[MIN (kind, G_N_ELEMENTS (kinds) - 1)],
                            gtk_check_button_get_active (self->shared_check),
                            *number != '\0' ? number : NULL, title, body, &error);
  if (id == 0)
    {
      /* What was typed stays. */
      show_message (self, error->message, TRUE);
      return;
    }
  rr_reflections_view_reload (self);
  select_id (self, id);
  show_message (self, _("Reflection saved."), FALSE);
}

static void
on_new_clicked (RrReflectionsView *self)
{
  gtk_list_box_unselect_all (self->list);
  show_message (self, NULL, FALSE);
  fill_editor (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
}

static void
on_delete_clicked (RrReflectionsView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->editing_id == 0)
    return;
  if (!rr_reflections_delete (self->store, self->login, self->editing_id, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  rr_reflections_view_reload (self);
  fill_editor (self, NULL);
  show_message (self, _("Reflection deleted."), FALSE);
}

static GtkWidget *
reflection_row (const RrReflection *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta;
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>", r->title);
  g_autofree char *at = short_time (r->updated_at);
  g_autofree char *tail = g_strdup_printf ("%s · %s · %s%s", rr_reflection_kind_label (r->kind),
                                           r->author_name, at,
                                           r->shared ? _(" · shared") : "");

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  meta = gtk_label_new (tail);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

static void
rr_reflections_view_dispose (GObject *object)
{
  RrReflectionsView *self = RR_REFLECTIONS_VIEW (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_REFLECTIONS_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_reflections_view_parent_class)->dispose (object);
}

static void
rr_reflections_view_finalize (GObject *object)
{
  RrReflectionsView *self = RR_REFLECTIONS_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->reflections);
  G_OBJECT_CLASS (rr_reflections_view_parent_class)->finalize (object);
}

static void
rr_reflections_view_class_init (RrReflectionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_reflections_view_dispose;
  object_class->finalize = rr_reflections_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-reflections-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RrReflectionsView, name)
  BIND (empty_label);
  BIND (list);
  BIND (heading_label);
  BIND (kind_dropdown);
  BIND (shared_check);
  BIND (title_entry);
  BIND (number_entry);
  BIND (body_view);
  BIND (save_button);
  BIND (delete_button);
  BIND (message_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
}

static void
rr_reflections_view_init (RrReflectionsView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->reflections = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (labels, rr_reflection_kind_label (kinds[i]));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (labels));
}

GtkWidget *
rr_reflections_view_new (RrStore    *store,
                         const char *login)
{
  RrReflectionsView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_REFLECTIONS_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  rr_reflections_view_reload (self);
  fill_editor (self, NULL);
  return GTK_WIDGET (self);
}

void
rr_reflections_view_reload (RrReflectionsView *self)
{
  g_autoptr(GPtrArray) reflections = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (RR_IS_REFLECTIONS_VIEW (self));

  g_signal_handlers_block_by_func (self->list, on_row_selected, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_signal_handlers_unblock_by_func (self->list, on_row_selected, self);
  g_ptr_array_unref (self->reflections);
  self->reflections = g_ptr_array_new ();
  reflections = rr_reflections_list (self->store, self->login, &error);
  if (reflections == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      return;
    }
  for (guint i = 0; i < reflections->len; i++)
    gtk_list_box_append (self->list, reflection_row (g_ptr_array_index (reflections, i)));
  g_ptr_array_unref (self->reflections);
  self->reflections = g_steal_pointer (&reflections);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->reflections->len == 0);
}

void
rr_reflections_view_select (RrReflectionsView *self,
                            int                index)
{
  g_return_if_fail (RR_IS_REFLECTIONS_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

guint
rr_reflections_view_get_n_rows (RrReflectionsView *self)
{
  g_return_val_if_fail (RR_IS_REFLECTIONS_VIEW (self), 0);
  return self->reflections->len;
}
