/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_DECISION_LIST_MODEL (rr_decision_list_model_get_type ())
G_DECLARE_FINAL_TYPE (RrDecisionListModel, rr_decision_list_model, RR, DECISION_LIST_MODEL,
                      GObject)

#define RR_DECISION_LIST_PAGE_SIZE 100
/* Pages kept at once by default; those used longest ago are dropped. */
#define RR_DECISION_LIST_MAX_PAGES 32

RrDecisionListModel    *rr_decision_list_model_new        (RrStore                *store,
                                                           const char             *login);
/* @background: the list of ids comes from a worker thread (see the .c). */
RrDecisionListModel    *rr_decision_list_model_new_full   (RrStore                *store,
                                                           const char             *login,
                                                           gboolean                background);
gboolean                rr_decision_list_model_is_loading (RrDecisionListModel    *self);
/* Copies @filter and reloads; NULL: the default filter. */
void                    rr_decision_list_model_set_filter (RrDecisionListModel    *self,
                                                           const RrDecisionFilter *filter);
const RrDecisionFilter *rr_decision_list_model_get_filter (RrDecisionListModel    *self);
void                    rr_decision_list_model_reload     (RrDecisionListModel    *self);
/* The error of the last count or page fetch, or NULL. */
const GError           *rr_decision_list_model_get_error  (RrDecisionListModel    *self);
guint                   rr_decision_list_model_get_n_pages_fetched (RrDecisionListModel *self);
void                    rr_decision_list_model_set_max_pages       (RrDecisionListModel *self,
                                                                    guint                max_pages);
guint                   rr_decision_list_model_get_max_pages       (RrDecisionListModel *self);
/* Pages held now (≤ the maximum). */
guint                   rr_decision_list_model_get_n_pages_resident (RrDecisionListModel *self);

G_END_DECLS
