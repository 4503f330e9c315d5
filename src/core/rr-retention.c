/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-retention"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-error.h"
#include "rr-trail.h"
#include "rr-users.h"
#include "rr-store-private.h"

/* Destruction after the retention period (vernietiging, Archiefwet): the
 * text of a decision version, its reviews and outcomes is removed with the
 * one UPDATE the schema's triggers allow; identity, dates and hashes stay,
 * so the chain still verifies, and every destroyed item gets its own
 * `*.destroyed` event, which is what lets the verifier accept its missing
 * content (docs/trail-format.md §5). */

void
rr_expired_decision_free (RrExpiredDecision *item)
{
  if (item == NULL)
    return;
  g_free (item->uuid);
  g_free (item->number);
  g_free (item->decision_date);
  g_free (item->retention_until);
  g_free (item);
}

static gboolean
resolve_until (const char  *until,
               char       **out,
               GError     **error)
{
  g_autofree char *today = rr_date_today ();

  if (until == NULL)
    {
      *out = g_steal_pointer (&today);
      return TRUE;
    }
  if (!rr_date_is_valid (until))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date. Write dates as YYYY-MM-DD."), until);
      return FALSE;
    }
  if (strcmp (until, today) > 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("%s lies in the future: only retention periods that have ended "
                     "may be destroyed."), until);
      return FALSE;
    }
  *out = g_strdup (until);
  return TRUE;
}

static GPtrArray *
list_expired (RrStore     *store,
              const char  *until,
              GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_expired_decision_free);
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT uuid, number, version, decision_date, retention_until"
                                          " FROM decisions WHERE destroyed_at IS NULL"
                                          " AND retention_until < ? ORDER BY number, version",
                                          error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, until);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrExpiredDecision *item = g_new0 (RrExpiredDecision, 1);

      item->uuid = _rr_column_dup (stmt, 0);
      item->number = _rr_column_dup (stmt, 1);
      item->version = sqlite3_column_int (stmt, 2);
      item->decision_date = _rr_column_dup (stmt, 3);
      item->retention_until = _rr_column_dup (stmt, 4);
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&items);
}

GPtrArray *
rr_decisions_list_expired (RrStore     *store,
                           const char  *actor,
                           const char  *until,
                           GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autofree char *date = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (!resolve_until (until, &date, error))
    return NULL;
  user = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return NULL;
  return list_expired (store, date, error);
}

static char *
destruction_canonical (const char *type,
                       const char *uuid,
                       const char *number,
                       gint64      version,
                       const char *retention_until,
                       const char *at)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("destruction");

  rr_canon_add (canon, "entity_type", type);
  rr_canon_add (canon, "uuid", uuid);
  rr_canon_add (canon, "number", number);
  if (version > 0)
    rr_canon_add_int (canon, "version", version);
  rr_canon_add (canon, "retention_until", retention_until);
  rr_canon_add (canon, "at", at);
  return g_strdup (rr_canon_get_text (canon));
}

/* Reviews or outcomes of decision @id: text cleared, one event each. */
static gboolean
destroy_children (RrStore     *store,
                  const char  *actor,
                  const char  *table,
                  const char  *text_column,
                  const char  *type,
                  gint64       id,
                  const char  *number,
                  const char  *retention_until,
                  const char  *now,
                  GError     **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT uuid FROM %s WHERE decision_id = ?"
                                                 " AND destroyed_at IS NULL ORDER BY id", table);
  g_autofree char *update_sql = g_strdup_printf ("UPDATE %s SET destroyed_at = ?, %s = NULL"
                                                 " WHERE uuid = ?", table, text_column);
  g_autofree char *action = g_strconcat (type, ".destroyed", NULL);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rr_store_prepare (store, select_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (uuids, _rr_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i < uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (uuids, i);
      g_autofree char *canonical = NULL;

      stmt = _rr_store_prepare (store, update_sql, error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, now);
      _rr_bind_text (stmt, 2, uuid);
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
      canonical = destruction_canonical (type, uuid, number, 0, retention_until, now);
      if (_rr_ledger_append (store, actor, action, type, uuid, canonical, TRUE, error) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
destroy_one (RrStore                 *store,
             const char              *actor,
             const RrExpiredDecision *item,
             const char              *now,
             GError                 **error)
{
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = _rr_store_prepare (store, "SELECT id FROM decisions WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, item->uuid);
  if (_rr_step (store, stmt, error) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* The index holds the old text; an external-content FTS5 table forgets
   * a row only when told its old values, so this comes first. */
  stmt = _rr_store_prepare (store,
                            "INSERT INTO decisions_fts (decisions_fts, rowid, summary,"
                            " circumstances, explanation) SELECT 'delete', id, summary,"
                            " circumstances, explanation FROM decisions WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  stmt = _rr_store_prepare (store,
                            "UPDATE decisions SET destroyed_at = ?, summary = NULL,"
                            " circumstances = NULL, explanation = NULL, reason = NULL,"
                            " principles = NULL, knowledge = NULL, experiences = NULL,"
                            " alternatives = NULL, client_view = NULL, stakeholders = NULL,"
                            " risk = NULL, weighings = NULL WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  /* Index the emptied row again, so that the index still mirrors every
   * row of its content table (FTS5's full integrity check wants that). */
  stmt = _rr_store_prepare (store,
                            "INSERT INTO decisions_fts (rowid, summary, circumstances, explanation)"
                            " VALUES (?, NULL, NULL, NULL)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  /* The reason of a withdrawal is text about the client too. */
  stmt = _rr_store_prepare (store,
                            "DELETE FROM event_content WHERE seq IN (SELECT seq FROM events"
                            " WHERE entity_uuid = ? AND action = 'decision.withdrawn')", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, item->uuid);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;
  stmt = _rr_store_prepare (store, "DELETE FROM withdrawals WHERE decision_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  if (!destroy_children (store, actor, "reviews", "text", "review", id, item->number,
                         item->retention_until, now, error)
      || !destroy_children (store, actor, "outcomes", "note", "outcome", id, item->number,
                            item->retention_until, now, error))
    return FALSE;

  canonical = destruction_canonical ("decision", item->uuid, item->number, item->version,
                                     item->retention_until, now);
  return _rr_ledger_append (store, actor, "decision.destroyed", "decision", item->uuid,
                            canonical, TRUE, error) != 0;
}

gboolean
rr_decisions_destroy_expired (RrStore     *store,
                              const char  *actor,
                              const char  *until,
                              guint       *n_destroyed,
                              GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *date = NULL;
  g_autofree char *now = rr_timestamp_now ();
  gboolean ok = FALSE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (n_destroyed != NULL)
    *n_destroyed = 0;
  if (!resolve_until (until, &date, error))
    return FALSE;

  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    goto out;
  items = list_expired (store, date, error);
  if (items == NULL)
    goto out;
  for (guint i = 0; i < items->len; i++)
    if (!destroy_one (store, actor, g_ptr_array_index (items, i), now, error))
      goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    {
      _rr_store_rollback (store);
      _rr_ledger_forget_head (store);
      return FALSE;
    }
  if (n_destroyed != NULL)
    *n_destroyed = items->len;
  if (items->len > 0)
    rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
  return TRUE;
}
