/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-decision"
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rr-decision.h"
#include "rr-decision-private.h"
#include "rr-ledger.h"
#include "rr-rules.h"
#include "rr-store-private.h"
#include "rr-users.h"

#define MAX_SUMMARY_CHARS 300
#define MAX_TEXT_CHARS 20000

/* ------------------------------------------------------------------ input */

void
rr_weighing_free (RrWeighing *weighing)
{
  if (weighing == NULL)
    return;
  g_free (weighing->domain);
  g_free (weighing->note);
  g_free (weighing);
}

RrDecisionInput *
rr_decision_input_new (void)
{
  RrDecisionInput *input = g_new0 (RrDecisionInput, 1);

  input->client_agrees = -1;
  input->weighings = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_weighing_free);
  return input;
}

void
rr_decision_input_free (RrDecisionInput *input)
{
  if (input == NULL)
    return;
  g_free (input->client);
  g_free (input->rule);
  g_free (input->kind);
  g_free (input->summary);
  g_free (input->circumstances);
  g_free (input->explanation);
  g_free (input->reason);
  g_free (input->decision_date);
  g_free (input->principles);
  g_free (input->knowledge);
  g_free (input->experiences);
  g_free (input->alternatives);
  g_free (input->client_view);
  g_free (input->rights_explained);
  g_free (input->stakeholders);
  g_free (input->risk);
  g_free (input->contact_date);
  g_free (input->follow_up);
  g_clear_pointer (&input->weighings, g_ptr_array_unref);
  g_free (input);
}

void
rr_decision_input_set_weighing (RrDecisionInput *input,
                                const char      *domain,
                                RrRelevance      relevance,
                                const char      *note)
{
  RrWeighing *weighing;

  g_return_if_fail (input != NULL && domain != NULL);

  for (guint i = 0; i < input->weighings->len; i++)
    {
      weighing = g_ptr_array_index (input->weighings, i);
      if (g_str_equal (weighing->domain, domain))
        {
          weighing->relevance = relevance;
          g_free (weighing->note);
          weighing->note = g_strdup (note);
          return;
        }
    }
  weighing = g_new0 (RrWeighing, 1);
  weighing->domain = g_strdup (domain);
  weighing->relevance = relevance;
  weighing->note = g_strdup (note);
  g_ptr_array_add (input->weighings, weighing);
}

RrDecisionInput *
rr_decision_input_copy (const RrDecisionInput *input)
{
  RrDecisionInput *copy = rr_decision_input_new ();

  copy->client = g_strdup (input->client);
  copy->rule = g_strdup (input->rule);
  copy->kind = g_strdup (input->kind);
  copy->outcome = input->outcome;
  copy->summary = g_strdup (input->summary);
  copy->circumstances = g_strdup (input->circumstances);
  copy->explanation = g_strdup (input->explanation);
  copy->reason = g_strdup (input->reason);
  copy->decision_date = g_strdup (input->decision_date);
  copy->principles = g_strdup (input->principles);
  copy->knowledge = g_strdup (input->knowledge);
  copy->experiences = g_strdup (input->experiences);
  copy->alternatives = g_strdup (input->alternatives);
  copy->client_view = g_strdup (input->client_view);
  copy->client_agrees = input->client_agrees;
  copy->rights_explained = g_strdup (input->rights_explained);
  copy->stakeholders = g_strdup (input->stakeholders);
  copy->risk = g_strdup (input->risk);
  copy->has_amount = input->has_amount;
  copy->amount_cents = input->amount_cents;
  copy->sanction = input->sanction;
  copy->contact_date = g_strdup (input->contact_date);
  copy->follow_up = g_strdup (input->follow_up);
  for (guint i = 0; i < input->weighings->len; i++)
    {
      RrWeighing *w = g_ptr_array_index (input->weighings, i);
      rr_decision_input_set_weighing (copy, w->domain, w->relevance, w->note);
    }
  return copy;
}

/* Text that is only white space counts as absent. */
static const char *
present (const char *text)
{
  return _rr_text_is_blank (text) ? NULL : text;
}

#define GROUP "decision"

static void
set_string (GKeyFile *kf, const char *key, const char *value)
{
  if (!_rr_text_is_blank (value))
    g_key_file_set_string (kf, GROUP, key, value);
}

char *
rr_decision_input_to_data (const RrDecisionInput *input)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_return_val_if_fail (input != NULL, NULL);

  set_string (kf, "client", input->client);
  set_string (kf, "rule", input->rule);
  set_string (kf, "kind", input->kind);
  set_string (kf, "outcome", rr_outcome_to_string (input->outcome));
  set_string (kf, "summary", input->summary);
  set_string (kf, "circumstances", input->circumstances);
  set_string (kf, "explanation", input->explanation);
  set_string (kf, "reason", input->reason);
  set_string (kf, "date", input->decision_date);
  set_string (kf, "principles", input->principles);
  set_string (kf, "knowledge", input->knowledge);
  set_string (kf, "experiences", input->experiences);
  set_string (kf, "alternatives", input->alternatives);
  set_string (kf, "client-view", input->client_view);
  if (input->client_agrees >= 0)
    set_string (kf, "client-agrees", input->client_agrees ? "yes" : "no");
  set_string (kf, "rights-explained", input->rights_explained);
  set_string (kf, "stakeholders", input->stakeholders);
  set_string (kf, "risk", input->risk);
  if (input->has_amount)
    {
      g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d",
                                                 input->amount_cents / 100,
                                                 (int) (input->amount_cents % 100));
      set_string (kf, "amount", amount);
    }
  if (input->sanction != RR_SANCTION_NONE)
    set_string (kf, "sanction", rr_sanction_to_string (input->sanction));
  set_string (kf, "contact-date", input->contact_date);
  set_string (kf, "follow-up", input->follow_up);
  for (guint i = 0; i < input->weighings->len; i++)
    {
      RrWeighing *w = g_ptr_array_index (input->weighings, i);
      g_autofree char *group = g_strconcat ("weighing ", w->domain, NULL);

      g_key_file_set_string (kf, group, "relevance", rr_relevance_to_string (w->relevance));
      if (!_rr_text_is_blank (w->note))
        g_key_file_set_string (kf, group, "note", w->note);
    }
  return g_key_file_to_data (kf, NULL, NULL);
}

static char *
get_string (GKeyFile *kf, const char *key)
{
  return g_key_file_get_string (kf, GROUP, key, NULL);
}

/* Euros as typed by people: "1250", "1250,50", "1.250,50", "1250.5". */
gboolean
_rr_parse_euros (const char *text,
                 gint64     *cents)
{
  g_autofree char *clean = NULL;
  const char *sep;
  gint64 whole = 0, frac = 0;
  gsize frac_len;
  GString *digits;

  if (text == NULL)
    return FALSE;
  digits = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\xe2') /* keep it simple: no currency signs */
      g_string_append_c (digits, *p);
  clean = g_string_free (digits, FALSE);
  if (clean[0] == '\0')
    return FALSE;

  /* The last separator followed by one or two digits is the decimal one. */
  sep = strrchr (clean, ',');
  if (sep == NULL || (strlen (sep + 1) != 1 && strlen (sep + 1) != 2))
    {
      const char *dot = strrchr (clean, '.');
      sep = (dot != NULL && (strlen (dot + 1) == 1 || strlen (dot + 1) == 2)) ? dot : NULL;
    }

  for (const char *p = clean; *p != '\0' && p != sep; p++)
    {
      if (*p == '.' || *p == ',')
        continue;
      if (!g_ascii_isdigit (*p) || whole > G_MAXINT64 / 1000)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (sep != NULL)
    {
      frac_len = strlen (sep + 1);
      for (const char *p = sep + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          frac = frac * 10 + (*p - '0');
        }
      if (frac_len == 1)
        frac *= 10;
    }
  *cents = whole * 100 + frac;
  return TRUE;
}

RrDecisionInput *
rr_decision_input_from_data (const char  *data,
                             gssize       length,
                             GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(RrDecisionInput) input = rr_decision_input_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *agrees = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *sanction = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!g_key_file_load_from_data (kf, data, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The draft could not be read: %s."), local_error->message);
      return NULL;
    }

  input->client = get_string (kf, "client");
  input->rule = get_string (kf, "rule");
  input->kind = get_string (kf, "kind");
  outcome = get_string (kf, "outcome");
  input->outcome = rr_outcome_from_string (outcome);
  input->summary = get_string (kf, "summary");
  input->circumstances = get_string (kf, "circumstances");
  input->explanation = get_string (kf, "explanation");
  input->reason = get_string (kf, "reason");
  input->decision_date = get_string (kf, "date");
  input->principles = get_string (kf, "principles");
  input->knowledge = get_string (kf, "knowledge");
  input->experiences = get_string (kf, "experiences");
  input->alternatives = get_string (kf, "alternatives");
  input->client_view = get_string (kf, "client-view");
  agrees = get_string (kf, "client-agrees");
  if (agrees != NULL)
    input->client_agrees = g_str_equal (agrees, "yes") ? 1 : g_str_equal (agrees, "no") ? 0 : -1;
  input->rights_explained = get_string (kf, "rights-explained");
  input->stakeholders = get_string (kf, "stakeholders");
  input->risk = get_string (kf, "risk");
  amount = get_string (kf, "amount");
  if (amount != NULL)
    {
      if (!_rr_parse_euros (amount, &input->amount_cents))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("“%s” is not an amount in euros."), amount);
          return NULL;
        }
      input->has_amount = TRUE;
    }
  sanction = get_string (kf, "sanction");
  if (sanction != NULL && !rr_sanction_from_string (sanction, &input->sanction))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("“%s” is not a sanction: use imposed or refrained."), sanction);
      return NULL;
    }
  input->contact_date = get_string (kf, "contact-date");
  input->follow_up = get_string (kf, "follow-up");

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *relevance_text = NULL;
      g_autofree char *note = NULL;
      RrRelevance relevance = RR_RELEVANCE_NONE;

      if (!g_str_has_prefix (groups[i], "weighing "))
        continue;
      relevance_text = g_key_file_get_string (kf, groups[i], "relevance", NULL);
      note = g_key_file_get_string (kf, groups[i], "note", NULL);
      if (relevance_text != NULL && !rr_relevance_from_string (relevance_text, &relevance))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("“%s” is not a weight: use none, some or decisive."), relevance_text);
          return NULL;
        }
      rr_decision_input_set_weighing (input, groups[i] + strlen ("weighing "), relevance, note);
    }

  return g_steal_pointer (&input);
}

static gboolean
check_date (const char  *value,
            const char  *what,
            GError     **error)
{
  if (value != NULL && !rr_date_is_valid (value))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   /* TRANSLATORS: the second %s names a field, e.g. "decision date" */
                   _("“%s” is not a valid %s: write it as YYYY-MM-DD."), value, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_length (const char  *value,
              glong        max,
              GError     **error)
{
  if (value != NULL && g_utf8_strlen (value, -1) > max)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("A text is longer than %ld characters. Shorten it, or put the details "
                     "in the case file."), max);
      return FALSE;
    }
  return TRUE;
}

gboolean
rr_decision_input_validate (const RrDecisionInput  *input,
                            GError                **error)
{
  const char *texts[] = {
    input->circumstances, input->explanation, input->principles, input->knowledge,
    input->experiences, input->alternatives, input->client_view, input->stakeholders,
    input->risk,
  };

  g_return_val_if_fail (input != NULL, FALSE);

  if (_rr_text_is_blank (input->client))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Choose the client."));
      return FALSE;
    }
  if (_rr_text_is_blank (input->rule))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Choose the rule that was at stake."));
      return FALSE;
    }
  if (_rr_text_is_blank (input->kind))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("Choose the kind of discretion."));
      return FALSE;
    }
  if (input->outcome != RR_OUTCOME_APPLIED && input->outcome != RR_OUTCOME_DEVIATED)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Say whether the rule was applied or departed from."));
      return FALSE;
    }
  if (_rr_text_is_blank (input->summary))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Give a one-line summary of the decision."));
      return FALSE;
    }
  if (g_utf8_strlen (input->summary, -1) > MAX_SUMMARY_CHARS || strchr (input->summary, '\n'))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The summary must be one line of at most %d characters."),
                   MAX_SUMMARY_CHARS);
      return FALSE;
    }
  if (input->outcome == RR_OUTCOME_DEVIATED)
    {
      if (_rr_text_is_blank (input->circumstances))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("A deviation needs the circumstances: describe the facts that make "
                         "this case different."));
          return FALSE;
        }
      if (_rr_text_is_blank (input->explanation))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("A deviation needs an explanation: why would applying the rule here "
                         "have consequences out of proportion to its goal?"));
          return FALSE;
        }
      if (_rr_text_is_blank (input->reason))
        {
          g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                       _("A deviation needs a reason: choose the one that fits best."));
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (!check_length (texts[i], MAX_TEXT_CHARS, error))
      return FALSE;

  if (!check_date (input->decision_date, _("decision date"), error)
      || !check_date (input->contact_date, _("date of contact"), error)
      || !check_date (input->follow_up, _("follow-up date"), error)
      || !check_date (input->rights_explained, _("date rights and duties were explained"), error))
    return FALSE;

  if (input->follow_up != NULL && input->decision_date != NULL
      && strcmp (input->follow_up, input->decision_date) < 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The follow-up date lies before the decision date."));
      return FALSE;
    }
  if (input->has_amount && input->amount_cents < 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID, _("The amount cannot be negative."));
      return FALSE;
    }
  if (input->client_agrees < -1 || input->client_agrees > 1)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Whether the client agrees is yes, no or not asked."));
      return FALSE;
    }
  return TRUE;
}

/* Words that object to a rule as such, not to its effect in this case. */
static const char * const principle_markers[] = {
  "in principe", "principieel", "onredelijk", "oneerlijk", "onrechtvaardig", "deugt niet",
  "slechte regel", "regel is fout", "regel klopt niet", "niet eens met de regel",
  "zou niet moeten bestaan", "moet worden afgeschaft", "onzin", "achterhaald",
  "in principle", "unfair", "unjust", "unreasonable", "bad rule", "should not exist",
  "should be abolished", "nonsense", "outdated",
};

static GHashTable *
content_words (const char *text)
{
  GHashTable *words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *folded = NULL;
  g_auto(GStrv) tokens = NULL;

  if (text == NULL)
    return words;
  folded = g_utf8_casefold (text, -1);
  tokens = g_regex_split_simple ("[^[:alnum:]]+", folded, 0, 0);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_utf8_strlen (tokens[i], -1) >= 5)
      g_hash_table_add (words, g_strdup (tokens[i]));
  return words;
}

RrHints
rr_decision_input_hints (const RrDecisionInput *input)
{
  RrHints hints = RR_HINT_NONE;

  g_return_val_if_fail (input != NULL, RR_HINT_NONE);

  if (input->outcome == RR_OUTCOME_DEVIATED)
    {
      g_autoptr(GHashTable) circumstances = content_words (input->circumstances);
      gboolean any_weighing = FALSE;

      if (g_hash_table_size (circumstances) < 3)
        hints |= RR_HINT_NO_CIRCUMSTANCES;

      if (!_rr_text_is_blank (input->explanation))
        {
          g_autofree char *folded = g_utf8_casefold (input->explanation, -1);
          g_autoptr(GHashTable) explanation = content_words (input->explanation);
          gboolean marked = FALSE;
          guint shared = 0;
          GHashTableIter iter;
          gpointer word;

          for (guint i = 0; i < G_N_ELEMENTS (principle_markers) && !marked; i++)
            marked = strstr (folded, principle_markers[i]) != NULL;

          g_hash_table_iter_init (&iter, explanation);
          while (g_hash_table_iter_next (&iter, &word, NULL))
            if (g_hash_table_contains (circumstances, word))
              shared++;

          /* An objection in principle that does not touch the facts of the
           * case says more about the rule than about this decision. */
          if (marked && shared < 2)
            hints |= RR_HINT_ONLY_IN_PRINCIPLE;
        }

      for (guint i = 0; i < input->weighings->len; i++)
        {
          RrWeighing *w = g_ptr_array_index (input->weighings, i);
          if (w->relevance != RR_RELEVANCE_NONE)
            any_weighing = TRUE;
        }
      if (!any_weighing)
        hints |= RR_HINT_NO_WEIGHING;
    }

  if (input->sanction != RR_SANCTION_NONE && _rr_text_is_blank (input->contact_date))
    hints |= RR_HINT_SANCTION_NO_CONTACT;

  return hints;
}

const char *
rr_hint_message (RrHints hint)
{
  switch (hint)
    {
    case RR_HINT_NO_CIRCUMSTANCES:
      return _("Few circumstances given: describe what makes this case different from the "
               "usual one, so that a colleague can follow your reasoning later.");
    case RR_HINT_ONLY_IN_PRINCIPLE:
      return _("The explanation objects to the rule in principle. Explain why applying it in "
               "this case would have consequences out of proportion to its goal; objections "
               "to the rule itself belong in a signal to policy.");
    case RR_HINT_NO_WEIGHING:
      return _("No weighing given: say which parts of the professional framework weighed in "
               "this decision.");
    case RR_HINT_SANCTION_NO_CONTACT:
      return _("A sanction without a date of personal contact beforehand: talk with the "
               "client before imposing or refraining from a sanction.");
    case RR_HINT_NONE:
    default:
      return "";
    }
}

/* -------------------------------------------------------------- canonical */

char *
_rr_weighings_to_text (const RrDecisionInput *input)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GString *out;

  if (input->weighings == NULL || input->weighings->len == 0)
    return NULL;

  /* A plain array: it must not free the weighings it borrows. */
  sorted = g_ptr_array_new ();
  for (guint i = 0; i < input->weighings->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (input->weighings, i));
  out = g_string_new (NULL);
  /* Sort by domain code so the text does not depend on input order. */
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      {
        RrWeighing *a = g_ptr_array_index (sorted, i);
        RrWeighing *b = g_ptr_array_index (sorted, j);
        if (strcmp (a->domain, b->domain) > 0)
          {
            sorted->pdata[i] = b;
            sorted->pdata[j] = a;
          }
      }
  for (guint i = 0; i < sorted->len; i++)
    {
      RrWeighing *w = g_ptr_array_index (sorted, i);
      g_autofree char *key = g_strconcat ("weighing.", w->domain, NULL);
      g_autofree char *note_key = g_strconcat ("weighing.", w->domain, ".note", NULL);

      _rr_canon_append_field (out, key, rr_relevance_to_string (w->relevance));
      if (!_rr_text_is_blank (w->note))
        _rr_canon_append_field (out, note_key, w->note);
    }
  return g_string_free (out, FALSE);
}

void
_rr_weighings_from_text (RrDecisionInput *input,
                         const char      *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      g_autofree char *value = NULL;
      const char *key = lines[i];

      if (eq == NULL || !g_str_has_prefix (key, "weighing."))
        continue;
      *eq = '\0';
      value = _rr_unescape (eq + 1);
      key += strlen ("weighing.");
      if (g_str_has_suffix (key, ".note"))
        {
          g_autofree char *domain = g_strndup (key, strlen (key) - strlen (".note"));
          for (guint j = 0; j < input->weighings->len; j++)
            {
              RrWeighing *w = g_ptr_array_index (input->weighings, j);
              if (g_str_equal (w->domain, domain))
                {
                  g_free (w->note);
                  w->note = g_steal_pointer (&value);
                }
            }
        }
      else
        {
          RrRelevance relevance = RR_RELEVANCE_NONE;
          rr_relevance_from_string (value, &relevance);
          rr_decision_input_set_weighing (input, key, relevance, NULL);
        }
    }
}

/* The canonical content of a decision version, fields in this order (see
 * docs/trail-format.md): uuid, number, version, supersedes, client, author,
 * team, decision_date, recorded_at, kind, rule, rule_code, rule_version,
 * outcome, summary, circumstances, explanation, reason, principles,
 * knowledge, experiences, alternatives, client_view, client_agrees,
 * rights_explained, stakeholders, risk, amount_cents, sanction,
 * contact_date, the weighing lines, within_mandate, follow_up,
 * retention_until. */
char *
_rr_decision_values_canonical (const RrDecisionValues *v)
{
  g_autoptr(RrCanon) canon = rr_canon_new ("decision");
  const RrDecisionInput *in = v->input;

  rr_canon_add (canon, "uuid", v->uuid);
  rr_canon_add (canon, "number", v->number);
  rr_canon_add_int (canon, "version", v->version);
  rr_canon_add (canon, "supersedes", v->supersedes_uuid);
  rr_canon_add (canon, "client", v->client_uuid);
  rr_canon_add (canon, "author", v->author_login);
  rr_canon_add (canon, "team", v->team);
  rr_canon_add (canon, "decision_date", in->decision_date);
  rr_canon_add (canon, "recorded_at", v->recorded_at);
  rr_canon_add (canon, "kind", in->kind);
  rr_canon_add (canon, "rule", v->rule_uuid);
  rr_canon_add (canon, "rule_code", v->rule_code);
  rr_canon_add_int (canon, "rule_version", v->rule_version);
  rr_canon_add (canon, "outcome", rr_outcome_to_string (in->outcome));
  rr_canon_add (canon, "summary", in->summary);
  rr_canon_add (canon, "circumstances", present (in->circumstances));
  rr_canon_add (canon, "explanation", present (in->explanation));
  rr_canon_add (canon, "reason", present (in->reason));
  rr_canon_add (canon, "principles", present (in->principles));
  rr_canon_add (canon, "knowledge", present (in->knowledge));
  rr_canon_add (canon, "experiences", present (in->experiences));
  rr_canon_add (canon, "alternatives", present (in->alternatives));
  rr_canon_add (canon, "client_view", present (in->client_view));
  if (in->client_agrees >= 0)
    rr_canon_add_bool (canon, "client_agrees", in->client_agrees);
  rr_canon_add (canon, "rights_explained", present (in->rights_explained));
  rr_canon_add (canon, "stakeholders", present (in->stakeholders));
  rr_canon_add (canon, "risk", present (in->risk));
  if (in->has_amount)
    rr_canon_add_int (canon, "amount_cents", in->amount_cents);
  rr_canon_add (canon, "sanction", rr_sanction_to_string (in->sanction));
  rr_canon_add (canon, "contact_date", present (in->contact_date));
  _rr_canon_append_raw (canon, v->weighings_text);
  rr_canon_add_bool (canon, "within_mandate", v->within_mandate);
  rr_canon_add (canon, "follow_up", in->follow_up);
  rr_canon_add (canon, "retention_until", v->retention_until);

  return g_strdup (rr_canon_get_text (canon));
}

void
_rr_decision_values_clear (RrDecisionValues *v)
{
  g_free (v->uuid);
  g_free (v->number);
  g_free (v->supersedes_uuid);
  g_free (v->client_uuid);
  g_free (v->author_login);
  g_free (v->team);
  g_free (v->recorded_at);
  g_free (v->rule_uuid);
  g_free (v->rule_code);
  g_free (v->weighings_text);
  g_free (v->retention_until);
  g_clear_pointer (&v->input, rr_decision_input_free);
  memset (v, 0, sizeof *v);
}

#define VALUES_COLUMNS \
  "d.uuid, d.number, d.version, s.uuid, c.uuid, u.login, d.team, d.decision_date," \
  " d.recorded_at, d.kind, r.uuid, r.code, r.version, d.outcome, d.summary, d.circumstances," \
  " d.explanation, d.reason, d.principles, d.knowledge, d.experiences, d.alternatives," \
  " d.client_view, d.client_agrees, d.rights_explained, d.stakeholders, d.risk, d.amount_cents," \
  " d.sanction, d.contact_date, d.weighings, d.within_mandate, d.follow_up, d.retention_until," \
  " c.dossier"
#define VALUES_FROM \
  " FROM decisions d JOIN clients c ON c.id = d.client_id JOIN users u ON u.id = d.author_id" \
  " JOIN rules r ON r.id = d.rule_id LEFT JOIN decisions s ON s.id = d.supersedes_id"

static void
values_from_row (sqlite3_stmt     *stmt,
                 RrDecisionValues *v)
{
  RrDecisionInput *in = rr_decision_input_new ();

  v->input = in;
  v->uuid = _rr_column_dup (stmt, 0);
  v->number = _rr_column_dup (stmt, 1);
  v->version = sqlite3_column_int (stmt, 2);
  v->supersedes_uuid = _rr_column_dup (stmt, 3);
  v->client_uuid = _rr_column_dup (stmt, 4);
  v->author_login = _rr_column_dup (stmt, 5);
  v->team = _rr_column_dup (stmt, 6);
  in->decision_date = _rr_column_dup (stmt, 7);
  v->recorded_at = _rr_column_dup (stmt, 8);
  in->kind = _rr_column_dup (stmt, 9);
  v->rule_uuid = _rr_column_dup (stmt, 10);
  v->rule_code = _rr_column_dup (stmt, 11);
  v->rule_version = sqlite3_column_int (stmt, 12);
  in->outcome = rr_outcome_from_string ((const char *) sqlite3_column_text (stmt, 13));
  in->summary = _rr_column_dup (stmt, 14);
  in->circumstances = _rr_column_dup (stmt, 15);
  in->explanation = _rr_column_dup (stmt, 16);
  in->reason = _rr_column_dup (stmt, 17);
  in->principles = _rr_column_dup (stmt, 18);
  in->knowledge = _rr_column_dup (stmt, 19);
  in->experiences = _rr_column_dup (stmt, 20);
  in->alternatives = _rr_column_dup (stmt, 21);
  in->client_view = _rr_column_dup (stmt, 22);
  in->client_agrees = sqlite3_column_type (stmt, 23) == SQLITE_NULL ? -1
                      : sqlite3_column_int (stmt, 23);
  in->rights_explained = _rr_column_dup (stmt, 24);
  in->stakeholders = _rr_column_dup (stmt, 25);
  in->risk = _rr_column_dup (stmt, 26);
  in->has_amount = sqlite3_column_type (stmt, 27) != SQLITE_NULL;
  in->amount_cents = sqlite3_column_int64 (stmt, 27);
  rr_sanction_from_string ((const char *) sqlite3_column_text (stmt, 28), &in->sanction);
  in->contact_date = _rr_column_dup (stmt, 29);
  v->weighings_text = _rr_column_dup (stmt, 30);
  _rr_weighings_from_text (in, v->weighings_text);
  v->within_mandate = sqlite3_column_int (stmt, 31) != 0;
  in->follow_up = _rr_column_dup (stmt, 32);
  v->retention_until = _rr_column_dup (stmt, 33);
  in->rule = g_strdup (v->rule_code);
  in->client = _rr_column_dup (stmt, 34);
}

/* For a caller that reads many decisions in one query of its own:
 * "SELECT " columns ", its own columns" from " WHERE …". */
void
_rr_decision_canonical_sql (const char **columns,
                            const char **from)
{
  *columns = VALUES_COLUMNS;
  *from = VALUES_FROM;
}

/* The canonical content of the current row of such a query: what
 * _rr_decision_values_canonical() makes of values_from_row(), field for
 * field, but from the columns as they are, without copying each into a
 * decision first (an export makes one for every decision version).
 * test-decision holds the two to the same bytes. */
char *
_rr_decision_canonical_from_row (sqlite3_stmt *stmt)
{
  static const char * const optional[] = {
    "circumstances", "explanation", "reason", "principles", "knowledge", "experiences",
    "alternatives", "client_view",
  };
  static const char * const optional_after[] = { "rights_explained", "stakeholders", "risk" };
  g_autoptr(RrCanon) canon = rr_canon_new ("decision");
  RrSanction sanction = RR_SANCTION_NONE;  /* as in a new RrDecisionInput */

#define COL(i) ((const char *) sqlite3_column_text (stmt, (i)))
  rr_canon_add (canon, "uuid", COL (0));
  rr_canon_add (canon, "number", COL (1));
  rr_canon_add_int (canon, "version", sqlite3_column_int (stmt, 2));
  rr_canon_add (canon, "supersedes", COL (3));
  rr_canon_add (canon, "client", COL (4));
  rr_canon_add (canon, "author", COL (5));
  rr_canon_add (canon, "team", COL (6));
  rr_canon_add (canon, "decision_date", COL (7));
  rr_canon_add (canon, "recorded_at", COL (8));
  rr_canon_add (canon, "kind", COL (9));
  rr_canon_add (canon, "rule", COL (10));
  rr_canon_add (canon, "rule_code", COL (11));
  rr_canon_add_int (canon, "rule_version", sqlite3_column_int (stmt, 12));
  rr_canon_add (canon, "outcome", rr_outcome_to_string (rr_outcome_from_string (COL (13))));
  rr_canon_add (canon, "summary", COL (14));
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    rr_canon_add (canon, optional[i], present (COL (15 + i)));
  if (sqlite3_column_type (stmt, 23) != SQLITE_NULL)
    rr_canon_add_bool (canon, "client_agrees", sqlite3_column_int (stmt, 23));
  for (guint i = 0; i < G_N_ELEMENTS (optional_after); i++)
    rr_canon_add (canon, optional_after[i], present (COL (24 + i)));
  if (sqlite3_column_type (stmt, 27) != SQLITE_NULL)
    rr_canon_add_int (canon, "amount_cents", sqlite3_column_int64 (stmt, 27));
  rr_sanction_from_string (COL (28), &sanction);
  rr_canon_add (canon, "sanction", rr_sanction_to_string (sanction));
  rr_canon_add (canon, "contact_date", present (COL (29)));
  _rr_canon_append_raw (canon, COL (30));
  rr_canon_add_bool (canon, "within_mandate", sqlite3_column_int (stmt, 31) != 0);
  rr_canon_add (canon, "follow_up", COL (32));
  rr_canon_add (canon, "retention_until", COL (33));
#undef COL

  return g_strdup (rr_canon_get_text (canon));
}

char *
_rr_decision_canonical (RrStore  *store,
                        gint64    decision_id,
                        GError  **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store, "SELECT " VALUES_COLUMNS VALUES_FROM
                                          " WHERE d.id = ?", error);
  RrDecisionValues v = { 0 };
  char *canonical;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, decision_id);
  if (_rr_step (store, stmt, error) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  values_from_row (stmt, &v);
  sqlite3_reset (stmt);
  canonical = _rr_decision_values_canonical (&v);
  _rr_decision_values_clear (&v);
  return canonical;
}

/* -------------------------------------------------------------- recording */

gint64
_rr_decision_insert (RrStore                 *store,
                     const RrDecisionValues  *v,
                     GError                 **error)
{
  const RrDecisionInput *in = v->input;
  g_autofree char *canonical = _rr_decision_values_canonical (v);
  g_autofree char *content_hash = rr_sha256_hex (canonical, -1);
  sqlite3_stmt *stmt;
  gint64 id;
  const char *action = v->version > 1 ? "decision.superseded" : "decision.recorded";

  stmt = _rr_store_prepare (store,
                            "INSERT INTO decisions (uuid, number, version, supersedes_id, status,"
                            " client_id, author_id, team, decision_date, recorded_at, kind, rule_id,"
                            " outcome, summary, circumstances, explanation, reason, principles,"
                            " knowledge, experiences, alternatives, client_view, client_agrees,"
                            " rights_explained, stakeholders, risk, amount_cents, sanction,"
                            " contact_date, weighings, within_mandate, needs_review, follow_up,"
                            " retention_until, content_hash)"
                            " VALUES (?1, ?2, ?3, ?4, 'recorded', ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                            " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
                            " ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)", error);
  if (stmt == NULL)
    return 0;

  _rr_bind_text (stmt, 1, v->uuid);
  _rr_bind_text (stmt, 2, v->number);
  sqlite3_bind_int (stmt, 3, v->version);
  if (v->supersedes_id > 0)
    sqlite3_bind_int64 (stmt, 4, v->supersedes_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, v->client_id);
  sqlite3_bind_int64 (stmt, 6, v->author_id);
  _rr_bind_text (stmt, 7, v->team);
  _rr_bind_text (stmt, 8, in->decision_date);
  _rr_bind_text (stmt, 9, v->recorded_at);
  _rr_bind_text (stmt, 10, in->kind);
  sqlite3_bind_int64 (stmt, 11, v->rule_id);
  _rr_bind_text (stmt, 12, rr_outcome_to_string (in->outcome));
  _rr_bind_text (stmt, 13, in->summary);
  _rr_bind_text (stmt, 14, present (in->circumstances));
  _rr_bind_text (stmt, 15, present (in->explanation));
  _rr_bind_text (stmt, 16, present (in->reason));
  _rr_bind_text (stmt, 17, present (in->principles));
  _rr_bind_text (stmt, 18, present (in->knowledge));
  _rr_bind_text (stmt, 19, present (in->experiences));
  _rr_bind_text (stmt, 20, present (in->alternatives));
  _rr_bind_text (stmt, 21, present (in->client_view));
  if (in->client_agrees >= 0)
    sqlite3_bind_int (stmt, 22, in->client_agrees);
  _rr_bind_text (stmt, 23, present (in->rights_explained));
  _rr_bind_text (stmt, 24, present (in->stakeholders));
  _rr_bind_text (stmt, 25, present (in->risk));
  if (in->has_amount)
    sqlite3_bind_int64 (stmt, 26, in->amount_cents);
  _rr_bind_text (stmt, 27, rr_sanction_to_string (in->sanction));
  _rr_bind_text (stmt, 28, present (in->contact_date));
  _rr_bind_text (stmt, 29, v->weighings_text);
  sqlite3_bind_int (stmt, 30, v->within_mandate);
  sqlite3_bind_int (stmt, 31, v->needs_review);
  _rr_bind_text (stmt, 32, in->follow_up);
  _rr_bind_text (stmt, 33, v->retention_until);
  _rr_bind_text (stmt, 34, content_hash);
  if (!_rr_step_done (store, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (_rr_store_get_db (store));

  if (!v->defer_fts)
    {
      stmt = _rr_store_prepare (store,
                                "INSERT INTO decisions_fts (rowid, summary, circumstances, explanation)"
                                " VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, id);
      _rr_bind_text (stmt, 2, in->summary);
      _rr_bind_text (stmt, 3, present (in->circumstances));
      _rr_bind_text (stmt, 4, present (in->explanation));
      if (!_rr_step_done (store, stmt, error))
        return 0;
    }

  if (v->supersedes_id > 0)
    {
      stmt = _rr_store_prepare (store,
                                "UPDATE decisions SET status = 'superseded' WHERE id = ?"
                                " AND status = 'recorded'", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, v->supersedes_id);
      if (!_rr_step_done (store, stmt, error))
        return 0;
    }

  if (_rr_ledger_append_hashed (store, v->author_login, action, "decision", v->uuid, canonical,
                                content_hash, FALSE, error) == 0)
    return 0;
  return id;
}

gboolean
_rr_decisions_index_from (RrStore  *store,
                          gint64    first_id,
                          GError  **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "INSERT INTO decisions_fts (rowid, summary, circumstances,"
                                          " explanation) SELECT id, summary, circumstances,"
                                          " explanation FROM decisions WHERE id >= ?"
                                          " ORDER BY id", error);

  g_assert (_rr_store_in_transaction (store));
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  return _rr_step_done (store, stmt, error);
}

char *
_rr_decision_next_number (RrStore  *store,
                          int       year,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 next = 0;

  stmt = _rr_store_prepare (store,
                            "INSERT INTO counters (year, last) VALUES (?1, 1)"
                            " ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, year);
  if (_rr_step (store, stmt, error) != SQLITE_ROW)
    return NULL;
  next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return g_strdup_printf ("RR-%04d-%06" G_GINT64_FORMAT, year, next);
}

gboolean
_rr_mandate_check (RrStore     *store,
                   RrRoles      roles,
                   const char  *kind,
                   gboolean     has_amount,
                   gint64       amount_cents,
                   gboolean    *allowed,
                   GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT role, alone, max_amount_cents FROM mandate"
                                          " WHERE kind = ?", error);
  int rc = SQLITE_DONE;

  *allowed = FALSE;
  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, kind);
  while (!*allowed && (rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrRoles role;
      gboolean known = rr_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &role);

      /* A role that could not be read is an error, not a role without a
       * mandate. */
      if (!_rr_row_check (store, error))
        {
          rc = SQLITE_NOMEM;
          break;
        }
      if (!known || !(roles & role) || !sqlite3_column_int (stmt, 1))
        continue;
      if (sqlite3_column_type (stmt, 2) == SQLITE_NULL || !has_amount
          || amount_cents <= sqlite3_column_int64 (stmt, 2))
        *allowed = TRUE;
    }
  sqlite3_reset (stmt);
  return *allowed || rc == SQLITE_DONE;
}

gboolean
_rr_mandate_allows (RrStore    *store,
                    RrRoles     roles,
                    const char *kind,
                    gboolean    has_amount,
                    gint64      amount_cents)
{
  gboolean allowed;

  _rr_mandate_check (store, roles, kind, has_amount, amount_cents, &allowed, NULL);
  return allowed;
}

char *
_rr_client_pseudonym (const char *salt,
                      const char *uuid)
{
  g_autofree char *mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                    (const guchar *) salt, strlen (salt),
                                                    uuid, -1);
  g_autofree char *tag = g_ascii_strup (mac, 8);

  /* TRANSLATORS: a pseudonym standing in for a client, e.g. "Client 3FA8C2D1" */
  return g_strdup_printf (_("Client %s"), tag);
}

typedef struct {
  gint64  id;
  char   *uuid;
  char   *number;
  int     version;
  RrStatus status;
  gint64  author_id;
  gint64  client_id;
  char   *team;
} CurrentVersion;

static void
current_version_clear (CurrentVersion *c)
{
  g_free (c->uuid);
  g_free (c->number);
  g_free (c->team);
}

/* The newest version of @number, whatever its status. */
static gboolean
load_current (RrStore         *store,
              const char      *number,
              CurrentVersion  *out,
              GError         **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT id, uuid, number, version, status, author_id,"
                                          " client_id, team FROM decisions WHERE number = ?"
                                          " ORDER BY version DESC LIMIT 1", error);
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
  out->id = sqlite3_column_int64 (stmt, 0);
  out->uuid = _rr_column_dup (stmt, 1);
  out->number = _rr_column_dup (stmt, 2);
  out->version = sqlite3_column_int (stmt, 3);
  out->status = rr_status_from_string ((const char *) sqlite3_column_text (stmt, 4));
  out->author_id = sqlite3_column_int64 (stmt, 5);
  out->client_id = sqlite3_column_int64 (stmt, 6);
  out->team = _rr_column_dup (stmt, 7);
  rc = _rr_row_check (store, error) ? SQLITE_DONE : SQLITE_NOMEM;
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
resolve_client (RrStore           *store,
                const RrUser      *user,
                const char        *dossier,
                RrDecisionValues  *v,
                GError           **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT c.id, c.uuid, c.active FROM clients c"
                                          " JOIN users o ON o.id = c.owner_id"
                                          " WHERE c.dossier = ? AND o.team = ?", error);
  int rc;
  gboolean active;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, dossier);
  _rr_bind_text (stmt, 2, user->team);
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                 _("There is no client with dossier number “%s” in your team."), dossier);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  v->client_id = sqlite3_column_int64 (stmt, 0);
  v->client_uuid = _rr_column_dup (stmt, 1);
  active = sqlite3_column_int (stmt, 2) != 0;
  if (!_rr_row_check (store, error))
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (!active)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("The client with dossier number “%s” is closed. Reopen the dossier before "
                     "recording a new decision."), dossier);
      return FALSE;
    }
  return TRUE;
}

/* Resolves and checks everything a new version needs, inside the
 * transaction, then inserts it. */
static gboolean
record_version (RrStore                *store,
                const char             *actor,
                const RrDecisionInput  *input,
                const CurrentVersion   *previous,
                RrDecisionValues       *v,
                GError                **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrRule) rule = NULL;
  RrDecisionInput *in;
  g_autofree char *today = rr_date_today ();
  int retention_years;
  int year;
  gboolean known;

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return FALSE;
  if (!rr_decision_input_validate (input, error))
    return FALSE;

  v->input = in = rr_decision_input_copy (input);
  if (in->decision_date == NULL)
    in->decision_date = g_strdup (today);
  if (strcmp (in->decision_date, today) > 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("The decision date %s lies in the future. Record a decision once it has "
                     "been taken."), in->decision_date);
      return FALSE;
    }

  if (!resolve_client (store, user, in->client, v, error))
    return FALSE;
  if (previous != NULL && previous->client_id != v->client_id)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("A new version must concern the same client. Record a new decision for "
                     "another client."));
      return FALSE;
    }

  rule = rr_rules_in_force (store, in->rule, in->decision_date, error);
  if (rule == NULL)
    return FALSE;
  if (!_rr_vocab_lookup (store, RR_VOCAB_KIND, in->kind, &known, error))
    return FALSE;
  if (!known)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("“%s” is not a known kind of discretion. See the list of kinds."), in->kind);
      return FALSE;
    }
  if (in->outcome == RR_OUTCOME_DEVIATED
      && !_rr_vocab_lookup (store, RR_VOCAB_REASON, in->reason, &known, error))
    return FALSE;
  if (in->outcome == RR_OUTCOME_DEVIATED && !known)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("“%s” is not a known reason for a deviation. See the list of reasons."),
                   in->reason);
      return FALSE;
    }
  if (in->outcome == RR_OUTCOME_APPLIED)
    g_clear_pointer (&in->reason, g_free);
  for (guint i = 0; i < in->weighings->len; i++)
    {
      RrWeighing *w = g_ptr_array_index (in->weighings, i);
      if (!_rr_vocab_lookup (store, RR_VOCAB_DOMAIN, w->domain, &known, error))
        return FALSE;
      if (!known)
        {
          g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                       _("“%s” is not a known domain of the professional framework."), w->domain);
          return FALSE;
        }
    }

  if (in->follow_up == NULL)
    {
      int months;

      if (!_rr_store_lookup_setting_int (store, "follow_up_months", 3, &months, error))
        return FALSE;
      in->follow_up = rr_date_add_months (in->decision_date, months);
    }
  retention_years = rule->retention_years;
  if (retention_years <= 0
      && !_rr_store_lookup_setting_int (store, "retention_years", 10, &retention_years, error))
    return FALSE;

  v->uuid = rr_uuid_new ();
  v->recorded_at = rr_timestamp_now ();
  year = (int) g_ascii_strtoll (v->recorded_at, NULL, 10);
  if (previous != NULL)
    {
      v->number = g_strdup (previous->number);
      v->version = previous->version + 1;
      v->supersedes_id = previous->id;
      v->supersedes_uuid = g_strdup (previous->uuid);
    }
  else
    {
      v->number = _rr_decision_next_number (store, year, error);
      if (v->number == NULL)
        return FALSE;
      v->version = 1;
    }
  v->author_id = user->id;
  v->author_login = g_strdup (user->login);
  v->team = g_strdup (user->team);
  v->rule_id = rule->id;
  v->rule_uuid = g_strdup (rule->uuid);
  v->rule_code = g_strdup (rule->code);
  v->rule_version = rule->version;
  if (!_rr_mandate_check (store, user->roles, in->kind, in->has_amount, in->amount_cents,
                          &v->within_mandate, error))
    return FALSE;
  if (!v->within_mandate)
    v->needs_review = RR_REVIEW_STATE_APPROVAL_NEEDED;
  else if (in->outcome == RR_OUTCOME_DEVIATED)
    v->needs_review = RR_REVIEW_STATE_FOR_INFORMATION;
  else
    v->needs_review = RR_REVIEW_STATE_NOT_NEEDED;
  v->weighings_text = _rr_weighings_to_text (in);
  v->retention_until = rr_date_add_months (in->decision_date, 12 * retention_years);

  return _rr_decision_insert (store, v, error) > 0;
}

char *
rr_decisions_record (RrStore                *store,
                     const char             *actor,
                     const RrDecisionInput  *input,
                     GError                **error)
{
  RrDecisionValues v = { 0 };
  char *number = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL && input != NULL, NULL);

  if (!_rr_store_begin (store, error))
    return NULL;
  if (record_version (store, actor, input, NULL, &v, error)
      && _rr_store_commit (store, error))
    number = g_steal_pointer (&v.number);
  else
    _rr_store_rollback (store);
  _rr_decision_values_clear (&v);

  if (number != NULL)
    rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
  return number;
}

int
rr_decisions_supersede (RrStore                *store,
                        const char             *actor,
                        const char             *number,
                        const RrDecisionInput  *input,
                        GError                **error)
{
  CurrentVersion current = { 0 };
  RrDecisionValues v = { 0 };
  int version = 0;
  gint64 actor_id;

  g_return_val_if_fail (RR_IS_STORE (store), 0);
  g_return_val_if_fail (actor != NULL && number != NULL && input != NULL, 0);

  if (!_rr_store_begin (store, error))
    return 0;
  if (!load_current (store, number, &current, error))
    goto out;

  if (!_rr_user_lookup_id (store, actor, &actor_id, error))
    goto out;
  if (current.status == RR_STATUS_WITHDRAWN)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Decision %s was withdrawn; record a new decision instead."), number);
      goto out;
    }
  if (current.author_id != actor_id)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Only the author of decision %s may record a new version of it."), number);
      goto out;
    }
  if (record_version (store, actor, input, &current, &v, error)
      && _rr_store_commit (store, error))
    version = v.version;

out:
  if (version == 0)
    _rr_store_rollback (store);
  current_version_clear (&current);
  _rr_decision_values_clear (&v);
  if (version > 0)
    rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
  return version;
}

gboolean
rr_decisions_withdraw (RrStore     *store,
                       const char  *actor,
                       const char  *number,
                       const char  *reason,
                       GError     **error)
{
  CurrentVersion current = { 0 };
  g_autoptr(RrUser) user = NULL;
  g_autoptr(RrCanon) canon = NULL;
  g_autofree char *now = rr_timestamp_now ();
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);

  if (_rr_text_is_blank (reason))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_INVALID,
                   _("Give the reason for withdrawing the decision."));
      return FALSE;
    }

  if (!_rr_store_begin (store, error))
    return FALSE;
  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL || !load_current (store, number, &current, error))
    goto out;

  /* The author withdraws; so may the teamleider of the author's team. */
  if (current.author_id != user->id
      && !((user->roles & RR_ROLE_TEAMLEIDER) && g_strcmp0 (user->team, current.team) == 0))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_PERMISSION,
                   _("Only the author of decision %s or their teamleider may withdraw it."),
                   number);
      goto out;
    }
  if (current.status != RR_STATUS_RECORDED)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_CONFLICT,
                   _("Decision %s was withdrawn already."), number);
      goto out;
    }

  stmt = _rr_store_prepare (store, "UPDATE decisions SET status = 'withdrawn' WHERE id = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, current.id);
  if (!_rr_step_done (store, stmt, error))
    goto out;

  stmt = _rr_store_prepare (store,
                            "INSERT INTO withdrawals (decision_id, reason, actor_id, at)"
                            " VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, current.id);
  _rr_bind_text (stmt, 2, reason);
  sqlite3_bind_int64 (stmt, 3, user->id);
  _rr_bind_text (stmt, 4, now);
  if (!_rr_step_done (store, stmt, error))
    goto out;

  canon = rr_canon_new ("withdrawal");
  rr_canon_add (canon, "decision", current.uuid);
  rr_canon_add (canon, "number", current.number);
  rr_canon_add_int (canon, "version", current.version);
  rr_canon_add (canon, "reason", reason);
  rr_canon_add (canon, "at", now);
  if (_rr_ledger_append (store, actor, "decision.withdrawn", "decision", current.uuid,
                         rr_canon_get_text (canon), TRUE, error) == 0)
    goto out;
  ok = _rr_store_commit (store, error);

out:
  if (!ok)
    _rr_store_rollback (store);
  current_version_clear (&current);
  if (ok)
    rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
  return ok;
}

/* ---------------------------------------------------------------- reading */

void
rr_decision_free (RrDecision *d)
{
  if (d == NULL)
    return;
  g_free (d->uuid);
  g_free (d->number);
  g_free (d->supersedes);
  g_free (d->client_uuid);
  g_free (d->client_dossier);
  g_free (d->client_name);
  g_free (d->author_login);
  g_free (d->author_name);
  g_free (d->author_team);
  g_free (d->recorded_at);
  g_free (d->rule_uuid);
  g_free (d->rule_code);
  g_free (d->rule_title);
  g_free (d->retention_until);
  g_free (d->withdrawn_reason);
  g_free (d->content_hash);
  g_clear_pointer (&d->input, rr_decision_input_free);
  g_free (d);
}

/* Who sees which decisions (DESIGN §2): an auditor all; a teamleider the
 * team's; a klantmanager their own and those about their caseload. */
static char *
visibility_sql (const RrUser *user)
{
  if (user->roles & RR_ROLE_AUDITOR)
    return g_strdup ("1");
  if (user->roles & RR_ROLE_TEAMLEIDER)
    {
      /* %q doubles quotes: the team name is data, never SQL. A decision's
       * team is its author's team when it was recorded, so this includes
       * the teamleider's own. */
      char *quoted = sqlite3_mprintf ("d.team = '%q'", user->team);
      char *sql = g_strdup (quoted);
      sqlite3_free (quoted);
      return sql;
    }
  return g_strdup_printf ("(d.author_id = %" G_GINT64_FORMAT " OR c.owner_id = %" G_GINT64_FORMAT ")",
                          user->id, user->id);
}

#define STATE_SQL \
  "CASE WHEN EXISTS (SELECT 1 FROM reviews rv WHERE rv.decision_id = d.id AND rv.kind = 'teamleider')" \
  " THEN 3 ELSE d.needs_review END"
#define VERDICT_SQL \
  "(SELECT rv.verdict FROM reviews rv WHERE rv.decision_id = d.id AND rv.kind = 'teamleider'" \
  " ORDER BY rv.id DESC LIMIT 1)"
#define EFFECT_SQL \
  "(SELECT o.effect FROM outcomes o WHERE o.number = d.number ORDER BY o.id DESC LIMIT 1)"

static RrUser *
require_reader (RrStore     *store,
                const char  *actor,
                GError     **error)
{
  return rr_users_require (store, actor,
                           RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR, error);
}

static GPtrArray *
load_decisions (RrStore     *store,
                const char  *actor,
                const char  *number,
                int          version,
                GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_free);
  g_autofree char *visible = NULL;
  g_autofree char *sql = NULL;
  int rc;

  user = require_reader (store, actor, error);
  if (user == NULL)
    return NULL;
  visible = visibility_sql (user);
  sql = g_strdup_printf ("SELECT " VALUES_COLUMNS ", d.id, d.status, c.name, u.display_name,"
                         " r.title, " STATE_SQL ", " VERDICT_SQL ", " EFFECT_SQL ","
                         " d.destroyed_at IS NOT NULL, d.content_hash,"
                         " (SELECT w.reason FROM withdrawals w WHERE w.decision_id = d.id)"
                         VALUES_FROM " WHERE d.number = ?1 AND (?2 = 0 OR d.version = ?2)"
                         " AND %s ORDER BY d.version", visible);
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  _rr_bind_text (stmt, 1, number);
  sqlite3_bind_int (stmt, 2, version);

  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      RrDecisionValues v = { 0 };
      RrDecision *d = g_new0 (RrDecision, 1);

      values_from_row (stmt, &v);
      d->uuid = g_steal_pointer (&v.uuid);
      d->number = g_steal_pointer (&v.number);
      d->version = v.version;
      d->supersedes = g_steal_pointer (&v.supersedes_uuid);
      d->client_uuid = g_steal_pointer (&v.client_uuid);
      d->client_dossier = g_strdup (v.input->client);
      d->author_login = g_steal_pointer (&v.author_login);
      d->author_team = g_steal_pointer (&v.team);
      d->recorded_at = g_steal_pointer (&v.recorded_at);
      d->rule_uuid = g_steal_pointer (&v.rule_uuid);
      d->rule_code = g_steal_pointer (&v.rule_code);
      d->rule_version = v.rule_version;
      d->within_mandate = v.within_mandate;
      d->retention_until = g_steal_pointer (&v.retention_until);
      d->input = g_steal_pointer (&v.input);
      d->id = sqlite3_column_int64 (stmt, 35);
      d->status = rr_status_from_string ((const char *) sqlite3_column_text (stmt, 36));
      d->client_name = _rr_column_dup (stmt, 37);
      d->author_name = _rr_column_dup (stmt, 38);
      d->rule_title = _rr_column_dup (stmt, 39);
      d->review_state = sqlite3_column_int (stmt, 40);
      d->verdict = rr_verdict_from_string ((const char *) sqlite3_column_text (stmt, 41));
      d->effect = rr_effect_from_string ((const char *) sqlite3_column_text (stmt, 42));
      d->destroyed = sqlite3_column_int (stmt, 43) != 0;
      d->content_hash = _rr_column_dup (stmt, 44);
      d->withdrawn_reason = _rr_column_dup (stmt, 45);
      _rr_decision_values_clear (&v);
      g_ptr_array_add (out, d);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  if (out->len == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("There is no decision with number “%s” that you may see."),
                   number != NULL ? number : "");
      return NULL;
    }
  return g_steal_pointer (&out);
}

RrDecision *
rr_decisions_get (RrStore     *store,
                  const char  *actor,
                  const char  *number,
                  int          version,
                  GError     **error)
{
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  all = load_decisions (store, actor, number, version, error);
  if (all == NULL)
    return NULL;
  return g_ptr_array_steal_index (all, all->len - 1);
}

GPtrArray *
rr_decisions_versions (RrStore     *store,
                       const char  *actor,
                       const char  *number,
                       GError     **error)
{
  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  return load_decisions (store, actor, number, 0, error);
}

void
rr_decision_filter_init (RrDecisionFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->status = -1;
  filter->review_state = -1;
}

void
rr_decision_filter_clear (RrDecisionFilter *filter)
{
  g_clear_pointer (&filter->from, g_free);
  g_clear_pointer (&filter->to, g_free);
  g_clear_pointer (&filter->rule, g_free);
  g_clear_pointer (&filter->client, g_free);
  g_clear_pointer (&filter->text, g_free);
}

void
rr_decision_row_free (RrDecisionRow *row)
{
  if (row == NULL)
    return;
  g_free (row->number);
  g_free (row->decision_date);
  g_free (row->client_dossier);
  g_free (row->client_name);
  g_free (row->author_login);
  g_free (row->rule_code);
  g_free (row->kind);
  g_free (row->summary);
  g_free (row->follow_up);
  g_free (row);
}

char *
_rr_fts_query (const char *text,
               gboolean    any)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  GString *query;
  guint n = 0;

  if (text == NULL)
    return NULL;
  folded = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (folded == NULL)
    return NULL;
  words = g_regex_split_simple ("[^[:alnum:]]+", folded, G_REGEX_OPTIMIZE, 0);
  query = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL && n < 12; i++)
    {
      /* Short words say little and make OR-queries slow. */
      if (*words[i] == '\0' || (any && g_utf8_strlen (words[i], -1) < 4))
        continue;
      if (n > 0)
        g_string_append (query, any ? " OR " : " ");
      /* A prefix term makes FTS5 merge the lists of every word that starts
       * with it before it can return a row: fine for typed search, too slow
       * for the many words of a text compared while someone types. */
      g_string_append_printf (query, any ? "\"%s\"" : "\"%s\"*", words[i]);
      n++;
    }
  if (n == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

/* visibility_sql () for a list over all decisions: for a klantmanager the
 * decisions they wrote or of their clients come from the author and client
 * indexes, a few thousand rows, where the OR of the two made SQLite walk
 * every decision in date order (seconds at a million). */
static char *
list_visibility_sql (const RrUser *user)
{
  if (user->roles & (RR_ROLE_AUDITOR | RR_ROLE_TEAMLEIDER))
    return visibility_sql (user);
  return g_strdup_printf ("d.id IN (SELECT id FROM decisions WHERE author_id = %" G_GINT64_FORMAT
                          " UNION ALL SELECT d2.id FROM clients c2 JOIN decisions d2"
                          " ON d2.client_id = c2.id WHERE c2.owner_id = %" G_GINT64_FORMAT ")",
                          user->id, user->id);
}

static char *
filter_sql (const RrDecisionFilter *f,
            const RrUser           *user)
{
  GString *sql = g_string_new (NULL);
  g_autofree char *visible = list_visibility_sql (user);

  g_string_append (sql, visible);
  if (f->status < 0)
    g_string_append (sql, " AND +d.status IN ('recorded', 'withdrawn')");
  else
    g_string_append (sql, " AND d.status = ?7");
  if (f->from != NULL)
    g_string_append (sql, " AND d.decision_date >= ?1");
  if (f->to != NULL)
    g_string_append (sql, " AND d.decision_date <= ?2");
  if (f->rule != NULL)
    g_string_append (sql, " AND d.rule_id IN (SELECT id FROM rules WHERE code = ?3)");
  if (f->client != NULL)
    g_string_append (sql, " AND c.dossier = ?4");
  if (f->text != NULL)
    g_string_append (sql, " AND d.id IN (SELECT rowid FROM decisions_fts WHERE decisions_fts MATCH ?5)");
  if (f->outcome != RR_OUTCOME_NONE)
    g_string_append (sql, " AND d.outcome = ?6");
  if (f->review_state >= 0)
    g_string_append (sql, " AND " STATE_SQL " = ?8");
  if (f->mine_only)
    g_string_append_printf (sql, " AND d.author_id = %" G_GINT64_FORMAT, user->id);
  return g_string_free (sql, FALSE);
}

static gboolean
bind_filter (sqlite3_stmt           *stmt,
             const RrDecisionFilter *f)
{
  _rr_bind_text (stmt, 1, f->from);
  _rr_bind_text (stmt, 2, f->to);
  _rr_bind_text (stmt, 3, f->rule);
  _rr_bind_text (stmt, 4, f->client);
  if (f->text != NULL)
    {
      g_autofree char *query = _rr_fts_query (f->text, FALSE);
      if (query == NULL)
        return FALSE;
      _rr_bind_text (stmt, 5, query);
    }
  _rr_bind_text (stmt, 6, rr_outcome_to_string (f->outcome));
  if (f->status >= 0)
    _rr_bind_text (stmt, 7, rr_status_to_string (f->status));
  sqlite3_bind_int (stmt, 8, f->review_state);
  return TRUE;
}

static const char *
order_sql (RrSort sort)
{
  switch (sort)
    {
    case RR_SORT_DATE_ASC:
      return "d.decision_date ASC, d.id ASC";
    case RR_SORT_NUMBER_DESC:
      return "d.number DESC, d.version DESC";
    case RR_SORT_NUMBER_ASC:
      return "d.number ASC, d.version ASC";
    case RR_SORT_DATE_DESC:
    default:
      return "d.decision_date DESC, d.id DESC";
    }
}

/* Columns of ROW_COLUMNS, in order. */
static RrDecisionRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  RrDecisionRow *row = g_new0 (RrDecisionRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->number = _rr_column_dup (stmt, 1);
  row->version = sqlite3_column_int (stmt, 2);
  row->status = rr_status_from_string ((const char *) sqlite3_column_text (stmt, 3));
  row->decision_date = _rr_column_dup (stmt, 4);
  row->client_dossier = _rr_column_dup (stmt, 5);
  row->client_name = _rr_column_dup (stmt, 6);
  row->author_login = _rr_column_dup (stmt, 7);
  row->rule_code = _rr_column_dup (stmt, 8);
  row->kind = _rr_column_dup (stmt, 9);
  row->outcome = rr_outcome_from_string ((const char *) sqlite3_column_text (stmt, 10));
  row->summary = _rr_column_dup (stmt, 11);
  row->review_state = sqlite3_column_int (stmt, 12);
  row->verdict = rr_verdict_from_string ((const char *) sqlite3_column_text (stmt, 13));
  row->effect = rr_effect_from_string ((const char *) sqlite3_column_text (stmt, 14));
  row->follow_up = _rr_column_dup (stmt, 15);
  row->within_mandate = sqlite3_column_int (stmt, 16) != 0;
  return row;
}

#define ROW_COLUMNS \
  "d.id, d.number, d.version, d.status, d.decision_date, c.dossier, c.name, u.login, r.code," \
  " d.kind, d.outcome, d.summary, " STATE_SQL ", " VERDICT_SQL ", " EFFECT_SQL ", d.follow_up," \
  " d.within_mandate"
#define ROW_JOINS \
  " JOIN clients c ON c.id = d.client_id JOIN users u ON u.id = d.author_id" \
  " JOIN rules r ON r.id = d.rule_id"

GPtrArray *
rr_decisions_list (RrStore                 *store,
                   const char              *actor,
                   const RrDecisionFilter  *filter,
                   guint                    offset,
                   guint                    limit,
                   GError                 **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_row_free);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  RrDecisionFilter empty;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (filter == NULL)
    {
      rr_decision_filter_init (&empty);
      filter = &empty;
    }
  user = require_reader (store, actor, error);
  if (user == NULL)
    return NULL;

  where = filter_sql (filter, user);
  /* Page the ids first and join the rest for the page only: the correlated
   * review and outcome look-ups then run fifty times, not once per row
   * skipped. (A LEFT JOIN on a unique key that the filter does not use is
   * dropped by SQLite.) */
  sql = g_strdup_printf ("SELECT " ROW_COLUMNS
                         " FROM (SELECT d.id FROM decisions d LEFT JOIN clients c ON c.id = d.client_id"
                         "       WHERE %s ORDER BY %s LIMIT ?9 OFFSET ?10) p"
                         " JOIN decisions d ON d.id = p.id" ROW_JOINS
                         " ORDER BY %s",
                         where, order_sql (filter->sort), order_sql (filter->sort));
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  if (!bind_filter (stmt, filter))
    return g_steal_pointer (&rows);
  sqlite3_bind_int64 (stmt, 9, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 10, offset);

  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rows);
}

gint64
rr_decisions_count (RrStore                 *store,
                    const char              *actor,
                    const RrDecisionFilter  *filter,
                    GError                 **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  RrDecisionFilter empty;
  int rc;
  gint64 n = 0;

  g_return_val_if_fail (RR_IS_STORE (store), -1);

  if (filter == NULL)
    {
      rr_decision_filter_init (&empty);
      filter = &empty;
    }
  user = require_reader (store, actor, error);
  if (user == NULL)
    return -1;

  where = filter_sql (filter, user);
  sql = g_strdup_printf ("SELECT count(*) FROM decisions d LEFT JOIN clients c ON c.id = d.client_id"
                         " WHERE %s", where);
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return -1;
    }
  if (!bind_filter (stmt, filter))
    return 0;
  rc = _rr_step (store, stmt, error);
  if (rc != SQLITE_ROW)
    return -1;
  n = sqlite3_column_int64 (stmt, 0);
  return n;
}

/**
 * rr_decisions_list_ids:
 *
 * The ids of every decision that @filter selects for @actor, in the
 * filter's order: a list model keeps these (8 bytes a decision) and fetches
 * rows for the visible page only with rr_decisions_rows (), so that a page
 * costs the same at the end of a million rows as at the start.
 *
 * Returns: (transfer full) (element-type gint64): the ids
 */
GArray *
rr_decisions_list_ids (RrStore                 *store,
                       const char              *actor,
                       const RrDecisionFilter  *filter,
                       GError                 **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  RrDecisionFilter empty;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  if (filter == NULL)
    {
      rr_decision_filter_init (&empty);
      filter = &empty;
    }
  user = require_reader (store, actor, error);
  if (user == NULL)
    return NULL;

  where = filter_sql (filter, user);
  sql = g_strdup_printf ("SELECT d.id FROM decisions d LEFT JOIN clients c ON c.id = d.client_id"
                         " WHERE %s ORDER BY %s", where, order_sql (filter->sort));
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  if (!bind_filter (stmt, filter))
    return g_steal_pointer (&ids);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&ids);
}

/**
 * rr_decisions_rows:
 * @ids: (array length=n_ids): decision ids, as from rr_decisions_list_ids ()
 *
 * The list rows of @ids, in the same order; ids that @actor may not see (or
 * that do not exist) are left out.
 *
 * Returns: (transfer full) (element-type RrDecisionRow): the rows
 */
GPtrArray *
rr_decisions_rows (RrStore       *store,
                   const char    *actor,
                   const gint64  *ids,
                   guint          n_ids,
                   GError       **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_decision_row_free);
  g_autoptr(GString) list = g_string_new ("[");
  g_autofree char *visible = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  user = require_reader (store, actor, error);
  if (user == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  g_string_append_c (list, ']');

  visible = visibility_sql (user);
  sql = g_strdup_printf ("SELECT " ROW_COLUMNS " FROM json_each (?1) j"
                         " JOIN decisions d ON d.id = j.value" ROW_JOINS
                         " WHERE %s ORDER BY j.key", visible);
  rc = sqlite3_prepare_v2 (_rr_store_get_db (store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _rr_store_set_error (store, rc, error);
      return NULL;
    }
  _rr_bind_text (stmt, 1, list->str);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rows);
}

void
rr_precedent_free (RrPrecedent *p)
{
  if (p == NULL)
    return;
  g_free (p->number);
  g_free (p->decision_date);
  g_free (p->rule_code);
  g_free (p->client_pseudonym);
  g_free (p->summary);
  g_free (p->reason);
  g_free (p);
}

#define PRECEDENT_COLUMNS \
  "d.id, d.number, d.decision_date, r.code, c.salt, c.uuid, d.summary, d.reason, d.outcome, " \
  EFFECT_SQL
#define PRECEDENT_WHERE \
  " d.team = ?1 AND d.outcome = 'deviated' AND d.status = 'recorded'" \
  " AND d.destroyed_at IS NULL"

static gboolean
collect_precedents (RrStore     *store,
                    const char  *sql,
                    const char  *team,
                    const char  *rule,
                    const char  *query,
                    GHashTable  *seen,
                    GPtrArray   *out,
                    guint        limit,
                    GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, team);
  _rr_bind_text (stmt, 2, rule);
  _rr_bind_text (stmt, 3, query);
  sqlite3_bind_int (stmt, 4, (int) limit + 1);
  while (out->len < limit && (rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      RrPrecedent *p;

      if (g_hash_table_contains (seen, GINT_TO_POINTER (id)))
        continue;
      g_hash_table_add (seen, GINT_TO_POINTER (id));
      p = g_new0 (RrPrecedent, 1);
      p->number = _rr_column_dup (stmt, 1);
      p->decision_date = _rr_column_dup (stmt, 2);
      p->rule_code = _rr_column_dup (stmt, 3);
      p->client_pseudonym = _rr_client_pseudonym ((const char *) sqlite3_column_text (stmt, 4),
                                                  (const char *) sqlite3_column_text (stmt, 5));
      p->summary = _rr_column_dup (stmt, 6);
      p->reason = _rr_column_dup (stmt, 7);
      p->outcome = rr_outcome_from_string ((const char *) sqlite3_column_text (stmt, 8));
      p->effect = rr_effect_from_string ((const char *) sqlite3_column_text (stmt, 9));
      p->same_rule = rule != NULL && g_strcmp0 (p->rule_code, rule) == 0;
      g_ptr_array_add (out, p);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || out->len >= limit;
}

typedef struct {
  RrPrecedent *precedent;
  gint64       id;
  guint        score;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;

  /* More shared words first; among equals, the newer (kept from the
   * query's date order by the stable sort). */
  return (int) cb->score - (int) ca->score;
}

/* The team's latest deviations of @rule, those sharing the most words with
 * @text first; only those sharing at least one word are taken here. */
static gboolean
collect_similar_same_rule (RrStore     *store,
                           const char  *team,
                           const char  *rule,
                           const char  *text,
                           GHashTable  *seen,
                           GPtrArray   *out,
                           guint        limit,
                           GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "SELECT " PRECEDENT_COLUMNS ", d.circumstances,"
                                          " d.explanation FROM decisions d INDEXED BY decisions_rule"
                                          " JOIN rules r ON r.id = d.rule_id"
                                          " JOIN clients c ON c.id = d.client_id"
                                          " WHERE d.rule_id IN (SELECT id FROM rules WHERE code = ?2)"
                                          " AND" PRECEDENT_WHERE
                                          " ORDER BY d.decision_date DESC, d.id DESC LIMIT 300",
                                          error);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autofree char *folded_text = g_utf8_casefold (text, -1);
  g_auto(GStrv) words = g_regex_split_simple ("[^[:alnum:]]+", folded_text, 0, 0);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _rr_bind_text (stmt, 1, team);
  _rr_bind_text (stmt, 2, rule);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *joined = g_strjoin (" ", (const char *) sqlite3_column_text (stmt, 6),
                                           (const char *) sqlite3_column_text (stmt, 10),
                                           (const char *) sqlite3_column_text (stmt, 11), NULL);
      g_autofree char *folded = g_utf8_casefold (joined, -1);
      Candidate c = { NULL, sqlite3_column_int64 (stmt, 0), 0 };

      for (guint i = 0; words[i] != NULL; i++)
        if (g_utf8_strlen (words[i], -1) >= 4 && strstr (folded, words[i]) != NULL)
          c.score++;
      if (c.score == 0)
        continue;
      c.precedent = g_new0 (RrPrecedent, 1);
      c.precedent->number = _rr_column_dup (stmt, 1);
      c.precedent->decision_date = _rr_column_dup (stmt, 2);
      c.precedent->rule_code = _rr_column_dup (stmt, 3);
      c.precedent->client_pseudonym = _rr_client_pseudonym ((const char *) sqlite3_column_text (stmt, 4),
                                                            (const char *) sqlite3_column_text (stmt, 5));
      c.precedent->summary = _rr_column_dup (stmt, 6);
      c.precedent->reason = _rr_column_dup (stmt, 7);
      c.precedent->outcome = rr_outcome_from_string ((const char *) sqlite3_column_text (stmt, 8));
      c.precedent->effect = rr_effect_from_string ((const char *) sqlite3_column_text (stmt, 9));
      c.precedent->same_rule = TRUE;
      g_array_append_val (candidates, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      for (guint i = 0; i < candidates->len; i++)
        rr_precedent_free (g_array_index (candidates, Candidate, i).precedent);
      return FALSE;
    }

  /* g_array_sort is not stable; a merge by insertion keeps date order. */
  for (guint i = 1; i < candidates->len; i++)
    {
      Candidate c = g_array_index (candidates, Candidate, i);
      guint j = i;

      while (j > 0 && compare_candidates (&g_array_index (candidates, Candidate, j - 1), &c) > 0)
        {
          g_array_index (candidates, Candidate, j) = g_array_index (candidates, Candidate, j - 1);
          j--;
        }
      g_array_index (candidates, Candidate, j) = c;
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      if (out->len < limit && !g_hash_table_contains (seen, GINT_TO_POINTER (c->id)))
        {
          g_hash_table_add (seen, GINT_TO_POINTER (c->id));
          g_ptr_array_add (out, g_steal_pointer (&c->precedent));
        }
      else
        g_clear_pointer (&c->precedent, rr_precedent_free);
    }
  return TRUE;
}

GPtrArray *
rr_decisions_precedents (RrStore     *store,
                         const char  *actor,
                         const char  *rule,
                         const char  *text,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_precedent_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree char *query = _rr_fts_query (text, TRUE);
  int rc = SQLITE_OK;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);

  user = require_reader (store, actor, error);
  if (user == NULL)
    return NULL;
  if (limit == 0)
    limit = 10;

  /* Same rule, most similar text first, then the rule's latest, then
   * matching text under other rules, newest first. Ranking by bm25 would
   * rank every match in the whole table (DESIGN §8); a team's deviations of
   * one rule are few enough to compare in full. */
  if (rule != NULL && text != NULL
      && !collect_similar_same_rule (store, user->team, rule, text, seen, out, limit, error))
    return NULL;
  if (rule != NULL
      && !collect_precedents (store,
                              /* The rule index holds a team's deviations of a rule:
                               * a few hundred rows to sort, where the team's date
                               * order would step through the team's every row. */
                              "SELECT " PRECEDENT_COLUMNS " FROM decisions d INDEXED BY decisions_rule"
                              " JOIN rules r ON r.id = d.rule_id JOIN clients c ON c.id = d.client_id"
                              " WHERE d.rule_id IN (SELECT id FROM rules WHERE code = ?2) AND"
                              PRECEDENT_WHERE
                              " ORDER BY d.decision_date DESC LIMIT ?4 + 50",
                              user->team, rule, query, seen, out, limit, error))
    return NULL;
  if (query != NULL
      && !collect_precedents (store,
                              /* The newest matches of the whole organisation,
                               * bounded, then the team's deviations among them:
                               * the cost stays the same at a million rows. */
                              "SELECT " PRECEDENT_COLUMNS " FROM (SELECT rowid AS id FROM"
                              "  decisions_fts WHERE decisions_fts MATCH ?3"
                              "  ORDER BY rowid DESC LIMIT 3000) m"
                              " JOIN decisions d ON d.id = m.id"
                              " JOIN rules r ON r.id = d.rule_id JOIN clients c ON c.id = d.client_id"
                              " WHERE" PRECEDENT_WHERE
                              " AND r.code IS NOT ?2 ORDER BY d.id DESC LIMIT ?4",
                              user->team, rule, query, seen, out, limit, error))
    return NULL;
  (void) rc;
  return g_steal_pointer (&out);
}

/* ----------------------------------------------------------------- drafts */

void
rr_draft_free (RrDraft *draft)
{
  if (draft == NULL)
    return;
  g_free (draft->updated_at);
  g_free (draft->summary);
  g_clear_pointer (&draft->input, rr_decision_input_free);
  g_free (draft);
}

gint64
rr_drafts_save (RrStore                *store,
                const char             *actor,
                gint64                  id,
                const RrDecisionInput  *input,
                GError                **error)
{
  g_autoptr(RrUser) user = NULL;
  g_autofree char *data = NULL;
  g_autofree char *now = rr_timestamp_now ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (RR_IS_STORE (store), 0);

  user = rr_users_require (store, actor, RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER, error);
  if (user == NULL)
    return 0;
  data = rr_decision_input_to_data (input);

  if (id > 0)
    stmt = _rr_store_prepare (store,
                              "UPDATE drafts SET data = ?1, updated_at = ?2"
                              " WHERE id = ?3 AND author_id = ?4", error);
  else
    stmt = _rr_store_prepare (store,
                              "INSERT INTO drafts (data, updated_at, author_id) VALUES (?1, ?2, ?4)",
                              error);
  if (stmt == NULL)
    return 0;
  _rr_bind_text (stmt, 1, data);
  _rr_bind_text (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_int64 (stmt, 4, user->id);
  if (!_rr_step_done (store, stmt, error))
    return 0;
  if (id > 0 && sqlite3_changes (_rr_store_get_db (store)) == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND, _("That draft does not exist any more."));
      return 0;
    }
  return id > 0 ? id : sqlite3_last_insert_rowid (_rr_store_get_db (store));
}

static RrDraft *
draft_from_row (sqlite3_stmt *stmt)
{
  RrDraft *draft = g_new0 (RrDraft, 1);
  const char *data = (const char *) sqlite3_column_text (stmt, 2);

  draft->id = sqlite3_column_int64 (stmt, 0);
  draft->updated_at = _rr_column_dup (stmt, 1);
  draft->input = rr_decision_input_from_data (data != NULL ? data : "", -1, NULL);
  if (draft->input == NULL)
    draft->input = rr_decision_input_new ();
  draft->summary = g_strdup (draft->input->summary);
  return draft;
}

GPtrArray *
rr_drafts_list (RrStore     *store,
                const char  *actor,
                GError     **error)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) rr_draft_free);
  gint64 author = _rr_user_id (store, actor);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rr_store_prepare (store,
                            "SELECT id, updated_at, data FROM drafts WHERE author_id = ?"
                            " ORDER BY updated_at DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, author);
  while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (drafts, draft_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&drafts);
}

RrDraft *
rr_drafts_get (RrStore     *store,
               const char  *actor,
               gint64       id,
               GError     **error)
{
  sqlite3_stmt *stmt;
  RrDraft *draft = NULL;
  int rc;

  stmt = _rr_store_prepare (store,
                            "SELECT id, updated_at, data FROM drafts WHERE id = ? AND author_id = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, _rr_user_id (store, actor));
  rc = _rr_step (store, stmt, error);
  if (rc == SQLITE_ROW)
    draft = draft_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND, _("That draft does not exist any more."));
  sqlite3_reset (stmt);
  return draft;
}

gboolean
rr_drafts_delete (RrStore     *store,
                  const char  *actor,
                  gint64       id,
                  GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "DELETE FROM drafts WHERE id = ? AND author_id = ?",
                                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, _rr_user_id (store, actor));
  return _rr_step_done (store, stmt, error);
}
