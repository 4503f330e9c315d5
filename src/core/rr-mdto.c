/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-mdto"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-error.h"
#include "rr-trail.h"
#include "rr-users.h"
#include "rr-store-private.h"
#include "rr-xml-private.h"

/* MDTO (Metagegevens voor duurzaam toegankelijke overheidsinformatie,
 * Nationaal Archief), XML schema 1.0.1 and 1.0.2: one document per
 * decision, holding one informatieobject. The labels are Dutch on purpose:
 * MDTO is a Dutch standard and its readers are Dutch archivists, whatever
 * language the program runs in. The element order follows the schema's
 * sequence exactly. */

#define SOURCE "Regelruimte"
#define LIST_EVENTS "Regelruimte gebeurtenissen"
#define LIST_WAARDERING "Begrippenlijst Waarderingen MDTO"
#define LIST_BEPERKING "Begrippenlijst BeperkingGebruik Regelruimte"
#define LIST_RELATIE "Regelruimte relaties"
#define LIST_TRIGGER "Regelruimte termijnen"

typedef struct
{
  xmlTextWriter *w;
  gboolean       failed;
} Writer;

static void
start (Writer     *w,
       const char *name)
{
  if (xmlTextWriterStartElement (w->w, BAD_CAST name) < 0)
    w->failed = TRUE;
}

static void
end (Writer *w)
{
  if (xmlTextWriterEndElement (w->w) < 0)
    w->failed = TRUE;
}

static void
element (Writer     *w,
         const char *name,
         const char *text)
{
  if (text != NULL && xmlTextWriterWriteElement (w->w, BAD_CAST name, BAD_CAST text) < 0)
    w->failed = TRUE;
}

static void
identificatie (Writer     *w,
               const char *name,
               const char *kenmerk,
               const char *bron)
{
  start (w, name);
  element (w, "identificatieKenmerk", kenmerk);
  element (w, "identificatieBron", bron);
  end (w);
}

static void
verwijzing (Writer     *w,
            const char *name,
            const char *naam,
            const char *kenmerk,
            const char *bron)
{
  start (w, name);
  element (w, "verwijzingNaam", naam);
  if (kenmerk != NULL)
    identificatie (w, "verwijzingIdentificatie", kenmerk, bron);
  end (w);
}

static void
begrip (Writer     *w,
        const char *name,
        const char *label,
        const char *code,
        const char *list)
{
  start (w, name);
  element (w, "begripLabel", label);
  element (w, "begripCode", code);
  verwijzing (w, "begripBegrippenlijst", list, NULL, NULL);
  end (w);
}

static const char *
event_label (const char *action)
{
  if (g_str_equal (action, "decision.recorded"))
    return "Vastlegging";
  if (g_str_equal (action, "decision.superseded"))
    return "Vervanging door nieuwe versie";
  if (g_str_equal (action, "decision.withdrawn"))
    return "Intrekking";
  if (g_str_equal (action, "review.advice"))
    return "Advies (ruggespraak)";
  if (g_str_equal (action, "review.verdict"))
    return "Toetsing door teamleider";
  if (g_str_equal (action, "outcome.recorded"))
    return "Vastlegging uitkomst";
  if (g_str_has_suffix (action, ".destroyed"))
    return "Vernietiging";
  return "Wijziging";
}

static gboolean
write_events (RrStore     *store,
              Writer      *w,
              const char  *number,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (_rr_store_get_db (store),
                           "SELECT e.at, e.actor, e.action, u.display_name, e.seq FROM events e"
                           " LEFT JOIN users u ON u.login = e.actor"
                           " WHERE e.entity_uuid IN (SELECT uuid FROM decisions WHERE number = ?1"
                           "   UNION ALL SELECT r.uuid FROM reviews r JOIN decisions d"
                           "   ON d.id = r.decision_id WHERE d.number = ?1"
                           "   UNION ALL SELECT uuid FROM outcomes WHERE number = ?1)"
                           " ORDER BY e.seq", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return FALSE;
    }
  _rr_bind_text (stmt, 1, number);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *at = (const char *) sqlite3_column_text (stmt, 0);
      const char *actor = (const char *) sqlite3_column_text (stmt, 1);
      const char *action = (const char *) sqlite3_column_text (stmt, 2);
      const char *name = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *result = g_strdup_printf ("Vastgelegd in het grootboek van Regelruimte "
                                                 "als gebeurtenis %lld (%s).",
                                                 (long long) sqlite3_column_int64 (stmt, 4),
                                                 action);

      start (w, "event");
      begrip (w, "eventType", event_label (action), action, LIST_EVENTS);
      element (w, "eventTijd", at);
      verwijzing (w, "eventVerantwoordelijkeActor", name != NULL ? name : actor, actor, SOURCE);
      element (w, "eventResultaat", result);
      end (w);
    }
  if (rc != SQLITE_DONE)
    {
      _rr_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

#define DECISION_COLUMNS \
  "d.id, d.uuid, d.number, d.version, d.summary, d.decision_date, d.retention_until," \
  " d.outcome, d.status, d.destroyed_at, r.code, r.version, r.title, r.reference, r.article," \
  " r.retention_years, p.uuid"

static gboolean
write_document (RrStore       *store,
                sqlite3_stmt  *d,
                const char    *organisation,
                int            default_years,
                const char    *path,
                GError       **error)
{
  g_autoptr(RrXmlOutput) output = NULL;
  Writer w = { 0 };
  const char *uuid = (const char *) sqlite3_column_text (d, 1);
  const char *number = (const char *) sqlite3_column_text (d, 2);
  const char *summary = (const char *) sqlite3_column_text (d, 4);
  const char *decision_date = (const char *) sqlite3_column_text (d, 5);
  const char *retention_until = (const char *) sqlite3_column_text (d, 6);
  const char *outcome = (const char *) sqlite3_column_text (d, 7);
  gboolean destroyed = sqlite3_column_type (d, 9) != SQLITE_NULL;
  const char *rule_code = (const char *) sqlite3_column_text (d, 10);
  const char *rule_title = (const char *) sqlite3_column_text (d, 12);
  const char *rule_reference = (const char *) sqlite3_column_text (d, 13);
  int rule_years = sqlite3_column_int (d, 15);
  const char *previous = (const char *) sqlite3_column_text (d, 16);
  g_autofree char *bron = g_strdup_printf ("%s — %s", SOURCE, organisation);
  g_autofree char *naam = NULL;
  g_autofree char *rule_kenmerk = g_strdup_printf ("%s v%d", rule_code,
                                                   sqlite3_column_int (d, 11));
  g_autofree char *looptijd = g_strdup_printf ("P%dY", rule_years > 0 ? rule_years
                                                                       : default_years);
  gboolean applied = g_strcmp0 (outcome, "applied") == 0;

  if (destroyed || summary == NULL || *summary == '\0')
    naam = g_strdup_printf ("Beslissing %s (inhoud vernietigd na de bewaartermijn)", number);
  else
    naam = g_strdup_printf ("%s: %s", number, summary);

  output = _rr_xml_output_new (path, 0600, error);
  if (output == NULL)
    return FALSE;
  w.w = _rr_xml_output_get_writer (output);

  if (xmlTextWriterStartDocument (w.w, "1.0", "UTF-8", NULL) < 0)
    w.failed = TRUE;
  start (&w, "MDTO");
  if (xmlTextWriterWriteAttribute (w.w, BAD_CAST "xmlns", BAD_CAST RR_MDTO_NAMESPACE) < 0)
    w.failed = TRUE;
  start (&w, "informatieobject");
  identificatie (&w, "identificatie", number, bron);
  identificatie (&w, "identificatie", uuid, "Regelruimte (UUID van de geldende versie)");
  element (&w, "naam", naam);
  begrip (&w, "aggregatieniveau", "Archiefstuk", NULL, "Begrippenlijst Aggregatieniveaus MDTO");
  element (&w, "taal", "nl");

  if (!write_events (store, &w, number, error))
    return FALSE;

  begrip (&w, "waardering", "Vernietigen", "V", LIST_WAARDERING);
  start (&w, "bewaartermijn");
  begrip (&w, "termijnTriggerStartLooptijd", "Datum van de beslissing", "decision_date",
          LIST_TRIGGER);
  element (&w, "termijnStartdatumLooptijd", decision_date);
  element (&w, "termijnLooptijd", looptijd);
  element (&w, "termijnEinddatum", retention_until);
  end (&w);

  start (&w, "gerelateerdInformatieobject");
  verwijzing (&w, "gerelateerdInformatieobjectVerwijzing",
              rule_title != NULL ? rule_title : rule_code, rule_kenmerk,
              rule_reference != NULL ? rule_reference : "Regelruimte regelcatalogus");
  begrip (&w, "gerelateerdInformatieobjectTypeRelatie",
          applied ? "Toegepaste regel (pas toe)" : "Regel waarvan is afgeweken (leg uit)",
          applied ? "applied" : "deviated", LIST_RELATIE);
  end (&w);
  if (previous != NULL)
    {
      start (&w, "gerelateerdInformatieobject");
      verwijzing (&w, "gerelateerdInformatieobjectVerwijzing", "Vorige versie van de beslissing",
                  previous, "Regelruimte (UUID van de versie)");
      begrip (&w, "gerelateerdInformatieobjectTypeRelatie", "Vervangt", "supersedes",
              LIST_RELATIE);
      end (&w);
    }

  verwijzing (&w, "archiefvormer", organisation, NULL, NULL);

  start (&w, "beperkingGebruik");
  begrip (&w, "beperkingGebruikType", "Niet openbaar: persoonsgegevens", "privacy",
          LIST_BEPERKING);
  element (&w, "beperkingGebruikNadereBeschrijving",
           "Bevat persoonsgegevens van een cliënt in het sociaal domein (Participatiewet). "
           "Verwerking alleen volgens de AVG (art. 5 en 6; bijzondere persoonsgegevens art. 9). "
           "Openbaarmaking blijft achterwege ter eerbiediging van de persoonlijke levenssfeer "
           "(Wet open overheid, art. 5.1 lid 2 onder e).");
  verwijzing (&w, "beperkingGebruikDocumentatie", "Algemene verordening gegevensbescherming",
              "CELEX:32016R0679", "EUR-Lex");
  verwijzing (&w, "beperkingGebruikDocumentatie", "Wet open overheid, artikel 5.1",
              "jci1.3:c:BWBR0045754&artikel=5.1", "wetten.overheid.nl");
  end (&w);

  end (&w);
  end (&w);
  if (xmlTextWriterEndDocument (w.w) < 0)
    w.failed = TRUE;

  if (w.failed)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The MDTO export could not be written to “%s”. Check that the disk has "
                     "room."), path);
      return FALSE;
    }
  return _rr_xml_output_commit (output, NULL, _("The MDTO export is not valid"), error);
}

gboolean
rr_mdto_export (RrStore     *store,
                const char  *actor,
                const char  *from,
                const char  *to,
                const char  *output,
                guint       *n_written,
                GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *organisation = NULL;
  gboolean to_dir;
  guint n = 0;
  int default_years;
  int rc;
  gboolean ok = TRUE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  if (n_written != NULL)
    *n_written = 0;
  if ((from != NULL && !rr_date_is_valid (from)) || (to != NULL && !rr_date_is_valid (to)))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date. Write dates as YYYY-MM-DD."),
                   from != NULL && !rr_date_is_valid (from) ? from : to);
      return FALSE;
    }
  user = rr_users_require (store, actor, RR_ROLE_AUDITOR | RR_ROLE_BEHEERDER, error);
  if (user == NULL)
    return FALSE;

  organisation = rr_store_get_setting (store, "organisation");
  if (organisation == NULL || *organisation == '\0')
    {
      g_free (organisation);
      organisation = g_strdup (SOURCE);
    }
  default_years = rr_store_get_setting_int (store, "retention_years", 10);
  to_dir = g_file_test (output, G_FILE_TEST_IS_DIR);

  if (!_rr_store_exec (store, "BEGIN", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store),
                           "SELECT " DECISION_COLUMNS " FROM decisions d"
                           " JOIN rules r ON r.id = d.rule_id"
                           " LEFT JOIN decisions p ON p.id = d.supersedes_id"
                           " WHERE d.version = (SELECT max (x.version) FROM decisions x"
                           "   WHERE x.number = d.number)"
                           " AND (?1 IS NULL OR d.decision_date >= ?1)"
                           " AND (?2 IS NULL OR d.decision_date <= ?2)"
                           " ORDER BY d.number", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      _rr_store_rollback (store);
      return FALSE;
    }
  _rr_bind_text (stmt, 1, from);
  _rr_bind_text (stmt, 2, to);

  /* A file takes one document: find out before writing anything. */
  if (!to_dir)
    {
      guint rows = 0;

      while (rows < 2 && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        rows++;
      sqlite3_reset (stmt);
      if (rows > 1)
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("More than one decision falls in the period, and an MDTO document "
                         "holds one. Give a folder as the output, or a shorter period."));
          _rr_store_rollback (store);
          return FALSE;
        }
    }

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *name = g_strconcat (number, ".mdto.xml", NULL);
      g_autofree char *path = to_dir ? g_build_filename (output, name, NULL) : g_strdup (output);

      ok = write_document (store, stmt, organisation, default_years, path, error);
      if (ok)
        n++;
    }
  if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rr_store_set_error (store, rc, error);
      ok = FALSE;
    }
  _rr_store_rollback (store);
  if (ok && n == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("No decision falls in the period; nothing was written."));
      ok = FALSE;
    }
  if (n_written != NULL)
    *n_written = n;
  return ok;
}
