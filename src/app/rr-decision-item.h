/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_DECISION_ITEM (rr_decision_item_get_type ())
G_DECLARE_FINAL_TYPE (RrDecisionItem, rr_decision_item, RR, DECISION_ITEM, GObject)

/* Takes @row. */
RrDecisionItem      *rr_decision_item_new     (RrDecisionRow  *row);
const RrDecisionRow *rr_decision_item_get_row (RrDecisionItem *self);

G_END_DECLS
