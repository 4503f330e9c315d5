/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-learning"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-learning.h"
#include "rr-ledger.h"
#include "rr-rules.h"
#include "rr-store-private.h"
#include "rr-users.h"

void
rr_reflection_free (RrReflection *r)
{
  if (r == NULL)
    return;
  g_free (r->author_login);
  g_free (r->author_name);
  g_free (r->number);
  g_free (r->title);
  g_free (r->body);
  g_free (r->created_at);
  g_free (r->updated_at);
  g_free (r);
}

void
rr_signal_free (RrSignal *s)
{
  if (s == NULL)
    return;
  g_free (s->uuid);
  g_free (s->rule_code);
  g_free (s->author_login);
  g_free (s->chafes);
  g_free (s->proposal);
  g_free (s->created_at);
  g_strfreev (s->numbers);
  g_free (s);
}


/* FALSE with @error set when there is no such decision, or when that
 * could not be read. */
static gboolean
require_decision (RrStore     *store,
                  const char  *number,
                  GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store, "SELECT 1 FROM decisions WHERE number = ?",
                                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, number);
  rc = _rr_step (store, stmt, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                 _("There is no decision with number “%s”."), number);
  return rc == SQLITE_ROW;
}

gint64
rr_reflections_save (RrStore           *store,
                     const char        *actor,
                     gint64             id,
                     RrReflectionKind   kind,
                     gboolean           shared,
                     const char        *number,
                     const char        *title,
                     const char        *body,
                     GError           **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autofree char *now = rr_timestamp_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), 0);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return 0;
  if (rr_reflection_kind_to_string (kind) == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Choose the kind of reflection."));
      return 0;
    }
  if (_rr_text_is_blank (title) || _rr_text_is_blank (body))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("A reflection needs a title and some text."));
      return 0;
    }
  if (!_rr_text_is_blank (number) && !require_decision (store, number, error))
    return 0;

  if (id > 0)
    stmt = _rr_store_prepare (store,
                              "UPDATE reflections SET kind = ?1, shared = ?2, number = ?3,"
                              " title = ?4, body = ?5, updated_at = ?6"
                              " WHERE id = ?7 AND author_id = ?8", error);
  else
    stmt = _rr_store_prepare (store,
                              "INSERT INTO reflections (kind, shared, number, title, body,"
                              " created_at, updated_at, author_id)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?8)", error);
  if (stmt == NULL)
    return 0;
  _rr_bind_text (stmt, 1, rr_reflection_kind_to_string (kind));
  sqlite3_bind_int (stmt, 2, shared != FALSE);
  _rr_bind_text (stmt, 3, _rr_text_is_blank (number) ? NULL : number);
  _rr_bind_text (stmt, 4, title);
  _rr_bind_text (stmt, 5, body);
  _rr_bind_text (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, id);
  sqlite3_bind_int64 (stmt, 8, user->id);
  if (!_rr_step_done (store, stmt, error))
    return 0;
  if (id > 0 && sqlite3_changes (_rr_store_get_db (store)) == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("That reflection does not exist, or it is not yours."));
      return 0;
    }
  rr_store_emit_changed (store, RR_CHANGED_LEARNING);
  return id > 0 ? id : sqlite3_last_insert_rowid (_rr_store_get_db (store));
}

gboolean
rr_reflections_delete (RrStore     *store,
                       const char  *actor,
                       gint64       id,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 author_id;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (!_rr_user_lookup_id (store, actor, &author_id, error))
    return FALSE;
  stmt = _rr_store_prepare (store, "DELETE FROM reflections WHERE id = ? AND author_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, author_id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_rr_store_get_db (store)) == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("That reflection does not exist, or it is not yours."));
      return FALSE;
    }
  rr_store_emit_changed (store, RR_CHANGED_LEARNING);
  return TRUE;
}

GPtrArray *
rr_reflections_list (RrStore     *store,
                     const char  *actor,
                     GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_reflection_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return NULL;

  /* Reflections are never shown outside the author and their team. */
  stmt = _rr_store_prepare (store,
                            "SELECT f.id, u.login, u.display_name, f.kind, f.shared, f.number,"
                            " f.title, f.body, f.created_at, f.updated_at FROM reflections f"
                            " JOIN users u ON u.id = f.author_id"
                            " WHERE f.author_id = ?1 OR (f.shared = 1 AND u.team = ?2)"
                            " ORDER BY f.updated_at DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user->id);
  _rr_bind_text (stmt, 2, user->team);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrReflection *r = g_new0 (RrReflection, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->author_login = _rr_column_dup (stmt, 1);
      r->author_name = _rr_column_dup (stmt, 2);
      rr_reflection_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &r->kind);
      r->shared = sqlite3_column_int (stmt, 4) != 0;
      r->number = _rr_column_dup (stmt, 5);
      r->title = _rr_column_dup (stmt, 6);
      r->body = _rr_column_dup (stmt, 7);
      r->created_at = _rr_column_dup (stmt, 8);
      r->updated_at = _rr_column_dup (stmt, 9);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

/* The canonical content of a policy signal: uuid, rule, author, chafes,
 * proposal, created_at, then one "decision" line per linked number. */
gboolean
rr_signals_add (RrStore             *store,
                const char          *actor,
                const char          *rule,
                const char          *chafes,
                const char          *proposal,
                const char * const  *numbers,
                GError             **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *now = rr_timestamp_now ();
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return FALSE;
  if (_rr_text_is_blank (chafes))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Describe what chafes in the rule."));
      return FALSE;
    }
  versions = rr_rules_versions (store, rule, error);
  if (versions == NULL)
    return FALSE;
  if (versions->len == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("There is no rule with code “%s”."), rule != NULL ? rule : "");
      return FALSE;
    }
  for (guint i = 0; numbers != NULL && numbers[i] != NULL; i++)
    if (!require_decision (store, numbers[i], error))
      return FALSE;

  if (!_rr_store_begin (store, error))
    return FALSE;
  stmt = _rr_store_prepare (store,
                            "INSERT INTO signals (uuid, rule_code, author_id, chafes, proposal,"
                            " created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  _rr_bind_text (stmt, 1, uuid);
  _rr_bind_text (stmt, 2, rule);
  sqlite3_bind_int64 (stmt, 3, user->id);
  _rr_bind_text (stmt, 4, chafes);
  _rr_bind_text (stmt, 5, _rr_text_is_blank (proposal) ? NULL : proposal);
  _rr_bind_text (stmt, 6, now);
  if (!_rr_step_done (store, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (_rr_store_get_db (store));

  canon = rr_canon_new ("signal");
  rr_canon_add (canon, "uuid", uuid);
  rr_canon_add (canon, "rule", rule);
  rr_canon_add (canon, "author", user->login);
  rr_canon_add (canon, "chafes", chafes);
  rr_canon_add (canon, "proposal", _rr_text_is_blank (proposal) ? NULL : proposal);
  rr_canon_add (canon, "created_at", now);
  for (guint i = 0; numbers != NULL && numbers[i] != NULL; i++)
    {
      stmt = _rr_store_prepare (store,
                                "INSERT OR IGNORE INTO signal_decisions (signal_id, number)"
                                " VALUES (?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      _rr_bind_text (stmt, 2, numbers[i]);
      if (!_rr_step_done (store, stmt, error))
        goto fail;
      rr_canon_add (canon, "decision", numbers[i]);
    }
  if (_rr_ledger_append (store, actor, "signal.added", "signal", uuid,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    goto fail;
  rr_store_emit_changed (store, RR_CHANGED_LEARNING);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

GPtrArray *
rr_signals_list (RrStore     *store,
                 const char  *actor,
                 GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_signal_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor,
                           RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR
                           | RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return NULL;
  stmt = _rr_store_prepare (store,
                            "SELECT s.id, s.uuid, s.rule_code, u.login, s.chafes, s.proposal,"
                            " s.created_at, (SELECT group_concat (number, ' ') FROM signal_decisions"
                            " sd WHERE sd.signal_id = s.id) FROM signals s"
                            " JOIN users u ON u.id = s.author_id ORDER BY s.created_at DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrSignal *s = g_new0 (RrSignal, 1);
      const char *numbers = (const char *) sqlite3_column_text (stmt, 7);

      s->id = sqlite3_column_int64 (stmt, 0);
      s->uuid = _rr_column_dup (stmt, 1);
      s->rule_code = _rr_column_dup (stmt, 2);
      s->author_login = _rr_column_dup (stmt, 3);
      s->chafes = _rr_column_dup (stmt, 4);
      s->proposal = _rr_column_dup (stmt, 5);
      s->created_at = _rr_column_dup (stmt, 6);
      s->numbers = numbers != NULL ? g_strsplit (numbers, " ", -1) : g_new0 (char *, 1);
      g_ptr_array_add (out, s);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}
