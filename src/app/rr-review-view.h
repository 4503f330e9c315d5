/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_REVIEW_VIEW (rr_review_view_get_type ())
G_DECLARE_FINAL_TYPE (RrReviewView, rr_review_view, RR, REVIEW_VIEW, GtkWidget)

GtkWidget *rr_review_view_new    (RrStore    *store,
                                   const char *login);
void       rr_review_view_reload (RrReviewView *self);
/* Selects the row at @index (tests and keyboard users alike). */
void       rr_review_view_select (RrReviewView *self,
                                int         index);
guint      rr_review_view_get_n_items (RrReviewView *self);
/* Whether the queue is being fetched in the background. */
gboolean   rr_review_view_is_loading (RrReviewView *self);
void       rr_review_view_set_page_size (RrReviewView *self,
                                        guint         page_size);
guint      rr_review_view_get_n_rows (RrReviewView *self);
guint      rr_review_view_get_n_asked (RrReviewView *self);

G_END_DECLS
