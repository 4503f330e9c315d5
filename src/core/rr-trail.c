/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-trail"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rr-error.h"
#include "rr-trail.h"
#include "rr-users.h"
#include "rr-store-private.h"
#include "rr-decision-private.h"
#include "rr-sha256-private.h"
#include "rr-xml-private.h"

/* The auditor's trail (docs/trail-format.md §7): one XML document per
 * period, written and read streaming so that ten years of events cost no
 * more memory than one. Each event carries the canonical content it
 * commits to where that is still present, and the decision, review or
 * outcome it records, so that every check of the verifier is local to one
 * event and needs nothing remembered from earlier in the file. */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define PSEUDONYM_KEY_LEN 32
#define BATCH 1024

typedef struct
{
  RrStore       *store;
  RrXmlOutput   *output;
  xmlTextWriter *w;
  guint8         key[PSEUDONYM_KEY_LEN];
  guint8         ipad[64];       /* the key padded for HMAC's inner hash */
  guint8         opad[64];       /* and for its outer one */
  gboolean       personal;
  gboolean       failed;
  const char    *bad_element;    /* the first value not in its form */
  const char    *bad_attr;       /* (NULL: the text of <content>) */
  gboolean       bad_form;
} Exporter;

/* ---------------------------------------------------------------- helpers */

static gboolean
fill_random (guint8 *buf,
             gsize   len)
{
  gsize got = 0;

  while (got < len)
    {
      ssize_t n = getrandom (buf + got, len - got, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      got += (gsize) n;
    }
  return TRUE;
}

/* HMAC-SHA256 (RFC 2104) with the hardware hash where there is one: a
 * trail pseudonymises a client in every decision it records. */
static void
pseudonym_setup (Exporter *ex)
{
  G_STATIC_ASSERT (PSEUDONYM_KEY_LEN <= 64);

  memset (ex->ipad, 0x36, sizeof ex->ipad);
  memset (ex->opad, 0x5c, sizeof ex->opad);
  for (gsize i = 0; i < PSEUDONYM_KEY_LEN; i++)
    {
      ex->ipad[i] ^= ex->key[i];
      ex->opad[i] ^= ex->key[i];
    }
}

static char *
pseudonym (Exporter   *ex,
           const char *uuid)
{
  const char *text = uuid != NULL ? uuid : "";
  gsize len = strlen (text);
  guint8 stack[64 + 128];
  guint8 *inner = len <= 128 ? stack : g_malloc (64 + len);
  guint8 outer[64 + RR_SHA256_LEN];
  char *hex = g_malloc (RR_SHA256_LEN * 2 + 1);

  memcpy (inner, ex->ipad, 64);
  memcpy (inner + 64, text, len);
  memcpy (outer, ex->opad, 64);
  _rr_sha256 (inner, 64 + len, outer + 64);
  _rr_sha256_hex_into (outer, sizeof outer, hex);
  if (inner != stack)
    g_free (inner);
  return hex;
}

static void
w_start (Exporter   *ex,
         const char *name)
{
  if (xmlTextWriterStartElement (ex->w, BAD_CAST name) < 0)
    ex->failed = TRUE;
}

static void
w_end (Exporter *ex)
{
  if (xmlTextWriterEndElement (ex->w) < 0)
    ex->failed = TRUE;
}

/* Absent values are left out, as in canonical content. */
static void
w_attr (Exporter   *ex,
        const char *name,
        const char *value)
{
  if (value != NULL && xmlTextWriterWriteAttribute (ex->w, BAD_CAST name, BAD_CAST value) < 0)
    ex->failed = TRUE;
}

static void
w_attr_int (Exporter   *ex,
            const char *name,
            gint64      value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  w_attr (ex, name, buf);
}

static void
w_attr_bool (Exporter   *ex,
             const char *name,
             gboolean    value)
{
  w_attr (ex, name, value ? "true" : "false");
}

static void
w_text_element (Exporter   *ex,
                const char *name,
                const char *text)
{
  if (text != NULL
      && xmlTextWriterWriteElement (ex->w, BAD_CAST name, BAD_CAST text) < 0)
    ex->failed = TRUE;
}

static const char *
col (sqlite3_stmt *stmt,
     int           i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

static gboolean
step_rows (RrStore       *store,
           sqlite3_stmt  *stmt,
           int           *rc,
           GError       **error)
{
  *rc = sqlite3_step (stmt);
  if (*rc == SQLITE_ROW)
    return TRUE;
  if (*rc != SQLITE_DONE)
    _rr_store_set_error (store, *rc, error);
  return FALSE;
}

static sqlite3_stmt *
prepare (RrStore     *store,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  return stmt;
}

/* ---------------------------------------------------------- lexical rules */

/* Inside <event>, the schema leaves the form of hashes, UUIDs, dates,
 * tokens and canonical content to this code (docs/trail-format.md §7):
 * libxml2's xs:pattern costs more than the whole rest of validating a
 * trail. Export and verification both run these checks beside the
 * schema, so every trail still has exactly the form the patterns in the
 * schema's other types describe. */

#define CANON_HEAD "regelruimte-content/1\n"
#define CANON_HEAD_LEN (sizeof CANON_HEAD - 1)

typedef enum {
  LEX_HASH,
  LEX_UUID,
  LEX_DATE,
  LEX_TOKEN,
} LexKind;

typedef struct
{
  const char *name;
  LexKind     kind;
} LexRule;

static const LexRule event_rules[] = {
  { "uuid", LEX_UUID }, { "at", LEX_TOKEN }, { "actor", LEX_TOKEN }, { "action", LEX_TOKEN },
  { "entity-type", LEX_TOKEN }, { "entity-uuid", LEX_TOKEN }, { "content-hash", LEX_HASH },
  { "prev-hash", LEX_HASH }, { "hash", LEX_HASH }, { NULL, 0 }
};
static const LexRule decision_rules[] = {
  { "uuid", LEX_UUID }, { "supersedes", LEX_UUID }, { "client", LEX_HASH },
  { "author", LEX_TOKEN }, { "decision-date", LEX_DATE }, { "rule", LEX_UUID },
  { "retention-until", LEX_DATE }, { "content-hash", LEX_HASH }, { NULL, 0 }
};
static const LexRule review_rules[] = {
  { "uuid", LEX_UUID }, { "decision", LEX_UUID }, { "reviewer", LEX_TOKEN },
  { "content-hash", LEX_HASH }, { NULL, 0 }
};
static const LexRule outcome_rules[] = {
  { "uuid", LEX_UUID }, { "decision", LEX_UUID }, { "author", LEX_TOKEN },
  { "content-hash", LEX_HASH }, { NULL, 0 }
};

/* An element and the forms of its attributes. */
typedef struct
{
  const char    *element;
  const LexRule *rules;
} LexForm;

static const LexForm event_form = { "event", event_rules };
static const LexForm decision_form = { "decision", decision_rules };
static const LexForm review_form = { "review", review_rules };
static const LexForm outcome_form = { "outcome", outcome_rules };

typedef struct
{
  RrXmlPush *push;
  int        depth;         /* of the next element to start; the root's is 0 */
  gboolean   in_event;
  gboolean   in_content;
  gsize      content_len;
  gboolean   content_bad;
  char       content_last;
} Lexer;

/* Character classes for the checks below, looked up rather than
 * branched on: a trail holds hundreds of millions of these characters. */
enum {
  LC_HEX = 1 << 0,        /* [0-9a-f] */
  LC_DIGIT = 1 << 1,      /* [0-9] */
};

static guint8 lex_class[256];

static gpointer
init_lex_class (gpointer data)
{
  for (int c = 0; c < 256; c++)
    {
      guint8 k = 0;

      if (c >= '0' && c <= '9')
        k |= LC_HEX | LC_DIGIT;
      else if (c >= 'a' && c <= 'f')
        k |= LC_HEX;
      lex_class[c] = k;
    }
  return NULL;
}

static void
lex_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_lex_class, NULL);
}

/* The rule for the attribute @name among @rules, if any. The export
 * passes the same string constants the rules hold, which the compiler
 * keeps once: those are found without comparing a byte. */
static const LexRule *
lex_rule (const LexRule *rules,
          const char    *name)
{
  for (const LexRule *r = rules; r->name != NULL; r++)
    if (r->name == name)
      return r;
  for (const LexRule *r = rules; r->name != NULL; r++)
    if (r->name[0] == name[0] && strcmp (r->name, name) == 0)
      return r;
  return NULL;
}

/* Whether every byte of @value is in @cls. */
static gboolean
all_in (const char *value,
        gsize       len,
        guint8      cls)
{
  guint8 acc = cls;

  for (gsize i = 0; i < len; i++)
    acc &= lex_class[(guchar) value[i]];
  return acc == cls;
}

static gboolean
lex_value_ok (LexKind     kind,
              const char *value,
              gsize       len)
{
  switch (kind)
    {
    case LEX_HASH:         /* [0-9a-f]{64} */
      /* strspn and strcspn compare 16 bytes at a time; a value never
       * holds a NUL, which they stop at and which is in no class. */
      return len == RR_HASH_HEX_LEN && strspn (value, "0123456789abcdef") == len;
    case LEX_UUID:         /* [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} */
      return len == 36 && value[8] == '-' && value[13] == '-' && value[18] == '-'
             && value[23] == '-' && all_in (value, 8, LC_HEX) && all_in (value + 9, 4, LC_HEX)
             && all_in (value + 14, 4, LC_HEX) && all_in (value + 19, 4, LC_HEX)
             && all_in (value + 24, 12, LC_HEX);
    case LEX_DATE:         /* [0-9]{4}-[0-9]{2}-[0-9]{2} */
      return len == 10 && value[4] == '-' && value[7] == '-' && all_in (value, 4, LC_DIGIT)
             && all_in (value + 5, 2, LC_DIGIT) && all_in (value + 8, 2, LC_DIGIT);
    case LEX_TOKEN:        /* [^\s"<>&\\]{1,200}, in characters */
    default:
      return len > 0 && (len <= 200 || g_utf8_strlen (value, len) <= 200)
             && strcspn (value, " \t\n\r\"<>&\\") == len;
    }
}

static void
lex_refuse_attr (Lexer      *lex,
                 const char *element,
                 const char *attr)
{
  g_autofree char *message =
    g_strdup_printf (_("the value of “%s” in <%s> is not written as the trail format "
                       "requires"), attr, element);

  _rr_xml_push_refuse (lex->push, message);
}

/* Returns FALSE when it refused the document: the parser has then stopped
 * and freed its input, and @attrs must not be read again. */
static gboolean
lex_start (Lexer          *lex,
           const char     *name,
           int             n_attrs,
           const xmlChar **attrs)
{
  const LexRule *rules = NULL;
  int depth = lex->depth++;

  lex_init ();

  if (depth == 2 && strcmp (name, "event") == 0)
    {
      lex->in_event = TRUE;
      rules = event_rules;
    }
  else if (lex->in_event && depth == 3)
    {
      if (strcmp (name, "content") == 0)
        {
          lex->in_content = TRUE;
          lex->content_len = 0;
          lex->content_bad = FALSE;
          lex->content_last = '\0';
        }
      else if (strcmp (name, "decision") == 0)
        rules = decision_rules;
      else if (strcmp (name, "review") == 0)
        rules = review_rules;
      else if (strcmp (name, "outcome") == 0)
        rules = outcome_rules;
    }
  if (rules == NULL)
    return TRUE;

  for (int i = 0; i < n_attrs; i++)
    {
      const char *attr = (const char *) attrs[i * 5];
      const LexRule *r = lex_rule (rules, attr);
      const char *value = (const char *) attrs[i * 5 + 3];

      if (r != NULL && !lex_value_ok (r->kind, value, (const char *) attrs[i * 5 + 4] - value))
        {
          lex_refuse_attr (lex, name, attr);
          return FALSE;
        }
    }
  return TRUE;
}

/* Canonical content: its first line, then lines that each end with a
 * line feed and hold no carriage return ("regelruimte-content/1\n(.*\n)*"). */
static void
lex_text (Lexer         *lex,
          const xmlChar *text,
          int            len)
{
  const char *p = (const char *) text;

  if (!lex->in_content || len <= 0 || lex->content_bad)
    return;
  if (lex->content_len < CANON_HEAD_LEN)
    {
      gsize n = MIN ((gsize) len, CANON_HEAD_LEN - lex->content_len);

      if (memcmp (p, &CANON_HEAD[lex->content_len], n) != 0)
        lex->content_bad = TRUE;
    }
  if (memchr (p, '\r', len) != NULL)
    lex->content_bad = TRUE;
  lex->content_len += len;
  lex->content_last = p[len - 1];
}

/* Returns FALSE when it refused the document (see lex_start). */
static gboolean
lex_end (Lexer      *lex,
         const char *name)
{
  int depth = --lex->depth;

  if (lex->in_content && depth == 3)
    {
      lex->in_content = FALSE;
      if (lex->content_bad || lex->content_len < CANON_HEAD_LEN || lex->content_last != '\n')
        {
          _rr_xml_push_refuse (lex->push, _("the text of <content> is not canonical content"));
          return FALSE;
        }
    }
  else if (lex->in_event && depth == 2)
    lex->in_event = FALSE;
  return TRUE;
}

/* The same forms, checked by the export on each value as it writes it
 * rather than on the file: a value in one of these forms holds nothing
 * that escaping or attribute normalisation changes, so the file holds
 * exactly the value checked, and the checking thread is left the schema
 * (it has the heavier load of the two). */
static gboolean
canonical_ok (const char *text)
{
  gsize len = strlen (text);

  return len >= CANON_HEAD_LEN && memcmp (text, CANON_HEAD, CANON_HEAD_LEN) == 0
         && text[len - 1] == '\n' && memchr (text, '\r', len) == NULL;
}

/* ----------------------------------------------------------------- export */

static gboolean
write_actors (Exporter  *ex,
              GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (ex->store,
             "SELECT u.login, u.display_name, u.team, u.active,"
             " (SELECT group_concat (role, ',') FROM (SELECT role FROM user_roles r"
             "   WHERE r.user_id = u.id ORDER BY CASE role WHEN 'klantmanager' THEN 0"
             "   WHEN 'teamleider' THEN 1 WHEN 'auditor' THEN 2 ELSE 3 END))"
             " FROM users u ORDER BY u.login", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  w_start (ex, "actors");
  while (step_rows (ex->store, stmt, &rc, error))
    {
      w_start (ex, "actor");
      w_attr (ex, "login", col (stmt, 0));
      w_attr (ex, "team", col (stmt, 2));
      w_attr (ex, "roles", col (stmt, 4) != NULL ? col (stmt, 4) : "");
      w_attr_bool (ex, "active", sqlite3_column_int (stmt, 3));
      w_text_element (ex, "name", col (stmt, 1));
      w_end (ex);
    }
  w_end (ex);
  return rc == SQLITE_DONE;
}

static gboolean
write_rules (Exporter  *ex,
             GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (ex->store,
             "SELECT uuid, code, version, source_kind, valid_from, valid_to, retention_years,"
             " title, reference, article FROM rules ORDER BY code, version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  w_start (ex, "rules");
  while (step_rows (ex->store, stmt, &rc, error))
    {
      w_start (ex, "rule");
      w_attr (ex, "uuid", col (stmt, 0));
      w_attr (ex, "code", col (stmt, 1));
      w_attr_int (ex, "version", sqlite3_column_int64 (stmt, 2));
      w_attr (ex, "source-kind", col (stmt, 3));
      w_attr (ex, "valid-from", col (stmt, 4));
      w_attr (ex, "valid-to", col (stmt, 5));
      w_attr_int (ex, "retention-years", sqlite3_column_int64 (stmt, 6));
      w_text_element (ex, "title", col (stmt, 7));
      w_text_element (ex, "reference", col (stmt, 8));
      w_text_element (ex, "article", col (stmt, 9));
      w_end (ex);
    }
  w_end (ex);
  return rc == SQLITE_DONE;
}

static gboolean
write_clients (Exporter  *ex,
               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (ex->store,
             "SELECT c.uuid, c.dossier, c.name, c.bsn, u.login, c.active, c.opened, c.closed"
             " FROM clients c JOIN users u ON u.id = c.owner_id ORDER BY c.id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  w_start (ex, "clients");
  while (step_rows (ex->store, stmt, &rc, error))
    {
      g_autofree char *pseudo = pseudonym (ex, col (stmt, 0));

      w_start (ex, "client");
      w_attr (ex, "pseudonym", pseudo);
      if (ex->personal)
        {
          w_attr (ex, "uuid", col (stmt, 0));
          w_attr (ex, "dossier", col (stmt, 1));
        }
      w_attr (ex, "owner", col (stmt, 4));
      w_attr_bool (ex, "active", sqlite3_column_int (stmt, 5));
      w_attr (ex, "opened", col (stmt, 6));
      w_attr (ex, "closed", col (stmt, 7));
      if (ex->personal)
        {
          w_text_element (ex, "name", col (stmt, 2));
          w_text_element (ex, "bsn", col (stmt, 3));
        }
      w_end (ex);
    }
  w_end (ex);
  return rc == SQLITE_DONE;
}

/* The rows behind the events (decision versions, reviews, outcomes) are
 * read in step with the events, in one pass over each table: a row and
 * its event are written together, so the rows come in the order of their
 * events. Where that does not hold (the start of a period) the row is
 * looked up by UUID and reading goes on from there. Each row gives the
 * columns its canonical content is made of, then the record's. */
typedef struct
{
  sqlite3_stmt *rows;
  sqlite3_stmt *find;         /* the id of a row by UUID */
  int           rec;          /* the first of the record's columns */
  gboolean      on_row;
  gboolean      consumed;
} RowCursor;

typedef struct
{
  RowCursor decisions;
  RowCursor reviews;
  RowCursor outcomes;
} RecordStatements;

static void
row_cursor_clear (RowCursor *c)
{
  g_clear_pointer (&c->rows, sqlite3_finalize);
  g_clear_pointer (&c->find, sqlite3_finalize);
}

static void
record_statements_clear (RecordStatements *s)
{
  row_cursor_clear (&s->decisions);
  row_cursor_clear (&s->reviews);
  row_cursor_clear (&s->outcomes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RecordStatements, record_statements_clear)

static gboolean
is_decision_version_event (const char *action)
{
  return g_strcmp0 (action, "decision.recorded") == 0
         || g_strcmp0 (action, "decision.superseded") == 0;
}

/* GLib 2.74 appends to a GString with a call each time; a trail is
 * made of hundreds of millions of short runs. Growing is left to it. */
static inline void
out_len (GString    *out,
         const char *text,
         gsize       len)
{
  if (G_UNLIKELY (out->len + len >= out->allocated_len))
    {
      g_string_append_len (out, text, len);
      return;
    }
  memcpy (out->str + out->len, text, len);
  out->len += len;
  out->str[out->len] = '\0';
}

static inline void
out_c (GString *out,
       char     c)
{
  out_len (out, &c, 1);
}

static inline void
out_str (GString    *out,
         const char *text)
{
  out_len (out, text, strlen (text));
}

/* The events are most of a trail: they are written straight into a
 * buffer, escaped here, and handed to the writer whole, which costs a
 * fraction of one writer call per attribute. The escaping is the
 * writer's: in attributes also '"' and the white space that attribute
 * normalisation would change. */
static void
out_escaped (GString    *out,
             const char *value,
             const char *specials)
{
  const char *p = value;

  for (;;)
    {
      gsize run = strcspn (p, specials);

      out_len (out, p, run);
      p += run;
      switch (*p)
        {
        case '\0':
          return;
        case '&':
          out_len (out, "&amp;", 5);
          break;
        case '<':
          out_len (out, "&lt;", 4);
          break;
        case '>':
          out_len (out, "&gt;", 4);
          break;
        case '"':
          out_len (out, "&quot;", 6);
          break;
        case '\n':
          out_len (out, "&#10;", 5);
          break;
        case '\r':
          out_len (out, "&#13;", 5);
          break;
        case '\t':
        default:
          out_len (out, "&#9;", 4);
          break;
        }
      p++;
    }
}

#define ATTR_SPECIALS "&<>\"\n\r\t"
#define TEXT_SPECIALS "&<>\r"

/* Absent values are left out, as in canonical content. */
static void
out_attr (GString    *out,
          const char *name,
          const char *value)
{
  if (value == NULL)
    return;
  out_c (out, ' ');
  out_str (out, name);
  out_len (out, "=\"", 2);
  out_escaped (out, value, ATTR_SPECIALS);
  out_c (out, '"');
}

static void
out_attr_int (GString    *out,
              const char *name,
              gint64      value)
{
  char buf[32];
  char *p = buf + sizeof buf;
  guint64 n = value < 0 ? -(guint64) value : (guint64) value;

  /* As "%" G_GINT64_FORMAT, without printf's cost on every event. */
  *--p = '\0';
  do
    *--p = (char) ('0' + n % 10);
  while ((n /= 10) != 0);
  if (value < 0)
    *--p = '-';
  out_attr (out, name, p);
}

static void
out_text_element (GString    *out,
                  const char *name,
                  const char *text)
{
  if (text == NULL)
    return;
  out_c (out, '<');
  out_str (out, name);
  out_c (out, '>');
  out_escaped (out, text, TEXT_SPECIALS);
  out_len (out, "</", 2);
  out_str (out, name);
  out_c (out, '>');
}

/* An attribute of <event> or of the record in it: written as out_attr()
 * does, after checking its form. The first value out of form is kept for
 * write_events(). */
static void
out_attr_formed (Exporter      *ex,
                 GString       *out,
                 const LexForm *form,
                 const char    *name,
                 const char    *value)
{
  const LexRule *r;
  gsize len;

  if (value == NULL || (r = lex_rule (form->rules, name)) == NULL)
    {
      out_attr (out, name, value);
      return;
    }
  len = strlen (value);
  if (!lex_value_ok (r->kind, value, len))
    {
      if (!ex->bad_form)
        {
          ex->bad_form = TRUE;
          ex->bad_element = form->element;
          ex->bad_attr = name;
        }
      out_attr (out, name, value);
      return;
    }
  /* None of these forms holds a character that needs escaping. */
  out_c (out, ' ');
  out_str (out, name);
  out_len (out, "=\"", 2);
  out_len (out, value, len);
  out_c (out, '"');
}

/* <content> with canonical content, checked as out_attr_formed() does. */
static void
out_content (Exporter   *ex,
             GString    *out,
             const char *text)
{
  if (!ex->bad_form && !canonical_ok (text))
    {
      ex->bad_form = TRUE;
      ex->bad_element = "content";
      ex->bad_attr = NULL;
    }
  out_text_element (out, "content", text);
}

static gboolean
row_cursor_open (RrStore     *store,
                 RowCursor   *c,
                 const char  *columns,
                 const char  *from,
                 const char  *record_columns,
                 int          n_record_columns,
                 const char  *alias,
                 const char  *table,
                 GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT ", columns, ", ", record_columns, from,
                                      " WHERE ", alias, ".id >= ? ORDER BY ", alias, ".id", NULL);
  g_autofree char *find = g_strconcat ("SELECT id FROM ", table, " WHERE uuid = ?", NULL);

  c->rows = prepare (store, sql, error);
  if (c->rows == NULL)
    return FALSE;
  c->find = prepare (store, find, error);
  if (c->find == NULL)
    return FALSE;
  c->rec = sqlite3_column_count (c->rows) - n_record_columns;
  return TRUE;
}

/* Puts @c on the row of @uuid (the record's second column); *@found says
 * whether there is one. */
static gboolean
row_cursor_seek (RrStore     *store,
                 RowCursor   *c,
                 const char  *uuid,
                 gboolean    *found,
                 GError     **error)
{
  int rc;

  *found = FALSE;
  if (c->on_row && c->consumed)
    {
      rc = sqlite3_step (c->rows);
      c->on_row = rc == SQLITE_ROW;
      c->consumed = FALSE;
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _rr_store_set_error (store, rc, error);
          return FALSE;
        }
    }
  if (!c->on_row || g_strcmp0 (col (c->rows, c->rec + 1), uuid) != 0)
    {
      gint64 id;

      /* Out of step: find the row and read on from it. */
      _rr_bind_text (c->find, 1, uuid);
      rc = sqlite3_step (c->find);
      id = rc == SQLITE_ROW ? sqlite3_column_int64 (c->find, 0) : 0;
      sqlite3_reset (c->find);
      if (rc != SQLITE_ROW)
        {
          if (rc != SQLITE_DONE)
            {
              _rr_store_set_error (store, rc, error);
              return FALSE;
            }
          return TRUE;
        }
      sqlite3_reset (c->rows);
      sqlite3_bind_int64 (c->rows, 1, id);
      rc = sqlite3_step (c->rows);
      c->on_row = rc == SQLITE_ROW;
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _rr_store_set_error (store, rc, error);
          return FALSE;
        }
      if (!c->on_row || g_strcmp0 (col (c->rows, c->rec + 1), uuid) != 0)
        return TRUE;
    }
  c->consumed = TRUE;
  *found = TRUE;
  return TRUE;
}

/* Writes the decision version, review or outcome @uuid as the record of
 * its event into @out. Sets *@content to its canonical text unless
 * destroyed, and *@found to whether there is such a row. */
static gboolean
write_record (Exporter          *ex,
              RecordStatements  *s,
              GString           *out,
              const char        *entity_type,
              const char        *action,
              const char        *uuid,
              const char        *event_content_hash,
              char             **content,
              gboolean          *destroyed,
              gboolean          *found,
              GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  *content = NULL;
  *destroyed = FALSE;
  *found = FALSE;

  if (g_str_equal (entity_type, "decision") && is_decision_version_event (action))
    {
      int rec = s->decisions.rec;

      stmt = s->decisions.rows;
      if (!row_cursor_seek (ex->store, &s->decisions, uuid, found, error))
        return FALSE;
      if (*found)
        {
          g_autofree char *client = pseudonym (ex, col (stmt, rec + 6));

          *destroyed = sqlite3_column_int (stmt, rec + 12) != 0;
          out_len (out, "<decision", 9);
          out_attr_formed (ex, out, &decision_form, "uuid", col (stmt, rec + 1));
          out_attr_formed (ex, out, &decision_form, "number", col (stmt, rec + 2));
          out_attr_int (out, "version", sqlite3_column_int64 (stmt, rec + 3));
          out_attr_formed (ex, out, &decision_form, "supersedes", col (stmt, rec + 4));
          out_attr_formed (ex, out, &decision_form, "status", col (stmt, rec + 5));
          out_attr_formed (ex, out, &decision_form, "client", client);
          out_attr_formed (ex, out, &decision_form, "author", col (stmt, rec + 7));
          out_attr_formed (ex, out, &decision_form, "decision-date", col (stmt, rec + 8));
          out_attr_formed (ex, out, &decision_form, "rule", col (stmt, rec + 9));
          out_attr_formed (ex, out, &decision_form, "outcome", col (stmt, rec + 10));
          out_attr_formed (ex, out, &decision_form, "retention-until", col (stmt, rec + 11));
          out_attr_formed (ex, out, &decision_form, "destroyed", *destroyed ? "true" : "false");
          out_attr_formed (ex, out, &decision_form, "content-hash", col (stmt, rec + 13));
          if (col (stmt, rec + 14) != NULL)
            {
              out_c (out, '>');
              out_text_element (out, "summary", col (stmt, rec + 14));
              out_len (out, "</decision>", 11);
            }
          else
            out_len (out, "/>", 2);
          if (!*destroyed)
            *content = _rr_decision_canonical_from_row (stmt);
        }
    }
  else if (g_str_equal (entity_type, "review"))
    {
      int rec = s->reviews.rec;

      stmt = s->reviews.rows;
      if (!row_cursor_seek (ex->store, &s->reviews, uuid, found, error))
        return FALSE;
      if (*found)
        {
          *destroyed = sqlite3_column_int (stmt, rec + 6) != 0;
          out_len (out, "<review", 7);
          out_attr_formed (ex, out, &review_form, "uuid", col (stmt, rec + 1));
          out_attr_formed (ex, out, &review_form, "decision", col (stmt, rec + 2));
          out_attr_formed (ex, out, &review_form, "reviewer", col (stmt, rec + 3));
          out_attr_formed (ex, out, &review_form, "kind", col (stmt, rec + 4));
          out_attr_formed (ex, out, &review_form, "verdict", col (stmt, rec + 5));
          out_attr_formed (ex, out, &review_form, "destroyed", *destroyed ? "true" : "false");
          out_attr_formed (ex, out, &review_form, "content-hash", event_content_hash);
          out_len (out, "/>", 2);
          if (!*destroyed)
            {
              *content = _rr_review_canonical_from_row (stmt);
              ok = *content != NULL;
            }
        }
    }
  else if (g_str_equal (entity_type, "outcome") && g_str_equal (action, "outcome.recorded"))
    {
      int rec = s->outcomes.rec;

      stmt = s->outcomes.rows;
      if (!row_cursor_seek (ex->store, &s->outcomes, uuid, found, error))
        return FALSE;
      if (*found)
        {
          *destroyed = sqlite3_column_int (stmt, rec + 6) != 0;
          out_len (out, "<outcome", 8);
          out_attr_formed (ex, out, &outcome_form, "uuid", col (stmt, rec + 1));
          out_attr_formed (ex, out, &outcome_form, "number", col (stmt, rec + 2));
          out_attr_formed (ex, out, &outcome_form, "decision", col (stmt, rec + 3));
          out_attr_formed (ex, out, &outcome_form, "author", col (stmt, rec + 4));
          out_attr_formed (ex, out, &outcome_form, "effect", col (stmt, rec + 5));
          out_attr_formed (ex, out, &outcome_form, "destroyed", *destroyed ? "true" : "false");
          out_attr_formed (ex, out, &outcome_form, "content-hash", event_content_hash);
          out_len (out, "/>", 2);
          if (!*destroyed)
            {
              *content = _rr_outcome_canonical_from_row (stmt);
              ok = *content != NULL;
            }
        }
    }
  return ok;
}

static gboolean
holds_client_data (const char *entity_type,
                   const char *canonical)
{
  return g_strcmp0 (entity_type, "client") == 0
         || (canonical != NULL && g_str_has_prefix (canonical, "regelruimte-content/1\ntype=client\n"));
}

#define OUT_FLUSH ((gsize) 64 * 1024)

static gboolean
out_flush (Exporter *ex,
           GString  *out)
{
  if (out->len > 0 && !_rr_xml_output_write_raw (ex->output, out->str, out->len))
    ex->failed = TRUE;
  g_string_truncate (out, 0);
  return !ex->failed;
}

static gboolean
write_events (Exporter       *ex,
              gint64          first,
              gint64          last,
              RrProgressFunc  progress,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_auto(RecordStatements) s = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) kept_stmt = NULL;
  g_autoptr(GString) out = g_string_sized_new (OUT_FLUSH + 65536);
  g_autoptr(GString) record = g_string_sized_new (4096);
  gint64 done = 0;
  gint64 kept_seq = 0;
  int rc, kept_rc;

  {
    const char *columns, *from;

    _rr_decision_canonical_sql (&columns, &from);
    if (!row_cursor_open (ex->store, &s.decisions, columns, from,
                          "d.id, d.uuid, d.number, d.version, s.uuid, d.status, c.uuid, u.login,"
                          " d.decision_date, r.uuid, d.outcome, d.retention_until,"
                          " d.destroyed_at IS NOT NULL, d.content_hash, d.summary", 15,
                          "d", "decisions", error))
      return FALSE;
    _rr_review_canonical_sql (&columns, &from);
    if (!row_cursor_open (ex->store, &s.reviews, columns, from,
                          "r.id, r.uuid, d.uuid, u.login, r.kind, r.verdict,"
                          " r.destroyed_at IS NOT NULL", 7, "r", "reviews", error))
      return FALSE;
    _rr_outcome_canonical_sql (&columns, &from);
    if (!row_cursor_open (ex->store, &s.outcomes, columns, from,
                          "o.id, o.uuid, o.number, d.uuid, u.login, o.effect,"
                          " o.destroyed_at IS NOT NULL", 7, "o", "outcomes", error))
      return FALSE;
  }

  stmt = prepare (ex->store,
                  "SELECT e.seq, e.uuid, e.at, e.actor, e.action, e.entity_type, e.entity_uuid,"
                  " e.content_hash, e.prev_hash, e.hash"
                  " FROM events e WHERE e.seq BETWEEN ? AND ? ORDER BY e.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  /* The kept content, read beside the events in one pass rather than
   * looked up for each event: few events keep content of their own. */
  kept_stmt = prepare (ex->store,
                       "SELECT seq, canonical FROM event_content WHERE seq BETWEEN ? AND ?"
                       " ORDER BY seq", error);
  if (kept_stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (kept_stmt, 1, first);
  sqlite3_bind_int64 (kept_stmt, 2, last);

  /* Ends the start tag of <events>; the events follow as they are. */
  if (xmlTextWriterWriteRaw (ex->w, BAD_CAST "\n") < 0)
    ex->failed = TRUE;

  while (step_rows (ex->store, stmt, &rc, error))
    {
      const char *entity_type = col (stmt, 5);
      const char *action = col (stmt, 4);
      const char *entity_uuid = col (stmt, 6);
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *kept = NULL;
      g_autofree char *content = NULL;
      gboolean destroyed = FALSE;
      gboolean found = FALSE;
      gboolean own_row;

      if ((done % BATCH) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress != NULL && last >= first)
            progress ((double) done / (double) (last - first + 1), user_data);
        }
      done++;

      while (kept_seq < seq)
        {
          if (!step_rows (ex->store, kept_stmt, &kept_rc, error))
            {
              if (kept_rc != SQLITE_DONE)
                return FALSE;
              kept_seq = G_MAXINT64;
            }
          else
            kept_seq = sqlite3_column_int64 (kept_stmt, 0);
        }
      if (kept_seq == seq)
        kept = col (kept_stmt, 1);

      out_len (out, "    <event", 10);
      out_attr_int (out, "seq", seq);
      out_attr_formed (ex, out, &event_form, "uuid", col (stmt, 1));
      out_attr_formed (ex, out, &event_form, "at", col (stmt, 2));
      out_attr_formed (ex, out, &event_form, "actor", col (stmt, 3));
      out_attr_formed (ex, out, &event_form, "action", action);
      out_attr_formed (ex, out, &event_form, "entity-type", entity_type);
      out_attr_formed (ex, out, &event_form, "entity-uuid", entity_uuid);
      out_attr_formed (ex, out, &event_form, "content-hash", col (stmt, 7));
      out_attr_formed (ex, out, &event_form, "prev-hash", col (stmt, 8));
      out_attr_formed (ex, out, &event_form, "hash", col (stmt, 9));

      own_row = (g_str_equal (entity_type, "decision") && is_decision_version_event (action))
                || g_str_equal (entity_type, "review")
                || (g_str_equal (entity_type, "outcome") && g_str_equal (action, "outcome.recorded"));

      if (own_row)
        {
          /* The record goes after <content>, so it is written aside
           * first: the content is only known once the row is read. */
          g_string_truncate (record, 0);
          if (!write_record (ex, &s, record, entity_type, action, entity_uuid, col (stmt, 7),
                             &content, &destroyed, &found, error))
            return FALSE;
          if (!found)
            {
              g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                           _("Event %" PRId64 " records something that is missing from the "
                             "database. Run “verify” to find out what happened."),
                           seq);
              return FALSE;
            }
          out_attr (out, "content", destroyed ? "destroyed" : "present");
          out_len (out, ">\n", 2);
          if (content != NULL)
            {
              out_len (out, "      ", 6);
              out_content (ex, out, content);
              out_c (out, '\n');
            }
          out_len (out, "      ", 6);
          out_len (out, record->str, record->len);
          out_len (out, "\n    </event>\n", 14);
        }
      else if (kept == NULL)
        {
          out_attr (out, "content", "destroyed");
          out_len (out, "/>\n", 3);
        }
      else if (!ex->personal && holds_client_data (entity_type, kept))
        {
          out_attr (out, "content", "withheld");
          out_len (out, "/>\n", 3);
        }
      else
        {
          out_attr (out, "content", "present");
          out_len (out, ">\n      ", 8);
          out_content (ex, out, kept);
          out_len (out, "\n    </event>\n", 14);
        }

      if (ex->bad_form)
        {
          g_autofree char *problem =
            ex->bad_attr != NULL
            ? g_strdup_printf (_("the value of “%s” in <%s> is not written as the trail "
                                 "format requires"), ex->bad_attr, ex->bad_element)
            : g_strdup (_("the text of <content> is not canonical content"));

          g_set_error (error, RR_ERROR, RR_ERROR_XML, _("%s: event %" PRId64 ": %s."),
                       _("The exported trail is not valid"),
                       seq, problem);
          return FALSE;
        }
      if (out->len >= OUT_FLUSH && !out_flush (ex, out))
        break;
    }
  if (!ex->failed)
    out_flush (ex, out);
  if (ex->failed)
    return TRUE;  /* reported by the caller as a write error */
  return rc == SQLITE_DONE;
}

static gboolean
find_period (RrStore     *store,
             const char  *from,
             const char  *to,
             gint64      *first,
             gint64      *last,
             char       **prev_hash,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *to_next = NULL;
  gint64 head;
  int rc;

  stmt = prepare (store, "SELECT coalesce (max (seq), 0) FROM events", error);
  if (stmt == NULL || !step_rows (store, stmt, &rc, error))
    return FALSE;
  head = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  *first = 1;
  *last = head;
  if (from != NULL)
    {
      stmt = prepare (store, "SELECT min (seq) FROM events WHERE at >= ?", error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, from);
      if (!step_rows (store, stmt, &rc, error))
        return FALSE;
      *first = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? head + 1
                                                             : sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  if (to != NULL)
    {
      /* Every time on the last day sorts before the day's date with a
       * character after 'T' appended. */
      to_next = g_strconcat (to, "U", NULL);
      stmt = prepare (store, "SELECT coalesce (max (seq), 0) FROM events WHERE at < ?", error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, to_next);
      if (!step_rows (store, stmt, &rc, error))
        return FALSE;
      *last = sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  if (*last < *first - 1)
    *last = *first - 1;

  if (*first <= 1)
    {
      *prev_hash = g_strdup (GENESIS_HASH);
      return TRUE;
    }
  stmt = prepare (store, "SELECT hash FROM events WHERE seq = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, *first - 1);
  if (!step_rows (store, stmt, &rc, error))
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                     _("The ledger has no event %" PRId64 ". Run “verify” to find out "
                       "what happened."), *first - 1);
      return FALSE;
    }
  *prev_hash = g_strdup (col (stmt, 0));
  return TRUE;
}

static gboolean
write_trail (Exporter              *ex,
             RrXmlOutput           *output,
             const RrTrailOptions  *options,
             RrCheckpoint          *checkpoint,
             gint64                *first_out,
             RrProgressFunc         progress,
             gpointer               user_data,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autofree char *organisation = rr_store_get_setting (ex->store, "organisation");
  g_autofree char *created = rr_timestamp_now ();
  g_autofree char *prev_hash = NULL;
  gint64 first, last;

  if (!find_period (ex->store, options->from, options->to, &first, &last, &prev_hash, error))
    return FALSE;
  *first_out = first;

  ex->output = output;
  ex->w = _rr_xml_output_get_writer (output);
  if (xmlTextWriterStartDocument (ex->w, "1.0", "UTF-8", NULL) < 0)
    ex->failed = TRUE;
  w_start (ex, "trail");
  w_attr (ex, "xmlns", RR_TRAIL_NAMESPACE);
  w_attr (ex, "format", "1");
  w_attr (ex, "organisation", organisation != NULL ? organisation : "");
  w_attr (ex, "created", created);
  w_attr (ex, "from", options->from);
  w_attr (ex, "to", options->to);
  w_attr_bool (ex, "personal-data", ex->personal);

  if (!write_actors (ex, error) || !write_rules (ex, error) || !write_clients (ex, error))
    return FALSE;

  w_start (ex, "events");
  w_attr_int (ex, "first-seq", first);
  w_attr (ex, "prev-hash", prev_hash);
  if (!write_events (ex, first, last, progress, user_data, cancellable, error))
    return FALSE;
  w_end (ex);

  checkpoint->seq = last;
  if (last >= first)
    {
      g_autoptr(sqlite3_stmt) stmt = prepare (ex->store, "SELECT hash FROM events WHERE seq = ?",
                                              error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, last);
      if (!step_rows (ex->store, stmt, &rc, error))
        return FALSE;
      checkpoint->hash = g_strdup (col (stmt, 0));
    }
  else
    checkpoint->hash = g_strdup (prev_hash);

  w_start (ex, "checkpoint");
  w_attr_int (ex, "seq", checkpoint->seq);
  w_attr (ex, "hash", checkpoint->hash);
  w_end (ex);
  w_end (ex);
  if (xmlTextWriterEndDocument (ex->w) < 0)
    ex->failed = TRUE;
  ex->w = NULL;
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;
}

gboolean
rr_trail_export (RrStore               *store,
                 const char            *actor,
                 const RrTrailOptions  *options,
                 const char            *path,
                 RrProgressFunc         progress,
                 gpointer               user_data,
                 GCancellable          *cancellable,
                 GError               **error)
{
  static const RrTrailOptions defaults = { NULL, NULL, FALSE };
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrXmlPush) push = NULL;
  g_autoptr(RrXmlOutput) output = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *export_uuid = NULL;
  g_autofree char *now = NULL;
  g_autofree char *cp_text = NULL;
  RrCheckpoint checkpoint = { 0, NULL };
  Exporter ex = { 0 };
  gint64 first = 1;
  gboolean ok;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;

  if ((options->from != NULL && !rr_date_is_valid (options->from))
      || (options->to != NULL && !rr_date_is_valid (options->to)))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date. Write dates as YYYY-MM-DD."),
                   options->from != NULL && !rr_date_is_valid (options->from)
                   ? options->from : options->to);
      return FALSE;
    }
  if (options->from != NULL && options->to != NULL && strcmp (options->from, options->to) > 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The period starts on %s, after its end on %s."), options->from, options->to);
      return FALSE;
    }

  /* The trail is the auditor's; a beheerder may export one without
   * personal data, for example to show a destruction. */
  user = rr_users_require (store, actor, RR_ROLE_AUDITOR | RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return FALSE;
  if (options->with_personal_data && !(user->roles & RR_ROLE_AUDITOR))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Only an auditor may export a trail with client names and BSNs."));
      return FALSE;
    }

  ex.store = store;
  ex.personal = options->with_personal_data;
  if (!fill_random (ex.key, sizeof ex.key))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The system’s random number generator failed: %s."), g_strerror (errno));
      return FALSE;
    }
  pseudonym_setup (&ex);

  /* Checked in a second thread while it is written, and still before it
   * is renamed into place. */
  lex_init ();
  push = _rr_xml_push_new (RR_XML_SCHEMA_TRAIL, G_MAXSIZE, _("The exported trail is not valid"),
                           NULL, NULL, NULL, NULL, error);
  if (push == NULL)
    return FALSE;
  output = _rr_xml_output_new_checked (path, 0600, g_steal_pointer (&push), error);
  if (output == NULL)
    return FALSE;

  /* One read transaction: the whole trail is one snapshot. */
  if (!_rr_store_exec (store, "BEGIN", error))
    return FALSE;
  ok = write_trail (&ex, output, options, &checkpoint, &first, progress, user_data,
                    cancellable, error);
  _rr_store_rollback (store);
  /* The key lives no longer than the export. */
  memset (ex.key, 0, sizeof ex.key);
  memset (ex.ipad, 0, sizeof ex.ipad);
  memset (ex.opad, 0, sizeof ex.opad);

  if (ok && ex.failed)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The trail could not be written to “%s”. Check that the disk has room."),
                   path);
      ok = FALSE;
    }
  if (ok)
    ok = _rr_xml_output_commit (output, RR_XML_SCHEMA_TRAIL,
                                _("The exported trail is not valid"), error);
  if (!ok)
    {
      g_free (checkpoint.hash);
      return FALSE;
    }

  /* The export is itself accountable. It is recorded after the file is
   * complete, so it cannot be part of the trail it describes. */
  export_uuid = rr_uuid_new ();
  now = rr_timestamp_now ();
  cp_text = rr_checkpoint_format (&checkpoint);
  canon = rr_canon_new ("export");
  rr_canon_add (canon, "uuid", export_uuid);
  rr_canon_add (canon, "kind", "trail");
  rr_canon_add (canon, "from", options->from);
  rr_canon_add (canon, "to", options->to);
  rr_canon_add_bool (canon, "personal_data", options->with_personal_data);
  rr_canon_add_int (canon, "first_seq", first);
  rr_canon_add (canon, "checkpoint", cp_text);
  rr_canon_add (canon, "at", now);
  g_free (checkpoint.hash);

  if (!_rr_store_begin (store, error))
    goto undo;
  if (_rr_ledger_append (store, actor, "export.made", "export", export_uuid,
                         rr_canon_get_text (canon), TRUE, error) == 0
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      goto undo;
    }
  return TRUE;

undo:
  /* An export the ledger does not know of must not stay behind. */
  g_unlink (path);
  return FALSE;
}

/* ----------------------------------------------------------------- verify */

typedef enum {
  REC_NONE = 0,
  REC_DECISION,
  REC_REVIEW,
  REC_OUTCOME,
} RecordKind;

/* A record has at most 13 attributes; a schema-valid one never more. */
#define MAX_RECORD_ATTRS 16

typedef struct
{
  char  name[24];
  char *value;
} RecordAttr;

typedef struct
{
  RrEvent     event;
  char       *content_state;
  GString    *content;
  gboolean    has_content;
  RecordKind  record;
  RecordAttr  record_attrs[MAX_RECORD_ATTRS];
  guint       n_record_attrs;
  GString    *summary;
  gboolean    has_summary;
} TrailEvent;

typedef struct
{
  RrVerifyResult     *result;
  const RrCheckpoint *kept;
  gint64              first_seq;
  gint64              expected;
  char                prev[RR_HASH_HEX_LEN + 1];
  char                start_prev[RR_HASH_HEX_LEN + 1];
  gboolean            events_seen;
  gint64              cp_seq;
  char               *cp_hash;
  TrailEvent          cur;
  Lexer               lex;
  gboolean            in_event;
  gboolean            in_content;
  gboolean            in_summary;
} Verifier;

static void
trail_event_reset (TrailEvent *e)
{
  g_clear_pointer (&e->event.uuid, g_free);
  g_clear_pointer (&e->event.at, g_free);
  g_clear_pointer (&e->event.actor, g_free);
  g_clear_pointer (&e->event.action, g_free);
  g_clear_pointer (&e->event.entity_type, g_free);
  g_clear_pointer (&e->event.entity_uuid, g_free);
  g_clear_pointer (&e->event.content_hash, g_free);
  g_clear_pointer (&e->event.prev_hash, g_free);
  g_clear_pointer (&e->event.hash, g_free);
  g_clear_pointer (&e->content_state, g_free);
  e->event.seq = 0;
  if (e->content != NULL)
    g_string_truncate (e->content, 0);
  if (e->summary != NULL)
    g_string_truncate (e->summary, 0);
  for (guint i = 0; i < e->n_record_attrs; i++)
    g_clear_pointer (&e->record_attrs[i].value, g_free);
  e->n_record_attrs = 0;
  e->has_content = FALSE;
  e->has_summary = FALSE;
  e->record = REC_NONE;
}

static void
fail (Verifier *v,
      gint64    seq,
      char     *problem)
{
  if (!v->result->ok)
    {
      g_free (problem);
      return;
    }
  v->result->ok = FALSE;
  v->result->first_bad_seq = seq;
  v->result->problem = problem;
}

/* A copy of an attribute value of a SAX start tag, which is not
 * terminated. */
static char *
sax_value (const xmlChar **attrs,
           int             i)
{
  return g_strndup ((const char *) attrs[i * 5 + 3], attrs[i * 5 + 4] - attrs[i * 5 + 3]);
}

static const xmlChar *
sax_find (const xmlChar **attrs,
          int             n,
          const char     *name,
          gsize          *len)
{
  for (int i = 0; i < n; i++)
    if (strcmp ((const char *) attrs[i * 5], name) == 0)
      {
        *len = attrs[i * 5 + 4] - attrs[i * 5 + 3];
        return attrs[i * 5 + 3];
      }
  return NULL;
}

static char *
sax_attr (const xmlChar **attrs,
          int             n,
          const char     *name)
{
  gsize len = 0;
  const xmlChar *value = sax_find (attrs, n, name, &len);

  return value != NULL ? g_strndup ((const char *) value, len) : NULL;
}

static gint64
sax_attr_int (const xmlChar **attrs,
              int             n,
              const char     *name)
{
  g_autofree char *text = sax_attr (attrs, n, name);
  gint64 value = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return -1;
  return value;
}

static const char *
rec (TrailEvent *e,
     const char *name)
{
  for (guint i = 0; i < e->n_record_attrs; i++)
    if (strcmp (e->record_attrs[i].name, name) == 0)
      return e->record_attrs[i].value;
  return NULL;
}

typedef struct
{
  const char *field;      /* in canonical content */
  const char *value;      /* in the record; NULL when absent */
  gboolean    seen;
} FieldCheck;

/* Whether each field of the record equals the same field of its content
 * (the first line of that name, unescaped; absent where the record has no
 * value), in one pass over the content. */
static gboolean
fields_match (const char *canonical,
              FieldCheck *checks,
              gsize       n)
{
  const char *line = strchr (canonical, '\n');

  while (line != NULL && line[1] != '\0')
    {
      const char *start = line + 1;
      const char *end = strchr (start, '\n');
      const char *eq;

      if (end == NULL)
        break;
      eq = memchr (start, '=', end - start);
      for (gsize i = 0; eq != NULL && i < n; i++)
        {
          FieldCheck *c = &checks[i];
          gsize key_len = eq - start;
          const char *raw = eq + 1;
          gsize raw_len = end - raw;

          if (c->seen || strlen (c->field) != key_len || memcmp (c->field, start, key_len) != 0)
            continue;
          c->seen = TRUE;
          if (c->value == NULL)
            return FALSE;
          if (memchr (raw, '\\', raw_len) == NULL)
            {
              if (strlen (c->value) != raw_len || memcmp (c->value, raw, raw_len) != 0)
                return FALSE;
            }
          else
            {
              g_autofree char *copy = g_strndup (raw, raw_len);
              g_autofree char *unescaped = _rr_unescape (copy);

              if (strcmp (unescaped, c->value) != 0)
                return FALSE;
            }
          break;
        }
      line = end;
    }
  for (gsize i = 0; i < n; i++)
    if (!checks[i].seen && checks[i].value != NULL)
      return FALSE;
  return TRUE;
}

static void
check_record (Verifier   *v,
              TrailEvent *e)
{
  gint64 seq = e->event.seq;
  const char *action = e->event.action;
  const char *type = e->event.entity_type;
  RecordKind wanted = REC_NONE;
  const char *content = e->has_content ? e->content->str : NULL;
  gboolean destroyed;

  if (g_strcmp0 (type, "decision") == 0 && is_decision_version_event (action))
    wanted = REC_DECISION;
  else if (g_strcmp0 (type, "review") == 0)
    wanted = REC_REVIEW;
  else if (g_strcmp0 (type, "outcome") == 0 && g_strcmp0 (action, "outcome.recorded") == 0)
    wanted = REC_OUTCOME;

  if (wanted != e->record)
    {
      fail (v, seq, wanted == REC_NONE
            ? g_strdup_printf (_("Event %" PRId64 " carries a record that it does not "
                                 "describe."), seq)
            : g_strdup_printf (_("Event %" PRId64 ": the decision, review or outcome it "
                                 "records is missing from the trail."), seq));
      return;
    }
  if (wanted == REC_NONE)
    return;

  destroyed = g_strcmp0 (rec (e, "destroyed"), "true") == 0
              || g_strcmp0 (rec (e, "destroyed"), "1") == 0;
  if (g_strcmp0 (rec (e, "uuid"), e->event.entity_uuid) != 0
      || g_strcmp0 (rec (e, "content-hash"), e->event.content_hash) != 0
      || destroyed != (g_strcmp0 (e->content_state, "destroyed") == 0))
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": the record in the trail is not the "
                                       "one the event commits to."), seq));
      return;
    }
  if (content == NULL)
    return;

  switch (wanted)
    {
    case REC_DECISION:
      {
        FieldCheck checks[] = {
          { "number", rec (e, "number"), FALSE },
          { "version", rec (e, "version"), FALSE },
          { "supersedes", rec (e, "supersedes"), FALSE },
          { "author", rec (e, "author"), FALSE },
          { "decision_date", rec (e, "decision-date"), FALSE },
          { "rule", rec (e, "rule"), FALSE },
          { "outcome", rec (e, "outcome"), FALSE },
          { "retention_until", rec (e, "retention-until"), FALSE },
          { "summary", e->has_summary ? e->summary->str : NULL, FALSE },
        };

        if (!fields_match (content, checks, G_N_ELEMENTS (checks)))
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": the decision in the trail "
                                           "differs from what its event records."), seq));
      }
      break;
    case REC_REVIEW:
      {
        FieldCheck checks[] = {
          { "decision", rec (e, "decision"), FALSE },
          { "reviewer", rec (e, "reviewer"), FALSE },
          { "kind", rec (e, "kind"), FALSE },
          { "verdict", rec (e, "verdict"), FALSE },
        };

        if (!fields_match (content, checks, G_N_ELEMENTS (checks)))
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": the review in the trail "
                                           "differs from what its event records."), seq));
      }
      break;
    case REC_OUTCOME:
      {
        FieldCheck checks[] = {
          { "number", rec (e, "number"), FALSE },
          { "decision", rec (e, "decision"), FALSE },
          { "author", rec (e, "author"), FALSE },
          { "effect", rec (e, "effect"), FALSE },
        };

        if (!fields_match (content, checks, G_N_ELEMENTS (checks)))
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": the outcome in the trail "
                                           "differs from what its event records."), seq));
      }
      break;
    case REC_NONE:
    default:
      break;
    }
}

static void
check_event (Verifier *v)
{
  TrailEvent *e = &v->cur;
  gint64 seq = e->event.seq;
  g_autofree char *hash = NULL;

  v->result->n_events++;
  if (!v->result->ok)
    return;

  if (seq != v->expected)
    {
      if (seq > v->expected)
        fail (v, v->expected,
              g_strdup_printf (_("Event %" PRId64 " is missing: the chain jumps from %" PRId64
                                 " to %" PRId64 "."), v->expected, v->expected - 1, seq));
      else
        fail (v, v->expected,
              g_strdup_printf (_("Event %" PRId64 " is out of order: event %" PRId64
                                 " follows event %" PRId64 "."), v->expected, seq,
                               v->expected - 1));
      return;
    }
  v->expected++;

  /* The schema requires them, but its verdict comes with the parse; the
   * hash below must not meet a missing one first. */
  {
    const struct {
      const char *name;
      const char *value;
    } required[] = {
      { "uuid", e->event.uuid }, { "at", e->event.at }, { "actor", e->event.actor },
      { "action", e->event.action }, { "entity-type", e->event.entity_type },
      { "entity-uuid", e->event.entity_uuid }, { "content-hash", e->event.content_hash },
      { "prev-hash", e->event.prev_hash }, { "hash", e->event.hash },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
      if (required[i].value == NULL)
        {
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 " is incomplete: it has no "
                                           "“%s”."), seq, required[i].name));
          return;
        }
  }

  if (g_strcmp0 (e->event.prev_hash, v->prev) != 0)
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 " does not link to the event before "
                                       "it."), seq));
      return;
    }

  hash = rr_event_compute_hash (&e->event);
  if (g_strcmp0 (hash, e->event.hash) != 0)
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 " was changed: its hash does not match "
                                       "its fields."), seq));
      return;
    }
  g_strlcpy (v->prev, e->event.hash, sizeof v->prev);

  if (v->kept != NULL && v->kept->seq == seq && g_strcmp0 (v->kept->hash, e->event.hash) != 0)
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 " differs from the kept checkpoint: "
                                       "the history up to it was rewritten."), seq));
      return;
    }

  if (g_strcmp0 (e->content_state, "present") == 0)
    {
      g_autofree char *content_hash = NULL;

      if (!e->has_content)
        {
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": the content it records is "
                                           "missing from the trail."), seq));
          return;
        }
      content_hash = rr_sha256_hex (e->content->str, e->content->len);
      if (g_strcmp0 (content_hash, e->event.content_hash) != 0)
        {
          fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": what it records was changed "
                                           "after it was recorded."), seq));
          return;
        }
    }
  else if (e->has_content)
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 " carries content it says is not "
                                       "there."), seq));
      return;
    }
  else if (g_strcmp0 (e->content_state, "withheld") == 0
           && g_strcmp0 (e->event.entity_type, "client") != 0)
    {
      fail (v, seq, g_strdup_printf (_("Event %" PRId64 ": its content was left out, which "
                                       "a trail does only for clients."), seq));
      return;
    }

  check_record (v, e);
}

static void
read_event_attrs (Verifier       *v,
                  const xmlChar **attrs,
                  int             n)
{
  TrailEvent *e = &v->cur;
  struct {
    const char  *name;
    char       **value;
  } fields[] = {
    { "uuid", &e->event.uuid }, { "at", &e->event.at }, { "actor", &e->event.actor },
    { "action", &e->event.action }, { "entity-type", &e->event.entity_type },
    { "entity-uuid", &e->event.entity_uuid }, { "content-hash", &e->event.content_hash },
    { "prev-hash", &e->event.prev_hash }, { "hash", &e->event.hash },
    { "content", &e->content_state },
  };

  trail_event_reset (e);
  e->event.seq = sax_attr_int (attrs, n, "seq");
  /* One pass over the attributes, in whatever order they come. */
  for (int i = 0; i < n; i++)
    {
      const char *name = (const char *) attrs[i * 5];

      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        if (fields[f].name[0] == name[0] && strcmp (fields[f].name, name) == 0)
          {
            if (*fields[f].value == NULL)
              *fields[f].value = sax_value (attrs, i);
            break;
          }
    }
}

static void
read_record_attrs (TrailEvent     *e,
                   const xmlChar **attrs,
                   int             n,
                   RecordKind      kind)
{
  e->record = kind;
  for (int i = 0; i < n; i++)
    {
      const char *name = (const char *) attrs[i * 5];
      RecordAttr *a = &e->record_attrs[e->n_record_attrs];

      /* Anything longer or more is not in the schema, which refuses it. */
      if (e->n_record_attrs == MAX_RECORD_ATTRS || strlen (name) >= sizeof a->name)
        continue;
      g_strlcpy (a->name, name, sizeof a->name);
      a->value = sax_value (attrs, i);
      e->n_record_attrs++;
    }
}

static void
finish (Verifier *v)
{
  RrVerifyResult *result = v->result;
  gint64 last = v->expected - 1;

  if (result->ok && (v->cp_hash == NULL || v->cp_seq != last
                     || g_strcmp0 (v->cp_hash, v->prev) != 0))
    fail (v, last, g_strdup_printf (_("The trail’s checkpoint does not match its last "
                                      "event %" PRId64 "."), last));

  if (result->ok && v->kept != NULL)
    {
      if (v->kept->seq > last)
        fail (v, last + 1,
              g_strdup_printf (_("The trail ends at event %" PRId64 ", before the kept "
                                 "checkpoint %" PRId64 ": events were removed from the end."),
                               last, v->kept->seq));
      else if (v->kept->seq == v->first_seq - 1)
        {
          if (g_strcmp0 (v->kept->hash, v->start_prev) != 0)
            fail (v, v->first_seq,
                  g_strdup_printf (_("The trail does not continue from the kept checkpoint "
                                     "%" PRId64 ": the history up to it was rewritten."),
                                   v->kept->seq));
        }
      else if (v->kept->seq < v->first_seq - 1)
        fail (v, v->first_seq,
              g_strdup_printf (_("The kept checkpoint %" PRId64 " lies before this trail, "
                                 "which starts at event %" PRId64 ": check it against an "
                                 "earlier trail."), v->kept->seq, v->first_seq));
    }

  result->head = g_new0 (RrCheckpoint, 1);
  if (v->cp_hash != NULL)
    {
      result->head->seq = v->cp_seq;
      result->head->hash = g_strdup (v->cp_hash);
    }
  else
    {
      result->head->seq = last;
      result->head->hash = g_strdup (v->prev);
    }
}

/* The longest run of bytes without markup that a trail can hold: one
 * canonical content, a few hundred kilobytes at most (a decision's texts
 * are capped). libxml2 rescans a text node as it grows, so a hostile 20 MB
 * text node would cost seconds before its own 10 MB limit refused it; the
 * bytes are checked first, at the speed of memchr, before the parser gets
 * them. */
#define MAX_TEXT_RUN ((gsize) 4 * 1024 * 1024)

static gboolean
text_run_ok (gsize      *run,
             const char *buf,
             gsize       n)
{
  const char *p = buf;
  const char *end = buf + n;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);

      if (lt == NULL)
        {
          *run += end - p;
          p = end;
        }
      else
        {
          *run += lt - p;
          p = lt + 1;
          if (*run <= MAX_TEXT_RUN)
            *run = 0;
        }
      if (*run > MAX_TEXT_RUN)
        return FALSE;
    }
  return TRUE;
}

static void
on_verify_start (void           *data,
                 const xmlChar  *localname,
                 const xmlChar  *prefix,
                 const xmlChar  *uri,
                 int             n_namespaces,
                 const xmlChar **namespaces,
                 int             n_attrs,
                 int             n_defaulted,
                 const xmlChar **attrs)
{
  Verifier *v = data;
  const char *name = (const char *) localname;
  int depth = v->lex.depth;

  if (!lex_start (&v->lex, name, n_attrs, attrs))
    return;

  if (depth == 1 && strcmp (name, "events") == 0)
    {
      g_autofree char *prev = sax_attr (attrs, n_attrs, "prev-hash");

      v->first_seq = sax_attr_int (attrs, n_attrs, "first-seq");
      v->expected = v->first_seq;
      if (prev != NULL)
        {
          g_strlcpy (v->prev, prev, sizeof v->prev);
          g_strlcpy (v->start_prev, prev, sizeof v->start_prev);
        }
      v->events_seen = TRUE;
      if (v->first_seq == 1 && g_strcmp0 (v->prev, GENESIS_HASH) != 0)
        fail (v, 1, g_strdup (_("Event 1 does not link to the start of the chain.")));
    }
  else if (depth == 2 && strcmp (name, "event") == 0)
    {
      read_event_attrs (v, attrs, n_attrs);
      v->in_event = TRUE;
    }
  else if (v->in_event && depth == 3 && strcmp (name, "content") == 0)
    {
      v->cur.has_content = TRUE;
      v->in_content = TRUE;
    }
  else if (v->in_event && depth == 3 && strcmp (name, "decision") == 0)
    read_record_attrs (&v->cur, attrs, n_attrs, REC_DECISION);
  else if (v->in_event && depth == 3 && strcmp (name, "review") == 0)
    read_record_attrs (&v->cur, attrs, n_attrs, REC_REVIEW);
  else if (v->in_event && depth == 3 && strcmp (name, "outcome") == 0)
    read_record_attrs (&v->cur, attrs, n_attrs, REC_OUTCOME);
  else if (v->in_event && depth == 4 && strcmp (name, "summary") == 0)
    {
      v->cur.has_summary = TRUE;
      v->in_summary = TRUE;
    }
  else if (depth == 1 && strcmp (name, "checkpoint") == 0)
    {
      v->cp_seq = sax_attr_int (attrs, n_attrs, "seq");
      g_free (v->cp_hash);
      v->cp_hash = sax_attr (attrs, n_attrs, "hash");
    }
}

static void
on_verify_end (void          *data,
               const xmlChar *localname,
               const xmlChar *prefix,
               const xmlChar *uri)
{
  Verifier *v = data;
  const char *name = (const char *) localname;

  if (!lex_end (&v->lex, name))
    return;
  if (v->in_content && strcmp (name, "content") == 0)
    v->in_content = FALSE;
  else if (v->in_summary && strcmp (name, "summary") == 0)
    v->in_summary = FALSE;
  else if (v->in_event && strcmp (name, "event") == 0)
    {
      check_event (v);
      v->in_event = FALSE;
    }
}

static void
on_verify_text (void          *data,
                const xmlChar *text,
                int            len)
{
  Verifier *v = data;

  lex_text (&v->lex, text, len);
  if (v->in_content)
    g_string_append_len (v->cur.content, (const char *) text, len);
  else if (v->in_summary)
    g_string_append_len (v->cur.summary, (const char *) text, len);
}

/* The text run so far, across blocks: refuses overlong ones before the
 * parser sees them. */
static gboolean
check_text_runs (const char  *block,
                 gsize        len,
                 gpointer     user_data,
                 GError     **error)
{
  g_autofree char *limit = NULL;

  if (text_run_ok (user_data, block, len))
    return TRUE;
  limit = g_format_size (MAX_TEXT_RUN);
  g_set_error (error, RR_ERROR, RR_ERROR_XML,
               _("The file is not a valid Regelruimte trail: it holds a text "
                 "longer than %s, more than any trail holds."), limit);
  return FALSE;
}

/* Reads @path into @push a block at a time. */
static gboolean
feed_file (RrXmlPush     *push,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  gsize run = 0;

  return _rr_xml_push_file (push, path, RR_TRAIL_MAX_SIZE,
                            _("The file is not a valid Regelruimte trail"),
                            check_text_runs, &run, cancellable, error);
}

gboolean
rr_trail_verify_file (const char          *path,
                      const RrCheckpoint  *kept,
                      RrVerifyResult      *result,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(RrXmlPush) push = NULL;
  Verifier v = { 0 };
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (result, 0, sizeof *result);
  result->ok = TRUE;

  v.result = result;
  v.kept = kept;
  v.expected = 1;
  v.first_seq = 1;
  g_strlcpy (v.prev, GENESIS_HASH, sizeof v.prev);
  g_strlcpy (v.start_prev, GENESIS_HASH, sizeof v.start_prev);
  v.cur.content = g_string_new (NULL);
  v.cur.summary = g_string_new (NULL);

  push = _rr_xml_push_new (RR_XML_SCHEMA_TRAIL, RR_TRAIL_MAX_SIZE,
                           _("The file is not a valid Regelruimte trail"),
                           on_verify_start, on_verify_end, on_verify_text, &v, error);
  v.lex.push = push;
  ok = push != NULL && feed_file (push, path, cancellable, error);
  if (ok)
    finish (&v);

  trail_event_reset (&v.cur);
  g_string_free (v.cur.content, TRUE);
  g_string_free (v.cur.summary, TRUE);
  g_free (v.cp_hash);

  if (!ok)
    {
      rr_verify_result_clear (result);
      return FALSE;
    }
  return TRUE;
}
