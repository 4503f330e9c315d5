/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-admin"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-ledger.h"
#include "rr-rules.h"
#include "rr-rules-private.h"
#include "rr-store-private.h"
#include "rr-users.h"

#define DEFAULT_FOLLOW_UP_MONTHS 3
#define DEFAULT_RETENTION_YEARS 10

typedef struct {
  RrVocab     vocab;
  const char *code;
  const char *label;
} BuiltinTerm;

/* Seeded from the professioneel kader; the organisation may add its own. */
static const BuiltinTerm builtin_terms[] = {
  { RR_VOCAB_KIND, "new-question", N_("New, non-routine question") },
  { RR_VOCAB_KIND, "rule-does-not-fit", N_("Rule does not fit the case") },
  { RR_VOCAB_KIND, "which-rule", N_("Choosing which rule or to what degree") },
  { RR_VOCAB_KIND, "usual-practice", N_("Departing from usual practice") },
  { RR_VOCAB_KIND, "policy", N_("Departing from policy") },
  { RR_VOCAB_KIND, "means", N_("Choosing means or outsourcing") },
  { RR_VOCAB_KIND, "claim", N_("Granting or refusing a claim") },
  { RR_VOCAB_KIND, "sanction", N_("Imposing or refraining from a sanction") },
  { RR_VOCAB_KIND, "anders", N_("Other") },
  { RR_VOCAB_DOMAIN, "wellbeing", N_("Client wellbeing now and later (dignity, pride)") },
  { RR_VOCAB_DOMAIN, "plan", N_("Plan, quality and safety") },
  { RR_VOCAB_DOMAIN, "network", N_("Network (family, volunteers, partners, employers)") },
  { RR_VOCAB_DOMAIN, "consequences", N_("Consequences (law and policy, hours, money, means)") },
  { RR_VOCAB_DOMAIN, "professional", N_("The professional and the team") },
  { RR_VOCAB_REASON, "does-not-fit", N_("Rule does not fit the situation") },
  { RR_VOCAB_REASON, "disproportionate", N_("Disproportionate consequences") },
  { RR_VOCAB_REASON, "client-interest", N_("Client’s interest or wellbeing") },
  { RR_VOCAB_REASON, "prevents-harm", N_("Prevents higher cost or harm") },
  { RR_VOCAB_REASON, "not-foreseen", N_("Situation not foreseen by the rule") },
  { RR_VOCAB_REASON, "anders", N_("Other") },
};

static const char * const vocab_names[] = { "kind", "domain", "reason" };

/* A klantmanager decides alone, except when departing from policy and for
 * claims above € 2,500; a teamleider decides alone. The beheerder adapts it. */
static const struct {
  RrRoles     role;
  const char *kind;
  gboolean    alone;
  gint64      max_cents;
} default_mandate[] = {
  { RR_ROLE_KLANTMANAGER, "new-question", TRUE, -1 },
  { RR_ROLE_KLANTMANAGER, "rule-does-not-fit", TRUE, -1 },
  { RR_ROLE_KLANTMANAGER, "which-rule", TRUE, -1 },
  { RR_ROLE_KLANTMANAGER, "usual-practice", TRUE, -1 },
  { RR_ROLE_KLANTMANAGER, "policy", FALSE, -1 },
  { RR_ROLE_KLANTMANAGER, "means", TRUE, 250000 },
  { RR_ROLE_KLANTMANAGER, "claim", TRUE, 250000 },
  { RR_ROLE_KLANTMANAGER, "sanction", TRUE, -1 },
  { RR_ROLE_KLANTMANAGER, "anders", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "new-question", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "rule-does-not-fit", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "which-rule", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "usual-practice", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "policy", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "means", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "claim", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "sanction", TRUE, -1 },
  { RR_ROLE_TEAMLEIDER, "anders", TRUE, -1 },
};

const char *
_rr_vocab_builtin_label (RrVocab     vocab,
                         const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_terms); i++)
    if (builtin_terms[i].vocab == vocab && g_str_equal (builtin_terms[i].code, code))
      return _(builtin_terms[i].label);
  return NULL;
}

void
rr_user_free (RrUser *user)
{
  if (user == NULL)
    return;
  g_free (user->uuid);
  g_free (user->login);
  g_free (user->display_name);
  g_free (user->team);
  g_free (user);
}

void
rr_term_free (RrTerm *term)
{
  if (term == NULL)
    return;
  g_free (term->code);
  g_free (term->label);
  g_free (term);
}

void
rr_mandate_free (RrMandate *mandate)
{
  if (mandate == NULL)
    return;
  g_free (mandate->kind);
  g_free (mandate);
}

gboolean
_rr_user_lookup_id (RrStore     *store,
                    const char  *login,
                    gint64      *id,
                    GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store, "SELECT id FROM users WHERE login = ?", error);
  int rc;

  *id = 0;
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, login);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gint64
_rr_user_id (RrStore    *store,
             const char *login)
{
  gint64 id;

  _rr_user_lookup_id (store, login, &id, NULL);
  return id;
}

/* Out of memory, a role that cannot be read must not count as a role the
 * user lacks: that would refuse the user for the wrong reason. */
static gboolean
load_roles (RrStore  *store,
            gint64    user_id,
            RrRoles  *roles,
            GError  **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store, "SELECT role FROM user_roles WHERE user_id = ?",
                                          error);
  int rc;

  *roles = RR_ROLE_NONE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrRoles role;
      if (rr_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &role))
        *roles |= role;
      if (!_rr_row_check (store, error))
        break;
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static RrUser *
user_from_row (RrStore      *store,
               sqlite3_stmt *stmt)
{
  RrUser *user = g_new0 (RrUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->uuid = _rr_column_dup (stmt, 1);
  user->login = _rr_column_dup (stmt, 2);
  user->display_name = _rr_column_dup (stmt, 3);
  user->team = _rr_column_dup (stmt, 4);
  user->active = sqlite3_column_int (stmt, 5) != 0;
  return user;
}

RrUser *
rr_users_lookup (RrStore     *store,
                 const char  *login,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  RrUser *user = NULL;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  stmt = _rr_store_prepare (store,
                            "SELECT id, uuid, login, display_name, team, active FROM users"
                            " WHERE login = ?", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, login);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    {
      user = user_from_row (store, stmt);
      if (!_rr_row_check (store, error))
        g_clear_pointer (&user, rr_user_free);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                 _("There is no user with login “%s” in this database."), login);
  if (user != NULL && !load_roles (store, user->id, &user->roles, error))
    g_clear_pointer (&user, rr_user_free);
  return user;
}

GPtrArray *
rr_users_list (RrStore  *store,
               GError  **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_user_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  stmt = _rr_store_prepare (store,
                            "SELECT id, uuid, login, display_name, team, active FROM users"
                            " ORDER BY login", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      g_ptr_array_add (users, user_from_row (store, stmt));
      if (!_rr_row_check (store, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  for (guint i = 0; i < users->len; i++)
    {
      RrUser *user = g_ptr_array_index (users, i);
      if (!load_roles (store, user->id, &user->roles, error))
        return NULL;
    }
  return g_steal_pointer (&users);
}

static char *
roles_phrase (RrRoles roles)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (int i = 0; i < RR_N_ROLES; i++)
    if (roles & (1 << i))
      g_ptr_array_add (labels, (gpointer) rr_role_label (1 << i));
  g_ptr_array_add (labels, NULL);
  /* TRANSLATORS: joins role names, as in "teamleider or beheerder" */
  return g_strjoinv (_(" or "), (char **) labels->pdata);
}

RrUser *
rr_users_require (RrStore     *store,
                  const char  *login,
                  RrRoles      roles,
                  GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GError) local_error = NULL;

  user = rr_users_lookup (store, login, &local_error);
  if (user == NULL)
    {
      if (g_error_matches (local_error, RR_ERROR, RR_ERROR_NOT_FOUND))
        g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                     _("You (%s) are not a user of this database. Ask a beheerder to add you."),
                     login);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!user->active)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Your account (%s) has been deactivated. Ask a beheerder to reactivate it."),
                   login);
      return NULL;
    }
  if (roles != RR_ROLE_NONE && (user->roles & roles) == 0)
    {
      g_autofree char *needed = roles_phrase (roles);
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Only a user with the role %s may do this."), needed);
      return NULL;
    }
  return g_steal_pointer (&user);
}

static gboolean
login_is_valid (const char *login)
{
  gsize len = login != NULL ? strlen (login) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = login; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '@')
      return FALSE;
  return TRUE;
}


/* The canonical content of a user: uuid, login, display_name, team, roles,
 * active. */
static char *
user_canonical (const char *uuid,
                const char *login,
                const char *display_name,
                const char *team,
                RrRoles     roles,
                gboolean    active)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("user");
  g_autofree char *roles_text = rr_roles_to_string (roles);

  rr_canon_add (canon, "uuid", uuid);
  rr_canon_add (canon, "login", login);
  rr_canon_add (canon, "display_name", display_name);
  rr_canon_add (canon, "team", team);
  rr_canon_add (canon, "roles", roles_text);
  rr_canon_add_bool (canon, "active", active);
  return g_strdup (rr_canon_get_text (canon));
}

static gboolean
insert_user (RrStore     *store,
             const char  *actor,
             const char  *login,
             const char  *display_name,
             const char  *team,
             RrRoles      roles,
             GError     **error)
{
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *now = rr_timestamp_now ();
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  stmt = _rr_store_prepare (store,
                            "INSERT INTO users (uuid, login, display_name, team, created_at)"
                            " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, uuid);
  _rr_bind_text (stmt, 2, login);
  _rr_bind_text (stmt, 3, display_name);
  _rr_bind_text (stmt, 4, team);
  _rr_bind_text (stmt, 5, now);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;
  id = sqlite3_last_insert_rowid (_rr_store_get_db (store));

  for (int i = 0; i < RR_N_ROLES; i++)
    if (roles & (1 << i))
      {
        stmt = _rr_store_prepare (store, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
                                  error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, id);
        _rr_bind_text (stmt, 2, rr_role_to_string (1 << i));
        if (!_rr_step_done (store, stmt, error))
          return FALSE;
      }

  canonical = user_canonical (uuid, login, display_name, team, roles, TRUE);
  return _rr_ledger_append (store, actor, "user.added", "user", uuid, canonical, TRUE, error) > 0;
}

static gboolean
set_setting_in_transaction (RrStore     *store,
                            const char  *actor,
                            const char  *key,
                            const char  *value,
                            GError     **error)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("setting");
  g_autofree char *entity = NULL;
  sqlite3_stmt *stmt;

  stmt = _rr_store_prepare (store,
                            "INSERT INTO settings (key, value) VALUES (?, ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, key);
  _rr_bind_text (stmt, 2, value);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  rr_canon_add (canon, "key", key);
  rr_canon_add (canon, "value", value);
  /* A setting has no uuid of its own; name it so that its events group. */
  entity = g_strconcat ("setting:", key, NULL);
  return _rr_ledger_append (store, actor, "setting.changed", "setting", entity,
                            rr_canon_get_text (canon), TRUE, error) > 0;
}

static gboolean
seed_vocab_and_mandate (RrStore  *store,
                        GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_terms); i++)
    {
      sqlite3_stmt *stmt = _rr_store_prepare (store,
                                              "INSERT INTO vocab (vocab, code, label, position)"
                                              " VALUES (?, ?, NULL, ?)", error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, vocab_names[builtin_terms[i].vocab]);
      _rr_bind_text (stmt, 2, builtin_terms[i].code);
      sqlite3_bind_int (stmt, 3, (int) i);
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (default_mandate); i++)
    {
      sqlite3_stmt *stmt = _rr_store_prepare (store,
                                              "INSERT INTO mandate (role, kind, alone, max_amount_cents)"
                                              " VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, rr_role_to_string (default_mandate[i].role));
      _rr_bind_text (stmt, 2, default_mandate[i].kind);
      sqlite3_bind_int (stmt, 3, default_mandate[i].alone);
      if (default_mandate[i].max_cents >= 0)
        sqlite3_bind_int64 (stmt, 4, default_mandate[i].max_cents);
      else
        sqlite3_bind_null (stmt, 4);
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * rr_store_initialise:
 *
 * Sets up a new database. The first person becomes beheerder and
 * klantmanager; the vocabularies, the default mandate and the starter
 * catalogue are loaded, all as ledger events in one transaction.
 */
gboolean
rr_store_initialise (RrStore     *store,
                     const char  *login,
                     const char  *display_name,
                     const char  *organisation,
                     const char  *team,
                     GError     **error)
{
  g_autoptr(GBytes) starter = NULL;
  g_autofree char *months = g_strdup_printf ("%d", DEFAULT_FOLLOW_UP_MONTHS);
  g_autofree char *years = g_strdup_printf ("%d", DEFAULT_RETENTION_YEARS);

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (rr_store_is_initialised (store))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("This database has been set up already."));
      return FALSE;
    }
  if (!login_is_valid (login))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a valid login: use letters, digits, dots, hyphens or "
                     "underscores."), login != NULL ? login : "");
      return FALSE;
    }
  if (_rr_text_is_blank (organisation))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the name of the organisation."));
      return FALSE;
    }
  if (_rr_text_is_blank (team))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the name of your team."));
      return FALSE;
    }
  if (_rr_text_is_blank (display_name))
    display_name = login;

  starter = rr_catalogue_starter ();

  if (!_rr_store_begin (store, error))
    return FALSE;

  if (!set_setting_in_transaction (store, login, "organisation", organisation, error)
      || !set_setting_in_transaction (store, login, "default_team", team, error)
      || !set_setting_in_transaction (store, login, "follow_up_months", months, error)
      || !set_setting_in_transaction (store, login, "retention_years", years, error)
      || !seed_vocab_and_mandate (store, error)
      || !insert_user (store, login, login, display_name, team,
                       RR_ROLE_BEHEERDER | RR_ROLE_KLANTMANAGER, error)
      || !_rr_catalogue_load_in_transaction (store, login, starter, NULL, error)
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      return FALSE;
    }

  rr_store_emit_changed (store, RR_CHANGED_SETTINGS);
  return TRUE;
}

gboolean
rr_store_set_setting (RrStore     *store,
                      const char  *actor,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_autoptr(RrUser) user = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  user = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return FALSE;

  if ((g_str_equal (key, "follow_up_months") || g_str_equal (key, "retention_years")))
    {
      gint64 n;
      if (!g_ascii_string_to_signed (value, 10, 1, 100, &n, NULL))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("“%s” must be a whole number from 1 to 100."), key);
          return FALSE;
        }
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  if (!set_setting_in_transaction (store, actor, key, value, error)
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      return FALSE;
    }
  rr_store_emit_changed (store, RR_CHANGED_SETTINGS);
  return TRUE;
}

gboolean
rr_users_add (RrStore     *store,
              const char  *actor,
              const char  *login,
              const char  *display_name,
              const char  *team,
              RrRoles      roles,
              GError     **error)
{
  g_autoptr(RrUser) admin = NULL;
  g_autofree char *default_team = NULL;
  gint64 existing;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  admin = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (admin == NULL)
    return FALSE;

  if (!login_is_valid (login))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a valid login: use letters, digits, dots, hyphens or "
                     "underscores."), login != NULL ? login : "");
      return FALSE;
    }
  if (_rr_text_is_blank (display_name))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the user’s name."));
      return FALSE;
    }
  if (roles == RR_ROLE_NONE)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the user at least one role."));
      return FALSE;
    }
  if (_rr_text_is_blank (team))
    {
      if (!_rr_store_lookup_setting (store, "default_team", &default_team, error))
        return FALSE;
      team = default_team;
    }
  if (!_rr_user_lookup_id (store, login, &existing, error))
    return FALSE;
  if (existing != 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("There is already a user with login “%s”."), login);
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  if (!insert_user (store, actor, login, display_name, team, roles, error)
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      return FALSE;
    }
  rr_store_emit_changed (store, RR_CHANGED_USERS);
  return TRUE;
}

static gint64
count_active_beheerders (RrStore *store)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT count(*) FROM user_roles r JOIN users u"
                                          " ON u.id = r.user_id WHERE r.role = 'beheerder'"
                                          " AND u.active = 1", NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static gboolean
change_user (RrStore     *store,
             const char  *actor,
             const char  *login,
             RrRoles      role,
             int          what,   /* 0 grant, 1 revoke, 2 activate, 3 deactivate */
             GError     **error)
{
  static const char * const actions[] = {
    "user.role_granted", "user.role_revoked", "user.activated", "user.deactivated"
  };
  g_autoptr(RrUser) admin = NULL;
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrCanon) canon = NULL;
  sqlite3_stmt *stmt;

  admin = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (admin == NULL)
    return FALSE;
  user = rr_users_lookup (store, login, error);
  if (user == NULL)
    return FALSE;

  if (what == 0 && (user->roles & role))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("%s already has the role %s."), login, rr_role_label (role));
      return FALSE;
    }
  if (what == 1 && !(user->roles & role))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("%s does not have the role %s."), login, rr_role_label (role));
      return FALSE;
    }
  if (((what == 1 && role == RR_ROLE_BEHEERDER) || (what == 3 && (user->roles & RR_ROLE_BEHEERDER)))
      && user->active && count_active_beheerders (store) <= 1)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("%s is the only active beheerder. Make someone else beheerder first, "
                     "so that the database can still be managed."), login);
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;

  switch (what)
    {
    case 0:
      stmt = _rr_store_prepare (store, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", error);
      break;
    case 1:
      stmt = _rr_store_prepare (store, "DELETE FROM user_roles WHERE user_id = ? AND role = ?", error);
      break;
    default:
      stmt = _rr_store_prepare (store, "UPDATE users SET active = ?2 WHERE id = ?1", error);
      break;
    }
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, user->id);
  if (what <= 1)
    _rr_bind_text (stmt, 2, rr_role_to_string (role));
  else
    sqlite3_bind_int (stmt, 2, what == 2);
  if (!_rr_step_done (store, stmt, error))
    goto fail;

  canon = rr_canon_new ("user-change");
  rr_canon_add (canon, "user", user->uuid);
  rr_canon_add (canon, "login", user->login);
  if (what <= 1)
    rr_canon_add (canon, "role", rr_role_to_string (role));
  else
    rr_canon_add_bool (canon, "active", what == 2);

  if (_rr_ledger_append (store, actor, actions[what], "user", user->uuid,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    goto fail;

  rr_store_emit_changed (store, RR_CHANGED_USERS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

gboolean
rr_users_grant (RrStore *store, const char *actor, const char *login, RrRoles role, GError **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  return change_user (store, actor, login, role, 0, error);
}

gboolean
rr_users_revoke (RrStore *store, const char *actor, const char *login, RrRoles role, GError **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  return change_user (store, actor, login, role, 1, error);
}

gboolean
rr_users_set_active (RrStore *store, const char *actor, const char *login, gboolean active,
                     GError **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  return change_user (store, actor, login, RR_ROLE_NONE, active ? 2 : 3, error);
}

GPtrArray *
rr_vocab_list (RrStore  *store,
               RrVocab   vocab,
               GError  **error)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_term_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  stmt = _rr_store_prepare (store, "SELECT code, label FROM vocab WHERE vocab = ?"
                            " ORDER BY position, code", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, vocab_names[vocab]);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrTerm *term = g_new0 (RrTerm, 1);
      const char *builtin;

      term->code = _rr_column_dup (stmt, 0);
      term->label = _rr_column_dup (stmt, 1);
      builtin = _rr_vocab_builtin_label (vocab, term->code);
      if (term->label == NULL)
        {
          term->label = g_strdup (builtin != NULL ? builtin : term->code);
          term->builtin = TRUE;
        }
      g_ptr_array_add (terms, term);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&terms);
}

gboolean
_rr_vocab_lookup (RrStore     *store,
                  RrVocab      vocab,
                  const char  *code,
                  gboolean    *found,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  if (code == NULL)
    return TRUE;
  stmt = _rr_store_prepare (store, "SELECT 1 FROM vocab WHERE vocab = ? AND code = ?", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, vocab_names[vocab]);
  _rr_bind_text (stmt, 2, code);
  rc = _rr_step (store, stmt, error);
  sqlite3_reset (stmt);
  *found = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
rr_vocab_contains (RrStore    *store,
                   RrVocab     vocab,
                   const char *code)
{
  gboolean found;

  _rr_vocab_lookup (store, vocab, code, &found, NULL);
  return found;
}

char *
rr_vocab_label (RrStore    *store,
                RrVocab     vocab,
                const char *code)
{
  sqlite3_stmt *stmt;
  char *label = NULL;

  if (code == NULL)
    return NULL;
  stmt = _rr_store_prepare (store, "SELECT label FROM vocab WHERE vocab = ? AND code = ?", NULL);
  if (stmt != NULL)
    {
      _rr_bind_text (stmt, 1, vocab_names[vocab]);
      _rr_bind_text (stmt, 2, code);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        label = _rr_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (label == NULL)
    {
      const char *builtin = _rr_vocab_builtin_label (vocab, code);
      label = g_strdup (builtin != NULL ? builtin : code);
    }
  return label;
}

gboolean
rr_vocab_add (RrStore     *store,
              const char  *actor,
              RrVocab      vocab,
              const char  *code,
              const char  *label,
              GError     **error)
{
  g_autoptr(RrUser) admin = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *entity = NULL;
  sqlite3_stmt *stmt;
  gboolean known;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  admin = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (admin == NULL)
    return FALSE;
  if (!login_is_valid (code) || _rr_text_is_blank (label))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Give a short code (letters, digits, hyphens) and a label."));
      return FALSE;
    }
  if (!_rr_vocab_lookup (store, vocab, code, &known, error))
    return FALSE;
  if (known)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT, _("The code “%s” is in use already."), code);
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  stmt = _rr_store_prepare (store,
                            "INSERT INTO vocab (vocab, code, label, position)"
                            " VALUES (?1, ?2, ?3, (SELECT coalesce (max (position), 0) + 1"
                            " FROM vocab WHERE vocab = ?1))", error);
  if (stmt == NULL)
    goto fail;
  _rr_bind_text (stmt, 1, vocab_names[vocab]);
  _rr_bind_text (stmt, 2, code);
  _rr_bind_text (stmt, 3, label);
  if (!_rr_step_done (store, stmt, error))
    goto fail;

  canon = rr_canon_new ("vocab");
  rr_canon_add (canon, "vocab", vocab_names[vocab]);
  rr_canon_add (canon, "code", code);
  rr_canon_add (canon, "label", label);
  entity = g_strdup_printf ("vocab:%s:%s", vocab_names[vocab], code);
  if (_rr_ledger_append (store, actor, "vocab.added", "vocab", entity,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    goto fail;
  rr_store_emit_changed (store, RR_CHANGED_SETTINGS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

/**
 * rr_vocab_rename:
 *
 * Gives a term of a vocabulary a new label; its code, which decisions keep,
 * stays. Renaming a built-in term replaces its translated label with the
 * organisation's own words. Beheerder only; a ledger event in the same
 * transaction.
 */
gboolean
rr_vocab_rename (RrStore     *store,
                 const char  *actor,
                 RrVocab      vocab,
                 const char  *code,
                 const char  *label,
                 GError     **error)
{
  g_autoptr(RrUser) admin = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  gboolean known;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  admin = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (admin == NULL)
    return FALSE;
  if (_rr_text_is_blank (label))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Give the term a label."));
      return FALSE;
    }
  if (!_rr_vocab_lookup (store, vocab, code, &known, error))
    return FALSE;
  if (!known)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("There is no term with the code “%s”."), code);
      return FALSE;
    }
  clean = g_strstrip (g_strdup (label));

  if (!_rr_store_begin (store, error))
    return FALSE;
  stmt = _rr_store_prepare (store, "UPDATE vocab SET label = ? WHERE vocab = ? AND code = ?",
                            error);
  if (stmt == NULL)
    goto fail;
  _rr_bind_text (stmt, 1, clean);
  _rr_bind_text (stmt, 2, vocab_names[vocab]);
  _rr_bind_text (stmt, 3, code);
  if (!_rr_step_done (store, stmt, error))
    goto fail;

  canon = rr_canon_new ("vocab");
  rr_canon_add (canon, "vocab", vocab_names[vocab]);
  rr_canon_add (canon, "code", code);
  rr_canon_add (canon, "label", clean);
  entity = g_strdup_printf ("vocab:%s:%s", vocab_names[vocab], code);
  if (_rr_ledger_append (store, actor, "vocab.renamed", "vocab", entity,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    goto fail;
  rr_store_emit_changed (store, RR_CHANGED_SETTINGS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}

GPtrArray *
rr_mandate_list (RrStore  *store,
                 GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_mandate_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  stmt = _rr_store_prepare (store,
                            "SELECT m.role, m.kind, m.alone, m.max_amount_cents FROM mandate m"
                            " LEFT JOIN vocab v ON v.vocab = 'kind' AND v.code = m.kind"
                            " ORDER BY m.role, v.position", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrMandate *m = g_new0 (RrMandate, 1);

      rr_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &m->role);
      m->kind = _rr_column_dup (stmt, 1);
      m->alone = sqlite3_column_int (stmt, 2) != 0;
      m->max_amount_cents = sqlite3_column_type (stmt, 3) == SQLITE_NULL
                            ? -1 : sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, m);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

gboolean
rr_mandate_set (RrStore     *store,
                const char  *actor,
                RrRoles      role,
                const char  *kind,
                gboolean     alone,
                gint64       max_amount_cents,
                GError     **error)
{
  g_autoptr(RrUser) admin = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *entity = NULL;
  sqlite3_stmt *stmt;
  gboolean known;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  admin = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (admin == NULL)
    return FALSE;
  if (!_rr_vocab_lookup (store, RR_VOCAB_KIND, kind, &known, error))
    return FALSE;
  if (rr_role_to_string (role) == NULL || !known)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The mandate needs one role and a known kind of discretion."));
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  stmt = _rr_store_prepare (store,
                            "INSERT INTO mandate (role, kind, alone, max_amount_cents)"
                            " VALUES (?, ?, ?, ?) ON CONFLICT (role, kind) DO UPDATE SET"
                            " alone = excluded.alone, max_amount_cents = excluded.max_amount_cents",
                            error);
  if (stmt == NULL)
    goto fail;
  _rr_bind_text (stmt, 1, rr_role_to_string (role));
  _rr_bind_text (stmt, 2, kind);
  sqlite3_bind_int (stmt, 3, alone);
  if (max_amount_cents >= 0)
    sqlite3_bind_int64 (stmt, 4, max_amount_cents);
  else
    sqlite3_bind_null (stmt, 4);
  if (!_rr_step_done (store, stmt, error))
    goto fail;

  canon = rr_canon_new ("mandate");
  rr_canon_add (canon, "role", rr_role_to_string (role));
  rr_canon_add (canon, "kind", kind);
  rr_canon_add_bool (canon, "alone", alone);
  if (max_amount_cents >= 0)
    rr_canon_add_int (canon, "max_amount_cents", max_amount_cents);
  entity = g_strdup_printf ("mandate:%s:%s", rr_role_to_string (role), kind);
  if (_rr_ledger_append (store, actor, "mandate.set", "mandate", entity,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    goto fail;
  rr_store_emit_changed (store, RR_CHANGED_SETTINGS);
  return TRUE;

fail:
  _rr_store_rollback (store);
  return FALSE;
}
