/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"
#include "rr-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *uuid;
  char     *number;
  int       version;
  char     *reviewer_login;
  char     *reviewer_name;
  gboolean  is_advice;
  RrVerdict verdict;       /* NONE for advice */
  char     *text;          /* the advice or the verdict's comment */
  char     *created_at;
} RrReview;

void rr_review_free (RrReview *review);

/* Second opinion (ruggespraak) from any colleague but the author. */
gboolean   rr_reviews_advise          (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       const char  *advice,
                                       GError     **error);
/* Asks a colleague for advice; it appears in their review queue. */
gboolean   rr_reviews_request_advice  (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       const char  *colleague,
                                       const char  *question,
                                       GError     **error);
/* A teamleider's verdict: never by the author; a comment is required for
 * all but akkoord. */
gboolean   rr_reviews_verdict         (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       RrVerdict    verdict,
                                       const char  *comment,
                                       GError     **error);
/* (element-type RrReview) for every version of @number, oldest first */
GPtrArray *rr_reviews_for_decision    (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       GError     **error);

typedef struct {
  char          *number;
  int            version;
  char          *summary;
  char          *author_login;
  char          *rule_code;
  char          *decision_date;
  RrReviewState  state;       /* for the teamleider queue */
  gboolean       advice_asked; /* asked of the actor by a colleague */
  char          *asked_by;
  char          *question;
} RrQueueItem;

void       rr_queue_item_free         (RrQueueItem *item);
/* What waits for @actor: advice asked of them, and for a teamleider the
 * team's unreviewed deviations, approval needed first. */
GPtrArray *rr_reviews_queue           (RrStore     *store,
                                       const char  *actor,
                                       GError     **error);

/* A request for advice the actor made: "what I asked" in Toetsing. */
typedef struct {
  char     *number;
  int       version;
  char     *summary;
  char     *rule_code;
  char     *colleague_login;
  char     *colleague_name;
  char     *question;
  char     *asked_at;
  gboolean  answered;
  char     *advice;        /* the colleague's newest advice on the decision, if any */
} RrAdviceRequest;

void       rr_advice_request_free     (RrAdviceRequest *request);
/* The advice @actor asked of colleagues, open requests first, then newest
 * first. (element-type RrAdviceRequest) */
GPtrArray *rr_reviews_asked           (RrStore     *store,
                                       const char  *actor,
                                       GError     **error);

typedef struct {
  gint64    id;
  char     *number;
  RrEffect  effect;
  char     *note;
  char     *recorded_at;
  char     *author_login;
} RrOutcome;

void       rr_outcome_free            (RrOutcome *outcome);
gboolean   rr_outcomes_record         (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       RrEffect     effect,
                                       const char  *note,
                                       GError     **error);
GPtrArray *rr_outcomes_for_decision   (RrStore     *store,
                                       const char  *actor,
                                       const char  *number,
                                       GError     **error);
/* Current decisions of the actor (or, for a teamleider, the team) whose
 * follow-up date is on or before @until and that have no outcome yet.
 * (element-type RrDecisionRow) */
GPtrArray *rr_outcomes_due            (RrStore     *store,
                                       const char  *actor,
                                       const char  *until,
                                       GError     **error);
/* The same list a page at a time: at most @limit rows (0: all) after the
 * row with @after_follow_up and @after_id (NULL: from the start). */
GPtrArray *rr_outcomes_due_page       (RrStore     *store,
                                       const char  *actor,
                                       const char  *until,
                                       const char  *after_follow_up,
                                       gint64       after_id,
                                       guint        limit,
                                       GError     **error);

G_END_DECLS
