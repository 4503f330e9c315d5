/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-review"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-decision-private.h"
#include "rr-ledger.h"
#include "rr-review.h"
#include "rr-store-private.h"
#include "rr-users.h"

void
rr_review_free (RrReview *review)
{
  if (review == NULL)
    return;
  g_free (review->uuid);
  g_free (review->number);
  g_free (review->reviewer_login);
  g_free (review->reviewer_name);
  g_free (review->text);
  g_free (review->created_at);
  g_free (review);
}

void
rr_queue_item_free (RrQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->number);
  g_free (item->summary);
  g_free (item->author_login);
  g_free (item->rule_code);
  g_free (item->decision_date);
  g_free (item->asked_by);
  g_free (item->question);
  g_free (item);
}

void
rr_advice_request_free (RrAdviceRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->number);
  g_free (request->summary);
  g_free (request->rule_code);
  g_free (request->colleague_login);
  g_free (request->colleague_name);
  g_free (request->question);
  g_free (request->asked_at);
  g_free (request->advice);
  g_free (request);
}

void
rr_outcome_free (RrOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->number);
  g_free (outcome->note);
  g_free (outcome->recorded_at);
  g_free (outcome->author_login);
  g_free (outcome);
}


typedef struct {
  gint64   id;
  char    *uuid;
  char    *number;
  int      version;
  RrStatus status;
  gint64   author_id;
  char    *author_login;
  char    *team;
} Target;

static void
target_clear (Target *t)
{
  g_free (t->uuid);
  g_free (t->number);
  g_free (t->author_login);
  g_free (t->team);
}

/* The newest version of @number: reviews and outcomes concern it. */
static gboolean
load_target (RrStore     *store,
             const char  *number,
             Target      *t,
             GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT d.id, d.uuid, d.number, d.version, d.status,"
                                          " d.author_id, u.login, d.team FROM decisions d"
                                          " JOIN users u ON u.id = d.author_id"
                                          " WHERE d.number = ? ORDER BY d.version DESC LIMIT 1",
                                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, number);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                 _("There is no decision with number “%s”."), number != NULL ? number : "");
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  t->id = sqlite3_column_int64 (stmt, 0);
  t->uuid = _rr_column_dup (stmt, 1);
  t->number = _rr_column_dup (stmt, 2);
  t->version = sqlite3_column_int (stmt, 3);
  t->status = rr_status_from_string ((const char *) sqlite3_column_text (stmt, 4));
  t->author_id = sqlite3_column_int64 (stmt, 5);
  t->author_login = _rr_column_dup (stmt, 6);
  t->team = _rr_column_dup (stmt, 7);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The canonical content of a review: uuid, decision, number, version,
 * reviewer, kind, verdict, text, created_at. */
static char *
review_canonical (const char *uuid,
                  const char *decision_uuid,
                  const char *number,
                  int         version,
                  const char *reviewer,
                  const char *kind,
                  const char *verdict,
                  const char *text,
                  const char *created_at)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("review");

  rr_canon_add (canon, "uuid", uuid);
  rr_canon_add (canon, "decision", decision_uuid);
  rr_canon_add (canon, "number", number);
  rr_canon_add_int (canon, "version", version);
  rr_canon_add (canon, "reviewer", reviewer);
  rr_canon_add (canon, "kind", kind);
  rr_canon_add (canon, "verdict", verdict);
  rr_canon_add (canon, "text", text);
  rr_canon_add (canon, "created_at", created_at);
  return g_strdup (rr_canon_get_text (canon));
}

/* For a query of many reviews (the trail export), the columns and joins
 * _rr_review_canonical() reads, to put before the caller's own; and the
 * canonical content of that query's current row, NULL once destroyed. */
void
_rr_review_canonical_sql (const char **columns,
                          const char **from)
{
  *columns = "r.uuid, d.uuid, d.number, d.version, u.login, r.kind, r.verdict, r.text,"
             " r.created_at, r.destroyed_at IS NOT NULL";
  *from = " FROM reviews r JOIN decisions d ON d.id = r.decision_id"
          " JOIN users u ON u.id = r.reviewer_id";
}

char *
_rr_review_canonical_from_row (sqlite3_stmt *stmt)
{
  if (sqlite3_column_int (stmt, 9) != 0)
    return NULL;
  return review_canonical ((const char *) sqlite3_column_text (stmt, 0),
                           (const char *) sqlite3_column_text (stmt, 1),
                           (const char *) sqlite3_column_text (stmt, 2),
                           sqlite3_column_int (stmt, 3),
                           (const char *) sqlite3_column_text (stmt, 4),
                           (const char *) sqlite3_column_text (stmt, 5),
                           (const char *) sqlite3_column_text (stmt, 6),
                           (const char *) sqlite3_column_text (stmt, 7),
                           (const char *) sqlite3_column_text (stmt, 8));
}

char *
_rr_review_canonical (RrStore     *store,
                      const char  *uuid,
                      GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT r.uuid, d.uuid, d.number, d.version, u.login,"
                                          " r.kind, r.verdict, r.text, r.created_at,"
                                          " r.destroyed_at IS NOT NULL FROM reviews r"
                                          " JOIN decisions d ON d.id = r.decision_id"
                                          " JOIN users u ON u.id = r.reviewer_id WHERE r.uuid = ?",
                                          error);
  char *canonical = NULL;

  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, uuid);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 9) == 0)
    canonical = review_canonical ((const char *) sqlite3_column_text (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1),
                                  (const char *) sqlite3_column_text (stmt, 2),
                                  sqlite3_column_int (stmt, 3),
                                  (const char *) sqlite3_column_text (stmt, 4),
                                  (const char *) sqlite3_column_text (stmt, 5),
                                  (const char *) sqlite3_column_text (stmt, 6),
                                  (const char *) sqlite3_column_text (stmt, 7),
                                  (const char *) sqlite3_column_text (stmt, 8));
  sqlite3_reset (stmt);
  return canonical;
}

/* A review row and its ledger event inside the caller's transaction; the
 * caller has checked roles and four-eyes. Shared with the demo generator,
 * which gives its own time. */
gboolean
_rr_review_insert (RrStore     *store,
                        gint64       decision_id,
                        const char  *decision_uuid,
                        const char  *number,
                        int          version,
                        gint64       reviewer_id,
                        const char  *reviewer_login,
                        RrVerdict    verdict,
                        const char  *text,
                        const char  *created_at,
                        GError     **error)
{
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *canonical = NULL;
  const char *kind = verdict != RR_VERDICT_NONE ? "teamleider" : "advice";
  const char *verdict_code = verdict != RR_VERDICT_NONE ? rr_verdict_to_string (verdict) : NULL;
  const char *stored_text = _rr_text_is_blank (text) ? NULL : text;
  sqlite3_stmt *stmt;

  g_assert (_rr_store_in_transaction (store));

  stmt = _rr_store_prepare (store,
                            "INSERT INTO reviews (uuid, decision_id, reviewer_id, kind, verdict,"
                            " text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, uuid);
  sqlite3_bind_int64 (stmt, 2, decision_id);
  sqlite3_bind_int64 (stmt, 3, reviewer_id);
  _rr_bind_text (stmt, 4, kind);
  _rr_bind_text (stmt, 5, verdict_code);
  _rr_bind_text (stmt, 6, stored_text);
  _rr_bind_text (stmt, 7, created_at);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;

  canonical = review_canonical (uuid, decision_uuid, number, version, reviewer_login, kind,
                                verdict_code, stored_text, created_at);
  return _rr_ledger_append (store, reviewer_login,
                            verdict != RR_VERDICT_NONE ? "review.verdict" : "review.advice",
                            "review", uuid, canonical, FALSE, error) > 0;
}

static gboolean
insert_review (RrStore       *store,
               const RrUser  *reviewer,
               const Target  *t,
               RrVerdict      verdict,
               const char    *text,
               GError       **error)
{
  g_autofree char *now = rr_timestamp_now ();

  return _rr_review_insert (store, t->id, t->uuid, t->number, t->version, reviewer->id,
                            reviewer->login, verdict, text, now, error);
}

static gboolean
check_reviewable (const Target  *t,
                  const RrUser  *reviewer,
                  GError       **error)
{
  if (t->author_id == reviewer->id)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_FOUR_EYES,
                   _("You cannot review your own decision %s: a review needs a second pair of "
                     "eyes. Ask a colleague or your teamleider."), t->number);
      return FALSE;
    }
  if (t->status != RR_STATUS_RECORDED)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Decision %s was withdrawn and can no longer be reviewed."), t->number);
      return FALSE;
    }
  return TRUE;
}

gboolean
rr_reviews_advise (RrStore     *store,
                   const char  *actor,
                   const char  *number,
                   const char  *advice,
                   GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  Target t = { 0 };
  gboolean ok = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (_rr_text_is_blank (advice))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Write your advice."));
      return FALSE;
    }
  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL || !load_target (store, number, &t, error) || !check_reviewable (&t, user, error))
    goto out;
  if (g_strcmp0 (t.team, user->team) != 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Decision %s belongs to another team."), number);
      goto out;
    }
  if (!insert_review (store, user, &t, RR_VERDICT_NONE, advice, error))
    goto out;

  /* Advice given answers any request for it. */
  stmt = _rr_store_prepare (store,
                            "UPDATE advice_requests SET answered = 1 WHERE requested_of = ?"
                            " AND decision_id IN (SELECT id FROM decisions WHERE number = ?)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, user->id);
  _rr_bind_text (stmt, 2, t.number);
  if (!_rr_step_done (store, stmt, error))
    goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    _rr_store_rollback (store);
  target_clear (&t);
  if (ok)
    rr_store_emit_changed (store, RR_CHANGED_REVIEWS);
  return ok;
}

gboolean
rr_reviews_request_advice (RrStore     *store,
                           const char  *actor,
                           const char  *number,
                           const char  *colleague,
                           const char  *question,
                           GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrUser) other = NULL;
  g_autofree char *now = rr_timestamp_now ();
  Target t = { 0 };
  gboolean ok = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL || !load_target (store, number, &t, error))
    goto out;
  other = rr_users_lookup (store, colleague, error);
  if (other == NULL)
    goto out;
  if (other->id == t.author_id)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_FOUR_EYES,
                   _("Advice on decision %s must come from someone other than its author."),
                   number);
      goto out;
    }
  if (t.author_id != user->id)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Only the author of decision %s may ask for advice on it."), number);
      goto out;
    }
  stmt = _rr_store_prepare (store,
                            "INSERT INTO advice_requests (decision_id, requested_by, requested_of,"
                            " question, created_at) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, t.id);
  sqlite3_bind_int64 (stmt, 2, user->id);
  sqlite3_bind_int64 (stmt, 3, other->id);
  _rr_bind_text (stmt, 4, _rr_text_is_blank (question) ? NULL : question);
  _rr_bind_text (stmt, 5, now);
  if (!_rr_step_done (store, stmt, error))
    goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    _rr_store_rollback (store);
  target_clear (&t);
  if (ok)
    rr_store_emit_changed (store, RR_CHANGED_REVIEWS);
  return ok;
}

gboolean
rr_reviews_verdict (RrStore     *store,
                    const char  *actor,
                    const char  *number,
                    RrVerdict    verdict,
                    const char  *comment,
                    GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  Target t = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (rr_verdict_to_string (verdict) == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Choose a verdict: akkoord, akkoord met aanvulling, vragen or niet akkoord."));
      return FALSE;
    }
  if (verdict != RR_VERDICT_AKKOORD && _rr_text_is_blank (comment))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("A verdict other than akkoord needs a comment, so that the author knows "
                     "what to add or answer."));
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_TEAMLEIDER, error);
  if (user == NULL || !load_target (store, number, &t, error) || !check_reviewable (&t, user, error))
    goto out;
  if (g_strcmp0 (t.team, user->team) != 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Decision %s belongs to another team; its own teamleider reviews it."),
                   number);
      goto out;
    }
  if (!insert_review (store, user, &t, verdict, comment, error))
    goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    _rr_store_rollback (store);
  target_clear (&t);
  if (ok)
    rr_store_emit_changed (store, RR_CHANGED_REVIEWS);
  return ok;
}

static gboolean
can_read_decision (RrStore     *store,
                   const char  *actor,
                   const char  *number,
                   GError     **error)
{
  g_autoptr(RrDecision) d = rr_decisions_get (store, actor, number, 0, error);
  return d != NULL;
}

GPtrArray *
rr_reviews_for_decision (RrStore     *store,
                         const char  *actor,
                         const char  *number,
                         GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_review_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (!can_read_decision (store, actor, number, error))
    return NULL;
  stmt = _rr_store_prepare (store,
                            "SELECT r.id, r.uuid, d.number, d.version, u.login, u.display_name,"
                            " r.kind, r.verdict, r.text, r.created_at FROM reviews r"
                            " JOIN decisions d ON d.id = r.decision_id"
                            " JOIN users u ON u.id = r.reviewer_id"
                            " WHERE d.number = ? ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, number);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrReview *r = g_new0 (RrReview, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->uuid = _rr_column_dup (stmt, 1);
      r->number = _rr_column_dup (stmt, 2);
      r->version = sqlite3_column_int (stmt, 3);
      r->reviewer_login = _rr_column_dup (stmt, 4);
      r->reviewer_name = _rr_column_dup (stmt, 5);
      r->is_advice = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "advice") == 0;
      r->verdict = rr_verdict_from_string ((const char *) sqlite3_column_text (stmt, 7));
      r->text = _rr_column_dup (stmt, 8);
      r->created_at = _rr_column_dup (stmt, 9);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

GPtrArray *
rr_reviews_queue (RrStore     *store,
                  const char  *actor,
                  GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_queue_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return NULL;

  /* Advice asked of me, on versions that still stand. */
  stmt = _rr_store_prepare (store,
                            "SELECT d.number, d.version, d.summary, a.login, r.code, d.decision_date,"
                            " q.login, ar.question FROM advice_requests ar"
                            " JOIN decisions d ON d.id = ar.decision_id"
                            " JOIN users a ON a.id = d.author_id JOIN users q ON q.id = ar.requested_by"
                            " JOIN rules r ON r.id = d.rule_id"
                            " WHERE ar.requested_of = ? AND ar.answered = 0 AND d.status = 'recorded'"
                            " ORDER BY ar.created_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user->id);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrQueueItem *item = g_new0 (RrQueueItem, 1);

      item->number = _rr_column_dup (stmt, 0);
      item->version = sqlite3_column_int (stmt, 1);
      item->summary = _rr_column_dup (stmt, 2);
      item->author_login = _rr_column_dup (stmt, 3);
      item->rule_code = _rr_column_dup (stmt, 4);
      item->decision_date = _rr_column_dup (stmt, 5);
      item->advice_asked = TRUE;
      item->asked_by = _rr_column_dup (stmt, 6);
      item->question = _rr_column_dup (stmt, 7);
      item->state = RR_REVIEW_STATE_NOT_NEEDED;
      g_ptr_array_add (out, item);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);

  if (!(user->roles & RR_ROLE_TEAMLEIDER))
    return g_steal_pointer (&out);

  /* The team's unreviewed decisions: approval needed first, oldest first. */
  stmt = _rr_store_prepare (store,
                            "SELECT d.number, d.version, d.summary, a.login, r.code, d.decision_date,"
                            " d.needs_review FROM decisions d"
                            " JOIN users a ON a.id = d.author_id JOIN rules r ON r.id = d.rule_id"
                            " WHERE d.team = ? AND d.status = 'recorded' AND d.needs_review > 0"
                            " AND d.author_id <> ?"
                            " AND NOT EXISTS (SELECT 1 FROM reviews rv WHERE rv.decision_id = d.id"
                            "   AND rv.kind = 'teamleider')"
                            " ORDER BY d.needs_review DESC, d.decision_date, d.id", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, user->team);
  sqlite3_bind_int64 (stmt, 2, user->id);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrQueueItem *item = g_new0 (RrQueueItem, 1);

      item->number = _rr_column_dup (stmt, 0);
      item->version = sqlite3_column_int (stmt, 1);
      item->summary = _rr_column_dup (stmt, 2);
      item->author_login = _rr_column_dup (stmt, 3);
      item->rule_code = _rr_column_dup (stmt, 4);
      item->decision_date = _rr_column_dup (stmt, 5);
      item->state = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (out, item);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

GPtrArray *
rr_reviews_asked (RrStore     *store,
                  const char  *actor,
                  GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_advice_request_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return NULL;
  /* The advice may have been given on a later version of the decision: the
   * number, not the version, ties it to the request. */
  stmt = _rr_store_prepare (store,
                            "SELECT d.number, d.version, d.summary, r.code, o.login, o.display_name,"
                            " ar.question, ar.created_at, ar.answered,"
                            " (SELECT rv.text FROM reviews rv JOIN decisions d2 ON d2.id = rv.decision_id"
                            "   WHERE d2.number = d.number AND rv.reviewer_id = ar.requested_of"
                            "   AND rv.kind = 'advice' AND rv.destroyed_at IS NULL"
                            "   ORDER BY rv.id DESC LIMIT 1)"
                            " FROM advice_requests ar JOIN decisions d ON d.id = ar.decision_id"
                            " JOIN users o ON o.id = ar.requested_of JOIN rules r ON r.id = d.rule_id"
                            " WHERE ar.requested_by = ?"
                            " ORDER BY ar.answered, ar.created_at DESC, ar.id DESC LIMIT 200", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user->id);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrAdviceRequest *request = g_new0 (RrAdviceRequest, 1);

      request->number = _rr_column_dup (stmt, 0);
      request->version = sqlite3_column_int (stmt, 1);
      request->summary = _rr_column_dup (stmt, 2);
      request->rule_code = _rr_column_dup (stmt, 3);
      request->colleague_login = _rr_column_dup (stmt, 4);
      request->colleague_name = _rr_column_dup (stmt, 5);
      request->question = _rr_column_dup (stmt, 6);
      request->asked_at = _rr_column_dup (stmt, 7);
      request->answered = sqlite3_column_int (stmt, 8) != 0;
      request->advice = _rr_column_dup (stmt, 9);
      g_ptr_array_add (out, request);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

/* The canonical content of an outcome: uuid, number, decision, author,
 * effect, note, recorded_at. */
static char *
outcome_canonical (const char *uuid,
                   const char *number,
                   const char *decision_uuid,
                   const char *author,
                   const char *effect,
                   const char *note,
                   const char *recorded_at)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("outcome");

  rr_canon_add (canon, "uuid", uuid);
  rr_canon_add (canon, "number", number);
  rr_canon_add (canon, "decision", decision_uuid);
  rr_canon_add (canon, "author", author);
  rr_canon_add (canon, "effect", effect);
  rr_canon_add (canon, "note", note);
  rr_canon_add (canon, "recorded_at", recorded_at);
  return g_strdup (rr_canon_get_text (canon));
}

/* The same for outcomes and _rr_outcome_canonical(). */
void
_rr_outcome_canonical_sql (const char **columns,
                           const char **from)
{
  *columns = "o.uuid, o.number, d.uuid, u.login, o.effect, o.note, o.recorded_at,"
             " o.destroyed_at IS NOT NULL";
  *from = " FROM outcomes o JOIN decisions d ON d.id = o.decision_id"
          " JOIN users u ON u.id = o.author_id";
}

char *
_rr_outcome_canonical_from_row (sqlite3_stmt *stmt)
{
  if (sqlite3_column_int (stmt, 7) != 0)
    return NULL;
  return outcome_canonical ((const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2),
                            (const char *) sqlite3_column_text (stmt, 3),
                            (const char *) sqlite3_column_text (stmt, 4),
                            (const char *) sqlite3_column_text (stmt, 5),
                            (const char *) sqlite3_column_text (stmt, 6));
}

char *
_rr_outcome_canonical (RrStore     *store,
                       const char  *uuid,
                       GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT o.uuid, o.number, d.uuid, u.login, o.effect,"
                                          " o.note, o.recorded_at, o.destroyed_at IS NOT NULL"
                                          " FROM outcomes o JOIN decisions d ON d.id = o.decision_id"
                                          " JOIN users u ON u.id = o.author_id WHERE o.uuid = ?",
                                          error);
  char *canonical = NULL;

  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, uuid);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 7) == 0)
    canonical = outcome_canonical ((const char *) sqlite3_column_text (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1),
                                   (const char *) sqlite3_column_text (stmt, 2),
                                   (const char *) sqlite3_column_text (stmt, 3),
                                   (const char *) sqlite3_column_text (stmt, 4),
                                   (const char *) sqlite3_column_text (stmt, 5),
                                   (const char *) sqlite3_column_text (stmt, 6));
  sqlite3_reset (stmt);
  return canonical;
}

/* An outcome row and its ledger event inside the caller's transaction. */
gboolean
_rr_outcome_insert (RrStore     *store,
                         gint64       decision_id,
                         const char  *decision_uuid,
                         const char  *number,
                         gint64       author_id,
                         const char  *author_login,
                         RrEffect     effect,
                         const char  *note,
                         const char  *recorded_at,
                         GError     **error)
{
  g_autofree char *uuid = rr_uuid_new ();
  g_autofree char *canonical = NULL;
  const char *stored_note = _rr_text_is_blank (note) ? NULL : note;
  sqlite3_stmt *stmt;

  g_assert (_rr_store_in_transaction (store));

  stmt = _rr_store_prepare (store,
                            "INSERT INTO outcomes (uuid, number, decision_id, author_id, effect,"
                            " note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, uuid);
  _rr_bind_text (stmt, 2, number);
  sqlite3_bind_int64 (stmt, 3, decision_id);
  sqlite3_bind_int64 (stmt, 4, author_id);
  _rr_bind_text (stmt, 5, rr_effect_to_string (effect));
  _rr_bind_text (stmt, 6, stored_note);
  _rr_bind_text (stmt, 7, recorded_at);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;
  canonical = outcome_canonical (uuid, number, decision_uuid, author_login,
                                 rr_effect_to_string (effect), stored_note, recorded_at);
  return _rr_ledger_append (store, author_login, "outcome.recorded", "outcome", uuid, canonical,
                            FALSE, error) > 0;
}

gboolean
rr_outcomes_record (RrStore     *store,
                    const char  *actor,
                    const char  *number,
                    RrEffect     effect,
                    const char  *note,
                    GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autofree char *now = rr_timestamp_now ();
  Target t = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (rr_effect_to_string (effect) == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Choose the effect: bereikt, deels, niet or onbekend."));
      return FALSE;
    }
  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL || !load_target (store, number, &t, error))
    goto out;
  if (g_strcmp0 (t.team, user->team) != 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Decision %s belongs to another team."), number);
      goto out;
    }
  if (t.status != RR_STATUS_RECORDED)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Decision %s was withdrawn; it has no outcome to record."), number);
      goto out;
    }

  if (!_rr_outcome_insert (store, t.id, t.uuid, t.number, user->id, user->login, effect, note,
                           now, error))
    goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    _rr_store_rollback (store);
  target_clear (&t);
  if (ok)
    rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
  return ok;
}

GPtrArray *
rr_outcomes_for_decision (RrStore     *store,
                          const char  *actor,
                          const char  *number,
                          GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_outcome_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (!can_read_decision (store, actor, number, error))
    return NULL;
  stmt = _rr_store_prepare (store,
                            "SELECT o.id, o.number, o.effect, o.note, o.recorded_at, u.login"
                            " FROM outcomes o JOIN users u ON u.id = o.author_id"
                            " WHERE o.number = ? ORDER BY o.id", error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, number);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrOutcome *o = g_new0 (RrOutcome, 1);

      o->id = sqlite3_column_int64 (stmt, 0);
      o->number = _rr_column_dup (stmt, 1);
      o->effect = rr_effect_from_string ((const char *) sqlite3_column_text (stmt, 2));
      o->note = _rr_column_dup (stmt, 3);
      o->recorded_at = _rr_column_dup (stmt, 4);
      o->author_login = _rr_column_dup (stmt, 5);
      g_ptr_array_add (out, o);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

GPtrArray *
rr_outcomes_due (RrStore     *store,
                 const char  *actor,
                 const char  *until,
                 GError     **error)
{
  return rr_outcomes_due_page (store, actor, until, NULL, 0, 0, error);
}

#define DUE_COLUMNS \
  "SELECT d.id, d.number, d.version, d.decision_date, c.dossier, c.name," \
  " u.login, r.code, d.kind, d.outcome, d.summary, d.follow_up" \
  " FROM decisions d JOIN clients c ON c.id = d.client_id" \
  " JOIN users u ON u.id = d.author_id JOIN rules r ON r.id = d.rule_id"
#define DUE_REST \
  " AND (d.follow_up, d.id) > (?5, ?6)" \
  " AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.number = d.number)" \
  " ORDER BY d.follow_up, d.id LIMIT ?7"

/* Keyset paging: an index gives the rows in list order, so a page starts
 * where the last one ended without counting the rows before it. A
 * klantmanager's own come from the index on (author_id, status, follow_up)
 * (schema 5): their decisions only, whatever the rest of the database. A
 * teamleider's team is a large share of all decisions: those come from the
 * index on (status, follow_up). Two statements, so that neither condition
 * hides the other's index from the planner. */
GPtrArray *
rr_outcomes_due_page (RrStore     *store,
                      const char  *actor,
                      const char  *until,
                      const char  *after_follow_up,
                      gint64       after_id,
                      guint        limit,
                      GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_row_free);
  g_autofree char *today = rr_date_today ();
  sqlite3_stmt *stmt;
  gboolean team;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return NULL;

  team = (user->roles & RR_ROLE_TEAMLEIDER) != 0;
  if (team)
    stmt = _rr_store_prepare (store,
                              DUE_COLUMNS
                              " WHERE d.status = 'recorded' AND d.follow_up <= ?1"
                              " AND (d.author_id = ?2 OR d.team = ?4)"
                              DUE_REST, error);
  else
    stmt = _rr_store_prepare (store,
                              DUE_COLUMNS
                              " WHERE d.author_id = ?2 AND d.status = 'recorded'"
                              " AND d.follow_up <= ?1"
                              DUE_REST, error);
  if (stmt == NULL)
    return NULL;
  _rr_bind_text (stmt, 1, until != NULL ? until : today);
  sqlite3_bind_int64 (stmt, 2, user->id);
  if (team)
    _rr_bind_text (stmt, 4, user->team);
  _rr_bind_text (stmt, 5, after_follow_up != NULL ? after_follow_up : "");
  sqlite3_bind_int64 (stmt, 6, after_follow_up != NULL ? after_id : 0);
  sqlite3_bind_int64 (stmt, 7, limit > 0 ? (gint64) limit : -1);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrDecisionRow *row = g_new0 (RrDecisionRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->number = _rr_column_dup (stmt, 1);
      row->version = sqlite3_column_int (stmt, 2);
      row->status = RR_STATUS_RECORDED;
      row->decision_date = _rr_column_dup (stmt, 3);
      row->client_dossier = _rr_column_dup (stmt, 4);
      row->client_name = _rr_column_dup (stmt, 5);
      row->author_login = _rr_column_dup (stmt, 6);
      row->rule_code = _rr_column_dup (stmt, 7);
      row->kind = _rr_column_dup (stmt, 8);
      row->outcome = rr_outcome_from_string ((const char *) sqlite3_column_text (stmt, 9));
      row->summary = _rr_column_dup (stmt, 10);
      row->follow_up = _rr_column_dup (stmt, 11);
      g_ptr_array_add (out, row);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}
