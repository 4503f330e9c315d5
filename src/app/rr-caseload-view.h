/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_CASELOAD_VIEW (rr_caseload_view_get_type ())
G_DECLARE_FINAL_TYPE (RrCaseloadView, rr_caseload_view, RR, CASELOAD_VIEW, GtkWidget)

GtkWidget *rr_caseload_view_new    (RrStore    *store,
                                   const char *login);
void       rr_caseload_view_reload (RrCaseloadView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_caseload_view_select (RrCaseloadView *self,
                                int         index);
guint      rr_caseload_view_get_n_rows (RrCaseloadView *self);
guint      rr_caseload_view_get_n_clients (RrCaseloadView *self);
/* Whether the caseload is being fetched in the background. */
gboolean   rr_caseload_view_is_loading (RrCaseloadView *self);
void       rr_caseload_view_set_page_size (RrCaseloadView *self,
                                          guint           page_size);

G_END_DECLS
