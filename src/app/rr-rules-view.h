/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_RULES_VIEW (rr_rules_view_get_type ())
G_DECLARE_FINAL_TYPE (RrRulesView, rr_rules_view, RR, RULES_VIEW, GtkWidget)

GtkWidget *rr_rules_view_new    (RrStore    *store);
void       rr_rules_view_reload (RrRulesView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_rules_view_select (RrRulesView *self,
                                int         index);
guint      rr_rules_view_get_n_rows (RrRulesView *self);

G_END_DECLS
