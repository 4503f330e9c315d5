/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rr-store.h"

G_BEGIN_DECLS

/* The reports of DESIGN §9. A report is plain data — titled tables with
 * typed columns and chart series — computed in the core with aggregate SQL,
 * so that the command line renders it to a file and the desktop app shows
 * the same tables in a GtkColumnView and the same series in a chart widget.
 *
 * Visibility (DESIGN §2, principle 7) is decided here, not by the front end:
 * a klantmanager gets their own figures beside the team aggregate, never a
 * colleague's individual figures and never a ranking; a teamleider gets the
 * team table; an auditor all teams, but no reflections. */

typedef enum {
  RR_REPORT_COLUMN_TEXT = 0,
  RR_REPORT_COLUMN_INTEGER,   /* a count */
  RR_REPORT_COLUMN_PERCENT,   /* value is a fraction 0…1; shown as a percentage */
  RR_REPORT_COLUMN_NUMBER,    /* a decimal, e.g. days */
  RR_REPORT_COLUMN_DATE,      /* YYYY-MM-DD text */
} RrReportColumnType;

typedef struct {
  char               *title;   /* translated */
  RrReportColumnType  type;
} RrReportColumn;

typedef struct {
  char    *text;    /* the cell as shown (translated, formatted); never NULL */
  double   value;   /* the number behind a numeric cell; NAN when none */
} RrReportCell;

typedef struct {
  RrReportCell *cells;      /* n_columns of them */
  gboolean      aggregate;  /* a total or team row: shown emphasised */
} RrReportRow;

typedef struct {
  char      *title;
  char      *note;      /* plain words under the table, or NULL */
  GPtrArray *columns;   /* (element-type RrReportColumn) */
  GPtrArray *rows;      /* (element-type RrReportRow) */
} RrReportTable;

typedef enum {
  RR_REPORT_CHART_BARS = 0,  /* categories side by side */
  RR_REPORT_CHART_TIME,      /* categories are months (YYYY-MM), drawn as lines */
} RrReportChartKind;

typedef struct {
  char   *label;
  GArray *values;   /* (element-type double), one per category */
} RrReportSeries;

typedef struct {
  char              *title;
  RrReportChartKind  kind;
  gboolean           percent;     /* values are fractions shown as percentages */
  GPtrArray         *categories;  /* (element-type utf8) */
  GPtrArray         *series;      /* (element-type RrReportSeries) */
} RrReportChart;

typedef struct {
  char      *name;          /* "consistentie" */
  char      *title;         /* translated */
  char      *description;   /* translated: what the report answers */
  char      *organisation;
  char      *scope;         /* translated: "Team Noord", "All teams" */
  char      *from;          /* YYYY-MM-DD */
  char      *to;
  char      *generated_at;  /* local time, "YYYY-MM-DD HH:MM" */
  char      *viewer;        /* display name of the acting user */
  GPtrArray *paragraphs;    /* (element-type utf8): narrative text (verhalen, basis) */
  GPtrArray *tables;        /* (element-type RrReportTable) */
  GPtrArray *charts;        /* (element-type RrReportChart) */
} RrReport;

void rr_report_free (RrReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrReport, rr_report_free)

typedef struct {
  const char *name;         /* stable, typed on the command line */
  const char *title;        /* N_() marked: translate with _() */
  const char *description;  /* N_() marked */
} RrReportInfo;

/* The report definitions, in the order of DESIGN §9. */
const RrReportInfo *rr_report_list            (guint *n_reports);
const RrReportInfo *rr_report_lookup          (const char *name);

/* Consistency: no conclusion is drawn from fewer decisions than this, per
 * rule and discretion kind, and per person within it. */
#define RR_REPORT_MIN_DECISIONS 20

/**
 * rr_report_run:
 * @store: an open, initialised store
 * @actor: the acting user's login
 * @name: a report name from rr_report_list()
 * @from: (nullable): first day (YYYY-MM-DD); NULL: one year before @to
 * @to: (nullable): last day; NULL: today
 * @team: (nullable): the team; NULL: the actor's own (an auditor: all teams)
 *
 * Computes a report as the actor may see it. Refuses with
 * RR_ERROR_PERMISSION when the actor may not see @team or the report.
 *
 * Returns: (transfer full): the report, or NULL with @error set
 */
RrReport *rr_report_run          (RrStore       *store,
                                  const char    *actor,
                                  const char    *name,
                                  const char    *from,
                                  const char    *to,
                                  const char    *team,
                                  GCancellable  *cancellable,
                                  GError       **error);

/* The same off the calling thread, on its own read-only connection to
 * @path, so a window never waits for it. */
void      rr_report_run_async    (const char          *path,
                                  const char          *actor,
                                  const char          *name,
                                  const char          *from,
                                  const char          *to,
                                  const char          *team,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
RrReport *rr_report_run_finish   (GAsyncResult        *result,
                                  GError             **error);

/* Output. CSV: UTF-8, a title line and a header row per table, RFC 4180
 * quoting; @separator ';' (what Dutch spreadsheets expect), ',' or '\t'.
 * HTML: one self-contained document, inline CSS and SVG, no scripts.
 * PDF: A4 with cairo and Pango, header, page numbers, vector charts. */
char     *rr_report_to_csv       (const RrReport *report,
                                  char            separator);
char     *rr_report_to_html      (const RrReport *report);
gboolean  rr_report_write_pdf    (const RrReport *report,
                                  const char     *path,
                                  GError        **error);

G_END_DECLS
