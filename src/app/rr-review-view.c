/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-review-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-background.h"
#include "rr-review-view.h"

struct _RrReviewView
{
  GtkWidget    parent_instance;

  /* template */
  GtkLabel    *empty_label;
  GtkWidget   *loading_box;
  GtkListBox  *list;
  GtkButton   *more_button;
  GtkBox      *detail_box;
  GtkTextView *comment_view;
  GtkWidget   *verdict_box;
  GtkDropDown *verdict_dropdown;
  GtkButton   *verdict_button;
  GtkButton   *advice_button;
  GtkLabel    *message_label;
  GtkListBox  *asked_list;
  GtkWidget   *asked_scroller;
  GtkLabel    *asked_empty_label;

  /* owned */
  RrStore     *store;
  char        *login;
  GPtrArray   *items;   /* (element-type RrQueueItem), all of them; listed first */
  guint        n_listed;
  guint        page_size;
  guint        n_asked;
  gboolean     is_teamleider;
  /* The queue comes from a worker thread: its generation, so that a result
   * a reload made stale is dropped; cancelled when the view goes. */
  guint         generation;
  gboolean      loading;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RrReviewView, rr_review_view, GTK_TYPE_WIDGET)

/* How many queue items the list shows before "Show More": a teamleider's
 * queue at a million decisions holds thousands of deviations. */
#define DEFAULT_PAGE_SIZE 100

/* The verdicts in the order of the drop-down. */
static const RrVerdict verdicts[] = {
  RR_VERDICT_AKKOORD, RR_VERDICT_AKKOORD_MET_AANVULLING, RR_VERDICT_VRAGEN,
  RR_VERDICT_NIET_AKKOORD,
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
show_message (RrReviewView *self,
              const char   *text,
              gboolean      refusal)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static RrQueueItem *
selected_item (RrReviewView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint) index >= self->n_listed)
    return NULL;
  return g_ptr_array_index (self->items, index);
}

static char *
get_comment (RrReviewView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->comment_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
on_row_selected (RrReviewView *self)
{
  RrQueueItem *item = selected_item (self);
  g_autoptr(RrDecision) decision = NULL;
  GtkWidget *child;
  gboolean can_act = item != NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verdict_button), can_act);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advice_button), can_act);
  if (item == NULL)
    {
      add_label (self->detail_box, _("Select a decision to review it."), "dim-label");
      return;
    }
  decision = rr_decisions_get (self->store, self->login, item->number, 0, NULL);
  {
    g_autofree char *title = g_strdup_printf ("%s · %s", item->number, item->rule_code);

    add_label (self->detail_box, title, "title-3");
  }
  add_label (self->detail_box, item->summary, NULL);
  if (item->advice_asked)
    {
      g_autofree char *asked = g_strdup_printf (_("%s asks your advice: %s"), item->asked_by,
                                                item->question != NULL ? item->question : "");

      add_label (self->detail_box, asked, "rr-hint");
    }
  else
    add_label (self->detail_box, rr_review_state_label (item->state), "dim-label");
  if (decision != NULL && decision->input != NULL)
    {
      g_autofree char *who = g_strdup_printf (_("By %s on %s"), decision->author_name,
                                              item->decision_date);

      add_label (self->detail_box, who, "dim-label");
      if (decision->input->circumstances != NULL)
        {
          add_label (self->detail_box, _("Circumstances"), "rr-section-title");
          add_label (self->detail_box, decision->input->circumstances, NULL);
        }
      if (decision->input->explanation != NULL)
        {
          add_label (self->detail_box, _("Explanation"), "rr-section-title");
          add_label (self->detail_box, decision->input->explanation, NULL);
        }
    }
}

static void
after_review (RrReviewView *self,
              const char   *done)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->comment_view), "", -1);
  rr_review_view_reload (self);
  show_message (self, done, FALSE);
}

static void
on_verdict_clicked (RrReviewView *self)
{
  RrQueueItem *item = selected_item (self);
  g_autofree char *comment = get_comment (self);
  g_autoptr(GError) error = NULL;
  guint index = gtk_drop_down_get_selected (self->verdict_dropdown);
  g_autofree char *done = NULL;

  g_autofree char *number = NULL;

  if (item == NULL || index >= G_N_ELEMENTS (verdicts))
    return;
  /* Reviewing reloads the queue (the store says so), which frees @item. */
  number = g_strdup (item->number);
  if (!rr_reviews_verdict (self->store, self->login, number, verdicts[index], comment,
                           &error))
    {
      /* The comment stays; the core's sentence says why (four eyes, …). */
      show_message (self, error->message, TRUE);
      return;
    }
  done = g_strdup_printf (_("Verdict on %s recorded."), number);
  after_review (self, done);
}

static void
on_advice_clicked (RrReviewView *self)
{
  RrQueueItem *item = selected_item (self);
  g_autofree char *comment = get_comment (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;

  g_autofree char *number = NULL;

  if (item == NULL)
    return;
  number = g_strdup (item->number);
  if (!rr_reviews_advise (self->store, self->login, number, comment, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  done = g_strdup_printf (_("Advice on %s recorded."), number);
  after_review (self, done);
}

static GtkWidget *
queue_row (const RrQueueItem *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (item->summary);
  GtkWidget *meta;
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s · %s", item->number,
                                                   item->decision_date, item->rule_code);
  g_autofree char *tail = NULL;

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  if (item->advice_asked)
    tail = g_strdup_printf (_("Advice asked by %s"), item->asked_by);
  else
    tail = g_strdup_printf ("%s · %s", item->author_login, rr_review_state_label (item->state));
  meta = gtk_label_new (tail);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_widget_add_css_class (meta, item->state == RR_REVIEW_STATE_APPROVAL_NEEDED
                                  ? "rr-warning" : "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

static GtkWidget *
asked_row (const RrAdviceRequest *request)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *state;
  g_autofree char *date = g_strndup (request->asked_at, 10);
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s", request->number,
                                                   request->rule_code);
  g_autofree char *meta = g_strdup_printf (_("Asked of %s on %s"), request->colleague_name,
                                           date);
  g_autofree char *answer = NULL;
  GtkWidget *label;

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  label = gtk_label_new (meta);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  if (request->question != NULL)
    {
      g_autofree char *question = g_strdup_printf (_("Your question: %s"), request->question);

      label = gtk_label_new (question);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }
  if (request->advice != NULL)
    answer = g_strdup_printf (_("Advice: %s"), request->advice);
  else
    answer = g_strdup (request->answered ? _("Answered") : _("Waiting for advice"));
  state = gtk_label_new (answer);
  gtk_label_set_xalign (GTK_LABEL (state), 0);
  gtk_label_set_wrap (GTK_LABEL (state), TRUE);
  gtk_label_set_selectable (GTK_LABEL (state), TRUE);
  if (!request->answered)
    gtk_widget_add_css_class (state, "rr-hint");
  gtk_box_append (GTK_BOX (box), state);
  return box;
}

static void
reload_asked (RrReviewView *self)
{
  g_autoptr(GPtrArray) asked = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->asked_list))) != NULL)
    gtk_list_box_remove (self->asked_list, child);
  self->n_asked = 0;
  asked = rr_reviews_asked (self->store, self->login, &error);
  if (asked == NULL)
    {
      gtk_label_set_text (self->asked_empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->asked_empty_label), TRUE);
      gtk_widget_set_visible (self->asked_scroller, FALSE);
      return;
    }
  for (guint i = 0; i < asked->len; i++)
    gtk_list_box_append (self->asked_list, asked_row (g_ptr_array_index (asked, i)));
  self->n_asked = asked->len;
  gtk_widget_set_visible (GTK_WIDGET (self->asked_empty_label), asked->len == 0);
  /* Nothing asked: the queue above takes the room. */
  gtk_widget_set_visible (self->asked_scroller, asked->len > 0);
}

static void
update_more (RrReviewView *self)
{
  gtk_widget_set_visible (self->loading_box, self->loading);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button),
                          !self->loading && self->n_listed < self->items->len);
}

/* Lists the next page of the queue already fetched. */
static void
list_more (RrReviewView *self)
{
  guint end = MIN (self->items->len, self->n_listed + self->page_size);

  for (; self->n_listed < end; self->n_listed++)
    gtk_list_box_append (self->list, queue_row (g_ptr_array_index (self->items, self->n_listed)));
  update_more (self);
}

static void
on_more_clicked (RrReviewView *self)
{
  list_more (self);
}

/* A teamleider's queue at a million decisions takes half a second to
 * query: it runs in a worker thread on its own connection (DESIGN §4). */
static gpointer
query_queue (RrStore     *store,
             const char  *login,
             gpointer     query_data,
             GError     **error)
{
  return rr_reviews_queue (store, login, error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RrReviewView) self = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint generation;

  items = rr_background_query_finish (result, (gpointer *) &self, &generation, NULL, &error);
  if (self == NULL || generation != self->generation)
    return;
  self->loading = FALSE;
  if (items == NULL)
    {
      update_more (self);
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      return;
    }
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  gtk_label_set_text (self->empty_label, _("Nothing is waiting for you."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->items->len == 0);
  list_more (self);
}

static void
rr_review_view_dispose (GObject *object)
{
  RrReviewView *self = RR_REVIEW_VIEW (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_REVIEW_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_review_view_parent_class)->dispose (object);
}

static void
rr_review_view_finalize (GObject *object)
{
  RrReviewView *self = RR_REVIEW_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (rr_review_view_parent_class)->finalize (object);
}

static void
rr_review_view_class_init (RrReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_review_view_dispose;
  object_class->finalize = rr_review_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-review-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, loading_box);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, list);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, more_button);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, detail_box);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, comment_view);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, verdict_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, verdict_button);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, advice_button);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, message_label);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, asked_list);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, asked_scroller);
  gtk_widget_class_bind_template_child (widget_class, RrReviewView, asked_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_verdict_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_advice_clicked);
}

static void
rr_review_view_init (RrReviewView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_queue_item_free);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    gtk_string_list_append (labels, rr_verdict_label (verdicts[i]));
  gtk_drop_down_set_model (self->verdict_dropdown, G_LIST_MODEL (labels));
}

GtkWidget *
rr_review_view_new (RrStore    *store,
                    const char *login)
{
  RrReviewView *self;
  g_autoptr(RrUser) user = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_REVIEW_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  user = rr_users_lookup (store, login, NULL);
  self->is_teamleider = user != NULL && (user->roles & RR_ROLE_TEAMLEIDER) != 0;
  gtk_widget_set_visible (self->verdict_box, self->is_teamleider);
  g_signal_connect_swapped (store, "changed::decisions", G_CALLBACK (rr_review_view_reload),
                            self);
  g_signal_connect_swapped (store, "changed::reviews", G_CALLBACK (rr_review_view_reload),
                            self);
  rr_review_view_reload (self);
  return GTK_WIDGET (self);
}

/* Lists the queue again, which comes in the background (the list is
 * empty until it does), and what the person asked. */
void
rr_review_view_reload (RrReviewView *self)
{
  GtkWidget *child;

  g_return_if_fail (RR_IS_REVIEW_VIEW (self));

  self->generation++;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->items, 0);
  self->n_listed = 0;
  show_message (self, NULL, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
  on_row_selected (self);
  reload_asked (self);

  self->loading = TRUE;
  update_more (self);
  rr_background_query (self, self->generation, self->store, self->login, query_queue, NULL,
                       NULL, (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_loaded);
}

void
rr_review_view_select (RrReviewView *self,
                       int           index)
{
  g_return_if_fail (RR_IS_REVIEW_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

/* The queue items listed so far. */
guint
rr_review_view_get_n_rows (RrReviewView *self)
{
  g_return_val_if_fail (RR_IS_REVIEW_VIEW (self), 0);
  return self->n_listed;
}

/* The items in the queue, listed or not. */
guint
rr_review_view_get_n_items (RrReviewView *self)
{
  g_return_val_if_fail (RR_IS_REVIEW_VIEW (self), 0);
  return self->items->len;
}

gboolean
rr_review_view_is_loading (RrReviewView *self)
{
  g_return_val_if_fail (RR_IS_REVIEW_VIEW (self), FALSE);
  return self->loading;
}

/* How many queue items a page lists (at least one), from the next reload. */
void
rr_review_view_set_page_size (RrReviewView *self,
                              guint         page_size)
{
  g_return_if_fail (RR_IS_REVIEW_VIEW (self));
  self->page_size = MAX (page_size, 1);
}

/* How many requests for advice "What You Asked" lists. */
guint
rr_review_view_get_n_asked (RrReviewView *self)
{
  g_return_val_if_fail (RR_IS_REVIEW_VIEW (self), 0);
  return self->n_asked;
}
