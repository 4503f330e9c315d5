/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"
#include "rr-types.h"

G_BEGIN_DECLS

/* Reflections are the learning layer: not in the ledger, editable by their
 * author, private or shared with the team. */
typedef struct {
  gint64            id;
  char             *author_login;
  char             *author_name;
  RrReflectionKind  kind;
  gboolean          shared;
  char             *number;   /* linked decision, or NULL */
  char             *title;
  char             *body;
  char             *created_at;
  char             *updated_at;
} RrReflection;

void        rr_reflection_free     (RrReflection *reflection);
gint64      rr_reflections_save    (RrStore          *store,
                                    const char       *actor,
                                    gint64            id,
                                    RrReflectionKind  kind,
                                    gboolean          shared,
                                    const char       *number,
                                    const char       *title,
                                    const char       *body,
                                    GError          **error);
gboolean    rr_reflections_delete  (RrStore          *store,
                                    const char       *actor,
                                    gint64            id,
                                    GError          **error);
/* The actor's own and the team's shared ones. */
GPtrArray  *rr_reflections_list    (RrStore          *store,
                                    const char       *actor,
                                    GError          **error);

/* Signaal naar beleid: what chafes in a rule, with linked decisions. */
typedef struct {
  gint64   id;
  char    *uuid;
  char    *rule_code;
  char    *author_login;
  char    *chafes;
  char    *proposal;
  char    *created_at;
  GStrv    numbers;
} RrSignal;

void        rr_signal_free         (RrSignal *signal);
gboolean    rr_signals_add         (RrStore     *store,
                                    const char  *actor,
                                    const char  *rule,
                                    const char  *chafes,
                                    const char  *proposal,
                                    const char * const *numbers,
                                    GError     **error);
GPtrArray  *rr_signals_list        (RrStore     *store,
                                    const char  *actor,
                                    GError     **error);

G_END_DECLS
