/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_FOLLOWUP_VIEW (rr_followup_view_get_type ())
G_DECLARE_FINAL_TYPE (RrFollowupView, rr_followup_view, RR, FOLLOWUP_VIEW, GtkWidget)

GtkWidget *rr_followup_view_new    (RrStore    *store,
                                   const char *login);
void       rr_followup_view_reload (RrFollowupView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_followup_view_select (RrFollowupView *self,
                                int         index);
guint      rr_followup_view_get_n_rows (RrFollowupView *self);
/* Whether a page of follow-ups is being fetched in the background. */
gboolean   rr_followup_view_is_loading (RrFollowupView *self);
/* Whether more follow-ups are due than listed (the “Show More” button). */
gboolean   rr_followup_view_has_more   (RrFollowupView *self);
void       rr_followup_view_set_page_size (RrFollowupView *self,
                                          guint           page_size);

G_END_DECLS
