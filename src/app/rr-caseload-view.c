/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-caseload-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-background.h"
#include "rr-caseload-view.h"

#define TIMELINE_LIMIT 200
/* How many clients the list shows before "Show More": an auditor sees
 * every client, tens of thousands at a million decisions, more than a list
 * box builds in time. */
#define DEFAULT_PAGE_SIZE 100

struct _RrCaseloadView
{
  GtkWidget   parent_instance;

  /* template */
  GtkLabel   *empty_label;
  GtkWidget  *loading_box;
  GtkListBox *list;
  GtkButton  *more_button;
  GtkBox     *detail_box;

  /* owned */
  RrStore    *store;
  char       *login;
  GPtrArray  *clients;   /* (element-type RrClient), all of them; listed first */
  guint       n_listed;
  guint       page_size;
  /* The list comes from a worker thread: its generation, so that a result
   * a reload made stale is dropped; cancelled when the view goes. */
  guint         generation;
  gboolean      loading;
  GCancellable *cancellable;
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
  if (index < 0 || (guint) index >= self->n_listed)
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
update_more (RrCaseloadView *self)
{
  gtk_widget_set_visible (self->loading_box, self->loading);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button),
                          !self->loading && self->n_listed < self->clients->len);
}

/* Lists the next page of the clients already fetched. */
static void
list_more (RrCaseloadView *self)
{
  guint end = MIN (self->clients->len, self->n_listed + self->page_size);

  for (; self->n_listed < end; self->n_listed++)
    gtk_list_box_append (self->list, client_row (g_ptr_array_index (self->clients,
                                                                    self->n_listed)));
  update_more (self);
}

static void
on_more_clicked (RrCaseloadView *self)
{
  list_more (self);
}

/* The caseload query groups the clients' decisions: a quarter of a second
 * for an auditor at a million decisions, so it runs in a worker thread on
 * its own connection (DESIGN §4). */
static gpointer
query_clients (RrStore     *store,
               const char  *login,
               gpointer     query_data,
               GError     **error)
{
  return rr_clients_list (store, login, FALSE, error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RrCaseloadView) self = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GError) error = NULL;
  guint generation;

  clients = rr_background_query_finish (result, (gpointer *) &self, &generation, NULL, &error);
  if (self == NULL || generation != self->generation)
    return;
  self->loading = FALSE;
  if (clients == NULL)
    {
      update_more (self);
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      return;
    }
  g_ptr_array_unref (self->clients);
  self->clients = g_steal_pointer (&clients);
  gtk_label_set_text (self->empty_label, _("No clients."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->clients->len == 0);
  list_more (self);
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
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, loading_box);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, list);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, more_button);
  gtk_widget_class_bind_template_child (widget_class, RrCaseloadView, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
}

static void
rr_caseload_view_init (RrCaseloadView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->clients = g_ptr_array_new ();
  self->page_size = DEFAULT_PAGE_SIZE;
  self->cancellable = g_cancellable_new ();
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

/* Lists the caseload again; it comes in the background, and the list is
 * empty until it does. */
void
rr_caseload_view_reload (RrCaseloadView *self)
{
  GtkWidget *child;

  g_return_if_fail (RR_IS_CASELOAD_VIEW (self));

  self->generation++;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_listed = 0;
  g_ptr_array_unref (self->clients);
  self->clients = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
  on_row_selected (self);

  self->loading = TRUE;
  update_more (self);
  rr_background_query (self, self->generation, self->store, self->login, query_clients, NULL,
                       NULL, (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_loaded);
}

void
rr_caseload_view_select (RrCaseloadView *self,
                         int             index)
{
  g_return_if_fail (RR_IS_CASELOAD_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

/* The rows listed so far. */
guint
rr_caseload_view_get_n_rows (RrCaseloadView *self)
{
  g_return_val_if_fail (RR_IS_CASELOAD_VIEW (self), 0);
  return self->n_listed;
}

/* The clients in the caseload, listed or not. */
guint
rr_caseload_view_get_n_clients (RrCaseloadView *self)
{
  g_return_val_if_fail (RR_IS_CASELOAD_VIEW (self), 0);
  return self->clients->len;
}

gboolean
rr_caseload_view_is_loading (RrCaseloadView *self)
{
  g_return_val_if_fail (RR_IS_CASELOAD_VIEW (self), FALSE);
  return self->loading;
}

/* How many clients a page lists (at least one), from the next reload. */
void
rr_caseload_view_set_page_size (RrCaseloadView *self,
                                guint           page_size)
{
  g_return_if_fail (RR_IS_CASELOAD_VIEW (self));
  self->page_size = MAX (page_size, 1);
}
