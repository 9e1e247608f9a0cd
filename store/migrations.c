/*
 * The schema as numbered migrations, applied in order at open (store.c).
 *
 * Released migrations are never edited, only appended: a database records
 * the number of the last one it ran (PRAGMA user_version), so a change to an
 * old script would never reach databases that already ran it. To change the
 * schema, add a new element at the end of `migrations`.
 *
 * Conventions: dates are TEXT 'YYYY-MM-DD', checked with
 * date(x, '+0 days') IS x, which also rejects impossible days such as
 * 02-30; timestamps are INTEGER unix seconds; enumerations are CHECKed.
 */
#include <stddef.h>

#include "store_internal.h"

/* Nantong's disqualifications (seed 002, 《南通市首席质量官暂行管理办法》
 * art. 6), as migration 16 stores them. */
#define NANTONG_ART6                                                       \
	"违反法律法规，在质量岗位工作中造成重大失误或者受刑事处罚|"      \
	"利用履行职责之便谋取不正当利益|"                                  \
	"滥用职权，干预企业正常经营秩序|"                                  \
	"泄露企业秘密或者合作伙伴信息等违反职业道德和社会信用的行为|"    \
	"其他损害合作伙伴和企业合法权益的行为"

static const char *const migrations[] = {
	/* 1: the registry schema. */
	"-- Administrative divisions (GB/T 2260), loaded from data/regions.csv.\n"
	"CREATE TABLE regions (\n"
	"  code        TEXT PRIMARY KEY\n"
	"              CHECK (length(code) IN (2, 4, 6) AND code NOT GLOB '*[^0-9]*'),\n"
	"  name        TEXT NOT NULL CHECK (name <> ''),\n"
	"  parent_code TEXT REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,\n"
	"  level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),\n"
	"  CHECK (length(code) = 2 * level),\n"
	"  CHECK ((level = 1) = (parent_code IS NULL))\n"
	");\n"
	"CREATE INDEX regions_parent ON regions(parent_code);\n"
	"\n"
	"CREATE TABLE enterprises (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  credit_code   TEXT NOT NULL UNIQUE\n"
	"                CHECK (length(credit_code) = 18 AND credit_code NOT GLOB '*[^0-9A-Z]*'),\n"
	"  name          TEXT NOT NULL CHECK (name <> ''),\n"
	"  region_code   TEXT NOT NULL REFERENCES regions(code),\n"
	"  industry_code TEXT CHECK (length(industry_code) BETWEEN 1 AND 5\n"
	"                           AND industry_code GLOB '[0-9A-T]*'\n"
	"                           AND substr(industry_code, 2) NOT GLOB '*[^0-9]*'),\n"
	"  size          TEXT CHECK (size IN ('大型', '中型', '小微')),\n"
	"  nature        TEXT,\n"
	"  employees     INTEGER CHECK (employees >= 0),\n"
	"  main_products TEXT,\n"
	"  contact_name  TEXT,\n"
	"  contact_phone TEXT,\n"
	"  created_at    INTEGER NOT NULL,\n"
	"  updated_at    INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX enterprises_name ON enterprises(name);\n"
	"\n"
	"-- Policy categories an enterprise belongs to (targets are set per category).\n"
	"CREATE TABLE enterprise_tags (\n"
	"  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,\n"
	"  tag           TEXT NOT NULL CHECK (tag IN ('规上', '链主', '好品', '质量奖', '专精特新',\n"
	"                                             '标杆', '食品', '药品', '特种设备')),\n"
	"  PRIMARY KEY (enterprise_id, tag)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX enterprise_tags_tag ON enterprise_tags(tag, enterprise_id);\n"
	"\n"
	"-- The person on the CQO information form (企业首席质量官信息表).\n"
	"CREATE TABLE people (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  name          TEXT NOT NULL CHECK (name <> ''),\n"
	"  gender        TEXT CHECK (gender IN ('男', '女')),\n"
	"  birth_date    TEXT CHECK (date(birth_date, '+0 days') IS birth_date),\n"
	"  education     TEXT,\n"
	"  major         TEXT,\n"
	"  quality_years INTEGER CHECK (quality_years BETWEEN 0 AND 80),\n"
	"  position      TEXT,\n"
	"  title         TEXT,\n"
	"  phone         TEXT,\n"
	"  email         TEXT,\n"
	"  resume        TEXT,\n"
	"  created_at    INTEGER NOT NULL,\n"
	"  updated_at    INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX people_name ON people(name);\n"
	"\n"
	"-- An appointment (聘任) as filed (备案); its id is the record number (记录号).\n"
	"CREATE TABLE appointments (\n"
	"  id                   INTEGER PRIMARY KEY,\n"
	"  enterprise_id        INTEGER NOT NULL REFERENCES enterprises(id),\n"
	"  person_id            INTEGER NOT NULL REFERENCES people(id),\n"
	"  doc_no               TEXT,\n"
	"  start_date           TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),\n"
	"  term_end             TEXT NOT NULL CHECK (date(term_end, '+0 days') IS term_end),\n"
	"  status               TEXT NOT NULL DEFAULT 'active'\n"
	"                       CHECK (status IN ('active', 'ended', 'dismissed', 'removed')),\n"
	"  ended_on             TEXT CHECK (date(ended_on, '+0 days') IS ended_on),\n"
	"  end_reason           TEXT,\n"
	"  predecessor_id       INTEGER REFERENCES appointments(id),\n"
	"  eligibility_warnings TEXT,\n"
	"  remarks              TEXT,\n"
	"  filed_by             TEXT,\n"
	"  filed_at             INTEGER NOT NULL,\n"
	"  updated_at           INTEGER NOT NULL,\n"
	"  CHECK (term_end >= start_date),\n"
	"  CHECK ((status = 'active') = (ended_on IS NULL))\n"
	");\n"
	"CREATE UNIQUE INDEX appointments_one_active ON appointments(enterprise_id)\n"
	"  WHERE status = 'active';\n"
	"CREATE INDEX appointments_active_term_end ON appointments(term_end)\n"
	"  WHERE status = 'active';\n"
	"CREATE INDEX appointments_person ON appointments(person_id);\n"
	"CREATE INDEX appointments_enterprise ON appointments(enterprise_id);\n"
	"CREATE INDEX appointments_predecessor ON appointments(predecessor_id);\n"
	"\n"
	"CREATE TABLE trainings (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  appointment_id INTEGER REFERENCES appointments(id),\n"
	"  person_id      INTEGER NOT NULL REFERENCES people(id),\n"
	"  kind           TEXT NOT NULL CHECK (kind IN ('任职培训', '继续教育', '线上自学')),\n"
	"  date           TEXT NOT NULL CHECK (date(date, '+0 days') IS date),\n"
	"  hours          REAL NOT NULL CHECK (hours > 0 AND hours <= 1000),\n"
	"  certificate_no TEXT,\n"
	"  institution    TEXT,\n"
	"  level          TEXT CHECK (level IN ('国家', '省', '市', '县')),\n"
	"  tier           TEXT,\n"
	"  created_at     INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX trainings_person_date ON trainings(person_id, date);\n"
	"CREATE INDEX trainings_appointment ON trainings(appointment_id);\n"
	"\n"
	"-- Dynamic management (动态管理); 约谈 carries a time and place.\n"
	"CREATE TABLE sanctions (\n"
	"  id              INTEGER PRIMARY KEY,\n"
	"  appointment_id  INTEGER NOT NULL REFERENCES appointments(id),\n"
	"  kind            TEXT NOT NULL CHECK (kind IN ('约谈', '警示', '除名', '黑名单', '建议解聘')),\n"
	"  ground          TEXT CHECK (ground IN ('违法违规', '知情不报', '拖延缓报', '虚假报告',\n"
	"                                         '未完成继续教育', '重大质量事故', '其他')),\n"
	"  reason          TEXT,\n"
	"  issued_on       TEXT NOT NULL CHECK (date(issued_on, '+0 days') IS issued_on),\n"
	"  scheduled_at    INTEGER CHECK (scheduled_at IS NULL OR kind = '约谈'),\n"
	"  place           TEXT,\n"
	"  rectify_by      TEXT CHECK (date(rectify_by, '+0 days') IS rectify_by),\n"
	"  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'revoked')),\n"
	"  acknowledged_at INTEGER,\n"
	"  revoked_by      TEXT,\n"
	"  revoked_at      INTEGER,\n"
	"  created_by      TEXT,\n"
	"  created_at      INTEGER NOT NULL,\n"
	"  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))\n"
	");\n"
	"CREATE INDEX sanctions_appointment_status ON sanctions(appointment_id, status);\n"
	"\n"
	"CREATE TABLE honours (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  person_id      INTEGER NOT NULL REFERENCES people(id),\n"
	"  appointment_id INTEGER REFERENCES appointments(id),\n"
	"  name           TEXT NOT NULL CHECK (name <> ''),\n"
	"  year           INTEGER NOT NULL CHECK (year BETWEEN 1978 AND 2200),\n"
	"  created_at     INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX honours_person ON honours(person_id);\n"
	"\n"
	"-- Per-jurisdiction rules; the most specific region prefix applies.\n"
	"-- eligibility_mode: 'all' = education and title both required (where set),\n"
	"-- 'any' = either suffices (Nantong, Shaanxi).\n"
	"CREATE TABLE policies (\n"
	"  region_code       TEXT PRIMARY KEY REFERENCES regions(code),\n"
	"  term_months       INTEGER NOT NULL DEFAULT 36 CHECK (term_months BETWEEN 1 AND 120),\n"
	"  annual_hours      REAL NOT NULL DEFAULT 30 CHECK (annual_hours BETWEEN 0 AND 1000),\n"
	"  min_quality_years INTEGER NOT NULL DEFAULT 3 CHECK (min_quality_years BETWEEN 0 AND 50),\n"
	"  min_education     TEXT,\n"
	"  min_title         TEXT,\n"
	"  eligibility_mode  TEXT NOT NULL DEFAULT 'all' CHECK (eligibility_mode IN ('all', 'any')),\n"
	"  require_appointment_training INTEGER NOT NULL DEFAULT 1\n"
	"                    CHECK (require_appointment_training IN (0, 1)),\n"
	"  remind_term_days  TEXT NOT NULL DEFAULT '90,30,7,0'\n"
	"                    CHECK (remind_term_days <> '' AND remind_term_days NOT GLOB '*[^0-9,]*'),\n"
	"  remind_training_month INTEGER NOT NULL DEFAULT 10\n"
	"                    CHECK (remind_training_month BETWEEN 1 AND 12),\n"
	"  bind_code_days    INTEGER NOT NULL DEFAULT 14 CHECK (bind_code_days BETWEEN 1 AND 365),\n"
	"  updated_by        TEXT,\n"
	"  updated_at        INTEGER\n"
	");\n"
	"\n"
	"-- Appointment-rate targets (聘任率) per region, category and year.\n"
	"CREATE TABLE targets (\n"
	"  region_code TEXT NOT NULL REFERENCES regions(code),\n"
	"  category    TEXT NOT NULL CHECK (category IN ('规上', '链主', '好品', '质量奖', '专精特新',\n"
	"                                                '标杆', '食品', '药品', '特种设备', '中小企业')),\n"
	"  year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),\n"
	"  rate        REAL NOT NULL CHECK (rate BETWEEN 0 AND 1),\n"
	"  PRIMARY KEY (region_code, category, year)\n"
	") WITHOUT ROWID;\n"
	"\n"
	"CREATE TABLE alliances (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  name        TEXT NOT NULL UNIQUE CHECK (name <> ''),\n"
	"  region_code TEXT REFERENCES regions(code),\n"
	"  created_at  INTEGER NOT NULL\n"
	");\n"
	"\n"
	"CREATE TABLE alliance_members (\n"
	"  alliance_id     INTEGER NOT NULL REFERENCES alliances(id) ON DELETE CASCADE,\n"
	"  appointment_id  INTEGER NOT NULL REFERENCES appointments(id),\n"
	"  private_notices INTEGER NOT NULL DEFAULT 1 CHECK (private_notices IN (0, 1)),\n"
	"  joined_at       INTEGER NOT NULL,\n"
	"  PRIMARY KEY (alliance_id, appointment_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX alliance_members_appointment ON alliance_members(appointment_id);\n"
	"\n"
	"CREATE TABLE events (\n"
	"  id              INTEGER PRIMARY KEY,\n"
	"  alliance_id     INTEGER NOT NULL REFERENCES alliances(id),\n"
	"  kind            TEXT NOT NULL CHECK (kind IN ('沙龙', '论坛', '围炉会', '大会', '现场会',\n"
	"                                               '研讨会', '首席质量官日', '质量月')),\n"
	"  title           TEXT NOT NULL CHECK (title <> ''),\n"
	"  starts_at       INTEGER NOT NULL,\n"
	"  ends_at         INTEGER CHECK (ends_at >= starts_at),\n"
	"  place           TEXT,\n"
	"  capacity        INTEGER CHECK (capacity >= 0),\n"
	"  signup_deadline INTEGER,\n"
	"  description     TEXT,\n"
	"  is_open         INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),\n"
	"  status          TEXT NOT NULL DEFAULT 'draft'\n"
	"                  CHECK (status IN ('draft', 'published', 'cancelled')),\n"
	"  created_by      TEXT,\n"
	"  created_at      INTEGER NOT NULL,\n"
	"  updated_at      INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX events_alliance_starts ON events(alliance_id, starts_at);\n"
	"CREATE INDEX events_status_starts ON events(status, starts_at);\n"
	"\n"
	"-- position orders the waitlist.\n"
	"CREATE TABLE signups (\n"
	"  event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,\n"
	"  person_id  INTEGER NOT NULL REFERENCES people(id),\n"
	"  status     TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlist', 'cancelled')),\n"
	"  created_at INTEGER NOT NULL,\n"
	"  position   INTEGER,\n"
	"  PRIMARY KEY (event_id, person_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX signups_person ON signups(person_id);\n"
	"\n"
	"-- Who a chat user is. A user without a row is a guest.\n"
	"CREATE TABLE identities (\n"
	"  platform     TEXT NOT NULL,\n"
	"  user_id      TEXT NOT NULL,\n"
	"  display_name TEXT,\n"
	"  role         TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'organizer', 'cqo')),\n"
	"  scope_region TEXT REFERENCES regions(code),\n"
	"  alliance_id  INTEGER REFERENCES alliances(id),\n"
	"  person_id    INTEGER REFERENCES people(id),\n"
	"  created_at   INTEGER NOT NULL,\n"
	"  updated_at   INTEGER NOT NULL,\n"
	"  PRIMARY KEY (platform, user_id),\n"
	"  CHECK (role <> 'clerk' OR scope_region IS NOT NULL),\n"
	"  CHECK (role <> 'organizer' OR alliance_id IS NOT NULL),\n"
	"  CHECK (role <> 'cqo' OR person_id IS NOT NULL)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX identities_person ON identities(person_id) WHERE person_id IS NOT NULL;\n"
	"\n"
	"-- One-time codes a CQO sends to bind a chat identity; only the hash is kept.\n"
	"CREATE TABLE bind_codes (\n"
	"  code_hash      TEXT PRIMARY KEY\n"
	"                 CHECK (length(code_hash) = 64 AND code_hash NOT GLOB '*[^0-9a-f]*'),\n"
	"  person_id      INTEGER NOT NULL REFERENCES people(id),\n"
	"  appointment_id INTEGER REFERENCES appointments(id),\n"
	"  expires_at     INTEGER NOT NULL,\n"
	"  used_at        INTEGER,\n"
	"  created_by     TEXT,\n"
	"  created_at     INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX bind_codes_person ON bind_codes(person_id);\n"
	"\n"
	"-- Group chats that receive an alliance's notices.\n"
	"CREATE TABLE subscriptions (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  alliance_id INTEGER NOT NULL REFERENCES alliances(id) ON DELETE CASCADE,\n"
	"  platform    TEXT NOT NULL,\n"
	"  instance    TEXT NOT NULL,\n"
	"  chat_id     TEXT NOT NULL,\n"
	"  created_by  TEXT,\n"
	"  created_at  INTEGER NOT NULL,\n"
	"  UNIQUE (alliance_id, platform, instance, chat_id)\n"
	");\n"
	"\n"
	"-- Pending confirmation steps (确认 <code>) of destructive commands.\n"
	"CREATE TABLE confirmations (\n"
	"  code       TEXT PRIMARY KEY,\n"
	"  platform   TEXT NOT NULL,\n"
	"  user_id    TEXT NOT NULL,\n"
	"  command    TEXT NOT NULL,\n"
	"  payload    TEXT,\n"
	"  expires_at INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX confirmations_expires ON confirmations(expires_at);\n"
	"\n"
	"-- Every change, written in the change's transaction; append-only.\n"
	"CREATE TABLE audit_log (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  at             INTEGER NOT NULL,\n"
	"  actor_platform TEXT,\n"
	"  actor_user     TEXT,\n"
	"  chat_id        TEXT,\n"
	"  command        TEXT NOT NULL,\n"
	"  entity         TEXT,\n"
	"  entity_id      INTEGER,\n"
	"  before_json    TEXT,\n"
	"  after_json     TEXT\n"
	");\n"
	"CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);\n"
	"CREATE INDEX audit_log_at ON audit_log(at);\n"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
	"BEGIN\n"
	"  SELECT RAISE(ABORT, 'audit_log is append-only');\n"
	"END;\n"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
	"BEGIN\n"
	"  SELECT RAISE(ABORT, 'audit_log is append-only');\n"
	"END;\n"
	"\n"
	"-- Who viewed whose full record (personal data access).\n"
	"CREATE TABLE access_log (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  at             INTEGER NOT NULL,\n"
	"  actor_platform TEXT,\n"
	"  actor_user     TEXT,\n"
	"  chat_id        TEXT,\n"
	"  person_id      INTEGER,\n"
	"  appointment_id INTEGER\n"
	");\n"
	"CREATE INDEX access_log_person ON access_log(person_id, at);\n"
	"CREATE INDEX access_log_at ON access_log(at);\n"
	"\n"
	"-- Platform message ids already seen (platforms resend on slow replies).\n"
	"CREATE TABLE inbound (\n"
	"  platform    TEXT NOT NULL,\n"
	"  msg_id      TEXT NOT NULL,\n"
	"  received_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (platform, msg_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX inbound_received ON inbound(received_at);\n"
	"\n"
	"CREATE TABLE outbox (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  idem_key    TEXT UNIQUE,\n"
	"  platform    TEXT NOT NULL,\n"
	"  instance    TEXT NOT NULL,\n"
	"  destination TEXT NOT NULL,\n"
	"  chat_kind   TEXT NOT NULL CHECK (chat_kind IN ('private', 'group')),\n"
	"  payload     TEXT NOT NULL,\n"
	"  not_before  INTEGER NOT NULL,\n"
	"  state       TEXT NOT NULL DEFAULT 'pending'\n"
	"              CHECK (state IN ('pending', 'inflight', 'sent', 'dead')),\n"
	"  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),\n"
	"  last_error  TEXT,\n"
	"  created_at  INTEGER NOT NULL,\n"
	"  updated_at  INTEGER NOT NULL,\n"
	"  sent_at     INTEGER,\n"
	"  request_id  TEXT\n"
	");\n"
	"CREATE INDEX outbox_state_not_before ON outbox(state, not_before);\n"
	"\n"
	"-- One row per reminder milestone sent, so a restart never repeats one.\n"
	"CREATE TABLE reminder_ledger (\n"
	"  id              INTEGER PRIMARY KEY,\n"
	"  rule            TEXT NOT NULL,\n"
	"  record_id       INTEGER NOT NULL,\n"
	"  milestone_date  TEXT NOT NULL CHECK (date(milestone_date, '+0 days') IS milestone_date),\n"
	"  person_id       INTEGER REFERENCES people(id),\n"
	"  outbox_id       INTEGER REFERENCES outbox(id),\n"
	"  created_at      INTEGER NOT NULL,\n"
	"  acknowledged_at INTEGER,\n"
	"  UNIQUE (rule, record_id, milestone_date)\n"
	");\n"
	"CREATE INDEX reminder_ledger_person ON reminder_ledger(person_id);\n"
	"\n"
	"CREATE TABLE reminder_mutes (\n"
	"  person_id  INTEGER NOT NULL REFERENCES people(id),\n"
	"  category   TEXT NOT NULL CHECK (category <> ''),\n"
	"  created_at INTEGER,\n"
	"  PRIMARY KEY (person_id, category)\n"
	") WITHOUT ROWID;\n"
	"\n"
	"-- Official holidays and make-up working days (data/cn-workcalendar.csv).\n"
	"CREATE TABLE calendar (\n"
	"  date TEXT PRIMARY KEY CHECK (date(date, '+0 days') IS date),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),\n"
	"  name TEXT\n"
	") WITHOUT ROWID;\n",

	/* 2: region index for statistics and the active_appointments view. */
	"-- Statistics and clerks' listings select enterprises by region prefix.\n"
	"CREATE INDEX enterprises_region ON enterprises(region_code);\n"
	"\n"
	"-- The appointments in force, with what listings show beside them.\n"
	"CREATE VIEW active_appointments AS\n"
	"SELECT a.id AS appointment_id, a.enterprise_id, a.person_id, a.start_date, a.term_end,\n"
	"       e.region_code, e.name AS enterprise_name, p.name AS person_name\n"
	"FROM appointments a\n"
	"JOIN enterprises e ON e.id = a.enterprise_id\n"
	"JOIN people p ON p.id = a.person_id\n"
	"WHERE a.status = 'active';\n",

	/* 3: audit rows name the registry record they concern, so 审计 finds a
	 * record's whole history (its trainings, sanctions, ...) by one index. */
	"ALTER TABLE audit_log ADD COLUMN record_id INTEGER;\n"
	"CREATE INDEX audit_log_record ON audit_log(record_id, id);\n",

	/* 4: 撤销 <处理号> [说明] keeps the admin's explanation with the sanction. */
	"ALTER TABLE sanctions ADD COLUMN revoke_note TEXT;\n",

	/* 5: a person's training hours and kinds straight from the index, so the
	 * 未培训 list and the statistics need no table lookup per CQO; it serves
	 * every query trainings_person_date did. */
	"CREATE INDEX trainings_person_cover ON trainings(person_id, date, hours, kind);\n"
	"DROP INDEX trainings_person_date;\n",

	/* 6: alliances. A subscription reaches an app group chat or a
	 * send-only group robot (chat_id '' for a robot), and may carry a name
	 * for delivery reports; an event may be online. */
	"ALTER TABLE subscriptions ADD COLUMN kind TEXT NOT NULL DEFAULT 'chat'\n"
	"  CHECK (kind IN ('chat', 'robot'));\n"
	"ALTER TABLE subscriptions ADD COLUMN label TEXT;\n"
	"ALTER TABLE events ADD COLUMN link TEXT;\n",

	/* 7: one row per fan-out (an event published, changed or cancelled, a
	 * notice, a campaign): its outbox rows share key_prefix, which is how
	 * delivery is reported; report_to is the dest (dest_format) told once
	 * every row is settled. */
	"CREATE TABLE broadcasts (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  alliance_id INTEGER NOT NULL REFERENCES alliances(id),\n"
	"  event_id    INTEGER REFERENCES events(id),\n"
	"  kind        TEXT NOT NULL\n"
	"              CHECK (kind IN ('publish', 'update', 'cancel', 'notice', 'campaign')),\n"
	"  key_prefix  TEXT NOT NULL UNIQUE CHECK (key_prefix <> ''),\n"
	"  n_groups    INTEGER NOT NULL DEFAULT 0 CHECK (n_groups >= 0),\n"
	"  n_people    INTEGER NOT NULL DEFAULT 0 CHECK (n_people >= 0),\n"
	"  report_to   TEXT,\n"
	"  reported_at INTEGER,\n"
	"  created_by  TEXT,\n"
	"  created_at  INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX broadcasts_event ON broadcasts(event_id, id);\n"
	"CREATE INDEX broadcasts_unreported ON broadcasts(id)\n"
	"  WHERE reported_at IS NULL AND report_to IS NOT NULL;\n",

	/* 8: yearly broadcasts an admin sets once per alliance (质量月 from
	 * 09-01, 首席质量官日); sent_year is the last year one went out. */
	"CREATE TABLE alliance_campaigns (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  alliance_id INTEGER NOT NULL REFERENCES alliances(id) ON DELETE CASCADE,\n"
	"  kind        TEXT NOT NULL CHECK (kind IN ('质量月', '首席质量官日')),\n"
	"  month_day   TEXT NOT NULL CHECK (length(month_day) = 5\n"
	"              AND date('2000-' || month_day, '+0 days') IS '2000-' || month_day),\n"
	"  body        TEXT NOT NULL CHECK (body <> ''),\n"
	"  sent_year   INTEGER,\n"
	"  created_by  TEXT,\n"
	"  created_at  INTEGER NOT NULL,\n"
	"  updated_at  INTEGER NOT NULL,\n"
	"  UNIQUE (alliance_id, kind)\n"
	");\n"
	"CREATE INDEX alliance_campaigns_day ON alliance_campaigns(month_day);\n",

	/* 9: the outbox dispatcher. Each destination's next row comes
	 * from a small index of pending rows (one seek per destination, so a
	 * burst for one group never hides another's rows); each destination's
	 * last attempt (sent_at) restores its rate limit after a restart. */
	"CREATE INDEX outbox_pending ON outbox(destination, not_before)\n"
	"  WHERE state = 'pending';\n"
	"CREATE INDEX outbox_destination_sent ON outbox(destination, sent_at)\n"
	"  WHERE sent_at IS NOT NULL;\n",

	/* 10: reminders go back through the config instance ([wecom:NAME],
	 * ...) an identity was bound or granted through; NULL: not known (older
	 * rows, cqoctl), the platform's first instance is used. */
	"ALTER TABLE identities ADD COLUMN instance TEXT;\n",

	/* 11: the reminder sweep: its last day, so a restart after
	 * downtime catches up once; and its due dates as index ranges, so a
	 * sweep costs what is due, not the registry's size. */
	"CREATE TABLE reminder_sweeps (\n"
	"  name      TEXT PRIMARY KEY,\n"
	"  last_date TEXT NOT NULL CHECK (date(last_date, '+0 days') IS last_date),\n"
	"  swept_at  INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX appointments_active_filed ON appointments(filed_at)\n"
	"  WHERE status = 'active';\n"
	"CREATE INDEX sanctions_open_scheduled ON sanctions(scheduled_at)\n"
	"  WHERE status = 'open' AND scheduled_at IS NOT NULL;\n"
	"CREATE INDEX sanctions_open_rectify ON sanctions(rectify_by)\n"
	"  WHERE status = 'open' AND rectify_by IS NOT NULL;\n"
	"CREATE INDEX sanctions_unacknowledged ON sanctions(issued_on)\n"
	"  WHERE status = 'open' AND acknowledged_at IS NULL;\n"
	"CREATE INDEX reminder_ledger_unacknowledged ON reminder_ledger(milestone_date)\n"
	"  WHERE acknowledged_at IS NULL;\n",

	/* 12: exactly once. The answer of a message whose platform reads it
	 * from the HTTP response (the generic adapter) is kept with its id, so
	 * a retry of a committed message gets the same answer; and a one-row
	 * table the readiness probe writes to when the daemon is idle. */
	"ALTER TABLE inbound ADD COLUMN answer TEXT;\n"
	"CREATE TABLE store_probe (\n"
	"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  at INTEGER NOT NULL\n"
	");\n",

	/* 13: an identity is (platform, tenant, user id) (issue 13). The
	 * tenant is the organisation the platform vouches for in each signed
	 * message (WeCom corp id, DingTalk senderCorpId, Feishu tenant_key, the
	 * generic instance's name): user ids are chosen per corp, so the same id
	 * in two corps is two people. Where SQL can tell (the generic adapter,
	 * whose tenant is its instance; the console) the tenant is filled here;
	 * other rows keep NULL ("pending"): such a row answers only on the
	 * instance it came from and takes the tenant of its first message there
	 * (store_identity_adopt), or of its instance's configured corp id at
	 * the daemon's start (store_identity_settle). Pending confirmations are
	 * conversation state and are dropped. Audit and access-log rows name
	 * the actor's tenant. Failed 绑定 attempts are counted per identity and
	 * in all, for the bind-code rate limits. */
	"CREATE TABLE identities_v13 (\n"
	"  id           INTEGER PRIMARY KEY,\n"
	"  platform     TEXT NOT NULL,\n"
	"  tenant       TEXT CHECK (tenant <> ''),\n"
	"  user_id      TEXT NOT NULL,\n"
	"  display_name TEXT,\n"
	"  role         TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'organizer', 'cqo')),\n"
	"  scope_region TEXT REFERENCES regions(code),\n"
	"  alliance_id  INTEGER REFERENCES alliances(id),\n"
	"  person_id    INTEGER REFERENCES people(id),\n"
	"  created_at   INTEGER NOT NULL,\n"
	"  updated_at   INTEGER NOT NULL,\n"
	"  instance     TEXT,\n"
	"  CHECK (role <> 'clerk' OR scope_region IS NOT NULL),\n"
	"  CHECK (role <> 'organizer' OR alliance_id IS NOT NULL),\n"
	"  CHECK (role <> 'cqo' OR person_id IS NOT NULL)\n"
	");\n"
	"INSERT INTO identities_v13 (platform, tenant, user_id, display_name, role, scope_region,\n"
	"  alliance_id, person_id, created_at, updated_at, instance)\n"
	"SELECT platform,\n"
	"  CASE WHEN platform = 'generic' THEN nullif(instance, '')\n"
	"       WHEN platform = 'console' THEN 'console' END,\n"
	"  user_id, display_name, role, scope_region, alliance_id, person_id, created_at,\n"
	"  updated_at, nullif(instance, '')\n"
	"FROM identities ORDER BY platform, user_id;\n"
	"DROP TABLE identities;\n"
	"ALTER TABLE identities_v13 RENAME TO identities;\n"
	"CREATE UNIQUE INDEX identities_key ON identities(platform, tenant, user_id)\n"
	"  WHERE tenant IS NOT NULL;\n"
	"CREATE UNIQUE INDEX identities_pending ON identities(platform, instance, user_id)\n"
	"  WHERE tenant IS NULL;\n"
	"CREATE INDEX identities_user ON identities(platform, user_id);\n"
	"CREATE INDEX identities_person ON identities(person_id) WHERE person_id IS NOT NULL;\n"
	"\n"
	"DROP TABLE confirmations;\n"
	"CREATE TABLE confirmations (\n"
	"  code       TEXT PRIMARY KEY,\n"
	"  platform   TEXT NOT NULL,\n"
	"  tenant     TEXT NOT NULL,\n"
	"  user_id    TEXT NOT NULL,\n"
	"  command    TEXT NOT NULL,\n"
	"  payload    TEXT,\n"
	"  expires_at INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX confirmations_expires ON confirmations(expires_at);\n"
	"CREATE INDEX confirmations_user ON confirmations(platform, tenant, user_id);\n"
	"\n"
	"ALTER TABLE audit_log ADD COLUMN actor_tenant TEXT;\n"
	"ALTER TABLE access_log ADD COLUMN actor_tenant TEXT;\n"
	"\n"
	"-- One row per refused bind code, kept an hour (the longest window).\n"
	"CREATE TABLE bind_failures (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  platform  TEXT NOT NULL,\n"
	"  tenant    TEXT NOT NULL,\n"
	"  user_id   TEXT NOT NULL,\n"
	"  at        INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX bind_failures_sender ON bind_failures(platform, tenant, user_id, at);\n"
	"CREATE INDEX bind_failures_at ON bind_failures(at);\n"
	"-- Identities that may not try a code before `until`.\n"
	"CREATE TABLE bind_locks (\n"
	"  platform TEXT NOT NULL,\n"
	"  tenant   TEXT NOT NULL,\n"
	"  user_id  TEXT NOT NULL,\n"
	"  until    INTEGER NOT NULL,\n"
	"  PRIMARY KEY (platform, tenant, user_id)\n"
	") WITHOUT ROWID;\n"
	"-- 绑定 paused for everyone before `until` (too many failures in all).\n"
	"CREATE TABLE bind_pause (\n"
	"  id       INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  until    INTEGER NOT NULL,\n"
	"  since    INTEGER NOT NULL,\n"
	"  failures INTEGER NOT NULL\n"
	");\n",

	/* 14: every term of an appointment is a row (issue 15): 备案 and 更换
	 * write the first, 续聘 each next one with its own 聘任文件号, and the
	 * enterprise's 考核结果 is kept with the term it judged. The
	 * appointments row keeps start_date, term_end and doc_no as the current
	 * term, so listings, reminders and statistics read it unchanged: the
	 * first trigger writes term 1 with every appointment however it is
	 * inserted (filing, import, demo), the second keeps the newest term
	 * equal to the row when an import or an operator corrects it. Today's
	 * records become their first term. */
	"CREATE TABLE appointment_terms (\n"
	"  id             INTEGER PRIMARY KEY,\n"
	"  appointment_id INTEGER NOT NULL REFERENCES appointments(id),\n"
	"  term_no        INTEGER NOT NULL CHECK (term_no >= 1),\n"
	"  start_date     TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),\n"
	"  term_end       TEXT NOT NULL CHECK (date(term_end, '+0 days') IS term_end),\n"
	"  doc_no         TEXT,\n"
	"  evaluation     TEXT CHECK (evaluation IN ('合格', '基本合格', '不合格')),\n"
	"  evaluated_at   INTEGER,\n"
	"  created_at     INTEGER NOT NULL,\n"
	"  CHECK (term_end >= start_date),\n"
	"  CHECK ((evaluation IS NULL) = (evaluated_at IS NULL)),\n"
	"  UNIQUE (appointment_id, term_no)\n"
	");\n"
	"INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, doc_no,\n"
	"                               created_at)\n"
	"  SELECT id, 1, start_date, term_end, doc_no, filed_at FROM appointments;\n"
	"CREATE TRIGGER appointment_terms_first AFTER INSERT ON appointments BEGIN\n"
	"  INSERT INTO appointment_terms (appointment_id, term_no, start_date, term_end, doc_no,\n"
	"                                 created_at)\n"
	"  VALUES (NEW.id, 1, NEW.start_date, NEW.term_end, NEW.doc_no, NEW.filed_at);\n"
	"END;\n"
	"CREATE TRIGGER appointment_terms_current\n"
	"  AFTER UPDATE OF start_date, term_end, doc_no ON appointments BEGIN\n"
	"  UPDATE appointment_terms SET start_date = NEW.start_date, term_end = NEW.term_end,\n"
	"    doc_no = NEW.doc_no\n"
	"  WHERE appointment_id = NEW.id AND term_no = (SELECT max(term_no)\n"
	"    FROM appointment_terms WHERE appointment_id = NEW.id);\n"
	"END;\n",

	/* 15: the annual training hours as each jurisdiction states them
	 * (issue 15). Which kinds count (Shaanxi: 线上自学 only, seed 003;
	 * elsewhere continuing education, never the one-off 任职培训), pro rata
	 * for a CQO appointed during the year, and the reminder days, which
	 * replace remind_training_month: that month was shown but never sent,
	 * the sweep used 09-01, 11-01 and 12-01. A row left at the default
	 * month keeps the days it was really sent on; a month someone set
	 * becomes its first day, as it was shown. Regions without a row lose
	 * the built-in 30 hours in the code, not here. */
	"ALTER TABLE policies ADD COLUMN hours_kinds TEXT NOT NULL DEFAULT '继续教育,线上自学'\n"
	"  CHECK (hours_kinds <> '');\n"
	"ALTER TABLE policies ADD COLUMN hours_prorate INTEGER NOT NULL DEFAULT 0\n"
	"  CHECK (hours_prorate IN (0, 1));\n"
	"ALTER TABLE policies ADD COLUMN hours_remind_dates TEXT NOT NULL\n"
	"  DEFAULT '09-01,11-01,12-01'\n"
	"  CHECK (hours_remind_dates <> '' AND hours_remind_dates NOT GLOB '*[^0-9,-]*');\n"
	"UPDATE policies SET hours_kinds = '线上自学' WHERE region_code GLOB '61*';\n"
	"UPDATE policies SET hours_remind_dates = printf('%02d-01', remind_training_month)\n"
	"  WHERE remind_training_month <> 10;\n"
	"ALTER TABLE policies DROP COLUMN remind_training_month;\n",

	/* 16: the rest of the 任职条件 as each jurisdiction states them (issue
	 * 15). positions lists the posts a CQO is chosen from (主要负责人,
	 * 高层副职, 质量部门负责人; handlers/eligibility.c reads a post into
	 * one of them), positions_small_exempt spares 小微 firms, and
	 * disqualifications is the checklist the filer declares against, items
	 * split by '|'. Rows of the seeds' places get their texts: Shaanxi
	 * (seed 003: 副总经理或同职级及以上 in 规上 firms, small ones at their
	 * discretion), Nantong (seed 002 art. 5 and 6) and Xiangshan (seed 001:
	 * 高层管理人员, 主要负责人 encouraged); other rows keep no rule. */
	"ALTER TABLE policies ADD COLUMN positions TEXT NOT NULL DEFAULT ''\n"
	"  CHECK (positions NOT GLOB ',*' AND positions NOT GLOB '*,');\n"
	"ALTER TABLE policies ADD COLUMN positions_small_exempt INTEGER NOT NULL DEFAULT 0\n"
	"  CHECK (positions_small_exempt IN (0, 1));\n"
	"ALTER TABLE policies ADD COLUMN disqualifications TEXT NOT NULL DEFAULT ''\n"
	"  CHECK (length(disqualifications) <= 160);\n"
	"UPDATE policies SET positions = '主要负责人,高层副职', positions_small_exempt = 1\n"
	"  WHERE region_code GLOB '61*';\n"
	"UPDATE policies SET positions = '主要负责人,高层副职' WHERE region_code = '340603';\n"
	"UPDATE policies SET positions = '高层副职,质量部门负责人',\n"
	"  disqualifications = '" NANTONG_ART6 "'\n"
	"  WHERE region_code GLOB '3206*';\n",

	/* 17: the 人才库 (seeds 002 art. 3 and 10, 003: 拟任和现任) holds the
	 * trained who are not in office: a former CQO with a recorded 任职培训
	 * is in it by their records (the region of their latest enterprise),
	 * and a row here enters someone trained but never filed (a region
	 * keeps them in a clerk's scope; enterprise is the unit that put them
	 * forward) or, with left_at, takes anyone out (人才库 移出). Nothing
	 * exists to carry over: today's former CQOs are in by their records. */
	"CREATE TABLE talent_pool (\n"
	"  person_id   INTEGER PRIMARY KEY REFERENCES people(id),\n"
	"  region_code TEXT NOT NULL REFERENCES regions(code),\n"
	"  enterprise  TEXT,\n"
	"  added_by    TEXT,\n"
	"  added_at    INTEGER NOT NULL,\n"
	"  left_at     INTEGER,\n"
	"  left_reason TEXT,\n"
	"  CHECK ((left_at IS NULL) = (left_reason IS NULL))\n"
	");\n"
	"CREATE INDEX talent_pool_region ON talent_pool(region_code);\n",
	/* 18: an enterprise's contact (企业联系人, issue 15) is bound like a CQO,
	 * by a code the clerk issues for the enterprise, so that a 建议解聘
	 * reaches the enterprise: identities get the role 'contact' and its
	 * enterprise, bind codes name a person or an enterprise. SQLite cannot
	 * change a CHECK, so both tables are rebuilt; every row keeps its id. */
	"CREATE TABLE identities_v16 (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  platform      TEXT NOT NULL,\n"
	"  tenant        TEXT CHECK (tenant <> ''),\n"
	"  user_id       TEXT NOT NULL,\n"
	"  display_name  TEXT,\n"
	"  role          TEXT NOT NULL\n"
	"                CHECK (role IN ('admin', 'clerk', 'organizer', 'cqo', 'contact')),\n"
	"  scope_region  TEXT REFERENCES regions(code),\n"
	"  alliance_id   INTEGER REFERENCES alliances(id),\n"
	"  person_id     INTEGER REFERENCES people(id),\n"
	"  created_at    INTEGER NOT NULL,\n"
	"  updated_at    INTEGER NOT NULL,\n"
	"  instance      TEXT,\n"
	"  enterprise_id INTEGER REFERENCES enterprises(id),\n"
	"  CHECK (role <> 'clerk' OR scope_region IS NOT NULL),\n"
	"  CHECK (role <> 'organizer' OR alliance_id IS NOT NULL),\n"
	"  CHECK (role <> 'cqo' OR person_id IS NOT NULL),\n"
	"  CHECK ((role = 'contact') = (enterprise_id IS NOT NULL))\n"
	");\n"
	"INSERT INTO identities_v16 (id, platform, tenant, user_id, display_name, role,\n"
	"  scope_region, alliance_id, person_id, created_at, updated_at, instance)\n"
	"SELECT id, platform, tenant, user_id, display_name, role, scope_region, alliance_id,\n"
	"  person_id, created_at, updated_at, instance FROM identities;\n"
	"DROP TABLE identities;\n"
	"ALTER TABLE identities_v16 RENAME TO identities;\n"
	"CREATE UNIQUE INDEX identities_key ON identities(platform, tenant, user_id)\n"
	"  WHERE tenant IS NOT NULL;\n"
	"CREATE UNIQUE INDEX identities_pending ON identities(platform, instance, user_id)\n"
	"  WHERE tenant IS NULL;\n"
	"CREATE INDEX identities_user ON identities(platform, user_id);\n"
	"CREATE INDEX identities_person ON identities(person_id) WHERE person_id IS NOT NULL;\n"
	"CREATE INDEX identities_enterprise ON identities(enterprise_id)\n"
	"  WHERE enterprise_id IS NOT NULL;\n"
	"\n"
	"CREATE TABLE bind_codes_v16 (\n"
	"  code_hash      TEXT PRIMARY KEY\n"
	"                 CHECK (length(code_hash) = 64 AND code_hash NOT GLOB '*[^0-9a-f]*'),\n"
	"  person_id      INTEGER REFERENCES people(id),\n"
	"  appointment_id INTEGER REFERENCES appointments(id),\n"
	"  enterprise_id  INTEGER REFERENCES enterprises(id),\n"
	"  expires_at     INTEGER NOT NULL,\n"
	"  used_at        INTEGER,\n"
	"  created_by     TEXT,\n"
	"  created_at     INTEGER NOT NULL,\n"
	"  CHECK ((person_id IS NULL) <> (enterprise_id IS NULL))\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO bind_codes_v16 (code_hash, person_id, appointment_id, expires_at, used_at,\n"
	"  created_by, created_at)\n"
	"SELECT code_hash, person_id, appointment_id, expires_at, used_at, created_by,\n"
	"  created_at FROM bind_codes;\n"
	"DROP TABLE bind_codes;\n"
	"ALTER TABLE bind_codes_v16 RENAME TO bind_codes;\n"
	"CREATE INDEX bind_codes_person ON bind_codes(person_id) WHERE person_id IS NOT NULL;\n"
	"CREATE INDEX bind_codes_enterprise ON bind_codes(enterprise_id)\n"
	"  WHERE enterprise_id IS NOT NULL;\n",
	/* 19: an enterprise category can hold for one year (issue 15): 规上 is
	 * an annual list, imported with --year. Year 0 is an undated tag, true
	 * every year; today's tags, and those set in chat, are undated. The
	 * key gains the year, so the table is rebuilt. */
	"CREATE TABLE enterprise_tags_by_year (\n"
	"  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,\n"
	"  tag           TEXT NOT NULL CHECK (tag IN ('规上', '链主', '好品', '质量奖', '专精特新',\n"
	"                                             '标杆', '食品', '药品', '特种设备')),\n"
	"  year          INTEGER NOT NULL DEFAULT 0\n"
	"                CHECK (year = 0 OR year BETWEEN 2000 AND 2200),\n"
	"  PRIMARY KEY (enterprise_id, tag, year)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO enterprise_tags_by_year (enterprise_id, tag, year)\n"
	"  SELECT enterprise_id, tag, 0 FROM enterprise_tags;\n"
	"DROP TABLE enterprise_tags;\n"
	"ALTER TABLE enterprise_tags_by_year RENAME TO enterprise_tags;\n"
	"CREATE INDEX enterprise_tags_tag ON enterprise_tags(tag, year, enterprise_id);\n",

	/* 20: targets other than the appointment rate, as the seeds set them
	 * (issue 15): the share of the CQOs in office with a 任职培训 (seed 001:
	 * 100% trained by 2022) and the number of first filings in the year
	 * (seed 003: about 500 new CQOs a year). A share is `rate`, a number
	 * `count`. Today's targets are appointment rates. */
	"CREATE TABLE targets_by_metric (\n"
	"  region_code TEXT NOT NULL REFERENCES regions(code),\n"
	"  category    TEXT NOT NULL CHECK (category IN ('规上', '链主', '好品', '质量奖', '专精特新',\n"
	"                                                '标杆', '食品', '药品', '特种设备', '中小企业')),\n"
	"  year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),\n"
	"  metric      TEXT NOT NULL DEFAULT 'rate'\n"
	"              CHECK (metric IN ('rate', 'trained', 'new_filings')),\n"
	"  rate        REAL CHECK (rate BETWEEN 0 AND 1),\n"
	"  count       INTEGER CHECK (count BETWEEN 0 AND 1000000),\n"
	"  CHECK ((metric = 'new_filings') = (rate IS NULL)),\n"
	"  CHECK ((metric = 'new_filings') = (count IS NOT NULL)),\n"
	"  PRIMARY KEY (region_code, category, year, metric)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO targets_by_metric (region_code, category, year, metric, rate)\n"
	"  SELECT region_code, category, year, 'rate', rate FROM targets;\n"
	"DROP TABLE targets;\n"
	"ALTER TABLE targets_by_metric RENAME TO targets;\n",

	/* 21: files through the outbox (issue 18, 导出): a row's kind says
	 * whether its payload is a rendered message or the description of a
	 * file to build and upload; media_id is what the platform's upload
	 * returned (uploaded at media_at), kept so a failed file message is
	 * sent again without uploading twice. Today's rows are messages. */
	"ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'message'\n"
	"  CHECK (kind IN ('message', 'file'));\n"
	"ALTER TABLE outbox ADD COLUMN media_id TEXT;\n"
	"ALTER TABLE outbox ADD COLUMN media_at INTEGER;\n",

	/* 22: a full-text index of enterprise names by their two-character
	 * pieces (issue 17; tokenizer cqod_bigram, store/store_name_index.c), so
	 * 查询 by a part of a name reads the enterprises holding the term's
	 * pieces instead of scanning them all: FTS5's trigram tokenizer needs
	 * three characters, and Chinese names are often two. FTS5 over a
	 * B-tree of pieces: the B-tree's random inserts made a fresh import of
	 * 100,000 rows twice as slow, FTS5 writes each transaction's pieces as
	 * one segment. The names stay in enterprises (external content);
	 * triggers keep the index, today's names are indexed here. */
	"CREATE VIRTUAL TABLE enterprise_name_index USING fts5(name, content='enterprises',\n"
	"  content_rowid='id', tokenize='cqod_bigram', detail='none', columnsize=0);\n"
	"INSERT INTO enterprise_name_index (enterprise_name_index) VALUES ('rebuild');\n"
	"CREATE TRIGGER enterprise_name_index_insert AFTER INSERT ON enterprises BEGIN\n"
	"  INSERT INTO enterprise_name_index (rowid, name) VALUES (NEW.id, NEW.name);\n"
	"END;\n"
	"CREATE TRIGGER enterprise_name_index_rename AFTER UPDATE OF name ON enterprises\n"
	"  WHEN OLD.name IS NOT NEW.name BEGIN\n"
	"  INSERT INTO enterprise_name_index (enterprise_name_index, rowid, name)\n"
	"    VALUES ('delete', OLD.id, OLD.name);\n"
	"  INSERT INTO enterprise_name_index (rowid, name) VALUES (NEW.id, NEW.name);\n"
	"END;\n"
	"CREATE TRIGGER enterprise_name_index_delete AFTER DELETE ON enterprises BEGIN\n"
	"  INSERT INTO enterprise_name_index (enterprise_name_index, rowid, name)\n"
	"    VALUES ('delete', OLD.id, OLD.name);\n"
	"END;\n",

	/* 23: cards cqod sent that it shows anew (issue 18): an event's
	 * announcement, whose places left change with every sign-up. handle
	 * is what the platform updates it by (Feishu: the message id),
	 * outbox_id the row that sent it, version how many updates were
	 * queued (their outbox keys). Cards sent before this one were not
	 * kept: their ids were never recorded. */
	"CREATE TABLE sent_cards (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  event_id    INTEGER NOT NULL REFERENCES events(id),\n"
	"  platform    TEXT NOT NULL,\n"
	"  instance    TEXT NOT NULL,\n"
	"  handle      TEXT NOT NULL CHECK (handle <> ''),\n"
	"  outbox_id   INTEGER,\n"
	"  version     INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),\n"
	"  created_at  INTEGER NOT NULL,\n"
	"  UNIQUE (platform, instance, handle)\n"
	");\n"
	"CREATE INDEX sent_cards_event ON sent_cards(event_id);\n",

	/* 24: the reminder sweep (issue 17, P4). The open 建议解聘 by issue date:
	 * the sweep's query for those not yet sent to their enterprise had no
	 * index to start from, so SQLite walked every active appointment to find
	 * their sanctions (0.6 s of the loop on 1,000,000 CQOs, whatever was
	 * due); partial, a handful of rows, so it costs filings nothing. And a
	 * person's chat identities from the index alone, in the order they are
	 * sent (store_remind_person_identities), instead of a table read and a
	 * sort per person reminded; the clerks and admins by role, read for the
	 * digests, instead of a scan of every identity (0.5 s at 1,000,000). */
	"CREATE INDEX sanctions_open_advice ON sanctions(issued_on)\n"
	"  WHERE status = 'open' AND kind = '建议解聘';\n"
	"DROP INDEX identities_person;\n"
	"CREATE INDEX identities_person ON identities(person_id, role, platform, user_id, instance)\n"
	"  WHERE person_id IS NOT NULL;\n"
	"CREATE INDEX identities_role ON identities(role, platform, user_id);\n",

	/* 25: the signed path (issue 17, P1). inbound was WITHOUT ROWID, and
	 * since migration 9 each row also keeps its answer (a couple of KiB):
	 * rows that large make a WITHOUT ROWID B-tree split and move pages on
	 * every insert and answer, a tenth of a message's CPU. As a rowid table
	 * the rows append at the end and the (platform, msg_id) key stays a
	 * small index. The open sanctions of an appointment are read newest
	 * first with every 查询 card: the index now holds that order, so no
	 * sort per card. */
	"CREATE TABLE inbound_rows (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  platform    TEXT NOT NULL,\n"
	"  msg_id      TEXT NOT NULL,\n"
	"  received_at INTEGER NOT NULL,\n"
	"  answer      TEXT,\n"
	"  UNIQUE (platform, msg_id)\n"
	");\n"
	"INSERT INTO inbound_rows (platform, msg_id, received_at, answer)\n"
	"  SELECT platform, msg_id, received_at, answer FROM inbound ORDER BY received_at;\n"
	"DROP TABLE inbound;\n"
	"ALTER TABLE inbound_rows RENAME TO inbound;\n"
	"CREATE INDEX inbound_received ON inbound(received_at);\n"
	"DROP INDEX sanctions_appointment_status;\n"
	"CREATE INDEX sanctions_appointment_status ON sanctions(appointment_id, status, issued_on, id);\n",

	/* 26: DingTalk's interactive cards (issue 18): a press calls back with
	 * the card's id (outTrackId) and the button's slot, not a command, so
	 * what each button of a card stands for is kept here, written with the
	 * card's outbox row and replaced by each new face of the card: a press
	 * runs only a command its card shows. New: no card was sent before. */
	"CREATE TABLE card_tracks (\n"
	"  platform    TEXT NOT NULL,\n"
	"  instance    TEXT NOT NULL,\n"
	"  track_id    TEXT NOT NULL CHECK (track_id <> ''),\n"
	"  cmd1        TEXT,\n"
	"  cmd2        TEXT,\n"
	"  cmd3        TEXT,\n"
	"  cmd4        TEXT,\n"
	"  shared      INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),\n"
	"  updated_at  INTEGER NOT NULL,\n"
	"  PRIMARY KEY (platform, instance, track_id)\n"
	") WITHOUT ROWID;\n",

	/* 27: WeCom template cards kept for updates (issue 18). WeCom updates a
	 * card with a response_code, good once and for 72 hours, given with
	 * the send and with every press of one of its buttons: response_code
	 * is the freshest one not yet used (code_at when it came), held_code
	 * the one the card's pending update will use (a newer update takes it
	 * over). target is the user the card went to, task_id the card's.
	 * Feishu's and DingTalk's cards keep NULL in all of them. */
	"ALTER TABLE sent_cards ADD COLUMN target TEXT;\n"
	"ALTER TABLE sent_cards ADD COLUMN task_id TEXT;\n"
	"ALTER TABLE sent_cards ADD COLUMN response_code TEXT;\n"
	"ALTER TABLE sent_cards ADD COLUMN code_at INTEGER;\n"
	"ALTER TABLE sent_cards ADD COLUMN held_code TEXT;\n"
	"CREATE INDEX sent_cards_task ON sent_cards(platform, instance, task_id)\n"
	"  WHERE task_id IS NOT NULL;\n",

	/* 28: the outbox's state index holds the rows not yet sent (issue 17):
	 * a row sent leaves it rather than moving within it, so settling a
	 * send writes one index entry less, and the index stays as small as
	 * the queue however many rows were ever sent. Queries served by it
	 * name its condition (state <> 'sent'). */
	"DROP INDEX outbox_state_not_before;\n"
	"CREATE INDEX outbox_unsent ON outbox(state, not_before) WHERE state <> 'sent';\n",

	/* 29: the outbox's check of its states without an IN list (issue 17):
	 * SQLite checks a list of more than two values through a temporary
	 * table it builds again for every row inserted or whose state changes,
	 * a quarter of an enqueue (a reminder sweep enqueues a row per message,
	 * the dispatcher changes states all day). The same four states,
	 * compared one by one, accept and refuse exactly what the list did, so
	 * every row meets the new check as it met the old: the definition is
	 * changed in place, as SQLite documents for a CHECK (lang_altertable,
	 * "other kinds of table schema changes"), no row is touched, and RESET
	 * reloads this connection's schema. A connection opened before keeps
	 * the old, equivalent check until it reopens. */
	"PRAGMA writable_schema = ON;\n"
	"UPDATE sqlite_schema SET sql = replace(sql,\n"
	"  'CHECK (state IN (''pending'', ''inflight'', ''sent'', ''dead''))',\n"
	"  'CHECK (state = ''pending'' OR state = ''inflight'' OR state = ''sent''\n"
	"                     OR state = ''dead'')')\n"
	"  WHERE type = 'table' AND name = 'outbox';\n"
	"PRAGMA writable_schema = RESET;\n",

	/* 30: what a re-import found unchanged, remembered (issue 17, P6). A
	 * row of the 信息表 names its record by credit code and person name;
	 * when cqoctl import writes such a row, or finds it would change
	 * nothing, the SHA-256 of the row's values (store_import_digest.c) is
	 * kept here with the record it names, so that the same row imported
	 * again costs one lookup instead of the six the check reads.
	 * Guarantee: a row is here only while nothing the check reads has
	 * changed since. The triggers drop every row of an enterprise when it,
	 * its categories, any of its records, or a person of one of its
	 * records is written or deleted (a renamed person can make another
	 * record the newest of a name). The check itself stays the source of
	 * truth: a row not found here is checked in full. Empty at first: the
	 * first re-import after the upgrade checks every row and records it. */
	"CREATE TABLE import_digests (\n"
	"  credit_code    TEXT NOT NULL,\n"
	"  name           TEXT NOT NULL,\n"
	"  enterprise_id  INTEGER NOT NULL,\n"
	"  person_id      INTEGER NOT NULL,\n"
	"  appointment_id INTEGER NOT NULL,\n"
	"  digest         BLOB NOT NULL,\n"
	"  PRIMARY KEY (credit_code, name)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX import_digests_enterprise ON import_digests(enterprise_id);\n"
	"CREATE TRIGGER import_digests_enterprise_update AFTER UPDATE ON enterprises BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id IN (OLD.id, NEW.id);\n"
	"END;\n"
	"CREATE TRIGGER import_digests_enterprise_delete AFTER DELETE ON enterprises BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id = OLD.id;\n"
	"END;\n"
	"CREATE TRIGGER import_digests_tag_insert AFTER INSERT ON enterprise_tags BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id = NEW.enterprise_id;\n"
	"END;\n"
	"CREATE TRIGGER import_digests_tag_update AFTER UPDATE ON enterprise_tags BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id IN (OLD.enterprise_id, NEW.enterprise_id);\n"
	"END;\n"
	"CREATE TRIGGER import_digests_tag_delete AFTER DELETE ON enterprise_tags BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id = OLD.enterprise_id;\n"
	"END;\n"
	"CREATE TRIGGER import_digests_person_update AFTER UPDATE ON people BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id IN\n"
	"    (SELECT enterprise_id FROM appointments WHERE person_id IN (OLD.id, NEW.id));\n"
	"END;\n"
	"CREATE TRIGGER import_digests_person_delete AFTER DELETE ON people BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id IN\n"
	"    (SELECT enterprise_id FROM appointments WHERE person_id = OLD.id);\n"
	"END;\n"
	"CREATE TRIGGER import_digests_record_insert AFTER INSERT ON appointments BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id = NEW.enterprise_id;\n"
	"END;\n"
	"CREATE TRIGGER import_digests_record_update AFTER UPDATE ON appointments BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id IN (OLD.enterprise_id, NEW.enterprise_id);\n"
	"END;\n"
	"CREATE TRIGGER import_digests_record_delete AFTER DELETE ON appointments BEGIN\n"
	"  DELETE FROM import_digests WHERE enterprise_id = OLD.enterprise_id;\n"
	"END;\n",

	/* 31: the reminder sweep's terms from the index alone (issue 17, P4).
	 * The index on the active terms' end also holds each record's person
	 * and enterprise, so the sweep's term and lapsed-term queries read no
	 * row of a due record: on 1,000,000 CQOs each due record was a random
	 * page of appointments (a page fault and a b-tree descent) for three
	 * columns. The record's id follows the end, so 到期 still reads the
	 * index in its (term_end, id) order, with no sort; status is in the key
	 * only because SQLite does not count the partial index's condition as
	 * a column it holds. One entry per active record as before: 38 MB
	 * instead of 21 MB at 1,000,000. */
	"DROP INDEX appointments_active_term_end;\n"
	"CREATE INDEX appointments_active_term_end\n"
	"  ON appointments(term_end, id, person_id, enterprise_id, status) WHERE status = 'active';\n",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int store_migrations_count(void)
{
	return N_MIGRATIONS;
}

const char *store_migration_sql(int version)
{
	return version >= 1 && version <= N_MIGRATIONS ? migrations[version - 1] : NULL;
}
