/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"

G_BEGIN_DECLS

/* The report summary (schema version 3) from scratch: what a bulk load
 * that ran with _rr_store_set_bulk_loading (store, TRUE) calls once at the
 * end, in one transaction of its own. Turns bulk loading off again, also
 * on failure, so that the connection's later writes keep the summary. */
gboolean _rr_report_summary_rebuild (RrStore  *store,
                                     GError  **error);

G_END_DECLS
