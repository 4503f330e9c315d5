/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-schema"
#include "config.h"

#include "rr-schema.h"

/* Version 1: the whole domain. Recorded decisions, reviews, outcomes, rule
 * versions and ledger events are protected by triggers; drafts, reflections
 * and advice requests are working data outside the ledger. */
static const char migration_1[] =
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") STRICT;"

  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  login TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  team TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  created_at TEXT NOT NULL"
  ") STRICT;"

  "CREATE TABLE user_roles ("
  "  user_id INTEGER NOT NULL REFERENCES users (id),"
  "  role TEXT NOT NULL CHECK (role IN ('klantmanager', 'teamleider', 'auditor', 'beheerder')),"
  "  PRIMARY KEY (user_id, role)"
  ") STRICT, WITHOUT ROWID;"

  "CREATE TABLE clients ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  dossier TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  bsn TEXT CHECK (bsn IS NULL OR length (bsn) = 9),"
  "  salt TEXT NOT NULL,"
  "  owner_id INTEGER NOT NULL REFERENCES users (id),"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  opened TEXT NOT NULL,"
  "  closed TEXT"
  ") STRICT;"
  "CREATE INDEX clients_owner ON clients (owner_id, active);"
  "CREATE INDEX clients_name ON clients (name COLLATE NOCASE);"

  "CREATE TABLE rules ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  code TEXT NOT NULL,"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  title TEXT NOT NULL,"
  "  source_kind TEXT NOT NULL,"
  "  reference TEXT,"
  "  article TEXT,"
  "  text TEXT,"
  "  goal TEXT,"
  "  valid_from TEXT NOT NULL,"
  "  valid_to TEXT,"
  "  retention_years INTEGER NOT NULL DEFAULT 0 CHECK (retention_years >= 0),"
  "  example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),"
  "  UNIQUE (code, version)"
  ") STRICT;"
  /* A rule version is fixed once added; only its end date may be set, once. */
  "CREATE TRIGGER rules_no_update BEFORE UPDATE ON rules"
  " WHEN NOT (OLD.valid_to IS NULL AND NEW.valid_to IS NOT NULL"
  "   AND NEW.id IS OLD.id AND NEW.uuid IS OLD.uuid AND NEW.code IS OLD.code"
  "   AND NEW.version IS OLD.version AND NEW.title IS OLD.title"
  "   AND NEW.source_kind IS OLD.source_kind AND NEW.reference IS OLD.reference"
  "   AND NEW.article IS OLD.article AND NEW.text IS OLD.text AND NEW.goal IS OLD.goal"
  "   AND NEW.valid_from IS OLD.valid_from AND NEW.retention_years IS OLD.retention_years"
  "   AND NEW.example IS OLD.example)"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (rules_no_update)'); END;"
  "CREATE TRIGGER rules_no_delete BEFORE DELETE ON rules"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (rules_no_delete)'); END;"

  "CREATE TABLE vocab ("
  "  vocab TEXT NOT NULL CHECK (vocab IN ('kind', 'domain', 'reason')),"
  "  code TEXT NOT NULL,"
  "  label TEXT,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (vocab, code)"
  ") STRICT;"

  "CREATE TABLE mandate ("
  "  role TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  alone INTEGER NOT NULL CHECK (alone IN (0, 1)),"
  "  max_amount_cents INTEGER,"
  "  PRIMARY KEY (role, kind)"
  ") STRICT;"

  "CREATE TABLE counters ("
  "  year INTEGER PRIMARY KEY,"
  "  last INTEGER NOT NULL"
  ") STRICT;"

  "CREATE TABLE decisions ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  number TEXT NOT NULL,"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  supersedes_id INTEGER REFERENCES decisions (id),"
  "  status TEXT NOT NULL CHECK (status IN ('recorded', 'superseded', 'withdrawn')),"
  "  client_id INTEGER NOT NULL REFERENCES clients (id),"
  "  author_id INTEGER NOT NULL REFERENCES users (id),"
  "  team TEXT NOT NULL,"
  "  decision_date TEXT NOT NULL,"
  "  recorded_at TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  rule_id INTEGER NOT NULL REFERENCES rules (id),"
  "  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'deviated')),"
  "  summary TEXT,"
  "  circumstances TEXT,"
  "  explanation TEXT,"
  "  reason TEXT,"
  "  principles TEXT,"
  "  knowledge TEXT,"
  "  experiences TEXT,"
  "  alternatives TEXT,"
  "  client_view TEXT,"
  "  client_agrees INTEGER CHECK (client_agrees IS NULL OR client_agrees IN (0, 1)),"
  "  rights_explained TEXT,"
  "  stakeholders TEXT,"
  "  risk TEXT,"
  "  amount_cents INTEGER,"
  "  sanction TEXT NOT NULL DEFAULT 'none' CHECK (sanction IN ('none', 'imposed', 'refrained')),"
  "  contact_date TEXT,"
  "  weighings TEXT,"
  "  within_mandate INTEGER NOT NULL CHECK (within_mandate IN (0, 1)),"
  "  needs_review INTEGER NOT NULL CHECK (needs_review IN (0, 1, 2)),"
  "  follow_up TEXT,"
  "  retention_until TEXT NOT NULL,"
  "  content_hash TEXT NOT NULL,"
  "  destroyed_at TEXT,"
  "  UNIQUE (number, version),"
  "  CHECK (destroyed_at IS NOT NULL OR summary IS NOT NULL),"
  "  CHECK (destroyed_at IS NOT NULL OR outcome = 'applied'"
  "         OR (circumstances IS NOT NULL AND explanation IS NOT NULL AND reason IS NOT NULL))"
  ") STRICT;"
  "CREATE INDEX decisions_author ON decisions (author_id, status, decision_date);"
  "CREATE INDEX decisions_team ON decisions (team, decision_date, id, status);"
  /* Precedents: a rule's deviations in a team, newest first, unsorted. */
  "CREATE INDEX decisions_rule ON decisions (rule_id, team, outcome, status, decision_date);"
  "CREATE INDEX decisions_client ON decisions (client_id, decision_date);"
  /* Covers the log's order and its usual filters, so that paging skips
   * rows in the index alone. */
  "CREATE INDEX decisions_by_date ON decisions (decision_date, id, status, team, author_id);"
  "CREATE INDEX decisions_follow_up ON decisions (status, follow_up);"
  /* A recorded decision changes in two ways only: its status moves on
   * (superseded, withdrawn) with nothing else touched, or its content is
   * destroyed after the retention period with its identity and hash kept. */
  "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
  " WHEN NOT ("
  "   NEW.id IS OLD.id AND NEW.uuid IS OLD.uuid AND NEW.number IS OLD.number"
  "   AND NEW.version IS OLD.version AND NEW.supersedes_id IS OLD.supersedes_id"
  "   AND NEW.client_id IS OLD.client_id AND NEW.author_id IS OLD.author_id"
  "   AND NEW.team IS OLD.team AND NEW.decision_date IS OLD.decision_date"
  "   AND NEW.recorded_at IS OLD.recorded_at AND NEW.kind IS OLD.kind"
  "   AND NEW.rule_id IS OLD.rule_id AND NEW.outcome IS OLD.outcome"
  "   AND NEW.within_mandate IS OLD.within_mandate AND NEW.needs_review IS OLD.needs_review"
  "   AND NEW.follow_up IS OLD.follow_up AND NEW.retention_until IS OLD.retention_until"
  "   AND NEW.content_hash IS OLD.content_hash AND NEW.sanction IS OLD.sanction"
  "   AND NEW.amount_cents IS OLD.amount_cents AND NEW.contact_date IS OLD.contact_date"
  "   AND NEW.client_agrees IS OLD.client_agrees AND NEW.rights_explained IS OLD.rights_explained"
  "   AND ((OLD.status = 'recorded' AND NEW.status IN ('superseded', 'withdrawn')"
  "         AND NEW.destroyed_at IS OLD.destroyed_at"
  "         AND NEW.summary IS OLD.summary AND NEW.circumstances IS OLD.circumstances"
  "         AND NEW.explanation IS OLD.explanation AND NEW.reason IS OLD.reason"
  "         AND NEW.principles IS OLD.principles AND NEW.knowledge IS OLD.knowledge"
  "         AND NEW.experiences IS OLD.experiences AND NEW.alternatives IS OLD.alternatives"
  "         AND NEW.client_view IS OLD.client_view AND NEW.stakeholders IS OLD.stakeholders"
  "         AND NEW.risk IS OLD.risk AND NEW.weighings IS OLD.weighings)"
  "     OR (OLD.destroyed_at IS NULL AND NEW.destroyed_at IS NOT NULL"
  "         AND NEW.status IS OLD.status"
  "         AND NEW.summary IS NULL AND NEW.circumstances IS NULL"
  "         AND NEW.explanation IS NULL AND NEW.reason IS NULL"
  "         AND NEW.principles IS NULL AND NEW.knowledge IS NULL"
  "         AND NEW.experiences IS NULL AND NEW.alternatives IS NULL"
  "         AND NEW.client_view IS NULL AND NEW.stakeholders IS NULL"
  "         AND NEW.risk IS NULL AND NEW.weighings IS NULL)))"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (decisions_no_update)'); END;"
  "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (decisions_no_delete)'); END;"

  /* Kept in step by the core, not by triggers: with trusted_schema off a
   * trigger may not write to a virtual table. */
  "CREATE VIRTUAL TABLE decisions_fts USING fts5 ("
  "  summary, circumstances, explanation,"
  "  content = 'decisions', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TABLE withdrawals ("
  "  decision_id INTEGER PRIMARY KEY REFERENCES decisions (id),"
  "  reason TEXT NOT NULL,"
  "  actor_id INTEGER NOT NULL REFERENCES users (id),"
  "  at TEXT NOT NULL"
  ") STRICT;"
  "CREATE TRIGGER withdrawals_no_update BEFORE UPDATE ON withdrawals"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (withdrawals_no_update)'); END;"

  "CREATE TABLE reviews ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  decision_id INTEGER NOT NULL REFERENCES decisions (id),"
  "  reviewer_id INTEGER NOT NULL REFERENCES users (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('advice', 'teamleider')),"
  "  verdict TEXT CHECK (verdict IS NULL OR verdict IN"
  "    ('akkoord', 'akkoord-met-aanvulling', 'vragen', 'niet-akkoord')),"
  "  text TEXT,"
  "  created_at TEXT NOT NULL,"
  "  destroyed_at TEXT,"
  "  CHECK ((kind = 'advice') = (verdict IS NULL))"
  ") STRICT;"
  "CREATE INDEX reviews_decision ON reviews (decision_id, kind);"
  "CREATE INDEX reviews_reviewer ON reviews (reviewer_id);"
  "CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews"
  " WHEN NOT (OLD.destroyed_at IS NULL AND NEW.destroyed_at IS NOT NULL"
  "   AND NEW.text IS NULL AND NEW.id IS OLD.id AND NEW.uuid IS OLD.uuid"
  "   AND NEW.decision_id IS OLD.decision_id AND NEW.reviewer_id IS OLD.reviewer_id"
  "   AND NEW.kind IS OLD.kind AND NEW.verdict IS OLD.verdict"
  "   AND NEW.created_at IS OLD.created_at)"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (reviews_no_update)'); END;"
  "CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (reviews_no_delete)'); END;"

  "CREATE TABLE advice_requests ("
  "  id INTEGER PRIMARY KEY,"
  "  decision_id INTEGER NOT NULL REFERENCES decisions (id),"
  "  requested_by INTEGER NOT NULL REFERENCES users (id),"
  "  requested_of INTEGER NOT NULL REFERENCES users (id),"
  "  question TEXT,"
  "  created_at TEXT NOT NULL,"
  "  answered INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1))"
  ") STRICT;"
  "CREATE INDEX advice_requests_of ON advice_requests (requested_of, answered);"

  "CREATE TABLE outcomes ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  number TEXT NOT NULL,"
  "  decision_id INTEGER NOT NULL REFERENCES decisions (id),"
  "  author_id INTEGER NOT NULL REFERENCES users (id),"
  "  effect TEXT NOT NULL CHECK (effect IN ('bereikt', 'deels', 'niet', 'onbekend')),"
  "  note TEXT,"
  "  recorded_at TEXT NOT NULL,"
  "  destroyed_at TEXT"
  ") STRICT;"
  "CREATE INDEX outcomes_number ON outcomes (number);"
  "CREATE TRIGGER outcomes_no_update BEFORE UPDATE ON outcomes"
  " WHEN NOT (OLD.destroyed_at IS NULL AND NEW.destroyed_at IS NOT NULL"
  "   AND NEW.note IS NULL AND NEW.id IS OLD.id AND NEW.uuid IS OLD.uuid"
  "   AND NEW.number IS OLD.number AND NEW.decision_id IS OLD.decision_id"
  "   AND NEW.author_id IS OLD.author_id AND NEW.effect IS OLD.effect"
  "   AND NEW.recorded_at IS OLD.recorded_at)"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (outcomes_no_update)'); END;"
  "CREATE TRIGGER outcomes_no_delete BEFORE DELETE ON outcomes"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (outcomes_no_delete)'); END;"

  "CREATE TABLE drafts ("
  "  id INTEGER PRIMARY KEY,"
  "  author_id INTEGER NOT NULL REFERENCES users (id),"
  "  updated_at TEXT NOT NULL,"
  "  data TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX drafts_author ON drafts (author_id);"

  "CREATE TABLE reflections ("
  "  id INTEGER PRIMARY KEY,"
  "  author_id INTEGER NOT NULL REFERENCES users (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('free', 'hittemoment', 'interventiemoment',"
  "    'nazorgmoment', 'case-story')),"
  "  shared INTEGER NOT NULL CHECK (shared IN (0, 1)),"
  "  number TEXT,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX reflections_author ON reflections (author_id);"

  "CREATE TABLE signals ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  rule_code TEXT NOT NULL,"
  "  author_id INTEGER NOT NULL REFERENCES users (id),"
  "  chafes TEXT NOT NULL,"
  "  proposal TEXT,"
  "  created_at TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE signal_decisions ("
  "  signal_id INTEGER NOT NULL REFERENCES signals (id),"
  "  number TEXT NOT NULL,"
  "  PRIMARY KEY (signal_id, number)"
  ") STRICT, WITHOUT ROWID;"

  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  entity_type TEXT NOT NULL,"
  "  entity_uuid TEXT NOT NULL,"
  "  content_hash TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX events_entity ON events (entity_uuid);"
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (events_no_update)'); END;"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (events_no_delete)'); END;"
  /* INSERT OR REPLACE deletes the old row without firing delete triggers
   * unless recursive triggers are on. Our connections turn them on, which
   * protects every table; the ledger itself also refuses it from any
   * connection, before it gets that far. (NEW.rowid is undefined in a
   * BEFORE INSERT trigger, so only the explicit keys are compared.) */
  "CREATE TRIGGER events_no_replace BEFORE INSERT ON events"
  " WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq OR uuid = NEW.uuid)"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (events_no_replace)'); END;"

  /* The canonical text of content that has no row of its own to recompute
   * it from (users, clients, rules, settings, withdrawals…). It may be
   * deleted only by destruction; never changed. */
  "CREATE TABLE event_content ("
  "  seq INTEGER PRIMARY KEY REFERENCES events (seq),"
  "  canonical TEXT NOT NULL"
  ") STRICT;"
  "CREATE TRIGGER event_content_no_update BEFORE UPDATE ON event_content"
  " BEGIN SELECT RAISE (ABORT, 'regelruimte: immutable (event_content_no_update)'); END;";

/* Version 2: the reports (rr-report.c). Every report aggregates the current
 * decisions of a period; this index holds every column they group or count
 * by, so a report reads the index alone instead of a million full rows
 * (DESIGN §8: any report within a second). */
static const char migration_2[] =
  "CREATE INDEX decisions_report ON decisions (status, decision_date, team, rule_id, kind,"
  "  outcome, author_id, reason, sanction, contact_date, within_mandate, needs_review,"
  "  follow_up, number, recorded_at);";

/* Version 3: a summary for the reports (rr-report.c), so that a report over
 * a million decisions reads thousands of counted rows instead of a million
 * decisions and their reviews and outcomes (DESIGN §8, §9).
 *
 * report_facts holds, per current decision (status 'recorded'), what the
 * reports group and count by, with its latest outcome and teamleider
 * verdict worked out. Three count tables sum those facts per month
 * (level 0, period 'YYYY-MM') and per year (level 1, period 'YYYY'): a
 * report takes whole years and months from them and only the days at
 * either end of its period from report_facts. Text columns hold '' for
 * "none", never NULL, so that a missing value is a key like any other.
 *
 * Triggers keep all of it in the same transaction as the ledger writes.
 * Each asks rr_bulk_loading (), a function every connection registers
 * (rr-store.c): a bulk load (the demo generator) turns it on, skips the
 * triggers and rebuilds once at the end (rr_schema_report_rebuild). */

/* The facts of the decisions that @where selects. */
#define REPORT_FACTS_SELECT(where) \
  "SELECT d.id, d.team, d.author_id, d.decision_date, d.follow_up, d.rule_id, d.kind, d.outcome," \
  " coalesce (d.reason, ''), d.sanction," \
  " d.contact_date IS NOT NULL AND d.contact_date <= d.decision_date," \
  " d.within_mandate, d.needs_review = 2," \
  " coalesce ((SELECT o.effect FROM outcomes o WHERE o.number = d.number" \
  "   ORDER BY o.id DESC LIMIT 1), '')," \
  " coalesce ((SELECT rv.verdict FROM reviews rv WHERE rv.decision_id = d.id" \
  "   AND rv.kind = 'teamleider' ORDER BY rv.id DESC LIMIT 1), '')," \
  " coalesce ((SELECT CAST (round ((julianday (min (rv.created_at)) - julianday (d.recorded_at))" \
  "   * 86400000) AS INTEGER) FROM reviews rv WHERE rv.decision_id = d.id" \
  "   AND rv.kind = 'teamleider'), 0)," \
  " EXISTS (SELECT 1 FROM reviews rv WHERE rv.decision_id = d.id AND rv.kind = 'advice')" \
  " FROM decisions d WHERE " where

#define REPORT_FACTS_COLUMNS \
  "(decision_id, team, author_id, decision_date, follow_up, rule_id, kind, outcome, reason," \
  " sanction, contact, within_mandate, approval, effect, verdict, days_ms, advised)"

#define REPORT_LEVELS "(SELECT 0 AS level UNION ALL SELECT 1) l"
#define REPORT_PERIOD(R) "substr (" R ".decision_date, 1, 7 - 3 * l.level)"

/* Per rule: precedents, consistency, bottlenecks. The effect only of a
 * deviation, as the reports use it. */
#define REPORT_RULE_KEY \
  "level, period, team, rule_id, kind, outcome, reason, effect"
#define REPORT_RULE_VALUES(R) \
  R ".team, " R ".rule_id, " R ".kind, " R ".outcome, " R ".reason," \
  " CASE WHEN " R ".outcome = 'deviated' THEN " R ".effect ELSE '' END"
#define REPORT_RULE_ADD(R, SIGN) \
  "INSERT INTO report_rule_counts (" REPORT_RULE_KEY ", n)" \
  " SELECT l.level, " REPORT_PERIOD (R) ", " REPORT_RULE_VALUES (R) ", " SIGN \
  " FROM " REPORT_LEVELS " WHERE true" \
  " ON CONFLICT (" REPORT_RULE_KEY ") DO UPDATE SET n = n + excluded.n;"
#define REPORT_RULE_PRUNE(R) \
  "DELETE FROM report_rule_counts WHERE n = 0 AND level IN (0, 1)" \
  " AND period IN (substr (" R ".decision_date, 1, 7), substr (" R ".decision_date, 1, 4))" \
  " AND team = " R ".team AND rule_id = " R ".rule_id AND kind = " R ".kind" \
  " AND outcome = " R ".outcome AND reason = " R ".reason" \
  " AND effect = CASE WHEN " R ".outcome = 'deviated' THEN " R ".effect ELSE '' END;"

/* The state of each decision: follow-up, review, sanction, mandate. A
 * column that only one report reads is kept only where it reads it (the
 * kind outside the mandate, the verdict of a deviation or a decision
 * outside the mandate…), which keeps the table small. */
#define REPORT_STATE_KEY \
  "level, period, team, outcome, effect, dated, sanction, contact, within_mandate," \
  " mandate_kind, approval, verdict, advised"
#define REPORT_STATE_VALUES(R) \
  R ".team, " R ".outcome, " R ".effect, " R ".follow_up IS NOT NULL, " R ".sanction," \
  " CASE WHEN " R ".sanction <> 'none' THEN " R ".contact ELSE 0 END, " R ".within_mandate," \
  " CASE WHEN " R ".within_mandate = 0 THEN " R ".kind ELSE '' END," \
  " CASE WHEN " R ".outcome = 'deviated' THEN " R ".approval ELSE 0 END," \
  " CASE WHEN " R ".outcome = 'deviated' OR " R ".within_mandate = 0 THEN " R ".verdict ELSE '' END," \
  " CASE WHEN " R ".outcome = 'deviated' THEN " R ".advised ELSE 0 END"
#define REPORT_STATE_DAYS(R) \
  "CASE WHEN " R ".outcome = 'deviated' THEN " R ".days_ms ELSE 0 END"
#define REPORT_STATE_ADD(R, SIGN) \
  "INSERT INTO report_state_counts (" REPORT_STATE_KEY ", n, days_ms)" \
  " SELECT l.level, " REPORT_PERIOD (R) ", " REPORT_STATE_VALUES (R) ", " SIGN "," \
  " " SIGN " * " REPORT_STATE_DAYS (R) " FROM " REPORT_LEVELS " WHERE true" \
  " ON CONFLICT (" REPORT_STATE_KEY ") DO UPDATE SET n = n + excluded.n," \
  " days_ms = days_ms + excluded.days_ms;"
#define REPORT_STATE_PRUNE(R) \
  "DELETE FROM report_state_counts WHERE n = 0 AND level IN (0, 1)" \
  " AND period IN (substr (" R ".decision_date, 1, 7), substr (" R ".decision_date, 1, 4))" \
  " AND team = " R ".team AND outcome = " R ".outcome AND effect = " R ".effect" \
  " AND sanction = " R ".sanction;"

/* Per author: caseload. open: no outcome yet, with a follow-up date. */
#define REPORT_AUTHOR_KEY "level, period, author_id, team, outcome, open"
#define REPORT_AUTHOR_VALUES(R) \
  R ".author_id, " R ".team, " R ".outcome, " R ".effect = '' AND " R ".follow_up IS NOT NULL"
#define REPORT_AUTHOR_ADD(R, SIGN) \
  "INSERT INTO report_author_counts (" REPORT_AUTHOR_KEY ", n)" \
  " SELECT l.level, " REPORT_PERIOD (R) ", " REPORT_AUTHOR_VALUES (R) ", " SIGN \
  " FROM " REPORT_LEVELS " WHERE true" \
  " ON CONFLICT (" REPORT_AUTHOR_KEY ") DO UPDATE SET n = n + excluded.n;"
#define REPORT_AUTHOR_PRUNE(R) \
  "DELETE FROM report_author_counts WHERE n = 0 AND level IN (0, 1)" \
  " AND period IN (substr (" R ".decision_date, 1, 7), substr (" R ".decision_date, 1, 4))" \
  " AND author_id = " R ".author_id;"

/* Everything from the decisions, reviews and outcomes as they are: the
 * months from the facts, then the years from the months (half the
 * sorting of grouping the facts twice). */
#define REPORT_COUNTS_DELETE_V3 \
  "DELETE FROM report_rule_counts;" \
  "DELETE FROM report_state_counts;" \
  "DELETE FROM report_author_counts;"
#define REPORT_REBUILD_V3 \
  "DELETE FROM report_facts;" \
  REPORT_COUNTS_DELETE_V3 \
  "INSERT INTO report_facts " REPORT_FACTS_COLUMNS \
  " " REPORT_FACTS_SELECT ("d.status = 'recorded'") ";" \
  REPORT_COUNTS_INSERT_V3
#define REPORT_RULE_MONTHS_V3 \
  "INSERT INTO report_rule_counts (" REPORT_RULE_KEY ", n)" \
  " SELECT 0, substr (f.decision_date, 1, 7), " REPORT_RULE_VALUES ("f") ", count (*)" \
  " FROM report_facts f GROUP BY 2, 3, 4, 5, 6, 7, 8;"
#define REPORT_RULE_YEARS_V3 \
  "INSERT INTO report_rule_counts (" REPORT_RULE_KEY ", n)" \
  " SELECT 1, substr (period, 1, 4), team, rule_id, kind, outcome, reason, effect, sum (n)" \
  " FROM report_rule_counts WHERE level = 0 GROUP BY 2, 3, 4, 5, 6, 7, 8;"
#define REPORT_STATE_MONTHS_V3 \
  "INSERT INTO report_state_counts (" REPORT_STATE_KEY ", n, days_ms)" \
  " SELECT 0, substr (f.decision_date, 1, 7), " REPORT_STATE_VALUES ("f") ", count (*)," \
  " sum (" REPORT_STATE_DAYS ("f") ")" \
  " FROM report_facts f GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;"
#define REPORT_STATE_YEARS_V3 \
  "INSERT INTO report_state_counts (" REPORT_STATE_KEY ", n, days_ms)" \
  " SELECT 1, substr (period, 1, 4), team, outcome, effect, dated, sanction, contact," \
  " within_mandate, mandate_kind, approval, verdict, advised, sum (n), sum (days_ms)" \
  " FROM report_state_counts WHERE level = 0 GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;"
#define REPORT_AUTHOR_MONTHS_V3 \
  "INSERT INTO report_author_counts (" REPORT_AUTHOR_KEY ", n)" \
  " SELECT 0, substr (f.decision_date, 1, 7), " REPORT_AUTHOR_VALUES ("f") ", count (*)" \
  " FROM report_facts f GROUP BY 2, 3, 4, 5, 6;"
#define REPORT_AUTHOR_YEARS_V3 \
  "INSERT INTO report_author_counts (" REPORT_AUTHOR_KEY ", n)" \
  " SELECT 1, substr (period, 1, 4), author_id, team, outcome, open, sum (n)" \
  " FROM report_author_counts WHERE level = 0 GROUP BY 2, 3, 4, 5, 6;"
#define REPORT_COUNTS_INSERT_V3 \
  REPORT_RULE_MONTHS_V3 REPORT_RULE_YEARS_V3 \
  REPORT_STATE_MONTHS_V3 REPORT_STATE_YEARS_V3 \
  REPORT_AUTHOR_MONTHS_V3 REPORT_AUTHOR_YEARS_V3

static const char migration_3[] =
  "CREATE TABLE report_facts ("
  "  decision_id INTEGER PRIMARY KEY,"
  "  team TEXT NOT NULL,"
  "  author_id INTEGER NOT NULL,"
  "  decision_date TEXT NOT NULL,"
  "  follow_up TEXT,"
  "  rule_id INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  sanction TEXT NOT NULL,"
  "  contact INTEGER NOT NULL,"
  "  within_mandate INTEGER NOT NULL,"
  "  approval INTEGER NOT NULL,"
  "  effect TEXT NOT NULL,"
  "  verdict TEXT NOT NULL,"
  "  days_ms INTEGER NOT NULL,"
  "  advised INTEGER NOT NULL"
  ") STRICT;"
  /* Read by id, through the decisions' own indexes on date and team, so
   * that a rebuild keeps only this index up: follow-ups without an outcome
   * by date, as those still to come are few whatever the period (due soon,
   * later; the rest is overdue). */
  "CREATE INDEX report_facts_due ON report_facts (follow_up) WHERE effect = '';"

  "CREATE TABLE report_rule_counts ("
  "  level INTEGER NOT NULL, period TEXT NOT NULL, team TEXT NOT NULL,"
  "  rule_id INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL,"
  "  reason TEXT NOT NULL, effect TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (" REPORT_RULE_KEY ")"
  ") STRICT, WITHOUT ROWID;"
  "CREATE TABLE report_state_counts ("
  "  level INTEGER NOT NULL, period TEXT NOT NULL, team TEXT NOT NULL,"
  "  outcome TEXT NOT NULL, effect TEXT NOT NULL, dated INTEGER NOT NULL,"
  "  sanction TEXT NOT NULL, contact INTEGER NOT NULL, within_mandate INTEGER NOT NULL,"
  "  mandate_kind TEXT NOT NULL, approval INTEGER NOT NULL, verdict TEXT NOT NULL,"
  "  advised INTEGER NOT NULL,"
  "  n INTEGER NOT NULL, days_ms INTEGER NOT NULL,"
  "  PRIMARY KEY (" REPORT_STATE_KEY ")"
  ") STRICT, WITHOUT ROWID;"
  "CREATE TABLE report_author_counts ("
  "  level INTEGER NOT NULL, period TEXT NOT NULL, author_id INTEGER NOT NULL,"
  "  team TEXT NOT NULL, outcome TEXT NOT NULL, open INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (" REPORT_AUTHOR_KEY ")"
  ") STRICT, WITHOUT ROWID;"

  /* Built from the existing rows before the triggers exist. */
  REPORT_REBUILD_V3

  "CREATE TRIGGER report_facts_insert AFTER INSERT ON report_facts"
  " WHEN NOT rr_bulk_loading () BEGIN "
  REPORT_RULE_ADD ("NEW", "1") REPORT_STATE_ADD ("NEW", "1") REPORT_AUTHOR_ADD ("NEW", "1")
  " END;"
  "CREATE TRIGGER report_facts_delete AFTER DELETE ON report_facts"
  " WHEN NOT rr_bulk_loading () BEGIN "
  REPORT_RULE_ADD ("OLD", "-1") REPORT_STATE_ADD ("OLD", "-1") REPORT_AUTHOR_ADD ("OLD", "-1")
  REPORT_RULE_PRUNE ("OLD") REPORT_STATE_PRUNE ("OLD") REPORT_AUTHOR_PRUNE ("OLD")
  " END;"
  /* A decision, its status (superseded, withdrawn), its reason (gone when
   * destroyed), a review or an outcome: its facts are worked out again. */
  "CREATE TRIGGER report_decisions_insert AFTER INSERT ON decisions"
  " WHEN NEW.status = 'recorded' AND NOT rr_bulk_loading () BEGIN "
  " INSERT INTO report_facts " REPORT_FACTS_COLUMNS " " REPORT_FACTS_SELECT ("d.id = NEW.id") ";"
  " END;"
  "CREATE TRIGGER report_decisions_update AFTER UPDATE OF status, reason ON decisions"
  " WHEN (OLD.status IS NOT NEW.status OR OLD.reason IS NOT NEW.reason)"
  " AND NOT rr_bulk_loading () BEGIN "
  " DELETE FROM report_facts WHERE decision_id = OLD.id;"
  " INSERT INTO report_facts " REPORT_FACTS_COLUMNS " "
  REPORT_FACTS_SELECT ("d.id = NEW.id AND d.status = 'recorded'") ";"
  " END;"
  "CREATE TRIGGER report_reviews_insert AFTER INSERT ON reviews"
  " WHEN NOT rr_bulk_loading () BEGIN "
  " DELETE FROM report_facts WHERE decision_id = NEW.decision_id;"
  " INSERT INTO report_facts " REPORT_FACTS_COLUMNS " "
  REPORT_FACTS_SELECT ("d.id = NEW.decision_id AND d.status = 'recorded'") ";"
  " END;"
  "CREATE TRIGGER report_outcomes_insert AFTER INSERT ON outcomes"
  " WHEN NOT rr_bulk_loading () BEGIN "
  " DELETE FROM report_facts WHERE decision_id IN (SELECT d.id FROM decisions d"
  "   WHERE d.number = NEW.number AND +d.status = 'recorded');"
  " INSERT INTO report_facts " REPORT_FACTS_COLUMNS " "
  REPORT_FACTS_SELECT ("d.number = NEW.number AND +d.status = 'recorded'") ";"
  " END;";

/* Version 4: a client's current decisions are counted in every client
 * list (Caseload, the editor's client search). With the status in the
 * index after the client the count reads a few index entries instead of
 * each decision's row: at a million decisions, 50,000 clients took 12 s. */
static const char migration_4[] =
  "DROP INDEX decisions_client;"
  "CREATE INDEX decisions_client ON decisions (client_id, status, decision_date);";

/* Version 5: Opvolging for a klantmanager. Their due follow-ups came from
 * the index on (status, follow_up): every recorded decision in follow-up
 * order, each one's row read for its author, until a page of theirs was
 * found. At a million decisions a klantmanager with few follow-ups due
 * waited 1 to 4 s for the list. With the author first, the list reads
 * their own decisions only, already in follow-up order. */
static const char migration_5[] =
  "CREATE INDEX decisions_author_due ON decisions (author_id, status, follow_up);";

/* The summary of the latest version from scratch (_rr_report_summary_rebuild).
 * A later migration that changes the summary brings a rebuild of its own
 * and points this at it; REPORT_REBUILD_V3 stays as migration 3 ran it. */
const char rr_schema_report_rebuild[] = REPORT_REBUILD_V3;
/* The same from report_facts as they are, for a bulk load that writes the
 * facts itself (rr-demo.c); a later migration points this at its own too. */
const char rr_schema_report_recount[] = REPORT_COUNTS_DELETE_V3 REPORT_COUNTS_INSERT_V3;
/* The years from the months as they are, for a bulk load that counts the
 * months itself (rr-demo.c); a later migration points this at its own too. */
const char rr_schema_report_years[] =
  REPORT_RULE_YEARS_V3 REPORT_STATE_YEARS_V3 REPORT_AUTHOR_YEARS_V3;

const char * const rr_schema_migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
};

const guint rr_schema_n_migrations = G_N_ELEMENTS (rr_schema_migrations);
