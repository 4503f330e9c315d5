/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What main.c knows of the invocation, handed to the report command. */
typedef struct {
  const char *global_database;  /* --database before the command, or NULL */
  const char *actor;
  const char *command;          /* "report" */
} RrCliReportContext;

/* Runs "report NAME …" or "report --list". Returns the exit status. */
int rr_cli_report_run (const RrCliReportContext *ctx,
                       int                       argc,
                       char                    **argv);

G_END_DECLS
