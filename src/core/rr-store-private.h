/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "rr-store.h"
#include "rr-error.h"
#include "rr-types.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_rr_store_get_db          (RrStore *self);
/* A statement prepared once per connection and reset for reuse; do not
 * finalize it. Returns NULL with @error set when it does not prepare. */
sqlite3_stmt *_rr_store_prepare         (RrStore     *self,
                                         const char  *sql,
                                         GError     **error);
/* Sets @error from the connection's last error, keeping SQLite's code in
 * the message's mapping to RrStoreError. */
void          _rr_store_set_error       (RrStore     *self,
                                         int          rc,
                                         GError     **error);
gboolean      _rr_store_exec            (RrStore     *self,
                                         const char  *sql,
                                         GError     **error);
/* BEGIN IMMEDIATE: every command takes the write lock up front, so the chain
 * head it reads cannot move under it. */
gboolean      _rr_store_begin           (RrStore     *self,
                                         GError     **error);
gboolean      _rr_store_commit          (RrStore     *self,
                                         GError     **error);
void          _rr_store_rollback        (RrStore     *self);
gboolean      _rr_store_in_transaction  (RrStore     *self);

/* Step helpers: return SQLITE_ROW/SQLITE_DONE or set @error. */
int           _rr_step                  (RrStore      *self,
                                         sqlite3_stmt *stmt,
                                         GError      **error);
gboolean      _rr_step_done             (RrStore      *self,
                                         sqlite3_stmt *stmt,
                                         GError      **error);
void          _rr_bind_text             (sqlite3_stmt *stmt, int i, const char *text);
/* TRUE for NULL, "" and text that is only white space: such text counts as
 * not given, everywhere. */
gboolean      _rr_text_is_blank         (const char *text);
char         *_rr_column_dup            (sqlite3_stmt *stmt, int i);

/* Ledger internals used by every command. @canonical is stored with the
 * event when @keep_content (content with no row of its own to recompute it
 * from); otherwise only its hash is committed to. Returns the new seq. */
gint64        _rr_ledger_append         (RrStore     *self,
                                         const char  *actor,
                                         const char  *action,
                                         const char  *entity_type,
                                         const char  *entity_uuid,
                                         const char  *canonical,
                                         gboolean     keep_content,
                                         GError     **error);
/* The same, for a caller that has the content hash already. */
gint64        _rr_ledger_append_hashed  (RrStore     *self,
                                         const char  *actor,
                                         const char  *action,
                                         const char  *entity_type,
                                         const char  *entity_uuid,
                                         const char  *canonical,
                                         const char  *content_hash,
                                         gboolean     keep_content,
                                         GError     **error);
void          _rr_ledger_forget_head    (RrStore     *self);
gboolean      _rr_ledger_get_head       (RrStore     *self,
                                         gint64      *seq,
                                         char        *hash_out);
void          _rr_ledger_set_head       (RrStore     *self,
                                         gint64       seq,
                                         const char  *hash);

/* Canonical content of immutable rows, recomputed for verification. */
char         *_rr_decision_canonical    (RrStore     *self,
                                         gint64       decision_id,
                                         GError     **error);
char         *_rr_review_canonical      (RrStore     *self,
                                         const char  *uuid,
                                         GError     **error);
char         *_rr_outcome_canonical     (RrStore     *self,
                                         const char  *uuid,
                                         GError     **error);

/* User lookups inside a command. */
gint64        _rr_user_id               (RrStore     *self,
                                         const char  *login);

const char   *_rr_vocab_builtin_label   (RrVocab     vocab,
                                         const char *code);

#define RR_CHANGED_USERS     "users"
#define RR_CHANGED_CLIENTS   "clients"
#define RR_CHANGED_RULES     "rules"
#define RR_CHANGED_DECISIONS "decisions"
#define RR_CHANGED_REVIEWS   "reviews"
#define RR_CHANGED_SETTINGS  "settings"
#define RR_CHANGED_LEARNING  "learning"

G_END_DECLS

G_BEGIN_DECLS
/* "name=value\n" with the value escaped as in canonical content. */
void          _rr_canon_append_field    (GString     *out,
                                         const char  *name,
                                         const char  *value);
/* Appends lines built with _rr_canon_append_field as they are. */
void          _rr_canon_append_raw      (gpointer     canon,
                                         const char  *lines);
char         *_rr_unescape              (const char  *value);
/* An FTS5 query from free text: every word as a quoted prefix term, joined
 * by AND (@any FALSE) or OR. NULL when there is no word. */
char         *_rr_fts_query             (const char  *text,
                                         gboolean     any);
G_END_DECLS
