/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"

G_BEGIN_DECLS

#define RR_HASH_HEX_LEN 64

/* The canonical text form of a piece of content, as docs/trail-format.md
 * specifies: a tag line, then one "name=value" line per present field. */
typedef struct _RrCanon RrCanon;

RrCanon    *rr_canon_new        (const char *type);
void        rr_canon_add        (RrCanon *canon, const char *name, const char *value);
void        rr_canon_add_int    (RrCanon *canon, const char *name, gint64 value);
void        rr_canon_add_bool   (RrCanon *canon, const char *name, gboolean value);
const char *rr_canon_get_text   (RrCanon *canon);
char       *rr_canon_hash       (RrCanon *canon);
void        rr_canon_free       (RrCanon *canon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrCanon, rr_canon_free)

char       *rr_sha256_hex       (const char *data, gssize length);
char       *rr_uuid_new         (void);

typedef struct {
  gint64  seq;
  char   *uuid;
  char   *at;
  char   *actor;
  char   *action;
  char   *entity_type;
  char   *entity_uuid;
  char   *content_hash;
  char   *prev_hash;
  char   *hash;
} RrEvent;

void        rr_event_free       (RrEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrEvent, rr_event_free)
/* The event hash over its fields (docs/trail-format.md). */
char       *rr_event_compute_hash (const RrEvent *event);

typedef struct {
  gint64  seq;
  char   *hash;
} RrCheckpoint;

void          rr_checkpoint_free  (RrCheckpoint *checkpoint);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrCheckpoint, rr_checkpoint_free)
/* "SEQ:HASH" */
RrCheckpoint *rr_checkpoint_parse  (const char *text, GError **error);
char         *rr_checkpoint_format (const RrCheckpoint *checkpoint);
RrCheckpoint *rr_ledger_checkpoint (RrStore *store, GError **error);

/* (element-type RrEvent) every event about @entity_uuid, oldest first */
GPtrArray    *rr_ledger_events_for (RrStore *store, const char *entity_uuid, GError **error);

typedef struct {
  gboolean ok;
  gint64   n_events;
  gint64   first_bad_seq;  /* 0 when ok */
  char    *problem;        /* translated sentence, NULL when ok */
  RrCheckpoint *head;
} RrVerifyResult;

void rr_verify_result_clear (RrVerifyResult *result);

/* Walks the whole chain: seq without gaps, prev links, every hash, content
 * present against its content hash, every decision against its event, and
 * optionally that the chain extends @kept unchanged. Returns FALSE only
 * when the check could not run (GError); a broken chain is a result. */
gboolean      rr_ledger_verify     (RrStore             *store,
                                    const RrCheckpoint  *kept,
                                    RrVerifyResult      *result,
                                    GCancellable        *cancellable,
                                    GError             **error);

G_END_DECLS
