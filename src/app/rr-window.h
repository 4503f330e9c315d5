/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_WINDOW (rr_window_get_type ())
G_DECLARE_FINAL_TYPE (RrWindow, rr_window, RR, WINDOW, GtkApplicationWindow)

RrWindow   *rr_window_new        (GtkApplication *application,
                                  RrStore        *store,
                                  const char     *login);
RrStore    *rr_window_get_store  (RrWindow       *self);
void        rr_window_show_view  (RrWindow       *self,
                                  const char     *name);
const char *rr_window_get_view   (RrWindow       *self);
GtkWidget  *rr_window_get_page   (RrWindow       *self,
                                  const char     *name);
void        rr_window_check_database (RrWindow   *self);

G_END_DECLS
