/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-types"
#include "config.h"

#include <locale.h>
#include <time.h>
#include <stdio.h>
#include <string.h>

/* After a libc header, which defines __GLIBC__. */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n-lib.h>

#include "rr-core.h"

typedef struct {
  int         value;
  const char *code;
  const char *label;   /* N_() marked, translated on use */
} Entry;

static const Entry roles[] = {
  { RR_ROLE_KLANTMANAGER, "klantmanager", N_("Case manager") },
  { RR_ROLE_TEAMLEIDER, "teamleider", N_("Team leader") },
  { RR_ROLE_AUDITOR, "auditor", N_("Auditor") },
  { RR_ROLE_BEHEERDER, "beheerder", N_("Administrator") },
};

static const Entry outcomes[] = {
  { RR_OUTCOME_APPLIED, "applied", N_("Applied") },
  { RR_OUTCOME_DEVIATED, "deviated", N_("Deviated") },
};

static const Entry sanctions[] = {
  { RR_SANCTION_NONE, "none", N_("No sanction") },
  { RR_SANCTION_IMPOSED, "imposed", N_("Sanction imposed") },
  { RR_SANCTION_REFRAINED, "refrained", N_("Refrained from sanction") },
};

static const Entry relevances[] = {
  { RR_RELEVANCE_NONE, "none", N_("Not relevant") },
  { RR_RELEVANCE_SOME, "some", N_("Some weight") },
  { RR_RELEVANCE_DECISIVE, "decisive", N_("Decisive") },
};

static const Entry verdicts[] = {
  { RR_VERDICT_AKKOORD, "akkoord", N_("Approved") },
  { RR_VERDICT_AKKOORD_MET_AANVULLING, "akkoord-met-aanvulling", N_("Approved with addition") },
  { RR_VERDICT_VRAGEN, "vragen", N_("Questions") },
  { RR_VERDICT_NIET_AKKOORD, "niet-akkoord", N_("Not approved") },
};

static const Entry effects[] = {
  { RR_EFFECT_BEREIKT, "bereikt", N_("Effect achieved") },
  { RR_EFFECT_DEELS, "deels", N_("Partly achieved") },
  { RR_EFFECT_NIET, "niet", N_("Not achieved") },
  { RR_EFFECT_ONBEKEND, "onbekend", N_("Unknown") },
};

static const Entry statuses[] = {
  { RR_STATUS_DRAFT, "draft", N_("Draft") },
  { RR_STATUS_RECORDED, "recorded", N_("Recorded") },
  { RR_STATUS_SUPERSEDED, "superseded", N_("Superseded") },
  { RR_STATUS_WITHDRAWN, "withdrawn", N_("Withdrawn") },
};

static const Entry review_states[] = {
  { RR_REVIEW_STATE_NOT_NEEDED, "not-needed", N_("No review needed") },
  { RR_REVIEW_STATE_FOR_INFORMATION, "for-information", N_("For information") },
  { RR_REVIEW_STATE_APPROVAL_NEEDED, "approval-needed", N_("Approval needed") },
  { RR_REVIEW_STATE_REVIEWED, "reviewed", N_("Reviewed") },
};

static const Entry reflection_kinds[] = {
  { RR_REFLECTION_FREE, "free", N_("Reflection") },
  { RR_REFLECTION_HITTEMOMENT, "hittemoment", N_("Heat of the moment") },
  { RR_REFLECTION_INTERVENTIEMOMENT, "interventiemoment", N_("Moment of intervention") },
  { RR_REFLECTION_NAZORGMOMENT, "nazorgmoment", N_("Aftercare moment") },
  { RR_REFLECTION_CASE_STORY, "case-story", N_("Case story") },
};

static const Entry *
find_value (const Entry *entries, gsize n, int value)
{
  for (gsize i = 0; i < n; i++)
    if (entries[i].value == value)
      return &entries[i];
  return NULL;
}

static const Entry *
find_code (const Entry *entries, gsize n, const char *code)
{
  if (code == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (entries[i].code, code))
      return &entries[i];
  return NULL;
}

#define CODE_OF(table, v) \
  ({ const Entry *e_ = find_value (table, G_N_ELEMENTS (table), (v)); e_ ? e_->code : NULL; })
#define LABEL_OF(table, v) \
  ({ const Entry *e_ = find_value (table, G_N_ELEMENTS (table), (v)); e_ ? _(e_->label) : ""; })

const char *rr_role_to_string (RrRoles role) { return CODE_OF (roles, role); }
const char *rr_role_label (RrRoles role) { return LABEL_OF (roles, role); }

gboolean
rr_role_from_string (const char *text, RrRoles *out)
{
  const Entry *e = find_code (roles, G_N_ELEMENTS (roles), text);

  if (e == NULL)
    return FALSE;
  *out = e->value;
  return TRUE;
}

char *
rr_roles_to_string (RrRoles roles_set)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles_set & roles[i].value)
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, roles[i].code);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *rr_outcome_to_string (RrOutcomeKind o) { return CODE_OF (outcomes, o); }
const char *rr_outcome_label (RrOutcomeKind o) { return LABEL_OF (outcomes, o); }

RrOutcomeKind
rr_outcome_from_string (const char *text)
{
  const Entry *e = find_code (outcomes, G_N_ELEMENTS (outcomes), text);
  return e ? e->value : RR_OUTCOME_NONE;
}

const char *rr_sanction_to_string (RrSanction s) { return CODE_OF (sanctions, s); }

gboolean
rr_sanction_from_string (const char *text, RrSanction *out)
{
  const Entry *e = find_code (sanctions, G_N_ELEMENTS (sanctions), text);

  if (e == NULL)
    return FALSE;
  *out = e->value;
  return TRUE;
}

const char *rr_relevance_to_string (RrRelevance r) { return CODE_OF (relevances, r); }

gboolean
rr_relevance_from_string (const char *text, RrRelevance *out)
{
  const Entry *e = find_code (relevances, G_N_ELEMENTS (relevances), text);

  if (e == NULL)
    return FALSE;
  *out = e->value;
  return TRUE;
}

const char *rr_verdict_to_string (RrVerdict v) { return CODE_OF (verdicts, v); }
const char *rr_verdict_label (RrVerdict v) { return LABEL_OF (verdicts, v); }

RrVerdict
rr_verdict_from_string (const char *text)
{
  const Entry *e = find_code (verdicts, G_N_ELEMENTS (verdicts), text);
  return e ? e->value : RR_VERDICT_NONE;
}

const char *rr_effect_to_string (RrEffect e) { return CODE_OF (effects, e); }
const char *rr_effect_label (RrEffect e) { return LABEL_OF (effects, e); }

RrEffect
rr_effect_from_string (const char *text)
{
  const Entry *e = find_code (effects, G_N_ELEMENTS (effects), text);
  return e ? e->value : RR_EFFECT_NONE;
}

const char *rr_status_to_string (RrStatus s) { return CODE_OF (statuses, s); }
const char *rr_status_label (RrStatus s) { return LABEL_OF (statuses, s); }

RrStatus
rr_status_from_string (const char *text)
{
  const Entry *e = find_code (statuses, G_N_ELEMENTS (statuses), text);
  return e ? e->value : RR_STATUS_DRAFT;
}

const char *rr_review_state_label (RrReviewState s) { return LABEL_OF (review_states, s); }

const char *rr_reflection_kind_to_string (RrReflectionKind k) { return CODE_OF (reflection_kinds, k); }
const char *rr_reflection_kind_label (RrReflectionKind k) { return LABEL_OF (reflection_kinds, k); }

gboolean
rr_reflection_kind_from_string (const char *text, RrReflectionKind *out)
{
  const Entry *e = find_code (reflection_kinds, G_N_ELEMENTS (reflection_kinds), text);

  if (e == NULL)
    return FALSE;
  *out = e->value;
  return TRUE;
}

gboolean
rr_date_is_valid (const char *text)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  return y >= 1900 && y <= 2999 && g_date_valid_dmy (d, m, y);
}

char *
rr_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

char *
rr_date_add_months (const char *date, int months)
{
  int y, m, d;
  GDate gdate;
  char buf[16];

  g_return_val_if_fail (rr_date_is_valid (date), NULL);

  sscanf (date, "%4d-%2d-%2d", &y, &m, &d);
  g_date_clear (&gdate, 1);
  g_date_set_dmy (&gdate, d, m, y);
  if (months >= 0)
    g_date_add_months (&gdate, months);
  else
    g_date_subtract_months (&gdate, -months);
  g_snprintf (buf, sizeof buf, "%04d-%02d-%02d",
              g_date_get_year (&gdate), g_date_get_month (&gdate), g_date_get_day (&gdate));
  return g_strdup (buf);
}

/* Formatting through GDateTime costs more than the rest of recording an
 * event; the clock and gmtime_r give the same text. */
char *
rr_timestamp_now (void)
{
  struct timespec ts;
  struct tm tm;
  char buf[40];

  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  g_snprintf (buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
              (long) (ts.tv_nsec / 1000));
  return g_strdup (buf);
}

/* A program run from the build tree (build/src/app, build/src/cli) finds the
 * compiled translations in build/po rather than installed ones. */
static char *
build_tree_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *po = NULL;
  g_autofree char *mo = NULL;

  if (exe == NULL)
    return NULL;
  dir = g_path_get_dirname (exe);
  po = g_build_filename (dir, "..", "..", "po", NULL);
  mo = g_build_filename (po, "nl", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&po);
}

/**
 * rr_core_init_memory:
 *
 * Keeps large temporary buffers out of the heap. glibc serves a large
 * allocation with its own mapping and unmaps it when it is freed, but after
 * the first such free it raises that threshold (up to 32 MB) and serves the
 * next ones from the heap, which cannot give them back. SQLite's full-text
 * doclists and sort buffers grow with the database: in a 30-minute soak
 * resident memory beyond the page caches rose from 2 MB to 58 MB with the
 * moving threshold, and levelled off at about 28 MB with it fixed. Call once,
 * first thing in main ().
 */
void
rr_core_init_memory (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

void
rr_core_init_i18n (void)
{
  const char *dir = g_getenv ("RR_LOCALEDIR");
  g_autofree char *build_dir = NULL;

  if (dir == NULL || *dir == '\0')
    dir = build_dir = build_tree_locale_dir ();
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}
