/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_CHART (rr_chart_get_type ())
G_DECLARE_FINAL_TYPE (RrChart, rr_chart, RR, CHART, GtkWidget)

/* A report's chart (RrReportChart): grouped bars or lines over months,
 * with axis, legend and percentages, drawn in the colours of the current
 * style. Its accessible description reads out every value. */
GtkWidget *rr_chart_new              (const RrReportChart *chart);
/* Shows a copy of @chart; NULL shows nothing. */
void       rr_chart_set_chart        (RrChart             *self,
                                      const RrReportChart *chart);
guint      rr_chart_get_n_series     (RrChart             *self);
guint      rr_chart_get_n_categories (RrChart             *self);
/* The text alternative: the title, then each series with its values. */
char      *rr_chart_describe         (RrChart             *self);

G_END_DECLS
