/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Forward migrations: entry N takes user_version N to N + 1. Never edit a
 * released entry; append a new one. */
extern const char * const rr_schema_migrations[];
extern const guint rr_schema_n_migrations;

G_END_DECLS
