/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-report"
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-decision-private.h"
#include "rr-error.h"
#include "rr-report.h"
#include "rr-report-private.h"
#include "rr-schema.h"
#include "rr-store-private.h"
#include "rr-types.h"
#include "rr-users.h"

/* Every figure comes from aggregate queries (GROUP BY in SQLite, never a
 * loop over rows in C). Only current versions count: status 'recorded'
 * (superseded versions are history, withdrawn decisions were not taken).
 *
 * The queries read the report summary of schema version 3 (rr-schema.c):
 * the counts of whole years and months of the period, and the facts of
 * the decisions of the days at either end of it (see source_sql ()), so
 * that a report over a million decisions stays within DESIGN §8's second.
 * A klantmanager's own figures come from their own decisions' facts. */

#define CURRENT_SQL "d.status = 'recorded' AND d.decision_date >= :from AND d.decision_date <= :to"
#define EFFECT_SQL \
  "(SELECT o.effect FROM outcomes o WHERE o.number = d.number ORDER BY o.id DESC LIMIT 1)"
/* The milliseconds in a day: turnaround is summed in whole milliseconds. */
#define MS_PER_DAY 86400000.0
/* A follow-up counts as due soon within this many days. */
#define DUE_SOON_DAYS 30
/* A z-score beyond this is a difference that chance alone explains in
 * fewer than one in twenty cases (two-sided 95 %). */
#define Z_95 1.96
/* At most this many months are drawn in a time series. */
#define MAX_MONTHS 120

typedef enum {
  VIEW_KLANTMANAGER,
  VIEW_TEAMLEIDER,
  VIEW_AUDITOR,
} View;

typedef struct {
  RrStore      *store;
  RrUser       *user;
  View          view;
  char         *team;      /* NULL: all teams (auditor) */
  char         *from;
  char         *to;
  char         *today;
  /* The period split up (split_period ()): the days from :from to :d1 and
   * from :d2 to :to come from the decisions' facts; the years :y1…:y2 and
   * the months :m1…:m2 and :m3…:m4 from the counts. :fm…:lm are all its
   * whole months, for the monthly charts. An empty range runs backwards. */
  char          d1[16], d2[16];
  char          y1[8], y2[8];
  char          m1[8], m2[8], m3[8], m4[8];
  char          fm[8], lm[8];
  GCancellable *cancellable;
  RrReport     *report;
  GHashTable   *labels;    /* "vocab:code" → label */
} Ctx;

typedef gboolean (*BuildFunc) (Ctx *ctx, GError **error);

static gboolean build_precedents  (Ctx *ctx, GError **error);
static gboolean build_consistency (Ctx *ctx, GError **error);
static gboolean build_bottlenecks (Ctx *ctx, GError **error);
static gboolean build_follow_up   (Ctx *ctx, GError **error);
static gboolean build_reviews     (Ctx *ctx, GError **error);
static gboolean build_sanctions   (Ctx *ctx, GError **error);
static gboolean build_mandate     (Ctx *ctx, GError **error);
static gboolean build_caseload    (Ctx *ctx, GError **error);
static gboolean build_stories     (Ctx *ctx, GError **error);

static const RrReportInfo reports[] = {
  { "vergelijkbare-casussen", N_("Comparable cases"),
    N_("Precedents per rule: deviations, their reasons and their outcomes.") },
  { "consistentie", N_("Consistency"),
    N_("Per rule and discretion kind, how often the team deviates and with what effect; "
       "differences are prompts for intervisie, not violations.") },
  { "regelknelpunten", N_("Rule bottlenecks"),
    N_("The rules departed from most often, with the reasons and the policy signals: "
       "input for policy.") },
  { "opvolging-en-effect", N_("Follow-up and effect"),
    N_("Follow-ups due and overdue, and the outcomes of deviations.") },
  { "toetsing", N_("Review"),
    N_("Deviations with and without a teamleider’s review, turnaround and verdicts.") },
  { "sancties", N_("Sanctions"),
    N_("Sanctions imposed and refrained from, with the check for human contact "
       "beforehand.") },
  { "mandaat", N_("Mandate"),
    N_("Decisions outside the author’s mandate and the backing they received.") },
  { "caseload", N_("Caseload"),
    N_("Active clients and decisions per klantmanager against the team.") },
  { "verhalen", N_("Stories"),
    N_("Case stories and reflections shared with the team, pseudonymised.") },
};

static const BuildFunc builders[] = {
  build_precedents, build_consistency, build_bottlenecks, build_follow_up, build_reviews,
  build_sanctions, build_mandate, build_caseload, build_stories,
};

G_STATIC_ASSERT (G_N_ELEMENTS (reports) == G_N_ELEMENTS (builders));

/* ------------------------------------------------------------ the data */

static void
column_free (RrReportColumn *column)
{
  g_free (column->title);
  g_free (column);
}

static void
table_free (RrReportTable *table)
{
  for (guint i = 0; i < table->rows->len; i++)
    {
      RrReportRow *row = g_ptr_array_index (table->rows, i);

      for (guint j = 0; j < table->columns->len; j++)
        g_free (row->cells[j].text);
      g_free (row->cells);
      g_free (row);
    }
  g_ptr_array_unref (table->rows);
  g_ptr_array_unref (table->columns);
  g_free (table->title);
  g_free (table->note);
  g_free (table);
}

static void
series_free (RrReportSeries *series)
{
  g_free (series->label);
  g_array_unref (series->values);
  g_free (series);
}

static void
chart_free (RrReportChart *chart)
{
  g_free (chart->title);
  g_ptr_array_unref (chart->categories);
  g_ptr_array_unref (chart->series);
  g_free (chart);
}

void
rr_report_free (RrReport *report)
{
  if (report == NULL)
    return;
  g_free (report->name);
  g_free (report->title);
  g_free (report->description);
  g_free (report->organisation);
  g_free (report->scope);
  g_free (report->from);
  g_free (report->to);
  g_free (report->generated_at);
  g_free (report->viewer);
  g_ptr_array_unref (report->paragraphs);
  g_ptr_array_unref (report->tables);
  g_ptr_array_unref (report->charts);
  g_free (report);
}

const RrReportInfo *
rr_report_list (guint *n_reports)
{
  if (n_reports != NULL)
    *n_reports = G_N_ELEMENTS (reports);
  return reports;
}

const RrReportInfo *
rr_report_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    if (g_str_equal (reports[i].name, name))
      return &reports[i];
  return NULL;
}

/* ----------------------------------------------------- building tables */

/* add_table (ctx, title, note, "Column", TYPE, …, NULL) */
static RrReportTable *
add_table (Ctx        *ctx,
           const char *title,
           const char *note,
           ...)
{
  RrReportTable *table = g_new0 (RrReportTable, 1);
  const char *column_title;
  va_list args;

  table->title = g_strdup (title);
  table->note = g_strdup (note);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->rows = g_ptr_array_new ();

  va_start (args, note);
  while ((column_title = va_arg (args, const char *)) != NULL)
    {
      RrReportColumn *column = g_new0 (RrReportColumn, 1);

      column->title = g_strdup (column_title);
      column->type = va_arg (args, int);
      g_ptr_array_add (table->columns, column);
    }
  va_end (args);

  g_ptr_array_add (ctx->report->tables, table);
  return table;
}

static RrReportRow *
add_row (RrReportTable *table,
         gboolean       aggregate)
{
  RrReportRow *row = g_new0 (RrReportRow, 1);

  row->cells = g_new0 (RrReportCell, table->columns->len);
  for (guint i = 0; i < table->columns->len; i++)
    row->cells[i].value = NAN;
  row->aggregate = aggregate;
  g_ptr_array_add (table->rows, row);
  return row;
}

static void
set_text (RrReportRow *row,
          guint        i,
          const char  *text)
{
  g_free (row->cells[i].text);
  row->cells[i].text = g_strdup (text != NULL ? text : "");
}

static void
set_int (RrReportRow *row,
         guint        i,
         gint64       value)
{
  g_free (row->cells[i].text);
  row->cells[i].text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  row->cells[i].value = (double) value;
}

/* A share of @n in @total, or a dash when there is nothing to divide by. */
static void
set_share (RrReportRow *row,
           guint        i,
           gint64       n,
           gint64       total)
{
  g_free (row->cells[i].text);
  if (total <= 0)
    {
      row->cells[i].text = g_strdup ("–");
      row->cells[i].value = NAN;
      return;
    }
  row->cells[i].value = (double) n / (double) total;
  /* The locale's decimal sign: a comma in Dutch. */
  row->cells[i].text = g_strdup_printf ("%.1f%%", 100.0 * row->cells[i].value);
}

static void
set_number (RrReportRow *row,
            guint        i,
            double       value)
{
  g_free (row->cells[i].text);
  if (isnan (value))
    {
      row->cells[i].text = g_strdup ("–");
      row->cells[i].value = NAN;
      return;
    }
  row->cells[i].value = value;
  row->cells[i].text = g_strdup_printf ("%.1f", value);
}

static RrReportChart *
add_chart (Ctx               *ctx,
           const char        *title,
           RrReportChartKind  kind,
           gboolean           percent)
{
  RrReportChart *chart = g_new0 (RrReportChart, 1);

  chart->title = g_strdup (title);
  chart->kind = kind;
  chart->percent = percent;
  chart->categories = g_ptr_array_new_with_free_func (g_free);
  chart->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  g_ptr_array_add (ctx->report->charts, chart);
  return chart;
}

static RrReportSeries *
add_series (RrReportChart *chart,
            const char    *label)
{
  RrReportSeries *series = g_new0 (RrReportSeries, 1);

  series->label = g_strdup (label);
  series->values = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (series->values, chart->categories->len);
  g_ptr_array_add (chart->series, series);
  return series;
}

static void
add_paragraph (Ctx        *ctx,
               const char *text)
{
  g_ptr_array_add (ctx->report->paragraphs, g_strdup (text));
}

/* The months from @from to @to as categories of a time series. */
static void
set_months (Ctx           *ctx,
            RrReportChart *chart)
{
  int y, m, y_end, m_end;

  if (sscanf (ctx->from, "%4d-%2d", &y, &m) != 2 || sscanf (ctx->to, "%4d-%2d", &y_end, &m_end) != 2)
    return;
  /* A long period shows its last MAX_MONTHS months. */
  if ((y_end - y) * 12 + (m_end - m) >= MAX_MONTHS)
    {
      int first = y_end * 12 + (m_end - 1) - (MAX_MONTHS - 1);

      y = first / 12;
      m = first % 12 + 1;
    }
  while (y < y_end || (y == y_end && m <= m_end))
    {
      g_ptr_array_add (chart->categories, g_strdup_printf ("%04d-%02d", y, m));
      if (++m > 12)
        {
          m = 1;
          y++;
        }
    }
}

static int
category_index (RrReportChart *chart,
                const char    *category)
{
  for (guint i = 0; i < chart->categories->len; i++)
    if (g_str_equal (g_ptr_array_index (chart->categories, i), category))
      return (int) i;
  return -1;
}

/* ------------------------------------------------------------ SQL */

static const char *
team_sql (Ctx *ctx)
{
  return ctx->team != NULL ? " AND d.team = :team" : "";
}

/* A count table of the summary, and the same columns worked out from one
 * decision's facts (report_facts f), counting 1: the expressions the
 * schema's triggers and rebuild use (REPORT_*_VALUES in rr-schema.c);
 * test-report-summary.c checks that both give the same figures. */
typedef struct {
  const char *table;
  const char *columns;
  const char *facts;
} Summary;

/* Per rule and discretion kind; the effect only of a deviation. */
static const Summary rule_counts = {
  "report_rule_counts",
  "team, rule_id, kind, outcome, reason, effect, n",
  "f.team, f.rule_id, f.kind, f.outcome, f.reason,"
  " CASE WHEN f.outcome = 'deviated' THEN f.effect ELSE '' END, 1",
};

/* Follow-up, review, sanction and mandate: the verdict only of a deviation
 * or a decision outside the mandate, the kind only outside the mandate. */
static const Summary state_counts = {
  "report_state_counts",
  "team, outcome, effect, dated, sanction, contact, within_mandate, mandate_kind, approval,"
  " verdict, advised, n, days_ms",
  "f.team, f.outcome, f.effect, f.follow_up IS NOT NULL, f.sanction,"
  " CASE WHEN f.sanction <> 'none' THEN f.contact ELSE 0 END, f.within_mandate,"
  " CASE WHEN f.within_mandate = 0 THEN f.kind ELSE '' END,"
  " CASE WHEN f.outcome = 'deviated' THEN f.approval ELSE 0 END,"
  " CASE WHEN f.outcome = 'deviated' OR f.within_mandate = 0 THEN f.verdict ELSE '' END,"
  " CASE WHEN f.outcome = 'deviated' THEN f.advised ELSE 0 END, 1,"
  " CASE WHEN f.outcome = 'deviated' THEN f.days_ms ELSE 0 END",
};

/* Per author; open: no outcome yet, with a follow-up date. */
static const Summary author_counts = {
  "report_author_counts",
  "author_id, team, outcome, open, n",
  "f.author_id, f.team, f.outcome, f.effect = '' AND f.follow_up IS NOT NULL, 1",
};

/* The rows of @summary over the period as one subquery, with a column
 * mine (0) and, when @mine, the acting user's own decisions once more
 * with mine 1: sum the rows with mine 0 for the scope, those with mine 1
 * for "you". When @monthly, a first column month, from the counts of
 * every month rather than of whole years, for a time series. */
static char *
source_sql (Ctx           *ctx,
            const Summary *summary,
            gboolean       mine,
            gboolean       monthly)
{
  GString *sql = g_string_new ("(");
  const char *team = ctx->team != NULL ? " AND team = :team" : "";
  const char *f_month = monthly ? "substr (f.decision_date, 1, 7), " : "";

  if (monthly)
    g_string_append_printf (sql, "SELECT period AS month, %s, 0 AS mine FROM %s"
                            " WHERE level = 0 AND period BETWEEN :fm AND :lm%s",
                            summary->columns, summary->table, team);
  else
    g_string_append_printf (sql, "SELECT %s, 0 AS mine FROM %s"
                            " WHERE level = 1 AND period BETWEEN :y1 AND :y2%s"
                            " UNION ALL SELECT %s, 0 FROM %s"
                            " WHERE level = 0 AND period BETWEEN :m1 AND :m2%s"
                            " UNION ALL SELECT %s, 0 FROM %s"
                            " WHERE level = 0 AND period BETWEEN :m3 AND :m4%s",
                            summary->columns, summary->table, team,
                            summary->columns, summary->table, team,
                            summary->columns, summary->table, team);
  g_string_append_printf (sql, " UNION ALL SELECT %s%s, 0 FROM decisions d"
                          " JOIN report_facts f ON f.decision_id = d.id"
                          " WHERE d.status = 'recorded' AND d.decision_date >= :from"
                          " AND d.decision_date <= :d1%s"
                          " UNION ALL SELECT %s%s, 0 FROM decisions d"
                          " JOIN report_facts f ON f.decision_id = d.id"
                          " WHERE d.status = 'recorded' AND d.decision_date >= :d2"
                          " AND d.decision_date <= :to%s",
                          f_month, summary->facts, team_sql (ctx),
                          f_month, summary->facts, team_sql (ctx));
  if (mine)
    g_string_append_printf (sql, " UNION ALL SELECT %s%s, 1 FROM decisions d"
                            " JOIN report_facts f ON f.decision_id = d.id"
                            " WHERE d.author_id = :me AND " CURRENT_SQL "%s",
                            f_month, summary->facts, team_sql (ctx));
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

static void
format_month (char  *buf,
              gsize  size,
              int    index)
{
  g_snprintf (buf, size, "%04d-%02d", index / 12, index % 12 + 1);
}

/* The first day of month @index (year × 12 + month − 1), plus @days. */
static void
format_day (char  *buf,
            gsize  size,
            int    index,
            int    days)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, index % 12 + 1, index / 12);
  if (days < 0)
    g_date_subtract_days (&date, -days);
  else
    g_date_add_days (&date, days);
  g_snprintf (buf, size, "%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

/* Splits the period into the days before its first whole month, its whole
 * years, the whole months around them, and the days after its last whole
 * month. */
static void
split_period (Ctx *ctx)
{
  int y, m, d, first, last, first_year, last_year;

  /* Empty until set. */
  g_strlcpy (ctx->d1, ctx->to, sizeof ctx->d1);
  g_strlcpy (ctx->d2, "9999-99-99", sizeof ctx->d2);
  g_strlcpy (ctx->y1, "9999", sizeof ctx->y1);
  g_strlcpy (ctx->y2, "0000", sizeof ctx->y2);
  g_strlcpy (ctx->m1, "9999-99", sizeof ctx->m1);
  g_strlcpy (ctx->m2, "0000-00", sizeof ctx->m2);
  g_strlcpy (ctx->m3, "9999-99", sizeof ctx->m3);
  g_strlcpy (ctx->m4, "0000-00", sizeof ctx->m4);
  g_strlcpy (ctx->fm, "9999-99", sizeof ctx->fm);
  g_strlcpy (ctx->lm, "0000-00", sizeof ctx->lm);

  sscanf (ctx->from, "%4d-%2d-%2d", &y, &m, &d);
  first = y * 12 + m - 1 + (d > 1 ? 1 : 0);
  sscanf (ctx->to, "%4d-%2d-%2d", &y, &m, &d);
  last = y * 12 + m - 1 - (d < g_date_get_days_in_month (m, y) ? 1 : 0);
  if (first > last)
    return;   /* no whole month: every day from the facts */

  format_day (ctx->d1, sizeof ctx->d1, first, -1);
  format_day (ctx->d2, sizeof ctx->d2, last + 1, 0);
  format_month (ctx->fm, sizeof ctx->fm, first);
  format_month (ctx->lm, sizeof ctx->lm, last);

  first_year = (first + 11) / 12;
  last_year = (last + 1) / 12 - 1;
  if (first_year > last_year)
    {
      format_month (ctx->m1, sizeof ctx->m1, first);
      format_month (ctx->m2, sizeof ctx->m2, last);
      return;
    }
  g_snprintf (ctx->y1, sizeof ctx->y1, "%04d", first_year);
  g_snprintf (ctx->y2, sizeof ctx->y2, "%04d", last_year);
  /* The months before the first whole year and after the last; a range
   * that runs backwards is empty. */
  format_month (ctx->m1, sizeof ctx->m1, first);
  format_month (ctx->m2, sizeof ctx->m2, first_year * 12 - 1);
  format_month (ctx->m3, sizeof ctx->m3, (last_year + 1) * 12);
  format_month (ctx->m4, sizeof ctx->m4, last);
}

/* Prepares @sql (printf-style, for the fixed fragments above) and binds
 * the named parameters it uses: :from, :to, :team, :me, :today, :soon and
 * the split of the period (:d1, :d2, :y1…:m4, :fm, :lm). */
G_GNUC_PRINTF (3, 4)
static sqlite3_stmt *
prepare (Ctx         *ctx,
         GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *soon = NULL;
  int rc;
  int i;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  rc = sqlite3_prepare_v2 (_rr_store_get_db (ctx->store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (ctx->store, rc, error);
      return NULL;
    }
  if ((i = sqlite3_bind_parameter_index (stmt, ":from")) > 0)
    _rr_bind_text (stmt, i, ctx->from);
  if ((i = sqlite3_bind_parameter_index (stmt, ":to")) > 0)
    _rr_bind_text (stmt, i, ctx->to);
  if ((i = sqlite3_bind_parameter_index (stmt, ":team")) > 0)
    _rr_bind_text (stmt, i, ctx->team);
  if ((i = sqlite3_bind_parameter_index (stmt, ":me")) > 0)
    sqlite3_bind_int64 (stmt, i, ctx->user->id);
  if ((i = sqlite3_bind_parameter_index (stmt, ":today")) > 0)
    _rr_bind_text (stmt, i, ctx->today);
  {
    const struct { const char *name; const char *value; } period[] = {
      { ":d1", ctx->d1 }, { ":d2", ctx->d2 }, { ":y1", ctx->y1 }, { ":y2", ctx->y2 },
      { ":m1", ctx->m1 }, { ":m2", ctx->m2 }, { ":m3", ctx->m3 }, { ":m4", ctx->m4 },
      { ":fm", ctx->fm }, { ":lm", ctx->lm },
    };

    for (guint p = 0; p < G_N_ELEMENTS (period); p++)
      if ((i = sqlite3_bind_parameter_index (stmt, period[p].name)) > 0)
        _rr_bind_text (stmt, i, period[p].value);
  }
  if ((i = sqlite3_bind_parameter_index (stmt, ":soon")) > 0)
    {
      GDate date;
      char buf[16];
      int y, m, d;

      sscanf (ctx->today, "%4d-%2d-%2d", &y, &m, &d);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, m, y);
      g_date_add_days (&date, DUE_SOON_DAYS);
      g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      _rr_bind_text (stmt, i, buf);
    }
  return stmt;
}

/* Steps, and turns cancellation into an error between rows. */
static int
step (Ctx           *ctx,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return SQLITE_ERROR;
  return _rr_step (ctx->store, stmt, error);
}

static const char *
col_text (sqlite3_stmt *stmt,
          int           i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);
  return text != NULL ? text : "";
}

static const char *
vocab_label (Ctx        *ctx,
             RrVocab     vocab,
             const char *code)
{
  g_autofree char *key = NULL;
  const char *label;
  sqlite3_stmt *stmt;

  if (code == NULL || *code == '\0')
    return _("(none)");
  key = g_strdup_printf ("%d:%s", (int) vocab, code);
  label = g_hash_table_lookup (ctx->labels, key);
  if (label != NULL)
    return label;

  stmt = _rr_store_prepare (ctx->store,
                            "SELECT label FROM vocab WHERE vocab = ? AND code = ?", NULL);
  if (stmt != NULL)
    {
      static const char * const names[] = { "kind", "domain", "reason" };

      sqlite3_bind_text (stmt, 1, names[vocab], -1, SQLITE_STATIC);
      _rr_bind_text (stmt, 2, code);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
        label = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (label == NULL)
    {
      const char *builtin = _rr_vocab_builtin_label (vocab, code);
      label = g_strdup (builtin != NULL ? builtin : code);
    }
  g_hash_table_insert (ctx->labels, g_steal_pointer (&key), (char *) label);
  return label;
}

/* The words for whose figures a row holds, in a klantmanager's view. */
static const char *
you_label (void)
{
  return _("You");
}

static char *
team_label (Ctx *ctx)
{
  if (ctx->team == NULL)
    return g_strdup (_("All teams"));
  return g_strdup (ctx->team);
}

/* --------------------------------------------------------- statistics */

/* Wilson score interval for @k of @n at 95 %: honest for small n and for
 * shares near 0 or 1, where the textbook interval is not. */
static void
wilson (gint64  k,
        gint64  n,
        double *low,
        double *high)
{
  double p, z2, denom, centre, margin;

  if (n <= 0)
    {
      *low = *high = NAN;
      return;
    }
  p = (double) k / (double) n;
  z2 = Z_95 * Z_95;
  denom = 1.0 + z2 / n;
  centre = (p + z2 / (2.0 * n)) / denom;
  margin = Z_95 * sqrt (p * (1.0 - p) / n + z2 / (4.0 * n * (double) n)) / denom;
  *low = MAX (0.0, centre - margin);
  *high = MIN (1.0, centre + margin);
}

/* Two-proportion z-test (pooled): @k1 of @n1 against @k2 of @n2. */
static double
two_proportion_z (gint64 k1,
                  gint64 n1,
                  gint64 k2,
                  gint64 n2)
{
  double p1, p2, pooled, se;

  if (n1 <= 0 || n2 <= 0)
    return 0.0;
  p1 = (double) k1 / n1;
  p2 = (double) k2 / n2;
  pooled = (double) (k1 + k2) / (double) (n1 + n2);
  se = sqrt (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2));
  if (se <= 0.0)
    return 0.0;
  return (p1 - p2) / se;
}

static char *
format_interval (gint64 k,
                 gint64 n)
{
  double low, high;

  wilson (k, n, &low, &high);
  if (isnan (low))
    return g_strdup ("–");
  return g_strdup_printf ("%.1f–%.1f%%", 100.0 * low, 100.0 * high);
}

/* ------------------------------------------- 1. vergelijkbare casussen */

static gboolean
build_precedents (Ctx     *ctx,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *source = source_sql (ctx, &rule_counts, FALSE, FALSE);
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *deviated, *applied;
  int rc;

  table = add_table (ctx, _("Deviations per rule"),
                     _("Effects are those recorded at follow-up for the deviations; "
                       "“no outcome yet” counts deviations without a recorded outcome."),
                     _("Rule"), RR_REPORT_COLUMN_TEXT,
                     _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                     _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                     _("Share deviated"), RR_REPORT_COLUMN_PERCENT,
                     _("Effect achieved"), RR_REPORT_COLUMN_INTEGER,
                     _("Partly"), RR_REPORT_COLUMN_INTEGER,
                     _("Not achieved"), RR_REPORT_COLUMN_INTEGER,
                     _("Unknown"), RR_REPORT_COLUMN_INTEGER,
                     _("No outcome yet"), RR_REPORT_COLUMN_INTEGER,
                     NULL);
  chart = add_chart (ctx, _("Decisions per rule (most deviations first)"),
                     RR_REPORT_CHART_BARS, FALSE);
  deviated = add_series (chart, _("Deviated"));
  applied = add_series (chart, _("Applied"));

  stmt = prepare (ctx, error,
                  "SELECT r.code, max (r.title), sum (x.n), sum (x.n * (x.outcome = 'deviated')),"
                  " sum (x.n * (x.effect = 'bereikt')), sum (x.n * (x.effect = 'deels')),"
                  " sum (x.n * (x.effect = 'niet')), sum (x.n * (x.effect = 'onbekend')),"
                  " sum (x.n * (x.outcome = 'deviated' AND x.effect = ''))"
                  " FROM %s x JOIN rules r ON r.id = x.rule_id"
                  " GROUP BY r.code ORDER BY 4 DESC, r.code",
                  source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      RrReportRow *row = add_row (table, FALSE);
      gint64 n = sqlite3_column_int64 (stmt, 2);
      gint64 dev = sqlite3_column_int64 (stmt, 3);

      set_text (row, 0, col_text (stmt, 0));
      set_int (row, 1, n);
      set_int (row, 2, dev);
      set_share (row, 3, dev, n);
      for (int i = 0; i < 5; i++)
        set_int (row, 4 + i, sqlite3_column_int64 (stmt, 4 + i));

      if (chart->categories->len < 10)
        {
          double a = (double) (n - dev), v = (double) dev;

          g_ptr_array_add (chart->categories, g_strdup (col_text (stmt, 0)));
          g_array_append_val (deviated->values, v);
          g_array_append_val (applied->values, a);
        }
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The latest deviations themselves, as the precedents beside the form
   * show them: the client pseudonymised, no author. */
  table = add_table (ctx, _("Latest deviations"),
                     _("Clients are shown as a pseudonym; the author is not shown."),
                     _("Number"), RR_REPORT_COLUMN_TEXT,
                     _("Date"), RR_REPORT_COLUMN_DATE,
                     _("Rule"), RR_REPORT_COLUMN_TEXT,
                     _("Client"), RR_REPORT_COLUMN_TEXT,
                     _("Reason"), RR_REPORT_COLUMN_TEXT,
                     _("Summary"), RR_REPORT_COLUMN_TEXT,
                     _("Effect"), RR_REPORT_COLUMN_TEXT,
                     NULL);
  stmt = prepare (ctx, error,
                  "SELECT d.number, d.decision_date, r.code, c.salt, c.uuid, d.reason,"
                  " d.summary, " EFFECT_SQL
                  /* The 25 first, then their details: the sorter then
                   * carries ids, not every deviation's effect. */
                  " FROM (SELECT d.id FROM decisions d"
                  "       WHERE " CURRENT_SQL "%s AND d.outcome = 'deviated'"
                  "       ORDER BY d.decision_date DESC, d.id DESC LIMIT 25) top"
                  " JOIN decisions d ON d.id = top.id"
                  " JOIN rules r ON r.id = d.rule_id"
                  " JOIN clients c ON c.id = d.client_id"
                  " ORDER BY d.decision_date DESC, d.id DESC",
                  team_sql (ctx));
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      RrReportRow *row = add_row (table, FALSE);
      g_autofree char *pseudonym = _rr_client_pseudonym (col_text (stmt, 3), col_text (stmt, 4));
      RrEffect effect = rr_effect_from_string (col_text (stmt, 7));

      set_text (row, 0, col_text (stmt, 0));
      set_text (row, 1, col_text (stmt, 1));
      set_text (row, 2, col_text (stmt, 2));
      set_text (row, 3, pseudonym);
      set_text (row, 4, vocab_label (ctx, RR_VOCAB_REASON, col_text (stmt, 5)));
      set_text (row, 5, sqlite3_column_type (stmt, 6) == SQLITE_NULL
                        ? _("(destroyed after its retention period)") : col_text (stmt, 6));
      set_text (row, 6, effect != RR_EFFECT_NONE ? rr_effect_label (effect) : _("No outcome yet"));
    }
  return rc == SQLITE_DONE;
}

/* ------------------------------------------------------ 2. consistentie */

typedef struct {
  char   *code;
  char   *kind;
  gint64  n, dev;          /* the whole scope */
  gint64  eff_n, eff_ok;   /* deviations with an outcome; effect achieved */
  gint64  mine_n, mine_dev;
  GArray *members;         /* (element-type Member): per person or team */
} Combo;

typedef struct {
  char   *name;
  gint64  n, dev;
} Member;

static void
combo_free (Combo *combo)
{
  for (guint i = 0; combo->members != NULL && i < combo->members->len; i++)
    g_free (g_array_index (combo->members, Member, i).name);
  g_clear_pointer (&combo->members, g_array_unref);
  g_free (combo->code);
  g_free (combo->kind);
  g_free (combo);
}

static int
compare_combo_size (gconstpointer a,
                    gconstpointer b)
{
  const Combo *ca = *(const Combo * const *) a;
  const Combo *cb = *(const Combo * const *) b;

  return ca->n < cb->n ? 1 : ca->n > cb->n ? -1 : 0;
}

static gboolean
build_consistency (Ctx     *ctx,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) combos = g_ptr_array_new_with_free_func ((GDestroyNotify) combo_free);
  /* Who is compared with the rest: persons within a team, or teams. */
  gboolean by_team = ctx->team == NULL;
  gboolean km = ctx->view == VIEW_KLANTMANAGER && !by_team;
  g_autofree char *basis = NULL;
  g_autofree char *source = NULL;
  RrReportTable *table;
  RrReportTable *divergences = NULL;
  Combo *combo = NULL;
  guint n_shown = 0;
  int rc;

  if (by_team || km)
    {
      /* Teams, or the team and the klantmanager's own (mine 1): counts. */
      source = source_sql (ctx, &rule_counts, km, FALSE);
      stmt = prepare (ctx, error,
                      "SELECT r.code, x.kind, %s, sum (x.n), sum (x.n * (x.outcome = 'deviated')),"
                      " sum (x.n * (x.effect <> '')), sum (x.n * (x.effect = 'bereikt'))"
                      " FROM %s x JOIN rules r ON r.id = x.rule_id"
                      " GROUP BY r.code, x.kind, 3 ORDER BY r.code, x.kind, 3",
                      by_team ? "x.team" : "x.mine", source);
    }
  else
    /* Persons within one team: that team's decisions. */
    stmt = prepare (ctx, error,
                    "SELECT r.code, f.kind, u.display_name, count (*),"
                    " sum (f.outcome = 'deviated'), sum (f.outcome = 'deviated' AND f.effect <> ''),"
                    " sum (f.outcome = 'deviated' AND f.effect = 'bereikt')"
                    /* The team's own rows of the index, not every team's. */
                    " FROM decisions d INDEXED BY decisions_team"
                    " JOIN report_facts f ON f.decision_id = d.id"
                    " JOIN rules r ON r.id = f.rule_id JOIN users u ON u.id = f.author_id"
                    " WHERE " CURRENT_SQL "%s"
                    " GROUP BY r.code, f.kind, 3 ORDER BY r.code, f.kind, 3",
                    team_sql (ctx));
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      const char *code = col_text (stmt, 0);
      const char *kind = col_text (stmt, 1);
      gint64 n = sqlite3_column_int64 (stmt, 3);
      gint64 dev = sqlite3_column_int64 (stmt, 4);

      if (combo == NULL || !g_str_equal (combo->code, code) || !g_str_equal (combo->kind, kind))
        {
          combo = g_new0 (Combo, 1);
          combo->code = g_strdup (code);
          combo->kind = g_strdup (kind);
          combo->members = g_array_new (FALSE, TRUE, sizeof (Member));
          g_ptr_array_add (combos, combo);
        }
      if (km && sqlite3_column_int (stmt, 2) == 1)
        {
          /* A klantmanager's own figures only: colleagues stay in the
           * team's total and are never listed. */
          combo->mine_n = n;
          combo->mine_dev = dev;
          continue;
        }
      combo->n += n;
      combo->dev += dev;
      combo->eff_n += sqlite3_column_int64 (stmt, 5);
      combo->eff_ok += sqlite3_column_int64 (stmt, 6);
      if (!km)
        {
          Member member = { g_strdup (col_text (stmt, 2)), n, dev };
          g_array_append_val (combo->members, member);
        }
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  basis = g_strdup_printf (_("How to read this report: a share is shown only for a rule and "
                             "discretion kind with at least %d decisions in the period; no "
                             "conclusion is drawn from fewer. The margin is a 95%% Wilson "
                             "interval: with this many decisions the true share lies within "
                             "it in 19 out of 20 cases. A difference is marked as worth an "
                             "intervisie conversation when a two-proportion test says chance "
                             "alone would explain it in fewer than 1 in 20 cases, and both "
                             "sides have at least %d decisions. A difference is a question "
                             "to talk about, not a violation: the cases may simply differ. And "
                             "because many comparisons are made, some marks are chance: of "
                             "every twenty comparisons without a real difference, about one "
                             "is marked all the same."),
                           RR_REPORT_MIN_DECISIONS, RR_REPORT_MIN_DECISIONS);
  add_paragraph (ctx, basis);

  if (ctx->view == VIEW_KLANTMANAGER && !by_team)
    table = add_table (ctx, _("Deviation share per rule and discretion kind"), NULL,
                       _("Rule"), RR_REPORT_COLUMN_TEXT,
                       _("Discretion kind"), RR_REPORT_COLUMN_TEXT,
                       _("Team decisions"), RR_REPORT_COLUMN_INTEGER,
                       _("Team share deviated"), RR_REPORT_COLUMN_PERCENT,
                       /* xgettext:no-c-format */
                       _("Margin (95%)"), RR_REPORT_COLUMN_TEXT,
                       _("Effect achieved"), RR_REPORT_COLUMN_PERCENT,
                       _("Your decisions"), RR_REPORT_COLUMN_INTEGER,
                       _("Your share deviated"), RR_REPORT_COLUMN_PERCENT,
                       _("For intervisie"), RR_REPORT_COLUMN_TEXT,
                       NULL);
  else
    table = add_table (ctx, _("Deviation share per rule and discretion kind"), NULL,
                       _("Rule"), RR_REPORT_COLUMN_TEXT,
                       _("Discretion kind"), RR_REPORT_COLUMN_TEXT,
                       _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                       _("Share deviated"), RR_REPORT_COLUMN_PERCENT,
                       /* xgettext:no-c-format */
                       _("Margin (95%)"), RR_REPORT_COLUMN_TEXT,
                       _("Effect achieved"), RR_REPORT_COLUMN_PERCENT,
                       NULL);

  if (ctx->view != VIEW_KLANTMANAGER || by_team)
    divergences = add_table (ctx, _("Differences worth an intervisie conversation"),
                             by_team
                             ? _("Each team against the other teams together, for the same "
                                 "rule and discretion kind.")
                             : _("Each klantmanager against the rest of the team, for the "
                                 "same rule and discretion kind. Listed by rule, not by size: "
                                 "this is not a ranking."),
                             _("Rule"), RR_REPORT_COLUMN_TEXT,
                             _("Discretion kind"), RR_REPORT_COLUMN_TEXT,
                             by_team ? _("Team") : _("Klantmanager"), RR_REPORT_COLUMN_TEXT,
                             _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                             _("Share deviated"), RR_REPORT_COLUMN_PERCENT,
                             _("Share of the others"), RR_REPORT_COLUMN_PERCENT,
                             _("Difference"), RR_REPORT_COLUMN_TEXT,
                             NULL);

  for (guint i = 0; i < combos->len; i++)
    {
      RrReportRow *row;
      g_autofree char *interval = NULL;

      combo = g_ptr_array_index (combos, i);
      if (combo->n < RR_REPORT_MIN_DECISIONS)
        continue;
      n_shown++;
      row = add_row (table, FALSE);
      interval = format_interval (combo->dev, combo->n);
      set_text (row, 0, combo->code);
      set_text (row, 1, vocab_label (ctx, RR_VOCAB_KIND, combo->kind));
      set_int (row, 2, combo->n);
      set_share (row, 3, combo->dev, combo->n);
      set_text (row, 4, interval);
      set_share (row, 5, combo->eff_ok, combo->eff_n);

      if (ctx->view == VIEW_KLANTMANAGER && !by_team)
        {
          gint64 rest_n = combo->n - combo->mine_n;
          gint64 rest_dev = combo->dev - combo->mine_dev;

          set_int (row, 6, combo->mine_n);
          if (combo->mine_n >= RR_REPORT_MIN_DECISIONS)
            set_share (row, 7, combo->mine_dev, combo->mine_n);
          else
            set_text (row, 7, "–");
          if (combo->mine_n >= RR_REPORT_MIN_DECISIONS && rest_n >= RR_REPORT_MIN_DECISIONS)
            {
              double z = two_proportion_z (combo->mine_dev, combo->mine_n, rest_dev, rest_n);

              set_text (row, 8, z >= Z_95 ? _("You deviate more often")
                                : z <= -Z_95 ? _("You deviate less often") : _("No difference"));
            }
          else
            set_text (row, 8, _("Too few decisions"));
          continue;
        }

      for (guint j = 0; j < combo->members->len; j++)
        {
          Member *member = &g_array_index (combo->members, Member, j);
          gint64 rest_n = combo->n - member->n;
          gint64 rest_dev = combo->dev - member->dev;
          double z;
          RrReportRow *drow;

          if (member->n < RR_REPORT_MIN_DECISIONS || rest_n < RR_REPORT_MIN_DECISIONS)
            continue;
          z = two_proportion_z (member->dev, member->n, rest_dev, rest_n);
          if (fabs (z) < Z_95)
            continue;
          drow = add_row (divergences, FALSE);
          set_text (drow, 0, combo->code);
          set_text (drow, 1, vocab_label (ctx, RR_VOCAB_KIND, combo->kind));
          set_text (drow, 2, member->name);
          set_int (drow, 3, member->n);
          set_share (drow, 4, member->dev, member->n);
          set_share (drow, 5, rest_dev, rest_n);
          set_text (drow, 6, z > 0 ? _("Deviates more often") : _("Deviates less often"));
        }
    }

  if (n_shown < combos->len)
    {
      g_autofree char *note = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "%u combination of rule and discretion kind had fewer than %d decisions "
                     "and is left out.",
                     "%u combinations of rule and discretion kind had fewer than %d decisions "
                     "and are left out.", combos->len - n_shown),
        combos->len - n_shown, RR_REPORT_MIN_DECISIONS);
      table->note = g_steal_pointer (&note);
    }

  /* The chart: shares of the combinations shown, at most twelve. */
  {
    RrReportChart *chart = add_chart (ctx, _("Share deviated per rule and discretion kind"),
                                      RR_REPORT_CHART_BARS, TRUE);
    RrReportSeries *team = add_series (chart, ctx->view == VIEW_KLANTMANAGER && !by_team
                                       ? _("Team") : _("Share deviated"));
    RrReportSeries *mine = NULL;

    if (ctx->view == VIEW_KLANTMANAGER && !by_team)
      mine = add_series (chart, you_label ());
    g_autoptr(GPtrArray) largest = g_ptr_array_new ();

    /* The twelve combinations with the most decisions, in table order. */
    for (guint i = 0; i < combos->len; i++)
      if (((Combo *) g_ptr_array_index (combos, i))->n >= RR_REPORT_MIN_DECISIONS)
        g_ptr_array_add (largest, g_ptr_array_index (combos, i));
    g_ptr_array_sort (largest, compare_combo_size);
    if (largest->len > 12)
      g_ptr_array_set_size (largest, 12);

    for (guint i = 0; i < combos->len; i++)
      {
        double v;

        combo = g_ptr_array_index (combos, i);
        if (!g_ptr_array_find (largest, combo, NULL))
          continue;
        g_ptr_array_add (chart->categories,
                         g_strdup_printf ("%s · %s", combo->code,
                                          vocab_label (ctx, RR_VOCAB_KIND, combo->kind)));
        v = (double) combo->dev / combo->n;
        g_array_append_val (team->values, v);
        if (mine != NULL)
          {
            v = combo->mine_n >= RR_REPORT_MIN_DECISIONS
                ? (double) combo->mine_dev / combo->mine_n : 0.0;
            g_array_append_val (mine->values, v);
          }
      }
  }
  return TRUE;
}

/* --------------------------------------------------- 3. regelknelpunten */

typedef struct {
  char   *code;
  gint64  n;
} ReasonCount;

static void
reason_count_clear (gpointer data)
{
  g_free (((ReasonCount *) data)->code);
}

/* As ORDER BY n DESC, code: byte order, as SQLite compares text. */
static int
compare_reason_count (gconstpointer a,
                      gconstpointer b)
{
  const ReasonCount *ra = a;
  const ReasonCount *rb = b;

  if (ra->n != rb->n)
    return ra->n > rb->n ? -1 : 1;
  return strcmp (ra->code, rb->code);
}

static gboolean
build_bottlenecks (Ctx     *ctx,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) top_reason = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) n_signals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *series;
  gint64 total_dev = 0;
  int rc;
  const char *signal_team = ctx->team != NULL ? " AND u.team = :team" : "";
  g_autofree char *source = source_sql (ctx, &rule_counts, FALSE, FALSE);
  g_autoptr(GArray) reasons = g_array_new (FALSE, FALSE, sizeof (ReasonCount));

  g_array_set_clear_func (reasons, reason_count_clear);

  /* The most frequent reason per rule (ties: the first code); summed over
   * the rules, the reasons across all of them. */
  stmt = prepare (ctx, error,
                  "SELECT code, reason, n FROM ("
                  " SELECT r.code AS code, x.reason AS reason, sum (x.n) AS n"
                  " FROM %s x JOIN rules r ON r.id = x.rule_id"
                  " WHERE x.outcome = 'deviated'"
                  " GROUP BY r.code, x.reason)"
                  " ORDER BY code, n DESC, reason",
                  source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      const char *reason = col_text (stmt, 1);
      guint i;

      if (!g_hash_table_contains (top_reason, col_text (stmt, 0)))
        g_hash_table_insert (top_reason, g_strdup (col_text (stmt, 0)), g_strdup (reason));
      for (i = 0; i < reasons->len; i++)
        if (g_str_equal (g_array_index (reasons, ReasonCount, i).code, reason))
          break;
      if (i == reasons->len)
        {
          ReasonCount count = { g_strdup (reason), 0 };

          g_array_append_val (reasons, count);
        }
      g_array_index (reasons, ReasonCount, i).n += sqlite3_column_int64 (stmt, 2);
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_array_sort (reasons, compare_reason_count);

  stmt = prepare (ctx, error,
                  "SELECT s.rule_code, count (*) FROM signals s JOIN users u ON u.id = s.author_id"
                  " WHERE substr (s.created_at, 1, 10) BETWEEN :from AND :to%s"
                  " GROUP BY s.rule_code", signal_team);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    g_hash_table_insert (n_signals, g_strdup (col_text (stmt, 0)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  table = add_table (ctx, _("Rules most often departed from"), NULL,
                     _("Rule"), RR_REPORT_COLUMN_TEXT,
                     _("Title"), RR_REPORT_COLUMN_TEXT,
                     _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                     _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                     _("Share deviated"), RR_REPORT_COLUMN_PERCENT,
                     _("Most frequent reason"), RR_REPORT_COLUMN_TEXT,
                     _("Policy signals"), RR_REPORT_COLUMN_INTEGER,
                     NULL);
  chart = add_chart (ctx, _("Deviations per rule"), RR_REPORT_CHART_BARS, FALSE);
  series = add_series (chart, _("Deviations"));

  stmt = prepare (ctx, error,
                  "SELECT r.code, max (r.title), sum (x.n), sum (x.n * (x.outcome = 'deviated'))"
                  " FROM %s x JOIN rules r ON r.id = x.rule_id"
                  " GROUP BY r.code HAVING sum (x.n * (x.outcome = 'deviated')) > 0"
                  " ORDER BY 4 DESC, r.code",
                  source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      RrReportRow *row = add_row (table, FALSE);
      const char *code = col_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 2);
      gint64 dev = sqlite3_column_int64 (stmt, 3);

      set_text (row, 0, code);
      set_text (row, 1, col_text (stmt, 1));
      set_int (row, 2, n);
      set_int (row, 3, dev);
      set_share (row, 4, dev, n);
      set_text (row, 5, vocab_label (ctx, RR_VOCAB_REASON, g_hash_table_lookup (top_reason, code)));
      set_int (row, 6, GPOINTER_TO_INT (g_hash_table_lookup (n_signals, code)));
      if (chart->categories->len < 10)
        {
          double v = (double) dev;

          g_ptr_array_add (chart->categories, g_strdup (code));
          g_array_append_val (series->values, v);
        }
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Reasons across all rules: most frequent first, then by code. */
  {
    RrReportChart *reasons_chart;
    RrReportSeries *reasons_series;

    for (guint i = 0; i < reasons->len; i++)
      total_dev += g_array_index (reasons, ReasonCount, i).n;

    table = add_table (ctx, _("Reasons for deviating"), NULL,
                       _("Reason"), RR_REPORT_COLUMN_TEXT,
                       _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                       _("Share"), RR_REPORT_COLUMN_PERCENT,
                       NULL);
    reasons_chart = add_chart (ctx, _("Reasons for deviating"), RR_REPORT_CHART_BARS, TRUE);
    reasons_series = add_series (reasons_chart, _("Share"));
    for (guint i = 0; i < reasons->len; i++)
      {
        RrReportRow *row = add_row (table, FALSE);
        const char *code = g_array_index (reasons, ReasonCount, i).code;
        gint64 n = g_array_index (reasons, ReasonCount, i).n;
        double v = (double) n / (double) total_dev;

        set_text (row, 0, vocab_label (ctx, RR_VOCAB_REASON, code));
        set_int (row, 1, n);
        set_share (row, 2, n, total_dev);
        g_ptr_array_add (reasons_chart->categories,
                         g_strdup (vocab_label (ctx, RR_VOCAB_REASON, code)));
        g_array_append_val (reasons_series->values, v);
      }
  }

  table = add_table (ctx, _("Policy signals"), NULL,
                     _("Date"), RR_REPORT_COLUMN_DATE,
                     _("Rule"), RR_REPORT_COLUMN_TEXT,
                     _("What chafes"), RR_REPORT_COLUMN_TEXT,
                     _("Proposal"), RR_REPORT_COLUMN_TEXT,
                     _("Linked decisions"), RR_REPORT_COLUMN_INTEGER,
                     NULL);
  stmt = prepare (ctx, error,
                  "SELECT substr (s.created_at, 1, 10), s.rule_code, s.chafes, s.proposal,"
                  " (SELECT count (*) FROM signal_decisions sd WHERE sd.signal_id = s.id)"
                  " FROM signals s JOIN users u ON u.id = s.author_id"
                  " WHERE substr (s.created_at, 1, 10) BETWEEN :from AND :to%s"
                  " ORDER BY s.created_at DESC, s.id DESC LIMIT 50", signal_team);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      RrReportRow *row = add_row (table, FALSE);

      for (int i = 0; i < 4; i++)
        set_text (row, i, col_text (stmt, i));
      set_int (row, 4, sqlite3_column_int64 (stmt, 4));
    }
  return rc == SQLITE_DONE;
}

/* --------------------------------------------- 4. opvolging en effect */

static gboolean
build_follow_up (Ctx     *ctx,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team_name = team_label (ctx);
  g_autofree char *source = NULL;
  gboolean km = ctx->view == VIEW_KLANTMANAGER;
  RrReportTable *table;
  RrReportChart *chart;
  int rc;
  static const char * const effects[] = { "bereikt", "deels", "niet", "onbekend" };

  table = add_table (ctx, _("Follow-ups"),
                     _("Decisions taken in the period. Overdue: the follow-up date has "
                       "passed without a recorded outcome. Due soon: within 30 days."),
                     _("Whose"), RR_REPORT_COLUMN_TEXT,
                     _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                     _("Outcome recorded"), RR_REPORT_COLUMN_INTEGER,
                     _("Overdue"), RR_REPORT_COLUMN_INTEGER,
                     _("Due soon"), RR_REPORT_COLUMN_INTEGER,
                     _("Later"), RR_REPORT_COLUMN_INTEGER,
                     _("No follow-up date"), RR_REPORT_COLUMN_INTEGER,
                     NULL);
  /* Decisions, with an outcome, without one and a follow-up date,
   * without either (mine 0: the scope; 1: the klantmanager's own). */
  source = source_sql (ctx, &state_counts, km, FALSE);
  stmt = prepare (ctx, error,
                  "SELECT x.mine, sum (x.n), sum (x.n * (x.effect <> '')),"
                  " sum (x.n * (x.effect = '' AND x.dated)),"
                  " sum (x.n * (x.effect = '' AND NOT x.dated))"
                  " FROM %s x GROUP BY x.mine",
                  source);
  if (stmt == NULL)
    return FALSE;
  {
    /* decisions, outcome recorded, overdue, due soon, later, no date */
    gint64 sums[6] = { 0 };
    gint64 mine[6] = { 0 };

    while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
      {
        gint64 *v = sqlite3_column_int (stmt, 0) == 1 ? mine : sums;

        v[0] = sqlite3_column_int64 (stmt, 1);
        v[1] = sqlite3_column_int64 (stmt, 2);
        v[2] = sqlite3_column_int64 (stmt, 3);
        v[5] = sqlite3_column_int64 (stmt, 4);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
    g_clear_pointer (&stmt, sqlite3_finalize);

    /* The follow-ups still to come are few, whatever the period: those
     * without an outcome are due soon or later, the other dated ones
     * without an outcome overdue. */
    stmt = prepare (ctx, error,
                    "SELECT count (*), sum (f.author_id = :me), sum (f.follow_up <= :soon),"
                    " sum (f.follow_up <= :soon AND f.author_id = :me)"
                    " FROM report_facts f INDEXED BY report_facts_due"
                    " WHERE f.effect = '' AND f.follow_up >= :today"
                    " AND f.decision_date >= :from AND f.decision_date <= :to%s",
                    ctx->team != NULL ? " AND f.team = :team" : "");
    if (stmt == NULL)
      return FALSE;
    rc = step (ctx, stmt, error);
    if (rc != SQLITE_ROW)
      return FALSE;
    sums[3] = sqlite3_column_int64 (stmt, 2);
    sums[4] = sqlite3_column_int64 (stmt, 0) - sums[3];
    sums[2] -= sqlite3_column_int64 (stmt, 0);
    if (km)
      {
        mine[3] = sqlite3_column_int64 (stmt, 3);
        mine[4] = sqlite3_column_int64 (stmt, 1) - mine[3];
        mine[2] -= sqlite3_column_int64 (stmt, 1);
      }
    if (km)
      {
        RrReportRow *row = add_row (table, FALSE);

        set_text (row, 0, you_label ());
        for (int i = 0; i < 6; i++)
          set_int (row, 1 + i, mine[i]);
      }
    {
      RrReportRow *row = add_row (table, TRUE);

      set_text (row, 0, team_name);
      for (int i = 0; i < 6; i++)
        set_int (row, 1 + i, sums[i]);
    }
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  table = add_table (ctx, _("Effect by outcome"),
                     _("The latest outcome recorded at follow-up, for the decisions of the "
                       "period that have one."),
                     _("Decision"), RR_REPORT_COLUMN_TEXT,
                     _("With outcome"), RR_REPORT_COLUMN_INTEGER,
                     _("Effect achieved"), RR_REPORT_COLUMN_INTEGER,
                     _("Partly"), RR_REPORT_COLUMN_INTEGER,
                     _("Not achieved"), RR_REPORT_COLUMN_INTEGER,
                     _("Unknown"), RR_REPORT_COLUMN_INTEGER,
                     _("Share achieved"), RR_REPORT_COLUMN_PERCENT,
                     NULL);
  chart = add_chart (ctx, _("Effect of applied and deviated decisions"), RR_REPORT_CHART_BARS,
                     TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (effects); i++)
    g_ptr_array_add (chart->categories,
                     g_strdup (rr_effect_label (rr_effect_from_string (effects[i]))));

  /* One row per decision with an outcome: its latest. */
  g_clear_pointer (&source, g_free);
  source = source_sql (ctx, &state_counts, FALSE, FALSE);
  stmt = prepare (ctx, error,
                  "SELECT x.outcome, x.effect, sum (x.n) FROM %s x"
                  " WHERE x.effect <> '' GROUP BY x.outcome, x.effect",
                  source);
  if (stmt == NULL)
    return FALSE;
  {
    gint64 counts[2][4] = { { 0 } };

    while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
      {
        int o = g_str_equal (col_text (stmt, 0), "deviated") ? 1 : 0;

        for (guint e = 0; e < G_N_ELEMENTS (effects); e++)
          if (g_str_equal (col_text (stmt, 1), effects[e]))
            counts[o][e] += sqlite3_column_int64 (stmt, 2);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
    for (int o = 1; o >= 0; o--)
      {
        RrReportRow *row = add_row (table, FALSE);
        RrReportSeries *series = add_series (chart, rr_outcome_label (o == 1 ? RR_OUTCOME_DEVIATED
                                                                      : RR_OUTCOME_APPLIED));
        gint64 total = 0;

        for (int e = 0; e < 4; e++)
          total += counts[o][e];
        set_text (row, 0, rr_outcome_label (o == 1 ? RR_OUTCOME_DEVIATED : RR_OUTCOME_APPLIED));
        set_int (row, 1, total);
        for (int e = 0; e < 4; e++)
          {
            set_int (row, 2 + e, counts[o][e]);
            g_array_index (series->values, double, e) = total > 0
                                                         ? (double) counts[o][e] / total : 0.0;
          }
        set_share (row, 6, counts[o][0], total);
      }
  }
  return TRUE;
}

/* ----------------------------------------------------------- 5. toetsing */

static gboolean
build_reviews (Ctx     *ctx,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team_name = team_label (ctx);
  gboolean km = ctx->view == VIEW_KLANTMANAGER;
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *s_dev, *s_rev;
  g_autofree char *source = source_sql (ctx, &state_counts, km, FALSE);
  g_autofree char *scope_source = source_sql (ctx, &state_counts, FALSE, FALSE);
  g_autofree char *monthly_source = source_sql (ctx, &state_counts, FALSE, TRUE);
  int rc;
  static const RrVerdict verdicts[] = {
    RR_VERDICT_AKKOORD, RR_VERDICT_AKKOORD_MET_AANVULLING, RR_VERDICT_VRAGEN,
    RR_VERDICT_NIET_AKKOORD,
  };

  table = add_table (ctx, _("Deviations and their review"),
                     _("Turnaround: days from recording to the teamleider’s first verdict."),
                     _("Whose"), RR_REPORT_COLUMN_TEXT,
                     _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                     _("Reviewed"), RR_REPORT_COLUMN_INTEGER,
                     _("Not reviewed"), RR_REPORT_COLUMN_INTEGER,
                     _("Of which approval needed"), RR_REPORT_COLUMN_INTEGER,
                     _("With a colleague’s advice"), RR_REPORT_COLUMN_INTEGER,
                     _("Average turnaround (days)"), RR_REPORT_COLUMN_NUMBER,
                     NULL);
  /* Reviewed: a teamleider's verdict; turnaround in milliseconds summed
   * over the reviewed deviations. */
  stmt = prepare (ctx, error,
                  "SELECT x.mine, sum (x.n), sum (x.n * (x.verdict <> '')),"
                  " sum (x.n * (x.verdict = '')), sum (x.n * (x.verdict = '' AND x.approval)),"
                  " sum (x.n * x.advised), sum (x.days_ms)"
                  " FROM %s x WHERE x.outcome = 'deviated' GROUP BY x.mine",
                  source);
  if (stmt == NULL)
    return FALSE;
  {
    gint64 sums[5] = { 0 }, mine[5] = { 0 };
    double days_all = NAN, mine_days = NAN;

    while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
      {
        gboolean is_mine = sqlite3_column_int (stmt, 0) == 1;
        gint64 reviewed = sqlite3_column_int64 (stmt, 2);
        double days = reviewed > 0
                      ? sqlite3_column_double (stmt, 6) / MS_PER_DAY / (double) reviewed : NAN;

        for (int i = 0; i < 5; i++)
          (is_mine ? mine : sums)[i] = sqlite3_column_int64 (stmt, 1 + i);
        if (is_mine)
          mine_days = days;
        else
          days_all = days;
      }
    if (rc != SQLITE_DONE)
      return FALSE;
    if (km)
      {
        RrReportRow *row = add_row (table, FALSE);

        set_text (row, 0, you_label ());
        for (int i = 0; i < 5; i++)
          set_int (row, 1 + i, mine[i]);
        set_number (row, 6, mine_days);
      }
    {
      RrReportRow *row = add_row (table, TRUE);

      set_text (row, 0, team_name);
      for (int i = 0; i < 5; i++)
        set_int (row, 1 + i, sums[i]);
      set_number (row, 6, days_all);
    }
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  table = add_table (ctx, _("Verdicts"), _("The latest teamleider verdict per deviation."),
                     _("Verdict"), RR_REPORT_COLUMN_TEXT,
                     _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                     _("Share"), RR_REPORT_COLUMN_PERCENT,
                     NULL);
  stmt = prepare (ctx, error,
                  "SELECT x.verdict, sum (x.n) FROM %s x"
                  " WHERE x.outcome = 'deviated' AND x.verdict <> '' GROUP BY x.verdict",
                  scope_source);
  if (stmt == NULL)
    return FALSE;
  {
    gint64 counts[G_N_ELEMENTS (verdicts)] = { 0 };
    gint64 total = 0;

    while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
      {
        RrVerdict verdict = rr_verdict_from_string (col_text (stmt, 0));

        for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
          if (verdicts[i] == verdict)
            counts[i] = sqlite3_column_int64 (stmt, 1);
        total += sqlite3_column_int64 (stmt, 1);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
      {
        RrReportRow *row = add_row (table, FALSE);

        set_text (row, 0, rr_verdict_label (verdicts[i]));
        set_int (row, 1, counts[i]);
        set_share (row, 2, counts[i], total);
      }
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  chart = add_chart (ctx, _("Deviations and reviews per month"), RR_REPORT_CHART_TIME, FALSE);
  set_months (ctx, chart);
  s_dev = add_series (chart, _("Deviations"));
  s_rev = add_series (chart, _("Reviewed"));
  stmt = prepare (ctx, error,
                  "SELECT x.month, sum (x.n), sum (x.n * (x.verdict <> ''))"
                  " FROM %s x WHERE x.outcome = 'deviated' GROUP BY 1",
                  monthly_source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      int i = category_index (chart, col_text (stmt, 0));

      if (i < 0)
        continue;
      g_array_index (s_dev->values, double, i) = sqlite3_column_double (stmt, 1);
      g_array_index (s_rev->values, double, i) = sqlite3_column_double (stmt, 2);
    }
  return rc == SQLITE_DONE;
}

/* ----------------------------------------------------------- 6. sancties */

static gboolean
build_sanctions (Ctx     *ctx,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team_name = team_label (ctx);
  gboolean km = ctx->view == VIEW_KLANTMANAGER;
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *s_imposed, *s_refrained;
  g_autofree char *source = source_sql (ctx, &state_counts, km, FALSE);
  g_autofree char *monthly_source = source_sql (ctx, &state_counts, FALSE, TRUE);
  int rc;

  table = add_table (ctx, _("Sanctions and human contact"),
                     _("Human contact counts when a contact date on or before the decision "
                       "date was recorded. A sanction without it is not forbidden, but "
                       "worth a second look."),
                     _("Whose"), RR_REPORT_COLUMN_TEXT,
                     _("Sanction"), RR_REPORT_COLUMN_TEXT,
                     _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                     _("With contact beforehand"), RR_REPORT_COLUMN_INTEGER,
                     _("Without contact"), RR_REPORT_COLUMN_INTEGER,
                     _("Share with contact"), RR_REPORT_COLUMN_PERCENT,
                     NULL);
  stmt = prepare (ctx, error,
                  "SELECT x.sanction, x.mine, sum (x.n), sum (x.n * x.contact)"
                  " FROM %s x WHERE x.sanction <> 'none'"
                  " GROUP BY x.sanction, x.mine",
                  source);
  if (stmt == NULL)
    return FALSE;
  {
    gint64 v[2][4] = { { 0 } };   /* imposed, refrained × mine n, mine contact, n, contact */

    while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
      {
        RrSanction sanction = RR_SANCTION_NONE;
        int s;
        int whose = sqlite3_column_int (stmt, 1) == 1 ? 0 : 2;

        rr_sanction_from_string (col_text (stmt, 0), &sanction);
        s = sanction == RR_SANCTION_IMPOSED ? 0 : 1;
        v[s][whose] = sqlite3_column_int64 (stmt, 2);
        v[s][whose + 1] = sqlite3_column_int64 (stmt, 3);
      }
    if (rc != SQLITE_DONE)
      return FALSE;
    for (int whose = km ? 0 : 1; whose < 2; whose++)
      for (int s = 0; s < 2; s++)
        {
          RrReportRow *row = add_row (table, whose == 1);
          gint64 n = v[s][whose == 0 ? 0 : 2];
          gint64 contact = v[s][whose == 0 ? 1 : 3];

          set_text (row, 0, whose == 0 ? you_label () : team_name);
          set_text (row, 1, s == 0 ? _("Imposed") : _("Refrained from"));
          set_int (row, 2, n);
          set_int (row, 3, contact);
          set_int (row, 4, n - contact);
          set_share (row, 5, contact, n);
        }
  }
  g_clear_pointer (&stmt, sqlite3_finalize);

  chart = add_chart (ctx, _("Sanctions per month"), RR_REPORT_CHART_TIME, FALSE);
  set_months (ctx, chart);
  s_imposed = add_series (chart, _("Imposed"));
  s_refrained = add_series (chart, _("Refrained from"));
  stmt = prepare (ctx, error,
                  "SELECT x.month, sum (x.n * (x.sanction = 'imposed')),"
                  " sum (x.n * (x.sanction = 'refrained'))"
                  " FROM %s x WHERE x.sanction <> 'none' GROUP BY 1",
                  monthly_source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      int i = category_index (chart, col_text (stmt, 0));

      if (i < 0)
        continue;
      g_array_index (s_imposed->values, double, i) = sqlite3_column_double (stmt, 1);
      g_array_index (s_refrained->values, double, i) = sqlite3_column_double (stmt, 2);
    }
  return rc == SQLITE_DONE;
}

/* ------------------------------------------------------------ 7. mandaat */

static gboolean
build_mandate (Ctx     *ctx,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team_name = team_label (ctx);
  gboolean km = ctx->view == VIEW_KLANTMANAGER;
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *s_backed, *s_waiting;
  gint64 total[6] = { 0 };
  gint64 mine[6] = { 0 };
  g_autofree char *source = source_sql (ctx, &state_counts, km, FALSE);
  int rc;

  table = add_table (ctx, _("Decisions outside mandate"),
                     _("Backed: the teamleider’s latest verdict is akkoord or akkoord met "
                       "aanvulling."),
                     _("Discretion kind"), RR_REPORT_COLUMN_TEXT,
                     _("Outside mandate"), RR_REPORT_COLUMN_INTEGER,
                     _("Backed"), RR_REPORT_COLUMN_INTEGER,
                     _("Questions asked"), RR_REPORT_COLUMN_INTEGER,
                     _("Not backed"), RR_REPORT_COLUMN_INTEGER,
                     _("Awaiting a verdict"), RR_REPORT_COLUMN_INTEGER,
                     _("Share backed"), RR_REPORT_COLUMN_PERCENT,
                     NULL);
  chart = add_chart (ctx, _("Outside mandate per discretion kind"), RR_REPORT_CHART_BARS, FALSE);
  s_backed = add_series (chart, _("Backed"));
  s_waiting = add_series (chart, _("Awaiting a verdict"));

  stmt = prepare (ctx, error,
                  "SELECT x.mandate_kind, x.mine, sum (x.n),"
                  " sum (x.n * (x.verdict IN ('akkoord', 'akkoord-met-aanvulling'))),"
                  " sum (x.n * (x.verdict = 'vragen')), sum (x.n * (x.verdict = 'niet-akkoord')),"
                  " sum (x.n * (x.verdict = ''))"
                  " FROM %s x WHERE x.within_mandate = 0"
                  " GROUP BY x.mandate_kind, x.mine ORDER BY x.mandate_kind, x.mine",
                  source);
  if (stmt == NULL)
    return FALSE;
  {
    RrReportRow *row = NULL;
    g_autofree char *current = NULL;
    gint64 acc[5] = { 0 };

    /* Rows arrive per kind, for the scope (mine 0) and the klantmanager's
     * own (mine 1). */
    for (;;)
      {
        const char *kind;

        rc = step (ctx, stmt, error);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
          return FALSE;
        kind = rc == SQLITE_ROW ? col_text (stmt, 0) : NULL;
        if (current != NULL && (kind == NULL || !g_str_equal (kind, current)))
          {
            double backed = (double) acc[1], waiting = (double) acc[4];

            row = add_row (table, FALSE);
            set_text (row, 0, vocab_label (ctx, RR_VOCAB_KIND, current));
            for (int i = 0; i < 5; i++)
              set_int (row, 1 + i, acc[i]);
            set_share (row, 6, acc[1], acc[0]);
            g_ptr_array_add (chart->categories,
                             g_strdup (vocab_label (ctx, RR_VOCAB_KIND, current)));
            g_array_append_val (s_backed->values, backed);
            g_array_append_val (s_waiting->values, waiting);
            memset (acc, 0, sizeof acc);
          }
        if (kind == NULL)
          break;
        g_free (current);
        current = g_strdup (kind);
        for (int i = 0; i < 5; i++)
          {
            gint64 v = sqlite3_column_int64 (stmt, 2 + i);

            if (sqlite3_column_int (stmt, 1) == 1)
              mine[i] += v;
            else
              {
                acc[i] += v;
                total[i] += v;
              }
          }
      }
    if (km)
      {
        row = add_row (table, FALSE);
        set_text (row, 0, you_label ());
        for (int i = 0; i < 5; i++)
          set_int (row, 1 + i, mine[i]);
        set_share (row, 6, mine[1], mine[0]);
      }
    row = add_row (table, TRUE);
    {
      g_autofree char *label = g_strdup_printf (_("Total, %s"), team_name);

      set_text (row, 0, label);
    }
    for (int i = 0; i < 5; i++)
      set_int (row, 1 + i, total[i]);
    set_share (row, 6, total[1], total[0]);
  }
  return TRUE;
}

/* ----------------------------------------------------------- 8. caseload */

static gboolean
build_caseload (Ctx     *ctx,
                GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team_name = team_label (ctx);
  gboolean by_team = ctx->team == NULL;
  gboolean km = ctx->view == VIEW_KLANTMANAGER;
  RrReportTable *table;
  RrReportChart *chart;
  RrReportSeries *s_team, *s_mine = NULL;
  gint64 totals[5] = { 0 };
  gint64 n_people = 0;
  g_autofree char *source = source_sql (ctx, &author_counts, FALSE, FALSE);
  g_autofree char *monthly_source = source_sql (ctx, &state_counts, km, TRUE);
  int rc;

  table = add_table (ctx, _("Caseload"),
                     km ? _("Your own figures beside the team’s; a colleague’s figures are "
                            "never shown individually.")
                        : by_team ? _("Per team.")
                                  : _("Per klantmanager, in alphabetical order."),
                     by_team ? _("Team") : _("Klantmanager"), RR_REPORT_COLUMN_TEXT,
                     _("Active clients"), RR_REPORT_COLUMN_INTEGER,
                     _("Decisions"), RR_REPORT_COLUMN_INTEGER,
                     _("Deviations"), RR_REPORT_COLUMN_INTEGER,
                     _("Share deviated"), RR_REPORT_COLUMN_PERCENT,
                     _("Follow-ups overdue"), RR_REPORT_COLUMN_INTEGER,
                     NULL);

  /* Per person (or team): the klantmanagers of the scope, with their active
   * clients now and their decisions in the period. */
  stmt = prepare (ctx, error,
                  "WITH people AS (SELECT u.id, u.display_name, u.team FROM users u"
                  "   JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'klantmanager'"
                  "   WHERE u.active = 1%s),"
                  " cl AS (SELECT c.owner_id AS id, count (*) AS n FROM clients c"
                  "   WHERE c.active = 1 GROUP BY c.owner_id),"
                  /* Open: without an outcome, with a follow-up date; those
                   * not yet due are few, whatever the period. */
                  " dc AS (SELECT x.author_id AS id, sum (x.n) AS n,"
                  "   sum (x.n * (x.outcome = 'deviated')) AS dev, sum (x.n * x.open) AS open"
                  "   FROM %s x GROUP BY x.author_id),"
                  " due AS (SELECT f.author_id AS id, count (*) AS n"
                  "   FROM report_facts f INDEXED BY report_facts_due"
                  "   WHERE f.effect = '' AND f.follow_up >= :today"
                  "   AND f.decision_date >= :from AND f.decision_date <= :to%s"
                  "   GROUP BY f.author_id)"
                  " SELECT %s, p.id = :me, sum (coalesce (cl.n, 0)), sum (coalesce (dc.n, 0)),"
                  "  sum (coalesce (dc.dev, 0)), sum (coalesce (dc.open, 0) - coalesce (due.n, 0)),"
                  "  count (*)"
                  " FROM people p LEFT JOIN cl ON cl.id = p.id LEFT JOIN dc ON dc.id = p.id"
                  " LEFT JOIN due ON due.id = p.id"
                  " GROUP BY %s ORDER BY 1 COLLATE NOCASE",
                  ctx->team != NULL ? " AND u.team = :team" : "",
                  source, ctx->team != NULL ? " AND f.team = :team" : "",
                  by_team ? "p.team" : "p.display_name",
                  by_team ? "p.team" : "p.id");
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      gint64 v[4];
      gboolean is_me = sqlite3_column_int (stmt, 1) == 1;

      for (int i = 0; i < 4; i++)
        {
          v[i] = sqlite3_column_int64 (stmt, 2 + i);
          totals[i] += v[i];
        }
      n_people += sqlite3_column_int64 (stmt, 6);

      /* A klantmanager sees one individual row: their own. */
      if (km && !(is_me && !by_team))
        continue;
      {
        RrReportRow *row = add_row (table, FALSE);

        set_text (row, 0, col_text (stmt, 0));
        set_int (row, 1, v[0]);
        set_int (row, 2, v[1]);
        set_int (row, 3, v[2]);
        set_share (row, 4, v[2], v[1]);
        set_int (row, 5, v[3]);
      }
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (n_people > 0)
    {
      RrReportRow *row = add_row (table, TRUE);
      g_autofree char *label = g_strdup_printf (_("%s, average per klantmanager"), team_name);

      set_text (row, 0, label);
      set_number (row, 1, (double) totals[0] / n_people);
      set_number (row, 2, (double) totals[1] / n_people);
      set_number (row, 3, (double) totals[2] / n_people);
      set_share (row, 4, totals[2], totals[1]);
      set_number (row, 5, (double) totals[3] / n_people);
    }
  {
    RrReportRow *row = add_row (table, TRUE);
    g_autofree char *label = g_strdup_printf (_("%s, total"), team_name);

    set_text (row, 0, label);
    for (int i = 0; i < 4; i++)
      set_int (row, 1 + i + (i >= 3 ? 1 : 0), totals[i]);
    set_share (row, 4, totals[2], totals[1]);
  }

  chart = add_chart (ctx, _("Decisions per month"), RR_REPORT_CHART_TIME, FALSE);
  set_months (ctx, chart);
  if (km)
    {
      s_team = add_series (chart, _("Team average per klantmanager"));
      s_mine = add_series (chart, you_label ());
    }
  else
    s_team = add_series (chart, team_name);
  stmt = prepare (ctx, error,
                  "SELECT x.month, sum (x.n * (x.mine = 0)), sum (x.n * x.mine)"
                  " FROM %s x GROUP BY 1",
                  monthly_source);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      int i = category_index (chart, col_text (stmt, 0));

      if (i < 0)
        continue;
      g_array_index (s_team->values, double, i) = km && n_people > 0
        ? sqlite3_column_double (stmt, 1) / n_people : sqlite3_column_double (stmt, 1);
      if (s_mine != NULL)
        g_array_index (s_mine->values, double, i) = sqlite3_column_double (stmt, 2);
    }
  return rc == SQLITE_DONE;
}

/* ------------------------------------------------------------ 9. verhalen */

/* Replaces every occurrence of @needle (case as written) by @mask. */
static void
mask_text (GString    *text,
           const char *needle,
           const char *mask)
{
  if (needle != NULL && strlen (needle) >= 2)
    g_string_replace (text, needle, mask, 0);
}

static gboolean
build_stories (Ctx     *ctx,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RrReportTable *table;
  RrReportTable *overview;
  gint64 counts[5] = { 0 };
  int rc;

  table = add_table (ctx, _("Shared stories"),
                     _("Only reflections shared with the team. Authors are not named; "
                       "clients appear as a pseudonym."),
                     _("Date"), RR_REPORT_COLUMN_DATE,
                     _("Kind of story"), RR_REPORT_COLUMN_TEXT,
                     _("Title"), RR_REPORT_COLUMN_TEXT,
                     _("Rule"), RR_REPORT_COLUMN_TEXT,
                     _("Client"), RR_REPORT_COLUMN_TEXT,
                     _("Story"), RR_REPORT_COLUMN_TEXT,
                     NULL);
  stmt = prepare (ctx, error,
                  "SELECT substr (f.created_at, 1, 10), f.kind, f.title, f.body,"
                  " r.code, c.salt, c.uuid, c.name, c.dossier, u.display_name"
                  " FROM reflections f JOIN users u ON u.id = f.author_id"
                  " LEFT JOIN decisions d ON d.id = (SELECT max (d2.id) FROM decisions d2"
                  "                                  WHERE d2.number = f.number)"
                  " LEFT JOIN rules r ON r.id = d.rule_id"
                  " LEFT JOIN clients c ON c.id = d.client_id"
                  " WHERE f.shared = 1 AND substr (f.created_at, 1, 10) BETWEEN :from AND :to%s"
                  " ORDER BY f.kind = 'case-story' DESC, f.created_at DESC, f.id DESC"
                  " LIMIT 200",
                  ctx->team != NULL ? " AND u.team = :team" : "");
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (ctx, stmt, error)) == SQLITE_ROW)
    {
      RrReportRow *row = add_row (table, FALSE);
      RrReflectionKind kind = RR_REFLECTION_FREE;
      g_autoptr(GString) body = g_string_new (col_text (stmt, 3));
      g_autoptr(GString) title = g_string_new (col_text (stmt, 2));
      g_autofree char *pseudonym = NULL;
      const char *mask = _("[client]");

      rr_reflection_kind_from_string (col_text (stmt, 1), &kind);
      counts[kind]++;
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          pseudonym = _rr_client_pseudonym (col_text (stmt, 5), col_text (stmt, 6));
          mask = pseudonym;
        }
      /* The linked client's name and dossier number, and the author's
       * name, do not leave the team's learning layer in a report. */
      mask_text (body, (const char *) sqlite3_column_text (stmt, 7), mask);
      mask_text (body, (const char *) sqlite3_column_text (stmt, 8), mask);
      mask_text (body, (const char *) sqlite3_column_text (stmt, 9), _("[colleague]"));
      mask_text (title, (const char *) sqlite3_column_text (stmt, 7), mask);
      mask_text (title, (const char *) sqlite3_column_text (stmt, 8), mask);

      set_text (row, 0, col_text (stmt, 0));
      set_text (row, 1, rr_reflection_kind_label (kind));
      set_text (row, 2, title->str);
      set_text (row, 3, col_text (stmt, 4));
      set_text (row, 4, pseudonym != NULL ? pseudonym : "");
      set_text (row, 5, body->str);
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  overview = add_table (ctx, _("Stories by kind"), NULL,
                        _("Kind of story"), RR_REPORT_COLUMN_TEXT,
                        _("Shared"), RR_REPORT_COLUMN_INTEGER,
                        NULL);
  for (int k = RR_REFLECTION_FREE; k <= RR_REFLECTION_CASE_STORY; k++)
    {
      RrReportRow *row = add_row (overview, FALSE);

      set_text (row, 0, rr_reflection_kind_label (k));
      set_int (row, 1, counts[k]);
    }
  /* The overview reads best before the stories themselves. */
  g_ptr_array_steal_index (ctx->report->tables, ctx->report->tables->len - 1);
  g_ptr_array_insert (ctx->report->tables, 0, overview);
  return TRUE;
}

/* ------------------------------------------------------------ running */

static char *
date_minus_year_plus_day (const char *to)
{
  g_autofree char *year_before = rr_date_add_months (to, -12);
  GDate date;
  int y, m, d;
  char buf[16];

  sscanf (year_before, "%4d-%2d-%2d", &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_days (&date, 1);
  g_snprintf (buf, sizeof buf, "%04d-%02d-%02d", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  return g_strdup (buf);
}

RrReport *
rr_report_run (RrStore       *store,
               const char    *actor,
               const char    *name,
               const char    *from,
               const char    *to,
               const char    *team,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrReport) report = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GHashTable) labels = NULL;
  const RrReportInfo *info;
  Ctx ctx = { 0 };
  gboolean ok;
  guint index;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  info = rr_report_lookup (name);
  if (info == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("There is no report called “%s”. “regelruimte-cli report --list” "
                     "lists the reports."), name);
      return NULL;
    }
  index = (guint) (info - reports);
  if ((from != NULL && !rr_date_is_valid (from)) || (to != NULL && !rr_date_is_valid (to)))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a date. Write dates as YYYY-MM-DD, for example 2026-03-31."),
                   from != NULL && !rr_date_is_valid (from) ? from : to);
      return NULL;
    }

  user = rr_users_require (store, actor,
                           RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR, error);
  if (user == NULL)
    return NULL;

  ctx.store = store;
  ctx.user = user;
  ctx.cancellable = cancellable;
  /* The widest role a person holds decides what the report shows them. */
  if ((user->roles & RR_ROLE_AUDITOR) && g_str_equal (name, "verhalen"))
    {
      /* Reflections are no part of the accountability record (DESIGN §2):
       * an auditor reads them only as the teamleider or klantmanager they
       * may also be. */
      if (!(user->roles & (RR_ROLE_TEAMLEIDER | RR_ROLE_KLANTMANAGER)))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                       _("The stories report holds the team’s reflections, which are not "
                         "part of the accountability record: an auditor cannot see them."));
          return NULL;
        }
      ctx.view = user->roles & RR_ROLE_TEAMLEIDER ? VIEW_TEAMLEIDER : VIEW_KLANTMANAGER;
    }
  else if (user->roles & RR_ROLE_AUDITOR)
    ctx.view = VIEW_AUDITOR;
  else if (user->roles & RR_ROLE_TEAMLEIDER)
    ctx.view = VIEW_TEAMLEIDER;
  else
    ctx.view = VIEW_KLANTMANAGER;

  if (team != NULL && *team != '\0')
    {
      if (ctx.view != VIEW_AUDITOR && !g_str_equal (team, user->team))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                       _("You can see the reports of your own team (%s), not those of %s."),
                       user->team, team);
          return NULL;
        }
      ctx.team = g_strdup (team);
    }
  else if (ctx.view != VIEW_AUDITOR)
    ctx.team = g_strdup (user->team);

  ctx.today = rr_date_today ();
  ctx.to = g_strdup (to != NULL ? to : ctx.today);
  ctx.from = from != NULL ? g_strdup (from) : date_minus_year_plus_day (ctx.to);
  if (strcmp (ctx.from, ctx.to) > 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The period starts (%s) after it ends (%s)."), ctx.from, ctx.to);
      g_free (ctx.team);
      g_free (ctx.today);
      g_free (ctx.from);
      g_free (ctx.to);
      return NULL;
    }
  split_period (&ctx);

  report = g_new0 (RrReport, 1);
  report->name = g_strdup (info->name);
  report->title = g_strdup (_(info->title));
  report->description = g_strdup (_(info->description));
  report->organisation = rr_store_get_setting (store, "organisation");
  if (report->organisation == NULL)
    report->organisation = g_strdup ("");
  report->scope = team_label (&ctx);
  report->from = g_strdup (ctx.from);
  report->to = g_strdup (ctx.to);
  now = g_date_time_new_now_local ();
  report->generated_at = g_date_time_format (now, "%Y-%m-%d %H:%M");
  report->viewer = g_strdup (user->display_name);
  report->paragraphs = g_ptr_array_new_with_free_func (g_free);
  report->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  report->charts = g_ptr_array_new_with_free_func ((GDestroyNotify) chart_free);

  labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx.labels = labels;
  ctx.report = report;

  /* One read transaction: every table sees the same moment. */
  if (_rr_store_in_transaction (store))
    ok = builders[index] (&ctx, error);
  else
    {
      ok = _rr_store_exec (store, "BEGIN", error);
      if (ok)
        {
          ok = builders[index] (&ctx, error);
          _rr_store_exec (store, ok ? "COMMIT" : "ROLLBACK", NULL);
        }
    }

  g_free (ctx.team);
  g_free (ctx.today);
  g_free (ctx.from);
  g_free (ctx.to);
  if (!ok)
    return NULL;
  return g_steal_pointer (&report);
}

/* ------------------------------------------------------------ summary */

gboolean
_rr_report_summary_rebuild (RrStore  *store,
                            GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  /* On while it runs, so that emptying and filling report_facts does not
   * count every row one by one; off afterwards, whatever happens. */
  _rr_store_set_bulk_loading (store, TRUE);
  ok = _rr_store_begin (store, error);
  if (ok)
    {
      ok = _rr_store_exec (store, rr_schema_report_rebuild, error);
      if (ok)
        ok = _rr_store_commit (store, error);
      else
        _rr_store_rollback (store);
    }
  _rr_store_set_bulk_loading (store, FALSE);
  return ok;
}

/* ------------------------------------------------------------ async */

typedef struct {
  char *path;
  char *actor;
  char *name;
  char *from;
  char *to;
  char *team;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->path);
  g_free (data->actor);
  g_free (data->name);
  g_free (data->from);
  g_free (data->to);
  g_free (data->team);
  g_free (data);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RrReport *report;

  store = rr_store_open (data->path, RR_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = rr_report_run (store, data->actor, data->name, data->from, data->to, data->team,
                          cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) rr_report_free);
}

void
rr_report_run_async (const char          *path,
                     const char          *actor,
                     const char          *name,
                     const char          *from,
                     const char          *to,
                     const char          *team,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (actor != NULL);
  g_return_if_fail (name != NULL);

  data = g_new0 (RunData, 1);
  data->path = g_strdup (path);
  data->actor = g_strdup (actor);
  data->name = g_strdup (name);
  data->from = g_strdup (from);
  data->to = g_strdup (to);
  data->team = g_strdup (team);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rr_report_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

RrReport *
rr_report_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
