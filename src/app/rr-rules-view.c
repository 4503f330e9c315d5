/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-rules-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-rules-view.h"

struct _RrRulesView
{
  GtkWidget   parent_instance;

  /* template */
  GtkLabel   *empty_label;
  GtkListBox *list;
  GtkBox     *detail_box;

  /* owned */
  RrStore    *store;
  GPtrArray  *rules;   /* (element-type RrRule) */
};

G_DEFINE_FINAL_TYPE (RrRulesView, rr_rules_view, GTK_TYPE_WIDGET)

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
on_row_selected (RrRulesView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  RrRule *rule;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  if (index < 0 || (guint) index >= self->rules->len)
    {
      add_label (self->detail_box, _("Select a rule to read it."), "dim-label");
      return;
    }
  rule = g_ptr_array_index (self->rules, index);
  title = g_strdup_printf ("%s · %s", rule->code, rule->title);
  add_label (self->detail_box, title, "title-3");
  if (rule->example)
    add_label (self->detail_box, _("Part of the starter catalogue: an example to adapt."),
               "rr-hint");
  add_field (self->detail_box, _("Source"), rr_rule_source_kind_label (rule->source_kind));
  add_field (self->detail_box, _("Article"), rule->article);
  add_field (self->detail_box, _("Reference"), rule->reference);
  add_field (self->detail_box, _("In force from"), rule->valid_from);
  add_field (self->detail_box, _("In force until"), rule->valid_to);
  if (rule->text != NULL)
    {
      add_label (self->detail_box, _("Text"), "rr-section-title");
      add_label (self->detail_box, rule->text, NULL);
    }
  if (rule->goal != NULL)
    {
      add_label (self->detail_box, _("Goal of the rule"), "rr-section-title");
      add_label (self->detail_box, rule->goal, NULL);
    }
  add_label (self->detail_box, _("Versions"), "rr-section-title");
  versions = rr_rules_versions (self->store, rule->code, NULL);
  for (guint i = 0; versions != NULL && i < versions->len; i++)
    {
      RrRule *v = g_ptr_array_index (versions, i);
      g_autofree char *text = g_strdup_printf (_("Version %d · from %s%s%s"), v->version,
                                               v->valid_from,
                                               v->valid_to != NULL ? _(" until ") : "",
                                               v->valid_to != NULL ? v->valid_to : "");

      add_label (self->detail_box, text, NULL);
    }
}

static GtkWidget *
rule_row (const RrRule *rule)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (rule->title);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s", rule->code,
                                                   rr_rule_source_kind_label (rule->source_kind));

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

static void
on_store_changed (RrRulesView *self)
{
  rr_rules_view_reload (self);
}

static void
rr_rules_view_dispose (GObject *object)
{
  RrRulesView *self = RR_RULES_VIEW (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_RULES_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_rules_view_parent_class)->dispose (object);
}

static void
rr_rules_view_finalize (GObject *object)
{
  RrRulesView *self = RR_RULES_VIEW (object);

  g_ptr_array_unref (self->rules);
  G_OBJECT_CLASS (rr_rules_view_parent_class)->finalize (object);
}

static void
rr_rules_view_class_init (RrRulesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_rules_view_dispose;
  object_class->finalize = rr_rules_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-rules-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrRulesView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RrRulesView, list);
  gtk_widget_class_bind_template_child (widget_class, RrRulesView, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
rr_rules_view_init (RrRulesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rules = g_ptr_array_new ();
}

GtkWidget *
rr_rules_view_new (RrStore *store)
{
  RrRulesView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  self = g_object_new (RR_TYPE_RULES_VIEW, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "changed::rules", G_CALLBACK (on_store_changed), self);
  rr_rules_view_reload (self);
  return GTK_WIDGET (self);
}

void
rr_rules_view_reload (RrRulesView *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (RR_IS_RULES_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_unref (self->rules);
  self->rules = g_ptr_array_new ();
  rules = rr_rules_list (self->store, FALSE, &error);
  if (rules == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      on_row_selected (self);
      return;
    }
  for (guint i = 0; i < rules->len; i++)
    gtk_list_box_append (self->list, rule_row (g_ptr_array_index (rules, i)));
  g_ptr_array_unref (self->rules);
  self->rules = g_steal_pointer (&rules);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->rules->len == 0);
  on_row_selected (self);
}

void
rr_rules_view_select (RrRulesView *self,
                      int          index)
{
  g_return_if_fail (RR_IS_RULES_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

guint
rr_rules_view_get_n_rows (RrRulesView *self)
{
  g_return_val_if_fail (RR_IS_RULES_VIEW (self), 0);
  return self->rules->len;
}
