/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "rr-core.h"

G_BEGIN_DECLS

#define RR_TYPE_AUDIT_VIEW (rr_audit_view_get_type ())
G_DECLARE_FINAL_TYPE (RrAuditView, rr_audit_view, RR, AUDIT_VIEW, GtkWidget)

/* The auditor's view: the ledger's checkpoint, exporting the trail and
 * MDTO, and verifying a trail file. Long work runs in a thread with its
 * own connection to the database. */
GtkWidget *rr_audit_view_new            (RrStore     *store,
                                         const char  *login);
/* Re-reads the current checkpoint. */
void       rr_audit_view_reload         (RrAuditView *self);
/* What the file choosers lead to (tests call these directly): start the
 * work in a thread; the result shows inline when it is done. */
void       rr_audit_view_export_to      (RrAuditView *self,
                                         const char  *path);
void       rr_audit_view_export_mdto_to (RrAuditView *self,
                                         const char  *folder);
void       rr_audit_view_verify_file    (RrAuditView *self,
                                         const char  *path);
/* TRUE while an export or verification runs. */
gboolean   rr_audit_view_is_busy        (RrAuditView *self);

G_END_DECLS
