/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-decision.h"
#include "rr-store-private.h"

G_BEGIN_DECLS

/* Everything a decision version holds beyond what a person typed, resolved
 * to ids; shared by recording and by the demo generator. */
typedef struct {
  char            *uuid;
  char            *number;
  int              version;
  gint64           supersedes_id;
  char            *supersedes_uuid;
  gint64           client_id;
  char            *client_uuid;
  gint64           author_id;
  char            *author_login;
  char            *team;
  char            *recorded_at;
  gint64           rule_id;
  char            *rule_uuid;
  char            *rule_code;
  int              rule_version;
  gboolean         within_mandate;
  int              needs_review;
  char            *weighings_text;
  char            *retention_until;
  RrDecisionInput *input;   /* decision_date and follow_up filled in */
  /* Bulk work leaves the full-text index to _rr_decisions_index_from: FTS5
   * writes a new segment at every statement savepoint, so one INSERT …
   * SELECT per batch is far cheaper than one insert per decision. */
  gboolean         defer_fts;
} RrDecisionValues;

void     _rr_decision_values_clear     (RrDecisionValues *values);
char    *_rr_decision_values_canonical (const RrDecisionValues *values);
/* For a query of many decisions (the trail export): the columns and
 * joins of _rr_decision_canonical(), to put before the caller's own, and
 * the canonical content of that query's current row. */
void     _rr_decision_canonical_sql      (const char   **columns,
                                          const char   **from);
char    *_rr_decision_canonical_from_row (sqlite3_stmt  *stmt);
/* Inserts the row and its ledger event; the caller holds the transaction.
 * Returns the row id. */
gint64   _rr_decision_insert           (RrStore                *store,
                                        const RrDecisionValues *values,
                                        GError                **error);
/* Indexes every decision with an id of @first_id or more; for bulk work
 * that set defer_fts, before its commit. */
gboolean _rr_decisions_index_from      (RrStore     *store,
                                        gint64       first_id,
                                        GError     **error);
char    *_rr_weighings_to_text         (const RrDecisionInput *input);
void     _rr_weighings_from_text       (RrDecisionInput *input,
                                        const char      *text);
gboolean _rr_parse_euros               (const char *text,
                                        gint64     *cents);
/* Next number of the year, e.g. RR-2026-000123; inside a transaction. */
char    *_rr_decision_next_number      (RrStore     *store,
                                        int          year,
                                        GError     **error);
gboolean _rr_mandate_allows            (RrStore     *store,
                                        RrRoles      roles,
                                        const char  *kind,
                                        gboolean     has_amount,
                                        gint64       amount_cents);
/* The same, with *@allowed set; FALSE with @error set when the mandate
 * could not be read (where _rr_mandate_allows says "not allowed"). */
gboolean _rr_mandate_check             (RrStore     *store,
                                        RrRoles      roles,
                                        const char  *kind,
                                        gboolean     has_amount,
                                        gint64       amount_cents,
                                        gboolean    *allowed,
                                        GError     **error);
char    *_rr_client_pseudonym          (const char *salt,
                                        const char *uuid);

/* Inserts shared by the commands and the demo generator (rr-review.c,
 * rr-clients.c): each adds its row and ledger event inside the caller's
 * transaction, with the time given, and checks no roles — the caller does. */
gboolean _rr_review_insert             (RrStore     *store,
                                        gint64       decision_id,
                                        const char  *decision_uuid,
                                        const char  *number,
                                        int          version,
                                        gint64       reviewer_id,
                                        const char  *reviewer_login,
                                        RrVerdict    verdict,   /* NONE: advice */
                                        const char  *text,
                                        const char  *created_at,
                                        GError     **error);
gboolean _rr_outcome_insert            (RrStore     *store,
                                        gint64       decision_id,
                                        const char  *decision_uuid,
                                        const char  *number,
                                        gint64       author_id,
                                        const char  *author_login,
                                        RrEffect     effect,
                                        const char  *note,
                                        const char  *recorded_at,
                                        GError     **error);
/* Adds a client owned by @owner_id as @actor ("client.added"), and closes
 * it on @closed when not NULL ("client.closed"). @bsn must be valid or
 * NULL. Returns the row id and sets @uuid_out (transfer full). */
gint64   _rr_client_insert             (RrStore     *store,
                                        const char  *actor,
                                        gint64       owner_id,
                                        const char  *dossier,
                                        const char  *name,
                                        const char  *bsn,
                                        const char  *opened,
                                        const char  *closed,
                                        char       **uuid_out,
                                        GError     **error);

G_END_DECLS
