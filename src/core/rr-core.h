/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-error.h"
#include "rr-types.h"
#include "rr-store.h"
#include "rr-bsn.h"
#include "rr-users.h"
#include "rr-rules.h"
#include "rr-decision.h"
#include "rr-review.h"
#include "rr-learning.h"
#include "rr-ledger.h"
#include "rr-backup.h"
#include "rr-demo.h"
#include "rr-report.h"
#include "rr-trail.h"

G_BEGIN_DECLS

/* Binds the text domain; @localedir NULL uses the installed one (or
 * $RR_LOCALEDIR when set, for running from the build tree). */
void rr_core_init_i18n (void);
void rr_core_init_memory (void);

G_END_DECLS
