/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_REFLECTIONS_VIEW (rr_reflections_view_get_type ())
G_DECLARE_FINAL_TYPE (RrReflectionsView, rr_reflections_view, RR, REFLECTIONS_VIEW, GtkWidget)

GtkWidget *rr_reflections_view_new    (RrStore    *store,
                                   const char *login);
void       rr_reflections_view_reload (RrReflectionsView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_reflections_view_select (RrReflectionsView *self,
                                int         index);
guint      rr_reflections_view_get_n_rows (RrReflectionsView *self);

G_END_DECLS
