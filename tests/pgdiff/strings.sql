-- strings: text functions, LIKE/ILIKE/SIMILAR TO, regex, padding, format, concatenation

-- upper/lower/initcap/length
SELECT customer_id, upper(name) AS u, lower(name) AS l, initcap(lower(name)) AS ic, length(name) AS len
FROM customers
ORDER BY customer_id
LIMIT 5;

-- email domain via split_part
SELECT split_part(email, '@', 2) AS domain, count(*) AS n
FROM customers
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT 10;

-- position / strpos / substring
SELECT customer_id, position('@' IN email) AS at_pos, strpos(email, '.') AS dot_pos, substring(email FROM 1 FOR position('@' IN email) - 1) AS local_part
FROM customers
ORDER BY customer_id
LIMIT 5;

-- first and last name
SELECT customer_id, split_part(name, ' ', 1) AS first_name, split_part(name, ' ', -1) AS last_name
FROM customers
ORDER BY customer_id
LIMIT 8;

-- LIKE prefix
SELECT count(*) AS n FROM customers WHERE name LIKE 'A%';

-- ILIKE
SELECT count(*) AS n FROM customers WHERE email ILIKE '%EXAMPLE.NET';

-- NOT LIKE with underscore wildcard
SELECT city, count(*) AS n FROM customers WHERE city NOT LIKE '_e%' GROUP BY city ORDER BY city;

-- SIMILAR TO
SELECT count(*) AS n FROM customers WHERE name SIMILAR TO '(A|B)%';

-- SIMILAR TO with character class
SELECT city FROM customers WHERE city SIMILAR TO '[A-D][a-z]+' GROUP BY city ORDER BY city;

-- regex match operators
SELECT count(*) FILTER (WHERE email ~ '^[a-z]+\.[a-z]+[0-9]+@') AS m1,
       count(*) FILTER (WHERE name ~* '^m') AS m2,
       count(*) FILTER (WHERE name !~ 'e') AS m3
FROM customers;

-- regexp_replace
SELECT customer_id, regexp_replace(phone, '[^0-9]', '', 'g') AS digits, regexp_replace(email, '[0-9]+@', '@') AS no_num
FROM customers
ORDER BY customer_id
LIMIT 5;

-- regexp_matches returning set
SELECT regexp_matches('foo123bar45baz6', '[0-9]+', 'g') AS m;

-- regexp_split_to_table
SELECT regexp_split_to_table('alpha, beta,gamma ,delta', '\s*,\s*') AS part;

-- regexp_split_to_table on data
SELECT w, count(*) AS n
FROM (SELECT regexp_split_to_table(name, ' ') AS w FROM products) s
GROUP BY w
ORDER BY n DESC, w
LIMIT 10;

-- regexp_split_to_array and substring with regex
SELECT regexp_split_to_array('a1b22c333', '[0-9]+') AS arr, substring('order-2024-0042' FROM '[0-9]+$') AS tail;

-- lpad / rpad
SELECT lpad(customer_id::text, 6, '0') AS padded, rpad(gender, 3, '*') AS g3, lpad('abcdef', 3) AS trunc
FROM customers
ORDER BY customer_id
LIMIT 5;

-- trim variants
SELECT trim('  hi  ') AS t, ltrim('xxhixx', 'x') AS lt, rtrim('xxhixx', 'x') AS rt, btrim('--a-b--', '-') AS bt, trim(both 'x' from 'xxaxx') AS tb;

-- concatenation with || and concat, concat_ws with NULLs
SELECT customer_id, name || ' <' || email || '>' AS contact, concat(city, '/', industry) AS c, concat_ws(' | ', region, industry, company_size) AS cw
FROM customers
ORDER BY customer_id
LIMIT 6;

-- || with NULL yields NULL
SELECT count(*) FILTER (WHERE (name || industry) IS NULL) AS null_concat FROM customers;

-- replace / translate / reverse / repeat
SELECT replace('2024-06-30', '-', '/') AS r, translate('hello', 'el', 'ip') AS tr, reverse('custlake') AS rv, repeat('ab', 3) AS rp;

-- left/right
SELECT customer_id, left(name, 3) AS l3, right(email, 7) AS r7, left(name, -2) AS lm2
FROM customers
ORDER BY customer_id
LIMIT 5;

-- format with padding and quoting
SELECT format('%-10s|', region) AS padded, format('%10s|', region) AS rpadded, format('%s has %s customers', region, count(*)) AS msg
FROM customers
GROUP BY region
ORDER BY region;

-- format with %I and %L
SELECT format('SELECT %I FROM %I WHERE x = %L', 'my col', 'tbl', 'O''Reilly') AS q;

-- string_agg ordered
SELECT region, string_agg(DISTINCT city, ', ' ORDER BY city) AS cities
FROM customers
GROUP BY region
ORDER BY region;

-- md5 (deterministic hash)
SELECT md5('custlake') AS h, md5('') AS empty_h;

-- char_length vs octet_length with non-ascii
SELECT char_length('Düsseldorf') AS cl, octet_length('Düsseldorf') AS ol, bit_length('abc') AS bl;

-- ascii / chr
SELECT ascii('A') AS a, chr(66) AS b, ascii('é') AS e_acute;

-- starts_with
SELECT count(*) AS n FROM products WHERE starts_with(name, 'Terra');

-- ORDER BY text uses C collation (uppercase before lowercase)
SELECT v FROM (VALUES ('apple'), ('Banana'), ('cherry'), ('Apple'), ('banana'), ('_x'), ('1z')) AS t(v) ORDER BY v;

-- min/max of text
SELECT min(name) AS first_name, max(name) AS last_name, min(city) AS c1, max(city) AS c2 FROM customers;

-- quote_ident / quote_literal / quote_nullable
SELECT quote_ident('Hello World') AS qi, quote_literal('it''s') AS ql, quote_nullable(NULL::text) AS qn;

-- to_hex and string to number
SELECT to_hex(255) AS h, to_hex(4096) AS h2, '42'::int + 1 AS n;

-- upper on product names grouped by first letter
SELECT upper(left(name, 1)) AS initial, count(*) AS n
FROM products
GROUP BY 1
ORDER BY 1;

-- overlay
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4) AS o;

-- string comparison operators
SELECT 'abc' < 'abd' AS lt, 'B' < 'a' AS upper_first, 'abc' = 'abc ' AS trailing_space;

-- length of email grouped
SELECT length(email) / 10 * 10 AS len_bucket, count(*) AS n
FROM customers
GROUP BY 1
ORDER BY 1;
