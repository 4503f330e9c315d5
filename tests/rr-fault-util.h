/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Checks shared by the reliability tests (issue 6). */

#include "rr-test-util.h"

/* A seed from RR_TEST_SEED, or a fresh one that is printed so that a
 * failure can be replayed. */
static inline guint32
rr_fault_seed (void)
{
  const char *env = g_getenv ("RR_TEST_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10)
                             : g_random_int ();

  g_test_message ("seed %u (replay with RR_TEST_SEED=%u)", seed, seed);
  return seed;
}

/* A count from @env_name, or @fallback. */
static inline guint
rr_fault_count (const char *env_name,
                guint       fallback)
{
  const char *env = g_getenv (env_name);
  return env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : fallback;
}

/* The fixture, closed once and reopened: until SQLite first checkpoints,
 * the main file's header carries no application id (it is in the WAL),
 * and rr_store_open refuses a second connection to such a file as "not a
 * Regelruimte database" — a core bug that /rr/crash/first-session and
 * /rr/crash/second-connection show. The other fault tests start from a
 * database whose first session has ended. */
static inline void
rr_fault_fixture_setup (RrFixture     *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rr_fixture_setup (fx, data);
  g_assert_finalize_object (g_steal_pointer (&fx->store));
  fx->store = rr_store_open (fx->path, RR_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static inline gint64
rr_fault_count_decisions (RrStore *store)
{
  return rr_test_raw_int (_rr_store_get_db (store), "SELECT count(*) FROM decisions");
}

/* Opens @path as a fresh connection and asserts it is whole: integrity
 * check, the ledger verifies, every decision has its event and every
 * decision event its decision (all or nothing), and every number in
 * @acked (may be NULL) is there with its event. Returns the number of
 * decisions. */
static inline gint64
rr_fault_check_database (const char *path,
                         GPtrArray  *acked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  RrVerifyResult result = { 0 };
  sqlite3 *db;
  gint64 n_decisions;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  rr_store_integrity_check (store, &error);
  g_assert_no_error (error);

  g_assert_true (rr_ledger_verify (store, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  if (!result.ok)
    g_error ("ledger broken at seq %" G_GINT64_FORMAT ": %s", result.first_bad_seq,
             result.problem);
  rr_verify_result_clear (&result);

  db = _rr_store_get_db (store);
  n_decisions = rr_test_raw_int (db, "SELECT count(*) FROM decisions");
  g_assert_cmpint (n_decisions, ==,
                   rr_test_raw_int (db, "SELECT count(*) FROM events "
                                        "WHERE action = 'decision.recorded'"));
  g_assert_cmpint (rr_test_raw_int (db, "SELECT count(*) FROM decisions d WHERE NOT EXISTS "
                                        "(SELECT 1 FROM events e WHERE e.entity_uuid = d.uuid)"),
                   ==, 0);

  for (guint i = 0; acked != NULL && i < acked->len; i++)
    {
      const char *number = g_ptr_array_index (acked, i);
      g_autoptr(RrDecision) decision = rr_decisions_get (store, "km1", number, 0, &error);
      g_autoptr(GPtrArray) events = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (decision->number, ==, number);
      events = rr_ledger_events_for (store, decision->uuid, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, >=, 1);
    }
  return n_decisions;
}
