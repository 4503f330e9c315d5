/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-rules"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-ledger.h"
#include "rr-rules.h"
#include "rr-rules-private.h"
#include "rr-store-private.h"
#include "rr-users.h"
#include "rr-xml-private.h"

/* The rule catalogue: versioned rules, their import and export as XML.
 * The vocabularies and the mandate table live in rr-admin.c. */

#define CATALOGUE_NS "https://regelruimte.nl/ns/catalogue/1"
#define STARTER_RESOURCE "/nl/regelruimte/Regelruimte/catalogue/starter.xml"

/* Limits shared with resources/schema/catalogue.xsd, so that whatever the
 * store accepts also exports as a valid catalogue. */
#define CODE_MAX_CHARS 40
#define LINE_MAX_CHARS 500
#define TEXT_MAX_CHARS 20000
#define VERSION_MAX 9999
#define RETENTION_MAX_YEARS 200

#define RULE_COLUMNS \
  "id, uuid, code, version, title, source_kind, reference, article, text, goal," \
  " valid_from, valid_to, retention_years, example"

/* A date after every other, for open-ended periods in comparisons. */
#define END_OF_TIME "9999-12-31"

static const struct
{
  const char *kind;
  const char *label;
} source_kinds[] = {
  { "wet", N_("Act") },
  { "amvb", N_("Order in council") },
  { "verordening", N_("Municipal by-law") },
  { "beleidsregel", N_("Policy rule") },
  { "werkinstructie", N_("Work instruction") },
  { "teamafspraak", N_("Team agreement") },
};

/* Helpers */

static const char *
catalogue_what (void)
{
  return _("The file is not a valid rule catalogue");
}

static void
free_rule (gpointer data)
{
  rr_rule_free (data);
}

static RrRule *
rule_from_row (sqlite3_stmt *stmt)
{
  RrRule *rule = rr_rule_new ();

  rule->id = sqlite3_column_int64 (stmt, 0);
  rule->uuid = _rr_column_dup (stmt, 1);
  rule->code = _rr_column_dup (stmt, 2);
  rule->version = sqlite3_column_int (stmt, 3);
  rule->title = _rr_column_dup (stmt, 4);
  rule->source_kind = _rr_column_dup (stmt, 5);
  rule->reference = _rr_column_dup (stmt, 6);
  rule->article = _rr_column_dup (stmt, 7);
  rule->text = _rr_column_dup (stmt, 8);
  rule->goal = _rr_column_dup (stmt, 9);
  rule->valid_from = _rr_column_dup (stmt, 10);
  rule->valid_to = _rr_column_dup (stmt, 11);
  rule->retention_years = sqlite3_column_int (stmt, 12);
  rule->example = sqlite3_column_int (stmt, 13) != 0;
  return rule;
}

/* Steps @stmt to the end, collecting a rule per row. */
static GPtrArray *
collect_rules (RrStore       *store,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (free_rule);
  int rc;

  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      g_ptr_array_add (rules, rule_from_row (stmt));
      if (!_rr_row_check (store, error))
        break;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rules);
}

/* One row or none: NULL with @error unset means none. */
static RrRule *
fetch_one (RrStore       *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  RrRule *rule = NULL;
  int rc = _rr_step (store, stmt, error);

  if (rc == SQLITE_ROW)
    {
      rule = rule_from_row (stmt);
      if (!_rr_row_check (store, error))
        g_clear_pointer (&rule, free_rule);
    }
  sqlite3_reset (stmt);
  return rule;
}

static RrRule *
lookup_version (RrStore     *store,
                const char  *code,
                int          version,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules WHERE code = ? AND version = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, code);
  sqlite3_bind_int (stmt, 2, version);
  return fetch_one (store, stmt, error);
}

static RrRule *
lookup_latest (RrStore     *store,
               const char  *code,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules WHERE code = ?"
                            " ORDER BY version DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, code);
  return fetch_one (store, stmt, error);
}

/* Mirrors the Code pattern of catalogue.xsd:
 * [A-Z][A-Z0-9]*([\-.:][A-Z0-9]+)* and at most 40 characters. */
static gboolean
code_is_valid (const char *code)
{
  gsize len;

  if (code == NULL || !g_ascii_isupper (code[0]))
    return FALSE;
  len = strlen (code);
  if (len > CODE_MAX_CHARS)
    return FALSE;
  for (gsize i = 1; i < len; i++)
    {
      char c = code[i];

      if (g_ascii_isupper (c) || g_ascii_isdigit (c))
        continue;
      if (c != '-' && c != '.' && c != ':')
        return FALSE;
      /* A separator joins two parts: never last, never doubled. */
      if (i + 1 == len || !(g_ascii_isupper (code[i + 1]) || g_ascii_isdigit (code[i + 1])))
        return FALSE;
    }
  return TRUE;
}

/* XML 1.0 cannot carry most control characters, not even escaped. */
static gboolean
text_is_storable (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_line (const char *text)
{
  return text == NULL
         || (strpbrk (text, "\r\n") == NULL && g_utf8_strlen (text, -1) <= LINE_MAX_CHARS);
}

static gboolean
is_text (const char *text)
{
  return text == NULL || g_utf8_strlen (text, -1) <= TEXT_MAX_CHARS;
}

/* Trims every text field; an optional field left empty is absent. */
static void
normalise_field (char     **field,
                 gboolean   optional)
{
  if (*field == NULL)
    return;
  g_strstrip (*field);
  if (optional && **field == '\0')
    g_clear_pointer (field, g_free);
}

static void
normalise_rule (RrRule *rule)
{
  normalise_field (&rule->code, FALSE);
  normalise_field (&rule->title, FALSE);
  normalise_field (&rule->source_kind, FALSE);
  normalise_field (&rule->reference, TRUE);
  normalise_field (&rule->article, TRUE);
  normalise_field (&rule->text, TRUE);
  normalise_field (&rule->goal, TRUE);
  normalise_field (&rule->valid_from, FALSE);
  normalise_field (&rule->valid_to, TRUE);
}

static gboolean
validate_rule (const RrRule  *rule,
               GError       **error)
{
  if (!code_is_valid (rule->code))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a valid rule code: use capital letters and digits in parts "
                     "joined by “-”, “.” or “:”, such as PW-18-1, at most 40 characters."),
                   rule->code != NULL ? rule->code : "");
      return FALSE;
    }
  if (rule->version < 0 || rule->version > VERSION_MAX)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The version of rule “%s” must be a number from 1 to 9999."), rule->code);
      return FALSE;
    }
  if (rule->title == NULL || rule->title[0] == '\0')
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Rule “%s” needs a title."), rule->code);
      return FALSE;
    }
  if (!text_is_storable (rule->title) || !text_is_storable (rule->reference)
      || !text_is_storable (rule->article) || !text_is_storable (rule->text)
      || !text_is_storable (rule->goal))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Rule “%s” contains control characters that cannot be stored; remove them."),
                   rule->code);
      return FALSE;
    }
  if (!is_line (rule->title) || !is_line (rule->reference) || !is_line (rule->article))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The title, reference and article of rule “%s” must each be a single line "
                     "of at most 500 characters."), rule->code);
      return FALSE;
    }
  if (!is_text (rule->text) || !is_text (rule->goal))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The text and the goal of rule “%s” may each be at most 20,000 characters "
                     "long."), rule->code);
      return FALSE;
    }
  if (!rr_rule_source_kind_is_valid (rule->source_kind))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a kind of source: use wet, amvb, verordening, beleidsregel, "
                     "werkinstructie or teamafspraak."),
                   rule->source_kind != NULL ? rule->source_kind : "");
      return FALSE;
    }
  if (!rr_date_is_valid (rule->valid_from))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Rule “%s” needs the date from which it applies, as YYYY-MM-DD."),
                   rule->code);
      return FALSE;
    }
  if (rule->valid_to != NULL && !rr_date_is_valid (rule->valid_to))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The end date of rule “%s” must be a date as YYYY-MM-DD."), rule->code);
      return FALSE;
    }
  if (rule->valid_to != NULL && strcmp (rule->valid_to, rule->valid_from) < 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Rule “%s” cannot end (%s) before it starts (%s)."),
                   rule->code, rule->valid_to, rule->valid_from);
      return FALSE;
    }
  if (rule->retention_years < 0 || rule->retention_years > RETENTION_MAX_YEARS)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The retention period of rule “%s” must be from 0 to 200 years."),
                   rule->code);
      return FALSE;
    }
  return TRUE;
}

static char *
day_before (const char *date)
{
  GDate gdate;
  int y, m, d;
  char buf[16];

  g_assert (rr_date_is_valid (date));
  sscanf (date, "%4d-%2d-%2d", &y, &m, &d);
  g_date_clear (&gdate, 1);
  g_date_set_dmy (&gdate, d, m, y);
  g_date_subtract_days (&gdate, 1);
  g_snprintf (buf, sizeof buf, "%04d-%02d-%02d",
              g_date_get_year (&gdate), g_date_get_month (&gdate), g_date_get_day (&gdate));
  return g_strdup (buf);
}

/* The canonical content of a rule version in the ledger. The field order
 * is part of the trail format (docs/trail-format.md), type "rule":
 *
 *   uuid, code, version, title, source_kind, reference, article, text,
 *   goal, valid_from, valid_to, retention_years, example
 *
 * Absent optional fields (reference, article, text, goal, valid_to) are
 * left out; version and retention_years are decimal integers, example is
 * "true" or "false". Both "rule.added" and "rule.closed" carry it. */
static char *
rule_canonical (const RrRule *rule)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("rule");

  rr_canon_add (canon, "uuid", rule->uuid);
  rr_canon_add (canon, "code", rule->code);
  rr_canon_add_int (canon, "version", rule->version);
  rr_canon_add (canon, "title", rule->title);
  rr_canon_add (canon, "source_kind", rule->source_kind);
  rr_canon_add (canon, "reference", rule->reference);
  rr_canon_add (canon, "article", rule->article);
  rr_canon_add (canon, "text", rule->text);
  rr_canon_add (canon, "goal", rule->goal);
  rr_canon_add (canon, "valid_from", rule->valid_from);
  rr_canon_add (canon, "valid_to", rule->valid_to);
  rr_canon_add_int (canon, "retention_years", rule->retention_years);
  rr_canon_add_bool (canon, "example", rule->example);
  return g_strdup (rr_canon_get_text (canon));
}

/* Ends @previous the day before @rule starts. Changing which version is in
 * force is a change to the record, so it is a ledger event of its own. */
static gboolean
close_previous (RrStore     *store,
                const char  *actor,
                RrRule      *previous,
                RrRule      *rule,
                GError     **error)
{
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;

  if (strcmp (rule->valid_from, previous->valid_from) <= 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Version %d of rule “%s” must start after %s, when version %d started."),
                   rule->version, rule->code, previous->valid_from, previous->version);
      return FALSE;
    }

  g_free (previous->valid_to);
  previous->valid_to = day_before (rule->valid_from);

  stmt = _rr_store_prepare (store, "UPDATE rules SET valid_to = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, previous->valid_to);
  sqlite3_bind_int64 (stmt, 2, previous->id);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  canonical = rule_canonical (previous);
  return _rr_ledger_append (store, actor, "rule.closed", "rule", previous->uuid,
                            canonical, TRUE, error) > 0;
}

/* Versions of one rule may not apply on the same day, or "the version in
 * force" would be ambiguous. */
static gboolean
check_no_overlap (RrStore       *store,
                  const RrRule  *rule,
                  GError       **error)
{
  g_autoptr(RrRule) other = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules WHERE code = ?1"
                            " AND valid_from <= coalesce (?3, '" END_OF_TIME "')"
                            " AND coalesce (valid_to, '" END_OF_TIME "') >= ?2"
                            " ORDER BY version LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, rule->code);
  _rr_bind_text (stmt, 2, rule->valid_from);
  _rr_bind_text (stmt, 3, rule->valid_to);
  other = fetch_one (store, stmt, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (other != NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Version %d of rule “%s” would apply on days when version %d applies "
                     "(from %s); give it a period of its own."),
                   rule->version, rule->code, other->version, other->valid_from);
      return FALSE;
    }
  return TRUE;
}

gboolean
_rr_rules_insert (RrStore     *store,
                  const char  *actor,
                  RrRule      *rule,
                  GError     **error)
{
  g_autoptr(RrRule) previous = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;

  g_assert (_rr_store_in_transaction (store));

  normalise_rule (rule);
  if (!validate_rule (rule, error))
    return FALSE;

  previous = lookup_latest (store, rule->code, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (rule->version == 0)
    rule->version = previous != NULL ? previous->version + 1 : 1;
  if (rule->version > VERSION_MAX)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The version of rule “%s” must be a number from 1 to 9999."), rule->code);
      return FALSE;
    }
  if (previous != NULL && rule->version == previous->version)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Version %d of rule “%s” exists already; add the change as a new version."),
                   rule->version, rule->code);
      return FALSE;
    }
  /* Versions only grow: an older one slipped in between would change what
   * was in force on dates already decided on. */
  if (previous != NULL && rule->version < previous->version)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Version %d of rule “%s” cannot be added after version %d."),
                   rule->version, rule->code, previous->version);
      return FALSE;
    }

  if (previous != NULL && previous->valid_to == NULL
      && !close_previous (store, actor, previous, rule, error))
    return FALSE;
  if (!check_no_overlap (store, rule, error))
    return FALSE;

  uuid = rr_uuid_new ();
  stmt = _rr_store_prepare (store,
                            "INSERT INTO rules (uuid, code, version, title, source_kind,"
                            " reference, article, text, goal, valid_from, valid_to,"
                            " retention_years, example)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, uuid);
  _rr_bind_text (stmt, 2, rule->code);
  sqlite3_bind_int (stmt, 3, rule->version);
  _rr_bind_text (stmt, 4, rule->title);
  _rr_bind_text (stmt, 5, rule->source_kind);
  _rr_bind_text (stmt, 6, rule->reference);
  _rr_bind_text (stmt, 7, rule->article);
  _rr_bind_text (stmt, 8, rule->text);
  _rr_bind_text (stmt, 9, rule->goal);
  _rr_bind_text (stmt, 10, rule->valid_from);
  _rr_bind_text (stmt, 11, rule->valid_to);
  sqlite3_bind_int (stmt, 12, rule->retention_years);
  sqlite3_bind_int (stmt, 13, rule->example ? 1 : 0);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  rule->id = sqlite3_last_insert_rowid (_rr_store_get_db (store));
  g_free (rule->uuid);
  rule->uuid = g_steal_pointer (&uuid);

  canonical = rule_canonical (rule);
  return _rr_ledger_append (store, actor, "rule.added", "rule", rule->uuid,
                            canonical, TRUE, error) > 0;
}

/* Whether a catalogue's @incoming says the same as the stored @stored. A
 * version without an end date in the file matches a stored one that a
 * later version has closed since: the file was written before that. */
static gboolean
same_content (const RrRule *stored,
              const RrRule *incoming)
{
  return g_strcmp0 (stored->title, incoming->title) == 0
         && g_strcmp0 (stored->source_kind, incoming->source_kind) == 0
         && g_strcmp0 (stored->reference, incoming->reference) == 0
         && g_strcmp0 (stored->article, incoming->article) == 0
         && g_strcmp0 (stored->text, incoming->text) == 0
         && g_strcmp0 (stored->goal, incoming->goal) == 0
         && g_strcmp0 (stored->valid_from, incoming->valid_from) == 0
         && (incoming->valid_to == NULL || g_strcmp0 (stored->valid_to, incoming->valid_to) == 0)
         && stored->retention_years == incoming->retention_years
         && !stored->example == !incoming->example;
}

static int
compare_code_version (gconstpointer a,
                      gconstpointer b)
{
  const RrRule *ra = *(RrRule * const *) a;
  const RrRule *rb = *(RrRule * const *) b;
  int c = strcmp (ra->code, rb->code);

  return c != 0 ? c : ra->version - rb->version;
}

static gboolean
load_rules (RrStore     *store,
            const char  *actor,
            GPtrArray   *rules,
            guint       *n_added,
            GError     **error)
{
  guint added = 0;

  /* Older versions first, so each new one can close its predecessor. */
  g_ptr_array_sort (rules, compare_code_version);

  for (guint i = 0; i < rules->len; i++)
    {
      RrRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(RrRule) existing = NULL;
      g_autoptr(GError) local_error = NULL;

      existing = lookup_version (store, rule->code, rule->version, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (existing != NULL)
        {
          if (same_content (existing, rule))
            continue;
          g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                       _("Version %d of rule “%s” in the catalogue differs from the one in this "
                         "database, so nothing was imported. A changed rule needs a new version "
                         "number."),
                       rule->version, rule->code);
          return FALSE;
        }
      if (!_rr_rules_insert (store, actor, rule, error))
        return FALSE;
      added++;
    }

  if (n_added != NULL)
    *n_added = added;
  return TRUE;
}

/* Catalogue XML */

static char *
element_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup ((const char *) content);

  xmlFree (content);
  return text;
}

static gboolean
is_catalogue_element (xmlNode    *node,
                      const char *name)
{
  return node->type == XML_ELEMENT_NODE
         && node->ns != NULL
         && g_strcmp0 ((const char *) node->ns->href, CATALOGUE_NS) == 0
         && g_strcmp0 ((const char *) node->name, name) == 0;
}

/* xs:boolean: "true", "false", "1" or "0", already validated. */
static gboolean
boolean_attribute (xmlNode    *node,
                   const char *name,
                   gboolean    fallback)
{
  xmlChar *value = xmlGetNoNsProp (node, BAD_CAST name);
  gboolean result = fallback;

  if (value != NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup ((const char *) value));

      result = strcmp (text, "true") == 0 || strcmp (text, "1") == 0;
      xmlFree (value);
    }
  return result;
}

static RrRule *
rule_from_element (xmlNode  *node,
                   gboolean  catalogue_example)
{
  RrRule *rule = rr_rule_new ();
  xmlChar *value;

  value = xmlGetNoNsProp (node, BAD_CAST "code");
  rule->code = g_strdup ((const char *) value);
  xmlFree (value);
  value = xmlGetNoNsProp (node, BAD_CAST "version");
  rule->version = value != NULL ? (int) g_ascii_strtoll ((const char *) value, NULL, 10) : 0;
  xmlFree (value);
  rule->example = boolean_attribute (node, "example", catalogue_example);

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      char **field = NULL;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_catalogue_element (child, "title"))
        field = &rule->title;
      else if (is_catalogue_element (child, "sourceKind"))
        field = &rule->source_kind;
      else if (is_catalogue_element (child, "reference"))
        field = &rule->reference;
      else if (is_catalogue_element (child, "article"))
        field = &rule->article;
      else if (is_catalogue_element (child, "text"))
        field = &rule->text;
      else if (is_catalogue_element (child, "goal"))
        field = &rule->goal;
      else if (is_catalogue_element (child, "validFrom"))
        field = &rule->valid_from;
      else if (is_catalogue_element (child, "validTo"))
        field = &rule->valid_to;
      else if (is_catalogue_element (child, "retentionYears"))
        {
          g_autofree char *text = element_text (child);

          rule->retention_years = (int) g_ascii_strtoll (g_strstrip (text), NULL, 10);
        }

      if (field != NULL)
        {
          g_free (*field);
          *field = element_text (child);
        }
    }

  normalise_rule (rule);
  return rule;
}

GPtrArray *
rr_catalogue_parse (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(RrXmlDoc) doc = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  xmlNode *root;
  gboolean example;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = rr_xml_doc_parse (bytes, RR_CATALOGUE_MAX_SIZE, catalogue_what (), error);
  if (doc == NULL || !rr_xml_doc_validate (doc, RR_XML_SCHEMA_CATALOGUE, error))
    return NULL;

  root = xmlDocGetRootElement (_rr_xml_doc_get_xml (doc));
  g_assert (root != NULL && is_catalogue_element (root, "catalogue"));
  example = boolean_attribute (root, "example", FALSE);

  rules = g_ptr_array_new_with_free_func (free_rule);
  for (xmlNode *node = root->children; node != NULL; node = node->next)
    {
      g_autoptr(RrRule) rule = NULL;

      if (!is_catalogue_element (node, "rule"))
        continue;
      rule = rule_from_element (node, example);
      /* The schema cannot compare dates or count characters the way the
       * store does; refuse here what the store would refuse later. */
      if (!validate_rule (rule, error))
        return NULL;
      g_ptr_array_add (rules, g_steal_pointer (&rule));
    }

  return g_steal_pointer (&rules);
}

gboolean
_rr_catalogue_load_in_transaction (RrStore     *store,
                                   const char  *actor,
                                   GBytes      *bytes,
                                   guint       *n_added,
                                   GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_assert (_rr_store_in_transaction (store));

  if (n_added != NULL)
    *n_added = 0;
  if (bytes == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The rule catalogue is missing from this program. Please reinstall it."));
      return FALSE;
    }

  rules = rr_catalogue_parse (bytes, error);
  if (rules == NULL)
    return FALSE;
  return load_rules (store, actor, rules, n_added, error);
}

GBytes *
rr_catalogue_starter (void)
{
  _rr_xml_init ();
  return g_resources_lookup_data (STARTER_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

gboolean
rr_catalogue_import_bytes (RrStore     *store,
                           const char  *actor,
                           GBytes      *bytes,
                           guint       *n_added,
                           GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  guint added = 0;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_added != NULL)
    *n_added = 0;

  user = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return FALSE;

  /* Parse before taking the write lock: nobody waits on a slow file. */
  rules = rr_catalogue_parse (bytes, error);
  if (rules == NULL)
    return FALSE;

  if (!_rr_store_begin (store, error))
    return FALSE;
  if (!load_rules (store, actor, rules, &added, error)
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      return FALSE;
    }

  if (n_added != NULL)
    *n_added = added;
  if (added > 0)
    rr_store_emit_changed (store, RR_CHANGED_RULES);
  return TRUE;
}

gboolean
rr_catalogue_import_file (RrStore     *store,
                          const char  *actor,
                          const char  *path,
                          guint       *n_added,
                          GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_added != NULL)
    *n_added = 0;

  bytes = rr_xml_read_file (path, RR_CATALOGUE_MAX_SIZE, catalogue_what (), error);
  if (bytes == NULL)
    return FALSE;
  return rr_catalogue_import_bytes (store, actor, bytes, n_added, error);
}

/* Writes through libxml2 with a sticky error: one check at the end. */
typedef struct
{
  xmlTextWriter *writer;
  gboolean       ok;
} Writer;

static void
writer_check (Writer *w,
              int     rc)
{
  if (rc < 0)
    w->ok = FALSE;
}

static void
write_start (Writer     *w,
             const char *name)
{
  if (w->ok)
    writer_check (w, xmlTextWriterStartElement (w->writer, BAD_CAST name));
}

static void
write_end (Writer *w)
{
  if (w->ok)
    writer_check (w, xmlTextWriterEndElement (w->writer));
}

static void
write_attribute (Writer     *w,
                 const char *name,
                 const char *value)
{
  if (w->ok)
    writer_check (w, xmlTextWriterWriteAttribute (w->writer, BAD_CAST name, BAD_CAST value));
}

static void
write_element (Writer     *w,
               const char *name,
               const char *value)
{
  if (w->ok && value != NULL)
    writer_check (w, xmlTextWriterWriteElement (w->writer, BAD_CAST name, BAD_CAST value));
}

static void
write_rule (Writer       *w,
            const RrRule *rule)
{
  char version[16];

  g_snprintf (version, sizeof version, "%d", rule->version);
  write_start (w, "rule");
  write_attribute (w, "code", rule->code);
  write_attribute (w, "version", version);
  if (rule->example)
    write_attribute (w, "example", "true");
  write_element (w, "title", rule->title);
  write_element (w, "sourceKind", rule->source_kind);
  write_element (w, "reference", rule->reference);
  write_element (w, "article", rule->article);
  write_element (w, "text", rule->text);
  write_element (w, "goal", rule->goal);
  write_element (w, "validFrom", rule->valid_from);
  write_element (w, "validTo", rule->valid_to);
  if (rule->retention_years > 0)
    {
      char years[16];

      g_snprintf (years, sizeof years, "%d", rule->retention_years);
      write_element (w, "retentionYears", years);
    }
  write_end (w);
}

gboolean
rr_catalogue_export_file (RrStore     *store,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(RrXmlOutput) output = NULL;
  g_autofree char *organisation = NULL;
  Writer w = { NULL, TRUE };

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rules = rr_rules_list (store, TRUE, error);
  if (rules == NULL)
    return FALSE;
  organisation = rr_store_get_setting (store, "organisation");

  /* A catalogue holds no personal data: readable by others is fine. */
  output = _rr_xml_output_new (path, 0644, error);
  if (output == NULL)
    return FALSE;
  w.writer = _rr_xml_output_get_writer (output);

  writer_check (&w, xmlTextWriterStartDocument (w.writer, NULL, "UTF-8", NULL));
  write_start (&w, "catalogue");
  write_attribute (&w, "xmlns", CATALOGUE_NS);
  if (organisation != NULL && organisation[0] != '\0' && is_line (organisation))
    write_element (&w, "name", organisation);
  for (guint i = 0; i < rules->len; i++)
    write_rule (&w, g_ptr_array_index (rules, i));
  write_end (&w);
  if (w.ok)
    writer_check (&w, xmlTextWriterEndDocument (w.writer));

  if (!w.ok)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the rule catalogue to “%s”. Check that the disk is not "
                     "full."), display);
      return FALSE;
    }

  return _rr_xml_output_commit (output, RR_XML_SCHEMA_CATALOGUE,
                                _("The exported rule catalogue is not valid"), error);
}

/* Public API */

RrRule *
rr_rule_new (void)
{
  return g_new0 (RrRule, 1);
}

void
rr_rule_free (RrRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->uuid);
  g_free (rule->code);
  g_free (rule->title);
  g_free (rule->source_kind);
  g_free (rule->reference);
  g_free (rule->article);
  g_free (rule->text);
  g_free (rule->goal);
  g_free (rule->valid_from);
  g_free (rule->valid_to);
  g_free (rule);
}

gboolean
rr_rule_source_kind_is_valid (const char *kind)
{
  if (kind == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (source_kinds); i++)
    if (strcmp (kind, source_kinds[i].kind) == 0)
      return TRUE;
  return FALSE;
}

/**
 * rr_rule_source_kind_label:
 * @kind: a source kind code
 *
 * Returns: (transfer none): the translated name of @kind, or @kind itself
 *   when it is not one we know.
 */
const char *
rr_rule_source_kind_label (const char *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (source_kinds); i++)
    if (strcmp (kind, source_kinds[i].kind) == 0)
      return _(source_kinds[i].label);
  return kind;
}

/**
 * rr_rules_list:
 *
 * Returns: (transfer full) (element-type RrRule): the newest version of
 *   every rule, or every version, ordered by code and version.
 */
GPtrArray *
rr_rules_list (RrStore   *store,
               gboolean   all_versions,
               GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (all_versions)
    stmt = _rr_store_prepare (store,
                              "SELECT " RULE_COLUMNS " FROM rules ORDER BY code, version",
                              error);
  else
    stmt = _rr_store_prepare (store,
                              "SELECT " RULE_COLUMNS " FROM rules AS r"
                              " WHERE version = (SELECT max (version) FROM rules WHERE code = r.code)"
                              " ORDER BY code",
                              error);
  if (stmt == NULL)
    return NULL;
  return collect_rules (store, stmt, error);
}

static void
set_unknown_code_error (const char  *code,
                        GError     **error)
{
  g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
               _("There is no rule with code “%s”."), code);
}

/**
 * rr_rules_versions:
 *
 * Returns: (transfer full) (element-type RrRule): every version of @code,
 *   oldest first; RR_ERROR_NOT_FOUND when there is none.
 */
GPtrArray *
rr_rules_versions (RrStore     *store,
                   const char  *code,
                   GError     **error)
{
  g_autoptr(GPtrArray) rules = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules WHERE code = ? ORDER BY version",
                            error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, code);
  rules = collect_rules (store, stmt, error);
  if (rules == NULL)
    return NULL;
  if (rules->len == 0)
    {
      set_unknown_code_error (code, error);
      return NULL;
    }
  return g_steal_pointer (&rules);
}

/**
 * rr_rules_in_force:
 *
 * Returns: (transfer full): the version of @code in force on @date.
 */
RrRule *
rr_rules_in_force (RrStore     *store,
                   const char  *code,
                   const char  *date,
                   GError     **error)
{
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GString) periods = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  RrRule *rule;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!rr_date_is_valid (date))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date; write it as YYYY-MM-DD."), date != NULL ? date : "");
      return NULL;
    }

  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules WHERE code = ?1"
                            " AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2)"
                            " ORDER BY version DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, code);
  _rr_bind_text (stmt, 2, date);
  rule = fetch_one (store, stmt, &local_error);
  if (rule != NULL)
    return rule;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Say why: an unknown code, or the periods that do exist. */
  versions = rr_rules_versions (store, code, error);
  if (versions == NULL)
    return NULL;

  periods = g_string_new (NULL);
  for (guint i = 0; i < versions->len; i++)
    {
      const RrRule *v = g_ptr_array_index (versions, i);

      if (i > 0)
        g_string_append (periods, "; ");
      if (v->valid_to != NULL)
        g_string_append_printf (periods, _("version %d from %s to %s"),
                                v->version, v->valid_from, v->valid_to);
      else
        g_string_append_printf (periods, _("version %d from %s"), v->version, v->valid_from);
    }
  g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
               _("Rule “%s” was not in force on %s. It applies in these periods: %s."),
               code, date, periods->str);
  return NULL;
}

static char *
escape_like (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * rr_rules_search:
 * @text: (nullable): what was typed; NULL or empty matches every rule
 * @date: (nullable): YYYY-MM-DD; NULL for today
 * @limit: the most results; 0 for no limit
 *
 * Type-ahead on code or title (case-insensitive) among rules in force on
 * @date. Codes starting with @text come first.
 *
 * Returns: (transfer full) (element-type RrRule):
 */
GPtrArray *
rr_rules_search (RrStore     *store,
                 const char  *text,
                 const char  *date,
                 guint        limit,
                 GError     **error)
{
  g_autofree char *today = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *contains = NULL;
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (date == NULL)
    date = today = rr_date_today ();
  if (!rr_date_is_valid (date))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date; write it as YYYY-MM-DD."), date);
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  escaped = escape_like (trimmed);
  contains = g_strdup_printf ("%%%s%%", escaped);
  prefix = g_strdup_printf ("%s%%", escaped);

  /* LIKE is case-insensitive for ASCII, which codes are; titles with
   * accented capitals are rare enough for type-ahead. */
  stmt = _rr_store_prepare (store,
                            "SELECT " RULE_COLUMNS " FROM rules"
                            " WHERE valid_from <= ?1 AND (valid_to IS NULL OR valid_to >= ?1)"
                            " AND (code LIKE ?2 ESCAPE '\\' OR title LIKE ?2 ESCAPE '\\')"
                            " ORDER BY (code LIKE ?3 ESCAPE '\\') DESC, code"
                            " LIMIT ?4",
                            error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, date);
  _rr_bind_text (stmt, 2, contains);
  _rr_bind_text (stmt, 3, prefix);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  return collect_rules (store, stmt, error);
}

/**
 * rr_rules_add:
 *
 * Adds a rule or a new version of it, as beheerder. @rule->version 0 asks
 * for the next version. On success @rule's id, uuid and version are those
 * stored, and its text fields are trimmed.
 */
gboolean
rr_rules_add (RrStore     *store,
              const char  *actor,
              RrRule      *rule,
              GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  int asked_version;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  user = rr_users_require (store, actor, RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return FALSE;

  asked_version = rule->version;
  if (!_rr_store_begin (store, error))
    return FALSE;
  if (!_rr_rules_insert (store, actor, rule, error)
      || !_rr_store_commit (store, error))
    {
      _rr_store_rollback (store);
      /* Nothing was stored: leave no identity behind that suggests so. */
      rule->version = asked_version;
      rule->id = 0;
      g_clear_pointer (&rule->uuid, g_free);
      return FALSE;
    }

  rr_store_emit_changed (store, RR_CHANGED_RULES);
  return TRUE;
}
