/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-rules.h"

G_BEGIN_DECLS

/* Catalogue files are small; a tenth of the general XML cap is plenty. */
#define RR_CATALOGUE_MAX_SIZE (8 * 1024 * 1024)

/* Adds @rule inside the caller's transaction, with its ledger event; no
 * role check. Fills in @rule's id, uuid and (when 0) version, and trims
 * its text fields. Closes the previous version the day before this one
 * starts when that version had no end date yet. */
gboolean _rr_rules_insert                  (RrStore     *store,
                                            const char  *actor,
                                            RrRule      *rule,
                                            GError     **error);

/* Parses, validates and loads a catalogue inside the caller's transaction
 * (rr_store_initialise loads the starter catalogue this way). Versions
 * present unchanged are skipped; differing ones refuse the whole load.
 * @n_added may be NULL. */
gboolean _rr_catalogue_load_in_transaction (RrStore     *store,
                                            const char  *actor,
                                            GBytes      *bytes,
                                            guint       *n_added,
                                            GError     **error);

G_END_DECLS
