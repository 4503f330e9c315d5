/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What main.c knows of the invocation, handed to the trail commands. */
typedef struct {
  const char *global_database;  /* --database before the command, or NULL */
  const char *actor;
  const char *command;          /* "export-trail", "retention list", … */
} RrCliTrailContext;

/* Runs one of export-trail, verify-trail, export-mdto, retention list and
 * retention destroy, chosen by @ctx->command. Returns the exit status. */
int rr_cli_trail_run (const RrCliTrailContext *ctx,
                      int                      argc,
                      char                   **argv);

G_END_DECLS
