/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"
#include "rr-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *uuid;
  char   *code;
  int     version;
  char   *title;
  char   *source_kind;   /* wet, amvb, verordening, beleidsregel, werkinstructie, teamafspraak */
  char   *reference;     /* Juriconnect or CVDR id */
  char   *article;       /* article/lid, human-readable */
  char   *text;
  char   *goal;
  char   *valid_from;
  char   *valid_to;      /* NULL while in force */
  int     retention_years; /* 0: the configured default */
  gboolean example;      /* part of the starter catalogue, to adapt */
} RrRule;

RrRule    *rr_rule_new              (void);
void       rr_rule_free             (RrRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrRule, rr_rule_free)

gboolean   rr_rule_source_kind_is_valid (const char *kind);
const char *rr_rule_source_kind_label (const char *kind);

/* The newest version of every rule, or every version. (element-type RrRule) */
GPtrArray *rr_rules_list            (RrStore     *store,
                                     gboolean     all_versions,
                                     GError     **error);
GPtrArray *rr_rules_versions        (RrStore     *store,
                                     const char  *code,
                                     GError     **error);
/* The version of @code in force on @date (YYYY-MM-DD). */
RrRule    *rr_rules_in_force        (RrStore     *store,
                                     const char  *code,
                                     const char  *date,
                                     GError     **error);
/* Type-ahead on code or title among rules in force on @date. */
GPtrArray *rr_rules_search          (RrStore     *store,
                                     const char  *text,
                                     const char  *date,
                                     guint        limit,
                                     GError     **error);
/* Adds a rule, or a new version of it (@rule->version 0: the next one; the
 * previous version's valid_to is closed the day before). Beheerder only. */
gboolean   rr_rules_add             (RrStore     *store,
                                     const char  *actor,
                                     RrRule      *rule,
                                     GError     **error);

/* Catalogue XML (resources/schema/catalogue.xsd). Importing is beheerder
 * work; versions already present unchanged are skipped, differing ones are
 * refused. */
gboolean   rr_catalogue_import_bytes (RrStore    *store,
                                      const char *actor,
                                      GBytes     *bytes,
                                      guint      *n_added,
                                      GError    **error);
gboolean   rr_catalogue_import_file  (RrStore    *store,
                                      const char *actor,
                                      const char *path,
                                      guint      *n_added,
                                      GError    **error);
gboolean   rr_catalogue_export_file  (RrStore    *store,
                                      const char *path,
                                      GError    **error);
/* Parses and validates without touching a store: (element-type RrRule) */
GPtrArray *rr_catalogue_parse        (GBytes     *bytes,
                                      GError    **error);
GBytes    *rr_catalogue_starter      (void);

/* Discretion kinds, kader domains and deviation reasons. */
typedef struct {
  char *code;
  char *label;
  gboolean builtin;
} RrTerm;

void       rr_term_free             (RrTerm *term);
GPtrArray *rr_vocab_list            (RrStore     *store,
                                     RrVocab      vocab,
                                     GError     **error);
gboolean   rr_vocab_contains        (RrStore     *store,
                                     RrVocab      vocab,
                                     const char  *code);
char      *rr_vocab_label           (RrStore     *store,
                                     RrVocab      vocab,
                                     const char  *code);
gboolean   rr_vocab_add             (RrStore     *store,
                                     const char  *actor,
                                     RrVocab      vocab,
                                     const char  *code,
                                     const char  *label,
                                     GError     **error);
/* A new label for a term; the code, which decisions keep, stays. Beheerder only. */
gboolean   rr_vocab_rename          (RrStore     *store,
                                     const char  *actor,
                                     RrVocab      vocab,
                                     const char  *code,
                                     const char  *label,
                                     GError     **error);

typedef struct {
  RrRoles  role;
  char    *kind;
  gboolean alone;            /* decide alone, or teamleider approval needed */
  gint64   max_amount_cents; /* -1: no amount limit */
} RrMandate;

void       rr_mandate_free          (RrMandate *mandate);
GPtrArray *rr_mandate_list          (RrStore     *store,
                                     GError     **error);
gboolean   rr_mandate_set           (RrStore     *store,
                                     const char  *actor,
                                     RrRoles      role,
                                     const char  *kind,
                                     gboolean     alone,
                                     gint64       max_amount_cents,
                                     GError     **error);

G_END_DECLS
