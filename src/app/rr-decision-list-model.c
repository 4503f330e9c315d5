/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-decision-list-model"
#include "config.h"

#include "rr-background.h"
#include "rr-decision-item.h"
#include "rr-decision-list-model.h"

/* The log pages lazily: the ids of the whole list come from one query (kept
 * in 4 bytes a decision while ids fit in 32 bits, else 8), and rows are
 * fetched by id a page at a time as the view asks for them, so that a page
 * costs the same at the end of a million rows as at the start (DESIGN §8).
 * Only the pages used last are kept (at most max_pages, least recently used
 * dropped first), so memory stays the same however far the log is scrolled.
 * Dropping a page only drops the model's references: an item the view still
 * holds lives on by its own, and asking for the page again fetches the same
 * rows into new items. A dropped page changes nothing in the list, so it
 * emits no "items-changed". */
typedef struct
{
  guint      index;
  GPtrArray *items;   /* RrDecisionItem, in list order */
  GList     *link;    /* in lru, data: this page */
} Page;

struct _RrDecisionListModel
{
  GObject           parent_instance;

  RrStore          *store;
  char             *login;
  RrDecisionFilter  filter;
  guint             n_items;
  GArray           *ids;        /* in list order: guint32 when narrow, else gint64 */
  gboolean          narrow;
  GHashTable       *pages;      /* page index → Page */
  GQueue            lru;        /* of Page, the one used last first */
  guint             max_pages;
  GError           *error;
  guint             n_fetched;
  /* Loading the ids in a worker thread (the Logboek's): the generation of
   * the load under way, so that a result a later reload made stale is
   * dropped; cancelled when the model goes. */
  gboolean          background;
  gboolean          loading;
  guint             generation;
  GCancellable     *cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RrDecisionListModel, rr_decision_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
copy_filter (RrDecisionFilter       *to,
             const RrDecisionFilter *from)
{
  rr_decision_filter_clear (to);
  rr_decision_filter_init (to);
  if (from == NULL)
    return;
  to->from = g_strdup (from->from);
  to->to = g_strdup (from->to);
  to->rule = g_strdup (from->rule);
  to->client = g_strdup (from->client);
  to->text = g_strdup (from->text);
  to->outcome = from->outcome;
  to->status = from->status;
  to->review_state = from->review_state;
  to->mine_only = from->mine_only;
  to->sort = from->sort;
}

/* Frees a page already taken out of the LRU queue. */
static void
free_page (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_all_pages (RrDecisionListModel *self)
{
  Page *page;

  while ((page = g_queue_pop_head (&self->lru)) != NULL)
    {
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
      free_page (page);
    }
}

/* Drops the pages used longest ago until at most @keep are left. */
static void
drop_old_pages (RrDecisionListModel *self,
                guint                keep)
{
  while (self->lru.length > keep)
    {
      Page *page = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
      free_page (page);
    }
}

static GPtrArray *
fetch_page (RrDecisionListModel *self,
            guint                index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  g_autoptr(GPtrArray) rows = NULL;

  if (page != NULL)
    {
      if (page->link != self->lru.head)
        {
          g_queue_unlink (&self->lru, page->link);
          g_queue_push_head_link (&self->lru, page->link);
        }
      return page->items;
    }
  g_clear_error (&self->error);
  {
    guint first = index * RR_DECISION_LIST_PAGE_SIZE;
    guint count = first < self->ids->len
                  ? MIN (RR_DECISION_LIST_PAGE_SIZE, self->ids->len - first) : 0;
    gint64 wide[RR_DECISION_LIST_PAGE_SIZE];
    const gint64 *ids = wide;

    if (!self->narrow)
      ids = count > 0 ? &g_array_index (self->ids, gint64, first) : NULL;
    else
      for (guint i = 0; i < count; i++)
        wide[i] = g_array_index (self->ids, guint32, first + i);
    rows = rr_decisions_rows (self->store, self->login, count > 0 ? ids : NULL, count,
                              &self->error);
  }
  /* Room first, so that no more than max_pages are ever held. */
  drop_old_pages (self, self->max_pages - 1);
  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (rows != NULL ? rows->len : 0, g_object_unref);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    /* The item takes the row over from the array. */
    g_ptr_array_add (page->items, rr_decision_item_new (g_steal_pointer (&rows->pdata[i])));
  g_queue_push_head (&self->lru, page);
  page->link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  self->n_fetched++;
  return page->items;
}

static GType
rr_decision_list_model_get_item_type (GListModel *model)
{
  return RR_TYPE_DECISION_ITEM;
}

static guint
rr_decision_list_model_get_n_items (GListModel *model)
{
  return RR_DECISION_LIST_MODEL (model)->n_items;
}

static gpointer
rr_decision_list_model_get_item (GListModel *model,
                                 guint       position)
{
  RrDecisionListModel *self = RR_DECISION_LIST_MODEL (model);
  GPtrArray *items;
  guint offset = position % RR_DECISION_LIST_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;
  items = fetch_page (self, position / RR_DECISION_LIST_PAGE_SIZE);
  if (offset >= items->len || items->pdata[offset] == NULL)
    return NULL;
  return g_object_ref (items->pdata[offset]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rr_decision_list_model_get_item_type;
  iface->get_n_items = rr_decision_list_model_get_n_items;
  iface->get_item = rr_decision_list_model_get_item;
}

static void
on_store_changed (RrDecisionListModel *self)
{
  rr_decision_list_model_reload (self);
}

static void
rr_decision_list_model_dispose (GObject *object)
{
  RrDecisionListModel *self = RR_DECISION_LIST_MODEL (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_decision_list_model_parent_class)->dispose (object);
}

static void
rr_decision_list_model_finalize (GObject *object)
{
  RrDecisionListModel *self = RR_DECISION_LIST_MODEL (object);

  g_free (self->login);
  rr_decision_filter_clear (&self->filter);
  drop_all_pages (self);
  g_hash_table_unref (self->pages);
  g_array_unref (self->ids);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (rr_decision_list_model_parent_class)->finalize (object);
}

static void
rr_decision_list_model_class_init (RrDecisionListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rr_decision_list_model_dispose;
  object_class->finalize = rr_decision_list_model_finalize;
}

static void
rr_decision_list_model_init (RrDecisionListModel *self)
{
  rr_decision_filter_init (&self->filter);
  self->pages = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&self->lru);
  self->max_pages = RR_DECISION_LIST_MAX_PAGES;
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

RrDecisionListModel *
rr_decision_list_model_new (RrStore    *store,
                            const char *login)
{
  return rr_decision_list_model_new_full (store, login, FALSE);
}

/* With @background, the list of ids comes from a worker thread on its own
 * connection: at a million decisions that query takes a few hundred
 * milliseconds, which the main thread must not wait for (DESIGN §4). The
 * model is empty until the first list is in; a reload keeps the rows it
 * has until the new ones are, then replaces them at once. Pages are still
 * fetched in the main thread: one costs a few milliseconds. */
RrDecisionListModel *
rr_decision_list_model_new_full (RrStore    *store,
                                 const char *login,
                                 gboolean    background)
{
  RrDecisionListModel *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_DECISION_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  self->background = background;
  if (background)
    self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (store, "changed::decisions", G_CALLBACK (on_store_changed), self);
  g_signal_connect_swapped (store, "changed::reviews", G_CALLBACK (on_store_changed), self);
  rr_decision_list_model_reload (self);
  return self;
}

void
rr_decision_list_model_set_filter (RrDecisionListModel    *self,
                                   const RrDecisionFilter *filter)
{
  g_return_if_fail (RR_IS_DECISION_LIST_MODEL (self));

  copy_filter (&self->filter, filter);
  rr_decision_list_model_reload (self);
}

const RrDecisionFilter *
rr_decision_list_model_get_filter (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), NULL);
  return &self->filter;
}

/* The ids in half the room (4 bytes a decision, 4 MB at a million) when
 * every one fits in 32 bits, as row ids of one table do for a long time;
 * takes @ids. */
static GArray *
narrow_ids (GArray   *ids,
            gboolean *narrow)
{
  GArray *out;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (id < 0 || id > G_MAXUINT32)
        {
          *narrow = FALSE;
          return ids;
        }
    }
  out = g_array_sized_new (FALSE, FALSE, sizeof (guint32), ids->len);
  g_array_set_size (out, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_array_index (out, guint32, i) = (guint32) g_array_index (ids, gint64, i);
  g_array_unref (ids);
  *narrow = TRUE;
  return out;
}

/* Puts @ids (or, with none, @error) in place of the list. */
static void
replace_ids (RrDecisionListModel *self,
             GArray              *ids,
             GError              *error)
{
  guint old = self->n_items;

  drop_all_pages (self);
  g_clear_error (&self->error);
  self->error = error;
  g_array_unref (self->ids);
  self->ids = ids != NULL ? narrow_ids (ids, &self->narrow) : g_array_new (FALSE, FALSE,
                                                                           sizeof (gint64));
  if (ids == NULL)
    self->narrow = FALSE;
  self->n_items = self->ids->len;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

static void
filter_free (RrDecisionFilter *filter)
{
  rr_decision_filter_clear (filter);
  g_free (filter);
}

static gpointer
query_ids (RrStore     *store,
           const char  *login,
           gpointer     query_data,
           GError     **error)
{
  return rr_decisions_list_ids (store, login, query_data, error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RrDecisionListModel) self = NULL;
  GError *error = NULL;
  GArray *ids;
  guint generation;

  ids = rr_background_query_finish (result, (gpointer *) &self, &generation, NULL, &error);
  if (self == NULL || generation != self->generation)
    {
      g_clear_pointer (&ids, g_array_unref);
      g_clear_error (&error);
      return;
    }
  self->loading = FALSE;
  replace_ids (self, ids, error);
}

void
rr_decision_list_model_reload (RrDecisionListModel *self)
{
  RrDecisionFilter *filter;
  GError *error = NULL;
  GArray *ids;

  g_return_if_fail (RR_IS_DECISION_LIST_MODEL (self));

  if (!self->background)
    {
      ids = rr_decisions_list_ids (self->store, self->login, &self->filter, &error);
      replace_ids (self, ids, error);
      return;
    }
  /* The worker thread reads a copy: a later set_filter changes ours. */
  filter = g_new0 (RrDecisionFilter, 1);
  copy_filter (filter, &self->filter);
  self->generation++;
  self->loading = TRUE;
  rr_background_query (self, self->generation, self->store, self->login, query_ids, filter,
                       (GDestroyNotify) filter_free, (GDestroyNotify) g_array_unref,
                       self->cancellable, on_loaded);
}

/* Whether a list of ids is being fetched in the background. */
gboolean
rr_decision_list_model_is_loading (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), FALSE);
  return self->loading;
}

const GError *
rr_decision_list_model_get_error (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), NULL);
  return self->error;
}

guint
rr_decision_list_model_get_n_pages_fetched (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), 0);
  return self->n_fetched;
}

/* How many pages the model keeps at most (at least one); pages beyond it,
 * those used longest ago, are dropped at once. */
void
rr_decision_list_model_set_max_pages (RrDecisionListModel *self,
                                      guint                max_pages)
{
  g_return_if_fail (RR_IS_DECISION_LIST_MODEL (self));

  self->max_pages = MAX (max_pages, 1);
  drop_old_pages (self, self->max_pages);
}

guint
rr_decision_list_model_get_max_pages (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), 0);
  return self->max_pages;
}

guint
rr_decision_list_model_get_n_pages_resident (RrDecisionListModel *self)
{
  g_return_val_if_fail (RR_IS_DECISION_LIST_MODEL (self), 0);
  return self->lru.length;
}
