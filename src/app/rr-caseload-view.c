/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-caseload-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-caseload-view.h"

#define TIMELINE_LIMIT 200

struct _RrCaseloadView
{
  GtkWidget   parent_instance;

  /* template */
  GtkLabel   *empty_label;
  GtkListBox *list;
  GtkBox     *detail_box;

  /* owned */
  RrStore    *store;
  char       *login;
  GPtrArray  *clients;   /* (element-type RrClient) */
};

G_DEFINE_FINAL_TYPE (RrCaseloadView, rr_caseload_view, GTK_TYPE_WIDGET)

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
on_row_selected (RrCaseloadView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  RrClient *client;
  RrDecisionFilter filter;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meta = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  if (index < 0 || (guint) index >= self->clients->len)
    {
      add_label (self->detail_box, _("Select a client to see their decisions as a timeline."),
                 "dim-label");
      return;
    }
  client = g_ptr_array_index (self->clients, index);
  title = g_strdup_printf ("%s · %s", client->dossier, client->name);
  add_label (self->detail_box, title, "title-3");
  meta = g_strdup_printf (_("Klantmanager %s · since %s%s"), client->owner_name,
                          client->opened, client->active ? "" : _(" · closed"));
  add_label (self->detail_box, meta, "dim-label");
  add_label (self->detail_box, _("Timeline"), "rr-section-title");

  rr_decision_filter_init (&filter);
  filter.client = g_strdup (client->dossier);
  filter.sort = RR_SORT_DATE_DESC;
  decisions = rr_decisions_list (self->store, self->login, &filter, 0, TIMELINE_LIMIT, &error);
  rr_decision_filter_clear (&filter);
  if (decisions == NULL)
    {
      add_label (self->detail_box, error->message, "rr-refusal");
      return;
    }
  if (decisions->len == 0)
    add_label (self->detail_box, _("No decisions yet."), "dim-label");
  for (guint i = 0; i < decisions->len; i++)
    {
      RrDecisionRow *d = g_ptr_array_index (decisions, i);
      g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s · %s · %s",
                                                       d->decision_date, d->number,
                                                       d->rule_code,
                                                       rr_outcome_label (d->outcome));
      GtkWidget *label = add_label (self->detail_box, NULL, NULL);
      g_autofree char *status = NULL;

      gtk_label_set_markup (GTK_LABEL (label), head);
      gtk_widget_set_margin_top (label, 6);
      add_label (self->detail_box, d->summary, NULL);
      status = g_strdup_printf ("%s · %s%s%s", rr_status_label (d->status),
                                rr_review_state_label (d->review_state),
                                d->effect != RR_EFFECT_NONE ? " · " : "",
                                d->effect != RR_EFFECT_NONE ? rr_effect_label (d->effect) : "");
      add_label (self->detail_box, status, "dim-label");
    }
}

static GtkWidget *
client_row (const RrClient *client)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (client->owner_name);
  g_autofree char *count = g_strdup_printf ("%d", client->n_decisions);
  GtkWidget *badge = gtk_label_new (count);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s", client->dossier,
                                                   client->name);
  g_autofree char *tip = g_strdup_printf (ngettext ("%d decision", "%d decisions",
                                                    client->n_decisions),
                                          client->n_decisions);

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_tooltip_text (badge, tip);
  gtk_widget_add_css_class (badge, "dim-label");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), meta);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), badge);
  return box;
}

static void
on_store_changed (RrCaseloadView *self)
{
  rr_caseload_view_reload (self);
}

static void
rr_caseload_view_dispose (GObject *object)
{
  RrCaseloadView *self = RR_CASELOAD_VIEW (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_CASELOAD_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_caseload_view_parent_class)->dispose (object);
}

static void
rr_caseload_view_finalize (GObject *object)
{
  RrCaseloadView *self = RR_CASELOAD_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->clients);
  G_OBJECT_CLASS (rr_caseload_view_parent_class)->finalize (object);
}

static void
rr_caseload_view_class_init (RrCaseloadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_caseload_view_dispose;
  object_class->finalize = rr_caseload_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-caseload-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, list);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
rr_caseload_view_init (RrCaseloadView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->clients = g_ptr_array_new ();
}

GtkWidget *
rr_caseload_view_new (RrStore    *store,
                      const char *login)
{
  RrCaseloadView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_CASELOAD_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  g_signal_connect_swapped (store, "changed::clients", G_CALLBACK (on_store_changed), self);
  g_signal_connect_swapped (store, "changed::decisions", G_CALLBACK (on_store_changed), self);
  rr_caseload_view_reload (self);
  return GTK_WIDGET (self);
}

void
rr_caseload_view_reload (RrCaseloadView *self)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (RR_IS_CASELOAD_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_unref (self->clients);
  self->clients = g_ptr_array_new ();
  clients = rr_clients_list (self->store, self->login, FALSE, &error);
  if (clients == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      on_row_selected (self);
      return;
    }
  for (guint i = 0; i < clients->len; i++)
    gtk_list_box_append (self->list, client_row (g_ptr_array_index (clients, i)));
  g_ptr_array_unref (self->clients);
  self->clients = g_steal_pointer (&clients);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->clients->len == 0);
  on_row_selected (self);
}

void
rr_caseload_view_select (RrCaseloadView *self,
                         int             index)
{
  g_return_if_fail (RR_IS_CASELOAD_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

guint
rr_caseload_view_get_n_rows (RrCaseloadView *self)
{
  g_return_val_if_fail (RR_IS_CASELOAD_VIEW (self), 0);
  return self->clients->len;
}
