/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rr-test-util.h"

static void
test_first_user (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrUser) first = rr_users_lookup (fx->store, "beheer", &error);
  g_autofree char *organisation = rr_store_get_setting (fx->store, "organisation");

  g_assert_no_error (error);
  g_assert_cmpint (first->roles, ==, RR_ROLE_BEHEERDER | RR_ROLE_KLANTMANAGER);
  g_assert_cmpstr (first->team, ==, "Team Noord");
  g_assert_cmpstr (organisation, ==, "Gemeente Test");
}

static void
test_refusals (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrCheckpoint) before = rr_ledger_checkpoint (fx->store, NULL);
  g_autoptr(RrCheckpoint) after = NULL;

  g_assert_false (rr_users_add (fx->store, "km1", "new", "Nieuw", NULL, RR_ROLE_KLANTMANAGER, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_users_add (fx->store, "beheer", "km1", "Dubbel", NULL, RR_ROLE_KLANTMANAGER, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (rr_users_add (fx->store, "beheer", "bad login", "X", NULL, RR_ROLE_KLANTMANAGER, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_users_add (fx->store, "beheer", "norole", "X", NULL, RR_ROLE_NONE, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_users_revoke (fx->store, "beheer", "beheer", RR_ROLE_BEHEERDER, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (rr_users_grant (fx->store, "beheer", "km1", RR_ROLE_KLANTMANAGER, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (rr_store_set_setting (fx->store, "km1", "follow_up_months", "6", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_store_set_setting (fx->store, "beheer", "follow_up_months", "veel", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  after = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (after->seq, ==, before->seq);
}

static void
test_roles_and_deactivation (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrDecisionInput) in = rr_test_applied_input ();
  g_autofree char *number = NULL;

  g_assert_true (rr_users_grant (fx->store, "beheer", "km2", RR_ROLE_BEHEERDER, &error));
  g_assert_true (rr_users_revoke (fx->store, "km2", "beheer", RR_ROLE_BEHEERDER, &error));
  g_assert_no_error (error);
  user = rr_users_lookup (fx->store, "beheer", &error);
  g_assert_cmpint (user->roles, ==, RR_ROLE_KLANTMANAGER);

  g_assert_true (rr_users_set_active (fx->store, "km2", "km1", FALSE, &error));
  g_assert_no_error (error);
  number = rr_decisions_record (fx->store, "km1", in, &error);
  g_assert_null (number);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "deactivated"));
}

static void
test_clients (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RrClient) client = NULL;

  /* Invalid BSN: one wrong digit; the message never repeats the number. */
  g_assert_false (rr_clients_add (fx->store, "km1", "D-5", "Fout", "111222334", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_assert_null (strstr (error->message, "111222334"));
  g_clear_error (&error);
  /* Two adjacent digits swapped. */
  g_assert_false (rr_clients_add (fx->store, "km1", "D-5", "Fout", "111223233", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_clients_add (fx->store, "km1", "D-1", "Dubbel", NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (rr_clients_add (fx->store, "aud", "D-6", "Auditor", NULL, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_true (rr_clients_add (fx->store, "km1", "D-5", "Goed", "1112 22 333", &error));
  client = rr_clients_lookup (fx->store, "km1", "D-5", &error);
  g_assert_cmpstr (client->bsn, ==, "111222333");

  list = rr_clients_list (fx->store, "km1", FALSE, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rr_clients_list (fx->store, "tl1", FALSE, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rr_clients_search (fx->store, "km2", "jans", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = rr_clients_search (fx->store, "km3", "jans", 10, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (rr_clients_close (fx->store, "km1", "D-5", &error));
  g_assert_false (rr_clients_close (fx->store, "km1", "D-5", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (rr_clients_reassign (fx->store, "km1", "D-1", "km2", &error));
  g_assert_no_error (error);
}

static void
test_vocab_mandate (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kinds = rr_vocab_list (fx->store, RR_VOCAB_KIND, &error);
  g_autoptr(GPtrArray) mandate = NULL;

  g_assert_cmpuint (kinds->len, ==, 9);
  g_assert_cmpstr (((RrTerm *) kinds->pdata[kinds->len - 1])->code, ==, "anders");
  g_assert_true (rr_vocab_add (fx->store, "beheer", RR_VOCAB_KIND, "schuldhulp",
                               "Schuldhulpverlening", &error));
  g_assert_false (rr_vocab_add (fx->store, "km1", RR_VOCAB_KIND, "x", "X", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (rr_vocab_contains (fx->store, RR_VOCAB_KIND, "schuldhulp"));

  g_assert_true (rr_mandate_set (fx->store, "beheer", RR_ROLE_KLANTMANAGER, "schuldhulp", FALSE, -1, &error));
  mandate = rr_mandate_list (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mandate->len, >, 10);
}

static void
test_vocab_rename (RrFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autofree char *label = NULL;
  g_autoptr(RrCheckpoint) head = rr_ledger_checkpoint (fx->store, NULL);
  gint64 before = head->seq;
  RrVerifyResult result = { 0 };

  /* Only a beheerder renames, a label is needed, and the code must exist. */
  g_assert_false (rr_vocab_rename (fx->store, "km1", RR_VOCAB_DOMAIN, "plan", "Plan", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (rr_vocab_rename (fx->store, "beheer", RR_VOCAB_DOMAIN, "plan", "  ", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rr_vocab_rename (fx->store, "beheer", RR_VOCAB_DOMAIN, "nope", "Nee", &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&head, rr_checkpoint_free);
  head = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (head->seq, ==, before);

  /* A built-in term takes the organisation's own words; the code stays. */
  g_assert_true (rr_vocab_rename (fx->store, "beheer", RR_VOCAB_DOMAIN, "plan",
                                  " Plan van aanpak en veiligheid ", &error));
  g_assert_no_error (error);
  label = rr_vocab_label (fx->store, RR_VOCAB_DOMAIN, "plan");
  g_assert_cmpstr (label, ==, "Plan van aanpak en veiligheid");
  domains = rr_vocab_list (fx->store, RR_VOCAB_DOMAIN, &error);
  g_assert_cmpuint (domains->len, ==, 5);
  g_assert_cmpstr (((RrTerm *) domains->pdata[1])->code, ==, "plan");
  g_assert_false (((RrTerm *) domains->pdata[1])->builtin);
  g_clear_pointer (&head, rr_checkpoint_free);
  head = rr_ledger_checkpoint (fx->store, NULL);
  g_assert_cmpint (head->seq, ==, before + 1);
  events = rr_ledger_events_for (fx->store, "vocab:domain:plan", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((RrEvent *) events->pdata[0])->action, ==, "vocab.renamed");
  g_assert_true (rr_ledger_verify (fx->store, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (result.ok);
  rr_verify_result_clear (&result);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, RrFixture, NULL, rr_fixture_setup, fn, rr_fixture_teardown)
  ADD ("/rr/users/first-user", test_first_user);
  ADD ("/rr/users/refusals", test_refusals);
  ADD ("/rr/users/roles-and-deactivation", test_roles_and_deactivation);
  ADD ("/rr/users/clients", test_clients);
  ADD ("/rr/users/vocab-mandate", test_vocab_mandate);
  ADD ("/rr/users/vocab-rename", test_vocab_rename);
#undef ADD
  return g_test_run ();
}
