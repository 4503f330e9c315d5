/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RR_ROLE_NONE         = 0,
  RR_ROLE_KLANTMANAGER = 1 << 0,
  RR_ROLE_TEAMLEIDER   = 1 << 1,
  RR_ROLE_AUDITOR      = 1 << 2,
  RR_ROLE_BEHEERDER    = 1 << 3,
} RrRoles;

#define RR_N_ROLES 4

typedef enum {
  RR_OUTCOME_NONE = 0,
  RR_OUTCOME_APPLIED,
  RR_OUTCOME_DEVIATED,
} RrOutcomeKind;

typedef enum {
  RR_SANCTION_NONE = 0,
  RR_SANCTION_IMPOSED,
  RR_SANCTION_REFRAINED,
} RrSanction;

typedef enum {
  RR_RELEVANCE_NONE = 0,
  RR_RELEVANCE_SOME,
  RR_RELEVANCE_DECISIVE,
} RrRelevance;

typedef enum {
  RR_VERDICT_NONE = 0,
  RR_VERDICT_AKKOORD,
  RR_VERDICT_AKKOORD_MET_AANVULLING,
  RR_VERDICT_VRAGEN,
  RR_VERDICT_NIET_AKKOORD,
} RrVerdict;

typedef enum {
  RR_EFFECT_NONE = 0,
  RR_EFFECT_BEREIKT,
  RR_EFFECT_DEELS,
  RR_EFFECT_NIET,
  RR_EFFECT_ONBEKEND,
} RrEffect;

typedef enum {
  RR_STATUS_DRAFT = 0,
  RR_STATUS_RECORDED,
  RR_STATUS_SUPERSEDED,
  RR_STATUS_WITHDRAWN,
} RrStatus;

/* Where a decision stands in the teamleider's review. */
typedef enum {
  RR_REVIEW_STATE_NOT_NEEDED = 0, /* applied and within mandate */
  RR_REVIEW_STATE_FOR_INFORMATION, /* ter kennisname: deviation within mandate */
  RR_REVIEW_STATE_APPROVAL_NEEDED, /* akkoord nodig: outside mandate */
  RR_REVIEW_STATE_REVIEWED,        /* a teamleider gave a verdict */
} RrReviewState;

typedef enum {
  RR_VOCAB_KIND = 0,   /* discretion kinds */
  RR_VOCAB_DOMAIN,     /* kader domains */
  RR_VOCAB_REASON,     /* coded deviation reasons */
} RrVocab;

typedef enum {
  RR_REFLECTION_FREE = 0,
  RR_REFLECTION_HITTEMOMENT,
  RR_REFLECTION_INTERVENTIEMOMENT,
  RR_REFLECTION_NAZORGMOMENT,
  RR_REFLECTION_CASE_STORY,
} RrReflectionKind;

/* Stable codes, as stored, exported and typed on the command line. */
const char *rr_role_to_string        (RrRoles role);
gboolean    rr_role_from_string      (const char *text, RrRoles *out);
const char *rr_role_label            (RrRoles role);
char       *rr_roles_to_string       (RrRoles roles);
const char *rr_outcome_to_string     (RrOutcomeKind outcome);
RrOutcomeKind rr_outcome_from_string (const char *text);
const char *rr_outcome_label         (RrOutcomeKind outcome);
const char *rr_sanction_to_string    (RrSanction sanction);
gboolean    rr_sanction_from_string  (const char *text, RrSanction *out);
const char *rr_relevance_to_string   (RrRelevance relevance);
gboolean    rr_relevance_from_string (const char *text, RrRelevance *out);
const char *rr_verdict_to_string     (RrVerdict verdict);
RrVerdict   rr_verdict_from_string   (const char *text);
const char *rr_verdict_label         (RrVerdict verdict);
const char *rr_effect_to_string      (RrEffect effect);
RrEffect    rr_effect_from_string    (const char *text);
const char *rr_effect_label          (RrEffect effect);
const char *rr_status_to_string      (RrStatus status);
RrStatus    rr_status_from_string    (const char *text);
const char *rr_status_label          (RrStatus status);
const char *rr_review_state_label    (RrReviewState state);
const char *rr_reflection_kind_to_string (RrReflectionKind kind);
gboolean    rr_reflection_kind_from_string (const char *text, RrReflectionKind *out);
const char *rr_reflection_kind_label (RrReflectionKind kind);

/* Dates are ISO 8601 calendar dates (YYYY-MM-DD) throughout. */
gboolean    rr_date_is_valid         (const char *text);
char       *rr_date_today            (void);
char       *rr_date_add_months       (const char *date, int months);
char       *rr_timestamp_now         (void);

G_END_DECLS
