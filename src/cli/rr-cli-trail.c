/* SPDX-License-Identifier: GPL-3.0-or-later */
/* regelruimte-cli: the auditor's and archivist's commands — export-trail,
 * verify-trail, export-mdto, retention list and retention destroy. The
 * exit statuses are main.c's: 0 success, 1 refused or not verified,
 * 2 usage error. */

#define G_LOG_DOMAIN "rr-cli"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "rr-core.h"
#include "rr-cli-trail.h"

#define PROGRAM_NAME "regelruimte-cli"

enum {
  EXIT_OK      = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE   = 2,
};

typedef struct {
  const RrCliTrailContext *ctx;
  char                    *database;   /* --database after the command */
} Run;

static int
fail_with_error (const GError *error)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
  return EXIT_REFUSED;
}

G_GNUC_PRINTF (2, 3)
static int
usage_error (Run        *run,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  g_printerr (_("Try “%s %s --help” for more information.\n"), PROGRAM_NAME, run->ctx->command);
  return EXIT_USAGE;
}

static GOptionContext *
new_context (Run                *run,
             const GOptionEntry *entries,
             const char         *parameters,
             const char         *summary,
             const char         *description)
{
  GOptionContext *context;
  const GOptionEntry common[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &run->database,
      N_("Use the database at PATH"), N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *prgname = g_strdup_printf ("%s %s", PROGRAM_NAME, run->ctx->command);

  g_set_prgname (prgname);
  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  return context;
}

/* Returns -1 when parsed, else the exit status. */
static int
parse (Run             *run,
       GOptionContext  *context,
       int              argc,
       char           **argv,
       GStrv           *args,
       guint            n_args)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) strv = g_new0 (char *, argc + 1);
  guint n;

  for (int i = 0; i < argc; i++)
    strv[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &strv, &error))
    return usage_error (run, "%s", error->message);
  n = g_strv_length (strv) - 1;
  if (n < n_args)
    return usage_error (run, _("Too few arguments."));
  if (n > n_args)
    return usage_error (run, _("Unexpected argument “%s”."), strv[1 + n_args]);
  *args = g_steal_pointer (&strv);
  return -1;
}

static RrStore *
open_store (Run      *run,
            gboolean  read_only,
            GError  **error)
{
  g_autofree char *fallback = NULL;
  const char *path = run->database != NULL ? run->database : run->ctx->global_database;
  g_autoptr(RrStore) store = NULL;

  if (path == NULL)
    path = fallback = rr_store_default_path ();
  store = rr_store_open (path, read_only ? RR_STORE_OPEN_READ_ONLY : RR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return NULL;
  if (!rr_store_is_initialised (store))
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_INITIALISED,
                   _("The database “%s” has not been set up yet. Set it up with "
                     "“regelruimte-cli init --organisation NAME”."), path);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static int
check_dates (Run        *run,
             const char *from,
             const char *to)
{
  const char *bad = from != NULL && !rr_date_is_valid (from) ? from
                    : to != NULL && !rr_date_is_valid (to) ? to : NULL;

  if (bad != NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not a date. Write dates as YYYY-MM-DD, for example 2026-03-31."),
                         bad);

      g_printerr ("%s: %s\n", PROGRAM_NAME, message);
      return EXIT_REFUSED;
    }
  return EXIT_OK;
}

/* -------------------------------------------------------- export-trail */

static int
cmd_export_trail (Run   *run,
                  int    argc,
                  char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean personal = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'O', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the trail to FILE"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day of the period"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day of the period"), N_("DATE") },
    { "with-personal-data", 0, 0, G_OPTION_ARG_NONE, &personal,
      N_("Include client names, dossier numbers and BSNs (auditor only)"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) head = NULL;
  RrTrailOptions options = { 0 };
  int status;

  context = new_context (run, entries, "", N_("Export the auditor’s trail of a period."),
                         N_("Writes actors, rules, clients, and every event of the period with "
                            "its hashes, content and the decision, review or outcome it records, "
                            "ending with the trail’s checkpoint. Clients are pseudonymised unless "
                            "--with-personal-data is given. The file is created with mode 0600; "
                            "the export is recorded in the ledger."));
  if ((status = parse (run, context, argc, argv, &args, 0)) >= 0)
    return status;
  if (output == NULL)
    return usage_error (run, _("The option %s is required."), "--output");
  if ((status = check_dates (run, from, to)) != EXIT_OK)
    return status;

  store = open_store (run, FALSE, &error);
  if (store == NULL)
    return fail_with_error (error);

  options.from = from;
  options.to = to;
  options.with_personal_data = personal;
  if (!rr_trail_export (store, run->ctx->actor, &options, output, NULL, NULL, NULL, &error))
    return fail_with_error (error);

  printf (_("Trail written to “%s”.\n"), output);
  return EXIT_OK;
}

/* -------------------------------------------------------- verify-trail */

static int
cmd_verify_trail (Run   *run,
                  int    argc,
                  char **argv)
{
  g_autofree char *checkpoint_text = NULL;
  const GOptionEntry entries[] = {
    { "checkpoint", 'k', 0, G_OPTION_ARG_STRING, &checkpoint_text,
      N_("Also prove that the trail extends this kept checkpoint unchanged"), N_("SEQ:HASH") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) kept = NULL;
  RrVerifyResult result;
  gboolean ok;
  int status;

  context = new_context (run, entries, N_("FILE"), N_("Verify an exported trail on its own."),
                         N_("Checks the schema, the hash chain from the trail’s first event, "
                            "every content present against its hash and every decision, review "
                            "and outcome against its event. Needs no database. The last line is "
                            "the trail’s checkpoint. Exit status 0 only when everything holds."));
  if ((status = parse (run, context, argc, argv, &args, 1)) >= 0)
    return status;

  if (checkpoint_text != NULL)
    {
      kept = rr_checkpoint_parse (checkpoint_text, &error);
      if (kept == NULL)
        return fail_with_error (error);
    }

  if (!rr_trail_verify_file (args[1], kept, &result, NULL, &error))
    return fail_with_error (error);

  if (result.ok)
    {
      g_autofree char *n = g_strdup_printf ("%" PRId64, result.n_events);

      printf (ngettext ("ok: %s event, the trail holds.\n",
                        "ok: %s events, the trail holds.\n",
                        (gulong) MIN (result.n_events, (gint64) G_MAXLONG)), n);
    }
  else
    {
      g_autofree char *seq = g_strdup_printf ("%" PRId64, result.first_bad_seq);

      printf (_("Verification failed at event %s: %s\n"), seq,
              result.problem != NULL ? result.problem : "");
    }
  if (result.head != NULL)
    {
      g_autofree char *head = rr_checkpoint_format (result.head);

      printf ("%s\n", head);
    }
  ok = result.ok;
  rr_verify_result_clear (&result);
  return ok ? EXIT_OK : EXIT_REFUSED;
}

/* --------------------------------------------------------- export-mdto */

static int
cmd_export_mdto (Run   *run,
                 int    argc,
                 char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "output", 'O', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (one decision) or into the folder DIR"), N_("FILE|DIR") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First decision date"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last decision date"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  int status;

  context = new_context (run, entries, "", N_("Export decisions as MDTO archival metadata."),
                         N_("Writes each decision as an MDTO informatieobject (Nationaal "
                            "Archief), with its identification, retention, restrictions on use "
                            "and events. Given a folder, one file per decision is written."));
  if ((status = parse (run, context, argc, argv, &args, 0)) >= 0)
    return status;
  if (output == NULL)
    return usage_error (run, _("The option %s is required."), "--output");
  if ((status = check_dates (run, from, to)) != EXIT_OK)
    return status;

  store = open_store (run, TRUE, &error);
  if (store == NULL)
    return fail_with_error (error);
  if (!rr_mdto_export (store, run->ctx->actor, from, to, output, &n, &error))
    return fail_with_error (error);

  printf (ngettext ("%u decision written to “%s”.\n", "%u decisions written to “%s”.\n", n),
          n, output);
  return EXIT_OK;
}

/* ----------------------------------------------------------- retention */

static int
cmd_retention (Run      *run,
               int       argc,
               char    **argv,
               gboolean  destroy)
{
  g_autofree char *until = NULL;
  const GOptionEntry entries[] = {
    { "until", 'u', 0, G_OPTION_ARG_STRING, &until,
      N_("Retention periods ending before DATE (default: today)"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = destroy
            ? new_context (run, entries, "", N_("Destroy decisions past their retention period."),
                           N_("Removes the content of every decision version whose retention "
                              "period has ended, with its reviews and outcomes. Identity and "
                              "hashes stay, so the ledger still verifies; every destruction "
                              "is recorded in it. Beheerder only."))
            : new_context (run, entries, "", N_("List decisions past their retention period."),
                           NULL);
  if ((status = parse (run, context, argc, argv, &args, 0)) >= 0)
    return status;
  if ((status = check_dates (run, until, NULL)) != EXIT_OK)
    return status;

  store = open_store (run, !destroy, &error);
  if (store == NULL)
    return fail_with_error (error);

  if (destroy)
    {
      guint n = 0;

      if (!rr_decisions_destroy_expired (store, run->ctx->actor, until, &n, &error))
        return fail_with_error (error);
      printf (ngettext ("%u decision version destroyed.\n",
                        "%u decision versions destroyed.\n", n), n);
    }
  else
    {
      g_autoptr(GPtrArray) items = rr_decisions_list_expired (store, run->ctx->actor, until,
                                                              &error);

      if (items == NULL)
        return fail_with_error (error);
      for (guint i = 0; i < items->len; i++)
        {
          RrExpiredDecision *item = g_ptr_array_index (items, i);

          printf ("%s\t%d\t%s\t%s\n", item->number, item->version, item->decision_date,
                  item->retention_until);
        }
    }
  return EXIT_OK;
}

int
rr_cli_trail_run (const RrCliTrailContext *ctx,
                  int                      argc,
                  char                   **argv)
{
  Run run = { ctx, NULL };
  int status;

  g_return_val_if_fail (ctx != NULL && ctx->command != NULL, EXIT_USAGE);

  if (g_str_equal (ctx->command, "export-trail"))
    status = cmd_export_trail (&run, argc, argv);
  else if (g_str_equal (ctx->command, "verify-trail"))
    status = cmd_verify_trail (&run, argc, argv);
  else if (g_str_equal (ctx->command, "export-mdto"))
    status = cmd_export_mdto (&run, argc, argv);
  else if (g_str_equal (ctx->command, "retention list"))
    status = cmd_retention (&run, argc, argv, FALSE);
  else if (g_str_equal (ctx->command, "retention destroy"))
    status = cmd_retention (&run, argc, argv, TRUE);
  else
    status = EXIT_USAGE;

  g_free (run.database);
  return status;
}
