/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"
#include "rr-decision-list-model.h"

G_BEGIN_DECLS

#define RR_TYPE_LOG_VIEW (rr_log_view_get_type ())
G_DECLARE_FINAL_TYPE (RrLogView, rr_log_view, RR, LOG_VIEW, GtkWidget)

GtkWidget           *rr_log_view_new       (RrStore    *store,
                                            const char *login);
RrDecisionListModel *rr_log_view_get_model (RrLogView  *self);
/* Selects the row at @position and shows its details. */
void                 rr_log_view_select    (RrLogView  *self,
                                            guint       position);

G_END_DECLS
