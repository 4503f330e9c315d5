/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-report"
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "rr-error.h"
#include "rr-report.h"

/* Output of a report: CSV for spreadsheets, self-contained HTML, and a PDF
 * drawn with cairo and Pango. All three show the same tables; HTML and PDF
 * draw the chart series as vectors. */

static const char * const palette[] = {
  "#1c71d8", "#e66100", "#26a269", "#9141ac", "#c01c28", "#986a44",
};

static char *
period_text (const RrReport *report)
{
  /* TRANSLATORS: a report's period, e.g. "2025-01-01 to 2025-12-31" */
  return g_strdup_printf (_("%s to %s"), report->from, report->to);
}

static char *
generated_text (const RrReport *report)
{
  /* TRANSLATORS: when and for whom a report was made */
  return g_strdup_printf (_("Generated %s for %s"), report->generated_at, report->viewer);
}

static gboolean
column_is_numeric (const RrReportColumn *column)
{
  return column->type == RR_REPORT_COLUMN_INTEGER || column->type == RR_REPORT_COLUMN_PERCENT
         || column->type == RR_REPORT_COLUMN_NUMBER;
}

/* ------------------------------------------------------------------ CSV */

static void
csv_field (GString    *out,
           const char *text,
           char        separator,
           gboolean    first)
{
  if (!first)
    g_string_append_c (out, separator);
  if (text == NULL)
    return;
  /* RFC 4180: a field holding the separator, a quote or a line break is
   * quoted, with its quotes doubled. */
  if (strchr (text, separator) != NULL || strpbrk (text, "\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
}

static void
csv_end_line (GString *out)
{
  g_string_append (out, "\r\n");
}

/* A number as a spreadsheet reads it: a decimal comma beside ';' (Dutch
 * spreadsheets), a point otherwise; never the thousands separator. */
static char *
csv_number (double  value,
            char    separator,
            int     decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("");
  g_ascii_formatd (buf, sizeof buf, decimals == 0 ? "%.0f" : "%.1f", value);
  if (separator == ';')
    for (char *p = buf; *p != '\0'; p++)
      if (*p == '.')
        *p = ',';
  return g_strdup (buf);
}

char *
rr_report_to_csv (const RrReport *report,
                  char            separator)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *period = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (separator == ';' || separator == ',' || separator == '\t', NULL);

  period = period_text (report);
  csv_field (out, report->title, separator, TRUE);
  csv_field (out, report->organisation, separator, FALSE);
  csv_field (out, report->scope, separator, FALSE);
  csv_field (out, period, separator, FALSE);
  csv_end_line (out);

  for (guint t = 0; t < report->tables->len; t++)
    {
      RrReportTable *table = g_ptr_array_index (report->tables, t);

      csv_end_line (out);
      csv_field (out, table->title, separator, TRUE);
      csv_end_line (out);
      for (guint c = 0; c < table->columns->len; c++)
        {
          RrReportColumn *column = g_ptr_array_index (table->columns, c);
          g_autofree char *title = column->type == RR_REPORT_COLUMN_PERCENT
                                   ? g_strdup_printf ("%s (%%)", column->title)
                                   : g_strdup (column->title);

          csv_field (out, title, separator, c == 0);
        }
      csv_end_line (out);
      for (guint r = 0; r < table->rows->len; r++)
        {
          RrReportRow *row = g_ptr_array_index (table->rows, r);

          for (guint c = 0; c < table->columns->len; c++)
            {
              RrReportColumn *column = g_ptr_array_index (table->columns, c);
              RrReportCell *cell = &row->cells[c];
              g_autofree char *number = NULL;

              if (column->type == RR_REPORT_COLUMN_PERCENT)
                number = csv_number (100.0 * cell->value, separator, 1);
              else if (column->type == RR_REPORT_COLUMN_NUMBER)
                number = csv_number (cell->value, separator, 1);
              else if (column->type == RR_REPORT_COLUMN_INTEGER && !isnan (cell->value))
                number = csv_number (cell->value, separator,
                                     cell->value == floor (cell->value) ? 0 : 1);
              csv_field (out, number != NULL ? number : cell->text, separator, c == 0);
            }
          csv_end_line (out);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ----------------------------------------------------------------- HTML */

static void
html_text (GString    *out,
           const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);
  g_string_append (out, escaped);
}

static double
chart_max (const RrReportChart *chart)
{
  double max = 0.0;

  for (guint s = 0; s < chart->series->len; s++)
    {
      RrReportSeries *series = g_ptr_array_index (chart->series, s);

      for (guint i = 0; i < series->values->len; i++)
        max = MAX (max, g_array_index (series->values, double, i));
    }
  return max;
}

/* A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
static double
nice_ceiling (double value)
{
  double magnitude, fraction;

  if (value <= 0.0)
    return 1.0;
  magnitude = pow (10.0, floor (log10 (value)));
  fraction = value / magnitude;
  if (fraction <= 1.0)
    return magnitude;
  if (fraction <= 2.0)
    return 2.0 * magnitude;
  if (fraction <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

static char *
axis_label (const RrReportChart *chart,
            double               value)
{
  if (chart->percent)
    return g_strdup_printf (fabs (100.0 * value - round (100.0 * value)) < 1e-9
                            ? "%.0f%%" : "%.1f%%", 100.0 * value);
  if (value == floor (value))
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static void
html_chart (GString             *out,
            const RrReportChart *chart)
{
  const double width = 720.0, height = 260.0;
  const double left = 50.0, right = 10.0, top = 30.0, bottom = 70.0;
  double plot_w = width - left - right, plot_h = height - top - bottom;
  guint n = chart->categories->len;
  double max = nice_ceiling (chart_max (chart));
  double legend_x = left;

  if (n == 0 || chart->series->len == 0)
    return;

  g_string_append (out, "<figure>\n<figcaption>");
  html_text (out, chart->title);
  g_string_append (out, "</figcaption>\n");
  g_string_append_printf (out, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                          "aria-label=\"", width, height);
  html_text (out, chart->title);
  g_string_append (out, "\">\n");

  /* Grid and axis labels. */
  for (int t = 0; t <= 4; t++)
    {
      double y = top + plot_h - plot_h * t / 4.0;
      g_autofree char *text = axis_label (chart, max * t / 4.0);

      g_string_append_printf (out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                              "class=\"grid\"/>", left, y, left + plot_w, y);
      g_string_append_printf (out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                              "text-anchor=\"end\">", left - 4, y + 4);
      html_text (out, text);
      g_string_append (out, "</text>\n");
    }

  for (guint i = 0; i < n; i++)
    {
      double slot = plot_w / n;
      double x = left + slot * (i + 0.5);
      gboolean show = chart->kind == RR_REPORT_CHART_BARS || n <= 12 || i % ((n + 11) / 12) == 0;

      if (!show)
        continue;
      g_string_append_printf (out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" "
                              "text-anchor=\"end\" transform=\"rotate(-35 %.1f %.1f)\">",
                              x, top + plot_h + 14, x, top + plot_h + 14);
      html_text (out, g_ptr_array_index (chart->categories, i));
      g_string_append (out, "</text>\n");
    }

  for (guint s = 0; s < chart->series->len; s++)
    {
      RrReportSeries *series = g_ptr_array_index (chart->series, s);
      const char *colour = palette[s % G_N_ELEMENTS (palette)];

      if (chart->kind == RR_REPORT_CHART_BARS)
        {
          double slot = plot_w / n;
          double bar = slot * 0.8 / chart->series->len;

          for (guint i = 0; i < n && i < series->values->len; i++)
            {
              double v = g_array_index (series->values, double, i);
              double h = plot_h * v / max;
              double x = left + slot * i + slot * 0.1 + bar * s;

              g_string_append_printf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                      "height=\"%.1f\" fill=\"%s\"/>",
                                      x, top + plot_h - h, bar, h, colour);
            }
        }
      else
        {
          g_string_append_printf (out, "<polyline fill=\"none\" stroke=\"%s\" "
                                  "stroke-width=\"2\" points=\"", colour);
          for (guint i = 0; i < n && i < series->values->len; i++)
            {
              double v = g_array_index (series->values, double, i);

              g_string_append_printf (out, "%s%.1f,%.1f", i > 0 ? " " : "",
                                      left + plot_w / n * (i + 0.5),
                                      top + plot_h - plot_h * v / max);
            }
          g_string_append (out, "\"/>");
        }
      /* Legend, one entry after the other (about 6.5 px a character). */
      g_string_append_printf (out, "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" "
                              "fill=\"%s\"/><text x=\"%.1f\" y=\"18\" class=\"legend\">",
                              legend_x, colour, legend_x + 16);
      html_text (out, series->label);
      g_string_append (out, "</text>\n");
      legend_x += 16 + 6.5 * g_utf8_strlen (series->label, -1) + 20;
    }
  g_string_append (out, "</svg>\n</figure>\n");
}

char *
rr_report_to_html (const RrReport *report)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *period = NULL;
  g_autofree char *generated = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  period = period_text (report);
  generated = generated_text (report);

  /* Well-formed XML as well as HTML: every element closed, every text
   * escaped; no scripts and nothing fetched from elsewhere. */
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  /* TRANSLATORS: the language code of this translation, for HTML reports */
  html_text (out, _("en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
  html_text (out, report->title);
  g_string_append (out, " — ");
  html_text (out, report->organisation);
  g_string_append (out, "</title>\n<style>\n"
                   "body{font-family:Cantarell,'DejaVu Sans',sans-serif;margin:2em auto;"
                   "max-width:60em;color:#222;line-height:1.4}\n"
                   "header{border-bottom:2px solid #1c71d8;margin-bottom:1em}\n"
                   "header p{margin:.2em 0;color:#555}\n"
                   "h1{margin:.2em 0}h2{margin-top:1.6em;font-size:1.2em}\n"
                   "table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
                   "th,td{border-bottom:1px solid #ccc;padding:.25em .5em;text-align:left;"
                   "vertical-align:top}\n"
                   "th{background:#f0f0f0}td.num,th.num{text-align:right;"
                   "font-variant-numeric:tabular-nums}\n"
                   "tr.aggregate td{font-weight:bold;background:#f6f6fa}\n"
                   "p.note{color:#555;font-size:.9em}\n"
                   "figure{margin:1em 0}figcaption{font-weight:bold}\n"
                   "svg.chart{width:100%;height:auto}\n"
                   ".grid{stroke:#ddd;stroke-width:1}.axis{font-size:10px;fill:#444}\n"
                   ".legend{font-size:11px;fill:#222}\n"
                   "@media print{body{margin:0}}\n"
                   "</style>\n</head>\n<body>\n<header>\n<p><strong>");
  html_text (out, report->organisation);
  g_string_append (out, "</strong></p>\n<h1>");
  html_text (out, report->title);
  g_string_append (out, "</h1>\n<p>");
  html_text (out, report->scope);
  g_string_append (out, " · ");
  html_text (out, period);
  g_string_append (out, "</p>\n<p>");
  html_text (out, generated);
  g_string_append (out, "</p>\n</header>\n<main>\n<p>");
  html_text (out, report->description);
  g_string_append (out, "</p>\n");

  for (guint i = 0; i < report->paragraphs->len; i++)
    {
      g_string_append (out, "<p>");
      html_text (out, g_ptr_array_index (report->paragraphs, i));
      g_string_append (out, "</p>\n");
    }

  for (guint i = 0; i < report->charts->len; i++)
    html_chart (out, g_ptr_array_index (report->charts, i));

  for (guint t = 0; t < report->tables->len; t++)
    {
      RrReportTable *table = g_ptr_array_index (report->tables, t);

      g_string_append (out, "<section>\n<h2>");
      html_text (out, table->title);
      g_string_append (out, "</h2>\n");
      if (table->rows->len == 0)
        {
          g_string_append (out, "<p class=\"note\">");
          html_text (out, _("Nothing to show for this period."));
          g_string_append (out, "</p>\n");
        }
      else
        {
          g_string_append (out, "<table>\n<thead><tr>");
          for (guint c = 0; c < table->columns->len; c++)
            {
              RrReportColumn *column = g_ptr_array_index (table->columns, c);

              g_string_append (out, column_is_numeric (column) ? "<th class=\"num\">" : "<th>");
              html_text (out, column->title);
              g_string_append (out, "</th>");
            }
          g_string_append (out, "</tr></thead>\n<tbody>\n");
          for (guint r = 0; r < table->rows->len; r++)
            {
              RrReportRow *row = g_ptr_array_index (table->rows, r);

              g_string_append (out, row->aggregate ? "<tr class=\"aggregate\">" : "<tr>");
              for (guint c = 0; c < table->columns->len; c++)
                {
                  RrReportColumn *column = g_ptr_array_index (table->columns, c);

                  g_string_append (out, column_is_numeric (column) ? "<td class=\"num\">" : "<td>");
                  html_text (out, row->cells[c].text);
                  g_string_append (out, "</td>");
                }
              g_string_append (out, "</tr>\n");
            }
          g_string_append (out, "</tbody>\n</table>\n");
        }
      if (table->note != NULL)
        {
          g_string_append (out, "<p class=\"note\">");
          html_text (out, table->note);
          g_string_append (out, "</p>\n");
        }
      g_string_append (out, "</section>\n");
    }
  g_string_append (out, "</main>\n</body>\n</html>\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------ PDF */

#define PAGE_W   595.28   /* A4 in points */
#define PAGE_H   841.89
#define MARGIN   48.0
#define HEADER_H 52.0
#define FOOTER_H 28.0
#define CELL_PAD 3.0

typedef struct {
  cairo_t         *cr;
  cairo_surface_t *surface;
  PangoContext    *context;   /* points, no hinted metrics: what is measured is drawn */
  const RrReport  *report;
  int              page;
  int              n_pages;   /* known in the second pass; 0 in the first */
  double           y;
  PangoFontDescription *body;
  PangoFontDescription *small;
  PangoFontDescription *bold;
  PangoFontDescription *title;
  PangoFontDescription *heading;
  PangoFontDescription *tiny;
  PangoFontDescription *tiny_bold;
  /* The fonts of the table being drawn: small, or tiny for wide tables. */
  PangoFontDescription *cell;
  PangoFontDescription *cell_bold;
  gboolean              too_wide;  /* set by pdf_column_widths */
} Pdf;

static void
set_colour (cairo_t    *cr,
            const char *hex)
{
  unsigned r = 0, g = 0, b = 0;

  sscanf (hex, "#%02x%02x%02x", &r, &g, &b);
  cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
}

static PangoLayout *
pdf_layout (Pdf                        *pdf,
            const PangoFontDescription *font,
            const char                 *text,
            double                      width)
{
  PangoLayout *layout = pango_layout_new (pdf->context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  {
    /* A word broken over two lines gets no hyphen: codes such as
     * "LOC-VMP-VERLAGING" must stay as they are. */
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    pango_layout_set_attributes (layout, attrs);
    pango_attr_list_unref (attrs);
  }
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
draw_layout (Pdf         *pdf,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_update_layout (pdf->cr, layout);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
pdf_page_decorations (Pdf *pdf)
{
  cairo_t *cr = pdf->cr;
  const RrReport *report = pdf->report;
  g_autofree char *period = period_text (report);
  g_autofree char *generated = generated_text (report);
  g_autofree char *line2 = g_strdup_printf ("%s · %s · %s", report->title, report->scope, period);
  g_autofree char *page_text = NULL;
  g_autoptr(PangoLayout) org = NULL;
  g_autoptr(PangoLayout) gen = NULL;
  g_autoptr(PangoLayout) sub = NULL;
  g_autoptr(PangoLayout) foot = NULL;

  set_colour (cr, "#222222");
  org = pdf_layout (pdf, pdf->bold, report->organisation, PAGE_W - 2 * MARGIN - 200);
  draw_layout (pdf, org, MARGIN, MARGIN - 24);
  gen = pdf_layout (pdf, pdf->small, generated, 0);
  draw_layout (pdf, gen, PAGE_W - MARGIN - layout_width (gen), MARGIN - 22);
  set_colour (cr, "#555555");
  sub = pdf_layout (pdf, pdf->small, line2, PAGE_W - 2 * MARGIN);
  pango_layout_set_ellipsize (sub, PANGO_ELLIPSIZE_END);
  draw_layout (pdf, sub, MARGIN, MARGIN - 6);

  set_colour (cr, "#1c71d8");
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, MARGIN, MARGIN + 12);
  cairo_line_to (cr, PAGE_W - MARGIN, MARGIN + 12);
  cairo_stroke (cr);

  if (pdf->n_pages > 0)
    /* TRANSLATORS: page numbering in a PDF report, "Page 2 of 5" */
    page_text = g_strdup_printf (_("Page %d of %d"), pdf->page, pdf->n_pages);
  else
    page_text = g_strdup_printf (_("Page %d of %d"), pdf->page, 99);
  set_colour (cr, "#555555");
  foot = pdf_layout (pdf, pdf->small, page_text, 0);
  draw_layout (pdf, foot, (PAGE_W - layout_width (foot)) / 2, PAGE_H - MARGIN + 6);
}

static void
pdf_new_page (Pdf *pdf)
{
  if (pdf->page > 0)
    cairo_show_page (pdf->cr);
  pdf->page++;
  pdf_page_decorations (pdf);
  pdf->y = MARGIN + HEADER_H - 20;
}

static double
pdf_bottom (void)
{
  return PAGE_H - MARGIN - FOOTER_H + 10;
}

/* Makes room for @height, starting a new page when it does not fit. */
static void
pdf_need (Pdf    *pdf,
          double  height)
{
  if (pdf->y + height > pdf_bottom ())
    pdf_new_page (pdf);
}

static void
pdf_paragraph (Pdf                        *pdf,
               const PangoFontDescription *font,
               const char                 *text,
               const char                 *colour,
               double                      space_after)
{
  g_autoptr(PangoLayout) layout = pdf_layout (pdf, font, text, PAGE_W - 2 * MARGIN);
  double h = layout_height (layout);

  pdf_need (pdf, h);
  set_colour (pdf->cr, colour);
  draw_layout (pdf, layout, MARGIN, pdf->y);
  pdf->y += h + space_after;
}

static void
pdf_chart (Pdf                 *pdf,
           const RrReportChart *chart)
{
  cairo_t *cr = pdf->cr;
  const double width = PAGE_W - 2 * MARGIN, height = 210.0;
  const double left = 40.0, top = 38.0, bottom = 58.0;
  double plot_w = width - left - 4, plot_h = height - top - bottom;
  double x0, y0;
  guint n = chart->categories->len;
  double max = nice_ceiling (chart_max (chart));

  if (n == 0 || chart->series->len == 0)
    return;
  pdf_need (pdf, height + 8);
  x0 = MARGIN;
  y0 = pdf->y;

  {
    g_autoptr(PangoLayout) title = pdf_layout (pdf, pdf->bold, chart->title, width);

    set_colour (cr, "#222222");
    draw_layout (pdf, title, x0, y0);
  }

  /* Legend, one entry after the other. */
  {
    double lx = x0 + left;

    for (guint s = 0; s < chart->series->len; s++)
      {
        RrReportSeries *series = g_ptr_array_index (chart->series, s);
        g_autoptr(PangoLayout) label = pdf_layout (pdf, pdf->small, series->label, 0);

        set_colour (cr, palette[s % G_N_ELEMENTS (palette)]);
        cairo_rectangle (cr, lx, y0 + 20, 9, 9);
        cairo_fill (cr);
        set_colour (cr, "#222222");
        draw_layout (pdf, label, lx + 13, y0 + 18);
        lx += 13 + layout_width (label) + 18;
      }
  }

  /* Grid and values on the axis. */
  cairo_set_line_width (cr, 0.5);
  for (int t = 0; t <= 4; t++)
    {
      double y = y0 + top + plot_h - plot_h * t / 4.0;
      g_autofree char *text = axis_label (chart, max * t / 4.0);
      g_autoptr(PangoLayout) label = pdf_layout (pdf, pdf->small, text, 0);

      set_colour (cr, "#dddddd");
      cairo_move_to (cr, x0 + left, y);
      cairo_line_to (cr, x0 + left + plot_w, y);
      cairo_stroke (cr);
      set_colour (cr, "#444444");
      draw_layout (pdf, label, x0 + left - 4 - layout_width (label), y - layout_height (label) / 2);
    }

  /* Category labels, slanted so that long ones fit. */
  for (guint i = 0; i < n; i++)
    {
      double slot = plot_w / n;
      gboolean show = chart->kind == RR_REPORT_CHART_BARS || n <= 12 || i % ((n + 11) / 12) == 0;
      g_autoptr(PangoLayout) label = NULL;
      double lw;

      if (!show)
        continue;
      label = pdf_layout (pdf, pdf->small, g_ptr_array_index (chart->categories, i), 0);
      pango_layout_set_width (label, 110 * PANGO_SCALE);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      lw = layout_width (label);
      cairo_save (cr);
      cairo_translate (cr, x0 + left + slot * (i + 0.5), y0 + top + plot_h + 4);
      cairo_rotate (cr, -G_PI / 6);
      set_colour (cr, "#444444");
      draw_layout (pdf, label, -lw, 0);
      cairo_restore (cr);
    }

  for (guint s = 0; s < chart->series->len; s++)
    {
      RrReportSeries *series = g_ptr_array_index (chart->series, s);

      set_colour (cr, palette[s % G_N_ELEMENTS (palette)]);
      if (chart->kind == RR_REPORT_CHART_BARS)
        {
          double slot = plot_w / n;
          double bar = slot * 0.8 / chart->series->len;

          for (guint i = 0; i < n && i < series->values->len; i++)
            {
              double v = g_array_index (series->values, double, i);
              double h = plot_h * v / max;

              cairo_rectangle (cr, x0 + left + slot * i + slot * 0.1 + bar * s,
                               y0 + top + plot_h - h, bar, h);
            }
          cairo_fill (cr);
        }
      else
        {
          cairo_set_line_width (cr, 1.5);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          for (guint i = 0; i < n && i < series->values->len; i++)
            {
              double v = g_array_index (series->values, double, i);
              double x = x0 + left + plot_w / n * (i + 0.5);
              double y = y0 + top + plot_h - plot_h * v / max;

              if (i == 0)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
            }
          cairo_stroke (cr);
        }
    }
  pdf->y = y0 + height + 8;
}

/* The width of @text's widest word: a column never gets narrower, so
 * words are never broken. */
static double
min_text_width (Pdf                        *pdf,
                const PangoFontDescription *font,
                const char                 *text,
                gboolean                    whole)
{
  g_auto(GStrv) words = NULL;
  double widest = 0.0;

  if (whole)
    {
      g_autoptr(PangoLayout) layout = pdf_layout (pdf, font, text, 0);

      return layout_width (layout);
    }
  words = g_strsplit_set (text != NULL ? text : "", " \n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;

      if (*words[i] == '\0')
        continue;
      layout = pdf_layout (pdf, font, words[i], 0);
      widest = MAX (widest, layout_width (layout));
    }
  return widest;
}

/* Column widths: every column at least as wide as its widest word (numbers
 * whole), the room that is left shared in proportion to what each column
 * would need to show its text on one line. */
static double *
pdf_column_widths (Pdf                 *pdf,
                   const RrReportTable *table)
{
  guint n = table->columns->len;
  double *widths = g_new0 (double, n);
  g_autofree double *mins = g_new0 (double, n);
  double total = 0.0, total_min = 0.0, avail = PAGE_W - 2 * MARGIN;

  for (guint c = 0; c < n; c++)
    {
      RrReportColumn *column = g_ptr_array_index (table->columns, c);
      gboolean numeric = column_is_numeric (column);
      double natural = MIN (min_text_width (pdf, pdf->cell_bold, column->title, TRUE), 110.0);
      double least = min_text_width (pdf, pdf->cell_bold, column->title, FALSE);

      for (guint r = 0; r < table->rows->len && r < 200; r++)
        {
          RrReportRow *row = g_ptr_array_index (table->rows, r);
          const PangoFontDescription *font = row->aggregate ? pdf->cell_bold : pdf->cell;

          natural = MAX (natural, MIN (min_text_width (pdf, font, row->cells[c].text, TRUE),
                                       450.0));
          least = MAX (least, min_text_width (pdf, font, row->cells[c].text, numeric));
        }
      /* A point of slack: Pango rounds the wrap width down. */
      mins[c] = MIN (least, 120.0) + 2 * CELL_PAD + 1.0;
      widths[c] = MAX (natural + 2 * CELL_PAD + 1.0, mins[c]);
      total += widths[c];
      total_min += mins[c];
    }
  pdf->too_wide = total_min > avail;
  if (total <= avail || total_min >= avail)
    {
      /* Everything fits on one line (spread out), or not even the words
       * fit (shrink all alike). */
      for (guint c = 0; c < n; c++)
        widths[c] = (total <= avail ? widths[c] : mins[c]) * avail
                    / (total <= avail ? total : total_min);
    }
  else
    {
      double share = (avail - total_min) / (total - total_min);

      for (guint c = 0; c < n; c++)
        widths[c] = mins[c] + (widths[c] - mins[c]) * share;
    }
  return widths;
}

static double
pdf_row_height (Pdf                        *pdf,
                const RrReportTable        *table,
                const double               *widths,
                const PangoFontDescription *font,
                const RrReportRow          *row)
{
  double h = 0.0;

  for (guint c = 0; c < table->columns->len; c++)
    {
      RrReportColumn *column = g_ptr_array_index (table->columns, c);
      const char *text = row != NULL ? row->cells[c].text : column->title;
      g_autoptr(PangoLayout) layout = pdf_layout (pdf, font, text, widths[c] - 2 * CELL_PAD);

      h = MAX (h, layout_height (layout));
    }
  return h + 2 * CELL_PAD;
}

static void
pdf_draw_row (Pdf                        *pdf,
              const RrReportTable        *table,
              const double               *widths,
              const PangoFontDescription *font,
              const RrReportRow          *row,
              double                      height)
{
  cairo_t *cr = pdf->cr;
  double x = MARGIN;

  if (row == NULL || row->aggregate)
    {
      set_colour (cr, row == NULL ? "#eeeeee" : "#f3f3f8");
      cairo_rectangle (cr, MARGIN, pdf->y, PAGE_W - 2 * MARGIN, height);
      cairo_fill (cr);
    }
  for (guint c = 0; c < table->columns->len; c++)
    {
      RrReportColumn *column = g_ptr_array_index (table->columns, c);
      const char *text = row != NULL ? row->cells[c].text : column->title;
      g_autoptr(PangoLayout) layout = pdf_layout (pdf, row != NULL && row->aggregate
                                                  ? pdf->cell_bold : font,
                                                  text, widths[c] - 2 * CELL_PAD);

      if (column_is_numeric (column))
        pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      set_colour (cr, "#222222");
      draw_layout (pdf, layout, x + CELL_PAD, pdf->y + CELL_PAD);
      x += widths[c];
    }
  set_colour (cr, "#cccccc");
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, pdf->y + height);
  cairo_line_to (cr, PAGE_W - MARGIN, pdf->y + height);
  cairo_stroke (cr);
  pdf->y += height;
}

static void
pdf_table (Pdf                 *pdf,
           const RrReportTable *table)
{
  g_autofree double *widths = NULL;
  g_autoptr(PangoLayout) title = NULL;
  PangoFontDescription *head_font;
  double head_h, title_h, first_h;

  /* A table whose words do not fit side by side gets a smaller font. */
  pdf->cell = pdf->small;
  pdf->cell_bold = pdf->bold;
  widths = pdf_column_widths (pdf, table);
  if (pdf->too_wide)
    {
      g_free (widths);
      pdf->cell = pdf->tiny;
      pdf->cell_bold = pdf->tiny_bold;
      widths = pdf_column_widths (pdf, table);
    }
  head_font = pdf->cell_bold;
  head_h = pdf_row_height (pdf, table, widths, head_font, NULL);
  title = pdf_layout (pdf, pdf->heading, table->title, PAGE_W - 2 * MARGIN);
  title_h = layout_height (title);
  first_h = table->rows->len > 0
            ? pdf_row_height (pdf, table, widths, pdf->cell,
                              g_ptr_array_index (table->rows, 0)) : 14.0;

  /* A title never stands alone at the foot of a page. */
  pdf->y += 8;
  pdf_need (pdf, title_h + head_h + first_h + 4);
  set_colour (pdf->cr, "#1a1a1a");
  draw_layout (pdf, title, MARGIN, pdf->y);
  pdf->y += title_h + 4;

  if (table->rows->len == 0)
    {
      pdf_paragraph (pdf, pdf->small, _("Nothing to show for this period."), "#555555", 4);
    }
  else
    {
      pdf_draw_row (pdf, table, widths, head_font, NULL, head_h);
      for (guint r = 0; r < table->rows->len; r++)
        {
          RrReportRow *row = g_ptr_array_index (table->rows, r);
          double h = pdf_row_height (pdf, table, widths,
                                     row->aggregate ? pdf->cell_bold : pdf->cell, row);

          if (pdf->y + h > pdf_bottom ())
            {
              /* The header row again on the next page. */
              pdf_new_page (pdf);
              pdf_draw_row (pdf, table, widths, head_font, NULL, head_h);
            }
          pdf_draw_row (pdf, table, widths, pdf->cell, row, h);
        }
    }
  if (table->note != NULL)
    {
      pdf->y += 3;
      pdf_paragraph (pdf, pdf->small, table->note, "#555555", 4);
    }
}

static void
pdf_body (Pdf *pdf)
{
  const RrReport *report = pdf->report;

  pdf_new_page (pdf);
  pdf_paragraph (pdf, pdf->title, report->title, "#1a1a1a", 4);
  pdf_paragraph (pdf, pdf->body, report->description, "#333333", 8);
  for (guint i = 0; i < report->paragraphs->len; i++)
    pdf_paragraph (pdf, pdf->body, g_ptr_array_index (report->paragraphs, i), "#333333", 6);
  for (guint i = 0; i < report->charts->len; i++)
    pdf_chart (pdf, g_ptr_array_index (report->charts, i));
  for (guint i = 0; i < report->tables->len; i++)
    pdf_table (pdf, g_ptr_array_index (report->tables, i));
}

static cairo_status_t
discard_write (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

static int
pdf_render (const RrReport  *report,
            cairo_surface_t *surface,
            int              n_pages)
{
  Pdf pdf = { 0 };

  pdf.surface = surface;
  pdf.cr = cairo_create (surface);
  pdf.report = report;
  pdf.n_pages = n_pages;
  pdf.context = pango_cairo_create_context (pdf.cr);
  /* One unit of a PDF surface is a point: sizes below are true points. */
  pango_cairo_context_set_resolution (pdf.context, 72.0);
  {
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options (pdf.context, options);
    cairo_font_options_destroy (options);
  }
  pango_context_set_language (pdf.context, pango_language_get_default ());
  pdf.body = pango_font_description_from_string ("Sans 10");
  pdf.small = pango_font_description_from_string ("Sans 8.5");
  pdf.bold = pango_font_description_from_string ("Sans Bold 8.5");
  pdf.title = pango_font_description_from_string ("Sans Bold 20");
  pdf.heading = pango_font_description_from_string ("Sans Bold 12");
  pdf.tiny = pango_font_description_from_string ("Sans 7");
  pdf.tiny_bold = pango_font_description_from_string ("Sans Bold 7");

  pdf_body (&pdf);
  cairo_show_page (pdf.cr);

  pango_font_description_free (pdf.body);
  pango_font_description_free (pdf.small);
  pango_font_description_free (pdf.bold);
  pango_font_description_free (pdf.title);
  pango_font_description_free (pdf.heading);
  pango_font_description_free (pdf.tiny);
  pango_font_description_free (pdf.tiny_bold);
  g_object_unref (pdf.context);
  cairo_destroy (pdf.cr);
  return pdf.page;
}

gboolean
rr_report_write_pdf (const RrReport  *report,
                     const char      *path,
                     GError         **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  g_autofree char *tmp = NULL;
  g_autofree char *subject = NULL;
  int n_pages;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* First pass to count the pages for "Page x of y"; nothing is kept. */
  surface = cairo_pdf_surface_create_for_stream (discard_write, NULL, PAGE_W, PAGE_H);
  n_pages = pdf_render (report, surface, 0);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  /* Written beside the target and renamed, so a failed run never leaves a
   * half-written report under the name asked for. */
  tmp = g_strconcat (path, ".part", NULL);
  surface = cairo_pdf_surface_create (tmp, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, report->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, report->organisation);
  subject = g_strdup_printf ("%s, %s – %s", report->scope, report->from, report->to);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Regelruimte");
  pdf_render (report, surface, n_pages);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The PDF “%s” could not be written: %s."), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The PDF “%s” could not be written: %s."), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
