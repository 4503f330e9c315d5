/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-background"
#include "config.h"

#include "rr-background.h"

/* The lists that take long to query at a million decisions (the caseload,
 * the review queue, the follow-ups due, the Logboek's ids) come from a
 * worker thread, each the same way: a connection of its own, since one
 * SQLite connection is never shared between threads (DESIGN §4); a weak
 * reference to the widget or model that asked, so that closing it while
 * the query runs frees it at once; and the generation of the load, so
 * that the owner can drop a result that a later reload made stale. */
typedef struct {
  char              *db_path;
  char              *login;
  RrBackgroundQuery  query;
  gpointer           query_data;
  GDestroyNotify     query_data_free;
  GDestroyNotify     result_free;
  guint              generation;
  GWeakRef           owner;
} Background;

static void
background_free (Background *background)
{
  g_free (background->db_path);
  g_free (background->login);
  if (background->query_data_free != NULL && background->query_data != NULL)
    background->query_data_free (background->query_data);
  g_weak_ref_clear (&background->owner);
  g_free (background);
}

static void
background_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Background *background = task_data;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gpointer found;

  /* Its own connection: one SQLite connection is never shared between threads. */
  store = rr_store_open (background->db_path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  found = background->query (store, background->login, background->query_data, &error);
  if (found == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, found, background->result_free);
}

/**
 * rr_background_query:
 * @owner: (type GObject): the widget or model the result is for; only a
 *   weak reference is kept
 * @generation: the owner's count of loads, handed back by the finish
 * @store: the store whose database the query reads, on a connection of its own
 * @login: the person the query runs for
 * @query: the query, called in the worker thread
 * @query_data: (transfer full): what else @query needs, also handed back
 * @query_data_free: (nullable): frees @query_data when the load is over
 * @result_free: frees a result that nobody took
 * @cancellable: (nullable): the owner's, cancelled when it goes
 * @callback: called in the main thread when the query is done
 *
 * Runs @query in a worker thread. @callback is called with no source
 * object; it calls rr_background_query_finish().
 */
void
rr_background_query (gpointer             owner,
                     guint                generation,
                     RrStore             *store,
                     const char          *login,
                     RrBackgroundQuery    query,
                     gpointer             query_data,
                     GDestroyNotify       query_data_free,
                     GDestroyNotify       result_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = NULL;
  Background *background;

  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (RR_IS_STORE (store));
  g_return_if_fail (login != NULL);
  g_return_if_fail (query != NULL);
  g_return_if_fail (result_free != NULL);

  background = g_new0 (Background, 1);
  background->db_path = g_strdup (rr_store_get_path (store));
  background->login = g_strdup (login);
  background->query = query;
  background->query_data = query_data;
  background->query_data_free = query_data_free;
  background->result_free = result_free;
  background->generation = generation;
  g_weak_ref_init (&background->owner, owner);
  task = g_task_new (NULL, cancellable, callback, NULL);
  g_task_set_source_tag (task, rr_background_query);
  g_task_set_task_data (task, background, (GDestroyNotify) background_free);
  g_task_run_in_thread (task, background_thread);
}

/**
 * rr_background_query_finish:
 * @result: the result handed to the callback
 * @owner: (out) (transfer full): the owner, or NULL when it is gone
 * @generation: (out): the generation the load was started with
 * @query_data: (out) (transfer none) (optional): the query's data
 * @error: the query's error, or the cancellation
 *
 * Returns: (transfer full) (nullable): what the query returned, or NULL
 *   with @error set; the caller frees it even when it drops it.
 */
gpointer
rr_background_query_finish (GAsyncResult  *result,
                            gpointer      *owner,
                            guint         *generation,
                            gpointer      *query_data,
                            GError       **error)
{
  Background *background;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, rr_background_query), NULL);
  g_return_val_if_fail (owner != NULL, NULL);
  g_return_val_if_fail (generation != NULL, NULL);

  background = g_task_get_task_data (G_TASK (result));
  *generation = background->generation;
  if (query_data != NULL)
    *query_data = background->query_data;
  /* Cancelled means the owner is being disposed: however long something
   * else keeps it alive, its widgets are gone, so it gets no owner back. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      *owner = NULL;
      return g_task_propagate_pointer (G_TASK (result), error);
    }
  *owner = g_weak_ref_get (&background->owner);
  return g_task_propagate_pointer (G_TASK (result), error);
}
