/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-reports-view"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rr-chart.h"
#include "rr-reports-view.h"

/* A report shared between the view and an export that writes it in a
 * thread: whichever lets go last frees it. */
typedef struct {
  RrReport *report;
} SharedReport;

struct _RrReportsView
{
  GtkWidget      parent_instance;

  /* template */
  GtkDropDown   *report_dropdown;
  GtkLabel      *description_label;
  GtkEntry      *from_entry;
  GtkEntry      *to_entry;
  GtkDropDown   *team_dropdown;
  GtkButton     *run_button;
  GtkWidget     *progress_box;
  GtkSpinner    *spinner;
  GtkLabel      *progress_label;
  GtkButton     *cancel_button;
  GtkLabel      *message_label;
  GtkLabel      *empty_label;
  GtkWidget     *header_box;
  GtkLabel      *title_label;
  GtkLabel      *meta_label;
  GtkWidget     *export_box;
  GtkButton     *pdf_button;
  GtkButton     *html_button;
  GtkButton     *csv_button;
  GtkDropDown   *separator_dropdown;
  GtkLabel      *export_label;
  GtkBox        *report_box;

  /* owned */
  RrStore       *store;
  char          *login;
  GPtrArray     *teams;          /* (element-type utf8) per team_dropdown item; NULL: all */
  SharedReport  *shown;          /* the report on show, or NULL */
  GCancellable  *cancellable;    /* of the running report, NULL when idle */
  GCancellable  *export_cancellable;
  guint          generation;     /* tells the latest run from replaced ones */
  gboolean       ran;
  gboolean       disposed;
};

G_DEFINE_FINAL_TYPE (RrReportsView, rr_reports_view, GTK_TYPE_WIDGET)

/* One row of a report table, as the column view's model holds it. */
#define RR_TYPE_REPORTS_ROW (rr_reports_row_get_type ())
G_DECLARE_FINAL_TYPE (RrReportsRow, rr_reports_row, RR, REPORTS_ROW, GObject)

struct _RrReportsRow
{
  GObject   parent_instance;
  GStrv     cells;
  gboolean  aggregate;
};

G_DEFINE_FINAL_TYPE (RrReportsRow, rr_reports_row, G_TYPE_OBJECT)

static void
rr_reports_row_finalize (GObject *object)
{
  g_strfreev (RR_REPORTS_ROW (object)->cells);
  G_OBJECT_CLASS (rr_reports_row_parent_class)->finalize (object);
}

static void
rr_reports_row_class_init (RrReportsRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rr_reports_row_finalize;
}

static void
rr_reports_row_init (RrReportsRow *self)
{
}

static const char separators[] = { ';', ',', '\t' };

/* Helpers */

static SharedReport *
shared_report_new (RrReport *report)
{
  SharedReport *shared = g_atomic_rc_box_new0 (SharedReport);

  shared->report = report;
  return shared;
}

static void
shared_report_clear (gpointer data)
{
  g_clear_pointer (&((SharedReport *) data)->report, rr_report_free);
}

static void
shared_report_release (SharedReport *shared)
{
  g_atomic_rc_box_release_full (shared, shared_report_clear);
}

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    refusal)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (label), refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static char *
entry_text (GtkEntry *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static const RrReportInfo *
selected_info (RrReportsView *self)
{
  guint n_reports;
  const RrReportInfo *reports = rr_report_list (&n_reports);
  guint selected = gtk_drop_down_get_selected (self->report_dropdown);

  if (selected >= n_reports)
    return NULL;
  return &reports[selected];
}

static const char *
selected_team (RrReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);

  if (self->teams == NULL || selected >= self->teams->len)
    return NULL;
  return g_ptr_array_index (self->teams, selected);
}

static void
set_strings (GtkDropDown        *dropdown,
             const char * const *strings)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (strings);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static void
update_export_sensitivity (RrReportsView *self)
{
  gboolean can = self->shown != NULL && self->export_cancellable == NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->pdf_button), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->html_button), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->csv_button), can);
}

static void
set_progress (RrReportsView *self,
              const char    *text,
              gboolean       can_cancel)
{
  gboolean busy = text != NULL;

  gtk_widget_set_visible (self->progress_box, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text (self->progress_label, text != NULL ? text : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), can_cancel);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* The team choice: an auditor picks all teams or one; everyone else sees
 * their own team, since the core shows them nothing else. */
static void
load_teams (RrReportsView *self)
{
  g_autoptr(RrUser) user = rr_users_lookup (self->store, self->login, NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) users = NULL;   /* the labels point into it */
  gboolean auditor = user != NULL && (user->roles & RR_ROLE_AUDITOR);

  g_clear_pointer (&self->teams, g_ptr_array_unref);
  self->teams = g_ptr_array_new_with_free_func (g_free);
  if (auditor)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      users = rr_users_list (self->store, NULL);
      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          RrUser *other = g_ptr_array_index (users, i);

          if (other->team != NULL && g_hash_table_add (seen, other->team))
            g_ptr_array_add (names, other->team);
        }
      g_ptr_array_sort (names, compare_names);
      g_ptr_array_add (self->teams, NULL);
      g_ptr_array_add (labels, (gpointer) _("All teams"));
      for (guint i = 0; i < names->len; i++)
        {
          g_ptr_array_add (self->teams, g_strdup (g_ptr_array_index (names, i)));
          g_ptr_array_add (labels, g_ptr_array_index (names, i));
        }
    }
  else
    {
      /* NULL: the core takes the person's own team. */
      g_ptr_array_add (self->teams, NULL);
      g_ptr_array_add (labels, user != NULL ? user->team : (gpointer) "");
    }
  g_ptr_array_add (labels, NULL);
  set_strings (self->team_dropdown, (const char * const *) labels->pdata);
  gtk_widget_set_sensitive (GTK_WIDGET (self->team_dropdown), auditor);
}

static void
set_default_period (RrReportsView *self)
{
  g_autofree char *today = rr_date_today ();
  GDate date;
  char from[16];

  /* The last twelve months, today included. */
  g_date_clear (&date, 1);
  g_date_set_parse (&date, today);
  if (g_date_valid (&date))
    {
      g_date_subtract_years (&date, 1);
      g_date_add_days (&date, 1);
      g_snprintf (from, sizeof from, "%04d-%02d-%02d", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), today);
}

/* Tables */

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gboolean numeric = GPOINTER_TO_UINT (user_data) & 1;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      /* One line a row: long text is cut short, and shown whole on hover. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
    }
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data) >> 1;
  RrReportsRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autoptr(PangoAttrList) attrs = NULL;

  const char *text = column < g_strv_length (row->cells) ? row->cells[column] : "";
  gboolean numeric = GPOINTER_TO_UINT (user_data) & 1;

  gtk_label_set_text (label, text);
  if (!numeric)
    {
      /* Short text is never cut. */
      gtk_label_set_width_chars (GTK_LABEL (label), MIN ((int) g_utf8_strlen (text, -1), 20));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), g_utf8_strlen (text, -1) > 20 ? text : NULL);
    }
  /* Totals and team rows stand out (the row is recycled: always set). */
  if (row->aggregate)
    {
      attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  gtk_label_set_attributes (label, attrs);
}

static gboolean
column_is_numeric (const RrReportColumn *column)
{
  return column->type == RR_REPORT_COLUMN_INTEGER || column->type == RR_REPORT_COLUMN_PERCENT
         || column->type == RR_REPORT_COLUMN_NUMBER;
}

static GtkWidget *
new_table (const RrReportTable *table)
{
  g_autoptr(GListStore) rows = g_list_store_new (RR_TYPE_REPORTS_ROW);
  GtkNoSelection *selection;
  GtkWidget *view;

  for (guint r = 0; r < table->rows->len; r++)
    {
      const RrReportRow *row = g_ptr_array_index (table->rows, r);
      g_autoptr(RrReportsRow) item = g_object_new (RR_TYPE_REPORTS_ROW, NULL);

      item->cells = g_new0 (char *, table->columns->len + 1);
      for (guint c = 0; c < table->columns->len; c++)
        item->cells[c] = g_strdup (row->cells[c].text);
      item->aggregate = row->aggregate;
      g_list_store_append (rows, item);
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "data-table");
  gtk_widget_add_css_class (view, "frame");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  table->title != NULL ? table->title : "", -1);

  for (guint c = 0; c < table->columns->len; c++)
    {
      const RrReportColumn *column = g_ptr_array_index (table->columns, c);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      gpointer data = GUINT_TO_POINTER (c << 1 | (column_is_numeric (column) ? 1 : 0));
      GtkColumnViewColumn *col;

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), data);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), data);
      col = gtk_column_view_column_new (column->title, factory);
      gtk_column_view_column_set_resizable (col, TRUE);
      /* The first text column takes the room that is left. */
      gtk_column_view_column_set_expand (col, c == 0 && !column_is_numeric (column));
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), col);
      g_object_unref (col);
    }
  return view;
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 8);
  return label;
}

static GtkWidget *
new_paragraph (const char *text,
               gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
clear_report_box (RrReportsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->report_box))) != NULL)
    gtk_box_remove (self->report_box, child);
}

static void
clear_report (RrReportsView *self)
{
  g_clear_pointer (&self->shown, shared_report_release);
  clear_report_box (self);
  gtk_widget_set_visible (self->header_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
  show_message (self->export_label, NULL, FALSE);
  update_export_sensitivity (self);
}

static void
show_report (RrReportsView *self,
             RrReport      *report)
{
  const RrReport *r = report;
  g_autofree char *meta = NULL;
  g_autofree char *period = NULL;
  g_autofree char *generated = NULL;
  gboolean empty = TRUE;

  g_clear_pointer (&self->shown, shared_report_release);
  self->shown = shared_report_new (report);
  clear_report_box (self);

  gtk_label_set_text (self->title_label, r->title);
  /* TRANSLATORS: a report's period, e.g. "2025-01-01 to 2025-12-31" */
  period = g_strdup_printf (_("%s to %s"), r->from, r->to);
  /* TRANSLATORS: when and for whom a report was made */
  generated = g_strdup_printf (_("Generated %s for %s"), r->generated_at, r->viewer);
  meta = g_strdup_printf ("%s · %s · %s\n%s", r->organisation, r->scope, period, generated);
  gtk_label_set_text (self->meta_label, meta);
  gtk_widget_set_visible (self->header_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
  show_message (self->export_label, NULL, FALSE);

  for (guint i = 0; i < r->paragraphs->len; i++)
    {
      gtk_box_append (self->report_box, new_paragraph (g_ptr_array_index (r->paragraphs, i),
                                                       FALSE));
      empty = FALSE;
    }
  for (guint i = 0; i < r->charts->len; i++)
    {
      const RrReportChart *chart = g_ptr_array_index (r->charts, i);
      GtkWidget *widget;

      if (chart->categories->len == 0 || chart->series->len == 0)
        continue;
      gtk_box_append (self->report_box, new_heading (chart->title));
      widget = rr_chart_new (chart);
      gtk_widget_set_hexpand (widget, TRUE);
      gtk_box_append (self->report_box, widget);
      empty = FALSE;
    }
  for (guint i = 0; i < r->tables->len; i++)
    {
      const RrReportTable *table = g_ptr_array_index (r->tables, i);

      gtk_box_append (self->report_box, new_heading (table->title));
      if (table->rows->len == 0)
        gtk_box_append (self->report_box,
                        new_paragraph (_("Nothing to count in this period."), TRUE));
      else
        {
          /* A wide table scrolls sideways on its own; the page scrolls down. */
          GtkWidget *scroller = gtk_scrolled_window_new ();

          gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                          GTK_POLICY_NEVER);
          gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), new_table (table));
          gtk_box_append (self->report_box, scroller);
        }
      if (table->note != NULL && *table->note != '\0')
        gtk_box_append (self->report_box, new_paragraph (table->note, TRUE));
      empty = FALSE;
    }
  if (empty)
    gtk_box_append (self->report_box,
                    new_paragraph (_("This report has nothing to show for this period and team."),
                                   TRUE));
  update_export_sensitivity (self);
}

/* Running a report */

typedef struct {
  GWeakRef view;
  guint    generation;
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->view);
  g_free (pending);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(RrReportsView) self = g_weak_ref_get (&pending->view);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrReport) report = rr_report_run_finish (result, &error);
  guint generation = pending->generation;

  pending_free (pending);
  /* A closed view, or a run that a newer one replaced: nothing to show. */
  if (self == NULL || self->disposed || generation != self->generation)
    return;
  g_clear_object (&self->cancellable);
  if (self->export_cancellable != NULL)
    set_progress (self, _("Saving the report…"), FALSE);
  else
    set_progress (self, NULL, FALSE);
  if (report == NULL)
    {
      /* Cancelled, the report before stays; refused, nothing may look
       * like the answer. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->message_label, _("The report was cancelled."), TRUE);
      else
        {
          clear_report (self);
          show_message (self->message_label, error->message, TRUE);
        }
      return;
    }
  show_report (self, g_steal_pointer (&report));
}

/* Exporting */

typedef struct {
  GWeakRef         view;
  SharedReport    *shared;
  RrReportsFormat  format;
  char             separator;
  char            *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_weak_ref_clear (&job->view);
  g_clear_pointer (&job->shared, shared_report_release);
  g_free (job->path);
  g_free (job);
}

static gboolean
write_text (const char  *path,
            const char  *text,
            GError     **error)
{
  FILE *file = g_fopen (path, "wb");
  size_t length = strlen (text);
  int saved;

  if (file == NULL)
    {
      saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The file ‘%s’ could not be written: %s."), path, g_strerror (saved));
      return FALSE;
    }
  if (fwrite (text, 1, length, file) != length)
    {
      saved = errno;
      fclose (file);
      g_unlink (path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The file ‘%s’ could not be written: %s."), path, g_strerror (saved));
      return FALSE;
    }
  if (fclose (file) != 0)
    {
      saved = errno;
      g_unlink (path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The file ‘%s’ could not be written: %s."), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  const RrReport *report = job->shared->report;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  switch (job->format)
    {
    case RR_REPORTS_FORMAT_PDF:
      ok = rr_report_write_pdf (report, job->path, &error);
      break;
    case RR_REPORTS_FORMAT_CSV:
      text = rr_report_to_csv (report, job->separator);
      ok = write_text (job->path, text, &error);
      break;
    case RR_REPORTS_FORMAT_HTML:
    default:
      text = rr_report_to_html (report);
      ok = write_text (job->path, text, &error);
      break;
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = G_TASK (result);
  ExportJob *job = g_task_get_task_data (task);
  g_autoptr(RrReportsView) self = g_weak_ref_get (&job->view);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok = g_task_propagate_boolean (task, &error);

  if (self == NULL || self->disposed)
    return;
  g_clear_object (&self->export_cancellable);
  if (self->cancellable == NULL)
    set_progress (self, NULL, FALSE);
  update_export_sensitivity (self);
  if (!ok)
    text = g_strdup_printf (_("%s Choose another folder or file name and try again."),
                            error->message);
  else
    text = g_strdup_printf (_("The report was saved as ‘%s’."), job->path);
  show_message (self->export_label, text, !ok);
}

static void
start_export (RrReportsView   *self,
              RrReportsFormat  format,
              const char      *path)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);
  guint separator = gtk_drop_down_get_selected (self->separator_dropdown);

  g_weak_ref_init (&job->view, self);
  job->shared = g_atomic_rc_box_acquire (self->shown);
  job->format = format;
  job->separator = separators[separator < G_N_ELEMENTS (separators) ? separator : 0];
  job->path = g_strdup (path);

  self->export_cancellable = g_cancellable_new ();
  update_export_sensitivity (self);
  show_message (self->export_label, NULL, FALSE);
  if (self->cancellable == NULL)
    set_progress (self, _("Saving the report…"), FALSE);
  /* No source object: the last unref of a widget must not happen in the
   * worker thread. */
  task = g_task_new (NULL, self->export_cancellable, on_export_done, NULL);
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

/* The file chooser (GTK 4.8: GtkFileChooserNative). */

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  RrReportsView *self = user_data;
  RrReportsFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native),
                                                               "rr-format"));

  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        rr_reports_view_export_to (self, format, path);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

static void
choose_file (RrReportsView   *self,
             RrReportsFormat  format)
{
  static const char * const extensions[] = { "pdf", "csv", "html" };
  const RrReport *report = rr_reports_view_get_report (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;

  if (report == NULL)
    return;
  /* A file name, not a sentence: not translated. */
  name = g_strdup_printf ("%s-%s-%s.%s", report->name, report->from, report->to,
                          extensions[format]);
  native = gtk_file_chooser_native_new (_("Export the Report"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_object_set_data (G_OBJECT (native), "rr-format", GINT_TO_POINTER (format));
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* Callbacks */

static void
on_report_changed (RrReportsView *self)
{
  const RrReportInfo *info = selected_info (self);

  gtk_label_set_text (self->description_label, info != NULL ? _(info->description) : "");
  if (self->ran)
    rr_reports_view_run (self);
}

static void
on_team_changed (RrReportsView *self)
{
  if (self->ran)
    rr_reports_view_run (self);
}

static void
on_period_activate (RrReportsView *self)
{
  rr_reports_view_run (self);
}

static void
on_run_clicked (RrReportsView *self)
{
  rr_reports_view_run (self);
}

static void
on_cancel_clicked (RrReportsView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_pdf_clicked (RrReportsView *self)
{
  choose_file (self, RR_REPORTS_FORMAT_PDF);
}

static void
on_csv_clicked (RrReportsView *self)
{
  choose_file (self, RR_REPORTS_FORMAT_CSV);
}

static void
on_html_clicked (RrReportsView *self)
{
  choose_file (self, RR_REPORTS_FORMAT_HTML);
}

/* Overrides */

static void
rr_reports_view_map (GtkWidget *widget)
{
  RrReportsView *self = RR_REPORTS_VIEW (widget);

  GTK_WIDGET_CLASS (rr_reports_view_parent_class)->map (widget);
  /* Computed when first looked at, not when the window opens. */
  if (!self->ran && self->store != NULL)
    rr_reports_view_run (self);
}

static void
rr_reports_view_dispose (GObject *object)
{
  RrReportsView *self = RR_REPORTS_VIEW (object);
  GtkWidget *child;

  /* A running report or export ends on its own; its result is dropped. */
  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_REPORTS_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->shown, shared_report_release);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_reports_view_parent_class)->dispose (object);
}

static void
rr_reports_view_finalize (GObject *object)
{
  RrReportsView *self = RR_REPORTS_VIEW (object);

  g_free (self->login);
  G_OBJECT_CLASS (rr_reports_view_parent_class)->finalize (object);
}

static void
rr_reports_view_class_init (RrReportsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_reports_view_dispose;
  object_class->finalize = rr_reports_view_finalize;
  widget_class->map = rr_reports_view_map;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-reports-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, report_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, description_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, from_entry);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, to_entry);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, run_button);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, header_box);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, title_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, export_box);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, pdf_button);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, html_button);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, csv_button);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, separator_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, export_label);
  gtk_widget_class_bind_template_child (widget_class, RrReportsView, report_box);
  gtk_widget_class_bind_template_callback (widget_class, on_report_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_team_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pdf_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_csv_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_html_clicked);
}

static void
rr_reports_view_init (RrReportsView *self)
{
  const char *separator_names[] = {
    /* TRANSLATORS: CSV separators; Dutch spreadsheets expect the semicolon */
    _("Semicolon"), _("Comma"), _("Tab"), NULL
  };
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  guint n_reports;
  const RrReportInfo *reports = rr_report_list (&n_reports);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  for (guint i = 0; i < n_reports; i++)
    g_ptr_array_add (titles, (gpointer) _(reports[i].title));
  g_ptr_array_add (titles, NULL);
  set_strings (self->report_dropdown, (const char * const *) titles->pdata);
  set_strings (self->separator_dropdown, separator_names);
  gtk_drop_down_set_selected (self->separator_dropdown, 0);
  on_report_changed (self);
  update_export_sensitivity (self);
}

/* Public API */

GtkWidget *
rr_reports_view_new (RrStore    *store,
                     const char *login)
{
  RrReportsView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_REPORTS_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  load_teams (self);
  set_default_period (self);
  return GTK_WIDGET (self);
}

gboolean
rr_reports_view_select (RrReportsView *self,
                        const char    *name)
{
  guint n_reports;
  const RrReportInfo *reports = rr_report_list (&n_reports);

  g_return_val_if_fail (RR_IS_REPORTS_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < n_reports; i++)
    if (g_str_equal (reports[i].name, name))
      {
        gtk_drop_down_set_selected (self->report_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

void
rr_reports_view_run (RrReportsView *self)
{
  const RrReportInfo *info;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  Pending *pending;

  g_return_if_fail (RR_IS_REPORTS_VIEW (self));

  info = selected_info (self);
  if (info == NULL || self->disposed)
    return;
  /* A newer request replaces the one still running. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->ran = TRUE;
  from = entry_text (self->from_entry);
  to = entry_text (self->to_entry);

  show_message (self->message_label, NULL, FALSE);
  set_progress (self, _("Computing the report…"), TRUE);

  pending = g_new0 (Pending, 1);
  g_weak_ref_init (&pending->view, self);
  pending->generation = self->generation;
  /* Its own read-only connection, in a thread: the window never waits. */
  rr_report_run_async (rr_store_get_path (self->store), self->login, info->name, from, to,
                       selected_team (self), self->cancellable, on_run_done, pending);
}

void
rr_reports_view_export_to (RrReportsView   *self,
                           RrReportsFormat  format,
                           const char      *path)
{
  g_return_if_fail (RR_IS_REPORTS_VIEW (self));
  g_return_if_fail (path != NULL);

  if (self->shown == NULL || self->export_cancellable != NULL)
    return;
  start_export (self, format, path);
}

const RrReport *
rr_reports_view_get_report (RrReportsView *self)
{
  g_return_val_if_fail (RR_IS_REPORTS_VIEW (self), NULL);
  return self->shown != NULL ? self->shown->report : NULL;
}

gboolean
rr_reports_view_is_busy (RrReportsView *self)
{
  g_return_val_if_fail (RR_IS_REPORTS_VIEW (self), FALSE);
  return self->cancellable != NULL || self->export_cancellable != NULL;
}
