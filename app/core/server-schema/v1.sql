-- SPDX-License-Identifier: GPL-3.0-or-later
-- The organization's server, schema version 1 (issue 13).
--
-- Run by `reskill server init` in one transaction, as a superuser (the
-- unit checks are C functions, which only a superuser may create). The
-- group roles exist already (rs-server.c makes them first, since roles
-- are cluster-wide); everything here belongs to reskill_owner, a role
-- nobody logs in as. @MODULE@ is replaced by the path of the server
-- module (reskill-pg.so) as a quoted literal.
--
-- Who may do what is said three times, on purpose:
--   grants     which tables and columns a group may touch at all;
--   policies   which rows, through one function per rule:
--              reskill.visible_people() and reskill.visible_teams()
--              (the rules of app/core/rs-access.c), reskill.my_kiosk(),
--              reskill.is_admin();
--   functions  the only ways in for writes that need checks:
--              push_unit (a kiosk's signed results), report_lock,
--              enroll_kiosk, add_login, add_bank.
-- Times are unix microseconds, as on the kiosks, so units map exactly.

CREATE SCHEMA reskill AUTHORIZATION reskill_owner;
SET LOCAL search_path = reskill, pg_catalog;

CREATE TABLE reskill.server_info (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  schema_version integer NOT NULL,
  server_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- People, as kiosks pull them. changed_xid is the transaction that last
-- wrote the row: a kiosk pulls rows written by transactions at or after
-- the oldest one still running at its last pull (rs-sync.c), so a
-- transaction that commits late is never skipped.
CREATE TABLE reskill.teams (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name <> ''),
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE reskill.people (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_no text NOT NULL UNIQUE CHECK (employee_no <> ''),
  name text NOT NULL CHECK (name <> ''),
  team_id bigint REFERENCES reskill.teams (id),
  role text NOT NULL CHECK (role IN ('employee', 'manager', 'admin')),
  secret_hash text,
  active boolean NOT NULL DEFAULT true,
  db_role name UNIQUE,                 -- the person's own login role, if any
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX people_by_team ON reskill.people (team_id);
CREATE INDEX people_by_change ON reskill.people (changed_xid);
CREATE TABLE reskill.team_managers (
  team_id bigint NOT NULL REFERENCES reskill.teams (id),
  person_id bigint NOT NULL REFERENCES reskill.people (id),
  PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_managers_by_person ON reskill.team_managers (person_id);

-- Sign-in locks, merged from every kiosk: a lock anywhere is a lock
-- everywhere after the next sync; an administrator's unlock (lifted_at)
-- lifts the locks that began before it.
CREATE TABLE reskill.lockouts (
  employee_no text PRIMARY KEY,
  locked_until bigint NOT NULL DEFAULT 0,
  lock_count integer NOT NULL DEFAULT 0,
  last_failed_at bigint NOT NULL DEFAULT 0,
  lifted_at bigint NOT NULL DEFAULT 0,
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX lockouts_by_change ON reskill.lockouts (changed_xid);

-- Kiosk settings an administrator sets once for every kiosk; values are
-- GVariant text of the key's type in io.github.reskill.Reskill.
CREATE TABLE reskill.settings (
  key text PRIMARY KEY
    CHECK (key IN ('organization-name', 'offered-modes', 'offered-skills', 'kiosk-idle-timeout')),
  value text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by name NOT NULL DEFAULT session_user
);

-- Enrolled kiosks: each has its own login role and its signing key.
CREATE TABLE reskill.kiosks (
  kiosk_id text PRIMARY KEY
    CHECK (kiosk_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  db_role name NOT NULL UNIQUE,
  public_key bytea NOT NULL UNIQUE CHECK (length (public_key) = 32),
  fingerprint text NOT NULL UNIQUE,
  name text,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  enrolled_by name NOT NULL DEFAULT session_user,
  revoked_at timestamptz,
  revoked_by name,
  last_push_at timestamptz,
  last_pull_at timestamptz
);

-- Question banks by version: the files a kiosk loaded, so that the server
-- recomputes every attempt with the bank it was scored with.
CREATE TABLE reskill.banks (
  version text PRIMARY KEY,
  n_items integer NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by name NOT NULL DEFAULT session_user
);
CREATE TABLE reskill.bank_files (
  version text NOT NULL REFERENCES reskill.banks (version),
  path text NOT NULL CHECK (path ~ '^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$'),
  content bytea NOT NULL,
  PRIMARY KEY (version, path)
);

-- Calibrations, as on a kiosk (rs-calibration.h); the one in force is the
-- newest. Kiosks pull it.
CREATE TABLE reskill.calibrations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  created_by name NOT NULL DEFAULT session_user,
  min_responses integer NOT NULL CHECK (min_responses >= 1),
  bank_version text,
  summary text NOT NULL
);
CREATE TABLE reskill.calibration_items (
  calibration_id bigint NOT NULL REFERENCES reskill.calibrations (id),
  item_id text NOT NULL,
  skill text NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),
  model text NOT NULL CHECK (model IN ('2pl', '3pl', 'gpcm')),
  status text NOT NULL CHECK (status IN ('provisional', 'calibrated', 'flagged')),
  anchor boolean NOT NULL,
  n integer NOT NULL CHECK (n >= 0),
  a double precision NOT NULL,
  b text NOT NULL,
  c double precision NOT NULL,
  se_a double precision NOT NULL,
  se_b text NOT NULL,
  se_c double precision NOT NULL,
  fit_chi2 double precision NOT NULL,
  fit_df integer NOT NULL,
  fit_p double precision NOT NULL,
  flags text NOT NULL,
  decision text CHECK (decision IN ('use', 'withhold')),
  decided_by name,
  decided_at bigint,
  PRIMARY KEY (calibration_id, item_id)
);

-- Results, written only by push_unit after every check. person_id is kept
-- on every row (an attempt's person never changes), so that one policy
-- per table decides by it without a join.
CREATE TABLE reskill.attempts (
  uuid text PRIMARY KEY,
  person_id bigint REFERENCES reskill.people (id),
  mode text NOT NULL CHECK (mode IN ('quick', 'standard', 'precise')),
  skills text NOT NULL,
  seed bigint NOT NULL,
  bank_version text,
  kiosk_id text NOT NULL REFERENCES reskill.kiosks (kiosk_id),
  status text NOT NULL CHECK (status IN ('in_progress', 'finished')),
  started_at bigint NOT NULL,
  finished_at bigint,
  pending_item_id text,
  pending_scored boolean NOT NULL DEFAULT true,
  received_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attempts_by_person ON reskill.attempts (person_id, status, finished_at);
CREATE INDEX attempts_by_kiosk ON reskill.attempts (kiosk_id);
CREATE TABLE reskill.attempt_priors (
  attempt_id text NOT NULL REFERENCES reskill.attempts (uuid),
  person_id bigint,
  skill text NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),
  mean double precision NOT NULL,
  sd double precision NOT NULL CHECK (sd > 0),
  PRIMARY KEY (attempt_id, skill)
);
CREATE TABLE reskill.self_estimates (
  attempt_id text NOT NULL REFERENCES reskill.attempts (uuid),
  person_id bigint,
  skill text NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),
  level text NOT NULL CHECK (level IN ('novice', 'developing', 'proficient', 'advanced', 'expert')),
  PRIMARY KEY (attempt_id, skill)
);
CREATE TABLE reskill.responses (
  attempt_id text NOT NULL REFERENCES reskill.attempts (uuid),
  person_id bigint,
  seq integer NOT NULL CHECK (seq >= 1),
  item_id text NOT NULL,
  skill text NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),
  answer text NOT NULL,
  score integer NOT NULL,
  max_score integer NOT NULL,
  theta double precision NOT NULL,
  se double precision NOT NULL,
  time_ms integer NOT NULL,
  answered_at bigint NOT NULL,
  scored boolean NOT NULL,
  PRIMARY KEY (attempt_id, seq)
);
CREATE TABLE reskill.results (
  attempt_id text NOT NULL REFERENCES reskill.attempts (uuid),
  person_id bigint,
  ord smallint NOT NULL,               -- the skill's place in the attempt's test order
  finished_at bigint NOT NULL,         -- the attempt's, for reports in time order
  skill text NOT NULL CHECK (skill IN ('python', 'statistics', 'ml', 'empathy')),
  theta double precision NOT NULL,
  se double precision NOT NULL,
  n_items integer NOT NULL,
  level text NOT NULL CHECK (level IN ('novice', 'developing', 'proficient', 'advanced', 'expert')),
  calibration text,
  se_provisional boolean NOT NULL DEFAULT false,
  p_novice double precision CHECK (p_novice BETWEEN 0 AND 1),
  p_developing double precision CHECK (p_developing BETWEEN 0 AND 1),
  p_proficient double precision CHECK (p_proficient BETWEEN 0 AND 1),
  p_advanced double precision CHECK (p_advanced BETWEEN 0 AND 1),
  p_expert double precision CHECK (p_expert BETWEEN 0 AND 1),
  PRIMARY KEY (attempt_id, skill)
);
CREATE INDEX results_by_person ON reskill.results (person_id, finished_at, attempt_id, ord)
  INCLUDE (skill, theta, se, n_items);

-- What each enrolled kiosk pushed, and what came of it.
CREATE TABLE reskill.unit_receipts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  kiosk_id text NOT NULL,
  attempt_id text NOT NULL,
  outcome text NOT NULL,
  detail text
);
CREATE INDEX unit_receipts_by_attempt ON reskill.unit_receipts (attempt_id);

CREATE TABLE reskill.audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  db_role name NOT NULL DEFAULT session_user,
  event text NOT NULL CHECK (event <> ''),
  detail text
);

-- Caches, kept by triggers whatever writes the rows, and rebuilt whole by
-- reskill.rebuild_caches(): what 10,000 people's reports and item
-- statistics would otherwise read every answer for.
CREATE TABLE reskill.latest_results (
  person_id bigint NOT NULL,
  skill text NOT NULL,
  attempt_id text NOT NULL,
  finished_at bigint NOT NULL,
  ord smallint NOT NULL,
  theta double precision NOT NULL,
  se double precision NOT NULL,
  n_items integer NOT NULL,
  PRIMARY KEY (person_id, skill)
);
CREATE TABLE reskill.item_sums (
  item_id text PRIMARY KEY,
  skill text NOT NULL,
  n_shown bigint NOT NULL DEFAULT 0,
  n_attempts bigint NOT NULL DEFAULT 0,
  sum_facility double precision NOT NULL DEFAULT 0,
  sum_time_ms bigint NOT NULL DEFAULT 0,
  n bigint NOT NULL DEFAULT 0,
  sx bigint NOT NULL DEFAULT 0,
  sy bigint NOT NULL DEFAULT 0,
  sxy bigint NOT NULL DEFAULT 0,
  sxx bigint NOT NULL DEFAULT 0,
  syy bigint NOT NULL DEFAULT 0
);
CREATE TABLE reskill.skill_sums (
  skill text PRIMARY KEY,
  n_attempts bigint NOT NULL DEFAULT 0
);

-- --- keeping the caches -----------------------------------------------

CREATE FUNCTION reskill.touch () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_xid := pg_current_xact_id ();
  RETURN NEW;
END $$;
CREATE TRIGGER people_touch BEFORE UPDATE ON reskill.people FOR EACH ROW EXECUTE FUNCTION reskill.touch ();
CREATE TRIGGER teams_touch BEFORE UPDATE ON reskill.teams FOR EACH ROW EXECUTE FUNCTION reskill.touch ();
CREATE TRIGGER lockouts_touch BEFORE UPDATE ON reskill.lockouts FOR EACH ROW EXECUTE FUNCTION reskill.touch ();

-- Attempts per skill (exposure's denominator), as the kiosk counts them:
-- every attempt whose skill list has the skill.
CREATE FUNCTION reskill.count_attempts () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reskill.skill_sums AS s (skill, n_attempts)
    SELECT skill, count(*) FROM new_rows, unnest (string_to_array (new_rows.skills, ',')) AS skill
     GROUP BY skill ORDER BY skill
  ON CONFLICT (skill) DO UPDATE SET n_attempts = s.n_attempts + excluded.n_attempts;
  RETURN NULL;
END $$;
CREATE TRIGGER attempts_count AFTER INSERT ON reskill.attempts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reskill.count_attempts ();

-- Each answer: shown, facility, time; an attempt counts once per item
-- (its first answer to it). Rows are locked in item order, so two kiosks'
-- pushes never deadlock.
CREATE FUNCTION reskill.count_responses () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reskill.item_sums AS s (item_id, skill, n_shown, n_attempts, sum_facility, sum_time_ms)
    SELECT n.item_id, min (n.skill), count(*),
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM reskill.responses AS r
                                              WHERE r.attempt_id = n.attempt_id AND r.item_id = n.item_id
                                                AND r.seq < n.seq)),
           sum (CASE WHEN n.max_score > 0 THEN n.score::double precision / n.max_score ELSE 0 END),
           sum (n.time_ms)
      FROM new_rows AS n GROUP BY n.item_id ORDER BY n.item_id
  ON CONFLICT (item_id) DO UPDATE SET n_shown = s.n_shown + excluded.n_shown,
    n_attempts = s.n_attempts + excluded.n_attempts, sum_facility = s.sum_facility + excluded.sum_facility,
    sum_time_ms = s.sum_time_ms + excluded.sum_time_ms;
  RETURN NULL;
END $$;
CREATE TRIGGER responses_count AFTER INSERT ON reskill.responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reskill.count_responses ();

-- A finished attempt's answers, once its results arrive: x the item's
-- score, y the rest of the attempt's score in that skill (rs-item-stats.h).
CREATE FUNCTION reskill.count_finished () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reskill.item_sums AS s (item_id, skill, n, sx, sy, sxy, sxx, syy)
    SELECT item_id, min (skill), count(*), sum (x), sum (y), sum (x * y), sum (x * x), sum (y * y)
      FROM (SELECT r.item_id, r.skill, r.score::bigint AS x,
                   (sum (r.score) OVER (PARTITION BY r.attempt_id, r.skill) - r.score)::bigint AS y
              FROM reskill.responses AS r
              JOIN (SELECT DISTINCT attempt_id, skill FROM new_rows) AS f
                ON f.attempt_id = r.attempt_id AND f.skill = r.skill) AS pairs
     GROUP BY item_id ORDER BY item_id
  ON CONFLICT (item_id) DO UPDATE SET n = s.n + excluded.n, sx = s.sx + excluded.sx, sy = s.sy + excluded.sy,
    sxy = s.sxy + excluded.sxy, sxx = s.sxx + excluded.sxx, syy = s.syy + excluded.syy;
  RETURN NULL;
END $$;
CREATE TRIGGER results_count AFTER INSERT ON reskill.results
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reskill.count_finished ();

-- Each person's latest result per skill: the company overview reads one
-- row per person and skill instead of every attempt.
CREATE FUNCTION reskill.keep_latest () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reskill.latest_results AS l (person_id, skill, attempt_id, finished_at, ord, theta, se, n_items)
    SELECT DISTINCT ON (person_id, skill) person_id, skill, attempt_id, finished_at, ord, theta, se, n_items
      FROM new_rows WHERE person_id IS NOT NULL
     ORDER BY person_id, skill, finished_at DESC, attempt_id DESC
  ON CONFLICT (person_id, skill) DO UPDATE SET attempt_id = excluded.attempt_id,
    finished_at = excluded.finished_at, ord = excluded.ord, theta = excluded.theta, se = excluded.se,
    n_items = excluded.n_items
    WHERE (excluded.finished_at, excluded.attempt_id) >= (l.finished_at, l.attempt_id);
  RETURN NULL;
END $$;
CREATE TRIGGER results_latest_insert AFTER INSERT ON reskill.results
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reskill.keep_latest ();
CREATE TRIGGER results_latest_update AFTER UPDATE ON reskill.results
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reskill.keep_latest ();

-- --- who is asking ----------------------------------------------------
-- session_user, not current_user: these run as their owner (SECURITY
-- DEFINER, so that they can read what the policies hide), and a login
-- role that SETs ROLE to a group stays who it is.

CREATE FUNCTION reskill.me () RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT id FROM reskill.people WHERE db_role = session_user AND active
$$;
CREATE FUNCTION reskill.is_admin () RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT EXISTS (SELECT 1 FROM reskill.people WHERE db_role = session_user AND active AND role = 'admin')
$$;
-- Who may run the administrator's functions: an administrator, or the
-- database's owner side (a superuser setting the server up, before any
-- administrator has a login).
CREATE FUNCTION reskill.may_administer () RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT reskill.is_admin () OR pg_has_role (session_user, 'reskill_owner', 'MEMBER')
$$;
CREATE FUNCTION reskill.my_kiosk () RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT kiosk_id FROM reskill.kiosks WHERE db_role = session_user AND revoked_at IS NULL
$$;
-- The teams whose reports the viewer may see (rs_access_visible_teams):
-- every team for an admin, the teams a manager leads, none otherwise.
CREATE FUNCTION reskill.visible_teams () RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT t.id FROM reskill.teams AS t WHERE reskill.is_admin ()
  UNION
  SELECT m.team_id FROM reskill.team_managers AS m JOIN reskill.people AS p ON p.id = m.person_id
   WHERE p.db_role = session_user AND p.active AND p.role = 'manager'
$$;
-- The people whose results the viewer may see (rs_access_can_view_person):
-- themselves, the members of the teams they may see. The one place the
-- rule lives on the server: every policy on results asks here.
CREATE FUNCTION reskill.visible_people () RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, reskill AS $$
  SELECT reskill.me () WHERE reskill.me () IS NOT NULL
  UNION
  SELECT p.id FROM reskill.people AS p WHERE p.team_id IN (SELECT reskill.visible_teams ())
  UNION
  SELECT p.id FROM reskill.people AS p WHERE reskill.is_admin ()
$$;

-- --- the ways in ------------------------------------------------------

CREATE FUNCTION reskill.module_version () RETURNS integer LANGUAGE C STRICT
  AS @MODULE@, 'reskill_module_version';
CREATE FUNCTION reskill.kiosk_fingerprint (public_key bytea) RETURNS text LANGUAGE C IMMUTABLE STRICT
  AS @MODULE@, 'reskill_kiosk_fingerprint';
-- A kiosk's signed attempt: parsed, its signature and its signer checked
-- against the calling kiosk's enrolled key, its content checked and its
-- numbers recomputed with the bank it names (app/core/rs-unit.h), then
-- merged by the same rule as a bundle import; refused otherwise with an
-- error that says why (SQLSTATE RS4xx).
CREATE FUNCTION reskill.push_unit (body bytea, signer bytea, signature bytea,
                                   OUT outcome text, OUT detail text)
  LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, reskill
  AS @MODULE@, 'reskill_push_unit';
-- A question bank's files, loaded by the same loader the kiosks use; its
-- version must come out as given.
CREATE FUNCTION reskill.add_bank (version text, paths text[], contents bytea[]) RETURNS integer
  LANGUAGE C STRICT SECURITY DEFINER SET search_path = pg_catalog, reskill
  AS @MODULE@, 'reskill_add_bank';

-- A kiosk's lock on an employee number: it can raise a lock, never lift
-- one, and never for longer than a kiosk would (15 minutes).
CREATE FUNCTION reskill.report_lock (p_number text, p_until bigint, p_count integer, p_failed_at bigint)
  RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  now_us bigint := (extract (epoch FROM clock_timestamp ()) * 1000000)::bigint;
BEGIN
  IF reskill.my_kiosk () IS NULL THEN
    RAISE EXCEPTION 'only an enrolled kiosk reports sign-in locks' USING ERRCODE = 'RS403';
  END IF;
  IF p_number IS NULL OR p_number = '' OR p_until IS NULL THEN
    RETURN;
  END IF;
  p_until := least (p_until, now_us + 900000000);
  p_failed_at := least (coalesce (p_failed_at, 0), now_us);
  INSERT INTO reskill.lockouts AS l (employee_no, locked_until, lock_count, last_failed_at)
    VALUES (p_number, p_until, greatest (coalesce (p_count, 0), 0), p_failed_at)
  ON CONFLICT (employee_no) DO UPDATE
    SET locked_until = greatest (l.locked_until, excluded.locked_until),
        lock_count = greatest (l.lock_count, excluded.lock_count),
        last_failed_at = greatest (l.last_failed_at, excluded.last_failed_at)
    WHERE excluded.last_failed_at > l.lifted_at
      AND (excluded.locked_until > l.locked_until OR excluded.lock_count > l.lock_count);
END $$;

-- What the server holds of the calling kiosk's attempts, so that a kiosk
-- pushes whatever the server lacks, whatever it believes it pushed before
-- (after a restore from a backup, say). Its own attempts only.
CREATE FUNCTION reskill.kiosk_attempts (OUT uuid text, OUT n_responses integer, OUT finished boolean)
  RETURNS SETOF record LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  SELECT a.uuid, (SELECT count(*)::integer FROM reskill.responses AS r WHERE r.attempt_id = a.uuid),
         a.status = 'finished'
    FROM reskill.attempts AS a WHERE a.kiosk_id = reskill.my_kiosk ()
$$;

-- The calling kiosk pulled: kept for the administrator's list.
CREATE FUNCTION reskill.kiosk_pulled () RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  UPDATE reskill.kiosks SET last_pull_at = now () WHERE db_role = session_user AND revoked_at IS NULL
$$;

-- Enrolling a kiosk: its own login role, a member of reskill_kiosk and
-- nothing else, with the SCRAM verifier the enrolling program computed
-- (the password itself never reaches the server), and its key.
CREATE FUNCTION reskill.enroll_kiosk (p_kiosk_id text, p_public_key bytea, p_name text, p_verifier text)
  RETURNS name LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  role_name name := 'reskill_kiosk_' || substr (replace (p_kiosk_id, '-', ''), 1, 12);
  fp text := reskill.kiosk_fingerprint (p_public_key);
BEGIN
  IF NOT reskill.may_administer () THEN
    RAISE EXCEPTION 'only an administrator enrolls kiosks' USING ERRCODE = 'RS403';
  END IF;
  IF EXISTS (SELECT 1 FROM reskill.kiosks WHERE kiosk_id = p_kiosk_id AND public_key = p_public_key
             AND revoked_at IS NULL) THEN
    EXECUTE format ('ALTER ROLE %I WITH LOGIN PASSWORD %L', role_name, p_verifier);
    INSERT INTO reskill.audit (event, detail) VALUES ('kiosk-enrolled-again', role_name || ' ' || fp);
    RETURN role_name;
  END IF;
  IF EXISTS (SELECT 1 FROM reskill.kiosks WHERE kiosk_id = p_kiosk_id OR public_key = p_public_key) THEN
    RAISE EXCEPTION 'kiosk % (key %) was enrolled before and revoked, or its id or key belongs to another kiosk',
      p_kiosk_id, fp USING ERRCODE = 'RS409';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
    RAISE EXCEPTION 'a role named % exists already', role_name USING ERRCODE = 'RS409';
  END IF;
  EXECUTE format ('CREATE ROLE %I LOGIN IN ROLE reskill_kiosk PASSWORD %L', role_name, p_verifier);
  INSERT INTO reskill.kiosks (kiosk_id, db_role, public_key, fingerprint, name)
    VALUES (p_kiosk_id, role_name, p_public_key, fp, nullif (p_name, ''));
  INSERT INTO reskill.audit (event, detail) VALUES ('kiosk-enrolled', role_name || ' ' || fp);
  RETURN role_name;
END $$;

-- A kiosk lost, stolen or retired: its role can no longer log in and its
-- units are refused; the kiosks that pull see it revoked.
CREATE FUNCTION reskill.revoke_kiosk (what text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  k reskill.kiosks;
BEGIN
  IF NOT reskill.may_administer () THEN
    RAISE EXCEPTION 'only an administrator revokes kiosks' USING ERRCODE = 'RS403';
  END IF;
  SELECT * INTO k FROM reskill.kiosks
   WHERE revoked_at IS NULL AND (fingerprint = what OR name = what OR kiosk_id = what OR db_role = what);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no enrolled kiosk is called %', what USING ERRCODE = 'RS404';
  END IF;
  UPDATE reskill.kiosks SET revoked_at = now (), revoked_by = session_user WHERE kiosk_id = k.kiosk_id;
  EXECUTE format ('ALTER ROLE %I NOLOGIN', k.db_role);
  INSERT INTO reskill.audit (event, detail) VALUES ('kiosk-revoked', k.db_role || ' ' || k.fingerprint);
  RETURN k.fingerprint;
END $$;

-- A person's own login role (managers and admins at their desks):
-- a member of the group of their role, with a SCRAM verifier.
CREATE FUNCTION reskill.add_login (p_employee_no text, p_role_name name, p_verifier text) RETURNS name
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  person reskill.people;
  grp name;
BEGIN
  IF NOT reskill.may_administer () THEN
    RAISE EXCEPTION 'only an administrator gives people logins' USING ERRCODE = 'RS403';
  END IF;
  SELECT * INTO person FROM reskill.people WHERE employee_no = p_employee_no;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'there is nobody with employee number %', p_employee_no USING ERRCODE = 'RS404';
  END IF;
  IF p_role_name !~ '^[a-z_][a-z0-9_]{0,62}$' OR p_role_name LIKE 'reskill\_kiosk%' OR p_role_name LIKE 'pg\_%'
     OR p_role_name IN ('reskill_owner', 'reskill_admin', 'reskill_manager', 'reskill_employee') THEN
    RAISE EXCEPTION 'the role name % cannot be used: lower-case letters, digits and _ only', p_role_name
      USING ERRCODE = 'RS422';
  END IF;
  grp := 'reskill_' || person.role;
  IF person.db_role IS NOT NULL AND person.db_role <> p_role_name THEN
    RAISE EXCEPTION '% logs in as % already', p_employee_no, person.db_role USING ERRCODE = 'RS409';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role_name) THEN
    IF person.db_role IS NULL THEN
      RAISE EXCEPTION 'a role named % exists already', p_role_name USING ERRCODE = 'RS409';
    END IF;
    EXECUTE format ('ALTER ROLE %I WITH LOGIN PASSWORD %L', p_role_name, p_verifier);
  ELSE
    EXECUTE format ('CREATE ROLE %I LOGIN IN ROLE %I PASSWORD %L', p_role_name, grp, p_verifier);
  END IF;
  UPDATE reskill.people SET db_role = p_role_name WHERE id = person.id;
  INSERT INTO reskill.audit (event, detail) VALUES ('login-added', p_employee_no || ' as ' || p_role_name);
  RETURN p_role_name;
END $$;

-- A report exported from the server, in its audit log (people at their
-- desks write no other row).
CREATE FUNCTION reskill.audit_export (p_detail text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  INSERT INTO reskill.audit (event, detail) SELECT 'export', p_detail WHERE reskill.me () IS NOT NULL
$$;

-- The caches again from the rows (after a restore, or a bulk load).
CREATE FUNCTION reskill.rebuild_caches () RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
BEGIN
  IF NOT reskill.may_administer () THEN
    RAISE EXCEPTION 'only an administrator rebuilds the caches' USING ERRCODE = 'RS403';
  END IF;
  LOCK TABLE reskill.responses, reskill.results, reskill.attempts IN SHARE MODE;
  TRUNCATE reskill.latest_results, reskill.item_sums, reskill.skill_sums;
  INSERT INTO reskill.skill_sums (skill, n_attempts)
    SELECT skill, count(*) FROM reskill.attempts, unnest (string_to_array (skills, ',')) AS skill GROUP BY skill;
  INSERT INTO reskill.item_sums (item_id, skill, n_shown, n_attempts, sum_facility, sum_time_ms)
    SELECT item_id, min (skill), count(*), count (DISTINCT attempt_id),
           sum (CASE WHEN max_score > 0 THEN score::double precision / max_score ELSE 0 END), sum (time_ms)
      FROM reskill.responses GROUP BY item_id;
  UPDATE reskill.item_sums AS s SET n = d.n, sx = d.sx, sy = d.sy, sxy = d.sxy, sxx = d.sxx, syy = d.syy
    FROM (SELECT item_id, count(*) AS n, sum (x) AS sx, sum (y) AS sy, sum (x * y) AS sxy, sum (x * x) AS sxx,
                 sum (y * y) AS syy
            FROM (SELECT r.item_id, r.score::bigint AS x,
                         (sum (r.score) OVER (PARTITION BY r.attempt_id, r.skill) - r.score)::bigint AS y
                    FROM reskill.responses AS r JOIN reskill.attempts AS a ON a.uuid = r.attempt_id
                   WHERE a.status = 'finished') AS pairs
           GROUP BY item_id) AS d
   WHERE d.item_id = s.item_id;
  INSERT INTO reskill.latest_results (person_id, skill, attempt_id, finished_at, ord, theta, se, n_items)
    SELECT DISTINCT ON (person_id, skill) person_id, skill, attempt_id, finished_at, ord, theta, se, n_items
      FROM reskill.results WHERE person_id IS NOT NULL
     ORDER BY person_id, skill, finished_at DESC, attempt_id DESC;
END $$;

-- --- grants -------------------------------------------------------------

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA reskill FROM PUBLIC;
GRANT USAGE ON SCHEMA reskill TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin;
GRANT SELECT ON reskill.server_info TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin;
GRANT EXECUTE ON FUNCTION reskill.me (), reskill.is_admin (), reskill.may_administer (), reskill.my_kiosk (), reskill.visible_teams (),
  reskill.visible_people (), reskill.module_version (), reskill.kiosk_fingerprint (bytea)
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin;

-- A kiosk: what it needs to sign people in and to test them, and its
-- three ways in. No result of anyone.
GRANT SELECT (id, employee_no, name, team_id, role, secret_hash, active, changed_xid) ON reskill.people
  TO reskill_kiosk;
GRANT SELECT ON reskill.teams, reskill.team_managers, reskill.lockouts, reskill.settings,
  reskill.calibrations, reskill.calibration_items TO reskill_kiosk;
GRANT SELECT (kiosk_id, public_key, fingerprint, name, revoked_at) ON reskill.kiosks TO reskill_kiosk;
GRANT EXECUTE ON FUNCTION reskill.push_unit (bytea, bytea, bytea), reskill.report_lock (text, bigint, integer, bigint),
  reskill.kiosk_attempts (), reskill.kiosk_pulled () TO reskill_kiosk;

-- People at their desks: results, through the policies below. Never a
-- PIN hash.
GRANT SELECT (id, employee_no, name, team_id, role, active) ON reskill.people
  TO reskill_employee, reskill_manager, reskill_admin;
GRANT SELECT ON reskill.teams, reskill.team_managers, reskill.attempts, reskill.attempt_priors,
  reskill.self_estimates, reskill.responses, reskill.results, reskill.latest_results
  TO reskill_employee, reskill_manager, reskill_admin;
GRANT EXECUTE ON FUNCTION reskill.audit_export (text) TO reskill_employee, reskill_manager, reskill_admin;

-- Administrators: people, teams, locks, settings, kiosks, banks,
-- calibrations, the statistics and the logs.
GRANT INSERT (employee_no, name, team_id, role, secret_hash, active),
      UPDATE (name, team_id, role, secret_hash, active) ON reskill.people TO reskill_admin;
GRANT INSERT, UPDATE ON reskill.teams TO reskill_admin;
GRANT INSERT, DELETE ON reskill.team_managers TO reskill_admin;
GRANT SELECT, INSERT (employee_no, locked_until, lock_count, lifted_at),
      UPDATE (locked_until, lock_count, lifted_at) ON reskill.lockouts TO reskill_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON reskill.settings TO reskill_admin;
GRANT SELECT ON reskill.kiosks, reskill.banks, reskill.item_sums, reskill.skill_sums, reskill.unit_receipts,
  reskill.audit TO reskill_admin;
GRANT UPDATE (name) ON reskill.kiosks TO reskill_admin;
GRANT SELECT (version, path) ON reskill.bank_files TO reskill_admin;
GRANT SELECT, INSERT ON reskill.calibrations TO reskill_admin;
GRANT SELECT, INSERT, UPDATE (decision, decided_by, decided_at) ON reskill.calibration_items TO reskill_admin;
GRANT INSERT (event, detail) ON reskill.audit TO reskill_admin;
GRANT EXECUTE ON FUNCTION reskill.enroll_kiosk (text, bytea, text, text), reskill.revoke_kiosk (text),
  reskill.add_login (text, name, text), reskill.add_bank (text, text[], bytea[]), reskill.rebuild_caches ()
  TO reskill_admin;

-- --- row-level security -------------------------------------------------
-- Every table has it, so that a group's grants never reach further than
-- the rule: a deactivated administrator, a revoked kiosk, a manager
-- demoted to employee see nothing more than the people table now says.

ALTER TABLE reskill.people ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.people FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY viewer_reads ON reskill.people FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR id IN (SELECT reskill.visible_people ()));
CREATE POLICY admin_adds ON reskill.people FOR INSERT TO reskill_admin WITH CHECK ((SELECT reskill.is_admin ()));
CREATE POLICY admin_changes ON reskill.people FOR UPDATE TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.teams FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY viewer_reads ON reskill.teams FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (id IN (SELECT reskill.visible_teams ()));
CREATE POLICY admin_adds ON reskill.teams FOR INSERT TO reskill_admin WITH CHECK ((SELECT reskill.is_admin ()));
CREATE POLICY admin_changes ON reskill.teams FOR UPDATE TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.team_managers ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.team_managers FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY viewer_reads ON reskill.team_managers FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (team_id IN (SELECT reskill.visible_teams ()));
CREATE POLICY admin_adds ON reskill.team_managers FOR INSERT TO reskill_admin
  WITH CHECK ((SELECT reskill.is_admin ()));
CREATE POLICY admin_removes ON reskill.team_managers FOR DELETE TO reskill_admin USING ((SELECT reskill.is_admin ()));

-- Results: one policy per table, all asking visible_people().
ALTER TABLE reskill.attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.attempts FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));
ALTER TABLE reskill.attempt_priors ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.attempt_priors FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));
ALTER TABLE reskill.self_estimates ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.self_estimates FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));
ALTER TABLE reskill.responses ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.responses FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));
ALTER TABLE reskill.results ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.results FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));
ALTER TABLE reskill.latest_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY viewer_reads ON reskill.latest_results FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING ((SELECT reskill.is_admin ()) OR person_id IN (SELECT reskill.visible_people ()));

ALTER TABLE reskill.lockouts ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.lockouts FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_all ON reskill.lockouts TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.settings FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_all ON reskill.settings TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.kiosks ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.kiosks FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_all ON reskill.kiosks TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.calibrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.calibrations FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_all ON reskill.calibrations TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.calibration_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.calibration_items FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_all ON reskill.calibration_items TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

ALTER TABLE reskill.banks ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.banks FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.bank_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.bank_files FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.item_sums ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.item_sums FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.skill_sums ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.skill_sums FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.unit_receipts ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.unit_receipts FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_reads ON reskill.audit FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
CREATE POLICY admin_writes ON reskill.audit FOR INSERT TO reskill_admin WITH CHECK ((SELECT reskill.is_admin ()));
