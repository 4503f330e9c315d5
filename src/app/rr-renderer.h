/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean    rr_renderer_is_software       (const char *gl_renderer);
const char *rr_renderer_choose            (const char *requested,
                                           const char *gl_renderer);
char       *rr_renderer_probe_gl          (GdkDisplay *display);
const char *rr_renderer_apply             (GdkDisplay *display);

G_END_DECLS
