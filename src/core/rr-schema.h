/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Forward migrations: entry N takes user_version N to N + 1. Never edit a
 * released entry; append a new one. */
extern const char * const rr_schema_migrations[];
extern const guint rr_schema_n_migrations;

/* Rebuilds the report summary of the latest version from the decisions,
 * reviews and outcomes; run with rr_bulk_loading () on, inside a
 * transaction (_rr_report_summary_rebuild). */
extern const char rr_schema_report_rebuild[];
/* Its counts alone, from report_facts as they are. */
extern const char rr_schema_report_recount[];
/* The yearly counts (level 1) from the monthly ones (level 0). */
extern const char rr_schema_report_years[];

G_END_DECLS
