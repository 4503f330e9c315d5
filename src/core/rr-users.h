/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"
#include "rr-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64   id;
  char    *uuid;
  char    *login;
  char    *display_name;
  char    *team;
  RrRoles  roles;
  gboolean active;
} RrUser;

void       rr_user_free          (RrUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrUser, rr_user_free)

/* Sets up a new database: the organisation, and @login as its first
 * beheerder and klantmanager. Loads the starter rule catalogue. */
gboolean   rr_store_initialise   (RrStore     *store,
                                  const char  *login,
                                  const char  *display_name,
                                  const char  *organisation,
                                  const char  *team,
                                  GError     **error);

RrUser    *rr_users_lookup       (RrStore     *store,
                                  const char  *login,
                                  GError     **error);
/* (element-type RrUser) */
GPtrArray *rr_users_list         (RrStore     *store,
                                  GError     **error);
gboolean   rr_users_add          (RrStore     *store,
                                  const char  *actor,
                                  const char  *login,
                                  const char  *display_name,
                                  const char  *team,
                                  RrRoles      roles,
                                  GError     **error);
gboolean   rr_users_grant        (RrStore     *store,
                                  const char  *actor,
                                  const char  *login,
                                  RrRoles      role,
                                  GError     **error);
gboolean   rr_users_revoke       (RrStore     *store,
                                  const char  *actor,
                                  const char  *login,
                                  RrRoles      role,
                                  GError     **error);
gboolean   rr_users_set_active   (RrStore     *store,
                                  const char  *actor,
                                  const char  *login,
                                  gboolean     active,
                                  GError     **error);
/* Refuses with RR_ERROR_PERMISSION unless @login is active and holds one
 * of @roles. @what names the command in the message. */
RrUser    *rr_users_require      (RrStore     *store,
                                  const char  *login,
                                  RrRoles      roles,
                                  GError     **error);

typedef struct {
  gint64   id;
  char    *uuid;
  char    *dossier;
  char    *name;
  char    *bsn;          /* NULL when not given */
  char    *owner_login;
  char    *owner_name;
  gboolean active;
  char    *opened;
  char    *closed;
  int      n_decisions;
} RrClient;

void       rr_client_free        (RrClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrClient, rr_client_free)

gboolean   rr_clients_add        (RrStore     *store,
                                  const char  *actor,
                                  const char  *dossier,
                                  const char  *name,
                                  const char  *bsn,
                                  GError     **error);
gboolean   rr_clients_close      (RrStore     *store,
                                  const char  *actor,
                                  const char  *dossier,
                                  GError     **error);
gboolean   rr_clients_reassign   (RrStore     *store,
                                  const char  *actor,
                                  const char  *dossier,
                                  const char  *owner_login,
                                  GError     **error);
RrClient  *rr_clients_lookup     (RrStore     *store,
                                  const char  *actor,
                                  const char  *dossier,
                                  GError     **error);
/* The actor's caseload (klantmanager), the team's clients (teamleider) or all
 * (auditor). (element-type RrClient) */
GPtrArray *rr_clients_list       (RrStore     *store,
                                  const char  *actor,
                                  gboolean     include_closed,
                                  GError     **error);
/* Type-ahead on dossier number or name among visible clients. */
GPtrArray *rr_clients_search     (RrStore     *store,
                                  const char  *actor,
                                  const char  *text,
                                  guint        limit,
                                  GError     **error);

G_END_DECLS
