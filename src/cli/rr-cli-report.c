/* SPDX-License-Identifier: GPL-3.0-or-later */
/* regelruimte-cli report: the reports of DESIGN §9 as CSV, HTML or PDF. */

#define G_LOG_DOMAIN "rr-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rr-cli-report.h"
#include "rr-core.h"

#define PROGRAM_NAME "regelruimte-cli"

enum {
  EXIT_OK      = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE   = 2,
};

static int
usage_error (const RrCliReportContext *ctx,
             const char               *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  g_printerr (_("Try “%s %s --help” for more information.\n"), PROGRAM_NAME, ctx->command);
  return EXIT_USAGE;
}

static int
refuse (const char *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return EXIT_REFUSED;
}

static int
list_reports (void)
{
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);

  for (guint i = 0; i < n; i++)
    printf ("%-24s %s — %s\n", infos[i].name, _(infos[i].title), _(infos[i].description));
  return EXIT_OK;
}

static gboolean
parse_separator (const char *text,
                 char       *out)
{
  if (text == NULL || g_str_equal (text, ";") || g_str_equal (text, "semicolon"))
    *out = ';';
  else if (g_str_equal (text, ",") || g_str_equal (text, "comma"))
    *out = ',';
  else if (g_str_equal (text, "tab") || g_str_equal (text, "\t") || g_str_equal (text, "\\t"))
    *out = '\t';
  else
    return FALSE;
  return TRUE;
}

/* The format from --format, or else from the output file's extension. */
static const char *
choose_format (const char *format,
               const char *output)
{
  if (format != NULL)
    return format;
  if (output != NULL)
    {
      if (g_str_has_suffix (output, ".pdf"))
        return "pdf";
      if (g_str_has_suffix (output, ".html") || g_str_has_suffix (output, ".htm"))
        return "html";
      if (g_str_has_suffix (output, ".csv"))
        return "csv";
    }
  return "csv";
}

static gboolean
write_text (const char  *output,
            const char  *text,
            GError     **error)
{
  if (output == NULL || g_str_equal (output, "-"))
    {
      fputs (text, stdout);
      return TRUE;
    }
  return g_file_set_contents_full (output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                   error);
}

int
rr_cli_report_run (const RrCliReportContext *ctx,
                   int                       argc,
                   char                    **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *team = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *separator_text = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *prgname = NULL;
  g_autofree char *description = NULL;
  gboolean list = FALSE;
  const GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the reports"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("First day of the period (default: a year before --to)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day of the period (default: today)"),
      N_("DATE") },
    { "team", 't', 0, G_OPTION_ARG_STRING, &team,
      N_("The team (default: your own; an auditor: all teams)"), N_("TEAM") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      N_("csv, html or pdf (default: from the file name, else csv)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (default: standard output; required for pdf)"), N_("FILE") },
    { "separator", 's', 0, G_OPTION_ARG_STRING, &separator_text,
      N_("The CSV separator: ';' (default), ',' or tab"), N_("SEP") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("Use the database at PATH"), N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(RrReport) report = NULL;
  g_auto(GStrv) strv = g_new0 (char *, argc + 1);
  g_autoptr(GString) names = g_string_new (NULL);
  const char *format;
  const char *path;
  char separator;
  guint n_reports;
  const RrReportInfo *infos = rr_report_list (&n_reports);

  for (int i = 0; i < argc; i++)
    strv[i] = g_strdup (argv[i]);

  prgname = g_strdup_printf ("%s %s", PROGRAM_NAME, ctx->command);
  g_set_prgname (prgname);
  for (guint i = 0; i < n_reports; i++)
    g_string_append_printf (names, "  %-24s %s\n", infos[i].name, _(infos[i].title));
  description = g_strdup_printf (_("Reports:\n%s\nA klantmanager sees their own figures beside "
                                   "the team’s; a teamleider the team; an auditor every team."),
                                 names->str);

  context = g_option_context_new (_("NAME"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Make a report of a period as CSV, HTML or PDF."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &strv, &error))
    return usage_error (ctx, error->message);

  if (list)
    {
      if (g_strv_length (strv) > 1)
        return usage_error (ctx, _("--list takes no report name."));
      return list_reports ();
    }
  if (g_strv_length (strv) < 2)
    return usage_error (ctx, _("Name the report, or ask for --list."));
  if (g_strv_length (strv) > 2)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”."), strv[2]);
      return usage_error (ctx, message);
    }
  if (rr_report_lookup (strv[1]) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no report called “%s”. "
                                                    "“regelruimte-cli report --list” lists "
                                                    "the reports."), strv[1]);
      return usage_error (ctx, message);
    }

  format = choose_format (format_text, output);
  if (!g_str_equal (format, "csv") && !g_str_equal (format, "html") && !g_str_equal (format, "pdf"))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a report format. The formats "
                                                    "are csv, html and pdf."), format);
      return usage_error (ctx, message);
    }
  if (!parse_separator (separator_text, &separator))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a separator. Use ';', ',' "
                                                    "or tab."), separator_text);
      return usage_error (ctx, message);
    }
  if (g_str_equal (format, "pdf") && (output == NULL || g_str_equal (output, "-")))
    return usage_error (ctx, _("A PDF report needs --output FILE."));

  path = database != NULL ? database : ctx->global_database;
  if (path == NULL)
    path = default_path = rr_store_default_path ();

  store = rr_store_open (path, RR_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return refuse (error->message);
  if (!rr_store_is_initialised (store))
    {
      g_autofree char *message = g_strdup_printf (_("The database “%s” has not been set up yet. "
                                                    "Set it up with “regelruimte-cli init "
                                                    "--organisation NAME”."), path);
      return refuse (message);
    }

  report = rr_report_run (store, ctx->actor, strv[1], from, to, team, NULL, &error);
  if (report == NULL)
    return refuse (error->message);

  if (g_str_equal (format, "pdf"))
    {
      if (!rr_report_write_pdf (report, output, &error))
        return refuse (error->message);
    }
  else
    {
      g_autofree char *text = g_str_equal (format, "csv") ? rr_report_to_csv (report, separator)
                                                          : rr_report_to_html (report);

      if (!write_text (output, text, &error))
        return refuse (error->message);
    }
  return EXIT_OK;
}
