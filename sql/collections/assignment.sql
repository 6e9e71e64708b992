-- Workload of a collector k: (past-due amount of its worklist accounts / total past-due
-- amount of the worklist + its number of accounts / number of worklist accounts) /
-- capacity_k. Accounts to assign go, largest past-due amount first, to the collector
-- with the lowest workload at that moment (ties: collector name). Accounts with an
-- active collector keep it; rebalance => true first walks each collector's accounts,
-- largest first, and releases those that would take its workload over its fair share
-- (2 x capacity_k / total capacity: the two shares add up to 2), to be assigned as above.
CREATE OR REPLACE FUNCTION ar.assign_collectors(as_of date, rebalance boolean DEFAULT false)
RETURNS TABLE (customer_id text, collector text, previous_collector text, reason text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    names text[];
    caps numeric[];
    amt numeric[];
    cnt numeric[];
    total_amt numeric;
    total_cnt numeric;
    total_cap numeric;
    n integer;
    k integer;
    best integer;
    best_load numeric;
    load numeric;
    acc record;
BEGIN
    IF as_of IS NULL OR rebalance IS NULL THEN
        RAISE EXCEPTION 'ar.assign_collectors: as_of and rebalance must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF as_of IS DISTINCT FROM ar.as_of() THEN
        RAISE EXCEPTION 'ar.assign_collectors: the worklist is as of %, not %', coalesce(ar.as_of()::text, 'never refreshed'), as_of
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = format('Run SELECT ar.refresh(%L) first.', as_of);
    END IF;
    IF EXISTS (SELECT FROM ar.collectors) THEN
        SELECT array_agg(c.collector ORDER BY c.collector), array_agg(c.capacity ORDER BY c.collector)
          INTO names, caps FROM ar.collectors c WHERE c.active;
    ELSE
        SELECT array_agg(x.collector ORDER BY x.collector), array_agg(1::numeric ORDER BY x.collector)
          INTO names, caps FROM (SELECT DISTINCT cu.collector FROM ar.customers cu WHERE cu.collector IS NOT NULL) x;
    END IF;
    IF names IS NULL THEN
        RAISE EXCEPTION 'ar.assign_collectors: there is no active collector to assign accounts to'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = 'Add collectors: INSERT INTO ar.collectors (collector) VALUES (''Alice''), (''Bruno'');';
    END IF;
    n := cardinality(names);
    SELECT sum(caps[i]) INTO total_cap FROM generate_subscripts(caps, 1) i;

    CREATE TEMP TABLE _ar_assign ON COMMIT DROP AS
    SELECT w.customer_id, w.past_due_amount AS amount, c.collector AS current,
           array_position(names, c.collector) AS k, NULL::integer AS new_k, NULL::text AS reason
      FROM ar.collections_worklist_data w JOIN ar.customers c ON c.customer_id = w.customer_id;
    SELECT coalesce(sum(a.amount), 0), count(*) INTO total_amt, total_cnt FROM _ar_assign a;
    amt := array_fill(0::numeric, ARRAY[n]);
    cnt := array_fill(0::numeric, ARRAY[n]);

    -- Accounts that keep their collector (largest first, so a rebalance keeps the big ones).
    FOR acc IN SELECT a.customer_id, a.amount, a.k FROM _ar_assign a WHERE a.k IS NOT NULL ORDER BY a.amount DESC, a.customer_id LOOP
        IF rebalance AND (coalesce((amt[acc.k] + acc.amount) / nullif(total_amt, 0), 0) + (cnt[acc.k] + 1) / total_cnt)
                         > 2 * caps[acc.k] / total_cap THEN
            UPDATE _ar_assign a SET k = NULL, reason = 'rebalance' WHERE a.customer_id = acc.customer_id;
        ELSE
            amt[acc.k] := amt[acc.k] + acc.amount;
            cnt[acc.k] := cnt[acc.k] + 1;
        END IF;
    END LOOP;

    FOR acc IN SELECT a.customer_id, a.amount, a.current, a.reason FROM _ar_assign a WHERE a.k IS NULL ORDER BY a.amount DESC, a.customer_id LOOP
        best := NULL;
        FOR k IN 1 .. n LOOP
            load := (coalesce(amt[k] / nullif(total_amt, 0), 0) + cnt[k] / total_cnt) / caps[k];
            IF best IS NULL OR load < best_load THEN
                best := k;
                best_load := load;
            END IF;
        END LOOP;
        amt[best] := amt[best] + acc.amount;
        cnt[best] := cnt[best] + 1;
        UPDATE _ar_assign a SET new_k = best,
               reason = coalesce(acc.reason, CASE WHEN acc.current IS NULL THEN 'unassigned' ELSE 'collector inactive' END)
         WHERE a.customer_id = acc.customer_id;
    END LOOP;

    -- Moving an account to the collector it already has is no assignment.
    DELETE FROM _ar_assign a WHERE a.new_k IS NULL OR names[a.new_k] IS NOT DISTINCT FROM a.current;
    UPDATE ar.customers c SET collector = names[a.new_k] FROM _ar_assign a WHERE c.customer_id = a.customer_id;
    INSERT INTO ar.collector_assignments (customer_id, collector, previous_collector, as_of, reason)
    SELECT a.customer_id, names[a.new_k], a.current, assign_collectors.as_of, a.reason FROM _ar_assign a;
    RETURN QUERY SELECT a.customer_id, names[a.new_k], a.current, a.reason FROM _ar_assign a ORDER BY a.customer_id;
    DROP TABLE _ar_assign;
END $$;
COMMENT ON FUNCTION ar.assign_collectors(date, boolean) IS 'Assign the worklist accounts that have no active collector, balancing workload (share of past-due amount + share of accounts, per unit of capacity) across ar.collectors; accounts keep their collector from day to day. rebalance => true also moves accounts off collectors above their fair share. Sets ar.customers.collector, logs ar.collector_assignments, returns the assignments made. as_of must be the refreshed date.';
