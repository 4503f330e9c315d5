/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "regelruimte"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-application.h"
#include "rr-core.h"

/* Run from the build tree, the settings schema is beside the program rather
 * than installed: point GSettings there (the core finds the translations). */
static void
use_build_tree_resources (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *compiled = NULL;

  if (exe == NULL)
    return;
  dir = g_path_get_dirname (exe);
  /* Only the build tree has a compiled schema next to the program (an
   * installed one lives under share/glib-2.0/schemas). Asking GSettings
   * first would fix its search path before this could change it. */
  compiled = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_EXISTS))
    return;
  g_setenv ("GSETTINGS_SCHEMA_DIR", dir, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RrApplication) app = NULL;

  rr_core_init_memory ();
  use_build_tree_resources ();
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();
  textdomain (GETTEXT_PACKAGE);

  app = rr_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
