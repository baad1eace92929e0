-- 0010: stored names become the domain's, not a dialect's. Event types
-- are stored by their key (`payment_succeeded`; each dialect names them on
-- the wire), a payment's decline reason likewise (`card_declined`).

UPDATE events SET type = replace(type, '.', '_');

UPDATE webhook_endpoints
SET filter_types = ARRAY(SELECT replace(t, '.', '_') FROM unnest(filter_types) AS t),
    body = jsonb_set(body, '{filter_types}',
        COALESCE((SELECT jsonb_agg(replace(t, '.', '_'))
                  FROM jsonb_array_elements_text(body -> 'filter_types') AS t), '[]'::jsonb));

UPDATE payments
SET body = jsonb_set(body, '{error_code}', to_jsonb(lower(body ->> 'error_code')))
WHERE body ->> 'error_code' IS NOT NULL;
