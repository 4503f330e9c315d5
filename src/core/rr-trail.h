/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "rr-demo.h"
#include "rr-ledger.h"
#include "rr-store.h"

G_BEGIN_DECLS

/* The namespace of the trail format (docs/trail-format.md §7) and its
 * schema in the core's GResource. */
#define RR_TRAIL_NAMESPACE   "https://regelruimte.nl/ns/trail/1"
#define RR_XML_SCHEMA_TRAIL  "/nl/regelruimte/Regelruimte/schema/trail.xsd"

/* A trail may be far larger than a DOM document: it is only ever read
 * streaming. */
#define RR_TRAIL_MAX_SIZE    ((gsize) MIN ((guint64) G_MAXSIZE, G_GUINT64_CONSTANT (16) << 30))

/**
 * RrTrailOptions:
 * @from: (nullable): first day (YYYY-MM-DD, UTC) of the period, NULL: from the start
 * @to: (nullable): last day of the period, inclusive, NULL: up to now
 * @with_personal_data: include client names, dossier numbers and BSNs
 *   (auditor only); otherwise clients are pseudonymised
 */
typedef struct {
  const char *from;
  const char *to;
  gboolean    with_personal_data;
} RrTrailOptions;

/* Writes the trail of the period (@options NULL: the whole ledger) to
 * @path: streaming, in constant memory, from one read snapshot, to a
 * temporary file beside @path that is validated against the schema and
 * renamed over it, mode 0600. Then records the export in the ledger
 * (`export.made`, after the trail, so never part of it). An auditor may
 * export; a beheerder only without personal data (RR_ERROR_PERMISSION).
 * @progress (may be NULL) is called with the fraction done; @cancellable
 * stops the export, leaving nothing behind. */
gboolean rr_trail_export      (RrStore               *store,
                               const char            *actor,
                               const RrTrailOptions  *options,
                               const char            *path,
                               RrProgressFunc         progress,
                               gpointer               user_data,
                               GCancellable          *cancellable,
                               GError               **error);

/* Checks a trail file on its own: schema, seq without gaps from the
 * trail's first seq, prev links and hashes, content present against its
 * content hash, every decision, review and outcome against the event that
 * records it, the trail's checkpoint, and optionally that it extends @kept
 * unchanged. Streams in constant memory. Returns FALSE with @error only
 * when the file could not be checked at all: it cannot be read, or it is
 * not a well-formed trail valid against the schema (RR_ERROR_XML; hostile
 * documents end here). A trail that reads but fails a check is a result
 * (@result->ok FALSE, first_bad_seq, problem). */
gboolean rr_trail_verify_file (const char            *path,
                               const RrCheckpoint    *kept,
                               RrVerifyResult        *result,
                               GCancellable          *cancellable,
                               GError               **error);

/* Retention and destruction (rr-retention.c) */

typedef struct {
  char *uuid;
  char *number;
  int   version;
  char *decision_date;
  char *retention_until;
} RrExpiredDecision;

void       rr_expired_decision_free     (RrExpiredDecision *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrExpiredDecision, rr_expired_decision_free)

/* (element-type RrExpiredDecision) decision versions whose retention
 * period ended before @until (NULL: today), not yet destroyed. Beheerder
 * only. */
GPtrArray *rr_decisions_list_expired    (RrStore     *store,
                                         const char  *actor,
                                         const char  *until,
                                         GError     **error);
/* Destroys the content of every decision version listed by
 * rr_decisions_list_expired() with its reviews and outcomes, in one
 * transaction, with one `*.destroyed` event per destroyed item. @until
 * may not lie after today. Beheerder only. */
gboolean   rr_decisions_destroy_expired (RrStore     *store,
                                         const char  *actor,
                                         const char  *until,
                                         guint       *n_destroyed,
                                         GError     **error);

/* MDTO (rr-mdto.c): each decision as an MDTO informatieobject. */
#define RR_MDTO_NAMESPACE "https://www.nationaalarchief.nl/mdto"

/* Writes one MDTO document per decision (number) decided in the period.
 * @output is a directory (one file NUMBER.mdto.xml per decision) or a
 * file, which then must receive exactly one decision. Auditor or
 * beheerder. */
gboolean   rr_mdto_export               (RrStore     *store,
                                         const char  *actor,
                                         const char  *from,
                                         const char  *to,
                                         const char  *output,
                                         guint       *n_written,
                                         GError     **error);

G_END_DECLS
