/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "rr-store.h"
#include "rr-error.h"
#include "rr-ledger.h"
#include "rr-types.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_rr_store_get_db          (RrStore *self);
/* TRUE for a path SQLite opens as a database in memory (no file of ours:
 * "", ":memory:", and URIs, which we only use for that). */
gboolean      _rr_store_path_in_memory  (const char *path);
/* A statement prepared once per connection and reset for reuse; do not
 * finalize it. Returns NULL with @error set when it does not prepare. */
sqlite3_stmt *_rr_store_prepare         (RrStore     *self,
                                         const char  *sql,
                                         GError     **error);
/* Finalizes the statements prepared so far: the next command prepares
 * them again, as on a new connection (the allocation fault tests). */
void          _rr_store_forget_statements (RrStore   *self);
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
/* While TRUE, rr_bulk_loading () answers 1 on this connection and the
 * triggers that keep the report summary skip their work: a bulk load
 * rebuilds it once at the end (_rr_report_summary_rebuild). */
void          _rr_store_set_bulk_loading (RrStore    *self,
                                          gboolean    bulk_loading);
gboolean      _rr_store_get_bulk_loading (RrStore    *self);

/* Step helpers: return SQLITE_ROW/SQLITE_DONE or set @error. */
int           _rr_step                  (RrStore      *self,
                                         sqlite3_stmt *stmt,
                                         GError      **error);
gboolean      _rr_step_done             (RrStore      *self,
                                         sqlite3_stmt *stmt,
                                         GError      **error);
/* Binds a copy of @text (NULL binds NULL). Out of memory the bind fails;
 * _rr_step then refuses to run the statement, with the error. */
void          _rr_bind_text             (sqlite3_stmt *stmt, int i, const char *text);
/* Binds @text itself, not a copy, for rows written in bulk: @text must
 * stay as it is until the statement has run. (_rr_store_prepare () clears
 * the bindings before a statement is used again, without reading them.) */
void          _rr_bind_text_static      (sqlite3_stmt *stmt, int i, const char *text);
/* After reading a row's columns: FALSE with @error set when a read ran out
 * of memory (SQLite then returns NULL or 0 for a value that is not), so
 * that it is not taken for an empty value. */
gboolean      _rr_row_check             (RrStore      *self,
                                         GError      **error);
/* A setting, or NULL in *@value when it is not set; FALSE with @error set
 * when it could not be read. */
gboolean      _rr_store_lookup_setting  (RrStore      *self,
                                         const char   *key,
                                         char        **value,
                                         GError      **error);
gboolean      _rr_store_lookup_setting_int (RrStore   *self,
                                         const char   *key,
                                         int           fallback,
                                         int          *value,
                                         GError      **error);
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
/* An event as the ledger keeps it; @canonical, when not NULL, is kept
 * with it (see _rr_ledger_append). */
typedef struct {
  gint64      seq;
  const char *uuid;
  const char *at;
  const char *actor;
  const char *action;
  const char *entity_type;
  const char *entity_uuid;
  const char *content_hash;
  const char *prev_hash;
  const char *hash;
  const char *canonical;
} RrEventRow;

/* Sets @row's prev_hash to @prev_hash and its hash, written into
 * @hash_out (RR_HASH_HEX_LEN + 1 bytes), to the event's hash. */
void          _rr_ledger_chain          (RrEventRow       *row,
                                         const char       *prev_hash,
                                         char             *hash_out);
/* Writes @row to the connection's own ledger. */
gboolean      _rr_ledger_insert         (RrStore          *self,
                                         const RrEventRow *row,
                                         GError          **error);
/* The same for up to RR_LEDGER_INSERT_MAX rows, in order, with one
 * statement: inside a transaction that has written a full-text table, each
 * statement that can fail halfway costs a savepoint of that table too. */
#define RR_LEDGER_INSERT_MAX 256
gboolean      _rr_ledger_insert_many    (RrStore           *self,
                                         const RrEventRow **rows,
                                         guint              n_rows,
                                         GError           **error);

/* A connection whose events go elsewhere: the demo generator writes
 * decisions into a staging copy of the database on one thread while
 * another appends their events to the real ledger (rr-demo.c). The
 * connection numbers every event from the sink's head and hands it to
 * append () without prev_hash and hash, for the sink to chain
 * (_rr_ledger_chain ()) and write in the same order; after each of its
 * commits and rollbacks it calls commit () or rollback (), with the head
 * moved on or put back to the last commit's. */
typedef struct _RrLedgerSink RrLedgerSink;
struct _RrLedgerSink
{
  gboolean (*append)   (RrLedgerSink      *sink,
                        const RrEventRow  *row,
                        GError           **error);
  void     (*commit)   (RrLedgerSink      *sink);
  void     (*rollback) (RrLedgerSink      *sink);
  gint64   head_seq;
  gint64   committed_seq;
};

/* Set head_seq before; NULL puts the connection's own ledger back. */
void          _rr_store_set_ledger_sink (RrStore      *self,
                                         RrLedgerSink *sink);
RrLedgerSink *_rr_store_get_ledger_sink (RrStore      *self);

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
/* For a query of many reviews or outcomes (the trail export): the
 * columns and joins of the two above, to put before the caller's own, and
 * the canonical content of that query's current row (NULL if destroyed). */
void          _rr_review_canonical_sql        (const char  **columns,
                                               const char  **from);
char         *_rr_review_canonical_from_row   (sqlite3_stmt *stmt);
void          _rr_outcome_canonical_sql       (const char  **columns,
                                               const char  **from);
char         *_rr_outcome_canonical_from_row  (sqlite3_stmt *stmt);

/* User lookups inside a command: 0 when there is no such user, and also
 * when the lookup failed; _rr_user_lookup_id tells the two apart. */
gint64        _rr_user_id               (RrStore     *self,
                                         const char  *login);
/* The user's id in *@id, 0 when there is none; FALSE with @error set when
 * the lookup failed. */
gboolean      _rr_user_lookup_id        (RrStore     *self,
                                         const char  *login,
                                         gint64      *id,
                                         GError     **error);

const char   *_rr_vocab_builtin_label   (RrVocab     vocab,
                                         const char *code);
/* Whether @code is a term of @vocab, in *@found; FALSE with @error set
 * when that could not be read. */
gboolean      _rr_vocab_lookup          (RrStore     *self,
                                         RrVocab      vocab,
                                         const char  *code,
                                         gboolean    *found,
                                         GError     **error);

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
