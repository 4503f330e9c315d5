/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-store"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rr-ledger.h"
#include "rr-schema.h"
#include "rr-store-private.h"

struct _RrStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text (not owned) → sqlite3_stmt */
  gboolean    read_only;

  /* A command's transaction (from _rr_store_begin to its commit or
   * rollback). ROLLBACK is prepared up front: out of memory, preparing it
   * then could fail and leave the transaction open. */
  gboolean      in_command;
  gboolean      rollback_pending;
  sqlite3_stmt *rollback;

  /* The chain head, valid only inside the current write transaction. */
  gboolean    head_known;
  gint64      head_seq;
  char        head_hash[RR_HASH_HEX_LEN + 1];

  /* What rr_bulk_loading () answers on this connection (rr-report.c). */
  gboolean    bulk_loading;
  /* Where this connection's events go instead of its own ledger. */
  RrLedgerSink *ledger_sink;
  /* Log size in pages at the last attempt to start it over (on_wal_commit). */
  int         wal_restart_tried;

  /* This process's queue for the database's write lock (see WriteGate). */
  struct _WriteGate *gate;
  gboolean           gate_held;
  int                busy_timeout_ms;
  /* The log's size after a command's commit, for its checkpoint. */
  int                wal_pages;
};

G_DEFINE_FINAL_TYPE (RrStore, rr_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (rr-store-error-quark, rr_store_error)
G_DEFINE_QUARK (rr-error-quark, rr_error)

#define DEFAULT_BUSY_TIMEOUT_MS 5000
/* Rounds of the busy timeout a command waits for the write lock. */
#define BEGIN_RETRIES 5

/* The write gate. SQLite hands its write lock to whichever waiter next
 * polls for it, and its busy handler polls ever more slowly (up to every
 * tenth of a second): under steady load the writers that wait longest are
 * the least likely to get it, and a few wait out every retry (a soak of
 * four writers gave 96 "database in use" errors in 280,000 records). So
 * the connections of one process to one database queue here, first come
 * first served, before they ask SQLite; SQLite's own busy handling is left
 * to sort out the other processes on a shared team database, where writes
 * are few and far between. */
typedef struct _WriteGate {
  char    *path;        /* the key in gates */
  guint    n_stores;
  GMutex   mutex;
  GCond    cond;
  RrStore *owner;       /* the connection in a write transaction, or NULL */
  GQueue   waiters;     /* the connections waiting, in order of arrival */
} WriteGate;

static GMutex gates_mutex;
static GHashTable *gates;  /* canonical path → WriteGate */

gboolean
_rr_store_path_in_memory (const char *path)
{
  return path[0] == '\0' || strcmp (path, ":memory:") == 0 || g_str_has_prefix (path, "file:");
}

static WriteGate *
write_gate_get (const char *path)
{
  g_autofree char *key = NULL;
  WriteGate *gate;

  /* Each in-memory database is a database of its own. */
  if (_rr_store_path_in_memory (path))
    return NULL;
  key = g_canonicalize_filename (path, NULL);

  g_mutex_lock (&gates_mutex);
  if (gates == NULL)
    gates = g_hash_table_new (g_str_hash, g_str_equal);
  gate = g_hash_table_lookup (gates, key);
  if (gate == NULL)
    {
      gate = g_new0 (WriteGate, 1);
      gate->path = g_steal_pointer (&key);
      g_mutex_init (&gate->mutex);
      g_cond_init (&gate->cond);
      g_queue_init (&gate->waiters);
      g_hash_table_insert (gates, gate->path, gate);
    }
  gate->n_stores++;
  g_mutex_unlock (&gates_mutex);
  return gate;
}

static void
write_gate_put (WriteGate *gate)
{
  g_mutex_lock (&gates_mutex);
  if (--gate->n_stores == 0)
    {
      g_hash_table_remove (gates, gate->path);
      g_mutex_clear (&gate->mutex);
      g_cond_clear (&gate->cond);
      g_free (gate->path);
      g_free (gate);
    }
  g_mutex_unlock (&gates_mutex);
}

/* Waits for @self's turn until @deadline (monotonic time). */
static gboolean
write_gate_enter (RrStore *self,
                  gint64   deadline)
{
  WriteGate *gate = self->gate;
  gboolean entered = TRUE;

  if (self->gate_held || gate == NULL)
    return TRUE;
  g_mutex_lock (&gate->mutex);
  if (gate->owner == NULL && g_queue_is_empty (&gate->waiters))
    gate->owner = self;
  else
    {
      g_queue_push_tail (&gate->waiters, self);
      while (gate->owner != self)
        if (!g_cond_wait_until (&gate->cond, &gate->mutex, deadline)
            && gate->owner != self)
          {
            g_queue_remove (&gate->waiters, self);
            entered = FALSE;
            break;
          }
    }
  g_mutex_unlock (&gate->mutex);
  self->gate_held = entered;
  return entered;
}

/* Hands the gate to the next in line. */
static void
write_gate_pass_on (RrStore *self)
{
  WriteGate *gate = self->gate;

  g_mutex_lock (&gate->mutex);
  g_assert (gate->owner == self);
  gate->owner = g_queue_pop_head (&gate->waiters);
  if (gate->owner != NULL)
    g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
  self->gate_held = FALSE;
}

/* Passes the gate on once @self's transaction is over: not while a
 * rollback that failed still holds SQLite's lock. */
static void
write_gate_leave (RrStore *self)
{
  if (self->gate_held && !self->rollback_pending)
    write_gate_pass_on (self);
}

/* Binding text copies it, and out of memory the bind fails and leaves the
 * parameter NULL: the statement would then run with the wrong value (a
 * lookup that finds nothing and blames the user, say). _rr_bind_text notes
 * such a statement here and _rr_step refuses to run it. Per thread, as each
 * thread has its own connection; a few slots, as a command may bind more
 * than one statement before it steps them. */
#define N_FAILED_BINDS 4

typedef struct {
  sqlite3_stmt *stmt;
  int           rc;
} FailedBind;

static _Thread_local FailedBind failed_binds[N_FAILED_BINDS];

static void
note_failed_bind (sqlite3_stmt *stmt,
                  int           rc)
{
  guint free_slot = 0;

  for (guint i = 0; i < N_FAILED_BINDS; i++)
    {
      if (failed_binds[i].stmt == stmt)
        return;
      if (failed_binds[i].stmt == NULL)
        free_slot = i;
    }
  failed_binds[free_slot].stmt = stmt;
  failed_binds[free_slot].rc = rc;
}

/* Returns the code of a failed bind of @stmt since it was last prepared,
 * stepped or reset by us, or SQLITE_OK, and forgets it. */
static int
take_failed_bind (sqlite3_stmt *stmt)
{
  for (guint i = 0; i < N_FAILED_BINDS; i++)
    if (failed_binds[i].stmt == stmt)
      {
        int rc = failed_binds[i].rc;

        failed_binds[i].stmt = NULL;
        return rc;
      }
  return SQLITE_OK;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static int
store_error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return RR_STORE_ERROR_BUSY;
    case SQLITE_FULL:
      return RR_STORE_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return RR_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return RR_STORE_ERROR_READ_ONLY;
    case SQLITE_NOMEM:
      return RR_STORE_ERROR_NO_MEMORY;
    default:
      return RR_STORE_ERROR_FAILED;
    }
}

static void
set_error_for_rc (int          rc,
                  const char  *path,
                  const char  *detail,
                  GError     **error)
{
  switch (store_error_code_for (rc))
    {
    case RR_STORE_ERROR_BUSY:
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_BUSY,
                   _("The database is in use by another program and did not become free in time. "
                     "Nothing was changed; try again in a moment."));
      return;
    case RR_STORE_ERROR_FULL:
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FULL,
                   _("The disk holding the database is full. Nothing was changed; "
                     "free some space and try again."));
      return;
    case RR_STORE_ERROR_CORRUPT:
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged. It was not changed; "
                     "restore the latest backup or ask your beheerder for help."),
                   path);
      return;
    case RR_STORE_ERROR_READ_ONLY:
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_READ_ONLY,
                   _("The database “%s” cannot be written to. Nothing was changed; "
                     "check the permissions of the file and its folder."),
                   path);
      return;
    case RR_STORE_ERROR_NO_MEMORY:
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NO_MEMORY,
                   _("There was not enough memory to complete the operation. Nothing was "
                     "changed; close other programs or windows and try again."));
      return;
    default:
      if ((rc & 0xff) == SQLITE_CONSTRAINT && detail != NULL
          && strstr (detail, "regelruimte: immutable") != NULL)
        {
          g_debug ("refused by trigger: %s", detail);
          g_set_error (error, RR_ERROR, RR_ERROR_IMMUTABLE,
                       _("Recorded items cannot be changed or deleted. "
                         "Record a new version or withdraw the decision instead."));
          return;
        }
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The database reported an unexpected error (%s). Nothing was changed."),
                   detail != NULL ? detail : sqlite3_errstr (rc));
      return;
    }
}

/* SQLite rolled a command's transaction back by itself. */
static void
set_ended_error (RrStore  *self,
                 GError  **error)
{
  g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
               _("The database ended the change before it was complete. Nothing was "
                 "changed; try again."));
}

void
_rr_store_set_error (RrStore  *self,
                     int       rc,
                     GError  **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : NULL;

  set_error_for_rc (rc, self->path, detail, error);
}

sqlite3 *
_rr_store_get_db (RrStore *self)
{
  return self->db;
}

sqlite3_stmt *
_rr_store_prepare (RrStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      take_failed_bind (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return NULL;
    }
  take_failed_bind (stmt);

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

void
_rr_store_forget_statements (RrStore *self)
{
  g_hash_table_remove_all (self->statements);
}

gboolean
_rr_store_exec (RrStore     *self,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_rr_store_begin (RrStore  *self,
                 GError  **error)
{
  if (self->read_only)
    {
      set_error_for_rc (SQLITE_READONLY, self->path, NULL, error);
      return FALSE;
    }
  self->head_known = FALSE;

  /* A rollback that could not run for want of memory: try it again now,
   * so that the half-done change is never committed with this one. */
  if (self->rollback_pending)
    {
      _rr_store_rollback (self);
      if (self->rollback_pending)
        {
          set_error_for_rc (SQLITE_NOMEM, self->path, NULL, error);
          return FALSE;
        }
    }

  /* First this process's own queue, then SQLite's lock. SQLite's busy
   * handler is not fair between processes either: under steady contention
   * one writer can wait out its whole timeout while others take turns. A
   * few more rounds keep "busy" from reaching a person on a shared team
   * database. */
  if (!write_gate_enter (self, g_get_monotonic_time ()
                               + (gint64) (BEGIN_RETRIES + 1) * self->busy_timeout_ms * 1000))
    {
      _rr_store_set_error (self, SQLITE_BUSY, error);
      return FALSE;
    }
  for (int attempt = 0; ; attempt++)
    {
      int rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        {
          self->in_command = TRUE;
          return TRUE;
        }
      if ((rc & 0xff) != SQLITE_BUSY || attempt >= BEGIN_RETRIES)
        {
          _rr_store_set_error (self, rc, error);
          write_gate_leave (self);
          return FALSE;
        }
      g_usleep (g_random_int_range (1000, 20000));
    }
}

static void checkpoint_wal (RrStore *self,
                            int      n_pages);

gboolean
_rr_store_commit (RrStore  *self,
                  GError  **error)
{
  gboolean ok;

  /* SQLite may have rolled the transaction back after an error that was
   * not passed on: then COMMIT would fail with a message that misleads, or,
   * were a statement run since, commit only part of the change. */
  if (self->in_command && sqlite3_get_autocommit (self->db))
    {
      set_ended_error (self, error);
      _rr_store_rollback (self);
      return FALSE;
    }

  ok = _rr_store_exec (self, "COMMIT", error);
  self->head_known = FALSE;
  if (!ok)
    _rr_store_rollback (self);
  else
    {
      self->in_command = FALSE;
      if (self->ledger_sink != NULL)
        {
          RrLedgerSink *sink = self->ledger_sink;

          sink->committed_seq = sink->head_seq;
          sink->commit (sink);
        }
    }
  write_gate_leave (self);
  if (self->wal_pages > 0)
    {
      int n_pages = self->wal_pages;

      self->wal_pages = 0;
      if (ok)
        checkpoint_wal (self, n_pages);
    }
  return ok;
}

void
_rr_store_rollback (RrStore *self)
{
  self->head_known = FALSE;
  if (!sqlite3_get_autocommit (self->db))
    {
      /* The statement prepared at open needs no memory to run; preparing
       * one now might. */
      if (self->rollback != NULL)
        {
          sqlite3_step (self->rollback);
          sqlite3_reset (self->rollback);
        }
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  if (self->ledger_sink != NULL)
    {
      RrLedgerSink *sink = self->ledger_sink;

      sink->head_seq = sink->committed_seq;
      sink->rollback (sink);
    }
  /* Still open only when even that failed: _rr_store_begin tries again. */
  self->rollback_pending = !sqlite3_get_autocommit (self->db);
  self->in_command = self->in_command && self->rollback_pending;
  write_gate_leave (self);
}

gboolean
_rr_store_in_transaction (RrStore *self)
{
  return !sqlite3_get_autocommit (self->db);
}

void
_rr_store_set_bulk_loading (RrStore  *self,
                            gboolean  bulk_loading)
{
  self->bulk_loading = bulk_loading;
}

gboolean
_rr_store_get_bulk_loading (RrStore *self)
{
  return self->bulk_loading;
}

void
_rr_store_set_ledger_sink (RrStore      *self,
                           RrLedgerSink *sink)
{
  self->ledger_sink = sink;
  if (sink != NULL)
    sink->committed_seq = sink->head_seq;
}

RrLedgerSink *
_rr_store_get_ledger_sink (RrStore *self)
{
  return self->ledger_sink;
}

int
_rr_step (RrStore       *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = take_failed_bind (stmt);

  if (rc != SQLITE_OK)
    {
      set_error_for_rc (rc, self->path, sqlite3_errstr (rc), error);
      sqlite3_reset (stmt);
      return rc;
    }

  /* Out of memory (or I/O, or full), SQLite may roll a transaction back by
   * itself; a command that went on would write the rest of its change on
   * its own, outside any transaction. Refuse instead. */
  if (self->in_command && sqlite3_get_autocommit (self->db))
    {
      set_ended_error (self, error);
      sqlite3_reset (stmt);
      return SQLITE_ABORT;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  _rr_store_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return rc;
}

gboolean
_rr_step_done (RrStore       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = _rr_step (self, stmt, error);

  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  return FALSE;
}

static void
bind_text (sqlite3_stmt            *stmt,
           int                      i,
           const char              *text,
           sqlite3_destructor_type  destructor)
{
  int rc;

  if (text == NULL)
    rc = sqlite3_bind_null (stmt, i);
  else
    rc = sqlite3_bind_text (stmt, i, text, -1, destructor);
  /* SQLITE_RANGE is a parameter that this form of a statement leaves out
   * (filters build their SQL from the criteria given): nothing is lost. */
  if (rc != SQLITE_OK && rc != SQLITE_RANGE)
    note_failed_bind (stmt, rc);
}

void
_rr_bind_text (sqlite3_stmt *stmt,
               int           i,
               const char   *text)
{
  bind_text (stmt, i, text, SQLITE_TRANSIENT);
}

void
_rr_bind_text_static (sqlite3_stmt *stmt,
                      int           i,
                      const char   *text)
{
  bind_text (stmt, i, text, SQLITE_STATIC);
}

gboolean
_rr_row_check (RrStore  *self,
               GError  **error)
{
  /* A successful step leaves SQLITE_ROW as the connection's error code; a
   * column read that ran out of memory replaces it with SQLITE_NOMEM (and
   * returned NULL, or 0, for a value that was not). */
  if (sqlite3_errcode (self->db) == SQLITE_NOMEM)
    {
      set_error_for_rc (SQLITE_NOMEM, self->path, NULL, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_rr_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
_rr_column_dup (sqlite3_stmt *stmt,
                int           i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
_rr_ledger_get_head (RrStore *self,
                     gint64  *seq,
                     char    *hash_out)
{
  if (!self->head_known || !_rr_store_in_transaction (self))
    return FALSE;
  *seq = self->head_seq;
  memcpy (hash_out, self->head_hash, RR_HASH_HEX_LEN + 1);
  return TRUE;
}

void
_rr_ledger_set_head (RrStore    *self,
                     gint64      seq,
                     const char *hash)
{
  self->head_known = TRUE;
  self->head_seq = seq;
  g_strlcpy (self->head_hash, hash, sizeof self->head_hash);
}

void
_rr_ledger_forget_head (RrStore *self)
{
  self->head_known = FALSE;
}

static void
rr_store_finalize (GObject *object)
{
  RrStore *self = (RrStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->rollback, sqlite3_finalize);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  /* Closing ended any transaction, even one whose rollback had failed. */
  if (self->gate_held)
    write_gate_pass_on (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->gate, write_gate_put);

  G_OBJECT_CLASS (rr_store_parent_class)->finalize (object);
}

static void
rr_store_class_init (RrStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rr_store_finalize;

  /**
   * RrStore::changed:
   * @what: which kind of data changed ("decisions", "users", …)
   *
   * Emitted after a command of this connection committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
rr_store_init (RrStore *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                            NULL, finalize_statement);
}

void
rr_store_emit_changed (RrStore    *self,
                       const char *what)
{
  g_return_if_fail (RR_IS_STORE (self));

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (what), what);
}

char *
rr_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "regelruimte", "regelruimte.db", NULL);
}

const char *
rr_store_get_path (RrStore *self)
{
  g_return_val_if_fail (RR_IS_STORE (self), NULL);
  return self->path;
}

int
rr_store_latest_schema_version (void)
{
  return (int) rr_schema_n_migrations;
}

static int
query_int (RrStore    *self,
           const char *sql,
           int        *rc_out)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int value = 0;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc_out != NULL)
    *rc_out = rc;
  return value;
}

int
rr_store_get_schema_version (RrStore *self)
{
  g_return_val_if_fail (RR_IS_STORE (self), -1);
  return query_int (self, "PRAGMA user_version", NULL);
}

void
rr_store_set_busy_timeout (RrStore *self,
                           int      milliseconds)
{
  g_return_if_fail (RR_IS_STORE (self));
  self->busy_timeout_ms = milliseconds;
  sqlite3_busy_timeout (self->db, milliseconds);
}

/* The connection's page cache, in KiB, for a process that reads little at
 * a time and wants its memory back (the desktop window). */
void
rr_store_set_cache_size (RrStore *self,
                         int      kibibytes)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (RR_IS_STORE (self));
  g_return_if_fail (kibibytes > 0);
  sql = g_strdup_printf ("PRAGMA cache_size = -%d", kibibytes);
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Reads the 100-byte header without SQLite, so that a file that is not ours
 * is refused before anything could write to it. */
static gboolean
check_header (const char  *path,
              gboolean    *empty,
              GError     **error)
{
  guint8 header[100];
  struct stat st;
  ssize_t n;
  int fd;

  *empty = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RR_STORE_ERROR,
                   saved == EACCES ? RR_STORE_ERROR_READ_ONLY : RR_STORE_ERROR_FAILED,
                   _("The database “%s” could not be opened: %s."),
                   path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_OURS,
                   _("“%s” is not a Regelruimte database."), path);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      close (fd);
      *empty = TRUE;
      return TRUE;
    }

  n = read (fd, header, sizeof header);
  close (fd);

  if (n < 16 || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_OURS,
                   _("“%s” is not a Regelruimte database."), path);
      return FALSE;
    }
  if (n < (ssize_t) sizeof header)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged. It was not changed; "
                     "restore the latest backup or ask your beheerder for help."),
                   path);
      return FALSE;
    }

  {
    guint32 app_id = read_be32 (header + 68);
    guint32 page_size = (header[16] << 8) | header[17];
    guint32 change = read_be32 (header + 24);
    guint32 n_pages = read_be32 (header + 28);
    guint32 valid_for = read_be32 (header + 92);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    if (page_size == 1)
      page_size = 65536;

    /* An application id of 0 is a database nobody claimed: acceptable only
     * when it turns out to be empty (checked once SQLite reads it). */
    if (app_id == 0)
      *empty = TRUE;
    else if (app_id != RR_STORE_APPLICATION_ID)
      {
        g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_OURS,
                     _("“%s” is a database of another program, not of Regelruimte. "
                       "It was left unchanged."), path);
        return FALSE;
      }

    /* A file that was closed cleanly (no write-ahead log beside it) is
     * exactly as long as its header says; a shorter one was cut off. */
    if (change == valid_for && n_pages > 0 && page_size >= 512
        && !g_file_test (wal, G_FILE_TEST_EXISTS)
        && (guint64) st.st_size != (guint64) n_pages * page_size)
      {
        g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT,
                     _("The database “%s” is damaged. It was not changed; "
                       "restore the latest backup or ask your beheerder for help."),
                     path);
        return FALSE;
      }
  }

  return TRUE;
}

static gboolean
file_is_writable (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  /* Root may write anything; a file whose write bits are all off was marked
   * read-only on purpose, and we respect that too. */
  if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
    return FALSE;
  return g_access (path, W_OK) == 0;
}

/* rr_bulk_loading (): TRUE while this connection loads in bulk and leaves
 * the report summary to one rebuild at the end (the triggers of schema
 * version 3 ask it). Innocuous, so that a trigger may call it with
 * trusted_schema off. */
static void
sql_bulk_loading (sqlite3_context  *context,
                  int               argc G_GNUC_UNUSED,
                  sqlite3_value   **argv G_GNUC_UNUSED)
{
  RrStore *self = sqlite3_user_data (context);

  sqlite3_result_int (context, self->bulk_loading ? 1 : 0);
}

/* Checkpoints. SQLite's automatic checkpoint (PASSIVE, after every 1,000
 * pages) copies what it can into the database but cannot start the log
 * over while any reader is still reading from it; on a team database that
 * is never without a reader the log then grows without end (a soak of four
 * writers and two readers reached 69 GB in twenty minutes). So after a
 * commit that leaves the log long, the committing connection waits a
 * moment (at most a quarter of a second) for the readers of the old log to
 * finish and starts it over (RESTART); journal_size_limit then cuts the
 * file back. Readers that start meanwhile read the database file itself and
 * are not waited for. */
#define WAL_CHECKPOINT_PAGES 1000
#define WAL_RESTART_PAGES 8000
#define WAL_SIZE_LIMIT "67108864"
#define WAL_RESTART_WAIT_MS 250

static void
checkpoint_wal (RrStore *self,
                int      n_pages)
{
  sqlite3 *db = self->db;

  if (n_pages < WAL_CHECKPOINT_PAGES)
    return;
  /* Copy what can be copied and sync, without holding other writers up. */
  if (sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
    return;

  /* Then start the log over: that waits a moment for the readers of the
   * old log, and holds writers up only to copy the few pages those readers
   * kept from the passive copy. When they hold on, try again after another
   * thousand pages rather than keep every commit waiting. */
  if (n_pages < self->wal_restart_tried)
    self->wal_restart_tried = 0;
  if (n_pages >= WAL_RESTART_PAGES
      && n_pages >= self->wal_restart_tried + WAL_CHECKPOINT_PAGES)
    {
      self->wal_restart_tried = n_pages;
      sqlite3_busy_timeout (db, WAL_RESTART_WAIT_MS);
      if (sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_RESTART, NULL, NULL)
          == SQLITE_OK)
        self->wal_restart_tried = 0;
      sqlite3_busy_timeout (db, self->busy_timeout_ms);
    }
}

static int
on_wal_commit (void       *data,
               sqlite3    *db,
               const char *name,
               int         n_pages)
{
  RrStore *self = data;

  /* A command's commit: _rr_store_commit checkpoints after it has let the
   * next writer of this process through the gate, as copying and syncing
   * can take a while on a busy disk and a passive checkpoint need not hold
   * anyone up. Other commits (migrations, rebuilds) checkpoint here. */
  if (self->in_command)
    self->wal_pages = n_pages;
  else
    checkpoint_wal (self, n_pages);
  /* The commit has happened whatever the checkpoint did. */
  return SQLITE_OK;
}

static gboolean
configure_connection (RrStore           *self,
                      RrStoreOpenFlags   flags,
                      GError           **error)
{
  int enabled = 0;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, self->busy_timeout_ms);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &enabled);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &enabled);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &enabled);

  rc = sqlite3_create_function (self->db, "rr_bulk_loading", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                self, sql_bulk_loading, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return FALSE;
    }

  sqlite3_wal_hook (self->db, on_wal_commit, self);

  if (!_rr_store_exec (self,
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA trusted_schema = OFF;"
                       "PRAGMA recursive_triggers = ON;"
                       "PRAGMA secure_delete = ON;"
                       "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT ";",
                       error))
    return FALSE;

  /* A bulk connection only ever writes a new file (the demo generator),
   * which holds nothing but what it writes itself. Secure delete then
   * still clears what is deleted inside every page it writes ("fast"), but
   * no longer rewrites each freed page with zeros: freed pages can only
   * hold generated data, and the full-text index frees many as it merges
   * its segments (a fifth of the CPU time of a million-decision load). */
  if (flags & RR_STORE_OPEN_BULK)
    return _rr_store_exec (self,
                           "PRAGMA cache_size = -262144;"
                           "PRAGMA synchronous = OFF;"
                           "PRAGMA secure_delete = FAST;"
                           "PRAGMA temp_store = MEMORY;",
                           error);

  return _rr_store_exec (self,
                         "PRAGMA cache_size = -32768;"
                         "PRAGMA synchronous = FULL;",
                         error);
}

static gboolean
set_journal_mode_wal (RrStore  *self,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _rr_store_set_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_migration (RrStore  *self,
                 guint     index,
                 GError  **error)
{
  g_autofree char *version_sql = NULL;

  if (!_rr_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* Someone else may have migrated while we waited for the lock. */
  if (rr_store_get_schema_version (self) != (int) index)
    return _rr_store_exec (self, "COMMIT", error);

  if (index == 0)
    {
      g_autofree char *app_sql = g_strdup_printf ("PRAGMA application_id = %d",
                                                  RR_STORE_APPLICATION_ID);
      if (!_rr_store_exec (self, app_sql, error))
        goto fail;
    }

  if (!_rr_store_exec (self, rr_schema_migrations[index], error))
    goto fail;

  version_sql = g_strdup_printf ("PRAGMA user_version = %u", index + 1);
  if (!_rr_store_exec (self, version_sql, error))
    goto fail;

  return _rr_store_exec (self, "COMMIT", error);

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
migrate_to (RrStore  *self,
            int       target,
            GError  **error)
{
  int version = rr_store_get_schema_version (self);

  while (version < target)
    {
      if (!apply_migration (self, (guint) version, error))
        return FALSE;
      version = rr_store_get_schema_version (self);
    }
  return TRUE;
}

gboolean
rr_store_migrate (RrStore  *self,
                  GError  **error)
{
  g_return_val_if_fail (RR_IS_STORE (self), FALSE);
  return migrate_to (self, rr_store_latest_schema_version (), error);
}

static RrStore *
open_internal (const char        *path,
               RrStoreOpenFlags   flags,
               int                target_version,
               GError           **error)
{
  g_autoptr(RrStore) self = NULL;
  gboolean exists;
  gboolean in_memory;
  gboolean empty = FALSE;
  int open_flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;
  int version;
  int n_objects;

  static gsize configured = 0;

  /* SQLite's memory statistics take a global mutex on every allocation;
   * nothing here reads them. Only possible before SQLite initialises. */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }

  in_memory = _rr_store_path_in_memory (path);
  exists = !in_memory && g_file_test (path, G_FILE_TEST_EXISTS);
  if (!exists && !(flags & RR_STORE_OPEN_CREATE))
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_FOUND,
                   _("There is no database at “%s”. Create one with “regelruimte-cli init” "
                     "or choose another file."), path);
      return NULL;
    }

  if (exists && !check_header (path, &empty, error))
    return NULL;

  if (flags & RR_STORE_OPEN_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else if (exists && !file_is_writable (path))
    {
      set_error_for_rc (SQLITE_READONLY, path, NULL, error);
      return NULL;
    }
  else
    open_flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  if (in_memory)
    empty = TRUE;
  else if (!exists)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      int fd;

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                       _("The folder “%s” could not be created: %s."), dir, g_strerror (saved));
          return NULL;
        }
      /* Create the file ourselves so that it is private from the start. */
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;
          g_set_error (error, RR_STORE_ERROR,
                       saved == EACCES || saved == EROFS ? RR_STORE_ERROR_READ_ONLY
                                                         : RR_STORE_ERROR_FAILED,
                       _("The database “%s” could not be created: %s."),
                       path, g_strerror (saved));
          return NULL;
        }
      close (fd);
      empty = TRUE;
    }

  self = g_object_new (RR_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->gate = write_gate_get (path);
  self->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
  self->read_only = (flags & RR_STORE_OPEN_READ_ONLY) != 0;

  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return NULL;
    }

  if (!configure_connection (self, flags, error))
    return NULL;
  rc = sqlite3_prepare_v3 (self->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT,
                           &self->rollback, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return NULL;
    }

  /* The header said the file is ours (or empty); now make sure SQLite can
   * read its schema before anything writes. */
  n_objects = query_int (self, "SELECT count(*) FROM sqlite_schema", &rc);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return NULL;
    }
  version = query_int (self, "PRAGMA user_version", &rc);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (self, rc, error);
      return NULL;
    }

  /* A header without our id is fine for an empty file, and for a new one
   * whose first transactions still sit in the write-ahead log: SQLite reads
   * the id through the log. */
  if (empty && n_objects != 0
      && query_int (self, "PRAGMA application_id", NULL) != RR_STORE_APPLICATION_ID)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_OURS,
                   _("“%s” is not a Regelruimte database."), path);
      return NULL;
    }
  if (version < 0)
    {
      /* We never write a negative version: the header was damaged. */
      set_error_for_rc (SQLITE_CORRUPT, path, NULL, error);
      return NULL;
    }
  if (version > rr_store_latest_schema_version ())
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Regelruimte. "
                     "It was left unchanged; update Regelruimte to open it."), path);
      return NULL;
    }

  if (self->read_only)
    {
      if (version < rr_store_latest_schema_version ())
        {
          g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_READ_ONLY,
                       _("The database “%s” needs an update that cannot be made while "
                         "it is opened read-only."), path);
          return NULL;
        }
      if (!_rr_store_exec (self, "PRAGMA query_only = ON", error))
        return NULL;
    }
  else
    {
      if (!set_journal_mode_wal (self, error))
        return NULL;
      if (!migrate_to (self, target_version, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * rr_store_open:
 * @path: the database file
 * @flags: how to open it
 * @error: return location for a #GError
 *
 * Opens a Regelruimte database, creating it with mode 0600 when asked, and
 * brings its schema up to date. A file that is not ours, is newer, damaged,
 * read-only or locked is refused and left untouched.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
RrStore *
rr_store_open (const char        *path,
               RrStoreOpenFlags   flags,
               GError           **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_internal (path, flags, rr_store_latest_schema_version (), error);
}

RrStore *
rr_store_open_at_version (const char  *path,
                          int          version,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return open_internal (path, RR_STORE_OPEN_CREATE, version, error);
}

gboolean
rr_store_is_initialised (RrStore *self)
{
  g_autofree char *organisation = NULL;

  g_return_val_if_fail (RR_IS_STORE (self), FALSE);

  organisation = rr_store_get_setting (self, "organisation");
  return organisation != NULL;
}

static gboolean
run_check (RrStore     *self,
           const char  *sql,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  const char *first = NULL;

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    first = (const char *) sqlite3_column_text (stmt, 0);

  if (rc != SQLITE_ROW || first == NULL || g_strcmp0 (first, "ok") != 0)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged. It was not changed; "
                     "restore the latest backup or ask your beheerder for help."),
                   self->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
rr_store_quick_check (RrStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (RR_IS_STORE (self), FALSE);
  return run_check (self, "PRAGMA quick_check", error);
}

gboolean
rr_store_integrity_check (RrStore  *self,
                          GError  **error)
{
  g_return_val_if_fail (RR_IS_STORE (self), FALSE);
  return run_check (self, "PRAGMA integrity_check", error);
}

gboolean
_rr_store_lookup_setting (RrStore     *self,
                          const char  *key,
                          char       **value,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *value = NULL;
  stmt = _rr_store_prepare (self, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, key);
  rc = _rr_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *value = _rr_column_dup (stmt, 0);
      if (!_rr_row_check (self, error))
        g_clear_pointer (value, g_free);
      else
        rc = SQLITE_DONE;
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gboolean
_rr_store_lookup_setting_int (RrStore     *self,
                              const char  *key,
                              int          fallback,
                              int         *value,
                              GError     **error)
{
  g_autofree char *text = NULL;
  gint64 parsed;

  *value = fallback;
  if (!_rr_store_lookup_setting (self, key, &text, error))
    return FALSE;
  if (text != NULL && g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, &parsed, NULL))
    *value = (int) parsed;
  return TRUE;
}

/* NULL both when @key is not set and when it could not be read; commands
 * use _rr_store_lookup_setting, which tells the two apart. */
char *
rr_store_get_setting (RrStore    *self,
                      const char *key)
{
  char *value = NULL;

  g_return_val_if_fail (RR_IS_STORE (self), NULL);

  _rr_store_lookup_setting (self, key, &value, NULL);
  return value;
}

int
rr_store_get_setting_int (RrStore    *self,
                          const char *key,
                          int         fallback)
{
  int value;

  g_return_val_if_fail (RR_IS_STORE (self), fallback);

  _rr_store_lookup_setting_int (self, key, fallback, &value, NULL);
  return value;
}
