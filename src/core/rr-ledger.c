/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-ledger"
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "rr-ledger.h"
#include "rr-types.h"
#include "rr-store-private.h"
#include "rr-sha256-private.h"

#define CONTENT_TAG "regelruimte-content/1"
#define EVENT_TAG   "regelruimte-event/1"
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

struct _RrCanon
{
  GString *text;
};

static void
append_escaped (GString    *out,
                const char *value)
{
  const char *p = value;

  for (;;)
    {
      size_t plain = strcspn (p, "\\\n\r");

      g_string_append_len (out, p, (gssize) plain);
      p += plain;
      switch (*p)
        {
        case '\0':
          return;
        case '\\':
          g_string_append_len (out, "\\\\", 2);
          break;
        case '\n':
          g_string_append_len (out, "\\n", 2);
          break;
        default: /* '\r' */
          g_string_append_len (out, "\\r", 2);
          break;
        }
      p++;
    }
}

static void
append_field (GString    *out,
              const char *name,
              const char *value)
{
  g_string_append (out, name);
  g_string_append_c (out, '=');
  append_escaped (out, value);
  g_string_append_c (out, '\n');
}

void
_rr_canon_append_field (GString    *out,
                        const char *name,
                        const char *value)
{
  append_field (out, name, value);
}

void
_rr_canon_append_raw (gpointer    canon,
                      const char *lines)
{
  if (lines != NULL)
    g_string_append (((RrCanon *) canon)->text, lines);
}

char *
_rr_unescape (const char *value)
{
  GString *out;

  if (value == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

RrCanon *
rr_canon_new (const char *type)
{
  RrCanon *canon = g_new0 (RrCanon, 1);

  canon->text = g_string_sized_new (512);
  g_string_append (canon->text, CONTENT_TAG "\n");
  append_field (canon->text, "type", type);
  return canon;
}

/* Absent values are left out: NULL and "" are different facts. */
void
rr_canon_add (RrCanon    *canon,
              const char *name,
              const char *value)
{
  if (value != NULL)
    append_field (canon->text, name, value);
}

void
rr_canon_add_int (RrCanon    *canon,
                  const char *name,
                  gint64      value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  append_field (canon->text, name, buf);
}

void
rr_canon_add_bool (RrCanon    *canon,
                   const char *name,
                   gboolean    value)
{
  append_field (canon->text, name, value ? "true" : "false");
}

const char *
rr_canon_get_text (RrCanon *canon)
{
  return canon->text->str;
}

char *
rr_canon_hash (RrCanon *canon)
{
  return rr_sha256_hex (canon->text->str, canon->text->len);
}

void
rr_canon_free (RrCanon *canon)
{
  if (canon == NULL)
    return;
  g_string_free (canon->text, TRUE);
  g_free (canon);
}

/* 8-4-4-4-12 lower-case hex digits. */
static char *
format_uuid (const guint8 b[16])
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (37);
  char *p = out;

  for (int i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = digits[b[i] >> 4];
      *p++ = digits[b[i] & 0x0f];
    }
  *p = '\0';
  return out;
}

/* A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix time in
 * milliseconds, 12 bits of the sub-millisecond fraction, then 62 random bits
 * from the kernel's generator. Ordered by time, new UUIDs land at the end of
 * the indexes on them, which keeps inserts cheap in a large ledger; the random
 * tail keeps them unique. GLib's g_uuid_string_random () is not used: it draws
 * from a per-process generator that a forked child inherits, so two children
 * would make the same UUIDs. */
char *
rr_uuid_new (void)
{
  /* The random tails come from the kernel a few hundred bytes at a time;
   * a forked child throws away what its parent drew and draws its own. */
  static __thread guint8 pool[512];
  static __thread gsize pool_left;
  static __thread pid_t pool_pid;
  guint8 b[16];
  struct timespec ts;
  guint64 ms;
  guint sub;
  pid_t pid = getpid ();

  if (pool_left < 8 || pool_pid != pid)
    {
      gsize got = 0;

      while (got < sizeof pool)
        {
          ssize_t n = getrandom (pool + got, sizeof pool - got, 0);
          if (n < 0)
            {
              if (errno == EINTR)
                continue;
              g_error ("The system's random number generator failed: %s", g_strerror (errno));
            }
          got += (gsize) n;
        }
      pool_left = sizeof pool;
      pool_pid = pid;
    }
  pool_left -= 8;
  memcpy (b + 8, pool + pool_left, 8);
  explicit_bzero (pool + pool_left, 8);

  clock_gettime (CLOCK_REALTIME, &ts);
  ms = (guint64) ts.tv_sec * 1000 + (guint64) ts.tv_nsec / 1000000;
  sub = (guint) (((guint64) (ts.tv_nsec % 1000000) * 4096) / 1000000);
  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (40 - 8 * i));
  b[6] = 0x70 | ((sub >> 8) & 0x0f);
  b[7] = sub & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  return format_uuid (b);
}

char *
rr_sha256_hex (const char *data,
               gssize      length)
{
  char *hex = g_malloc (RR_SHA256_LEN * 2 + 1);

  if (length < 0)
    length = strlen (data);
  _rr_sha256_hex_into (data, (gsize) length, hex);
  return hex;
}

void
rr_event_free (RrEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->uuid);
  g_free (event->at);
  g_free (event->actor);
  g_free (event->action);
  g_free (event->entity_type);
  g_free (event->entity_uuid);
  g_free (event->content_hash);
  g_free (event->prev_hash);
  g_free (event->hash);
  g_free (event);
}

static char *
compute_event_hash (gint64      seq,
                    const char *prev_hash,
                    const char *uuid,
                    const char *at,
                    const char *actor,
                    const char *action,
                    const char *entity_type,
                    const char *entity_uuid,
                    const char *content_hash)
{
  g_autoptr(GString) text = g_string_sized_new (512);
  char buf[32];

  g_string_append (text, EVENT_TAG "\n");
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, seq);
  append_field (text, "seq", buf);
  append_field (text, "prev", prev_hash);
  append_field (text, "uuid", uuid);
  append_field (text, "at", at);
  append_field (text, "actor", actor);
  append_field (text, "action", action);
  append_field (text, "entity_type", entity_type);
  append_field (text, "entity_uuid", entity_uuid);
  append_field (text, "content_hash", content_hash);

  return rr_sha256_hex (text->str, text->len);
}

char *
rr_event_compute_hash (const RrEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return compute_event_hash (event->seq, event->prev_hash, event->uuid, event->at,
                             event->actor, event->action, event->entity_type,
                             event->entity_uuid, event->content_hash);
}

void
rr_checkpoint_free (RrCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return;
  g_free (checkpoint->hash);
  g_free (checkpoint);
}

static gboolean
is_hex_hash (const char *text)
{
  if (text == NULL || strlen (text) != RR_HASH_HEX_LEN)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

RrCheckpoint *
rr_checkpoint_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(RrCheckpoint) checkpoint = g_new0 (RrCheckpoint, 1);
  const char *colon;
  g_autofree char *seq_text = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  colon = strchr (text, ':');
  if (colon != NULL)
    seq_text = g_strndup (text, colon - text);

  if (colon == NULL
      || !g_ascii_string_to_signed (seq_text, 10, 0, G_MAXINT64, &checkpoint->seq, NULL)
      || !is_hex_hash (colon + 1))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a checkpoint. A checkpoint is written as SEQ:HASH, "
                     "for example 42:%s."), text, GENESIS_HASH);
      return NULL;
    }
  checkpoint->hash = g_strdup (colon + 1);
  return g_steal_pointer (&checkpoint);
}

char *
rr_checkpoint_format (const RrCheckpoint *checkpoint)
{
  return g_strdup_printf ("%" PRId64 ":%s", checkpoint->seq, checkpoint->hash);
}

static gboolean
read_head (RrStore  *store,
           gint64   *seq,
           char     *hash,
           GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rr_store_prepare (store, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    {
      const char *head = (const char *) sqlite3_column_text (stmt, 1);

      /* The column is NOT NULL: only reading it can have failed, for want
       * of memory. */
      if (head == NULL)
        {
          _rr_store_set_error (store, SQLITE_NOMEM, error);
          sqlite3_reset (stmt);
          return FALSE;
        }
      *seq = sqlite3_column_int64 (stmt, 0);
      g_strlcpy (hash, head, RR_HASH_HEX_LEN + 1);
    }
  else if (rc == SQLITE_DONE)
    {
      *seq = 0;
      g_strlcpy (hash, GENESIS_HASH, RR_HASH_HEX_LEN + 1);
    }
  else
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

RrCheckpoint *
rr_ledger_checkpoint (RrStore  *store,
                      GError  **error)
{
  g_autoptr(RrCheckpoint) checkpoint = g_new0 (RrCheckpoint, 1);
  char hash[RR_HASH_HEX_LEN + 1];

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (!read_head (store, &checkpoint->seq, hash, error))
    return NULL;
  checkpoint->hash = g_strdup (hash);
  return g_steal_pointer (&checkpoint);
}

gint64
_rr_ledger_append (RrStore     *store,
                   const char  *actor,
                   const char  *action,
                   const char  *entity_type,
                   const char  *entity_uuid,
                   const char  *canonical,
                   gboolean     keep_content,
                   GError     **error)
{
  g_autofree char *content_hash = rr_sha256_hex (canonical, -1);

  return _rr_ledger_append_hashed (store, actor, action, entity_type, entity_uuid, canonical,
                                   content_hash, keep_content, error);
}

void
_rr_ledger_chain (RrEventRow *row,
                  const char *prev_hash,
                  char       *hash_out)
{
  g_autofree char *hash = compute_event_hash (row->seq, prev_hash, row->uuid, row->at,
                                              row->actor, row->action, row->entity_type,
                                              row->entity_uuid, row->content_hash);

  memcpy (hash_out, hash, RR_HASH_HEX_LEN + 1);
  row->prev_hash = prev_hash;
  row->hash = hash_out;
}

/* The statement for 2^@log2 events at once, made once (the statement
 * cache keys on the text's address); other counts are sums of these, so
 * that a connection prepares a few statements, not one per count. */
#define EVENTS_LOG2_MAX 8
G_STATIC_ASSERT (1 << EVENTS_LOG2_MAX == RR_LEDGER_INSERT_MAX);

static const char *
events_insert_sql (guint log2)
{
  static char *sql[EVENTS_LOG2_MAX + 1];
  static gsize made = 0;

  g_assert (log2 <= EVENTS_LOG2_MAX);
  if (g_once_init_enter (&made))
    {
      for (guint l = 0; l <= EVENTS_LOG2_MAX; l++)
        {
          guint k = 1u << l;
          GString *text = g_string_new ("INSERT INTO events (seq, uuid, at, actor, action,"
                                        " entity_type, entity_uuid, content_hash, prev_hash,"
                                        " hash) VALUES ");

          for (guint i = 0; i < k; i++)
            g_string_append (text, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                          : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          sql[l] = g_string_free (text, FALSE);
        }
      g_once_init_leave (&made, 1);
    }
  return sql[log2];
}

gboolean
_rr_ledger_insert_many (RrStore           *store,
                        const RrEventRow **rows,
                        guint              n_rows,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  g_assert (n_rows <= RR_LEDGER_INSERT_MAX);
  for (guint done = 0, log2 = EVENTS_LOG2_MAX; done < n_rows; )
    {
      guint k;

      while ((1u << log2) > n_rows - done)
        log2--;
      k = 1u << log2;
      stmt = _rr_store_prepare (store, events_insert_sql (log2), error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < k; i++)
        {
          const RrEventRow *row = rows[done + i];
          int p = (int) i * 10;

          sqlite3_bind_int64 (stmt, p + 1, row->seq);
          _rr_bind_text (stmt, p + 2, row->uuid);
          _rr_bind_text (stmt, p + 3, row->at);
          _rr_bind_text (stmt, p + 4, row->actor);
          _rr_bind_text (stmt, p + 5, row->action);
          _rr_bind_text (stmt, p + 6, row->entity_type);
          _rr_bind_text (stmt, p + 7, row->entity_uuid);
          _rr_bind_text (stmt, p + 8, row->content_hash);
          _rr_bind_text (stmt, p + 9, row->prev_hash);
          _rr_bind_text (stmt, p + 10, row->hash);
        }
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
      done += k;
    }

  for (guint i = 0; i < n_rows; i++)
    {
      if (rows[i]->canonical == NULL)
        continue;
      stmt = _rr_store_prepare (store, "INSERT INTO event_content (seq, canonical) VALUES (?, ?)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rows[i]->seq);
      _rr_bind_text (stmt, 2, rows[i]->canonical);
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_rr_ledger_insert (RrStore          *store,
                   const RrEventRow *row,
                   GError          **error)
{
  return _rr_ledger_insert_many (store, &row, 1, error);
}

gint64
_rr_ledger_append_hashed (RrStore     *store,
                          const char  *actor,
                          const char  *action,
                          const char  *entity_type,
                          const char  *entity_uuid,
                          const char  *canonical,
                          const char  *content_hash,
                          gboolean     keep_content,
                          GError     **error)
{
  RrLedgerSink *sink = _rr_store_get_ledger_sink (store);
  char prev[RR_HASH_HEX_LEN + 1];
  gint64 seq;
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *at = rr_timestamp_now ();
  g_autofree char *hash = NULL;
  RrEventRow row;

  /* Out of memory, SQLite may have rolled the transaction back under us;
   * then the event must not be written on its own. */
  if (!_rr_store_in_transaction (store))
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The database ended the change before it was complete. Nothing was "
                     "changed; try again."));
      return 0;
    }

  row = (RrEventRow) {
    .uuid = uuid, .at = at, .actor = actor, .action = action,
    .entity_type = entity_type, .entity_uuid = entity_uuid, .content_hash = content_hash,
    .canonical = keep_content ? canonical : NULL,
  };

  /* The sink chains the event itself, on its own thread. */
  if (sink != NULL)
    {
      row.seq = sink->head_seq + 1;
      if (!sink->append (sink, &row, error))
        return 0;
      sink->head_seq = row.seq;
      return row.seq;
    }

  if (!_rr_ledger_get_head (store, &seq, prev)
      && !read_head (store, &seq, prev, error))
    return 0;
  row.seq = ++seq;
  row.prev_hash = prev;
  row.hash = hash = compute_event_hash (seq, prev, uuid, at, actor, action, entity_type,
                                        entity_uuid, content_hash);
  if (!_rr_ledger_insert (store, &row, error))
    return 0;
  _rr_ledger_set_head (store, seq, hash);
  return seq;
}

static RrEvent *
event_from_row (sqlite3_stmt *stmt)
{
  RrEvent *event = g_new0 (RrEvent, 1);

  event->seq = sqlite3_column_int64 (stmt, 0);
  event->uuid = _rr_column_dup (stmt, 1);
  event->at = _rr_column_dup (stmt, 2);
  event->actor = _rr_column_dup (stmt, 3);
  event->action = _rr_column_dup (stmt, 4);
  event->entity_type = _rr_column_dup (stmt, 5);
  event->entity_uuid = _rr_column_dup (stmt, 6);
  event->content_hash = _rr_column_dup (stmt, 7);
  event->prev_hash = _rr_column_dup (stmt, 8);
  event->hash = _rr_column_dup (stmt, 9);
  return event;
}

GPtrArray *
rr_ledger_events_for (RrStore     *store,
                      const char  *entity_uuid,
                      GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  stmt = _rr_store_prepare (store,
                            "SELECT seq, uuid, at, actor, action, entity_type, entity_uuid,"
                            " content_hash, prev_hash, hash FROM events"
                            " WHERE entity_uuid = ? ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, entity_uuid);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&events);
}

void
rr_verify_result_clear (RrVerifyResult *result)
{
  g_clear_pointer (&result->problem, g_free);
  g_clear_pointer (&result->head, rr_checkpoint_free);
  memset (result, 0, sizeof *result);
}

static void
fail_at (RrVerifyResult *result,
         gint64          seq,
         char           *problem)
{
  if (!result->ok)
    {
      g_free (problem);
      return;
    }
  result->ok = FALSE;
  result->first_bad_seq = seq;
  result->problem = problem;
}

static gboolean
was_destroyed (RrStore    *store,
               const char *entity_uuid)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT 1 FROM events WHERE entity_uuid = ?"
                                          " AND action LIKE '%.destroyed' LIMIT 1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, entity_uuid);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* Content of decisions, reviews and outcomes is recomputed from their rows;
 * everything else was kept as canonical text beside the event. */
static char *
recompute_content (RrStore    *store,
                   const char *entity_type,
                   const char *entity_uuid,
                   const char *action,
                   gboolean   *destroyed,
                   GError    **error)
{
  *destroyed = FALSE;

  if (g_str_equal (entity_type, "decision")
      && (g_str_equal (action, "decision.recorded") || g_str_equal (action, "decision.superseded")))
    {
      sqlite3_stmt *stmt = _rr_store_prepare (store,
                                              "SELECT id, destroyed_at IS NOT NULL FROM decisions"
                                              " WHERE uuid = ?", error);
      gint64 id;

      if (stmt == NULL)
        return NULL;
      _rr_bind_text (stmt, 1, entity_uuid);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      id = sqlite3_column_int64 (stmt, 0);
      *destroyed = sqlite3_column_int (stmt, 1) != 0;
      sqlite3_reset (stmt);
      if (*destroyed)
        return NULL;
      return _rr_decision_canonical (store, id, error);
    }
  if (g_str_equal (entity_type, "review"))
    return _rr_review_canonical (store, entity_uuid, error);
  if (g_str_equal (entity_type, "outcome") && g_str_equal (action, "outcome.recorded"))
    return _rr_outcome_canonical (store, entity_uuid, error);

  return NULL;
}

static gboolean
has_own_row (const char *entity_type,
             const char *action)
{
  return (g_str_equal (entity_type, "decision")
          && (g_str_equal (action, "decision.recorded")
              || g_str_equal (action, "decision.superseded")))
         || g_str_equal (entity_type, "review")
         || (g_str_equal (entity_type, "outcome") && g_str_equal (action, "outcome.recorded"));
}

/* One full sentence per kind, so that each translates whole. */
static char *
orphan_message (guint       kind,
                const char *what)
{
  switch (kind)
    {
    case 0:
      return g_strdup_printf (_("The decision “%s” has no event in the ledger: it was added "
                                "outside Regelruimte."), what);
    case 1:
      return g_strdup_printf (_("The review “%s” has no event in the ledger: it was added "
                                "outside Regelruimte."), what);
    default:
      return g_strdup_printf (_("The outcome “%s” has no event in the ledger: it was added "
                                "outside Regelruimte."), what);
    }
}

static void
check_rows_have_events (RrStore        *store,
                        RrVerifyResult *result)
{
  static const struct {
    const char *sql;
    const char *message;
  } checks[] = {
    { "SELECT number || ' v' || version FROM decisions d WHERE NOT EXISTS"
      " (SELECT 1 FROM events e WHERE e.entity_uuid = d.uuid"
      "  AND e.action IN ('decision.recorded', 'decision.superseded')) LIMIT 1",
      NULL },
    { "SELECT uuid FROM reviews r WHERE NOT EXISTS"
      " (SELECT 1 FROM events e WHERE e.entity_uuid = r.uuid) LIMIT 1",
      NULL },
    { "SELECT uuid FROM outcomes o WHERE NOT EXISTS"
      " (SELECT 1 FROM events e WHERE e.entity_uuid = o.uuid) LIMIT 1",
      NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks) && result->ok; i++)
    {
      sqlite3_stmt *stmt = _rr_store_prepare (store, checks[i].sql, NULL);

      if (stmt == NULL)
        continue;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        fail_at (result, 0,
                 orphan_message (i, (const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
}

gboolean
rr_ledger_verify (RrStore             *store,
                  const RrCheckpoint  *kept,
                  RrVerifyResult      *result,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  char prev[RR_HASH_HEX_LEN + 1];
  gint64 expected = 1;
  gboolean kept_seen = FALSE;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  result->ok = TRUE;
  g_strlcpy (prev, GENESIS_HASH, sizeof prev);

  db = _rr_store_get_db (store);
  /* One read transaction, so that the walk sees a single snapshot. */
  if (!_rr_store_exec (store, "BEGIN", error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT e.seq, e.uuid, e.at, e.actor, e.action, e.entity_type,"
                           " e.entity_uuid, e.content_hash, e.prev_hash, e.hash, c.canonical"
                           " FROM events e LEFT JOIN event_content c ON c.seq = e.seq"
                           " ORDER BY e.seq", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      _rr_store_rollback (store);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RrEvent) event = event_from_row (stmt);
      const char *canonical = (const char *) sqlite3_column_text (stmt, 10);
      g_autofree char *hash = NULL;

      if ((result->n_events & 0x3ff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          _rr_store_rollback (store);
          return FALSE;
        }
      result->n_events++;

      if (event->seq != expected)
        {
          fail_at (result, expected,
                   g_strdup_printf (_("Event %" PRId64 " is missing: the chain jumps "
                                      "from %" PRId64 " to %" PRId64 "."),
                                    expected, expected - 1, event->seq));
          break;
        }
      expected++;

      if (g_strcmp0 (event->prev_hash, prev) != 0)
        {
          fail_at (result, event->seq,
                   g_strdup_printf (_("Event %" PRId64 " does not link to the event "
                                      "before it."), event->seq));
          break;
        }

      hash = rr_event_compute_hash (event);
      if (g_strcmp0 (hash, event->hash) != 0)
        {
          fail_at (result, event->seq,
                   g_strdup_printf (_("Event %" PRId64 " was changed: its hash does "
                                      "not match its fields."), event->seq));
          break;
        }

      if (kept != NULL && event->seq == kept->seq)
        {
          kept_seen = TRUE;
          if (g_strcmp0 (event->hash, kept->hash) != 0)
            {
              fail_at (result, event->seq,
                       g_strdup_printf (_("Event %" PRId64 " differs from the kept "
                                          "checkpoint: the history up to it was rewritten."),
                                        event->seq));
              break;
            }
        }

      /* The content the event commits to. */
      {
        g_autofree char *content_hash = NULL;
        g_autoptr(GError) local_error = NULL;
        gboolean destroyed = FALSE;

        if (has_own_row (event->entity_type, event->action))
          {
            g_autofree char *recomputed = recompute_content (store, event->entity_type,
                                                             event->entity_uuid, event->action,
                                                             &destroyed, &local_error);
            if (recomputed != NULL)
              content_hash = rr_sha256_hex (recomputed, -1);
            else if (!destroyed && !was_destroyed (store, event->entity_uuid))
              {
                fail_at (result, event->seq,
                         g_strdup_printf (_("Event %" PRId64 ": what it records is missing."),
                                          event->seq));
                break;
              }
          }
        else if (canonical != NULL)
          content_hash = rr_sha256_hex (canonical, -1);
        else if (!was_destroyed (store, event->entity_uuid))
          {
            fail_at (result, event->seq,
                     g_strdup_printf (_("Event %" PRId64 ": the content it records was "
                                        "removed without a destruction."), event->seq));
            break;
          }

        if (content_hash != NULL && g_strcmp0 (content_hash, event->content_hash) != 0)
          {
            fail_at (result, event->seq,
                     g_strdup_printf (_("Event %" PRId64 ": what it records was changed after "
                                        "it was recorded."), event->seq));
            break;
          }
      }

      g_strlcpy (prev, event->hash, sizeof prev);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rr_store_set_error (store, rc, error);
      _rr_store_rollback (store);
      return FALSE;
    }

  if (result->ok && kept != NULL && !kept_seen && kept->seq > 0)
    fail_at (result, expected,
             g_strdup_printf (_("The chain ends at event %" PRId64 ", before the kept "
                                "checkpoint %" PRId64 ": events were removed from "
                                "the end."), expected - 1, kept->seq));

  if (result->ok)
    check_rows_have_events (store, result);

  result->head = g_new0 (RrCheckpoint, 1);
  result->head->seq = expected - 1;
  result->head->hash = g_strdup (prev);
  if (!result->ok)
    {
      /* Report the real head even when the walk stopped early. */
      g_autoptr(RrCheckpoint) head = rr_ledger_checkpoint (store, NULL);
      if (head != NULL)
        {
          g_clear_pointer (&result->head, rr_checkpoint_free);
          result->head = g_steal_pointer (&head);
        }
    }

  _rr_store_rollback (store);
  return TRUE;
}
