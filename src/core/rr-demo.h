/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"

G_BEGIN_DECLS

typedef void (*RrProgressFunc) (double fraction, gpointer user_data);

/* Fills an initialised, empty database with a realistic, varied and
 * deterministic data set: teams, users, clients, decisions with reviews,
 * outcomes, reflections. Same seed, same data (timestamps aside). */
gboolean rr_demo_generate (RrStore        *store,
                           guint           n_decisions,
                           guint64         seed,
                           RrProgressFunc  progress,
                           gpointer        user_data,
                           GCancellable   *cancellable,
                           GError        **error);

G_END_DECLS
