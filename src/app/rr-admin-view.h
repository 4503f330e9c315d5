/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_ADMIN_VIEW (rr_admin_view_get_type ())
G_DECLARE_FINAL_TYPE (RrAdminView, rr_admin_view, RR, ADMIN_VIEW, GtkWidget)

GtkWidget *rr_admin_view_new    (RrStore    *store,
                                   const char *login);
void       rr_admin_view_reload (RrAdminView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_admin_view_select (RrAdminView *self,
                                int         index);
guint      rr_admin_view_get_n_rows (RrAdminView *self);

G_END_DECLS
