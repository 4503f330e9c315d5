/* SPDX-License-Identifier: GPL-3.0-or-later */
/* regelruimte-cli: the command-line front end to the Regelruimte core.
 *
 * One subcommand per core command. Each subcommand parses its own options
 * with a GOptionContext, opens the store (read-only when it only reads),
 * calls the core with the operating-system login as the acting user and
 * prints the result. Exit status: 0 success, 1 refused or invalid input,
 * 2 usage error. The core never prints; this file decides how an error
 * reaches a person: one sentence on stderr, prefixed by the program name.
 */

#define G_LOG_DOMAIN "rr-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "rr-core.h"
#include "rr-cli-report.h"
#include "rr-cli-trail.h"

#define PROGRAM_NAME "regelruimte-cli"

enum {
  EXIT_OK      = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE   = 2,
};

/* Rows fetched per call when paging through the log. */
#define LOG_PAGE_SIZE 500

/* The team of the first user when init is not told one. */
#define DEFAULT_TEAM "Team 1"

typedef struct {
  const char *global_database;   /* --database before the subcommand */
  char       *database;          /* --database after it (owned) */
  char       *default_database;  /* rr_store_default_path () (owned) */
  const char *actor;
  const char *command;           /* "user add": for messages and help */
  char       *secret;            /* a BSN from the command line, kept out of messages */
} Cli;

typedef int (*CommandFunc) (Cli   *cli,
                            int    argc,
                            char **argv);

typedef struct {
  const char  *name;       /* "user add" */
  CommandFunc  func;
  const char  *summary;    /* N_() marked */
} Command;

/* ------------------------------------------------------------------ */
/* Helpers: acting user, database path, messages                      */
/* ------------------------------------------------------------------ */

static const char *
resolve_acting_user (void)
{
#ifdef RR_ALLOW_ACTING_USER_OVERRIDE
#if RR_ALLOW_ACTING_USER_OVERRIDE
  /* Test builds only: lets the test suite play several people. A release
   * build has no way to act as someone else. */
  const char *override = g_getenv ("RR_ACTING_USER");

  if (override != NULL && *override != '\0')
    return override;
#endif
#endif
  return g_get_user_name ();
}

static const char *
database_path (Cli *cli)
{
  if (cli->database != NULL)
    return cli->database;
  if (cli->global_database != NULL)
    return cli->global_database;
  if (cli->default_database == NULL)
    cli->default_database = rr_store_default_path ();
  return cli->default_database;
}

/* Replaces every occurrence of the BSN given on the command line by a mask,
 * so that no message can carry it even if a lower layer quoted it. */
static char *
scrub_secret (Cli        *cli,
              const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  if (cli->secret != NULL && *cli->secret != '\0')
    {
      g_autofree char *normalised = rr_bsn_normalise (cli->secret);

      g_string_replace (out, cli->secret, "*********", 0);
      if (normalised != NULL)
        g_string_replace (out, normalised, "*********", 0);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
fail_with_error (Cli          *cli,
                 const GError *error)
{
  g_autofree char *message = scrub_secret (cli, error->message);

  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return EXIT_REFUSED;
}

/* A refusal of the command line's own: one full sentence. */
G_GNUC_PRINTF (2, 3)
static int
fail (Cli        *cli,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *scrubbed = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  scrubbed = scrub_secret (cli, message);
  g_printerr ("%s: %s\n", PROGRAM_NAME, scrubbed);
  return EXIT_REFUSED;
}

G_GNUC_PRINTF (2, 3)
static int
usage_error (Cli        *cli,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  if (cli != NULL && cli->command != NULL)
    g_printerr (_("Try “%s %s --help” for more information.\n"), PROGRAM_NAME, cli->command);
  else
    g_printerr (_("Try “%s --help” for more information.\n"), PROGRAM_NAME);
  return EXIT_USAGE;
}

static int
missing_option (Cli        *cli,
                const char *option)
{
  return usage_error (cli, _("The option %s is required."), option);
}

/* Text for one tab-separated column: never NULL, no tabs or line breaks. */
static char *
column (const char *text)
{
  char *out;

  if (text == NULL)
    return g_strdup ("");
  out = g_strdup (text);
  for (char *p = out; *p != '\0'; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return out;
}

static void
print_csv_field (GString    *line,
                 const char *text)
{
  if (line->len > 0)
    g_string_append_c (line, ',');
  if (text == NULL)
    return;
  /* RFC 4180: quote a field that holds a comma, a quote or a line break,
   * doubling the quotes inside. */
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (line, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else
    g_string_append (line, text);
}

static void
print_field (const char *label,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  printf ("  %s: %s\n", label, value);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static char *
mask_bsn (const char *bsn)
{
  gsize len;

  if (bsn == NULL)
    return NULL;
  len = strlen (bsn);
  if (len <= 4)
    return g_strdup ("*********");
  return g_strconcat ("*****", bsn + len - 4, NULL);
}

static char *
format_amount (gint64 cents)
{
  guint64 magnitude = cents < 0 ? (guint64) (-(cents + 1)) + 1 : (guint64) cents;

  /* Euros with a decimal comma, as they are typed on the command line. */
  return g_strdup_printf ("%s€ %" G_GUINT64_FORMAT ",%02u",
                          cents < 0 ? "-" : "",
                          magnitude / 100, (guint) (magnitude % 100));
}

/* "1250", "1250,50", "1250.5", "€ 80" → cents. */
static gboolean
parse_amount (const char *text,
              gint64     *cents)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 euros = 0;
  gint64 fraction = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (g_str_has_prefix (p, "€"))
    p += strlen ("€");
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      if (euros > (G_MAXINT64 / 100 - 9) / 10)
        return FALSE;
      euros = euros * 10 + (*p - '0');
      p++;
    }
  if (*p == ',' || *p == '.')
    {
      int n = 0;

      p++;
      while (g_ascii_isdigit (*p) && n < 2)
        {
          fraction = fraction * 10 + (*p - '0');
          n++;
          p++;
        }
      if (n == 0)
        return FALSE;
      if (n == 1)
        fraction *= 10;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  *cents = (euros * 100 + fraction) * (negative ? -1 : 1);
  return TRUE;
}

static int
check_date (Cli        *cli,
            const char *date)
{
  if (date != NULL && !rr_date_is_valid (date))
    return fail (cli, _("“%s” is not a date. Write dates as YYYY-MM-DD, for example 2026-03-31."),
                 date);
  return EXIT_OK;
}

static const char *
review_state_code (RrReviewState state)
{
  switch (state)
    {
    case RR_REVIEW_STATE_NOT_NEEDED:
      return "not-needed";
    case RR_REVIEW_STATE_FOR_INFORMATION:
      return "for-information";
    case RR_REVIEW_STATE_APPROVAL_NEEDED:
      return "approval-needed";
    case RR_REVIEW_STATE_REVIEWED:
      return "reviewed";
    default:
      return "";
    }
}

static gboolean
parse_roles (Cli        *cli,
             char      **texts,
             RrRoles    *roles)
{
  *roles = RR_ROLE_NONE;

  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (texts[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *part = g_strstrip (parts[j]);
          RrRoles role;

          if (*part == '\0')
            continue;
          if (!rr_role_from_string (part, &role))
            {
              fail (cli, _("“%s” is not a role. The roles are klantmanager, teamleider, "
                           "auditor and beheerder."), part);
              return FALSE;
            }
          *roles |= role;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Options and the store                                              */
/* ------------------------------------------------------------------ */

static GOptionContext *
new_context (Cli                *cli,
             const GOptionEntry *entries,
             const char         *parameters,
             const char         *summary,
             const char         *description)
{
  GOptionContext *context;
  const GOptionEntry common[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &cli->database,
      N_("Use the database at PATH"), N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *prgname = g_strdup_printf ("%s %s", PROGRAM_NAME, cli->command);

  /* GOptionContext prints g_get_prgname () in its usage line. */
  g_set_prgname (prgname);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  return context;
}

/* Parses the subcommand's options. On success @args holds the positional
 * arguments (args[0] is the command). Returns an exit status on failure. */
static gboolean
parse_options (Cli             *cli,
               GOptionContext  *context,
               int              argc,
               char           **argv,
               GStrv           *args,
               guint            min_args,
               guint            max_args,
               int             *status)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) strv = g_new0 (char *, argc + 1);
  guint n;

  for (int i = 0; i < argc; i++)
    strv[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &strv, &error))
    {
      *status = usage_error (cli, "%s", error->message);
      return FALSE;
    }

  n = g_strv_length (strv) - 1;
  if (n < min_args)
    {
      *status = usage_error (cli, _("Too few arguments."));
      return FALSE;
    }
  if (n > max_args)
    {
      *status = usage_error (cli, _("Unexpected argument “%s”."), strv[1 + max_args]);
      return FALSE;
    }

  *args = g_steal_pointer (&strv);
  return TRUE;
}

static RrStore *
open_store (Cli       *cli,
            gboolean   read_only,
            GError   **error)
{
  g_autoptr(RrStore) store = NULL;
  const char *path = database_path (cli);

  store = rr_store_open (path, read_only ? RR_STORE_OPEN_READ_ONLY : RR_STORE_OPEN_DEFAULT,
                         error);
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

#define PARSE_OR_RETURN(context, min, max)                                      \
  G_STMT_START {                                                                \
    int status_;                                                                \
    if (!parse_options (cli, (context), argc, argv, &args, (min), (max), &status_)) \
      return status_;                                                           \
  } G_STMT_END

#define OPEN_OR_RETURN(read_only)                                               \
  G_STMT_START {                                                                \
    store = open_store (cli, (read_only), &error);                              \
    if (store == NULL)                                                          \
      return fail_with_error (cli, error);                                      \
  } G_STMT_END

/* ------------------------------------------------------------------ */
/* init                                                               */
/* ------------------------------------------------------------------ */

static void
remove_database_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static int
cmd_init (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *organisation = NULL;
  g_autofree char *team = NULL;
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = {
    { "organisation", 'o', 0, G_OPTION_ARG_STRING, &organisation,
      N_("The organisation’s name (required)"), N_("NAME") },
    { "team", 't', 0, G_OPTION_ARG_STRING, &team,
      N_("Your team (default: “Team 1”)"), N_("TEAM") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("Your name as colleagues see it (default: your full name from the system)"),
      N_("DISPLAYNAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;
  const char *display_name;
  gboolean existed;

  context = new_context (cli, entries, "",
                         N_("Create a new database and set it up."),
                         N_("You become its first beheerder and klantmanager, and the starter "
                            "rule catalogue is loaded. A database that is already set up is "
                            "left alone."));
  PARSE_OR_RETURN (context, 0, 0);

  if (organisation == NULL)
    return missing_option (cli, "--organisation");

  path = database_path (cli);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  store = rr_store_open (path, RR_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return fail_with_error (cli, error);

  if (rr_store_is_initialised (store))
    return fail (cli, _("The database “%s” has already been set up. Nothing was changed."), path);

  display_name = name;
  if (display_name == NULL && g_strcmp0 (cli->actor, g_get_user_name ()) == 0)
    {
      display_name = g_get_real_name ();
      /* GLib says "Unknown" when the system does not know the name. */
      if (display_name == NULL || *display_name == '\0' || g_str_equal (display_name, "Unknown"))
        display_name = NULL;
    }
  /* The system's name belongs to the login only; otherwise use the login. */
  if (display_name == NULL)
    display_name = cli->actor;

  if (!rr_store_initialise (store, cli->actor, display_name, organisation,
                            team != NULL ? team : DEFAULT_TEAM, &error))
    {
      int status = fail_with_error (cli, error);

      /* Leave no half-made file behind for a second try to trip over. */
      if (!existed)
        {
          g_clear_object (&store);
          remove_database_files (path);
        }
      return status;
    }

  printf (_("Set up “%s” for %s. %s is beheerder and klantmanager.\n"),
          path, organisation, cli->actor);
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* user                                                               */
/* ------------------------------------------------------------------ */

static int
cmd_user_add (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autofree char *login = NULL;
  g_autofree char *name = NULL;
  g_autofree char *team = NULL;
  g_auto(GStrv) role_texts = NULL;
  const GOptionEntry entries[] = {
    { "login", 'l', 0, G_OPTION_ARG_STRING, &login,
      N_("The new user’s operating-system login (required)"), N_("LOGIN") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("The user’s name as colleagues see it (required)"), N_("NAME") },
    { "role", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &role_texts,
      N_("A role: klantmanager, teamleider, auditor or beheerder (repeat or separate with commas; required)"),
      N_("ROLE") },
    { "team", 't', 0, G_OPTION_ARG_STRING, &team,
      N_("The user’s team (default: the organisation’s first team)"), N_("TEAM") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RrRoles roles;

  context = new_context (cli, entries, "", N_("Add a user."),
                         N_("Only a beheerder may add users."));
  PARSE_OR_RETURN (context, 0, 0);

  if (login == NULL)
    return missing_option (cli, "--login");
  if (name == NULL)
    return missing_option (cli, "--name");
  if (role_texts == NULL)
    return missing_option (cli, "--role");
  if (!parse_roles (cli, role_texts, &roles))
    return EXIT_REFUSED;

  OPEN_OR_RETURN (FALSE);
  if (!rr_users_add (store, cli->actor, login, name, team, roles, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_user_list (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;

  context = new_context (cli, NULL, "", N_("List the users."),
                         N_("Columns: login, name, team, roles, active or inactive."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  users = rr_users_list (store, &error);
  if (users == NULL)
    return fail_with_error (cli, error);

  for (guint i = 0; i < users->len; i++)
    {
      RrUser *user = g_ptr_array_index (users, i);
      g_autofree char *roles = rr_roles_to_string (user->roles);
      g_autofree char *name = column (user->display_name);
      g_autofree char *team = column (user->team);

      printf ("%s\t%s\t%s\t%s\t%s\n", user->login, name, team, roles,
              user->active ? "active" : "inactive");
    }
  return EXIT_OK;
}

static int
grant_or_revoke (Cli      *cli,
                 int       argc,
                 char    **argv,
                 gboolean  grant)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RrRoles role;
  gboolean ok;

  context = new_context (cli, NULL, N_("LOGIN ROLE"),
                         grant ? N_("Give a user a role.") : N_("Take a role from a user."),
                         N_("ROLE is klantmanager, teamleider, auditor or beheerder. "
                            "Only a beheerder may change roles."));
  PARSE_OR_RETURN (context, 2, 2);

  if (!rr_role_from_string (args[2], &role))
    return fail (cli, _("“%s” is not a role. The roles are klantmanager, teamleider, "
                        "auditor and beheerder."), args[2]);

  OPEN_OR_RETURN (FALSE);
  if (grant)
    ok = rr_users_grant (store, cli->actor, args[1], role, &error);
  else
    ok = rr_users_revoke (store, cli->actor, args[1], role, &error);
  if (!ok)
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_user_grant (Cli *cli, int argc, char **argv)
{
  return grant_or_revoke (cli, argc, argv, TRUE);
}

static int
cmd_user_revoke (Cli *cli, int argc, char **argv)
{
  return grant_or_revoke (cli, argc, argv, FALSE);
}

static int
set_user_active (Cli      *cli,
                 int       argc,
                 char    **argv,
                 gboolean  active)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, NULL, N_("LOGIN"),
                         active ? N_("Let a user work again.")
                                : N_("Stop a user from working; their records stay."),
                         N_("Only a beheerder may do this."));
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (FALSE);
  if (!rr_users_set_active (store, cli->actor, args[1], active, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_user_activate (Cli *cli, int argc, char **argv)
{
  return set_user_active (cli, argc, argv, TRUE);
}

static int
cmd_user_deactivate (Cli *cli, int argc, char **argv)
{
  return set_user_active (cli, argc, argv, FALSE);
}

/* ------------------------------------------------------------------ */
/* client                                                             */
/* ------------------------------------------------------------------ */

static char *
read_line_from_stdin (void)
{
  char buffer[256];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  return g_strdup (g_strstrip (buffer));
}

static int
cmd_client_add (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autofree char *dossier = NULL;
  g_autofree char *name = NULL;
  g_autofree char *bsn = NULL;
  const GOptionEntry entries[] = {
    { "dossier", 0, 0, G_OPTION_ARG_STRING, &dossier,
      N_("The dossier number (required)"), N_("NR") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("The client’s name (required)"), N_("NAME") },
    { "bsn", 0, 0, G_OPTION_ARG_STRING, &bsn,
      N_("The client’s BSN, or “-” to read it from standard input (optional)"), N_("BSN") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, entries, "", N_("Add a client to your caseload."),
                         N_("The BSN is optional and must pass the elfproef. It is never "
                            "shown in messages; “--bsn -” keeps it off the command line."));
  PARSE_OR_RETURN (context, 0, 0);

  if (bsn != NULL && g_str_equal (bsn, "-"))
    {
      g_free (bsn);
      bsn = read_line_from_stdin ();
      if (bsn == NULL)
        return fail (cli, _("No BSN could be read from standard input."));
    }
  if (bsn != NULL)
    cli->secret = g_strdup (bsn);

  if (dossier == NULL)
    return missing_option (cli, "--dossier");
  if (name == NULL)
    return missing_option (cli, "--name");

  if (bsn != NULL && !rr_bsn_is_valid (bsn))
    return fail (cli, _("That BSN is not valid: a BSN has nine digits and passes the "
                        "elfproef. The client was not added."));

  OPEN_OR_RETURN (FALSE);
  if (!rr_clients_add (store, cli->actor, dossier, name, bsn, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_client_list (Cli   *cli,
                 int    argc,
                 char **argv)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Include closed clients"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;

  context = new_context (cli, entries, "", N_("List your clients."),
                         N_("A klantmanager sees their caseload, a teamleider the team’s "
                            "clients, an auditor all. Columns: dossier number, name, "
                            "klantmanager, active or closed, number of decisions."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  clients = rr_clients_list (store, cli->actor, all, &error);
  if (clients == NULL)
    return fail_with_error (cli, error);

  for (guint i = 0; i < clients->len; i++)
    {
      RrClient *client = g_ptr_array_index (clients, i);
      g_autofree char *dossier = column (client->dossier);
      g_autofree char *name = column (client->name);

      printf ("%s\t%s\t%s\t%s\t%d\n", dossier, name,
              client->owner_login != NULL ? client->owner_login : "",
              client->active ? "active" : "closed", client->n_decisions);
    }
  return EXIT_OK;
}

static int
cmd_client_show (Cli   *cli,
                 int    argc,
                 char **argv)
{
  gboolean show_bsn = FALSE;
  const GOptionEntry entries[] = {
    { "show-bsn", 0, 0, G_OPTION_ARG_NONE, &show_bsn,
      N_("Show the whole BSN instead of its last four digits"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrClient) client = NULL;
  g_autofree char *bsn = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *n_decisions = NULL;

  context = new_context (cli, entries, N_("NR"), N_("Show one client."),
                         N_("The BSN is masked unless --show-bsn is given."));
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (TRUE);

  client = rr_clients_lookup (store, cli->actor, args[1], &error);
  if (client == NULL)
    return fail_with_error (cli, error);

  if (client->bsn != NULL)
    bsn = show_bsn ? g_strdup (client->bsn) : mask_bsn (client->bsn);
  if (client->owner_login != NULL)
    owner = client->owner_name != NULL
            ? g_strdup_printf ("%s (%s)", client->owner_login, client->owner_name)
            : g_strdup (client->owner_login);
  n_decisions = g_strdup_printf ("%d", client->n_decisions);

  printf ("%s\n", client->dossier);
  print_field (_("Name"), client->name);
  print_field (_("BSN"), bsn);
  print_field (_("Klantmanager"), owner);
  print_field (_("Status"), client->active ? _("active") : _("closed"));
  print_field (_("Opened"), client->opened);
  print_field (_("Closed"), client->closed);
  print_field (_("Decisions"), n_decisions);
  return EXIT_OK;
}

static int
cmd_client_close (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, NULL, N_("NR"), N_("Close a client’s dossier."),
                         N_("The client and their decisions stay in the record."));
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (FALSE);
  if (!rr_clients_close (store, cli->actor, args[1], &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_client_reassign (Cli   *cli,
                     int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, NULL, N_("NR LOGIN"),
                         N_("Move a client to another klantmanager’s caseload."), NULL);
  PARSE_OR_RETURN (context, 2, 2);
  OPEN_OR_RETURN (FALSE);
  if (!rr_clients_reassign (store, cli->actor, args[1], args[2], &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* rules and vocabularies                                             */
/* ------------------------------------------------------------------ */

static void
print_rule_row (const RrRule *rule)
{
  g_autofree char *code = column (rule->code);
  g_autofree char *title = column (rule->title);

  printf ("%s\t%d\t%s\t%s\t%s\n", code, rule->version,
          rule->valid_from != NULL ? rule->valid_from : "",
          rule->valid_to != NULL ? rule->valid_to : "", title);
}

static int
cmd_rule_list (Cli   *cli,
               int    argc,
               char **argv)
{
  gboolean all_versions = FALSE;
  const GOptionEntry entries[] = {
    { "all-versions", 'a', 0, G_OPTION_ARG_NONE, &all_versions,
      N_("List every version, not only the newest"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  context = new_context (cli, entries, "", N_("List the rule catalogue."),
                         N_("Columns: code, version, valid from, valid to (empty while in "
                            "force), title."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  rules = rr_rules_list (store, all_versions, &error);
  if (rules == NULL)
    return fail_with_error (cli, error);
  for (guint i = 0; i < rules->len; i++)
    print_rule_row (g_ptr_array_index (rules, i));
  return EXIT_OK;
}

static int
cmd_rule_show (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;

  context = new_context (cli, NULL, N_("CODE"), N_("Show every version of a rule."), NULL);
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (TRUE);

  versions = rr_rules_versions (store, args[1], &error);
  if (versions == NULL)
    return fail_with_error (cli, error);
  if (versions->len == 0)
    return fail (cli, _("There is no rule with code “%s”."), args[1]);

  for (guint i = 0; i < versions->len; i++)
    {
      RrRule *rule = g_ptr_array_index (versions, i);
      g_autofree char *retention = NULL;

      if (rule->retention_years > 0)
        retention = g_strdup_printf (ngettext ("%d year", "%d years", rule->retention_years),
                                     rule->retention_years);

      if (i > 0)
        printf ("\n");
      printf (_("%s version %d\n"), rule->code, rule->version);
      print_field (_("Title"), rule->title);
      print_field (_("Source"), rr_rule_source_kind_label (rule->source_kind));
      print_field (_("Reference"), rule->reference);
      print_field (_("Article"), rule->article);
      print_field (_("Valid from"), rule->valid_from);
      print_field (_("Valid to"), rule->valid_to);
      print_field (_("Goal"), rule->goal);
      print_field (_("Text"), rule->text);
      print_field (_("Retention"), retention);
      if (rule->example)
        print_field (_("Note"), _("Example from the starter catalogue; adapt it to your organisation."));
    }
  return EXIT_OK;
}

static int
cmd_rule_import (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_added = 0;

  context = new_context (cli, NULL, N_("FILE"), N_("Import a rule catalogue (XML)."),
                         N_("Versions already present unchanged are skipped; differing ones "
                            "are refused. Only a beheerder may import."));
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (FALSE);

  if (!rr_catalogue_import_file (store, cli->actor, args[1], &n_added, &error))
    return fail_with_error (cli, error);
  printf (ngettext ("Imported %u rule version.\n", "Imported %u rule versions.\n", n_added),
          n_added);
  return EXIT_OK;
}

static int
cmd_rule_export (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'O', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the catalogue to FILE (required)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, entries, "", N_("Export the rule catalogue (XML)."), NULL);
  PARSE_OR_RETURN (context, 0, 0);
  if (output == NULL)
    return missing_option (cli, "--output");
  OPEN_OR_RETURN (TRUE);

  if (!rr_catalogue_export_file (store, output, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
list_vocab (Cli      *cli,
            int       argc,
            char    **argv,
            RrVocab   vocab,
            const char *summary)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;

  context = new_context (cli, NULL, "", summary, N_("Columns: code, label."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  terms = rr_vocab_list (store, vocab, &error);
  if (terms == NULL)
    return fail_with_error (cli, error);
  for (guint i = 0; i < terms->len; i++)
    {
      RrTerm *term = g_ptr_array_index (terms, i);
      g_autofree char *label = column (term->label);

      printf ("%s\t%s\n", term->code, label);
    }
  return EXIT_OK;
}

static int
cmd_kind_list (Cli *cli, int argc, char **argv)
{
  return list_vocab (cli, argc, argv, RR_VOCAB_KIND, N_("List the discretion kinds."));
}

static int
cmd_reason_list (Cli *cli, int argc, char **argv)
{
  return list_vocab (cli, argc, argv, RR_VOCAB_REASON, N_("List the deviation reasons."));
}

static int
cmd_domain_list (Cli *cli, int argc, char **argv)
{
  return list_vocab (cli, argc, argv, RR_VOCAB_DOMAIN, N_("List the kader domains."));
}

/* ------------------------------------------------------------------ */
/* decide, supersede, withdraw                                        */
/* ------------------------------------------------------------------ */

typedef struct {
  char     *client;
  char     *rule;
  char     *kind;
  char     *summary;
  gboolean  applied;
  gboolean  deviated;
  char     *circumstances;
  char     *explanation;
  char     *reason;
  char     *date;
  char     *amount;
  char     *sanction;
  char     *contact_date;
  char     *follow_up;
  char     *from_file;
  char     *principles;
  char     *knowledge;
  char     *experiences;
  char     *alternatives;
  char     *client_view;
  char     *client_agrees;
  char     *rights_explained;
  char     *stakeholders;
  char     *risk;
  char    **weighings;
} DecideOptions;

static void
decide_options_clear (DecideOptions *o)
{
  g_free (o->client);
  g_free (o->rule);
  g_free (o->kind);
  g_free (o->summary);
  g_free (o->circumstances);
  g_free (o->explanation);
  g_free (o->reason);
  g_free (o->date);
  g_free (o->amount);
  g_free (o->sanction);
  g_free (o->contact_date);
  g_free (o->follow_up);
  g_free (o->from_file);
  g_free (o->principles);
  g_free (o->knowledge);
  g_free (o->experiences);
  g_free (o->alternatives);
  g_free (o->client_view);
  g_free (o->client_agrees);
  g_free (o->rights_explained);
  g_free (o->stakeholders);
  g_free (o->risk);
  g_strfreev (o->weighings);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DecideOptions, decide_options_clear)

static void
add_decide_entries (GOptionContext *context,
                    DecideOptions  *o)
{
  const GOptionEntry entries[] = {
    { "client", 'c', 0, G_OPTION_ARG_STRING, &o->client,
      N_("The client’s dossier number"), N_("NR") },
    { "rule", 'r', 0, G_OPTION_ARG_STRING, &o->rule,
      N_("The code of the rule at stake"), N_("CODE") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &o->kind,
      N_("The discretion kind (see “kind list”)"), N_("KIND") },
    { "summary", 's', 0, G_OPTION_ARG_STRING, &o->summary,
      N_("The decision in one line"), N_("TEXT") },
    { "applied", 0, 0, G_OPTION_ARG_NONE, &o->applied,
      N_("The rule was applied (pas toe)"), NULL },
    { "deviated", 0, 0, G_OPTION_ARG_NONE, &o->deviated,
      N_("The rule was departed from (leg uit); needs --circumstances, --explanation and --reason"),
      NULL },
    { "circumstances", 0, 0, G_OPTION_ARG_STRING, &o->circumstances,
      N_("The circumstances and facts of the case"), N_("TEXT") },
    { "explanation", 'e', 0, G_OPTION_ARG_STRING, &o->explanation,
      N_("Why applying the rule would have consequences out of proportion to its goal"),
      N_("TEXT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &o->reason,
      N_("The coded reason for the deviation (see “reason list”)"), N_("REASON") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &o->date,
      N_("The decision date (default: today)"), N_("YYYY-MM-DD") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &o->amount,
      N_("The financial consequence in euros, e.g. 1250,50"), N_("EUR") },
    { "sanction", 0, 0, G_OPTION_ARG_STRING, &o->sanction,
      N_("The decision imposes or refrains from a sanction"), N_("imposed|refrained") },
    { "contact-date", 0, 0, G_OPTION_ARG_STRING, &o->contact_date,
      N_("The date of human contact before the sanction"), N_("YYYY-MM-DD") },
    { "follow-up", 0, 0, G_OPTION_ARG_STRING, &o->follow_up,
      N_("The follow-up date (default: as configured, e.g. three months on)"),
      N_("YYYY-MM-DD") },
    { "from-file", 'f', 0, G_OPTION_ARG_FILENAME, &o->from_file,
      N_("Read a draft from FILE; options given here override it"), N_("FILE") },
    { "principles", 0, 0, G_OPTION_ARG_STRING, &o->principles,
      N_("Principles and values"), N_("TEXT") },
    { "knowledge", 0, 0, G_OPTION_ARG_STRING, &o->knowledge,
      N_("Knowledge that was used"), N_("TEXT") },
    { "experiences", 0, 0, G_OPTION_ARG_STRING, &o->experiences,
      N_("Experiences and assumptions"), N_("TEXT") },
    { "alternatives", 0, 0, G_OPTION_ARG_STRING, &o->alternatives,
      N_("Alternatives that were considered"), N_("TEXT") },
    { "client-view", 0, 0, G_OPTION_ARG_STRING, &o->client_view,
      N_("The client’s view"), N_("TEXT") },
    { "client-agrees", 0, 0, G_OPTION_ARG_STRING, &o->client_agrees,
      N_("Whether the client agrees"), N_("yes|no") },
    { "rights-explained", 0, 0, G_OPTION_ARG_STRING, &o->rights_explained,
      N_("The date the client’s rights and duties were explained"), N_("YYYY-MM-DD") },
    { "stakeholders", 0, 0, G_OPTION_ARG_STRING, &o->stakeholders,
      N_("Stakeholders who were consulted"), N_("TEXT") },
    { "risk", 0, 0, G_OPTION_ARG_STRING, &o->risk,
      N_("The risk assessment"), N_("TEXT") },
    { "weighing", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &o->weighings,
      N_("How a kader domain weighed (repeatable; see “domain list”)"),
      N_("DOMAIN=none|some|decisive[:NOTE]") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
replace_text (char       **field,
              const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

/* Applies the command-line options over @input (a draft file, the current
 * version, or empty). Returns EXIT_OK or the exit status of a refusal. */
static int
apply_decide_options (Cli             *cli,
                      DecideOptions   *o,
                      RrDecisionInput *input)
{
  int status;

  if (o->applied && o->deviated)
    return usage_error (cli, _("Give either --applied or --deviated, not both."));
  if (o->applied)
    input->outcome = RR_OUTCOME_APPLIED;
  if (o->deviated)
    input->outcome = RR_OUTCOME_DEVIATED;

  replace_text (&input->client, o->client);
  replace_text (&input->rule, o->rule);
  replace_text (&input->kind, o->kind);
  replace_text (&input->summary, o->summary);
  replace_text (&input->circumstances, o->circumstances);
  replace_text (&input->explanation, o->explanation);
  replace_text (&input->reason, o->reason);
  replace_text (&input->principles, o->principles);
  replace_text (&input->knowledge, o->knowledge);
  replace_text (&input->experiences, o->experiences);
  replace_text (&input->alternatives, o->alternatives);
  replace_text (&input->client_view, o->client_view);
  replace_text (&input->stakeholders, o->stakeholders);
  replace_text (&input->risk, o->risk);

  if ((status = check_date (cli, o->date)) != EXIT_OK
      || (status = check_date (cli, o->contact_date)) != EXIT_OK
      || (status = check_date (cli, o->follow_up)) != EXIT_OK
      || (status = check_date (cli, o->rights_explained)) != EXIT_OK)
    return status;
  replace_text (&input->decision_date, o->date);
  replace_text (&input->contact_date, o->contact_date);
  replace_text (&input->follow_up, o->follow_up);
  replace_text (&input->rights_explained, o->rights_explained);

  if (o->amount != NULL)
    {
      gint64 cents;

      if (!parse_amount (o->amount, &cents))
        return fail (cli, _("“%s” is not an amount in euros. Write it as 1250 or 1250,50."),
                     o->amount);
      input->has_amount = TRUE;
      input->amount_cents = cents;
    }

  if (o->sanction != NULL)
    {
      RrSanction sanction;

      if (!rr_sanction_from_string (o->sanction, &sanction))
        return fail (cli, _("“%s” is not a sanction. Write “imposed” or “refrained”."),
                     o->sanction);
      input->sanction = sanction;
    }

  if (o->client_agrees != NULL)
    {
      const char *text = o->client_agrees;

      if (g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "ja") == 0)
        input->client_agrees = 1;
      else if (g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "nee") == 0)
        input->client_agrees = 0;
      else
        return fail (cli, _("“%s” is not an answer for --client-agrees. Write “yes” or “no”."),
                     text);
    }

  for (guint i = 0; o->weighings != NULL && o->weighings[i] != NULL; i++)
    {
      const char *text = o->weighings[i];
      const char *equals = strchr (text, '=');
      const char *colon;
      g_autofree char *domain = NULL;
      g_autofree char *relevance_text = NULL;
      RrRelevance relevance;

      if (equals == NULL || equals == text)
        return fail (cli, _("“%s” is not a weighing. Write DOMAIN=none, DOMAIN=some or "
                            "DOMAIN=decisive, optionally followed by :NOTE."), text);
      domain = g_strndup (text, equals - text);
      colon = strchr (equals + 1, ':');
      relevance_text = colon != NULL ? g_strndup (equals + 1, colon - (equals + 1))
                                     : g_strdup (equals + 1);
      if (!rr_relevance_from_string (relevance_text, &relevance))
        return fail (cli, _("“%s” is not a weighing. Write DOMAIN=none, DOMAIN=some or "
                            "DOMAIN=decisive, optionally followed by :NOTE."), text);
      rr_decision_input_set_weighing (input, domain, relevance,
                                      colon != NULL && colon[1] != '\0' ? colon + 1 : NULL);
    }

  return EXIT_OK;
}

static RrDecisionInput *
read_draft (Cli         *cli,
            const char  *path,
            GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return rr_decision_input_from_data (data, (gssize) length, error);
}

static void
print_hints (const RrDecisionInput *input)
{
  RrHints hints = rr_decision_input_hints (input);

  for (guint bit = 1; bit <= RR_HINT_SANCTION_NO_CONTACT; bit <<= 1)
    if (hints & bit)
      {
        const char *message = rr_hint_message ((RrHints) bit);

        if (message != NULL)
          g_printerr (_("Hint: %s\n"), message);
      }
}

/* After recording: tell the author where the decision goes next. */
static void
print_review_note (Cli        *cli,
                   RrStore    *store,
                   const char *number)
{
  g_autoptr(RrDecision) decision = rr_decisions_get (store, cli->actor, number, 0, NULL);

  if (decision == NULL)
    return;
  if (!decision->within_mandate)
    g_printerr (_("Note: this decision is outside your mandate; it waits for a teamleider’s "
                  "approval.\n"));
}

static int
cmd_decide (Cli   *cli,
            int    argc,
            char **argv)
{
  g_auto(DecideOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) input = NULL;
  g_autofree char *number = NULL;
  int status;

  context = new_context (cli, NULL, "",
                         N_("Record a decision."),
                         N_("Give --applied when the rule was applied, or --deviated with "
                            "--circumstances, --explanation and --reason when it was departed "
                            "from. Prints the new decision number; hints about the explanation "
                            "go to standard error and never block."));
  add_decide_entries (context, &o);
  PARSE_OR_RETURN (context, 0, 0);

  if (o.from_file != NULL)
    {
      input = read_draft (cli, o.from_file, &error);
      if (input == NULL)
        return fail_with_error (cli, error);
    }
  else
    input = rr_decision_input_new ();

  if ((status = apply_decide_options (cli, &o, input)) != EXIT_OK)
    return status;

  if (input->client == NULL)
    return missing_option (cli, "--client");
  if (input->rule == NULL)
    return missing_option (cli, "--rule");
  if (input->kind == NULL)
    return missing_option (cli, "--kind");
  if (input->summary == NULL)
    return missing_option (cli, "--summary");
  if (input->outcome == RR_OUTCOME_NONE)
    return usage_error (cli, _("Give --applied or --deviated."));

  OPEN_OR_RETURN (FALSE);
  number = rr_decisions_record (store, cli->actor, input, &error);
  if (number == NULL)
    return fail_with_error (cli, error);

  printf ("%s\n", number);
  fflush (stdout);
  print_hints (input);
  print_review_note (cli, store, number);
  return EXIT_OK;
}

static int
cmd_supersede (Cli   *cli,
               int    argc,
               char **argv)
{
  g_auto(DecideOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrDecisionInput) input = NULL;
  int status;
  int version;

  context = new_context (cli, NULL, N_("NUMBER"),
                         N_("Record a new version of a decision."),
                         N_("The new version starts from the current one (or from --from-file) "
                            "and takes every option given here. Prints the number and the new "
                            "version."));
  add_decide_entries (context, &o);
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (FALSE);

  if (o.from_file != NULL)
    {
      input = read_draft (cli, o.from_file, &error);
      if (input == NULL)
        return fail_with_error (cli, error);
    }
  else
    {
      g_autoptr(RrDecision) current = rr_decisions_get (store, cli->actor, args[1], 0, &error);

      if (current == NULL)
        return fail_with_error (cli, error);
      if (current->input == NULL)
        return fail (cli, _("The content of decision %s was destroyed; it cannot be "
                            "superseded."), args[1]);
      input = rr_decision_input_copy (current->input);
    }

  if ((status = apply_decide_options (cli, &o, input)) != EXIT_OK)
    return status;

  version = rr_decisions_supersede (store, cli->actor, args[1], input, &error);
  if (version <= 0)
    {
      if (error == NULL)
        return fail (cli, _("Decision %s could not be superseded."), args[1]);
      return fail_with_error (cli, error);
    }

  printf ("%s\t%d\n", args[1], version);
  fflush (stdout);
  print_hints (input);
  print_review_note (cli, store, args[1]);
  return EXIT_OK;
}

static int
cmd_withdraw (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the decision is withdrawn (required)"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, entries, N_("NUMBER"), N_("Withdraw a decision."),
                         N_("The decision stays in the record, marked withdrawn with the reason."));
  PARSE_OR_RETURN (context, 1, 1);
  if (reason == NULL)
    return missing_option (cli, "--reason");
  OPEN_OR_RETURN (FALSE);
  if (!rr_decisions_withdraw (store, cli->actor, args[1], reason, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* review, ask, queue, outcome, due                                   */
/* ------------------------------------------------------------------ */

static int
cmd_review (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *advice = NULL;
  g_autofree char *verdict_text = NULL;
  g_autofree char *comment = NULL;
  const GOptionEntry entries[] = {
    { "advice", 'a', 0, G_OPTION_ARG_STRING, &advice,
      N_("Give a colleague your advice (second opinion)"), N_("TEXT") },
    { "verdict", 'v', 0, G_OPTION_ARG_STRING, &verdict_text,
      N_("Give a teamleider’s verdict"), N_("akkoord|akkoord-met-aanvulling|vragen|niet-akkoord") },
    { "comment", 'm', 0, G_OPTION_ARG_STRING, &comment,
      N_("The comment with the verdict (required for all but akkoord)"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  context = new_context (cli, entries, N_("NUMBER"), N_("Review a decision."),
                         N_("Give either --advice (any colleague but the author) or --verdict "
                            "(a teamleider, never the author)."));
  PARSE_OR_RETURN (context, 1, 1);

  if (advice != NULL && verdict_text != NULL)
    return usage_error (cli, _("Give either --advice or --verdict, not both."));
  if (advice == NULL && verdict_text == NULL)
    return usage_error (cli, _("Give --advice or --verdict."));
  if (advice != NULL && comment != NULL)
    return usage_error (cli, _("--comment goes with --verdict; advice is its own text."));

  if (verdict_text != NULL)
    {
      RrVerdict verdict = rr_verdict_from_string (verdict_text);

      if (verdict == RR_VERDICT_NONE)
        return fail (cli, _("“%s” is not a verdict. Write akkoord, akkoord-met-aanvulling, "
                            "vragen or niet-akkoord."), verdict_text);
      OPEN_OR_RETURN (FALSE);
      ok = rr_reviews_verdict (store, cli->actor, args[1], verdict, comment, &error);
    }
  else
    {
      OPEN_OR_RETURN (FALSE);
      ok = rr_reviews_advise (store, cli->actor, args[1], advice, &error);
    }

  if (!ok)
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_ask (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *of = NULL;
  g_autofree char *question = NULL;
  const GOptionEntry entries[] = {
    { "of", 0, 0, G_OPTION_ARG_STRING, &of,
      N_("The colleague to ask (required)"), N_("LOGIN") },
    { "question", 'q', 0, G_OPTION_ARG_STRING, &question,
      N_("What you would like to know"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, entries, N_("NUMBER"),
                         N_("Ask a colleague for advice on a decision."),
                         N_("The request appears in the colleague’s queue."));
  PARSE_OR_RETURN (context, 1, 1);
  if (of == NULL)
    return missing_option (cli, "--of");
  OPEN_OR_RETURN (FALSE);
  if (!rr_reviews_request_advice (store, cli->actor, args[1], of, question, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_queue (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  context = new_context (cli, NULL, "", N_("Show what waits for your review."),
                         N_("Advice colleagues asked of you and, for a teamleider, the team’s "
                            "deviations (approval needed first). Columns: number, version, "
                            "what (advice, approval-needed, for-information), from, rule, "
                            "date, summary, question."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  items = rr_reviews_queue (store, cli->actor, &error);
  if (items == NULL)
    return fail_with_error (cli, error);

  for (guint i = 0; i < items->len; i++)
    {
      RrQueueItem *item = g_ptr_array_index (items, i);
      g_autofree char *summary = column (item->summary);
      g_autofree char *question = column (item->question);

      printf ("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", item->number, item->version,
              item->advice_asked ? "advice" : review_state_code (item->state),
              item->advice_asked ? (item->asked_by != NULL ? item->asked_by : "")
                                 : (item->author_login != NULL ? item->author_login : ""),
              item->rule_code != NULL ? item->rule_code : "",
              item->decision_date != NULL ? item->decision_date : "",
              summary, question);
    }
  return EXIT_OK;
}

static int
cmd_outcome (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autofree char *effect_text = NULL;
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "effect", 0, 0, G_OPTION_ARG_STRING, &effect_text,
      N_("What the decision achieved (required)"), N_("bereikt|deels|niet|onbekend") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("A note on the outcome"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RrEffect effect;

  context = new_context (cli, entries, N_("NUMBER"),
                         N_("Record the outcome of a decision at follow-up."), NULL);
  PARSE_OR_RETURN (context, 1, 1);
  if (effect_text == NULL)
    return missing_option (cli, "--effect");
  effect = rr_effect_from_string (effect_text);
  if (effect == RR_EFFECT_NONE)
    return fail (cli, _("“%s” is not an effect. Write bereikt, deels, niet or onbekend."),
                 effect_text);
  OPEN_OR_RETURN (FALSE);
  if (!rr_outcomes_record (store, cli->actor, args[1], effect, note, &error))
    return fail_with_error (cli, error);
  return EXIT_OK;
}

static int
cmd_due (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *until = NULL;
  const GOptionEntry entries[] = {
    { "until", 'u', 0, G_OPTION_ARG_STRING, &until,
      N_("Show follow-ups due on or before this date (default: today)"), N_("YYYY-MM-DD") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  int status;

  context = new_context (cli, entries, "", N_("Show the follow-ups that are due."),
                         N_("Current decisions without an outcome whose follow-up date has "
                            "come. Columns: number, follow-up date, dossier number, rule, "
                            "summary."));
  PARSE_OR_RETURN (context, 0, 0);
  if ((status = check_date (cli, until)) != EXIT_OK)
    return status;
  if (until == NULL)
    until = rr_date_today ();
  OPEN_OR_RETURN (TRUE);

  rows = rr_outcomes_due (store, cli->actor, until, &error);
  if (rows == NULL)
    return fail_with_error (cli, error);
  for (guint i = 0; i < rows->len; i++)
    {
      RrDecisionRow *row = g_ptr_array_index (rows, i);
      g_autofree char *dossier = column (row->client_dossier);
      g_autofree char *summary = column (row->summary);

      printf ("%s\t%s\t%s\t%s\t%s\n", row->number,
              row->follow_up != NULL ? row->follow_up : "", dossier,
              row->rule_code != NULL ? row->rule_code : "", summary);
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* log, search, show                                                  */
/* ------------------------------------------------------------------ */

static void
print_row_text (const RrDecisionRow *row)
{
  g_autofree char *dossier = column (row->client_dossier);
  g_autofree char *summary = column (row->summary);

  printf ("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", row->number, row->version,
          rr_status_to_string (row->status),
          row->decision_date != NULL ? row->decision_date : "", dossier,
          row->author_login != NULL ? row->author_login : "",
          row->rule_code != NULL ? row->rule_code : "",
          rr_outcome_to_string (row->outcome), review_state_code (row->review_state),
          summary);
}

static const char * const csv_header[] = {
  "number", "version", "status", "decision_date", "client", "author", "rule", "kind",
  "outcome", "review_state", "verdict", "effect", "follow_up", "within_mandate", "summary",
};

static void
print_row_csv (const RrDecisionRow *row)
{
  g_autoptr(GString) line = g_string_new (NULL);
  char version[16];

  g_snprintf (version, sizeof version, "%d", row->version);
  /* The first field is never empty, so an empty line never starts a row. */
  print_csv_field (line, row->number);
  print_csv_field (line, version);
  print_csv_field (line, rr_status_to_string (row->status));
  print_csv_field (line, row->decision_date);
  print_csv_field (line, row->client_dossier);
  print_csv_field (line, row->author_login);
  print_csv_field (line, row->rule_code);
  print_csv_field (line, row->kind);
  print_csv_field (line, rr_outcome_to_string (row->outcome));
  print_csv_field (line, review_state_code (row->review_state));
  print_csv_field (line, rr_verdict_to_string (row->verdict));
  print_csv_field (line, rr_effect_to_string (row->effect));
  print_csv_field (line, row->follow_up);
  print_csv_field (line, row->within_mandate ? "1" : "0");
  print_csv_field (line, row->summary);
  g_string_append (line, "\r\n");
  fputs (line->str, stdout);
}

/* Pages through the decisions that match @filter, printing each. */
static int
print_decisions (Cli                    *cli,
                 RrStore                *store,
                 const RrDecisionFilter *filter,
                 gboolean                csv,
                 guint                   limit)
{
  guint offset = 0;

  if (csv)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (csv_header); i++)
        print_csv_field (line, csv_header[i]);
      g_string_append (line, "\r\n");
      fputs (line->str, stdout);
    }

  for (;;)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      guint page = LOG_PAGE_SIZE;

      if (limit > 0)
        {
          if (offset >= limit)
            break;
          page = MIN (page, limit - offset);
        }

      rows = rr_decisions_list (store, cli->actor, filter, offset, page, &error);
      if (rows == NULL)
        return fail_with_error (cli, error);

      for (guint i = 0; i < rows->len; i++)
        {
          const RrDecisionRow *row = g_ptr_array_index (rows, i);

          if (csv)
            print_row_csv (row);
          else
            print_row_text (row);
        }

      offset += rows->len;
      if (rows->len < page)
        break;
    }
  return EXIT_OK;
}

static int
cmd_log (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *client = NULL;
  g_autofree char *outcome_text = NULL;
  g_autofree char *format = NULL;
  gboolean mine = FALSE;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Decisions on or after this date"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Decisions on or before this date"), N_("YYYY-MM-DD") },
    { "rule", 'r', 0, G_OPTION_ARG_STRING, &rule,
      N_("Only decisions about this rule"), N_("CODE") },
    { "client", 'c', 0, G_OPTION_ARG_STRING, &client,
      N_("Only decisions about this client"), N_("NR") },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome_text,
      N_("Only applied or only deviated decisions"), N_("applied|deviated") },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &mine,
      N_("Only your own decisions"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format (default: text)"), N_("text|csv") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N decisions (default: all)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RrDecisionFilter filter;
  gboolean csv = FALSE;
  int status;

  context = new_context (cli, entries, "", N_("List the decisions, newest first."),
                         N_("The current version of every decision visible to you, withdrawn ones "
                            "included. Text columns: number, version, status, date, dossier "
                            "number, author, rule, outcome, review state, summary. CSV (RFC 4180) "
                            "has a header row."));
  PARSE_OR_RETURN (context, 0, 0);

  if (format != NULL)
    {
      if (g_str_equal (format, "csv"))
        csv = TRUE;
      else if (!g_str_equal (format, "text"))
        return usage_error (cli, _("“%s” is not a format. Write text or csv."), format);
    }
  if (limit < 0)
    return usage_error (cli, _("--limit must not be negative."));
  if ((status = check_date (cli, from)) != EXIT_OK || (status = check_date (cli, to)) != EXIT_OK)
    return status;

  rr_decision_filter_init (&filter);
  filter.status = -1;
  filter.from = g_strdup (from);
  filter.to = g_strdup (to);
  filter.rule = g_strdup (rule);
  filter.client = g_strdup (client);
  filter.mine_only = mine;
  if (outcome_text != NULL)
    {
      filter.outcome = rr_outcome_from_string (outcome_text);
      if (filter.outcome == RR_OUTCOME_NONE)
        {
          rr_decision_filter_clear (&filter);
          return fail (cli, _("“%s” is not an outcome. Write applied or deviated."),
                       outcome_text);
        }
    }

  store = open_store (cli, TRUE, &error);
  if (store == NULL)
    status = fail_with_error (cli, error);
  else
    status = print_decisions (cli, store, &filter, csv, (guint) limit);
  rr_decision_filter_clear (&filter);
  return status;
}

static int
cmd_search (Cli   *cli,
            int    argc,
            char **argv)
{
  gboolean precedents = FALSE;
  g_autofree char *rule = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "precedents", 'p', 0, G_OPTION_ARG_NONE, &precedents,
      N_("Show earlier deviations in your team (vergelijkbare casussen)"), NULL },
    { "rule", 'r', 0, G_OPTION_ARG_STRING, &rule,
      N_("Only or first this rule"), N_("CODE") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N results (default: all; 20 for precedents)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  int status;

  context = new_context (cli, entries, N_("[TEXT]"),
                         N_("Search the decisions’ summaries, circumstances and explanations."),
                         N_("With --precedents: earlier deviations in your team, same rule first "
                            "(client pseudonymised). Columns: number, date, rule, client, "
                            "reason, outcome, effect, summary."));
  PARSE_OR_RETURN (context, 0, 1);
  text = args[1];
  if (limit < 0)
    return usage_error (cli, _("--limit must not be negative."));
  if (text == NULL && !(precedents && rule != NULL))
    return usage_error (cli, _("Give the text to search for."));

  OPEN_OR_RETURN (TRUE);

  if (precedents)
    {
      g_autoptr(GPtrArray) found = NULL;

      found = rr_decisions_precedents (store, cli->actor, rule, text,
                                       limit > 0 ? (guint) limit : 20, &error);
      if (found == NULL)
        return fail_with_error (cli, error);
      for (guint i = 0; i < found->len; i++)
        {
          RrPrecedent *p = g_ptr_array_index (found, i);
          g_autofree char *summary = column (p->summary);

          printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p->number,
                  p->decision_date != NULL ? p->decision_date : "",
                  p->rule_code != NULL ? p->rule_code : "",
                  p->client_pseudonym != NULL ? p->client_pseudonym : "",
                  p->reason != NULL ? p->reason : "",
                  rr_outcome_to_string (p->outcome), rr_effect_to_string (p->effect), summary);
        }
      return EXIT_OK;
    }
  else
    {
      RrDecisionFilter filter;

      rr_decision_filter_init (&filter);
      filter.status = -1;
      filter.text = g_strdup (text);
      filter.rule = g_strdup (rule);
      status = print_decisions (cli, store, &filter, FALSE, (guint) limit);
      rr_decision_filter_clear (&filter);
      return status;
    }
}

static void
print_events (RrStore    *store,
              const char *uuid)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  events = rr_ledger_events_for (store, uuid, &error);
  if (events == NULL)
    {
      g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
      return;
    }
  if (events->len == 0)
    return;
  printf ("  %s:\n", _("Events"));
  for (guint i = 0; i < events->len; i++)
    {
      RrEvent *event = g_ptr_array_index (events, i);

      printf ("    %" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", event->seq,
              event->at != NULL ? event->at : "", event->actor != NULL ? event->actor : "",
              event->action != NULL ? event->action : "", event->hash != NULL ? event->hash : "");
    }
}

static void
print_decision (RrStore          *store,
                const RrDecision *d)
{
  const RrDecisionInput *in = d->input;
  g_autofree char *client = NULL;
  g_autofree char *author = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *amount = NULL;
  const char *agrees = NULL;

  printf (_("%s version %d — %s\n"), d->number, d->version, rr_status_label (d->status));

  client = d->client_name != NULL
           ? g_strdup_printf ("%s (%s)", d->client_dossier, d->client_name)
           : g_strdup (d->client_dossier);
  author = d->author_name != NULL
           ? g_strdup_printf ("%s (%s)", d->author_login, d->author_name)
           : g_strdup (d->author_login);
  rule = g_strdup_printf (_("%s version %d: %s"), d->rule_code, d->rule_version,
                          d->rule_title != NULL ? d->rule_title : "");

  print_field (_("Decision date"), in != NULL ? in->decision_date : NULL);
  print_field (_("Recorded at"), d->recorded_at);
  print_field (_("Client"), client);
  print_field (_("Author"), author);
  print_field (_("Team"), d->author_team);
  print_field (_("Rule"), rule);

  if (in == NULL || d->destroyed)
    print_field (_("Content"), _("destroyed after its retention period"));

  if (in != NULL)
    {
      if (in->kind != NULL)
        {
          g_autofree char *label = rr_vocab_label (store, RR_VOCAB_KIND, in->kind);
          kind = label != NULL ? g_strdup_printf ("%s (%s)", label, in->kind) : g_strdup (in->kind);
        }
      if (in->reason != NULL)
        {
          g_autofree char *label = rr_vocab_label (store, RR_VOCAB_REASON, in->reason);
          reason = label != NULL ? g_strdup_printf ("%s (%s)", label, in->reason)
                                 : g_strdup (in->reason);
        }
      if (in->has_amount)
        amount = format_amount (in->amount_cents);
      if (in->client_agrees >= 0)
        agrees = yes_no (in->client_agrees == 1);

      print_field (_("Kind"), kind);
      print_field (_("Outcome"), rr_outcome_label (in->outcome));
      print_field (_("Summary"), in->summary);
      print_field (_("Circumstances"), in->circumstances);
      print_field (_("Explanation"), in->explanation);
      print_field (_("Reason"), reason);
      print_field (_("Principles and values"), in->principles);
      print_field (_("Knowledge"), in->knowledge);
      print_field (_("Experiences and assumptions"), in->experiences);
      print_field (_("Alternatives"), in->alternatives);
      print_field (_("Client’s view"), in->client_view);
      print_field (_("Client agrees"), agrees);
      print_field (_("Rights and duties explained"), in->rights_explained);
      print_field (_("Stakeholders"), in->stakeholders);
      print_field (_("Risk"), in->risk);
      print_field (_("Amount"), amount);
      if (in->sanction != RR_SANCTION_NONE)
        {
          const char *what = in->sanction == RR_SANCTION_IMPOSED ? _("imposed") : _("refrained");
          g_autofree char *sanction = NULL;

          if (in->contact_date != NULL)
            sanction = g_strdup_printf (_("%s, human contact on %s"), what, in->contact_date);
          else
            sanction = g_strdup_printf (_("%s, without human contact beforehand"), what);
          print_field (_("Sanction"), sanction);
        }
      for (guint i = 0; in->weighings != NULL && i < in->weighings->len; i++)
        {
          RrWeighing *w = g_ptr_array_index (in->weighings, i);
          g_autofree char *label = rr_vocab_label (store, RR_VOCAB_DOMAIN, w->domain);
          g_autofree char *text = NULL;

          text = w->note != NULL && *w->note != '\0'
                 ? g_strdup_printf ("%s: %s — %s", label != NULL ? label : w->domain,
                                    rr_relevance_to_string (w->relevance), w->note)
                 : g_strdup_printf ("%s: %s", label != NULL ? label : w->domain,
                                    rr_relevance_to_string (w->relevance));
          print_field (_("Weighing"), text);
        }
      print_field (_("Follow-up"), in->follow_up);
    }

  print_field (_("Within mandate"), yes_no (d->within_mandate));
  print_field (_("Review"), rr_review_state_label (d->review_state));
  if (d->verdict != RR_VERDICT_NONE)
    print_field (_("Verdict"), rr_verdict_label (d->verdict));
  if (d->effect != RR_EFFECT_NONE)
    print_field (_("Effect"), rr_effect_label (d->effect));
  print_field (_("Withdrawn because"), d->withdrawn_reason);
  print_field (_("Retention until"), d->retention_until);
  print_field (_("Content hash"), d->content_hash);
  print_field ("UUID", d->uuid);
  print_events (store, d->uuid);
}

static int
cmd_show (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;

  context = new_context (cli, NULL, N_("NUMBER"),
                         N_("Show a decision: every version, its reviews, outcomes and "
                            "ledger events."), NULL);
  PARSE_OR_RETURN (context, 1, 1);
  OPEN_OR_RETURN (TRUE);

  versions = rr_decisions_versions (store, cli->actor, args[1], &error);
  if (versions == NULL)
    return fail_with_error (cli, error);
  if (versions->len == 0)
    return fail (cli, _("There is no decision with number “%s”."), args[1]);

  reviews = rr_reviews_for_decision (store, cli->actor, args[1], &error);
  if (reviews == NULL)
    return fail_with_error (cli, error);
  outcomes = rr_outcomes_for_decision (store, cli->actor, args[1], &error);
  if (outcomes == NULL)
    return fail_with_error (cli, error);

  for (guint i = 0; i < versions->len; i++)
    {
      if (i > 0)
        printf ("\n");
      print_decision (store, g_ptr_array_index (versions, i));
    }

  if (reviews->len > 0)
    {
      printf ("\n%s:\n", _("Reviews"));
      for (guint i = 0; i < reviews->len; i++)
        {
          RrReview *r = g_ptr_array_index (reviews, i);
          g_autofree char *text = column (r->text);

          printf ("  %s\t%s\t%s %d\t%s\t%s\n",
                  r->created_at != NULL ? r->created_at : "", r->reviewer_login,
                  _("version"), r->version,
                  r->is_advice ? _("Advice") : rr_verdict_label (r->verdict), text);
        }
    }

  if (outcomes->len > 0)
    {
      printf ("\n%s:\n", _("Outcomes"));
      for (guint i = 0; i < outcomes->len; i++)
        {
          RrOutcome *o = g_ptr_array_index (outcomes, i);
          g_autofree char *note = column (o->note);

          printf ("  %s\t%s\t%s\t%s\n", o->recorded_at != NULL ? o->recorded_at : "",
                  o->author_login != NULL ? o->author_login : "", rr_effect_label (o->effect),
                  note);
        }
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* verify, checkpoint                                                 */
/* ------------------------------------------------------------------ */

static int
cmd_verify (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *checkpoint_text = NULL;
  const GOptionEntry entries[] = {
    { "checkpoint", 'k', 0, G_OPTION_ARG_STRING, &checkpoint_text,
      N_("Also prove that the chain extends this kept checkpoint unchanged"), N_("SEQ:HASH") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) kept = NULL;
  g_autofree char *head = NULL;
  RrVerifyResult result;

  context = new_context (cli, entries, "", N_("Verify the database and its ledger."),
                         N_("Checks the file, then walks the hash chain and every recorded item "
                            "against the event that records it. Prints “ok” and the number of "
                            "events, or the problem and the first broken event; the last line is "
                            "the chain’s checkpoint. Exit status 0 only when everything holds."));
  PARSE_OR_RETURN (context, 0, 0);

  if (checkpoint_text != NULL)
    {
      kept = rr_checkpoint_parse (checkpoint_text, &error);
      if (kept == NULL)
        return fail_with_error (cli, error);
    }

  OPEN_OR_RETURN (TRUE);

  if (!rr_store_quick_check (store, &error))
    return fail_with_error (cli, error);

  if (!rr_ledger_verify (store, kept, &result, NULL, &error))
    return fail_with_error (cli, error);

  /* G_GINT64_FORMAT cannot appear in a translatable string (xgettext does
   * not expand macros): format the numbers first. */
  if (result.ok)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, result.n_events);

      printf (ngettext ("ok: %s event, the chain holds.\n",
                        "ok: %s events, the chain holds.\n",
                        (gulong) MIN (result.n_events, (gint64) G_MAXLONG)), n);
    }
  else
    {
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, result.first_bad_seq);

      printf (_("Verification failed at event %s: %s\n"), seq,
              result.problem != NULL ? result.problem : "");
    }

  if (result.head != NULL)
    {
      head = rr_checkpoint_format (result.head);
      printf ("%s\n", head);
    }

  {
    gboolean ok = result.ok;

    rr_verify_result_clear (&result);
    return ok ? EXIT_OK : EXIT_REFUSED;
  }
}

static int
cmd_checkpoint (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) checkpoint = NULL;
  g_autofree char *text = NULL;

  context = new_context (cli, NULL, "", N_("Print the ledger’s current checkpoint."),
                         N_("Keep it somewhere safe: “verify --checkpoint SEQ:HASH” later proves "
                            "that the history up to it was not rewritten."));
  PARSE_OR_RETURN (context, 0, 0);
  OPEN_OR_RETURN (TRUE);

  checkpoint = rr_ledger_checkpoint (store, &error);
  if (checkpoint == NULL)
    return fail_with_error (cli, error);
  text = rr_checkpoint_format (checkpoint);
  printf ("%s\n", text);
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* demo, backup, restore                                              */
/* ------------------------------------------------------------------ */

static void
on_demo_progress (double   fraction,
                  gpointer user_data)
{
  int *last = user_data;
  int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

  if (percent == *last)
    return;
  *last = percent;
  g_printerr ("\r");
  g_printerr (_("Generating demo data… %d%%"), percent);
}

static int
cmd_demo (Cli   *cli,
          int    argc,
          char **argv)
{
  int n_decisions = -1;
  gint64 seed = 1;
  const GOptionEntry entries[] = {
    { "decisions", 'n', 0, G_OPTION_ARG_INT, &n_decisions,
      N_("How many decisions to generate (required)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("The seed: the same seed gives the same data (default: 1)"), N_("S") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;
  gboolean existed;
  gboolean show_progress;
  int last_percent = -1;
  gint64 start;
  double seconds;

  context = new_context (cli, entries, "", N_("Fill a new database with demo data."),
                         N_("Realistic, varied and deterministic: teams, users, clients and "
                            "decisions with reviews and outcomes. You become beheerder of the "
                            "new database. Refused on a database that is already set up."));
  PARSE_OR_RETURN (context, 0, 0);
  if (n_decisions < 0)
    return missing_option (cli, "--decisions");
  if (seed < 0)
    return usage_error (cli, _("--seed must not be negative."));

  path = database_path (cli);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);

  /* Demo data never mixes with a real record, and bulk mode skips the
   * waits for the disk that a real record needs: only a new (or empty)
   * file will do. Look without writing first. */
  if (existed)
    {
      g_autoptr(RrStore) existing = rr_store_open (path, RR_STORE_OPEN_READ_ONLY, &error);

      if (existing == NULL)
        return fail_with_error (cli, error);
      if (rr_store_is_initialised (existing))
        return fail (cli, _("The database “%s” is already in use. Demo data goes into a new "
                            "file: give another --database."), path);
    }

  store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
  if (store == NULL)
    return fail_with_error (cli, error);

  if (!rr_store_initialise (store, cli->actor, cli->actor, _("Demo municipality"),
                            DEFAULT_TEAM, &error))
    {
      int status = fail_with_error (cli, error);

      if (!existed)
        {
          g_clear_object (&store);
          remove_database_files (path);
        }
      return status;
    }

  show_progress = isatty (STDERR_FILENO);
  start = g_get_monotonic_time ();
  if (!rr_demo_generate (store, (guint) n_decisions, (guint64) seed,
                         show_progress ? on_demo_progress : NULL, &last_percent,
                         NULL, &error))
    {
      int status;

      if (show_progress)
        g_printerr ("\n");
      status = fail_with_error (cli, error);
      /* A half-filled demo file is of no use, and would block a second try. */
      if (!existed)
        {
          g_clear_object (&store);
          remove_database_files (path);
        }
      return status;
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  if (show_progress)
    g_printerr ("\n");

  /* A first look should show the whole demo: the person who made it may
   * read everything, as an auditor does. */
  if (!rr_users_grant (store, cli->actor, cli->actor, RR_ROLE_AUDITOR, &error))
    return fail_with_error (cli, error);

  printf (ngettext ("Generated %d decision in %.1f s.\n",
                    "Generated %d decisions in %.1f s.\n", (gulong) n_decisions),
          n_decisions, seconds);
  return EXIT_OK;
}

static int
cmd_backup (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *rotate = NULL;
  int keep = 7;
  const GOptionEntry entries[] = {
    { "output", 'O', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the backup to FILE, which must not exist"), N_("FILE") },
    { "rotate", 0, 0, G_OPTION_ARG_FILENAME, &rotate,
      N_("Write a timestamped backup into DIR and remove the oldest beyond --keep"),
      N_("DIR") },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep,
      N_("With --rotate: how many backups to keep (default: 7)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = new_context (cli, entries, "", N_("Make a checked backup of the database."),
                         N_("Uses SQLite’s online backup, so it is safe while others work, and "
                            "checks the copy’s integrity. Give --output or --rotate."));
  PARSE_OR_RETURN (context, 0, 0);
  if ((output == NULL) == (rotate == NULL))
    return usage_error (cli, _("Give either --output or --rotate."));
  if (keep < 1)
    return usage_error (cli, _("--keep must be at least 1."));
  OPEN_OR_RETURN (TRUE);

  if (rotate != NULL)
    {
      if (!rr_backup_rotate (store, rotate, (guint) keep, &error))
        return fail_with_error (cli, error);
      printf (ngettext ("Backup written to “%s”; the newest %d backup is kept there.\n",
                        "Backup written to “%s”; the newest %d backups are kept there.\n",
                        keep), rotate, keep);
      return EXIT_OK;
    }
  if (!rr_backup_create (store, output, NULL, &error))
    return fail_with_error (cli, error);
  printf (_("Backup written to “%s”.\n"), output);
  return EXIT_OK;
}

static int
cmd_restore (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  context = new_context (cli, NULL, N_("FILE"),
                         N_("Replace the database with a checked backup."),
                         N_("The backup is checked first. The replaced database is kept beside "
                            "it, with “.before-restore” added to its name. When the current database can be read, "
                            "only its beheerder may restore."));
  PARSE_OR_RETURN (context, 1, 1);
  path = database_path (cli);

  /* Whoever may replace the file may restore; but when the current database
   * is readable, the record says who that is: its beheerder. A damaged file
   * (the usual reason to restore) does not stand in the way. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(RrStore) current = rr_store_open (path, RR_STORE_OPEN_READ_ONLY, NULL);

      if (current != NULL && rr_store_is_initialised (current))
        {
          g_autoptr(RrUser) user = rr_users_require (current, cli->actor, RR_ROLE_BEHEERDER,
                                                     &error);
          if (user == NULL)
            return fail_with_error (cli, error);
        }
    }

  if (!rr_backup_restore (args[1], path, &error))
    return fail_with_error (cli, error);
  printf (_("Restored “%s” from “%s”. The previous database is kept beside it, with "
            "“.before-restore” added to its name.\n"), path, args[1]);
  return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The command table and main                                         */
/* ------------------------------------------------------------------ */

static int cmd_help (Cli *cli, int argc, char **argv);

/* The trail, MDTO and retention commands live in rr-cli-trail.c. */
static int
cmd_trail (Cli   *cli,
           int    argc,
           char **argv)
{
  const RrCliTrailContext ctx = { cli->global_database, cli->actor, cli->command };

  return rr_cli_trail_run (&ctx, argc, argv);
}

/* The report command lives in rr-cli-report.c. */
static int
cmd_report (Cli   *cli,
            int    argc,
            char **argv)
{
  const RrCliReportContext ctx = { cli->global_database, cli->actor, cli->command };

  return rr_cli_report_run (&ctx, argc, argv);
}

static const Command commands[] = {
  { "init", cmd_init, N_("Create and set up a new database") },
  { "user add", cmd_user_add, N_("Add a user") },
  { "user list", cmd_user_list, N_("List the users") },
  { "user grant", cmd_user_grant, N_("Give a user a role") },
  { "user revoke", cmd_user_revoke, N_("Take a role from a user") },
  { "user activate", cmd_user_activate, N_("Let a user work again") },
  { "user deactivate", cmd_user_deactivate, N_("Stop a user from working") },
  { "client add", cmd_client_add, N_("Add a client") },
  { "client list", cmd_client_list, N_("List your clients") },
  { "client show", cmd_client_show, N_("Show a client") },
  { "client close", cmd_client_close, N_("Close a client’s dossier") },
  { "client reassign", cmd_client_reassign, N_("Move a client to another klantmanager") },
  { "rule list", cmd_rule_list, N_("List the rule catalogue") },
  { "rule show", cmd_rule_show, N_("Show every version of a rule") },
  { "rule import", cmd_rule_import, N_("Import a rule catalogue") },
  { "rule export", cmd_rule_export, N_("Export the rule catalogue") },
  { "kind list", cmd_kind_list, N_("List the discretion kinds") },
  { "reason list", cmd_reason_list, N_("List the deviation reasons") },
  { "domain list", cmd_domain_list, N_("List the kader domains") },
  { "decide", cmd_decide, N_("Record a decision") },
  { "supersede", cmd_supersede, N_("Record a new version of a decision") },
  { "withdraw", cmd_withdraw, N_("Withdraw a decision") },
  { "review", cmd_review, N_("Give advice or a verdict on a decision") },
  { "ask", cmd_ask, N_("Ask a colleague for advice") },
  { "queue", cmd_queue, N_("Show what waits for your review") },
  { "outcome", cmd_outcome, N_("Record a decision’s outcome") },
  { "due", cmd_due, N_("Show the follow-ups that are due") },
  { "log", cmd_log, N_("List the decisions") },
  { "search", cmd_search, N_("Search the decisions or find precedents") },
  { "show", cmd_show, N_("Show a decision with its history") },
  { "verify", cmd_verify, N_("Verify the database and its ledger") },
  { "checkpoint", cmd_checkpoint, N_("Print the ledger’s checkpoint") },
  { "report", cmd_report, N_("Make a report as CSV, HTML or PDF") },
  { "demo", cmd_demo, N_("Fill a new database with demo data") },
  { "backup", cmd_backup, N_("Make a checked backup") },
  { "restore", cmd_restore, N_("Restore the database from a backup") },
  { "export-trail", cmd_trail, N_("Export the auditor’s trail of a period") },
  { "verify-trail", cmd_trail, N_("Verify an exported trail") },
  { "export-mdto", cmd_trail, N_("Export decisions as MDTO archival metadata") },
  { "retention list", cmd_trail, N_("List decisions past their retention period") },
  { "retention destroy", cmd_trail, N_("Destroy decisions past their retention period") },
  { "help", cmd_help, N_("Show this overview, or a command’s help") },
};

static void
print_overview (FILE *stream)
{
  fprintf (stream, _("Usage: %s [--database PATH] COMMAND [OPTION…]\n"), PROGRAM_NAME);
  fprintf (stream, "\n%s\n\n", _("Record and account for professional discretion decisions."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-17s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-17s %s\n", "-d, --database", _("Use the database at PATH"));
  fprintf (stream, "  %-17s %s\n", "-h, --help", _("Show this overview"));
  fprintf (stream, "  %-17s %s\n", "--version", _("Show the version"));
  fprintf (stream, "\n%s\n", _("“regelruimte-cli COMMAND --help” describes a command."));
}

static const Command *
find_command (const char *first,
              const char *second,
              gboolean   *uses_two)
{
  *uses_two = FALSE;

  if (second != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", first, second);

      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_equal (commands[i].name, name))
          {
            *uses_two = TRUE;
            return &commands[i];
          }
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, first))
      return &commands[i];
  return NULL;
}

static gboolean
is_group (const char *word)
{
  gsize len = strlen (word);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strncmp (commands[i].name, word, len) == 0 && commands[i].name[len] == ' ')
      return TRUE;
  return FALSE;
}

static int
usage_for_group (Cli        *cli,
                 const char *group,
                 const char *given)
{
  gsize len = strlen (group);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strncmp (commands[i].name, group, len) == 0 && commands[i].name[len] == ' ')
      {
        if (names->len > 0)
          g_string_append (names, ", ");
        g_string_append (names, commands[i].name + len + 1);
      }

  if (given == NULL)
    return usage_error (NULL, _("“%s” needs a subcommand: %s."), group, names->str);
  return usage_error (NULL, _("“%s %s” is not a command. “%s” has: %s."),
                      group, given, group, names->str);
}

static int
cmd_help (Cli   *cli,
          int    argc,
          char **argv)
{
  if (argc > 1)
    {
      gboolean uses_two;
      const Command *command = find_command (argv[1], argc > 2 ? argv[2] : NULL, &uses_two);

      if (command != NULL && command->func != cmd_help)
        {
          char *help_argv[] = { (char *) command->name, (char *) "--help", NULL };

          cli->command = command->name;
          return command->func (cli, 2, help_argv);
        }
      if (is_group (argv[1]))
        return usage_for_group (cli, argv[1], argc > 2 ? argv[2] : NULL);
      return usage_error (NULL, _("“%s” is not a command."), argv[1]);
    }
  print_overview (stdout);
  return EXIT_OK;
}

static int
run (Cli   *cli,
     int    argc,
     char **argv)
{
  const Command *command;
  gboolean uses_two;
  int i = 1;

  /* Global options come before the command. */
  while (i < argc && argv[i][0] == '-')
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        {
          i++;
          break;
        }
      else if (g_str_equal (arg, "--database") || g_str_equal (arg, "-d"))
        {
          if (i + 1 >= argc)
            return usage_error (NULL, _("The option %s needs a PATH."), arg);
          cli->global_database = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (arg, "--database="))
        {
          cli->global_database = arg + strlen ("--database=");
          i++;
        }
      else if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h") || g_str_equal (arg, "-?"))
        {
          print_overview (stdout);
          return EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          printf ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
          return EXIT_OK;
        }
      else
        return usage_error (NULL, _("Unknown option %s."), arg);
    }

  if (cli->global_database != NULL && *cli->global_database == '\0')
    return usage_error (NULL, _("The option --database needs a PATH."));

  if (i >= argc)
    return usage_error (NULL, _("No command given."));

  command = find_command (argv[i], i + 1 < argc ? argv[i + 1] : NULL, &uses_two);
  if (command == NULL)
    {
      if (is_group (argv[i]))
        return usage_for_group (cli, argv[i], i + 1 < argc ? argv[i + 1] : NULL);
      return usage_error (NULL, _("“%s” is not a command."), argv[i]);
    }

  cli->command = command->name;
  i += uses_two ? 1 : 0;
  /* The command sees its own name as argv[0]. */
  return command->func (cli, argc - i, argv + i);
}

int
main (int    argc,
      char **argv)
{
  Cli cli = { 0 };
  int status;

  rr_core_init_memory ();
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (PROGRAM_NAME);

  cli.actor = resolve_acting_user ();

  status = run (&cli, argc, argv);

  /* Output that could not be written (a full disk, a closed pipe) is a
   * failure, not a success. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      g_printerr ("%s: %s\n", PROGRAM_NAME, _("The output could not be written."));
      if (status == EXIT_OK)
        status = EXIT_REFUSED;
    }

  g_free (cli.database);
  g_free (cli.default_database);
  g_free (cli.secret);
  return status;
}
