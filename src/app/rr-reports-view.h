/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_REPORTS_VIEW (rr_reports_view_get_type ())
G_DECLARE_FINAL_TYPE (RrReportsView, rr_reports_view, RR, REPORTS_VIEW, GtkWidget)

typedef enum {
  RR_REPORTS_FORMAT_PDF,
  RR_REPORTS_FORMAT_CSV,
  RR_REPORTS_FORMAT_HTML,
} RrReportsFormat;

/* The reports of DESIGN §9: pick one, a period and (an auditor) a team;
 * it is computed in a thread on its own connection and shown as charts
 * and tables, ready to export. What a person may see is the core's
 * decision. */
GtkWidget      *rr_reports_view_new        (RrStore         *store,
                                            const char      *login);
/* Selects a report by its name (rr_report_list()); FALSE if unknown. */
gboolean        rr_reports_view_select     (RrReportsView   *self,
                                            const char      *name);
/* Runs the chosen report for the chosen period and team, replacing one
 * that still runs. The result or the refusal shows when it is done. */
void            rr_reports_view_run        (RrReportsView   *self);
/* What the file chooser leads to (tests call it directly): writes the
 * shown report to @path in a thread; CSV with the chosen separator. */
void            rr_reports_view_export_to  (RrReportsView   *self,
                                            RrReportsFormat  format,
                                            const char      *path);
/* The report on show, or NULL. */
const RrReport *rr_reports_view_get_report (RrReportsView   *self);
/* TRUE while a report is computed or an export is written. */
gboolean        rr_reports_view_is_busy    (RrReportsView   *self);

G_END_DECLS
