/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The page cache of the window's connection (KiB). */
#define RR_APP_CACHE_KIB 8192

#define RR_TYPE_APPLICATION (rr_application_get_type ())
G_DECLARE_FINAL_TYPE (RrApplication, rr_application, RR, APPLICATION, GtkApplication)

RrApplication *rr_application_new (void);

G_END_DECLS
