/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-decision-item"
#include "config.h"

#include "rr-decision-item.h"

/* One row of the log, as an object a GListModel can hand out. */
struct _RrDecisionItem
{
  GObject        parent_instance;
  RrDecisionRow *row;
};

G_DEFINE_FINAL_TYPE (RrDecisionItem, rr_decision_item, G_TYPE_OBJECT)

static void
rr_decision_item_finalize (GObject *object)
{
  RrDecisionItem *self = RR_DECISION_ITEM (object);

  g_clear_pointer (&self->row, rr_decision_row_free);
  G_OBJECT_CLASS (rr_decision_item_parent_class)->finalize (object);
}

static void
rr_decision_item_class_init (RrDecisionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rr_decision_item_finalize;
}

static void
rr_decision_item_init (RrDecisionItem *self)
{
}

RrDecisionItem *
rr_decision_item_new (RrDecisionRow *row)
{
  RrDecisionItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RR_TYPE_DECISION_ITEM, NULL);
  self->row = row;
  return self;
}

const RrDecisionRow *
rr_decision_item_get_row (RrDecisionItem *self)
{
  g_return_val_if_fail (RR_IS_DECISION_ITEM (self), NULL);
  return self->row;
}
