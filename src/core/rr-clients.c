/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-clients"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-bsn.h"
#include "rr-decision-private.h"
#include "rr-ledger.h"
#include "rr-store-private.h"
#include "rr-users.h"

#define CLIENT_COLUMNS \
  "c.id, c.uuid, c.dossier, c.name, c.bsn, u.login, u.display_name, c.active, c.opened, c.closed," \
  " (SELECT count(*) FROM decisions d WHERE d.client_id = c.id AND d.status = 'recorded')"

void
rr_client_free (RrClient *client)
{
  if (client == NULL)
    return;
  g_free (client->uuid);
  g_free (client->dossier);
  g_free (client->name);
  g_free (client->bsn);
  g_free (client->owner_login);
  g_free (client->owner_name);
  g_free (client->opened);
  g_free (client->closed);
  g_free (client);
}

static RrClient *
client_from_row (sqlite3_stmt *stmt)
{
  RrClient *client = g_new0 (RrClient, 1);

  client->id = sqlite3_column_int64 (stmt, 0);
  client->uuid = _rr_column_dup (stmt, 1);
  client->dossier = _rr_column_dup (stmt, 2);
  client->name = _rr_column_dup (stmt, 3);
  client->bsn = _rr_column_dup (stmt, 4);
  client->owner_login = _rr_column_dup (stmt, 5);
  client->owner_name = _rr_column_dup (stmt, 6);
  client->active = sqlite3_column_int (stmt, 7) != 0;
  client->opened = _rr_column_dup (stmt, 8);
  client->closed = _rr_column_dup (stmt, 9);
  client->n_decisions = sqlite3_column_int (stmt, 10);
  return client;
}


static gboolean
dossier_is_valid (const char *dossier)
{
  gsize len = dossier != NULL ? strlen (dossier) : 0;

  if (len == 0 || len > 32)
    return FALSE;
  for (const char *p = dossier; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '/' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The canonical content of a client: uuid, dossier, name, bsn, salt, owner,
 * active, opened, closed. The random salt keeps a BSN from being guessed back
 * from the content hash, which travels in every exported trail. */
static char *
client_canonical (RrStore     *store,
                  const char  *uuid,
                  GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT c.uuid, c.dossier, c.name, c.bsn, c.salt,"
                                          " u.login, c.active, c.opened, c.closed"
                                          " FROM clients c JOIN users u ON u.id = c.owner_id"
                                          " WHERE c.uuid = ?", error);
  g_autoptr(RrCanon) canon = rr_canon_new ("client");
  int rc;

  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, uuid);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                 _("The client could not be read back after saving. Nothing was changed."));
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  rr_canon_add (canon, "uuid", (const char *) sqlite3_column_text (stmt, 0));
  rr_canon_add (canon, "dossier", (const char *) sqlite3_column_text (stmt, 1));
  rr_canon_add (canon, "name", (const char *) sqlite3_column_text (stmt, 2));
  rr_canon_add (canon, "bsn", (const char *) sqlite3_column_text (stmt, 3));
  rr_canon_add (canon, "salt", (const char *) sqlite3_column_text (stmt, 4));
  rr_canon_add (canon, "owner", (const char *) sqlite3_column_text (stmt, 5));
  rr_canon_add_bool (canon, "active", sqlite3_column_int (stmt, 6));
  rr_canon_add (canon, "opened", (const char *) sqlite3_column_text (stmt, 7));
  rr_canon_add (canon, "closed", (const char *) sqlite3_column_text (stmt, 8));
  /* The event commits to this text: a column that could not be read must
   * not go into it as missing. */
  if (!_rr_row_check (store, error))
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_strdup (rr_canon_get_text (canon));
}

static gboolean
append_client_event (RrStore     *store,
                     const char  *actor,
                     const char  *action,
                     const char  *uuid,
                     GError     **error)
{
  g_autofree char *canonical = client_canonical (store, uuid, error);

  if (canonical == NULL)
    return FALSE;
  return _rr_ledger_append (store, actor, action, "client", uuid, canonical, TRUE, error) > 0;
}

static char *
random_salt (void)
{
  g_autofree char *a = rr_uuid_new ();
  g_autofree char *b = rr_uuid_new ();
  g_autofree char *joined = g_strconcat (a, b, NULL);

  return rr_sha256_hex (joined, -1);
}

/* Adds a client and its event inside the caller's transaction, with no role
 * or duplicate checks (the dossier's UNIQUE constraint still holds); shared
 * by rr_clients_add and the demo generator. */
gint64
_rr_client_insert (RrStore     *store,
                   const char  *actor,
                   gint64       owner_id,
                   const char  *dossier,
                   const char  *name,
                   const char  *bsn,
                   const char  *opened,
                   const char  *closed,
                   char       **uuid_out,
                   GError     **error)
{
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *salt = random_salt ();
  sqlite3_stmt *stmt;
  gint64 id;

  g_assert (_rr_store_in_transaction (store));
  g_assert (bsn == NULL || rr_bsn_is_valid (bsn));

  stmt = _rr_store_prepare (store,
                            "INSERT INTO clients (uuid, dossier, name, bsn, salt, owner_id, opened)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  _rr_bind_text (stmt, 1, uuid);
  _rr_bind_text (stmt, 2, dossier);
  _rr_bind_text (stmt, 3, name);
  _rr_bind_text (stmt, 4, bsn);
  _rr_bind_text (stmt, 5, salt);
  sqlite3_bind_int64 (stmt, 6, owner_id);
  _rr_bind_text (stmt, 7, opened);
  if (!_rr_step_done (store, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (_rr_store_get_db (store));
  if (!append_client_event (store, actor, "client.added", uuid, error))
    return 0;

  if (closed != NULL)
    {
      stmt = _rr_store_prepare (store, "UPDATE clients SET active = 0, closed = ? WHERE id = ?",
                                error);
      if (stmt == NULL)
        return 0;
      _rr_bind_text (stmt, 1, closed);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!_rr_step_done (store, stmt, error)
          || !append_client_event (store, actor, "client.closed", uuid, error))
        return 0;
    }

  if (uuid_out != NULL)
    *uuid_out = g_steal_pointer (&uuid);
  return id;
}

gboolean
rr_clients_add (RrStore     *store,
                const char  *actor,
                const char  *dossier,
                const char  *name,
                const char  *bsn,
                GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autofree char *normalised = NULL;
  g_autofree char *today = rr_date_today ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return FALSE;

  if (!dossier_is_valid (dossier))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a valid dossier number: use up to 32 letters, digits, "
                     "hyphens, dots or slashes."), dossier != NULL ? dossier : "");
      return FALSE;
    }
  if (_rr_text_is_blank (name))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the client’s name."));
      return FALSE;
    }
  if (bsn != NULL && *bsn != '\0')
    {
      normalised = rr_bsn_normalise (bsn);
      if (normalised == NULL)
        {
          /* Never repeat the number: it is personal data. */
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("The BSN is not valid: it must be nine digits that pass the elfproef. "
                         "Check the number and try again, or leave it empty."));
          return FALSE;
        }
    }

  if (!_rr_store_begin (store, error))
    return FALSE;

  stmt = _rr_store_prepare (store, "SELECT 1 FROM clients WHERE dossier = ?", error);
  if (stmt == NULL)
    goto fail;
  _rr_bind_text (stmt, 1, dossier);
  rc = _rr_step (store, stmt, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                 _("There is already a client with dossier number “%s”."), dossier);
  if (rc != SQLITE_DONE)
    goto fail;

  if (_rr_client_insert (store, actor, user->id, dossier, name, normalised, today, NULL, NULL,
                         error) == 0
      || !_rr_store_commit (store, error))
    goto fail;

  rr_store_emit_changed (store, RR_CHANGED_CLIENTS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

/* Which clients @user may see: the team's for klantmanagers and
 * teamleiders, all for auditors. */
static const char *
visibility_clause (const RrUser *user)
{
  if (user->roles & RR_ROLE_AUDITOR)
    return "1";
  return "u.team = ?1";
}

RrClient *
rr_clients_lookup (RrStore     *store,
                   const char  *actor,
                   const char  *dossier,
                   GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  RrClient *client = NULL;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor,
                           RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR, error);
  if (user == NULL)
    return NULL;

  sql = g_strdup_printf ("SELECT " CLIENT_COLUMNS " FROM clients c JOIN users u ON u.id = c.owner_id"
                         " WHERE c.dossier = ?2 AND %s", visibility_clause (user));
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  _rr_bind_text (stmt, 1, user->team);
  _rr_bind_text (stmt, 2, dossier);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    client = client_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                 _("There is no client with dossier number “%s” in your team."),
                 dossier != NULL ? dossier : "");
  return client;
}

static GPtrArray *
list_clients (RrStore     *store,
              const char  *actor,
              const char  *extra,
              const char  *text,
              guint        limit,
              GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_client_free);
  g_autofree char *sql = NULL;
  const char *scope;
  int rc;

  user = rr_users_require (store, actor,
                           RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR, error);
  if (user == NULL)
    return NULL;

  /* A klantmanager's list is their caseload; a teamleider sees the team. */
  if (user->roles & RR_ROLE_AUDITOR)
    scope = "1";
  else if (user->roles & RR_ROLE_TEAMLEIDER)
    scope = "u.team = ?1";
  else
    scope = "c.owner_id = ?2";
  if (text != NULL)
    scope = visibility_clause (user);

  sql = g_strdup_printf ("SELECT " CLIENT_COLUMNS " FROM clients c JOIN users u ON u.id = c.owner_id"
                         " WHERE %s AND %s ORDER BY c.active DESC, c.dossier LIMIT ?4",
                         scope, extra);
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  _rr_bind_text (stmt, 1, user->team);
  sqlite3_bind_int64 (stmt, 2, user->id);
  _rr_bind_text (stmt, 3, text);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (clients, client_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&clients);
}

GPtrArray *
rr_clients_list (RrStore     *store,
                 const char  *actor,
                 gboolean     include_closed,
                 GError     **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  return list_clients (store, actor, include_closed ? "1" : "c.active = 1", NULL, 0, error);
}

static char *
like_pattern (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

GPtrArray *
rr_clients_search (RrStore     *store,
                   const char  *actor,
                   const char  *text,
                   guint        limit,
                   GError     **error)
{
  g_autofree char *pattern = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  pattern = like_pattern (text != NULL ? text : "");
  return list_clients (store, actor,
                       "c.active = 1 AND (c.dossier LIKE ?3 ESCAPE '\\'"
                       " OR c.name LIKE '%' || ?3 ESCAPE '\\')",
                       pattern, limit, error);
}

static gboolean
update_client (RrStore     *store,
               const char  *actor,
               const char  *dossier,
               const char  *owner_login,
               GError     **error)
{
  g_autoptr(RrClient) client = NULL;
  g_autoptr(RrUser) owner = NULL;
  g_autofree char *today = rr_date_today ();
  sqlite3_stmt *stmt;
  const char *action;

  client = rr_clients_lookup (store, actor, dossier, error);
  if (client == NULL)
    return FALSE;

  if (owner_login != NULL)
    {
      owner = rr_users_require (store, owner_login, RR_ROLE_KLANTMANAGER, error);
      if (owner == NULL)
        return FALSE;
    }
  else if (!client->active)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("The client with dossier number “%s” is closed already."), dossier);
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  if (owner != NULL)
    {
      stmt = _rr_store_prepare (store, "UPDATE clients SET owner_id = ? WHERE id = ?", error);
      action = "client.reassigned";
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, owner->id);
    }
  else
    {
      stmt = _rr_store_prepare (store, "UPDATE clients SET active = 0, closed = ? WHERE id = ?",
                                error);
      action = "client.closed";
      if (stmt != NULL)
        _rr_bind_text (stmt, 1, today);
    }
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 2, client->id);
  if (!_rr_step_done (store, stmt, error)
      || !append_client_event (store, actor, action, client->uuid, error)
      || !_rr_store_commit (store, error))
    goto fail;

  rr_store_emit_changed (store, RR_CHANGED_CLIENTS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

gboolean
rr_clients_close (RrStore     *store,
                  const char  *actor,
                  const char  *dossier,
                  GError     **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  return update_client (store, actor, dossier, NULL, error);
}

gboolean
rr_clients_reassign (RrStore     *store,
                     const char  *actor,
                     const char  *dossier,
                     const char  *owner_login,
                     GError     **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (owner_login != NULL, FALSE);
  return update_client (store, actor, dossier, owner_login, error);
}
