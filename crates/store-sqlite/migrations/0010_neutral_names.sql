-- 0010: stored names become the domain's, not a dialect's. Event types
-- are stored by their key (`payment_succeeded`; each dialect names them on
-- the wire), a payment's decline reason likewise (`card_declined`).

UPDATE events SET type = replace(type, '.', '_');

UPDATE webhook_endpoints
SET filter_types = replace(filter_types, '.', '_'),
    body = json_set(body, '$.filter_types',
        (SELECT json_group_array(replace(value, '.', '_'))
         FROM json_each(webhook_endpoints.body, '$.filter_types')));

UPDATE payments
SET body = json_set(body, '$.error_code', lower(json_extract(body, '$.error_code')))
WHERE json_extract(body, '$.error_code') IS NOT NULL;
