--| client: Metabase (postgres driver, metabase/metabase) - database sync: schemas, tables, fields/columns, comments, PKs, FKs
--| Metabase talks to PostgreSQL through pgjdbc (extended protocol, server-side $n parameters); HoneySQL-generated queries carry every literal that is not [:inline ...]/[:raw ...] as a bind parameter - substituted below with the values observed on the wire.
--| order = order observed in the v0.62.1.5 capture (connection setup, schemas, privileges, tables, timezone, enums, fields, per-table getColumns/getPrimaryKeys, FKs, rsmd lookup).
--| not included (data, not catalog): the fingerprint/sample queries, e.g. SELECT SUBSTRING("public"."customers"."name", 1, 1234) AS "substring4476", ... FROM "public"."customers" LIMIT 10000
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: first statement Metabase sends on a new connection (a connection check; most likely metabase.driver.sql-jdbc.connection can-connect / the pool's test query - the exact caller was not pinned down in source)
--| params: none
--| client reads: nothing but success
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT 1
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgConnection.getTransactionIsolation()
--| function: called by the connection pool / Metabase when it changes isolation for metadata reads
--| params: none
--| client reads: column 1 text ('read committed')
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SHOW TRANSACTION ISOLATION LEVEL
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgConnection.getCatalog()
--| params: none
--| client reads: column 1 (database name)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
select current_catalog
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgConnection.setTransactionIsolation(READ_UNCOMMITTED) - Metabase sync runs metadata queries read-uncommitted, then resets
--| params: none
--| client reads: command completion only (server must accept; PG treats READ UNCOMMITTED as READ COMMITTED)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ UNCOMMITTED
-- next
--| source: as above (reset)
--| params: none
--| client reads: command completion only
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgDatabaseMetaData.getSchemas()
--| function (metabase): metabase.driver.sql-jdbc.sync.describe-database/all-schemas (src/metabase/driver/sql_jdbc/sync/describe_database.clj) via driver/syncable-schemas, used by postgres describe-syncable-tables
--| params: none
--| client reads: TABLE_SCHEM (by label); schemas information_schema/pg_catalog and ^metabase_cache.* are then dropped client-side
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY "TABLE_SCHEM"
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: (defmethod sql-jdbc.sync/current-user-table-privileges :postgres) - text built with (str/join "\n" [...]), sent verbatim (simple statement via clojure.java.jdbc/query)
--| used by: sql-jdbc.describe-database/have-privilege-fn (feature :table-privileges) to filter get-tables rows
--| params: none
--| client reads: columns role, schema, table, update, select, insert, delete by label (keywordised); keeps rows where select/update/insert/delete is true; (schema, table) with select=true => syncable
--| note: reserved words used as unquoted aliases: schema, table, update, select, insert, delete
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
with table_privileges as (
 select
   NULL as role,
   t.schemaname as schema,
   t.objectname as table,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'update') as update,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'select') as select,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(     current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*
from table_privileges t
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: get-tables-sql / get-tables, called from describe-syncable-tables <- (defmethod driver/describe-database* :postgres); HoneySQL 2 formatted with :dialect :ansi (all identifiers double-quoted)
--| params (extended protocol): $1=0 (int8, NULLIF arg), $2=0 (int8, objsubid), $3='^pg_', $4='information_schema', $5='public' (one $n per syncable schema) - substituted below
--| client reads: schema, name, type (dropped), description, estimated_row_count by label
--| note: the index copy of postgres.clj (and v0.55.1) selects "stat"."n_live_tup" AS "estimated_row_count" without NULLIF
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT "n"."nspname" AS "schema", "c"."relname" AS "name", CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type", "d"."description" AS "description", NULLIF("stat"."n_live_tup", 0) AS "estimated_row_count" FROM "pg_catalog"."pg_class" AS "c" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid" LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = 0) AND ("d"."classoid" = 'pg_class'::regclass) LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname") WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^pg_') AND ("n"."nspname" <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND ("n"."nspname" IN ('public')) ORDER BY "type" ASC, "schema" ASC, "name" ASC
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: (defmethod driver/db-default-timezone :postgres) - (.prepareStatement conn "show timezone;") (the ';' is part of the source string)
--| params: none
--| client reads: column 1 as String (IANA zone name, e.g. 'UTC' / 'Etc/UTC')
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
show timezone;
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: enum-types (used by describe-fields-pre-process-xf and driver/dynamic-database-types-lookup)
--| params: none
--| client reads: nspname, typname by label -> set of enum type names (quoted "schema"."type" when schema <> public)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: (defmethod sql-jdbc.sync/describe-fields-sql :postgres) - driver/describe-fields (feature :describe-fields), one query per schema batch
--| params: $1='ALWAYS' (is_generated), $2='public' (information_schema part, schema-names), $3='public' (matview part) - substituted below
--| client reads by label: name, database-type, database-position, table-schema, table-name, pk?, field-comment, database-required, database-default, database-is-auto-increment, database-is-generated, database-is-nullable
--| needs: information_schema.columns (column_name, udt_schema, udt_name, ordinal_position, table_schema, table_name, column_default, is_nullable, is_identity, is_generated), information_schema.table_constraints, information_schema.key_column_usage, format('%s'/'%I.%I'), col_description(oid,int), text::regclass::oid casts, 'm' matviews from pg_class/pg_attribute/pg_type
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT "c"."column_name" AS "name", CASE WHEN "c"."udt_schema" IN ('public', 'pg_catalog') THEN FORMAT('%s', "c"."udt_name") ELSE FORMAT('"%s"."%s"', "c"."udt_schema", "c"."udt_name") END AS "database-type", "c"."ordinal_position" - 1 AS "database-position", "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?", COL_DESCRIPTION(CAST(CAST(FORMAT('%I.%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment", (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO') AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO')) AS "database-required", "column_default" AS "database-default", (("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment", "is_generated" = 'ALWAYS' AS "database-is-generated", "is_nullable" = 'YES' AS "database-is-nullable" FROM "information_schema"."columns" AS "c" LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name" FROM "information_schema"."table_constraints" AS "tc" INNER JOIN "information_schema"."key_column_usage" AS "kc" ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name") WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk" ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name") WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND ("c"."table_schema" IN ('public')) UNION ALL SELECT "pa"."attname" AS "name", CASE WHEN "ptn"."nspname" IN ('public', 'pg_catalog') THEN FORMAT('%s', "pt"."typname") ELSE FORMAT('"%s"."%s"', "ptn"."nspname", "pt"."typname") END AS "database-type", "pa"."attnum" - 1 AS "database-position", "pn"."nspname" AS "table-schema", "pc"."relname" AS "table-name", FALSE AS "pk?", NULL AS "field-comment", FALSE AS "database-required", NULL AS "database-default", FALSE AS "database-is-auto-increment", FALSE AS "database-is-generated", FALSE AS "database-is-nullable" FROM "pg_catalog"."pg_class" AS "pc" INNER JOIN "pg_catalog"."pg_namespace" AS "pn" ON "pn"."oid" = "pc"."relnamespace" INNER JOIN "pg_catalog"."pg_attribute" AS "pa" ON "pa"."attrelid" = "pc"."oid" INNER JOIN "pg_catalog"."pg_type" AS "pt" ON "pt"."oid" = "pa"."atttypid" INNER JOIN "pg_catalog"."pg_namespace" AS "ptn" ON "ptn"."oid" = "pt"."typnamespace" WHERE ("pc"."relkind" = 'm') AND ("pa"."attnum" >= 1) AND ("pn"."nspname" IN ('public')) ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgDatabaseMetaData.getColumns(null, "public", "customers", null)
--| function (metabase): metabase.driver.sql-jdbc.sync.describe-table/jdbc-fields-metadata (.getColumns) <- describe-table-fields (src/metabase/driver/sql_jdbc/sync/describe_table.clj); observed once per table in the v0.62 capture
--| params: $1='public', $2='customers' (varchar LIKE patterns; Metabase escapes '\' in names)
--| client reads: COLUMN_NAME, TYPE_NAME, COLUMN_DEF, NULLABLE, IS_AUTOINCREMENT, REMARKS of pgjdbc's rebuilt result (pgjdbc itself reads the raw columns, see pgjdbc.sql)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT * FROM (SELECT current_database() AS current_database, n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull  OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'customers') c WHERE true  ORDER BY nspname,c.relname,attnum 
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgDatabaseMetaData.getPrimaryKeys(null, "public", "customers") - pgjdbc 42.7.8..42.7.12 text (pg_index based)
--| function (metabase): metabase.driver.sql-jdbc.sync.describe-table/get-table-pks (.getPrimaryKeys); observed once per table
--| params: $1='public', $2='customers' (varchar)
--| client reads: COLUMN_NAME (ordered by KEY_SEQ)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT        result.TABLE_CAT AS "TABLE_CAT",        result.TABLE_SCHEM AS "TABLE_SCHEM",        result.TABLE_NAME AS "TABLE_NAME",        result.COLUMN_NAME AS "COLUMN_NAME",        result.KEY_SEQ AS "KEY_SEQ",        result.PK_NAME AS "PK_NAME"FROM      (SELECT current_database() AS TABLE_CAT, n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,   (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,   information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM, i.indnkeyatts as KEY_COUNT FROM pg_catalog.pg_class ct   JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)   JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)   JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid)   JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true  AND n.nspname = 'public' AND ct.relname = 'customers' AND i.indisprimary  ) result where  result.A_ATTNUM = (result.KEYS).x AND result.KEY_SEQ <= KEY_COUNT  ORDER BY result.table_name, result.pk_name, result.key_seq
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: (defmethod sql-jdbc.sync/describe-fks-sql :postgres) - driver/describe-fks (feature :describe-fks)
--| params: $1='public' (schema-names; table-names adds ' AND ("fk_table"."relname" IN (...))' before the schema filter when given)
--| client reads by label: fk-table-schema, fk-table-name, fk-column-name, pk-table-schema, pk-table-name, pk-column-name
--| needs: 'f'::char cast, attnum = ANY(int2[])
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name", "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name" FROM "pg_constraint" AS "c" INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid" INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid" INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid" INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid" INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid" INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid" WHERE fk_ns.nspname !~ '^information_schema|catalog_history|pg_' AND ("c"."contype" = 'f'::char) AND ("fk_column"."attnum" = ANY(c.conkey)) AND ("pk_column"."attnum" = ANY(c.confkey)) AND ("fk_ns"."nspname" IN ('public')) ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC
-- next
--| source: github.com/metabase/metabase  src/metabase/driver/postgres.clj
--| commit: index copy at commit 008fd6675457cdd62da2265628bed3b725a607ea (recent 2025/26 master; the v0.62 wire text below adds NULLIF(...)/database-default/-is-generated/-is-nullable relative to that copy)
--| function: (defmethod sql-jdbc.sync/describe-indexes-sql :postgres) - driver/describe-indexes
--| status: NOT observed in the v0.62 capture (index sync is currently disabled in Metabase: #_:index-info); text RECONSTRUCTED by hand from the HoneySQL DSL (same rendering conventions as the captured queries; cross-checked against apecloud/myduckserver pgserver func-replacement test that carries this Metabase query)
--| params: schema-names -> $1='public', the final pos literal 1 -> $2 (HoneySQL parameterises numbers) - substituted below
--| client reads by label: table-schema, table-name, field-name
--| needs: information_schema._pg_expandarray(int2vector) + (composite)."n", pg_get_expr(pg_node_tree, oid), pg_get_indexdef(oid,int,bool), TRIM(BOTH '"' FROM ...)
SELECT "tmp"."table-schema", "tmp"."table-name", TRIM(BOTH '"' FROM PG_CATALOG.PG_GET_INDEXDEF("tmp"."ci_oid", "tmp"."pos", FALSE)) AS "field-name" FROM (SELECT "n"."nspname" AS "table-schema", "ct"."relname" AS "table-name", "ci"."oid" AS "ci_oid", (INFORMATION_SCHEMA._PG_EXPANDARRAY("i"."indkey"))."n" AS "pos" FROM "pg_catalog"."pg_class" AS "ct" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "ct"."relnamespace" = "n"."oid" INNER JOIN "pg_catalog"."pg_index" AS "i" ON "ct"."oid" = "i"."indrelid" INNER JOIN "pg_catalog"."pg_class" AS "ci" ON "ci"."oid" = "i"."indexrelid" WHERE (PG_CATALOG.PG_GET_EXPR("i"."indpred", "i"."indrelid") IS NULL) AND n.nspname !~ '^information_schema|catalog_history|pg_' AND ("n"."nspname" IN ('public'))) AS "tmp" WHERE "tmp"."pos" = 1
-- next
--| source: github.com/pgjdbc/pgjdbc  (the JDBC driver Metabase bundles; see pgjdbc.sql for the same text with full provenance) PgResultSetMetaData.fetchFieldMetaData()
--| function (metabase): after the fingerprint/sample SELECTs (e.g. SELECT SUBSTRING("public"."customers"."name", 1, 1234) ... LIMIT 10000) Metabase reads ResultSetMetaData (isAutoIncrement/getColumnName), which makes pgjdbc issue this once per new (table oid, attnum) set
--| params: none - table oid and attnums come from the RowDescription of the previous result (capture: oid 16384, attnums 2,3,4); here 16385 / 1,2,3
--| client reads: by position 1..7 (oid, attnum, attname, relname, nspname, notnull, autoincrement)
--| wire text: captured from Metabase v0.62.1.5 syncing PostgreSQL 16 (public capture file found in the code index, id 55699000340 - its repository is not identified; logger-added trailing ';' removed); cross-checked with datafusion-contrib/datafusion-postgres tests/metabase.rs (v0.55.1)
SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR (t.typtype = 'd' AND t.typnotnull), a.attidentity != '' OR pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%' FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (c.oid = a.attrelid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid) LEFT JOIN pg_catalog.pg_attrdef d ON (d.adrelid = a.attrelid AND d.adnum = a.attnum) JOIN (SELECT 16385 AS oid , 1 AS attnum UNION ALL SELECT 16385, 2 UNION ALL SELECT 16385, 3) vals ON (c.oid = vals.oid AND a.attnum = vals.attnum) where c.oid in (16385)
