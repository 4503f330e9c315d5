/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-chart"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rr-chart.h"

struct _RrChart
{
  GtkWidget      parent_instance;

  /* owned */
  RrReportChart *chart;   /* a copy; NULL: nothing to draw */

  /* where the last drawing put the plot, for tooltips */
  double         plot_left;
  double         plot_width;
};

G_DEFINE_FINAL_TYPE (RrChart, rr_chart, GTK_TYPE_WIDGET)

/* The series colours: GNOME's palette, a darker and a lighter set, so that
 * bars and lines stand out on a light and on a dark background alike. The
 * darker set is the one the PDF and HTML exports use. */
static const char * const palette_light[] = {
  "#1c71d8", "#e66100", "#26a269", "#9141ac", "#c01c28", "#986a44",
};
static const char * const palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#c061cb", "#f66151", "#cdab8f",
};

#define MAX_LABEL_WIDTH 140.0
#define LABEL_ANGLE (G_PI / 5.0)
#define SWATCH 10.0

/* Helpers */

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

static RrReportChart *
copy_chart (const RrReportChart *chart)
{
  RrReportChart *copy = g_new0 (RrReportChart, 1);

  copy->title = g_strdup (chart->title);
  copy->kind = chart->kind;
  copy->percent = chart->percent;
  copy->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < chart->categories->len; i++)
    g_ptr_array_add (copy->categories, g_strdup (g_ptr_array_index (chart->categories, i)));
  copy->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  for (guint s = 0; s < chart->series->len; s++)
    {
      const RrReportSeries *series = g_ptr_array_index (chart->series, s);
      RrReportSeries *dup = g_new0 (RrReportSeries, 1);

      dup->label = g_strdup (series->label);
      dup->values = g_array_copy (series->values);
      g_ptr_array_add (copy->series, dup);
    }
  return copy;
}

static double
series_value (const RrReportChart *chart,
              guint                series,
              guint                category)
{
  const RrReportSeries *s = g_ptr_array_index (chart->series, series);

  if (category >= s->values->len)
    return NAN;
  return g_array_index (s->values, double, category);
}

static double
find_max (const RrReportChart *chart)
{
  double max = 0.0;

  for (guint s = 0; s < chart->series->len; s++)
    for (guint i = 0; i < chart->categories->len; i++)
      {
        double v = series_value (chart, s, i);

        if (!isnan (v))
          max = MAX (max, v);
      }
  return max;
}

/* A round upper bound for the axis: 1, 2 or 5 times a power of ten, and
 * the number of steps up to it that keeps each step round too. */
static double
nice_ceiling (double  value,
              int    *n_steps)
{
  double magnitude, fraction;

  *n_steps = 5;
  if (value <= 0.0)
    return 1.0;
  magnitude = pow (10.0, floor (log10 (value)));
  fraction = value / magnitude;
  if (fraction <= 1.0 + 1e-9)
    return magnitude;
  if (fraction <= 2.0 + 1e-9)
    {
      *n_steps = 4;
      return 2.0 * magnitude;
    }
  if (fraction <= 5.0 + 1e-9)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

static char *
format_axis (const RrReportChart *chart,
             double               value)
{
  if (chart->percent)
    return g_strdup_printf (fabs (100.0 * value - round (100.0 * value)) < 1e-9 ? "%.0f%%"
                                                                                 : "%.1f%%",
                            100.0 * value);
  if (value == floor (value))
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static char *
format_value (const RrReportChart *chart,
              double               value)
{
  if (isnan (value))
    /* TRANSLATORS: a chart's value that is missing, read out by a screen reader */
    return g_strdup (_("no value"));
  if (chart->percent)
    return g_strdup_printf ("%.1f%%", 100.0 * value);
  if (value == floor (value))
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *rgba,
            double         alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

static void
series_colour (guint    series,
               gboolean dark,
               GdkRGBA *rgba)
{
  const char * const *palette = dark ? palette_dark : palette_light;

  gdk_rgba_parse (rgba, palette[series % G_N_ELEMENTS (palette_light)]);
}

static void
foreground (GtkWidget *widget,
            GdkRGBA   *rgba)
{
  /* gtk_widget_get_color() is 4.10; the style context is what 4.8 offers. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
layout_size (PangoLayout *layout,
             const char  *text,
             double      *width,
             double      *height)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

static void
update_accessible (RrChart *self)
{
  g_autofree char *description = rr_chart_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->chart != NULL ? self->chart->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Drawing */

/* The legend: a swatch and a label per series, wrapping onto more lines
 * when they do not fit. Returns the height it takes. */
static double
draw_legend (RrChart       *self,
             cairo_t       *cr,
             PangoLayout   *layout,
             double         width,
             const GdkRGBA *fg,
             gboolean       dark,
             gboolean       draw)
{
  double x = 0.0, y = 0.0, line_h = 0.0;

  for (guint s = 0; s < self->chart->series->len; s++)
    {
      const RrReportSeries *series = g_ptr_array_index (self->chart->series, s);
      double w, h;
      GdkRGBA colour;

      layout_size (layout, series->label, &w, &h);
      line_h = MAX (line_h, h);
      if (x > 0.0 && x + SWATCH + 6 + w > width)
        {
          x = 0.0;
          y += line_h + 4;
        }
      if (draw)
        {
          series_colour (s, dark, &colour);
          gdk_cairo_set_source_rgba (cr, &colour);
          cairo_rectangle (cr, x, y + (h - SWATCH) / 2, SWATCH, SWATCH);
          cairo_fill (cr);
          set_source (cr, fg, 1.0);
          cairo_move_to (cr, x + SWATCH + 6, y);
          pango_cairo_show_layout (cr, layout);
        }
      x += SWATCH + 6 + w + 18;
    }
  return y + line_h;
}

static void
draw_chart (RrChart *self,
            cairo_t *cr,
            double   width,
            double   height)
{
  const RrReportChart *chart = self->chart;
  guint n = chart->categories->len;
  guint n_series = chart->series->len;
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  GdkRGBA fg;
  gboolean dark;
  int n_steps;
  double max = nice_ceiling (find_max (chart), &n_steps);
  double line_h, legend_h, left = 0.0, right = 8.0, top, bottom;
  double label_w = 0.0, plot_w, plot_h, slot;
  gboolean rotate = FALSE;
  guint step = 1;

  foreground (GTK_WIDGET (self), &fg);
  /* Light text means a dark background. */
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  layout_size (layout, "0", NULL, &line_h);

  legend_h = draw_legend (self, cr, layout, width, &fg, dark, FALSE);
  top = legend_h + 10 + line_h / 2;

  for (int t = 0; t <= n_steps; t++)
    {
      g_autofree char *text = format_axis (chart, max * t / n_steps);
      double w;

      layout_size (layout, text, &w, NULL);
      left = MAX (left, w + 8);
    }

  for (guint i = 0; i < n; i++)
    {
      double w;

      layout_size (layout, g_ptr_array_index (chart->categories, i), &w, NULL);
      label_w = MAX (label_w, MIN (w, MAX_LABEL_WIDTH));
    }

  plot_w = MAX (width - left - right, 1.0);
  slot = plot_w / n;
  if (chart->kind == RR_REPORT_CHART_BARS)
    {
      rotate = label_w > slot - 4;
      if (rotate)
        {
          /* Slanted labels end under their bar; the first may need room. */
          left = MAX (left, label_w * cos (LABEL_ANGLE) - slot / 2 + 2);
          plot_w = MAX (width - left - right, 1.0);
          slot = plot_w / n;
          bottom = label_w * sin (LABEL_ANGLE) + line_h * cos (LABEL_ANGLE) + 8;
          if (slot < line_h)
            step = (guint) ceil (line_h / slot);
        }
      else
        bottom = line_h + 8;
    }
  else
    {
      step = MAX (1, (guint) ceil (n * (label_w + 12) / plot_w));
      bottom = line_h + 8;
    }
  plot_h = MAX (height - top - bottom, 1.0);
  self->plot_left = left;
  self->plot_width = plot_w;

  /* Grid and values on the axis. */
  cairo_set_line_width (cr, 1.0);
  for (int t = 0; t <= n_steps; t++)
    {
      double y = round (top + plot_h - plot_h * t / n_steps) + 0.5;
      g_autofree char *text = format_axis (chart, max * t / n_steps);
      double w, h;

      set_source (cr, &fg, t == 0 ? 0.5 : 0.15);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_w, y);
      cairo_stroke (cr);
      layout_size (layout, text, &w, &h);
      set_source (cr, &fg, 0.75);
      cairo_move_to (cr, left - 6 - w, y - h / 2);
      pango_cairo_show_layout (cr, layout);
    }

  /* Category labels. */
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (MAX_LABEL_WIDTH * PANGO_SCALE));
  set_source (cr, &fg, 0.75);
  for (guint i = 0; i < n; i += step)
    {
      double cx = left + slot * (i + 0.5);
      double w;

      layout_size (layout, g_ptr_array_index (chart->categories, i), &w, NULL);
      if (rotate)
        {
          cairo_save (cr);
          cairo_translate (cr, cx, top + plot_h + 4);
          cairo_rotate (cr, -LABEL_ANGLE);
          cairo_move_to (cr, -w, 0);
          pango_cairo_show_layout (cr, layout);
          cairo_restore (cr);
        }
      else
        {
          cairo_move_to (cr, CLAMP (cx - w / 2, 0, width - w), top + plot_h + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }
  pango_layout_set_width (layout, -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);

  /* The series. */
  for (guint s = 0; s < n_series; s++)
    {
      GdkRGBA colour;

      series_colour (s, dark, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      if (chart->kind == RR_REPORT_CHART_BARS)
        {
          double bar = MIN (slot * 0.8 / n_series, 56.0);

          for (guint i = 0; i < n; i++)
            {
              double v = series_value (chart, s, i);
              double h, x;

              if (isnan (v) || v <= 0.0)
                continue;
              h = plot_h * MIN (v / max, 1.0);
              x = left + slot * (i + 0.5) - bar * n_series / 2 + bar * s;
              cairo_rectangle (cr, x + 0.5, top + plot_h - h, MAX (bar - 1.0, 1.0), h);
            }
          cairo_fill (cr);
        }
      else
        {
          gboolean drawing = FALSE;

          cairo_set_line_width (cr, 2.0);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          for (guint i = 0; i < n; i++)
            {
              double v = series_value (chart, s, i);
              double x = left + slot * (i + 0.5);
              double y;

              /* A missing month breaks the line. */
              if (isnan (v))
                {
                  drawing = FALSE;
                  continue;
                }
              y = top + plot_h - plot_h * MIN (v / max, 1.0);
              if (drawing)
                cairo_line_to (cr, x, y);
              else
                cairo_move_to (cr, x, y);
              drawing = TRUE;
            }
          cairo_stroke (cr);
          if (slot >= 8)
            {
              for (guint i = 0; i < n; i++)
                {
                  double v = series_value (chart, s, i);

                  if (isnan (v))
                    continue;
                  cairo_new_sub_path (cr);
                  cairo_arc (cr, left + slot * (i + 0.5),
                             top + plot_h - plot_h * MIN (v / max, 1.0), 2.5, 0, 2 * G_PI);
                }
              cairo_fill (cr);
            }
        }
    }

  draw_legend (self, cr, layout, width, &fg, dark, TRUE);
}

/* Overrides */

static void
rr_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  RrChart *self = RR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->chart == NULL || self->chart->categories->len == 0
      || self->chart->series->len == 0 || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_chart (self, cr, width, height);
  cairo_destroy (cr);
}

static void
rr_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  RrChart *self = RR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      guint bars = 0;

      if (self->chart != NULL)
        bars = self->chart->categories->len
               * (self->chart->kind == RR_REPORT_CHART_BARS ? self->chart->series->len : 1);
      *minimum = 320;
      *natural = CLAMP ((int) bars * 20 + 80, 560, 960);
    }
  else
    {
      /* A scrolled page gives its children their minimum height: the
       * minimum is a size that reads well, not the least that works. */
      *minimum = 260;
      /* Long slanted labels under bars take their own room. */
      if (self->chart != NULL && self->chart->kind == RR_REPORT_CHART_BARS)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
          double label_w = 0.0;

          for (guint i = 0; i < self->chart->categories->len; i++)
            {
              double w;

              layout_size (layout, g_ptr_array_index (self->chart->categories, i), &w, NULL);
              label_w = MAX (label_w, MIN (w, MAX_LABEL_WIDTH));
            }
          if (label_w > 60.0)
            *minimum += (int) (label_w * sin (LABEL_ANGLE));
        }
      *natural = *minimum;
    }
}

/* Pointing at a category tells its values: slanted labels may be cut. */
static gboolean
rr_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard_tooltip,
                        GtkTooltip *tooltip)
{
  RrChart *self = RR_CHART (widget);
  const RrReportChart *chart = self->chart;
  g_autoptr(GString) text = NULL;
  guint n;
  int i;

  if (chart == NULL || keyboard_tooltip || self->plot_width <= 0.0)
    return FALSE;
  n = chart->categories->len;
  if (n == 0 || chart->series->len == 0 || x < self->plot_left)
    return FALSE;
  i = (int) ((x - self->plot_left) / (self->plot_width / n));
  if (i < 0 || (guint) i >= n)
    return FALSE;
  text = g_string_new (g_ptr_array_index (chart->categories, i));
  for (guint s = 0; s < chart->series->len; s++)
    {
      const RrReportSeries *series = g_ptr_array_index (chart->series, s);
      g_autofree char *value = format_value (chart, series_value (chart, s, i));

      g_string_append_printf (text, "\n%s: %s", series->label, value);
    }
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

static void
rr_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rr_chart_parent_class)->css_changed (widget, change);
  /* The colours follow the style, light or dark. */
  gtk_widget_queue_draw (widget);
}

static void
rr_chart_finalize (GObject *object)
{
  RrChart *self = RR_CHART (object);

  g_clear_pointer (&self->chart, chart_free);
  G_OBJECT_CLASS (rr_chart_parent_class)->finalize (object);
}

static void
rr_chart_class_init (RrChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rr_chart_finalize;
  widget_class->snapshot = rr_chart_snapshot;
  widget_class->measure = rr_chart_measure;
  widget_class->css_changed = rr_chart_css_changed;
  widget_class->query_tooltip = rr_chart_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rr_chart_init (RrChart *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_accessible (self);
}

/* Public API */

GtkWidget *
rr_chart_new (const RrReportChart *chart)
{
  RrChart *self = g_object_new (RR_TYPE_CHART, NULL);

  rr_chart_set_chart (self, chart);
  return GTK_WIDGET (self);
}

void
rr_chart_set_chart (RrChart             *self,
                    const RrReportChart *chart)
{
  g_return_if_fail (RR_IS_CHART (self));

  g_clear_pointer (&self->chart, chart_free);
  if (chart != NULL)
    self->chart = copy_chart (chart);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
rr_chart_get_n_series (RrChart *self)
{
  g_return_val_if_fail (RR_IS_CHART (self), 0);
  return self->chart != NULL ? self->chart->series->len : 0;
}

guint
rr_chart_get_n_categories (RrChart *self)
{
  g_return_val_if_fail (RR_IS_CHART (self), 0);
  return self->chart != NULL ? self->chart->categories->len : 0;
}

char *
rr_chart_describe (RrChart *self)
{
  GString *text;
  const RrReportChart *chart;

  g_return_val_if_fail (RR_IS_CHART (self), NULL);

  chart = self->chart;
  if (chart == NULL || chart->categories->len == 0 || chart->series->len == 0)
    return g_strdup (_("The chart has no values."));
  text = g_string_new (chart->title);
  g_string_append (text, ". ");
  for (guint s = 0; s < chart->series->len; s++)
    {
      const RrReportSeries *series = g_ptr_array_index (chart->series, s);

      g_string_append (text, series->label);
      g_string_append (text, ": ");
      for (guint i = 0; i < chart->categories->len; i++)
        {
          g_autofree char *value = format_value (chart, series_value (chart, s, i));

          g_string_append_printf (text, "%s%s %s", i > 0 ? ", " : "",
                                  (const char *) g_ptr_array_index (chart->categories, i),
                                  value);
        }
      g_string_append (text, s + 1 < chart->series->len ? "; " : ".");
    }
  return g_string_free (text, FALSE);
}
