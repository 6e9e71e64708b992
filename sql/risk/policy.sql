-- The rating policy in force and its validation (docs/risk.md).
CREATE OR REPLACE FUNCTION ar.rating_policy_json() RETURNS jsonb
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT coalesce((SELECT to_jsonb(p) - 'singleton' FROM ar.rating_policy p), '{}'::jsonb);
END;
COMMENT ON FUNCTION ar.rating_policy_json() IS 'The overrides in ar.rating_policy as jsonb ({} when none).';

CREATE OR REPLACE FUNCTION ar.effective_rating_policy() RETURNS jsonb
STABLE PARALLEL SAFE LANGUAGE sql
BEGIN ATOMIC
    SELECT ar.validate_rating_policy(ar.rating_policy_json());
END;
COMMENT ON FUNCTION ar.effective_rating_policy() IS 'The rating policy in force: defaults overlaid with ar.rating_policy.';
COMMENT ON FUNCTION ar.validate_rating_policy(jsonb) IS 'Validate a policy (jsonb overrides of the defaults) and return it complete, or raise an error naming the bad setting.';

CREATE OR REPLACE FUNCTION ar._validate_rating_policy_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM ar.validate_rating_policy(to_jsonb(NEW) - 'singleton');
    RETURN NEW;
END $$;
COMMENT ON FUNCTION ar._validate_rating_policy_row() IS 'Internal trigger: rejects an invalid rating policy.';
CREATE OR REPLACE TRIGGER rating_policy_validate BEFORE INSERT OR UPDATE ON ar.rating_policy
    FOR EACH ROW EXECUTE FUNCTION ar._validate_rating_policy_row();
