/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rr-core.h"

G_BEGIN_DECLS

/* One query of the core, run in a worker thread on @store, a connection of
 * its own; returns what the query returns, or NULL with @error set. */
typedef gpointer (*RrBackgroundQuery) (RrStore     *store,
                                       const char  *login,
                                       gpointer     query_data,
                                       GError     **error);

void     rr_background_query        (gpointer              owner,
                                     guint                 generation,
                                     RrStore              *store,
                                     const char           *login,
                                     RrBackgroundQuery     query,
                                     gpointer              query_data,
                                     GDestroyNotify        query_data_free,
                                     GDestroyNotify        result_free,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback);
gpointer rr_background_query_finish (GAsyncResult         *result,
                                     gpointer             *owner,
                                     guint                *generation,
                                     gpointer             *query_data,
                                     GError              **error);

G_END_DECLS
