-- SPDX-License-Identifier: GPL-3.0-or-later
-- The organization's server, schema version 2 (issue 14): the privacy
-- rules kept by the server too.
--
--   privacy_policy, team_policies, notice_wording
--              the organization's visibility policy, retention periods and
--              the notice's own wording, as on a kiosk (rs-privacy.h);
--              kiosks pull them and take them as theirs (the server wins:
--              docs/PRIVACY.md says why);
--   rule_allows, visible_people_for
--              rs_access_rule (app/core/rs-access.c) in SQL: the policies
--              on results and answers now ask it, so a manager's login
--              under "aggregates" cannot SELECT a named result, nor under
--              "levels" an answer;
--   report_rows
--              what a report reads: named rows where the rule shows names,
--              per-report pseudonyms where it does not (group figures);
--   result_views, record_views, who_looked
--              who looked at whose named results, readable by the person;
--   erasures, erased_attempts, erase_person
--              erasures kiosks push (checked by the module), the person's
--              rows deleted and a tombstone kept, pulled by every kiosk;
--   run_retention
--              the retention periods applied on the server.
-- Runs in the migration's transaction, as a superuser; everything ends up
-- owned by reskill_owner (rs-server.c).

SET LOCAL search_path = reskill, pg_catalog;

-- --- the policy -----------------------------------------------------------

CREATE TABLE reskill.privacy_policy (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  visibility text NOT NULL CHECK (visibility IN ('aggregates', 'levels', 'full')),
  min_group integer NOT NULL CHECK (min_group BETWEEN 2 AND 1000),
  keep_results_months integer NOT NULL CHECK (keep_results_months BETWEEN 1 AND 1200),
  keep_inactive_months integer NOT NULL CHECK (keep_inactive_months BETWEEN 0 AND 1200),
  anonymous_answers boolean NOT NULL,
  version bigint NOT NULL CHECK (version >= 1),
  changed_at bigint,                   -- unix microseconds; NULL: the defaults
  changed_by name,
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id ()
);
-- The kiosks' defaults (rs-privacy.h), version 1.
INSERT INTO reskill.privacy_policy (visibility, min_group, keep_results_months, keep_inactive_months,
                                    anonymous_answers, version)
  VALUES ('levels', 5, 24, 12, true, 1);

CREATE TABLE reskill.team_policies (
  team_id bigint PRIMARY KEY REFERENCES reskill.teams (id),
  visibility text NOT NULL CHECK (visibility IN ('aggregates', 'levels', 'full'))
);
CREATE TABLE reskill.notice_wording (
  lang text PRIMARY KEY CHECK (lang ~ '^[A-Za-z0-9_.@-]{0,32}$'),   -- as lang_valid () in rs-privacy.c
  text text NOT NULL CHECK (text <> '' AND octet_length (text) <= 8000)
);

-- Any change of the policy, a team's override or the wording raises the
-- version (everyone confirms the notice again) and is audited. Writing the
-- same values again changes nothing.
CREATE FUNCTION reskill.policy_changed () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
BEGIN
  IF (NEW.visibility, NEW.min_group, NEW.keep_results_months, NEW.keep_inactive_months, NEW.anonymous_answers)
     IS NOT DISTINCT FROM (OLD.visibility, OLD.min_group, OLD.keep_results_months, OLD.keep_inactive_months,
                           OLD.anonymous_answers)
     AND NEW.version <= OLD.version THEN
    RETURN NULL;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.changed_at := (extract (epoch FROM clock_timestamp ()) * 1000000)::bigint;
  NEW.changed_by := session_user;
  NEW.changed_xid := pg_current_xact_id ();
  INSERT INTO reskill.audit (event, detail)
    VALUES ('privacy-policy', format ('version %s: %s, groups of %s, results %s months, inactive %s months%s',
                                      NEW.version, NEW.visibility, NEW.min_group, NEW.keep_results_months,
                                      NEW.keep_inactive_months,
                                      CASE WHEN NEW.anonymous_answers THEN ', anonymous answers kept' ELSE '' END));
  RETURN NEW;
END $$;
CREATE TRIGGER privacy_policy_changed BEFORE UPDATE ON reskill.privacy_policy
  FOR EACH ROW EXECUTE FUNCTION reskill.policy_changed ();

CREATE FUNCTION reskill.policy_part_changed () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND to_jsonb (NEW) = to_jsonb (OLD) THEN
    RETURN NULL;
  END IF;
  UPDATE reskill.privacy_policy SET version = version + 1;
  -- One branch per table: a record's fields are looked up when used.
  IF TG_TABLE_NAME = 'team_policies' THEN
    INSERT INTO reskill.audit (event, detail)
      VALUES ('team-visibility', format ('team %s: %s', CASE WHEN TG_OP = 'DELETE' THEN OLD.team_id ELSE NEW.team_id END,
                                         CASE WHEN TG_OP = 'DELETE' THEN 'inherit' ELSE NEW.visibility END));
  ELSE
    INSERT INTO reskill.audit (event, detail)
      VALUES ('notice-wording', format ('language "%s" %s', CASE WHEN TG_OP = 'DELETE' THEN OLD.lang ELSE NEW.lang END,
                                        CASE WHEN TG_OP = 'DELETE' THEN 'removed' ELSE 'set' END));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER team_policies_changed AFTER INSERT OR UPDATE OR DELETE ON reskill.team_policies
  FOR EACH ROW EXECUTE FUNCTION reskill.policy_part_changed ();
CREATE TRIGGER notice_wording_changed AFTER INSERT OR UPDATE OR DELETE ON reskill.notice_wording
  FOR EACH ROW EXECUTE FUNCTION reskill.policy_part_changed ();

-- --- the rule ---------------------------------------------------------------

-- rs_access_rule for a leader (a manager of the person's team, or an
-- administrator): 'levels' (a named person's levels) under levels and
-- full, 'answers' under full only. The person themselves sees everything,
-- and group figures are report_rows' business.
CREATE FUNCTION reskill.rule_allows (p_visibility text, p_detail text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_detail WHEN 'levels' THEN p_visibility IN ('levels', 'full')
                       WHEN 'answers' THEN p_visibility = 'full'
                       ELSE false END
$$;

-- The visibility in force for a team (NULL: people in no team get the
-- organization's).
CREATE FUNCTION reskill.team_visibility (p_team bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  SELECT coalesce ((SELECT visibility FROM reskill.team_policies WHERE team_id = p_team),
                   (SELECT visibility FROM reskill.privacy_policy))
$$;

-- The people whose p_detail ('levels' or 'answers') the viewer may see by
-- name: themselves, and as a leader those the rule allows under their
-- team's policy. Every policy on results asks here (visible_people () of
-- version 1 still says whom a viewer may know of at all).
CREATE FUNCTION reskill.visible_people_for (p_detail text) RETURNS SETOF bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  SELECT reskill.me () WHERE reskill.me () IS NOT NULL
  UNION
  SELECT p.id FROM reskill.people AS p
    LEFT JOIN reskill.team_policies AS tp ON tp.team_id = p.team_id
    CROSS JOIN reskill.privacy_policy AS o
   WHERE ((SELECT reskill.is_admin ()) OR p.team_id IN (SELECT reskill.visible_teams ()))
     AND reskill.rule_allows (coalesce (tp.visibility, o.visibility), p_detail)
$$;

DROP POLICY viewer_reads ON reskill.attempts;
CREATE POLICY viewer_reads ON reskill.attempts FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('levels')));
DROP POLICY viewer_reads ON reskill.attempt_priors;
CREATE POLICY viewer_reads ON reskill.attempt_priors FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('levels')));
DROP POLICY viewer_reads ON reskill.self_estimates;
CREATE POLICY viewer_reads ON reskill.self_estimates FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('levels')));
DROP POLICY viewer_reads ON reskill.results;
CREATE POLICY viewer_reads ON reskill.results FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('levels')));
DROP POLICY viewer_reads ON reskill.latest_results;
CREATE POLICY viewer_reads ON reskill.latest_results FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('levels')));
DROP POLICY viewer_reads ON reskill.responses;
CREATE POLICY viewer_reads ON reskill.responses FOR SELECT TO reskill_employee, reskill_manager, reskill_admin
  USING (person_id IN (SELECT reskill.visible_people_for ('answers')));

-- What a team report (p_team) or the company overview (NULL) reads, for
-- the teams the viewer may see: kind 0 one row per team with the policy in
-- force there, kind 1 its members, kind 2 their results (every one, or
-- with p_latest each member's latest per skill), oldest first. Where the
-- rule shows no names the members come as pseudonyms (negative numbers
-- drawn anew for each call, no number, no name), so that group figures
-- can be computed and nothing links them to a person.
CREATE FUNCTION reskill.report_rows (p_team bigint, p_latest boolean,
    OUT kind integer, OUT team_id bigint, OUT person_key bigint, OUT employee_no text, OUT name text,
    OUT seq bigint, OUT finished_at bigint, OUT skill text, OUT theta double precision, OUT se double precision,
    OUT n_items integer, OUT p_novice double precision, OUT p_developing double precision,
    OUT p_proficient double precision, OUT p_advanced double precision, OUT p_expert double precision,
    OUT visibility text, OUT min_group integer)
  RETURNS SETOF record LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  WITH t AS MATERIALIZED (
    SELECT t.id, coalesce (tp.visibility, o.visibility) AS visibility, o.min_group
      FROM reskill.teams AS t LEFT JOIN reskill.team_policies AS tp ON tp.team_id = t.id
      CROSS JOIN reskill.privacy_policy AS o
     WHERE (p_team IS NULL OR t.id = p_team) AND t.id IN (SELECT reskill.visible_teams ())),
  m AS MATERIALIZED (
    SELECT p.id, p.team_id, p.employee_no, p.name, reskill.rule_allows (t.visibility, 'levels') AS named,
           row_number () OVER (ORDER BY random ()) AS pseudonym
      FROM reskill.people AS p JOIN t ON t.id = p.team_id
     WHERE p.active AND NOT EXISTS (SELECT 1 FROM reskill.team_managers AS x
                                     WHERE x.team_id = p.team_id AND x.person_id = p.id)),
  r AS (
    SELECT r.person_id, r.finished_at, r.skill, r.theta, r.se, r.n_items, r.p_novice, r.p_developing,
           r.p_proficient, r.p_advanced, r.p_expert, r.attempt_id, r.ord
      FROM reskill.results AS r WHERE NOT p_latest AND r.person_id IN (SELECT id FROM m)
    UNION ALL
    SELECT r.person_id, r.finished_at, r.skill, r.theta, r.se, r.n_items, r.p_novice, r.p_developing,
           r.p_proficient, r.p_advanced, r.p_expert, r.attempt_id, r.ord
      FROM reskill.latest_results AS l JOIN reskill.results AS r ON r.attempt_id = l.attempt_id AND r.skill = l.skill
     WHERE p_latest AND l.person_id IN (SELECT id FROM m))
  SELECT * FROM (
    SELECT 0, t.id, NULL::bigint, NULL::text, NULL::text, 0::bigint, NULL::bigint, NULL::text,
           NULL::double precision, NULL::double precision, NULL::integer, NULL::double precision,
           NULL::double precision, NULL::double precision, NULL::double precision, NULL::double precision,
           t.visibility, t.min_group
      FROM t
    UNION ALL
    SELECT 1, m.team_id, CASE WHEN m.named THEN m.id ELSE -m.pseudonym END,
           CASE WHEN m.named THEN m.employee_no END, CASE WHEN m.named THEN m.name END,
           CASE WHEN m.named THEN 0 ELSE m.pseudonym END, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL
      FROM m
    UNION ALL
    SELECT 2, m.team_id, CASE WHEN m.named THEN m.id ELSE -m.pseudonym END, NULL, NULL,
           row_number () OVER (ORDER BY r.finished_at, r.attempt_id, r.ord), r.finished_at, r.skill, r.theta, r.se,
           r.n_items, r.p_novice, r.p_developing, r.p_proficient, r.p_advanced, r.p_expert, NULL, NULL
      FROM r JOIN m ON m.id = r.person_id) AS u (kind, team_id, person_key, employee_no, name, seq, finished_at,
                                                  skill, theta, se, n_items, p_novice, p_developing, p_proficient,
                                                  p_advanced, p_expert, visibility, min_group)
   ORDER BY u.kind, u.name COLLATE "C", u.employee_no COLLATE "C", u.seq
$$;

-- --- who looked -------------------------------------------------------------

-- A row per named person each time a manager or an administrator was shown
-- their results from the server. The viewer is kept by name and number as
-- well, so that the row still says who looked after the viewer is gone.
CREATE TABLE reskill.result_views (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at bigint NOT NULL,                  -- unix microseconds
  viewer_id bigint REFERENCES reskill.people (id) ON DELETE SET NULL,
  viewer_employee_no text,
  viewer_role text NOT NULL CHECK (viewer_role IN ('employee', 'manager', 'admin', 'operator')),
  person_id bigint NOT NULL REFERENCES reskill.people (id),
  what text NOT NULL CHECK (what IN ('member', 'team-report', 'team-pdf', 'team-csv', 'answers', 'data-export')),
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id ()
);
CREATE INDEX result_views_by_person ON reskill.result_views (person_id, at);
CREATE INDEX result_views_by_change ON reskill.result_views (changed_xid);

-- The viewer was shown the named results of p_team's members, as
-- report_rows lists them (the team's managers are not its members; the
-- rule decides who was named: nobody under aggregates). Returns how many
-- rows.
CREATE FUNCTION reskill.record_views (p_team bigint, p_what text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  viewer reskill.people;
  n integer;
BEGIN
  SELECT * INTO viewer FROM reskill.people WHERE id = reskill.me ();
  IF NOT FOUND THEN
    RAISE EXCEPTION 'only a person''s own login sees named results' USING ERRCODE = 'RS403';
  END IF;
  IF p_team NOT IN (SELECT reskill.visible_teams ()) THEN
    RAISE EXCEPTION 'You can only see the teams you lead.' USING ERRCODE = 'RS403';
  END IF;
  INSERT INTO reskill.result_views (at, viewer_id, viewer_employee_no, viewer_role, person_id, what)
    SELECT (extract (epoch FROM clock_timestamp ()) * 1000000)::bigint, viewer.id, viewer.employee_no, viewer.role,
           p.id, p_what
      FROM reskill.people AS p
     WHERE p.team_id = p_team AND p.active AND p.id <> viewer.id
       AND NOT EXISTS (SELECT 1 FROM reskill.team_managers AS x WHERE x.team_id = p_team AND x.person_id = p.id)
       AND reskill.rule_allows (reskill.team_visibility (p_team), 'levels');
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

-- Who looked at p_employee_no's results, newest first: for the person
-- themselves or an administrator.
CREATE FUNCTION reskill.who_looked (p_employee_no text,
    OUT at bigint, OUT viewer_name text, OUT viewer_employee_no text, OUT viewer_role text, OUT what text)
  RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  target bigint;
BEGIN
  SELECT id INTO target FROM reskill.people WHERE employee_no = p_employee_no;
  IF target IS NULL OR (target IS DISTINCT FROM reskill.me () AND NOT reskill.is_admin ()) THEN
    RAISE EXCEPTION 'only the person themselves or an administrator sees who looked at their results'
      USING ERRCODE = 'RS403';
  END IF;
  RETURN QUERY
    SELECT v.at, p.name, coalesce (p.employee_no, v.viewer_employee_no), v.viewer_role, v.what
      FROM reskill.result_views AS v LEFT JOIN reskill.people AS p ON p.id = v.viewer_id
     WHERE v.person_id = target ORDER BY v.at DESC, v.id DESC;
END $$;

-- --- erasures ---------------------------------------------------------------

-- What stays of an erased person: the erasure's UUID, where and when it was
-- made, the employee number (kiosks that have not pulled it yet find the
-- person by it, and a later push of an older attempt of that number is
-- refused by it; readable by kiosks and administrators only) and the
-- erased attempts' UUIDs. Never a name or a result.
CREATE TABLE reskill.erasures (
  uuid text PRIMARY KEY,
  kiosk_id text NOT NULL,
  erased_at bigint NOT NULL,
  employee_no text NOT NULL,
  received_from text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now (),
  person_was_here boolean NOT NULL,
  changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id ()
);
CREATE INDEX erasures_by_number ON reskill.erasures (employee_no, erased_at);
CREATE INDEX erasures_by_change ON reskill.erasures (changed_xid);
CREATE TABLE reskill.erased_attempts (
  attempt_id text PRIMARY KEY,
  erasure_uuid text NOT NULL REFERENCES reskill.erasures (uuid)
);

-- Deletes one person and every row about them, keeps the tombstone. Called
-- by the module for an erasure unit a kiosk pushed (already checked), and
-- by nobody else: not granted to anyone. outcome: 'applied', 'known' (this
-- erasure was here before) or 'last-admin' (not applied: it would erase the
-- last active administrator).
CREATE FUNCTION reskill.erase_person (p_uuid text, p_kiosk text, p_erased_at bigint, p_employee_no text,
                                      p_attempts text[], p_from text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  person reskill.people;
  erasing text[];
BEGIN
  -- Pushes of this number's attempts queue behind it, and it behind them.
  PERFORM pg_advisory_xact_lock (hashtextextended (p_employee_no, 7015));
  IF EXISTS (SELECT 1 FROM reskill.erasures WHERE uuid = p_uuid) THEN
    RETURN 'known';
  END IF;
  SELECT * INTO person FROM reskill.people WHERE employee_no = p_employee_no;
  IF FOUND AND person.role = 'admin' AND person.active
     AND NOT EXISTS (SELECT 1 FROM reskill.people WHERE role = 'admin' AND active AND id <> person.id) THEN
    RETURN 'last-admin';
  END IF;
  INSERT INTO reskill.erasures (uuid, kiosk_id, erased_at, employee_no, received_from, person_was_here)
    VALUES (p_uuid, p_kiosk, p_erased_at, p_employee_no, p_from, person.id IS NOT NULL);
  INSERT INTO reskill.erased_attempts (attempt_id, erasure_uuid)
    SELECT DISTINCT a, p_uuid FROM unnest (p_attempts) AS a ON CONFLICT DO NOTHING;
  IF person.id IS NOT NULL THEN
    INSERT INTO reskill.erased_attempts (attempt_id, erasure_uuid)
      SELECT uuid, p_uuid FROM reskill.attempts WHERE person_id = person.id ON CONFLICT DO NOTHING;
  END IF;
  erasing := ARRAY (SELECT uuid FROM reskill.attempts
                     WHERE person_id = person.id
                        OR uuid IN (SELECT attempt_id FROM reskill.erased_attempts WHERE erasure_uuid = p_uuid));
  DELETE FROM reskill.responses WHERE attempt_id = ANY (erasing);
  DELETE FROM reskill.results WHERE attempt_id = ANY (erasing);
  DELETE FROM reskill.self_estimates WHERE attempt_id = ANY (erasing);
  DELETE FROM reskill.attempt_priors WHERE attempt_id = ANY (erasing);
  DELETE FROM reskill.unit_receipts WHERE attempt_id = ANY (erasing);
  DELETE FROM reskill.attempts WHERE uuid = ANY (erasing);
  DELETE FROM reskill.unit_receipts WHERE outcome = 'unknown-person' AND detail LIKE '%' || replace (replace (replace (p_employee_no, '\', '\\'),
                                                                       '%', '\%'), '_', '\_') || '%';
  DELETE FROM reskill.lockouts WHERE employee_no = p_employee_no;
  IF person.id IS NOT NULL THEN
    DELETE FROM reskill.latest_results WHERE person_id = person.id;
    DELETE FROM reskill.result_views WHERE person_id = person.id;
    UPDATE reskill.result_views SET viewer_employee_no = NULL WHERE viewer_id = person.id;
    DELETE FROM reskill.team_managers WHERE person_id = person.id;
    UPDATE reskill.audit SET detail = NULL
     WHERE (event IN ('pin-reset', 'unlocked') AND detail = p_employee_no)
        OR (event = 'login-added' AND left (detail, length (p_employee_no) + 4) = p_employee_no || ' as ');
    IF person.db_role IS NOT NULL THEN
      BEGIN
        EXECUTE format ('DROP ROLE %I', person.db_role);
      EXCEPTION WHEN OTHERS THEN
        EXECUTE format ('ALTER ROLE %I NOLOGIN PASSWORD NULL', person.db_role);
      END;
    END IF;
    DELETE FROM reskill.people WHERE id = person.id;
  END IF;
  INSERT INTO reskill.audit (event, detail) VALUES ('person-erased', 'erasure ' || p_uuid || ' from ' || p_from);
  RETURN 'applied';
END $$;

-- Whether a tombstone keeps an attempt out: its UUID was erased, or its
-- employee number was erased after it started.
CREATE FUNCTION reskill.erased (p_attempt text, p_employee_no text, p_started_at bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
  SELECT EXISTS (SELECT 1 FROM reskill.erased_attempts WHERE attempt_id = p_attempt)
      OR EXISTS (SELECT 1 FROM reskill.erasures WHERE employee_no = p_employee_no AND erased_at > p_started_at)
$$;

-- --- retention --------------------------------------------------------------

-- When a person was deactivated: retention counts from then.
ALTER TABLE reskill.people ADD COLUMN deactivated_at bigint;
UPDATE reskill.people SET deactivated_at = (extract (epoch FROM now ()) * 1000000)::bigint WHERE NOT active;
CREATE FUNCTION reskill.mark_deactivated () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT NEW.active AND (TG_OP = 'INSERT' OR OLD.active) THEN
    NEW.deactivated_at := (extract (epoch FROM clock_timestamp ()) * 1000000)::bigint;
  ELSIF NEW.active THEN
    NEW.deactivated_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER people_deactivated BEFORE INSERT OR UPDATE OF active ON reskill.people
  FOR EACH ROW EXECUTE FUNCTION reskill.mark_deactivated ();

-- The policy's periods on the server: finished attempts older than
-- keep_results_months deleted with everything of them (their answers kept
-- for calibration in the item sums, which name nobody, when the policy
-- allows, and deleted from them otherwise), and people deactivated longer
-- than keep_inactive_months erased (no tombstone travels: every kiosk runs
-- its own retention). p_now: unix microseconds (the tests pass their own
-- clock). Administrators only; audited unless a dry run.
CREATE FUNCTION reskill.run_retention (p_dry_run boolean, p_now bigint,
    OUT n_attempts integer, OUT n_answers integer, OUT n_people integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
DECLARE
  policy reskill.privacy_policy;
  results_cutoff bigint;
  inactive_cutoff bigint;
  who record;
  expiring text[];
BEGIN
  IF NOT reskill.may_administer () THEN
    RAISE EXCEPTION 'only an administrator runs retention' USING ERRCODE = 'RS403';
  END IF;
  SELECT * INTO policy FROM reskill.privacy_policy;
  results_cutoff := ((extract (epoch FROM to_timestamp (p_now / 1000000.0)
                                           - make_interval (months => policy.keep_results_months))) * 1000000)::bigint;
  inactive_cutoff := ((extract (epoch FROM to_timestamp (p_now / 1000000.0)
                                            - make_interval (months => policy.keep_inactive_months))) * 1000000)::bigint;
  expiring := ARRAY (SELECT uuid FROM reskill.attempts
                      WHERE coalesce (finished_at, started_at) < results_cutoff
                         OR person_id IN (SELECT id FROM reskill.people
                                           WHERE NOT active AND deactivated_at < inactive_cutoff));
  n_attempts := cardinality (expiring);
  SELECT count(*) INTO n_answers FROM reskill.responses WHERE attempt_id = ANY (expiring);
  SELECT count(*) INTO n_people FROM reskill.people WHERE NOT active AND deactivated_at < inactive_cutoff;
  IF p_dry_run THEN
    RETURN;
  END IF;
  IF NOT policy.anonymous_answers THEN
    -- The sums lose these answers too: nothing of them stays.
    UPDATE reskill.item_sums AS s
       SET n_shown = s.n_shown - d.n_shown, n_attempts = s.n_attempts - d.n_attempts,
           sum_facility = s.sum_facility - d.sum_facility, sum_time_ms = s.sum_time_ms - d.sum_time_ms
      FROM (SELECT item_id, count(*) AS n_shown, count (DISTINCT attempt_id) AS n_attempts,
                   sum (CASE WHEN max_score > 0 THEN score::double precision / max_score ELSE 0 END) AS sum_facility,
                   sum (time_ms) AS sum_time_ms
              FROM reskill.responses WHERE attempt_id = ANY (expiring) GROUP BY item_id) AS d
     WHERE d.item_id = s.item_id;
  END IF;
  DELETE FROM reskill.responses WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.results WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.self_estimates WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.attempt_priors WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.unit_receipts WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.latest_results WHERE attempt_id = ANY (expiring);
  DELETE FROM reskill.attempts WHERE uuid = ANY (expiring);
  FOR who IN SELECT id, employee_no, db_role FROM reskill.people
              WHERE NOT active AND deactivated_at < inactive_cutoff LOOP
    DELETE FROM reskill.result_views WHERE person_id = who.id;
    DELETE FROM reskill.team_managers WHERE person_id = who.id;
    DELETE FROM reskill.lockouts WHERE employee_no = who.employee_no;
    IF who.db_role IS NOT NULL THEN
      BEGIN
        EXECUTE format ('DROP ROLE %I', who.db_role);
      EXCEPTION WHEN OTHERS THEN
        EXECUTE format ('ALTER ROLE %I NOLOGIN PASSWORD NULL', who.db_role);
      END;
    END IF;
    DELETE FROM reskill.people WHERE id = who.id;
  END LOOP;
  -- Each person's latest result again where theirs expired.
  INSERT INTO reskill.latest_results (person_id, skill, attempt_id, finished_at, ord, theta, se, n_items)
    SELECT DISTINCT ON (person_id, skill) person_id, skill, attempt_id, finished_at, ord, theta, se, n_items
      FROM reskill.results WHERE person_id IS NOT NULL
     ORDER BY person_id, skill, finished_at DESC, attempt_id DESC
  ON CONFLICT (person_id, skill) DO NOTHING;
  INSERT INTO reskill.audit (event, detail)
    VALUES ('retention', format ('%s attempts, %s answers, %s people deleted', n_attempts, n_answers, n_people));
END $$;

-- Calibration's answers for an administrator: no attempt, person or time,
-- only which answers belong together (a number drawn for this call).
-- Answers are read through here because the policy on responses shows an
-- administrator a person's answers under full only.
CREATE FUNCTION reskill.calibration_answers (p_since bigint,
    OUT pattern bigint, OUT skill text, OUT item_id text, OUT score integer, OUT max_score integer)
  RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, reskill AS $$
BEGIN
  IF NOT reskill.is_admin () THEN
    RAISE EXCEPTION 'only an administrator calibrates' USING ERRCODE = 'RS403';
  END IF;
  RETURN QUERY
    SELECT dense_rank () OVER (ORDER BY md5 (r.attempt_id || k.salt)), r.skill, r.item_id, r.score, r.max_score
      FROM reskill.responses AS r JOIN reskill.attempts AS a ON a.uuid = r.attempt_id
      CROSS JOIN (SELECT gen_random_uuid ()::text AS salt) AS k
     WHERE a.status = 'finished' OR a.started_at < p_since
     ORDER BY 1, r.seq;
END $$;

-- --- grants and policies ------------------------------------------------------

REVOKE ALL ON FUNCTION reskill.policy_changed (), reskill.policy_part_changed (), reskill.rule_allows (text, text),
  reskill.team_visibility (bigint), reskill.visible_people_for (text), reskill.report_rows (bigint, boolean),
  reskill.record_views (bigint, text), reskill.who_looked (text),
  reskill.erase_person (text, text, bigint, text, text[], text), reskill.erased (text, text, bigint),
  reskill.mark_deactivated (), reskill.run_retention (boolean, bigint), reskill.calibration_answers (bigint)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reskill.rule_allows (text, text), reskill.team_visibility (bigint),
  reskill.visible_people_for (text)
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin;
GRANT EXECUTE ON FUNCTION reskill.report_rows (bigint, boolean), reskill.record_views (bigint, text),
  reskill.who_looked (text) TO reskill_employee, reskill_manager, reskill_admin;
GRANT EXECUTE ON FUNCTION reskill.run_retention (boolean, bigint), reskill.calibration_answers (bigint)
  TO reskill_admin;

GRANT SELECT ON reskill.privacy_policy, reskill.team_policies, reskill.notice_wording
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin;
GRANT UPDATE (visibility, min_group, keep_results_months, keep_inactive_months, anonymous_answers)
  ON reskill.privacy_policy TO reskill_admin;
GRANT INSERT, UPDATE, DELETE ON reskill.team_policies, reskill.notice_wording TO reskill_admin;
GRANT SELECT (deactivated_at) ON reskill.people TO reskill_admin;
GRANT SELECT ON reskill.erasures, reskill.erased_attempts TO reskill_kiosk, reskill_admin;
GRANT SELECT ON reskill.result_views TO reskill_kiosk, reskill_admin;

ALTER TABLE reskill.privacy_policy ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON reskill.privacy_policy FOR SELECT
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin USING (true);
CREATE POLICY admin_changes ON reskill.privacy_policy FOR UPDATE TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.team_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON reskill.team_policies FOR SELECT
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin USING (true);
CREATE POLICY admin_all ON reskill.team_policies TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.notice_wording ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON reskill.notice_wording FOR SELECT
  TO reskill_kiosk, reskill_employee, reskill_manager, reskill_admin USING (true);
CREATE POLICY admin_all ON reskill.notice_wording TO reskill_admin
  USING ((SELECT reskill.is_admin ())) WITH CHECK ((SELECT reskill.is_admin ()));

-- A kiosk reads who looked and the tombstones (to erase and to tell the
-- person); an administrator too. Nobody writes them but the functions.
ALTER TABLE reskill.result_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.result_views FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_reads ON reskill.result_views FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.erasures ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.erasures FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_reads ON reskill.erasures FOR SELECT TO reskill_admin USING ((SELECT reskill.is_admin ()));
ALTER TABLE reskill.erased_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_reads ON reskill.erased_attempts FOR SELECT TO reskill_kiosk
  USING ((SELECT reskill.my_kiosk ()) IS NOT NULL);
CREATE POLICY admin_reads ON reskill.erased_attempts FOR SELECT TO reskill_admin
  USING ((SELECT reskill.is_admin ()));
