/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-test"
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "rr-test-util.h"

/* A small, hand-built data set with its right answers written down.
 *
 * Team Noord (beheer is klantmanager too, with no clients):
 *   A  km1: 25 × PW-18-1 / which-rule; #0–#4 deviated (disproportionate)
 *   B  km2: 25 × PW-18-1 / which-rule; 15 deviated (#0–#9 not-foreseen,
 *           #10–#14 disproportionate), 10 applied
 *   C  km2:  2 × PW-18-2 / policy, deviated (client-interest), outside the
 *           klantmanager's mandate, follow-up in 2099
 *   D  km1:  3 × PW-18-2 / sanction, applied: imposed with contact the day
 *           before, imposed without contact, refrained with contact
 * Team Zuid:
 *   E  km3:  3 × PW-18-1 / which-rule, applied
 * Reviews by tl1: on B's deviations 3 akkoord, 1 vragen, 1 niet-akkoord;
 *   on C's first akkoord. km1 advises on B's first deviation.
 * Outcomes by km1: A#0 bereikt, A#1 bereikt, A#2 niet, A#5 (applied) bereikt.
 * km1 shares a reflection on A#0 naming the client; km2 keeps one private;
 * km3 shares one in Team Zuid. km1 sends a policy signal on PW-18-1. */

#define FROM "2025-01-01"

typedef struct {
  RrFixture   fx;
  GPtrArray  *a;   /* numbers */
  GPtrArray  *b;
  GPtrArray  *c;
} Data;

static char *
record (RrFixture       *fx,
        const char      *actor,
        RrDecisionInput *in)
{
  g_autoptr(GError) error = NULL;
  char *number = rr_decisions_record (fx->store, actor, in, &error);

  g_assert_no_error (error);
  g_assert_nonnull (number);
  return number;
}

static RrDecisionInput *
input (const char    *client,
       const char    *rule,
       const char    *kind,
       gboolean       deviated,
       const char    *reason,
       int            i)
{
  RrDecisionInput *in = deviated ? rr_test_deviation_input () : rr_test_applied_input ();

  g_free (in->client);
  in->client = g_strdup (client);
  g_free (in->rule);
  in->rule = g_strdup (rule);
  g_free (in->kind);
  in->kind = g_strdup (kind);
  if (deviated)
    {
      g_free (in->reason);
      in->reason = g_strdup (reason);
    }
  in->decision_date = g_strdup_printf ("2025-%02d-%02d", 1 + i % 12, 1 + i % 28);
  return in;
}

static void
data_setup (Data          *data,
            gconstpointer  user_data)
{
  RrFixture *fx = &data->fx;
  g_autoptr(GError) error = NULL;
  const char *links[2];

  rr_fixture_setup (fx, user_data);
  data->a = g_ptr_array_new_with_free_func (g_free);
  data->b = g_ptr_array_new_with_free_func (g_free);
  data->c = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < 25; i++)
    {
      g_autoptr(RrDecisionInput) in = input ("D-1", "PW-18-1", "which-rule", i < 5,
                                             "disproportionate", i);
      g_ptr_array_add (data->a, record (fx, "km1", in));
    }
  for (int i = 0; i < 25; i++)
    {
      g_autoptr(RrDecisionInput) in = input ("D-2", "PW-18-1", "which-rule", i < 15,
                                             i < 10 ? "not-foreseen" : "disproportionate", i);
      g_ptr_array_add (data->b, record (fx, "km2", in));
    }
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(RrDecisionInput) in = input ("D-2", "PW-18-2", "policy", TRUE,
                                             "client-interest", i);
      in->follow_up = g_strdup ("2099-01-01");
      g_ptr_array_add (data->c, record (fx, "km2", in));
    }
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(RrDecisionInput) in = input ("D-1", "PW-18-2", "sanction", FALSE, NULL, 3);
      g_autofree char *number = NULL;

      in->sanction = i < 2 ? RR_SANCTION_IMPOSED : RR_SANCTION_REFRAINED;
      if (i != 1)
        in->contact_date = g_strdup ("2025-04-03");   /* the day before 2025-04-04 */
      number = record (fx, "km1", in);
    }
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(RrDecisionInput) in = input ("Z-1", "PW-18-1", "which-rule", FALSE, NULL, i);
      g_autofree char *number = record (fx, "km3", in);
    }

#define VERDICT(number, verdict, comment) \
  do { rr_reviews_verdict (fx->store, "tl1", number, verdict, comment, &error); \
       g_assert_no_error (error); } while (0)
  VERDICT (g_ptr_array_index (data->b, 0), RR_VERDICT_AKKOORD, NULL);
  VERDICT (g_ptr_array_index (data->b, 1), RR_VERDICT_AKKOORD, NULL);
  VERDICT (g_ptr_array_index (data->b, 2), RR_VERDICT_AKKOORD, NULL);
  VERDICT (g_ptr_array_index (data->b, 3), RR_VERDICT_VRAGEN, "Welke schulden precies?");
  VERDICT (g_ptr_array_index (data->b, 4), RR_VERDICT_NIET_AKKOORD, "Niet onderbouwd.");
  VERDICT (g_ptr_array_index (data->c, 0), RR_VERDICT_AKKOORD, NULL);
#undef VERDICT
  rr_reviews_advise (fx->store, "km1", g_ptr_array_index (data->b, 0), "Lijkt me redelijk.",
                     &error);
  g_assert_no_error (error);

#define OUTCOME(number, effect) \
  do { rr_outcomes_record (fx->store, "km1", number, effect, "Nazorg gedaan", &error); \
       g_assert_no_error (error); } while (0)
  OUTCOME (g_ptr_array_index (data->a, 0), RR_EFFECT_BEREIKT);
  OUTCOME (g_ptr_array_index (data->a, 1), RR_EFFECT_BEREIKT);
  OUTCOME (g_ptr_array_index (data->a, 2), RR_EFFECT_NIET);
  OUTCOME (g_ptr_array_index (data->a, 5), RR_EFFECT_BEREIKT);
#undef OUTCOME

  g_assert_cmpint (rr_reflections_save (fx->store, "km1", 0, RR_REFLECTION_FREE, TRUE,
                                        g_ptr_array_index (data->a, 0), "Gesprek; met Jan Jansen",
                                        "Jan Jansen (D-1) zei: \"geen idee\";\nKarin Mol belde.",
                                        &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (rr_reflections_save (fx->store, "km2", 0, RR_REFLECTION_FREE, FALSE, NULL,
                                        "Privé", "Alleen voor mij", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (rr_reflections_save (fx->store, "km3", 0, RR_REFLECTION_CASE_STORY, TRUE,
                                        NULL, "Zuid", "Verhaal uit Zuid", &error), >, 0);
  g_assert_no_error (error);

  links[0] = g_ptr_array_index (data->a, 0);
  links[1] = NULL;
  g_assert_true (rr_signals_add (fx->store, "km1", "PW-18-1", "Te strak bij schulden",
                                 "Ruimte bij dreigende huisuitzetting", links, &error));
  g_assert_no_error (error);
}

static void
data_teardown (Data          *data,
               gconstpointer  user_data)
{
  g_ptr_array_unref (data->a);
  g_ptr_array_unref (data->b);
  g_ptr_array_unref (data->c);
  rr_fixture_teardown (&data->fx, user_data);
}

static RrReport *
run (Data       *data,
     const char *actor,
     const char *name)
{
  g_autoptr(GError) error = NULL;
  RrReport *report = rr_report_run (data->fx.store, actor, name, FROM, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (report->name, ==, name);
  g_assert_cmpstr (report->organisation, ==, "Gemeente Test");
  return report;
}

static RrReportTable *
table (RrReport *report,
       guint     i)
{
  g_assert_cmpuint (i, <, report->tables->len);
  return g_ptr_array_index (report->tables, i);
}

static const char *
text (RrReport *report,
      guint     t,
      guint     r,
      guint     c)
{
  RrReportTable *tab = table (report, t);
  RrReportRow *row;

  g_assert_cmpuint (r, <, tab->rows->len);
  g_assert_cmpuint (c, <, tab->columns->len);
  row = g_ptr_array_index (tab->rows, r);
  return row->cells[c].text;
}

static double
value (RrReport *report,
       guint     t,
       guint     r,
       guint     c)
{
  RrReportTable *tab = table (report, t);
  RrReportRow *row;

  g_assert_cmpuint (r, <, tab->rows->len);
  row = g_ptr_array_index (tab->rows, r);
  return row->cells[c].value;
}

/* Finds the row whose first cell is @first. */
static guint
row_of (RrReport   *report,
        guint       t,
        const char *first)
{
  RrReportTable *tab = table (report, t);

  for (guint r = 0; r < tab->rows->len; r++)
    if (g_str_equal (((RrReportRow *) g_ptr_array_index (tab->rows, r))->cells[0].text, first))
      return r;
  g_error ("no row “%s” in table “%s”", first, tab->title);
  return 0;
}

/* Every text in a report, for "never shows X" checks. */
static char *
all_text (RrReport *report)
{
  g_autofree char *csv = rr_report_to_csv (report, ';');
  g_autoptr(GString) out = g_string_new (csv);

  for (guint i = 0; i < report->charts->len; i++)
    {
      RrReportChart *chart = g_ptr_array_index (report->charts, i);

      for (guint j = 0; j < chart->series->len; j++)
        g_string_append_printf (out, "\n%s", ((RrReportSeries *) g_ptr_array_index (chart->series, j))->label);
      for (guint j = 0; j < chart->categories->len; j++)
        g_string_append_printf (out, "\n%s", (char *) g_ptr_array_index (chart->categories, j));
    }
  for (guint i = 0; i < report->paragraphs->len; i++)
    g_string_append_printf (out, "\n%s", (char *) g_ptr_array_index (report->paragraphs, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---------------------------------------------------------------- tests */

static void
test_list (void)
{
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);
  const char * const names[] = {
    "vergelijkbare-casussen", "consistentie", "regelknelpunten", "opvolging-en-effect",
    "toetsing", "sancties", "mandaat", "caseload", "verhalen",
  };

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (infos[i].name, ==, names[i]);
      g_assert_true (rr_report_lookup (names[i]) == &infos[i]);
    }
  g_assert_null (rr_report_lookup ("ranglijst"));
}

static void
test_precedents (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) report = run (data, "tl1", "vergelijkbare-casussen");
  guint r = row_of (report, 0, "PW-18-1");

  g_assert_cmpstr (report->scope, ==, "Team Noord");
  /* Zuid's three decisions are not in Noord's report. */
  g_assert_cmpfloat (value (report, 0, r, 1), ==, 50);
  g_assert_cmpfloat (value (report, 0, r, 2), ==, 20);
  g_assert_cmpfloat_with_epsilon (value (report, 0, r, 3), 0.4, 1e-9);
  g_assert_cmpfloat (value (report, 0, r, 4), ==, 2);   /* achieved */
  g_assert_cmpfloat (value (report, 0, r, 5), ==, 0);   /* partly */
  g_assert_cmpfloat (value (report, 0, r, 6), ==, 1);   /* not */
  g_assert_cmpfloat (value (report, 0, r, 8), ==, 17);  /* no outcome yet */
  r = row_of (report, 0, "PW-18-2");
  g_assert_cmpfloat (value (report, 0, r, 1), ==, 5);
  g_assert_cmpfloat (value (report, 0, r, 2), ==, 2);
  /* Most deviations first. */
  g_assert_cmpstr (text (report, 0, 0, 0), ==, "PW-18-1");

  /* The latest deviations: 22 in all, pseudonymised. */
  g_assert_cmpuint (table (report, 1)->rows->len, ==, 22);
  for (guint i = 0; i < 22; i++)
    {
      g_assert_true (g_str_has_prefix (text (report, 1, i, 3), "Client "));
      g_assert_null (strstr (text (report, 1, i, 3), "D-"));
    }
  {
    g_autofree char *all = all_text (report);
    g_assert_null (strstr (all, "Jan Jansen"));
    g_assert_null (strstr (all, "Piet Pietersen"));
  }
}

static void
test_consistency (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "consistentie");
  g_autoptr(RrReport) km = run (data, "km1", "consistentie");
  RrReportTable *divergences;
  g_autofree char *km_text = NULL;

  /* Only PW-18-1 / which-rule has ≥ 20 decisions; the two PW-18-2
   * combinations are left out and the note says so. */
  g_assert_cmpuint (table (tl, 0)->rows->len, ==, 1);
  g_assert_cmpstr (text (tl, 0, 0, 0), ==, "PW-18-1");
  g_assert_cmpfloat (value (tl, 0, 0, 2), ==, 50);
  g_assert_cmpfloat_with_epsilon (value (tl, 0, 0, 3), 0.40, 1e-9);
  /* Wilson 95 % for 20 of 50: 27.6 %–53.8 %. */
  g_assert_cmpstr (text (tl, 0, 0, 4), ==, "27.6–53.8%");
  /* Of the 3 deviations with an outcome, 2 achieved their effect. */
  g_assert_cmpfloat_with_epsilon (value (tl, 0, 0, 5), 2.0 / 3.0, 1e-9);
  g_assert_nonnull (strstr (table (tl, 0)->note, "2 combinations"));
  g_assert_nonnull (strstr (g_ptr_array_index (tl->paragraphs, 0), "at least 20 decisions"));

  /* 5/25 against 15/25: z = −2.89, beyond 1.96 both ways. Listed by name,
   * not by size. */
  divergences = table (tl, 1);
  g_assert_cmpuint (divergences->rows->len, ==, 2);
  g_assert_cmpstr (text (tl, 1, 0, 2), ==, "Karin Mol");
  g_assert_cmpfloat_with_epsilon (value (tl, 1, 0, 4), 0.20, 1e-9);
  g_assert_cmpfloat_with_epsilon (value (tl, 1, 0, 5), 0.60, 1e-9);
  g_assert_cmpstr (text (tl, 1, 0, 6), ==, "Deviates less often");
  g_assert_cmpstr (text (tl, 1, 1, 2), ==, "Kees Maas");
  g_assert_cmpstr (text (tl, 1, 1, 6), ==, "Deviates more often");

  /* The klantmanager: the team's figures and their own, nobody else's. */
  g_assert_cmpuint (km->tables->len, ==, 1);
  g_assert_cmpfloat (value (km, 0, 0, 2), ==, 50);
  g_assert_cmpfloat (value (km, 0, 0, 6), ==, 25);
  g_assert_cmpfloat_with_epsilon (value (km, 0, 0, 7), 0.20, 1e-9);
  g_assert_cmpstr (text (km, 0, 0, 8), ==, "You deviate less often");
  km_text = all_text (km);
  g_assert_null (strstr (km_text, "Kees Maas"));
  g_assert_null (strstr (km_text, "60.0"));
}

static void
test_bottlenecks (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) report = run (data, "tl1", "regelknelpunten");
  guint r;

  g_assert_cmpstr (text (report, 0, 0, 0), ==, "PW-18-1");
  g_assert_cmpfloat (value (report, 0, 0, 3), ==, 20);
  /* 10 disproportionate and 10 not foreseen: the tie goes to the first code. */
  g_assert_cmpstr (text (report, 0, 0, 5), ==, "Disproportionate consequences");
  g_assert_cmpfloat (value (report, 0, 0, 6), ==, 1);
  g_assert_cmpstr (text (report, 0, 1, 0), ==, "PW-18-2");
  g_assert_cmpstr (text (report, 0, 1, 5), ==, "Client’s interest or wellbeing");
  g_assert_cmpfloat (value (report, 0, 1, 6), ==, 0);

  /* Reasons: 10 + 10 + 2 = 22. */
  g_assert_cmpuint (table (report, 1)->rows->len, ==, 3);
  r = row_of (report, 1, "Situation not foreseen by the rule");
  g_assert_cmpfloat (value (report, 1, r, 1), ==, 10);
  g_assert_cmpfloat_with_epsilon (value (report, 1, r, 2), 10.0 / 22.0, 1e-9);
  r = row_of (report, 1, "Client’s interest or wellbeing");
  g_assert_cmpfloat (value (report, 1, r, 1), ==, 2);

  /* The signal. */
  g_assert_cmpuint (table (report, 2)->rows->len, ==, 1);
  g_assert_cmpstr (text (report, 2, 0, 1), ==, "PW-18-1");
  g_assert_cmpstr (text (report, 2, 0, 2), ==, "Te strak bij schulden");
  g_assert_cmpfloat (value (report, 2, 0, 4), ==, 1);
}

static void
test_follow_up (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "opvolging-en-effect");
  g_autoptr(RrReport) km = run (data, "km1", "opvolging-en-effect");

  /* Team: 55 decisions, 4 with an outcome, C's two follow up in 2099,
   * the other 49 are overdue. */
  g_assert_cmpuint (table (tl, 0)->rows->len, ==, 1);
  g_assert_cmpstr (text (tl, 0, 0, 0), ==, "Team Noord");
  g_assert_cmpfloat (value (tl, 0, 0, 1), ==, 55);
  g_assert_cmpfloat (value (tl, 0, 0, 2), ==, 4);
  g_assert_cmpfloat (value (tl, 0, 0, 3), ==, 49);
  g_assert_cmpfloat (value (tl, 0, 0, 4), ==, 0);
  g_assert_cmpfloat (value (tl, 0, 0, 5), ==, 2);
  g_assert_cmpfloat (value (tl, 0, 0, 6), ==, 0);

  /* Effects: deviated 2 achieved + 1 not; applied 1 achieved. */
  g_assert_cmpstr (text (tl, 1, 0, 0), ==, "Deviated");
  g_assert_cmpfloat (value (tl, 1, 0, 1), ==, 3);
  g_assert_cmpfloat (value (tl, 1, 0, 2), ==, 2);
  g_assert_cmpfloat (value (tl, 1, 0, 4), ==, 1);
  g_assert_cmpfloat_with_epsilon (value (tl, 1, 0, 6), 2.0 / 3.0, 1e-9);
  g_assert_cmpfloat (value (tl, 1, 1, 1), ==, 1);
  g_assert_cmpfloat_with_epsilon (value (tl, 1, 1, 6), 1.0, 1e-9);

  /* km1: own row (28 decisions, 4 outcomes, 24 overdue) beside the team's. */
  g_assert_cmpuint (table (km, 0)->rows->len, ==, 2);
  g_assert_cmpstr (text (km, 0, 0, 0), ==, "You");
  g_assert_cmpfloat (value (km, 0, 0, 1), ==, 28);
  g_assert_cmpfloat (value (km, 0, 0, 3), ==, 24);
  g_assert_cmpstr (text (km, 0, 1, 0), ==, "Team Noord");
  g_assert_true (((RrReportRow *) g_ptr_array_index (table (km, 0)->rows, 1))->aggregate);
}

static void
test_reviews (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "toetsing");
  g_autoptr(RrReport) km = run (data, "km2", "toetsing");
  RrReportChart *chart;
  double sum = 0.0;

  g_assert_cmpfloat (value (tl, 0, 0, 1), ==, 22);
  g_assert_cmpfloat (value (tl, 0, 0, 2), ==, 6);
  g_assert_cmpfloat (value (tl, 0, 0, 3), ==, 16);
  g_assert_cmpfloat (value (tl, 0, 0, 4), ==, 1);   /* C#1 waits for approval */
  g_assert_cmpfloat (value (tl, 0, 0, 5), ==, 1);   /* km1's advice */
  g_assert_false (isnan (value (tl, 0, 0, 6)));

  /* Verdicts: 4 akkoord, 0 met aanvulling, 1 vragen, 1 niet akkoord. */
  g_assert_cmpfloat (value (tl, 1, 0, 1), ==, 4);
  g_assert_cmpfloat (value (tl, 1, 1, 1), ==, 0);
  g_assert_cmpfloat (value (tl, 1, 2, 1), ==, 1);
  g_assert_cmpfloat (value (tl, 1, 3, 1), ==, 1);
  g_assert_cmpfloat_with_epsilon (value (tl, 1, 0, 2), 4.0 / 6.0, 1e-9);

  /* The monthly series adds up to the table. */
  chart = g_ptr_array_index (tl->charts, 0);
  g_assert_cmpint (chart->kind, ==, RR_REPORT_CHART_TIME);
  g_assert_cmpstr (g_ptr_array_index (chart->categories, 0), ==, "2025-01");
  for (guint i = 0; i < chart->categories->len; i++)
    sum += g_array_index (((RrReportSeries *) g_ptr_array_index (chart->series, 0))->values,
                          double, i);
  g_assert_cmpfloat (sum, ==, 22);

  /* km2 wrote 17 of the deviations, all 6 reviewed ones among them. */
  g_assert_cmpstr (text (km, 0, 0, 0), ==, "You");
  g_assert_cmpfloat (value (km, 0, 0, 1), ==, 17);
  g_assert_cmpfloat (value (km, 0, 0, 2), ==, 6);
  g_assert_cmpfloat (value (km, 0, 1, 1), ==, 22);
}

static void
test_sanctions (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "sancties");
  g_autoptr(RrReport) km = run (data, "km2", "sancties");

  g_assert_cmpuint (table (tl, 0)->rows->len, ==, 2);
  g_assert_cmpstr (text (tl, 0, 0, 1), ==, "Imposed");
  g_assert_cmpfloat (value (tl, 0, 0, 2), ==, 2);
  g_assert_cmpfloat (value (tl, 0, 0, 3), ==, 1);
  g_assert_cmpfloat (value (tl, 0, 0, 4), ==, 1);
  g_assert_cmpfloat_with_epsilon (value (tl, 0, 0, 5), 0.5, 1e-9);
  g_assert_cmpstr (text (tl, 0, 1, 1), ==, "Refrained from");
  g_assert_cmpfloat (value (tl, 0, 1, 2), ==, 1);
  g_assert_cmpfloat (value (tl, 0, 1, 3), ==, 1);

  /* km2 imposed nothing: their rows are zero, the team's are not. */
  g_assert_cmpuint (table (km, 0)->rows->len, ==, 4);
  g_assert_cmpstr (text (km, 0, 0, 0), ==, "You");
  g_assert_cmpfloat (value (km, 0, 0, 2), ==, 0);
  g_assert_cmpstr (text (km, 0, 0, 5), ==, "–");
  g_assert_cmpfloat (value (km, 0, 2, 2), ==, 2);
}

static void
test_mandate (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "mandaat");
  RrReportTable *tab = table (tl, 0);

  /* Only the two policy deviations were outside a klantmanager's mandate. */
  g_assert_cmpuint (tab->rows->len, ==, 2);
  g_assert_cmpstr (text (tl, 0, 0, 0), ==, "Departing from policy");
  g_assert_cmpfloat (value (tl, 0, 0, 1), ==, 2);
  g_assert_cmpfloat (value (tl, 0, 0, 2), ==, 1);
  g_assert_cmpfloat (value (tl, 0, 0, 5), ==, 1);
  g_assert_cmpfloat_with_epsilon (value (tl, 0, 0, 6), 0.5, 1e-9);
  g_assert_cmpstr (text (tl, 0, 1, 0), ==, "Total, Team Noord");
  g_assert_cmpfloat (value (tl, 0, 1, 1), ==, 2);
}

static void
test_caseload (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) tl = run (data, "tl1", "caseload");
  g_autoptr(RrReport) km = run (data, "km1", "caseload");
  g_autoptr(RrReport) aud = run (data, "aud", "caseload");
  g_autofree char *km_text = NULL;
  RrReportTable *tab;

  /* The teamleider: every klantmanager of the team, alphabetically, then
   * the average and the total. */
  tab = table (tl, 0);
  g_assert_cmpuint (tab->rows->len, ==, 5);
  g_assert_cmpstr (text (tl, 0, 0, 0), ==, "Bea Beheer");
  g_assert_cmpstr (text (tl, 0, 1, 0), ==, "Karin Mol");
  g_assert_cmpfloat (value (tl, 0, 1, 1), ==, 1);
  g_assert_cmpfloat (value (tl, 0, 1, 2), ==, 28);
  g_assert_cmpfloat (value (tl, 0, 1, 3), ==, 5);
  g_assert_cmpfloat (value (tl, 0, 1, 5), ==, 24);
  g_assert_cmpstr (text (tl, 0, 2, 0), ==, "Kees Maas");
  g_assert_cmpfloat (value (tl, 0, 2, 2), ==, 27);
  g_assert_cmpfloat (value (tl, 0, 2, 3), ==, 17);
  g_assert_cmpfloat (value (tl, 0, 2, 5), ==, 25);
  g_assert_cmpstr (text (tl, 0, 4, 0), ==, "Team Noord, total");
  g_assert_cmpfloat (value (tl, 0, 4, 1), ==, 2);
  g_assert_cmpfloat (value (tl, 0, 4, 2), ==, 55);
  g_assert_cmpfloat (value (tl, 0, 4, 3), ==, 22);
  g_assert_cmpfloat (value (tl, 0, 4, 5), ==, 49);
  g_assert_cmpfloat_with_epsilon (value (tl, 0, 3, 2), 55.0 / 3.0, 1e-9);

  /* The klantmanager: their own row and the team aggregate, nothing else. */
  tab = table (km, 0);
  g_assert_cmpuint (tab->rows->len, ==, 3);
  g_assert_cmpstr (text (km, 0, 0, 0), ==, "Karin Mol");
  g_assert_false (((RrReportRow *) g_ptr_array_index (tab->rows, 0))->aggregate);
  g_assert_cmpfloat (value (km, 0, 0, 2), ==, 28);
  g_assert_true (((RrReportRow *) g_ptr_array_index (tab->rows, 1))->aggregate);
  g_assert_true (((RrReportRow *) g_ptr_array_index (tab->rows, 2))->aggregate);
  g_assert_cmpfloat (value (km, 0, 2, 2), ==, 55);
  km_text = all_text (km);
  g_assert_null (strstr (km_text, "Kees Maas"));
  g_assert_null (strstr (km_text, "Bea Beheer"));
  g_assert_null (strstr (km_text, "Koen Meijer"));

  /* The auditor: per team, all teams. */
  g_assert_cmpstr (aud->scope, ==, "All teams");
  g_assert_cmpstr (text (aud, 0, 0, 0), ==, "Team Noord");
  g_assert_cmpfloat (value (aud, 0, 0, 2), ==, 55);
  g_assert_cmpstr (text (aud, 0, 1, 0), ==, "Team Zuid");
  g_assert_cmpfloat (value (aud, 0, 1, 2), ==, 3);
}

static void
test_stories (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) report = run (data, "km2", "verhalen");
  g_autoptr(GError) error = NULL;
  g_autoptr(RrReport) refused = NULL;
  g_autofree char *all = NULL;
  guint r;

  /* Only km1's shared reflection: not km2's private one, not Zuid's. */
  r = row_of (report, 0, "Reflection");
  g_assert_cmpfloat (value (report, 0, r, 1), ==, 1);
  r = row_of (report, 0, "Case story");
  g_assert_cmpfloat (value (report, 0, r, 1), ==, 0);
  g_assert_cmpuint (table (report, 1)->rows->len, ==, 1);
  g_assert_cmpstr (text (report, 1, 0, 3), ==, "PW-18-1");
  g_assert_true (g_str_has_prefix (text (report, 1, 0, 4), "Client "));
  g_assert_nonnull (strstr (text (report, 1, 0, 5), text (report, 1, 0, 4)));
  all = all_text (report);
  g_assert_null (strstr (all, "Jan Jansen"));
  g_assert_null (strstr (all, "D-1"));
  g_assert_null (strstr (all, "Karin Mol"));
  g_assert_null (strstr (all, "Alleen voor mij"));
  g_assert_null (strstr (all, "Verhaal uit Zuid"));

  /* Reflections are no part of the accountability record. */
  refused = rr_report_run (data->fx.store, "aud", "verhalen", FROM, NULL, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
}

static void
test_visibility (Data *data, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrReport) report = NULL;
  gint64 events = rr_test_raw_int (_rr_store_get_db (data->fx.store),
                                   "SELECT count (*) FROM events");

  /* Another team's report is refused to a klantmanager and a teamleider. */
  report = rr_report_run (data->fx.store, "km1", "caseload", FROM, NULL, "Team Zuid", NULL, &error);
  g_assert_null (report);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  report = rr_report_run (data->fx.store, "tl2", "toetsing", FROM, NULL, "Team Noord", NULL, &error);
  g_assert_null (report);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);

  /* An auditor may pick any team; unknown users and names are refused. */
  report = rr_report_run (data->fx.store, "aud", "caseload", FROM, NULL, "Team Zuid", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table (report, 0)->rows->len, ==, 3);
  g_assert_cmpstr (text (report, 0, 0, 0), ==, "Koen Meijer");
  g_clear_pointer (&report, rr_report_free);

  report = rr_report_run (data->fx.store, "nobody", "caseload", FROM, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, RR_ERROR, RR_ERROR_PERMISSION);
  g_clear_error (&error);
  report = rr_report_run (data->fx.store, "tl1", "ranglijst", FROM, NULL, NULL, NULL, &error);
  g_assert_error (error, RR_ERROR, RR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  report = rr_report_run (data->fx.store, "tl1", "caseload", "2025-13-01", NULL, NULL, NULL, &error);
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);
  report = rr_report_run (data->fx.store, "tl1", "caseload", "2025-06-01", "2025-01-01", NULL,
                          NULL, &error);
  g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  g_clear_error (&error);

  /* Reading leaves no trace in the ledger. */
  g_assert_cmpint (rr_test_raw_int (_rr_store_get_db (data->fx.store),
                                    "SELECT count (*) FROM events"), ==, events);
}

/* RFC 4180 with a chosen separator: records of fields. */
static GPtrArray *
parse_csv (const char *text,
           char        separator)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"' && field->len == 0)
        {
          p++;
          for (;;)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
          g_assert_true (*p == separator || *p == '\r');
        }
      else if (*p == separator)
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        {
          /* A bare quote or line break inside an unquoted field is not CSV. */
          g_assert_cmpint (*p, !=, '"');
          g_assert_cmpint (*p, !=, '\n');
          g_string_append_c (field, *p++);
        }
    }
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_ptr_array_unref (record);
  g_string_free (field, TRUE);
  return records;
}

static const char *
field (GPtrArray *records,
       guint      r,
       guint      f)
{
  GPtrArray *record = g_ptr_array_index (records, r);

  g_assert_cmpuint (f, <, record->len);
  return g_ptr_array_index (record, f);
}

static void
test_csv (Data *data, gconstpointer user_data)
{
  g_autoptr(RrReport) report = run (data, "tl1", "verhalen");
  g_autoptr(RrReport) caseload = run (data, "tl1", "caseload");
  const char separators[] = { ';', ',', '\t' };

  for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      g_autofree char *csv = rr_report_to_csv (report, separators[s]);
      g_autoptr(GPtrArray) records = parse_csv (csv, separators[s]);
      guint header = 0;

      g_assert_true (g_utf8_validate (csv, -1, NULL));
      g_assert_cmpstr (field (records, 0, 0), ==, "Stories");
      g_assert_cmpstr (field (records, 0, 1), ==, "Gemeente Test");
      /* Find the stories table's header row; the story follows it intact,
       * with its separator, quotes and line break. */
      for (guint r = 0; r < records->len; r++)
        if (((GPtrArray *) g_ptr_array_index (records, r))->len == 6
            && g_str_equal (field (records, r, 0), "Date"))
          header = r;
      g_assert_cmpuint (header, >, 0);
      g_assert_cmpstr (field (records, header, 5), ==, "Story");
      g_assert_true (g_str_has_prefix (field (records, header + 1, 2), "Gesprek; met "));
      g_assert_nonnull (strstr (field (records, header + 1, 5), ": \"geen idee\";\n"));
    }

  /* Numbers as a spreadsheet reads them: a decimal comma beside ';'. */
  {
    g_autofree char *csv = rr_report_to_csv (caseload, ';');
    g_autoptr(GPtrArray) records = parse_csv (csv, ';');
    g_autofree char *csv_comma = rr_report_to_csv (caseload, ',');
    g_autoptr(GPtrArray) records_comma = parse_csv (csv_comma, ',');
    guint last = records->len - 1;

    g_assert_cmpstr (field (records, 3, 4), ==, "Share deviated (%)");
    g_assert_cmpstr (field (records, last, 0), ==, "Team Noord, total");
    g_assert_cmpstr (field (records, last, 2), ==, "55");
    g_assert_cmpstr (field (records, last, 4), ==, "40,0");
    g_assert_cmpstr (field (records, last - 1, 2), ==, "18,3");
    g_assert_cmpstr (field (records_comma, last, 4), ==, "40.0");
  }
}

static void
test_html (Data *data, gconstpointer user_data)
{
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RrReport) report = run (data, "tl1", infos[i].name);
      g_autofree char *html = rr_report_to_html (report);
      xmlDoc *doc;
      xmlNode *root;
      g_autofree char *lower = g_ascii_strdown (html, -1);

      /* Well-formed as XML, so certainly as HTML. */
      doc = xmlReadMemory (html, (int) strlen (html), "report.html", "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      g_assert_nonnull (doc);
      root = xmlDocGetRootElement (doc);
      g_assert_cmpstr ((const char *) root->name, ==, "html");
      xmlFreeDoc (doc);

      g_assert_null (strstr (lower, "<script"));
      g_assert_null (strstr (lower, "http"));
      g_assert_null (strstr (lower, "src="));
      g_assert_null (strstr (lower, "href="));
      g_assert_null (strstr (lower, "url("));
      g_assert_null (strstr (lower, "@import"));
      g_assert_nonnull (strstr (html, "Gemeente Test"));
      if (report->charts->len > 0)
        g_assert_nonnull (strstr (html, "<svg"));
    }
}

static char *
run_tool (const char *tool,
          const char *path,
          gboolean    to_stdout)
{
  g_autofree char *program = g_find_program_in_path (tool);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;
  const char *argv[] = { program, path, to_stdout ? "-" : NULL, NULL };

  if (program == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_pdf (Data *data, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");

  if (pdfinfo == NULL)
    {
      g_test_skip ("pdfinfo (poppler-utils) is not installed");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RrReport) report = run (data, "tl1", infos[i].name);
      g_autofree char *path = g_build_filename (data->fx.dir, "report.pdf", NULL);
      g_autofree char *info = NULL;
      g_autofree char *text_out = NULL;

      g_assert_true (rr_report_write_pdf (report, path, &error));
      g_assert_no_error (error);
      info = run_tool ("pdfinfo", path, FALSE);
      g_assert_nonnull (strstr (info, "Pages:"));
      g_assert_nonnull (strstr (info, "A4"));
      text_out = run_tool ("pdftotext", path, TRUE);
      g_assert_nonnull (strstr (text_out, "Gemeente Test"));
      g_assert_nonnull (strstr (text_out, "Page 1 of"));
      g_assert_nonnull (strstr (text_out, report->title));
      if (g_str_equal (infos[i].name, "caseload"))
        {
          g_assert_nonnull (strstr (text_out, "Karin Mol"));
          g_assert_nonnull (strstr (text_out, "55"));
        }
    }

  /* A path that cannot be written is an error, not a crash. */
  {
    g_autoptr(RrReport) report = run (data, "tl1", "mandaat");

    g_assert_false (rr_report_write_pdf (report, "/nonexistent/dir/report.pdf", &error));
    g_assert_error (error, RR_ERROR, RR_ERROR_INVALID);
  }
}

/* In Dutch, when the locale and the translation are there. */
static void
test_pdf_dutch (Data *data, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrReport) report = NULL;
  g_autofree char *path = g_build_filename (data->fx.dir, "rapport.pdf", NULL);
  g_autofree char *text_out = NULL;
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  if (setlocale (LC_ALL, "nl_NL.UTF-8") == NULL)
    {
      g_test_skip ("no nl_NL.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "nl", TRUE);
  if (g_str_equal (g_dgettext (GETTEXT_PACKAGE, "Page %d of %d"), "Page %d of %d"))
    {
      g_unsetenv ("LANGUAGE");
      setlocale (LC_ALL, old_locale);
      g_test_skip ("the Dutch translation of the reports is not compiled in");
      return;
    }
  report = rr_report_run (data->fx.store, "tl1", "caseload", FROM, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rr_report_write_pdf (report, path, &error));
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, old_locale);

  text_out = run_tool ("pdftotext", path, TRUE);
  g_assert_nonnull (strstr (text_out, "Pagina 1 van"));
  g_assert_nonnull (strstr (text_out, "Gemeente Test"));
  /* A decimal comma. */
  g_assert_nonnull (strstr (text_out, "40,0%"));
}

/* A period without decisions: every report still renders, as every viewer. */
static void
test_empty (Data *data, gconstpointer user_data)
{
  const char * const actors[] = { "km1", "tl1", "aud" };
  guint n;
  const RrReportInfo *infos = rr_report_list (&n);

  for (guint a = 0; a < G_N_ELEMENTS (actors); a++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(RrReport) report = NULL;
        g_autofree char *csv = NULL;
        g_autofree char *html = NULL;
        g_autofree char *path = g_build_filename (data->fx.dir, "empty.pdf", NULL);

        if (g_str_equal (actors[a], "aud") && g_str_equal (infos[i].name, "verhalen"))
          continue;
        report = rr_report_run (data->fx.store, actors[a], infos[i].name, "2001-01-01",
                                "2001-12-31", NULL, NULL, &error);
        g_assert_no_error (error);
        csv = rr_report_to_csv (report, ';');
        html = rr_report_to_html (report);
        g_assert_nonnull (strstr (csv, "2001-01-01"));
        g_assert_nonnull (strstr (html, "</html>"));
        g_assert_true (rr_report_write_pdf (report, path, &error));
        g_assert_no_error (error);
      }
}

static void
on_report_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RrReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = rr_report_run_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (Data *data, gconstpointer user_data)
{
  RrReport *report = NULL;

  rr_report_run_async (data->fx.path, "tl1", "caseload", FROM, NULL, NULL, NULL,
                       on_report_done, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (value (report, 0, 4, 2), ==, 55);
  rr_report_free (report);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rr/report/list", test_list);
#define ADD(path, func) \
  g_test_add ("/rr/report/" path, Data, NULL, data_setup, func, data_teardown)
  ADD ("precedents", test_precedents);
  ADD ("consistency", test_consistency);
  ADD ("bottlenecks", test_bottlenecks);
  ADD ("follow-up", test_follow_up);
  ADD ("reviews", test_reviews);
  ADD ("sanctions", test_sanctions);
  ADD ("mandate", test_mandate);
  ADD ("caseload", test_caseload);
  ADD ("stories", test_stories);
  ADD ("visibility", test_visibility);
  ADD ("csv", test_csv);
  ADD ("html", test_html);
  ADD ("pdf", test_pdf);
  ADD ("pdf-dutch", test_pdf_dutch);
  ADD ("empty", test_empty);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
