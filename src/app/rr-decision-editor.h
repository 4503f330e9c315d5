/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_DECISION_EDITOR (rr_decision_editor_get_type ())
G_DECLARE_FINAL_TYPE (RrDecisionEditor, rr_decision_editor, RR, DECISION_EDITOR, GtkWidget)

GtkWidget  *rr_decision_editor_new                  (RrStore          *store,
                                                     const char       *login);
void        rr_decision_editor_set_follow_up_months (RrDecisionEditor *self,
                                                     int               months);
/* Saves the form as the author's draft now, if anything changed. */
void        rr_decision_editor_save_draft           (RrDecisionEditor *self);
/* Records what the form holds; FALSE and an inline refusal otherwise. */
gboolean    rr_decision_editor_record               (RrDecisionEditor *self);
/* Loads the newest version of @number to be answered with a new version
 * (after a teamleider's questions); recording then supersedes it. */
gboolean    rr_decision_editor_start_new_version    (RrDecisionEditor *self,
                                                     const char       *number,
                                                     GError          **error);
/* The number of the last decision recorded from this form, or NULL. */
const char *rr_decision_editor_get_last_number      (RrDecisionEditor *self);
gboolean    rr_decision_editor_is_finding_precedents (RrDecisionEditor *self);

G_END_DECLS
