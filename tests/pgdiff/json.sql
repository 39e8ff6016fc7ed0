-- json: json/jsonb constructors, operators (->, ->>, #>, #>>, @>, ?, ||, -), aggregates, row_to_json, expansion functions

-- -> and ->> on json
SELECT '{"a": {"b": [10, 20, 30]}, "c": "x"}'::json -> 'a' AS a, '{"a": {"b": [10, 20, 30]}, "c": "x"}'::json ->> 'c' AS c;

-- array index and nested path
SELECT '{"a": {"b": [10, 20, 30]}}'::jsonb -> 'a' -> 'b' -> 1 AS v, '{"a": {"b": [10, 20, 30]}}'::jsonb #> '{a,b}' AS arr, '{"a": {"b": [10, 20, 30]}}'::jsonb #>> '{a,b,2}' AS last_txt;

-- negative array index
SELECT '[1, 2, 3]'::jsonb -> -1 AS last, '[1, 2, 3]'::json ->> 0 AS first_txt;

-- @> containment and <@
SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}' AS c1, '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}' AS c2, '[1, 2, 3]'::jsonb @> '[3, 1]' AS c3;

-- key existence operators
SELECT '{"a": 1, "b": 2}'::jsonb ? 'a' AS has_a, '{"a": 1, "b": 2}'::jsonb ?| ARRAY['x', 'b'] AS any_key, '{"a": 1, "b": 2}'::jsonb ?& ARRAY['a', 'x'] AS all_keys;

-- concatenation and deletion
SELECT '{"a": 1}'::jsonb || '{"b": 2}'::jsonb AS cat, '{"a": 1, "b": 2}'::jsonb - 'a' AS del, '[1, 2, 3]'::jsonb - 1 AS del_idx, '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,b}' AS del_path;

-- jsonb normalises key order and duplicates; json keeps text
SELECT '{"b": 1, "a": 2, "a": 3}'::jsonb AS jb, '{"b": 1, "a": 2, "a": 3}'::json AS j;

-- jsonb_build_object from columns
SELECT jsonb_build_object('id', customer_id, 'name', name, 'b2b', customer_type = 'B2B', 'industry', industry) AS j
FROM customers ORDER BY customer_id LIMIT 4;

-- json_build_object and json_build_array
SELECT json_build_object('order', order_id, 'amount', amount, 'ts', order_ts) AS o, json_build_array(order_id, status, amount) AS a
FROM orders ORDER BY order_id LIMIT 3;

-- row_to_json
SELECT row_to_json(p) AS j FROM products p ORDER BY product_id LIMIT 3;

-- row_to_json of a subselect
SELECT row_to_json(t) AS j FROM (SELECT order_id, amount, status FROM orders WHERE order_id <= 3 ORDER BY order_id) t ORDER BY (t).order_id;

-- json_agg ordered
SELECT customer_id, json_agg(order_id ORDER BY order_id) AS ids FROM orders WHERE customer_id <= 3 GROUP BY customer_id ORDER BY customer_id;

-- jsonb_agg of objects
SELECT region, jsonb_agg(jsonb_build_object('city', city, 'n', n) ORDER BY city) AS cities
FROM (SELECT region, city, count(*) AS n FROM customers GROUP BY 1, 2) s
GROUP BY region ORDER BY region;

-- json_object_agg / jsonb_object_agg
SELECT jsonb_object_agg(status, n) AS by_status FROM (SELECT status, count(*) AS n FROM orders GROUP BY status) s;

-- jsonb_each / jsonb_each_text
SELECT key, value FROM jsonb_each('{"a": 1, "b": "two", "c": [3]}'::jsonb) ORDER BY key;

-- jsonb_each_text
SELECT * FROM jsonb_each_text('{"x": 1.50, "y": null, "z": true}') ORDER BY key;

-- jsonb_array_elements
SELECT value FROM jsonb_array_elements('[{"k": 1}, {"k": 2}, 3, "s"]'::jsonb);

-- jsonb_array_elements_text with ordinality
SELECT ord, v FROM jsonb_array_elements_text('["a", "b", "c"]') WITH ORDINALITY AS t(v, ord) ORDER BY ord;

-- jsonb_object_keys
SELECT jsonb_object_keys('{"z": 1, "a": 2, "m": 3}'::jsonb) AS k ORDER BY 1;

-- jsonb_typeof / json_typeof
SELECT jsonb_typeof('1') AS a, jsonb_typeof('"s"') AS b, jsonb_typeof('null') AS c, jsonb_typeof('[]') AS d, json_typeof('{}') AS e, jsonb_typeof('1.5') AS f;

-- jsonb_array_length and jsonb_strip_nulls
SELECT jsonb_array_length('[1, [2, 3], null]') AS len, jsonb_strip_nulls('{"a": 1, "b": null, "c": {"d": null}}') AS stripped;

-- jsonb_set and jsonb_insert
SELECT jsonb_set('{"a": {"b": 1}}', '{a,b}', '2') AS s1, jsonb_set('{"a": 1}', '{c}', '"new"') AS s2, jsonb_insert('[1, 3]', '{1}', '2') AS ins;

-- jsonb_pretty
SELECT jsonb_pretty('{"a": [1, {"b": 2}]}') AS p;

-- to_json / to_jsonb of scalars
SELECT to_jsonb(1.50::numeric) AS n, to_json('he said "hi"'::text) AS t, to_jsonb(timestamp '2024-06-30 12:00:00.5') AS ts, to_jsonb(ARRAY[1, 2]) AS arr, to_jsonb(true) AS b;

-- numeric in jsonb keeps scale
SELECT '{"p": 1.10}'::jsonb -> 'p' AS p, ('{"p": 1.10}'::jsonb ->> 'p')::numeric * 2 AS doubled, '1e2'::jsonb AS sci;

-- filter rows by json built from columns
SELECT count(*) AS n FROM customers WHERE jsonb_build_object('r', region, 't', customer_type) @> '{"r": "West", "t": "B2B"}';

-- extract from json built per row, then group
SELECT j ->> 'ch' AS ch, count(*) AS n FROM (SELECT jsonb_build_object('ch', channel, 'st', status) AS j FROM orders) s GROUP BY 1 ORDER BY 1;

-- json comparison (jsonb equality ignores key order)
SELECT '{"a": 1, "b": 2}'::jsonb = '{"b": 2, "a": 1}'::jsonb AS eq, '[1, 2]'::jsonb = '[2, 1]'::jsonb AS arr_eq;

-- jsonb ordering
SELECT v FROM (VALUES ('1'::jsonb), ('"a"'), ('null'), ('true'), ('[1]'), ('{"a":1}'), ('2.5')) t(v) ORDER BY v;

-- jsonb_path_query
SELECT jsonb_path_query('{"items": [{"p": 5}, {"p": 15}, {"p": 25}]}', '$.items[*] ? (@.p > 10).p') AS p;

-- jsonb_path_exists and @?
SELECT jsonb_path_exists('{"a": [1, 2, 3]}', '$.a[*] ? (@ > 2)') AS e, '{"a": [1, 2, 3]}'::jsonb @? '$.a[*] ? (@ > 5)' AS q;

-- json_agg of rows for a tiny report
SELECT json_agg(t ORDER BY t.channel) AS report FROM (SELECT channel, count(*) AS n FROM orders GROUP BY channel) t;

-- jsonb_to_record
SELECT * FROM jsonb_to_record('{"a": 1, "b": "x", "c": [1,2]}') AS r(a int, b text, c jsonb);

-- jsonb_populate_recordset style via jsonb_to_recordset
SELECT * FROM jsonb_to_recordset('[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]') AS r(id int, v text) ORDER BY id;

-- ->> on missing key gives NULL
SELECT '{"a": 1}'::jsonb ->> 'missing' IS NULL AS missing, '{"a": null}'::jsonb -> 'a' AS json_null, '{"a": null}'::jsonb ->> 'a' IS NULL AS text_null;

-- json_array_length and json_extract_path_text
SELECT json_array_length('[1,2,3,4]') AS n, json_extract_path_text('{"a": {"b": "deep"}}', 'a', 'b') AS deep, jsonb_extract_path('{"a": {"b": 7}}', 'a') AS sub;
