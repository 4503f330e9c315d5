/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reports-view"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "rr-chart.h"
#include "rr-reports-view.h"
#include "rr-ui-test-util.h"
#include "rr-window.h"

/* Iterates the main context until the view has neither a report nor an
 * export running. */
static void
wait_idle (RrReportsView *view)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (rr_reports_view_is_busy (view))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  rr_ui_pump ();
}

static void
finish (GtkWindow *window,
        gpointer   view)
{
  gtk_window_destroy (window);
  rr_ui_pump ();
  g_assert_finalize_object (view);
}

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static GPtrArray *
descendants (GtkWidget *root,
             GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

/* A small demo database: the generator's teams and people, and "beheer"
 * as auditor beside beheerder and klantmanager. */
static void
demo_setup (RrFixture     *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rr_fixture_open (fx);
  rr_store_initialise (fx->store, "beheer", "Bea Beheer", "Gemeente Demo", "Team Noord", &error);
  g_assert_no_error (error);
  g_assert_true (rr_demo_generate (fx->store, 300, 42, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rr_users_grant (fx->store, "beheer", "beheer", RR_ROLE_AUDITOR, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------- widgets */

static RrReportChart *
test_chart (RrReportChartKind kind)
{
  RrReportChart *chart = g_new0 (RrReportChart, 1);
  const char *labels[] = { "Toegepast", "Afgeweken" };

  chart->title = g_strdup ("Aandeel per maand");
  chart->kind = kind;
  chart->percent = TRUE;
  chart->categories = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (chart->categories, g_strdup ("2026-01"));
  g_ptr_array_add (chart->categories, g_strdup ("2026-02"));
  g_ptr_array_add (chart->categories, g_strdup ("2026-03"));
  chart->series = g_ptr_array_new ();
  for (guint s = 0; s < 2; s++)
    {
      RrReportSeries *series = g_new0 (RrReportSeries, 1);
      double values[] = { 0.5, s == 0 ? NAN : 0.25, 0.125 };

      series->label = g_strdup (labels[s]);
      series->values = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_vals (series->values, values, G_N_ELEMENTS (values));
      g_ptr_array_add (chart->series, series);
    }
  return chart;
}

static void
test_chart_free (RrReportChart *chart)
{
  for (guint s = 0; s < chart->series->len; s++)
    {
      RrReportSeries *series = g_ptr_array_index (chart->series, s);

      g_free (series->label);
      g_array_unref (series->values);
      g_free (series);
    }
  g_ptr_array_unref (chart->series);
  g_ptr_array_unref (chart->categories);
  g_free (chart->title);
  g_free (chart);
}

/* Draws the chart as it is now, through its snapshot. */
static void
paint (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* Laid out first: a widget of no size draws nothing. */
  while (gtk_widget_get_width (widget) == 0 || gtk_widget_get_height (widget) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      rr_ui_wait (20);
    }
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* Something was drawn, exactly when there is something to draw. */
  if (rr_chart_get_n_series (RR_CHART (widget)) > 0)
    g_assert_nonnull (node);
  else
    g_assert_null (node);
}

static void
test_chart_widget (void)
{
  RrReportChart *bars = test_chart (RR_REPORT_CHART_BARS);
  RrReportChart *time = test_chart (RR_REPORT_CHART_TIME);
  GtkWidget *chart = g_object_ref_sink (rr_chart_new (bars));
  GtkWindow *window;
  g_autofree char *description = NULL;
  int minimum;

  /* The copy is the chart's own: the report may go. */
  test_chart_free (bars);
  window = rr_ui_show (chart);
  g_assert_true (gtk_widget_get_mapped (chart));
  g_assert_cmpuint (rr_chart_get_n_series (RR_CHART (chart)), ==, 2);
  g_assert_cmpuint (rr_chart_get_n_categories (RR_CHART (chart)), ==, 3);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, >=, 200);
  gtk_widget_measure (chart, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, >=, 300);
  paint (chart);

  /* The text alternative reads out every value, as a percentage. */
  description = rr_chart_describe (RR_CHART (chart));
  g_assert_nonnull (strstr (description, "Aandeel per maand"));
  g_assert_nonnull (strstr (description, "Toegepast: 2026-01 50"));
  g_assert_nonnull (strstr (description, "Afgeweken: 2026-01 50"));
  g_assert_nonnull (strstr (description, "2026-03 12"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Aandeel per maand");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description);

  /* Lines over months, with a missing month. */
  rr_chart_set_chart (RR_CHART (chart), time);
  test_chart_free (time);
  rr_ui_pump ();
  paint (chart);

  rr_chart_set_chart (RR_CHART (chart), NULL);
  g_assert_cmpuint (rr_chart_get_n_series (RR_CHART (chart)), ==, 0);
  paint (chart);
  finish (window, chart);
}

static void
test_create (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "km1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REPORTS_VIEW;
  g_autofree char *today = rr_date_today ();
  GtkDropDown *team = rr_ui_child (view, t, "team_dropdown");
  guint n_reports;

  rr_report_list (&n_reports);
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (
                      rr_ui_child (view, t, "report_dropdown"))), ==, n_reports);
  /* The description of the chosen report shows. */
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (view, t, "description_label")), ==,
                   _(rr_report_list (NULL)[0].description));
  /* The last twelve months. */
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "to_entry")), ==, today);
  g_assert_cmpint (strlen (gtk_editable_get_text (rr_ui_child (view, t, "from_entry"))), ==, 10);
  g_assert_cmpstr (gtk_editable_get_text (rr_ui_child (view, t, "from_entry")), <, today);
  /* A klantmanager sees their own team and cannot choose another. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (team)), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (team)));

  /* Shown means computed: the first report ran in the background. */
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  g_assert_nonnull (rr_reports_view_get_report (RR_REPORTS_VIEW (view)));
  g_assert_true (gtk_widget_get_sensitive (rr_ui_child (view, t, "pdf_button")));
  finish (window, view);

  /* An auditor chooses: all teams, or one of them. */
  view = g_object_ref_sink (rr_reports_view_new (fx->store, "aud"));
  team = rr_ui_child (view, t, "team_dropdown");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (team)), ==, 3);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (team)));
  /* Never shown: nothing ran, nothing keeps it alive. */
  g_assert_false (rr_reports_view_is_busy (RR_REPORTS_VIEW (view)));
  g_assert_finalize_object (view);
}

/* Destroyed while the report still runs: the result is dropped and
 * nothing keeps the view alive. */
static void
test_destroy_while_running (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "tl1"));
  GtkWindow *window = rr_ui_show (view);

  rr_reports_view_run (RR_REPORTS_VIEW (view));
  g_assert_true (rr_reports_view_is_busy (RR_REPORTS_VIEW (view)));
  finish (window, view);
  /* Let the thread's result arrive and be dropped. */
  rr_ui_wait (200);
}

static void
test_window (RrFixture *fx, gconstpointer data)
{
  const char *logins[] = { "km1", "tl1", "aud" };

  /* Every role has the view. */
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      RrWindow *window = rr_window_new (NULL, fx->store, logins[i]);
      GtkWidget *page;

      g_object_ref (window);
      gtk_window_present (GTK_WINDOW (window));
      rr_ui_pump ();
      page = rr_window_get_page (window, "reports");
      g_assert_true (RR_IS_REPORTS_VIEW (page));
      rr_window_show_view (window, "reports");
      g_assert_cmpstr (rr_window_get_view (window), ==, "reports");
      wait_idle (RR_REPORTS_VIEW (page));
      g_assert_nonnull (rr_reports_view_get_report (RR_REPORTS_VIEW (page)));
      gtk_window_destroy (GTK_WINDOW (window));
      rr_ui_pump ();
      g_assert_finalize_object (window);
    }
}

/* ----------------------------------------------------------- behaviour */

static void
test_refusal (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "aud"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REPORTS_VIEW;
  GtkLabel *message = rr_ui_child (view, t, "message_label");
  g_autoptr(GError) error = NULL;
  g_autoptr(RrReport) report = NULL;

  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));

  /* An auditor does not read the team's stories: the core's words show. */
  report = rr_report_run (fx->store, "aud", "verhalen", NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_assert_true (rr_reports_view_select (RR_REPORTS_VIEW (view), "verhalen"));
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-refusal"));
  g_assert_cmpstr (gtk_label_get_text (message), ==, error->message);
  g_clear_error (&error);
  /* No report from before stands under the refusal as if it answered. */
  g_assert_null (rr_reports_view_get_report (RR_REPORTS_VIEW (view)));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "header_box")));
  g_assert_null (gtk_widget_get_first_child (rr_ui_child (view, t, "report_box")));
  g_assert_false (gtk_widget_get_sensitive (rr_ui_child (view, t, "pdf_button")));

  /* A date that is not one, said in plain words. */
  g_assert_true (rr_reports_view_select (RR_REPORTS_VIEW (view), "caseload"));
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (message)));
  gtk_editable_set_text (rr_ui_child (view, t, "from_entry"), "31-12-2025");
  g_signal_emit_by_name (rr_ui_child (view, t, "from_entry"), "activate");
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (message), "31-12-2025"));
  g_assert_false (rr_reports_view_select (RR_REPORTS_VIEW (view), "no-such-report"));
  finish (window, view);
}

static void
test_cancel (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "tl1"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REPORTS_VIEW;
  GtkLabel *message = rr_ui_child (view, t, "message_label");

  wait_idle (RR_REPORTS_VIEW (view));
  rr_reports_view_run (RR_REPORTS_VIEW (view));
  g_assert_true (rr_reports_view_is_busy (RR_REPORTS_VIEW (view)));
  g_assert_true (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  g_assert_true (gtk_spinner_get_spinning (rr_ui_child (view, t, "spinner")));
  g_assert_true (gtk_widget_get_sensitive (rr_ui_child (view, t, "cancel_button")));
  g_signal_emit_by_name (rr_ui_child (view, t, "cancel_button"), "clicked");
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_cmpstr (gtk_label_get_text (message), ==, _("The report was cancelled."));
  /* The report from before stays. */
  g_assert_nonnull (rr_reports_view_get_report (RR_REPORTS_VIEW (view)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (message), "rr-refusal"));
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "progress_box")));
  finish (window, view);
}

/* The shown tables and charts are the core's, row for row. */
static void
assert_shows (GtkWidget      *view,
              const RrReport *expected)
{
  GtkWidget *box = rr_ui_child (view, RR_TYPE_REPORTS_VIEW, "report_box");
  g_autoptr(GPtrArray) tables = descendants (box, GTK_TYPE_COLUMN_VIEW);
  g_autoptr(GPtrArray) charts = descendants (box, RR_TYPE_CHART);
  guint n_tables = 0;
  guint n_charts = 0;
  guint next = 0;

  for (guint i = 0; i < expected->tables->len; i++)
    if (((RrReportTable *) expected->tables->pdata[i])->rows->len > 0)
      n_tables++;
  for (guint i = 0; i < expected->charts->len; i++)
    {
      RrReportChart *chart = expected->charts->pdata[i];

      if (chart->categories->len > 0 && chart->series->len > 0)
        n_charts++;
    }
  g_assert_cmpuint (tables->len, ==, n_tables);
  g_assert_cmpuint (charts->len, ==, n_charts);

  for (guint i = 0; i < expected->tables->len; i++)
    {
      RrReportTable *table = expected->tables->pdata[i];
      GtkColumnView *column_view;

      if (table->rows->len == 0)
        continue;
      column_view = tables->pdata[next++];
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))),
                        ==, table->rows->len);
      g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (column_view)), ==,
                        table->columns->len);
    }
  next = 0;
  for (guint i = 0; i < expected->charts->len; i++)
    {
      RrReportChart *chart = expected->charts->pdata[i];

      if (chart->categories->len == 0 || chart->series->len == 0)
        continue;
      g_assert_cmpuint (rr_chart_get_n_series (charts->pdata[next]), ==, chart->series->len);
      g_assert_cmpuint (rr_chart_get_n_categories (charts->pdata[next]), ==,
                        chart->categories->len);
      next++;
    }
}

static void
test_demo_report (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "beheer"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REPORTS_VIEW;
  GtkDropDown *team = rr_ui_child (view, t, "team_dropdown");
  const char *from = gtk_editable_get_text (rr_ui_child (view, t, "from_entry"));
  const char *to = gtk_editable_get_text (rr_ui_child (view, t, "to_entry"));
  g_autoptr(RrReport) expected = NULL;
  g_autoptr(GError) error = NULL;
  const RrReport *shown;
  GListModel *teams;
  g_autoptr(GtkStringObject) first_team = NULL;

  wait_idle (RR_REPORTS_VIEW (view));
  /* The auditor sees every team of the demo. */
  teams = gtk_drop_down_get_model (team);
  g_assert_cmpuint (g_list_model_get_n_items (teams), >, 2);

  /* Caseload, all teams: one chart with series, tables row for row. */
  g_assert_true (rr_reports_view_select (RR_REPORTS_VIEW (view), "caseload"));
  g_assert_true (rr_reports_view_is_busy (RR_REPORTS_VIEW (view)));
  wait_idle (RR_REPORTS_VIEW (view));
  shown = rr_reports_view_get_report (RR_REPORTS_VIEW (view));
  g_assert_nonnull (shown);
  g_assert_cmpstr (shown->name, ==, "caseload");
  g_assert_false (gtk_widget_get_visible (rr_ui_child (view, t, "message_label")));
  expected = rr_report_run (fx->store, "beheer", "caseload", from, to, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->charts->len, >, 0);
  g_assert_cmpuint (((RrReportChart *) expected->charts->pdata[0])->series->len, >, 0);
  g_assert_cmpuint (((RrReportTable *) expected->tables->pdata[0])->rows->len, >, 2);
  assert_shows (view, expected);
  g_assert_cmpstr (gtk_label_get_text (rr_ui_child (view, t, "title_label")), ==,
                   expected->title);
  g_clear_pointer (&expected, rr_report_free);

  /* One team: the report follows the choice. */
  gtk_drop_down_set_selected (team, 1);
  wait_idle (RR_REPORTS_VIEW (view));
  first_team = g_list_model_get_item (teams, 1);
  shown = rr_reports_view_get_report (RR_REPORTS_VIEW (view));
  g_assert_cmpstr (shown->scope, ==, gtk_string_object_get_string (first_team));
  expected = rr_report_run (fx->store, "beheer", "caseload", from, to,
                            gtk_string_object_get_string (first_team), NULL, &error);
  g_assert_no_error (error);
  assert_shows (view, expected);
  g_clear_pointer (&expected, rr_report_free);

  /* A report over months: lines, every chart with its series. */
  gtk_drop_down_set_selected (team, 0);
  g_assert_true (rr_reports_view_select (RR_REPORTS_VIEW (view), "toetsing"));
  wait_idle (RR_REPORTS_VIEW (view));
  expected = rr_report_run (fx->store, "beheer", "toetsing", from, to, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_shows (view, expected);
  finish (window, view);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_export (RrFixture *fx, gconstpointer data)
{
  GtkWidget *view = g_object_ref_sink (rr_reports_view_new (fx->store, "beheer"));
  GtkWindow *window = rr_ui_show (view);
  GType t = RR_TYPE_REPORTS_VIEW;
  GtkLabel *label = rr_ui_child (view, t, "export_label");
  g_autofree char *csv_path = g_build_filename (fx->dir, "caseload.csv", NULL);
  g_autofree char *tab_path = g_build_filename (fx->dir, "caseload.tsv", NULL);
  g_autofree char *html_path = g_build_filename (fx->dir, "caseload.html", NULL);
  g_autofree char *pdf_path = g_build_filename (fx->dir, "caseload.pdf", NULL);
  g_autofree char *bad_path = g_build_filename (fx->dir, "no-such-folder", "x.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *done = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) header = g_string_new (NULL);
  const RrReport *report;
  const RrReportTable *table;
  gboolean found = FALSE;
  guint n_rows = 0;

  g_assert_true (rr_reports_view_select (RR_REPORTS_VIEW (view), "caseload"));
  wait_idle (RR_REPORTS_VIEW (view));
  report = rr_reports_view_get_report (RR_REPORTS_VIEW (view));
  g_assert_nonnull (report);
  table = report->tables->pdata[0];

  /* CSV with the default separator, ';', parsed back. */
  g_assert_cmpuint (gtk_drop_down_get_selected (rr_ui_child (view, t, "separator_dropdown")),
                    ==, 0);
  rr_reports_view_export_to (RR_REPORTS_VIEW (view), RR_REPORTS_FORMAT_CSV, csv_path);
  g_assert_true (rr_reports_view_is_busy (RR_REPORTS_VIEW (view)));
  g_assert_false (gtk_widget_get_sensitive (rr_ui_child (view, t, "csv_button")));
  wait_idle (RR_REPORTS_VIEW (view));
  done = g_strdup_printf (_("The report was saved as ‘%s’."), csv_path);
  g_assert_cmpstr (gtk_label_get_text (label), ==, done);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "rr-success"));
  g_assert_true (gtk_widget_get_sensitive (rr_ui_child (view, t, "csv_button")));

  for (guint c = 0; c < table->columns->len; c++)
    {
      const RrReportColumn *column = table->columns->pdata[c];

      /* A percentage's column says so in its title. */
      g_string_append_printf (header, "%s%s%s", c > 0 ? ";" : "", column->title,
                              column->type == RR_REPORT_COLUMN_PERCENT ? " (%)" : "");
    }
  csv = read_file (csv_path);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], report->title));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (!found && g_str_equal (lines[i], header->str))
        {
          found = TRUE;
          /* The rows follow the header, with as many fields. */
          for (guint j = i + 1; lines[j] != NULL && *g_strchomp (lines[j]) != '\0'; j++)
            {
              g_auto(GStrv) fields = g_strsplit (lines[j], ";", -1);

              g_assert_cmpuint (g_strv_length (fields), ==, table->columns->len);
              n_rows++;
            }
        }
    }
  g_assert_true (found);
  g_assert_cmpuint (n_rows, ==, table->rows->len);
  g_clear_pointer (&csv, g_free);

  /* The separator is the person's choice. */
  gtk_drop_down_set_selected (rr_ui_child (view, t, "separator_dropdown"), 2);
  rr_reports_view_export_to (RR_REPORTS_VIEW (view), RR_REPORTS_FORMAT_CSV, tab_path);
  wait_idle (RR_REPORTS_VIEW (view));
  csv = read_file (tab_path);
  g_string_replace (header, ";", "\t", 0);
  g_assert_nonnull (strstr (csv, header->str));
  g_clear_pointer (&csv, g_free);

  rr_reports_view_export_to (RR_REPORTS_VIEW (view), RR_REPORTS_FORMAT_HTML, html_path);
  wait_idle (RR_REPORTS_VIEW (view));
  csv = read_file (html_path);
  g_assert_nonnull (strstr (csv, "<html"));
  g_assert_nonnull (strstr (csv, "<svg"));
  g_clear_pointer (&csv, g_free);

  rr_reports_view_export_to (RR_REPORTS_VIEW (view), RR_REPORTS_FORMAT_PDF, pdf_path);
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "rr-success"));
  csv = read_file (pdf_path);
  g_assert_true (g_str_has_prefix (csv, "%PDF"));

  /* A folder that is not there: said inline, nothing written. */
  rr_reports_view_export_to (RR_REPORTS_VIEW (view), RR_REPORTS_FORMAT_CSV, bad_path);
  wait_idle (RR_REPORTS_VIEW (view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "rr-refusal"));
  g_assert_nonnull (strstr (gtk_label_get_text (label), bad_path));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
  finish (window, view);
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

#define ADD(path, setup, func) \
  g_test_add ("/rr/reports-view/" path, RrFixture, NULL, setup, func, rr_fixture_teardown)
  g_test_add_func ("/rr/reports-view/chart", test_chart_widget);
  ADD ("create", rr_fixture_setup, test_create);
  ADD ("destroy-while-running", rr_fixture_setup, test_destroy_while_running);
  ADD ("window", rr_fixture_setup, test_window);
  ADD ("refusal", rr_fixture_setup, test_refusal);
  ADD ("cancel", rr_fixture_setup, test_cancel);
  ADD ("demo-report", demo_setup, test_demo_report);
  ADD ("export", demo_setup, test_export);
#undef ADD
  return g_test_run ();
}
