/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"
#include "rr-types.h"

G_BEGIN_DECLS

typedef struct {
  char        *domain;
  RrRelevance  relevance;
  char        *note;
} RrWeighing;

void rr_weighing_free (RrWeighing *weighing);

/* What a person fills in. Strings may be NULL. Owned by the struct. */
typedef struct {
  char          *client;          /* dossier number */
  char          *rule;            /* rule code */
  char          *kind;            /* discretion kind code */
  RrOutcomeKind  outcome;
  char          *summary;
  char          *circumstances;
  char          *explanation;
  char          *reason;          /* deviation reason code */
  char          *decision_date;   /* NULL: today */
  /* optional structure */
  char          *principles;
  char          *knowledge;
  char          *experiences;
  char          *alternatives;
  char          *client_view;
  int            client_agrees;   /* -1 not asked, 0 no, 1 yes */
  char          *rights_explained; /* date */
  char          *stakeholders;
  char          *risk;
  gboolean       has_amount;
  gint64         amount_cents;
  RrSanction     sanction;
  char          *contact_date;
  char          *follow_up;       /* NULL: decision date + configured months */
  GPtrArray     *weighings;       /* (element-type RrWeighing) */
} RrDecisionInput;

RrDecisionInput *rr_decision_input_new        (void);
void             rr_decision_input_free       (RrDecisionInput *input);
RrDecisionInput *rr_decision_input_copy       (const RrDecisionInput *input);
void             rr_decision_input_set_weighing (RrDecisionInput *input,
                                                 const char      *domain,
                                                 RrRelevance      relevance,
                                                 const char      *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrDecisionInput, rr_decision_input_free)

/* Drafts travel as GKeyFile text (group [decision]); the CLI's --from-file
 * reads the same format. */
char            *rr_decision_input_to_data    (const RrDecisionInput *input);
RrDecisionInput *rr_decision_input_from_data  (const char  *data,
                                               gssize       length,
                                               GError     **error);
/* Checks what can be checked without a database: required fields of a
 * deviation, dates, lengths. */
gboolean         rr_decision_input_validate   (const RrDecisionInput *input,
                                               GError     **error);

typedef enum {
  RR_HINT_NONE                = 0,
  RR_HINT_NO_CIRCUMSTANCES    = 1 << 0,
  RR_HINT_ONLY_IN_PRINCIPLE   = 1 << 1,
  RR_HINT_NO_WEIGHING         = 1 << 2,
  RR_HINT_SANCTION_NO_CONTACT = 1 << 3,
} RrHints;

/* Explanation-quality hints: shown to the author, never blocking. */
RrHints          rr_decision_input_hints      (const RrDecisionInput *input);
const char      *rr_hint_message              (RrHints hint);

typedef struct {
  gint64         id;
  char          *uuid;
  char          *number;
  int            version;
  char          *supersedes;      /* uuid of the previous version */
  RrStatus       status;
  char          *client_uuid;
  char          *client_dossier;
  char          *client_name;
  char          *author_login;
  char          *author_name;
  char          *author_team;
  char          *recorded_at;
  char          *rule_uuid;
  char          *rule_code;
  int            rule_version;
  char          *rule_title;
  gboolean       within_mandate;
  RrReviewState  review_state;
  RrVerdict      verdict;         /* latest teamleider verdict */
  RrEffect       effect;          /* latest outcome */
  char          *retention_until;
  char          *withdrawn_reason;
  gboolean       destroyed;
  char          *content_hash;
  RrDecisionInput *input;         /* what was recorded (NULLs if destroyed) */
} RrDecision;

void rr_decision_free (RrDecision *decision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrDecision, rr_decision_free)

/* Records a decision and its ledger event in one transaction. Returns the new
 * number (RR-YYYY-NNNNNN). */
char       *rr_decisions_record     (RrStore               *store,
                                     const char            *actor,
                                     const RrDecisionInput *input,
                                     GError               **error);
/* Records a new version of @number that supersedes the current one. */
int         rr_decisions_supersede  (RrStore               *store,
                                     const char            *actor,
                                     const char            *number,
                                     const RrDecisionInput *input,
                                     GError               **error);
gboolean    rr_decisions_withdraw   (RrStore               *store,
                                     const char            *actor,
                                     const char            *number,
                                     const char            *reason,
                                     GError               **error);
/* @version 0: the newest version. */
RrDecision *rr_decisions_get        (RrStore               *store,
                                     const char            *actor,
                                     const char            *number,
                                     int                    version,
                                     GError               **error);
/* (element-type RrDecision): every version, oldest first */
GPtrArray  *rr_decisions_versions   (RrStore               *store,
                                     const char            *actor,
                                     const char            *number,
                                     GError               **error);

typedef enum {
  RR_SORT_DATE_DESC = 0,
  RR_SORT_DATE_ASC,
  RR_SORT_NUMBER_DESC,
  RR_SORT_NUMBER_ASC,
} RrSort;

typedef struct {
  char          *from;
  char          *to;
  char          *rule;
  char          *client;
  char          *text;          /* full-text search */
  RrOutcomeKind  outcome;       /* NONE: any */
  int            status;        /* -1: current versions (recorded or withdrawn); else RrStatus */
  int            review_state;  /* -1: any */
  gboolean       mine_only;
  RrSort         sort;
} RrDecisionFilter;

void        rr_decision_filter_init  (RrDecisionFilter *filter);
void        rr_decision_filter_clear (RrDecisionFilter *filter);

/* A light row for lists (no free text beyond the summary). */
typedef struct {
  gint64         id;
  char          *number;
  int            version;
  RrStatus       status;
  char          *decision_date;
  char          *client_dossier;
  char          *client_name;
  char          *author_login;
  char          *rule_code;
  char          *kind;
  RrOutcomeKind  outcome;
  char          *summary;
  RrReviewState  review_state;
  RrVerdict      verdict;
  RrEffect       effect;
  char          *follow_up;
  gboolean       within_mandate;
} RrDecisionRow;

void rr_decision_row_free (RrDecisionRow *row);

/* Decisions visible to @actor, newest first, @limit rows from @offset.
 * (element-type RrDecisionRow) */
GPtrArray  *rr_decisions_list       (RrStore                *store,
                                     const char             *actor,
                                     const RrDecisionFilter *filter,
                                     guint                   offset,
                                     guint                   limit,
                                     GError                **error);
gint64      rr_decisions_count      (RrStore                *store,
                                     const char             *actor,
                                     const RrDecisionFilter *filter,
                                     GError                **error);

/* For lazy lists: every id in order once, then rows page by page. */
GArray     *rr_decisions_list_ids   (RrStore                *store,
                                     const char             *actor,
                                     const RrDecisionFilter *filter,
                                     GError                **error);
GPtrArray  *rr_decisions_rows       (RrStore                *store,
                                     const char             *actor,
                                     const gint64           *ids,
                                     guint                   n_ids,
                                     GError                **error);

typedef struct {
  char          *number;
  char          *decision_date;
  char          *rule_code;
  char          *client_pseudonym; /* never the name or dossier number */
  char          *summary;
  char          *reason;
  RrOutcomeKind  outcome;
  RrEffect       effect;
  gboolean       same_rule;
} RrPrecedent;

void rr_precedent_free (RrPrecedent *precedent);

/* Earlier deviations in the actor's team: same rule first, then textual
 * similarity to @text (either may be NULL). (element-type RrPrecedent) */
GPtrArray  *rr_decisions_precedents (RrStore     *store,
                                     const char  *actor,
                                     const char  *rule,
                                     const char  *text,
                                     guint        limit,
                                     GError     **error);

/* Drafts: the author's own, editable, outside the ledger. */
typedef struct {
  gint64 id;
  char  *updated_at;
  char  *summary;
  RrDecisionInput *input;
} RrDraft;

void        rr_draft_free           (RrDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrDraft, rr_draft_free)
gint64      rr_drafts_save          (RrStore               *store,
                                     const char            *actor,
                                     gint64                 id,
                                     const RrDecisionInput *input,
                                     GError               **error);
GPtrArray  *rr_drafts_list          (RrStore     *store,
                                     const char  *actor,
                                     GError     **error);
RrDraft    *rr_drafts_get           (RrStore     *store,
                                     const char  *actor,
                                     gint64       id,
                                     GError     **error);
gboolean    rr_drafts_delete        (RrStore     *store,
                                     const char  *actor,
                                     gint64       id,
                                     GError     **error);

G_END_DECLS
