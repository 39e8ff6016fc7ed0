-- docs_examples: constant-only examples from the PostgreSQL 15 documentation function and operator tables

-- 9.3 mathematical operators
SELECT 2 + 3 AS add, 2 - 3 AS sub, 2 * 3 AS mul, 5 / 2 AS div, 5 % 4 AS mod, 2 ^ 3 AS pow, |/ 25.0 AS sqrt, ||/ 64.0 AS cbrt, @ -5.0 AS abs;

-- 9.3 mathematical functions (1)
SELECT abs(-17.4) AS abs, cbrt(64.0) AS cbrt, ceil(42.2) AS ceil, ceil(-42.8) AS ceil_neg, degrees(0.5) AS degrees, div(9, 4) AS div;

-- 9.3 mathematical functions (2)
SELECT exp(1.0) AS exp, factorial(5) AS factorial, floor(42.8) AS floor, floor(-42.8) AS floor_neg, gcd(1071, 462) AS gcd, lcm(1071, 462) AS lcm;

-- 9.3 mathematical functions (3)
SELECT ln(2.0) AS ln, log(100) AS log, log10(1000) AS log10, log(2.0, 64.0) AS log_b, min_scale(8.4100) AS min_scale, mod(9, 4) AS mod;

-- 9.3 mathematical functions (4)
SELECT pi() AS pi, power(9, 3) AS power, radians(45.0) AS radians, round(42.4) AS round, round(42.4382, 2) AS round2, round(1234.56, -1) AS round_neg;

-- 9.3 mathematical functions (5)
SELECT scale(8.4100) AS scale, sign(-8.4) AS sign, sqrt(2) AS sqrt, trim_scale(8.4100) AS trim_scale, trunc(42.8) AS trunc, trunc(42.4382, 2) AS trunc2, trunc(-42.8) AS trunc_neg;

-- 9.3 width_bucket examples
SELECT width_bucket(5.35, 0.024, 10.06, 5) AS wb, width_bucket(now_val, ARRAY[1, 10, 100]) AS wb_arr FROM (SELECT 50 AS now_val) t;

-- 9.3 trigonometric functions
SELECT acos(1) AS acos, asin(1) AS asin, atan(1) AS atan, atan2(1, 0) AS atan2, cos(0) AS cos, sind(30) AS sind, cosd(60) AS cosd, tand(45) AS tand;

-- 9.4 string operators
SELECT 'Post' || 'greSQL' AS concat, 'Value: ' || 42 AS concat_num, 'Thomas' ^@ 'Th' AS starts;

-- 9.4 SQL string functions (1)
SELECT bit_length('jose') AS bl, char_length('josé') AS cl, lower('TOM') AS lower, octet_length('josé') AS ol, upper('tom') AS upper;

-- 9.4 normalize and unicode
SELECT normalize(U&'\0061\0308bc', NFC) = U&'\00E4bc' AS nfc, U&'d\0061t\+000061' AS ustr;

-- 9.4 overlay / position / substring
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4) AS overlay, position('om' in 'Thomas') AS pos, substring('Thomas' from 2 for 3) AS sub1, substring('Thomas' from 3) AS sub2, substring('Thomas' for 2) AS sub3;

-- 9.4 substring with regex and SQL regex
SELECT substring('Thomas' from '...$') AS re, substring('Thomas' similar '%#"o_a#"_' escape '#') AS sim, substring('Thomas' from '%#"o_a#"_' for '#') AS sim2;

-- 9.4 trim
SELECT trim(both 'xyz' from 'yxTomxx') AS t1, trim(both from 'yxTomxx', 'xyz') AS t2, btrim('xyxtrimyyx', 'xyz') AS bt, ltrim('zzzytest', 'xyz') AS lt, rtrim('testxxzx', 'xyz') AS rt;

-- 9.4 other string functions (1)
SELECT ascii('x') AS ascii, chr(65) AS chr, concat('abcde', 2, NULL, 22) AS concat, concat_ws(',', 'abcde', 2, NULL, 22) AS concat_ws;

-- 9.4 other string functions (2)
SELECT format('Hello %s, %1$s', 'World') AS f1, initcap('hi THOMAS') AS initcap, left('abcde', 2) AS left, length('jose') AS len, lpad('hi', 5, 'xy') AS lpad;

-- 9.4 other string functions (3)
SELECT md5('abc') AS md5, parse_ident('"SomeSchema".someTable') AS pi, quote_ident('Foo bar') AS qi, quote_literal(E'O\'Reilly') AS ql, quote_literal(42.5) AS qln;

-- 9.4 other string functions (4)
SELECT regexp_match('foobarbequebaz', 'bar.*que') AS rm, regexp_replace('Thomas', '.[mN]a.', 'M') AS rr, repeat('Pg', 4) AS rep, replace('abcdefabcdef', 'cd', 'XX') AS repl, reverse('abc') AS rev;

-- 9.4 other string functions (5)
SELECT right('abcde', 2) AS r, rpad('hi', 5, 'xy') AS rp, split_part('abc~@~def~@~ghi', '~@~', 2) AS sp, split_part('abc,def,ghi,jkl', ',', -2) AS sp_neg, strpos('high', 'ig') AS strpos;

-- 9.4 other string functions (6)
SELECT substr('alphabet', 3) AS s1, substr('alphabet', 3, 2) AS s2, starts_with('alphabet', 'alph') AS sw, string_to_array('xx~~yy~~zz', '~~') AS sta, to_hex(2147483647) AS hex, translate('12345', '143', 'ax') AS tr;

-- 9.4 string_to_table
SELECT string_to_table('xx~^~yy~^~zz', '~^~', 'yy') AS t;

-- 9.4.1 format examples
SELECT format('Hello %s', 'World') AS a, format('Testing %s, %s, %s, %%', 'one', 'two', 'three') AS b, format('INSERT INTO %I VALUES(%L)', 'locations', 'C:\Program Files') AS c;

-- 9.4.1 format width examples
SELECT format('|%10s|', 'foo') AS a, format('|%-10s|', 'foo') AS b, format('|%*s|', 10, 'foo') AS c, format('|%-*s|', -10, 'foo') AS d, format('%2$s %1$s', 'world', 'hello') AS e;

-- 9.7.1 LIKE examples
SELECT 'abc' LIKE 'abc' AS a, 'abc' LIKE 'a%' AS b, 'abc' LIKE '_b_' AS c, 'abc' LIKE 'c' AS d;

-- 9.7.2 SIMILAR TO examples
SELECT 'abc' SIMILAR TO 'abc' AS a, 'abc' SIMILAR TO 'a' AS b, 'abc' SIMILAR TO '%(b|d)%' AS c, 'abc' SIMILAR TO '(b|c)%' AS d, '-abc-' SIMILAR TO '%\mabc\M%' AS e, 'xabcy' SIMILAR TO '%\mabc\M%' AS f;

-- 9.7.3 POSIX regex operators
SELECT 'thomas' ~ 't.*ma' AS a, 'thomas' ~* 'T.*ma' AS b, 'thomas' !~ 't.*max' AS c, 'thomas' !~* 'T.*ma' AS d;

-- 9.7.3 regexp_replace examples
SELECT regexp_replace('foobarbaz', 'b..', 'X') AS a, regexp_replace('foobarbaz', 'b..', 'X', 'g') AS b, regexp_replace('foobarbaz', 'b(..)', 'X\1Y', 'g') AS c;

-- 9.7.3 regexp_count / regexp_instr / regexp_like / regexp_substr (PG15)
SELECT regexp_count('ABCABCAXYaxy', 'A.') AS cnt, regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i') AS instr, regexp_like('Hello World', 'world$', 'i') AS like_i, regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2) AS substr2;

-- 9.7.3 regexp_matches examples
SELECT regexp_matches('foo', 'not there') AS none;

-- 9.7.3 regexp_matches with groups and g flag
SELECT regexp_matches('foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g') AS m;

-- 9.7.3 regexp_split_to_table example
SELECT foo FROM regexp_split_to_table('the quick brown fox', '\s+') AS foo;

-- 9.7.3 regexp_split_to_array example
SELECT regexp_split_to_array('the quick brown fox', '\s+') AS a, regexp_split_to_array('the quick brown fox', '') AS chars;

-- 9.8 to_char examples (1)
SELECT to_char(timestamp '2002-04-20 17:31:12.66', 'HH12:MI:SS') AS a, to_char(interval '15h 2m 12s', 'HH24:MI:SS') AS b, to_char(125, '999') AS c, to_char(125.8::real, '999D9') AS d, to_char(-125.8, '999D99S') AS e;

-- 9.8 to_char number patterns
SELECT to_char(-0.1, '99.99') AS a, to_char(-0.1, 'FM9.99') AS b, to_char(0.1, '0.9') AS c, to_char(12, '9990999.9') AS d, to_char(12, 'FM9990999.9') AS e, to_char(485, '999') AS f, to_char(-485, '999') AS g;

-- 9.8 to_char number patterns (2)
SELECT to_char(1485, '9,999') AS a, to_char(1485, '9G999') AS b, to_char(148.5, '999.999') AS c, to_char(148.5, 'FM999.999') AS d, to_char(-485, '999S') AS e, to_char(-485, '999MI') AS f, to_char(485, 'PL999') AS g, to_char(485, 'RN') AS h, to_char(482, '999th') AS i;

-- 9.8 to_char date patterns
SELECT to_char(timestamp '2002-04-20 17:31:12.66', 'Day, DD  HH12:MI:SS') AS a, to_char(timestamp '2002-04-20 17:31:12.66', 'FMDay, FMDD  HH12:MI:SS') AS b, to_char(date '2002-04-20', 'IYYY-IW-ID') AS iso, to_char(date '2002-04-20', 'DDD') AS doy;

-- 9.8 to_date / to_timestamp / to_number examples
SELECT to_date('05 Dec 2000', 'DD Mon YYYY') AS d, to_timestamp('05 Dec 2000', 'DD Mon YYYY')::timestamp AS ts, to_number('12,454.8-', '99G999D9S') AS n;

-- 9.9 date/time operators
SELECT date '2001-09-28' + 7 AS a, date '2001-09-28' + interval '1 hour' AS b, date '2001-09-28' + time '03:00' AS c, interval '1 day' + interval '1 hour' AS d, timestamp '2001-09-28 01:00' + interval '23 hours' AS e;

-- 9.9 date/time operators (2)
SELECT time '01:00' + interval '3 hours' AS a, - interval '23 hours' AS b, date '2001-10-01' - date '2001-09-28' AS c, date '2001-10-01' - 7 AS d, date '2001-09-28' - interval '1 hour' AS e;

-- 9.9 date/time operators (3)
SELECT time '05:00' - time '03:00' AS a, timestamp '2001-09-28 23:00' - interval '23 hours' AS b, interval '1 day' - interval '1 hour' AS c, timestamp '2001-09-29 03:00' - timestamp '2001-07-27 12:00' AS d, 900 * interval '1 second' AS e, 21 * interval '1 day' AS f, 3.5 * interval '1 hour' AS g, interval '1 hour' / 1.5 AS h;

-- 9.9 age and date_part examples
SELECT age(timestamp '2001-04-10', timestamp '1957-06-13') AS age, date_part('hour', timestamp '2001-02-16 20:38:40') AS h, date_part('month', interval '2 years 3 months') AS m;

-- 9.9 date_trunc examples
SELECT date_trunc('hour', timestamp '2001-02-16 20:38:40') AS h, date_trunc('hour', interval '2 days 3 hours 40 minutes') AS iv, date_trunc('year', timestamp '2001-02-16 20:38:40') AS y;

-- 9.9 extract examples (1)
SELECT extract(century FROM timestamp '2000-12-16 12:21:13') AS century, extract(day FROM interval '40 days 1 minute') AS day, extract(decade FROM timestamp '2001-02-16 20:38:40') AS decade, extract(dow FROM timestamp '2001-02-16 20:38:40') AS dow, extract(doy FROM timestamp '2001-02-16 20:38:40') AS doy;

-- 9.9 extract examples (2)
SELECT extract(epoch FROM timestamp '2001-02-16 20:38:40.12') AS epoch, extract(epoch FROM interval '5 days 3 hours') AS iv_epoch, extract(isodow FROM timestamp '2001-02-18 20:38:40') AS isodow, extract(isoyear FROM date '2006-01-01') AS isoyear, extract(julian FROM date '2006-01-01') AS julian;

-- 9.9 extract examples (3)
SELECT extract(microseconds FROM time '17:12:28.5') AS us, extract(millennium FROM timestamp '2001-02-16 20:38:40') AS mil, extract(milliseconds FROM time '17:12:28.5') AS ms, extract(minute FROM timestamp '2001-02-16 20:38:40') AS min, extract(quarter FROM timestamp '2001-02-16 20:38:40') AS q, extract(second FROM time '17:12:28.5') AS s, extract(week FROM timestamp '2001-02-16 20:38:40') AS w;

-- 9.9 justify functions and isfinite
SELECT justify_days(interval '35 days') AS jd, justify_hours(interval '27 hours') AS jh, justify_interval(interval '1 mon -1 hour') AS ji, isfinite(date '2001-02-16') AS f1, isfinite(interval '4 hours') AS f2;

-- 9.9 make_* functions
SELECT make_date(2013, 7, 15) AS d, make_interval(days => 10) AS iv, make_time(8, 15, 23.5) AS t, make_timestamp(2013, 7, 15, 8, 15, 23.5) AS ts;

-- 9.9.3 date_bin example
SELECT date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01') AS a, date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01 00:02:30') AS b;

-- 9.9.4 AT TIME ZONE examples
SELECT timestamp '2001-02-16 20:38:40' AT TIME ZONE 'America/Denver' AT TIME ZONE 'UTC' AS a, timestamp with time zone '2001-02-16 20:38:40-05' AT TIME ZONE 'America/Denver' AS b, timestamp '2001-02-16 20:38:40' AT TIME ZONE 'Asia/Tokyo' AT TIME ZONE 'America/Chicago' AS c;

-- 9.18 conditional expressions
SELECT coalesce(NULL, 'default') AS c, nullif('abc', 'abc') AS n, greatest(1, 3, 2) AS g, least(1, 3, 2) AS l;

-- 9.19 array operators
SELECT ARRAY[1,4,3] @> ARRAY[3,1,3] AS a, ARRAY[2,2,7] <@ ARRAY[1,7,4,2,6] AS b, ARRAY[1,4,3] && ARRAY[2,1] AS c, ARRAY[1,2,3] || ARRAY[4,5,6] AS d, ARRAY[1,2,3] || ARRAY[[4,5,6],[7,8,9]] AS e, 3 || ARRAY[4,5,6] AS f;

-- 9.19 array functions
SELECT array_append(ARRAY[1,2], 3) AS a, array_cat(ARRAY[1,2,3], ARRAY[4,5]) AS b, array_dims(ARRAY[[1,2,3], [4,5,6]]) AS c, array_fill(11, ARRAY[2,3]) AS d, array_length(array[1,2,3], 1) AS e, array_lower('[0:2]={1,2,3}'::integer[], 1) AS f;

-- 9.19 array functions (2)
SELECT array_position(ARRAY['sun','mon','tue','wed','thu','fri','sat'], 'mon') AS a, array_positions(ARRAY['A','A','B','A'], 'A') AS b, array_prepend(1, ARRAY[2,3]) AS c, array_remove(ARRAY[1,2,3,2], 2) AS d, array_replace(ARRAY[1,2,5,4], 5, 3) AS e;

-- 9.19 array functions (3)
SELECT array_to_string(ARRAY[1, 2, 3, NULL, 5], ',', '*') AS a, array_upper(ARRAY[1,8,3,7], 1) AS b, cardinality(ARRAY[[1,2],[3,4]]) AS c, trim_array(ARRAY[1,2,3,4,5,6], 2) AS d, string_to_array('xx~~yy~~zz', '~~', 'yy') AS e;

-- 9.19 unnest of two arrays
SELECT * FROM unnest(ARRAY[1,2], ARRAY['foo','bar','baz']) AS x(a, b);

-- 9.16 json operators
SELECT '[{"a":"foo"},{"b":"bar"},{"c":"baz"}]'::json -> 2 AS a, '{"a": {"b":"foo"}}'::json -> 'a' AS b, '[1,2,3]'::json ->> 2 AS c, '{"a":1,"b":2}'::json ->> 'b' AS d, '{"a": {"b": ["foo","bar"]}}'::json #> '{a,b,1}' AS e, '{"a": {"b": ["foo","bar"]}}'::json #>> '{a,b,1}' AS f;

-- 9.16 jsonb operators
SELECT '{"a":1, "b":2}'::jsonb @> '{"b":2}'::jsonb AS a, '{"a":1, "b":2}'::jsonb ? 'b' AS b, '["a", "b", "c"]'::jsonb ? 'b' AS c, '["a", "b"]'::jsonb || '["a", "d"]'::jsonb AS d, '{"a": "b", "c": "d"}'::jsonb - 'a' AS e, '["a", ["b",1]]'::jsonb #- '{1,1}' AS f;

-- 9.16 json creation functions
SELECT to_json('Fred said "Hi."'::text) AS a, array_to_json('{{1,5},{99,100}}'::int[]) AS b, row_to_json(row(1,'foo')) AS c, json_build_array(1, 2, 'foo', 4, 5) AS d, json_build_object('foo', 1, 2, row(3,'bar')) AS e, json_object('{a, 1, b, "def", c, 3.5}') AS f;

-- 9.16 json processing functions
SELECT json_array_length('[1,2,3,{"f1":1,"f2":[5,6]},4]') AS a, jsonb_typeof('-123.4') AS b, json_strip_nulls('[{"f1":1, "f2":null}, 2, null, 3]') AS c, jsonb_set('[{"f1":1,"f2":null},2,null,3]', '{0,f1}', '[2,3,4]', false) AS d, jsonb_insert('{"a": [0,1,2]}', '{a, 1}', '"new_value"', true) AS e;

-- 9.21 aggregate examples on constant VALUES
SELECT bool_and(v) AS ba, bool_or(v) AS bo, count(*) AS c, string_agg(s, ';' ORDER BY s) AS sa FROM (VALUES (true, 'b'), (false, 'a'), (true, 'c')) t(v, s);

-- 9.22 window function example on constants
SELECT depname, empno, salary, rank() OVER (PARTITION BY depname ORDER BY salary DESC) AS r
FROM (VALUES ('develop', 11, 5200), ('develop', 7, 4200), ('develop', 9, 4500), ('develop', 8, 6000), ('develop', 10, 5200), ('personnel', 5, 3500), ('personnel', 2, 3900), ('sales', 3, 4800), ('sales', 1, 5000), ('sales', 4, 4800)) AS empsalary(depname, empno, salary)
ORDER BY depname, r, empno;

-- 9.25 set returning functions
SELECT * FROM generate_series(2, 4) AS a, generate_series(5, 1, -2) AS b ORDER BY 1, 2 DESC;

-- 9.25 generate_series timestamps
SELECT * FROM generate_series('2008-03-01 00:00'::timestamp, '2008-03-04 12:00', '10 hours') AS g ORDER BY 1;

-- 9.25 generate_subscripts example
SELECT generate_subscripts('{NULL,1,NULL,2}'::int[], 1) AS s;

-- 9.20 range operators on constant ranges
SELECT int4range(2, 4) @> 3 AS contains, int4range(1, 5) && int4range(3, 7) AS overlaps, int4range(5, 15) + int4range(10, 20) AS union_, int4range(5, 15) * int4range(10, 20) AS intersect_, upper(numrange(1.1, 2.2)) AS up, isempty(numrange(1, 5)) AS empty;
