--| client: PostgreSQL JDBC driver (pgjdbc) 42.7.x -- DatabaseMetaData / connection-level catalog SQL, server_version >= 10 branches (PG 16 assumed)
--| these are also what every JDBC-based client sends through DatabaseMetaData (Metabase generic sync, DBeaver getSQLKeywords/TypeInfoCache, Tableau, ...)
--| wire form: DatabaseMetaData queries use the extended protocol (prepareStatement, ps.setString -> parameters typed varchar/1043 unless stringtype=unspecified);
--|   since 42.7.8 patterns are bound as $n; before 42.7.8 (e.g. 42.7.7) the same values were inlined as quoted literals (E'...' when standard_conforming_strings=off).
--|   Bind parameters below are substituted with literals (schema 'public', tables 'customers'/'orders'); the header says what was $n.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/core/v3/ConnectionFactoryImpl.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: ConnectionFactoryImpl.runInitialQueries (startup)
--| params: none; sent as simple Query only when the server reports server_version < 12 (then prefixed by 'SET extra_float_digits = 3;') or, for application_name, whenever assumeMinServerVersion < 9.0 (the default)
--| client reads: nothing (command completion only)
--| note: with a PG16 server_version ParameterStatus only this statement is sent; application_name is the JDBC property (default 'PostgreSQL JDBC Driver'); Metabase sends 'Metabase v0.62.1.5 [uuid]'
SET application_name = 'PostgreSQL JDBC Driver'
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: PgConnection.getCatalog()
--| params: none (simple statement)
--| client reads: column 1 as String -> cached catalog name; used by every DatabaseMetaData call to compare the catalog argument
select current_catalog
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: PgConnection.getTransactionIsolation()
--| params: none
--| client reads: column 1 text, e.g. 'read committed' (parsed case-insensitively)
SHOW TRANSACTION ISOLATION LEVEL
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgConnection.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: PgConnection.getSchema()
--| params: none
--| client reads: column 1 as String
select current_schema()
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getSchemas() == getSchemas(null, null)
--| params: none (no schemaPattern -> no ' AND nspname LIKE ?'; hideUnprivilegedObjects=false)
--| client reads: TABLE_SCHEM, TABLE_CATALOG by name (Metabase reads TABLE_SCHEM)
SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY "TABLE_SCHEM"
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getCatalogs()
--| params: none
--| client reads: TABLE_CAT
SELECT datname AS "TABLE_CAT" FROM pg_catalog.pg_database WHERE datallowconn = true ORDER BY datname
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getTables(null, "public", "%", {"TABLE","PARTITIONED TABLE","VIEW","FOREIGN TABLE","MATERIALIZED VIEW"}) (type list as passed by Metabase's generic sql-jdbc db-tables; unknown types such as EXTERNAL TABLE contribute no clause)
--| params: $1='public' (schemaPattern, varchar), $2='%' (tableNamePattern, varchar)
--| client reads: TABLE_CAT, TABLE_SCHEM, TABLE_NAME, TABLE_TYPE, REMARKS (+ TYPE_CAT..REF_GENERATION); labels upper-cased by upperCaseFieldLabels()
SELECT current_database() AS "TABLE_CAT", n.nspname AS "TABLE_SCHEM", c.relname AS "TABLE_NAME",  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS "TABLE_TYPE", d.description AS "REMARKS",  '' as "TYPE_CAT", '' as "TYPE_SCHEM", '' as "TYPE_NAME", '' AS "SELF_REFERENCING_COL_NAME", '' AS "REF_GENERATION"  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::regclass)  WHERE c.relnamespace = n.oid  AND n.nspname LIKE 'public' AND c.relname LIKE '%' AND (false  OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'p' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'f' )  OR ( c.relkind = 'm' ) )  ORDER BY "TABLE_TYPE","TABLE_SCHEM","TABLE_NAME" 
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getColumns(null, "public", "customers", null)  [server >= 12 branch: row_number window, attidentity, attgenerated]
--| params: $1='public', $2='customers' (varchar); a non-null columnNamePattern appends ' AND attname LIKE ?' after ') c WHERE true '
--| client reads: by name: atttypid (getLong), atttypmod, nspname, relname, attname, typtype, adsrc, attidentity, attgenerated, typbasetype, typtypmod, attnotnull (getBoolean), description, attnum; then per column TypeInfoCache.getSQLType/getPGType(atttypid) -> extra pg_type lookups for OIDs not in the driver's static table (see TypeInfoCache entries below)
SELECT * FROM (SELECT current_database() AS current_database, n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull  OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'customers') c WHERE true  ORDER BY nspname,c.relname,attnum 
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getPrimaryKeys(null, "public", "customers")  [42.7.13: derived from pg_constraint.conkey]
--| params: $1='public', $2='customers' (varchar)
--| client reads: TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ, PK_NAME (Metabase reads COLUMN_NAME)
--| needs: information_schema._pg_expandarray(int2[]) returning record (x, n) and field selection (expr).n / (expr).x on a composite
SELECT        result.TABLE_CAT AS "TABLE_CAT",        result.TABLE_SCHEM AS "TABLE_SCHEM",        result.TABLE_NAME AS "TABLE_NAME",        result.COLUMN_NAME AS "COLUMN_NAME",        result.KEY_SEQ AS "KEY_SEQ",        result.PK_NAME AS "PK_NAME"FROM      (SELECT current_database() AS TABLE_CAT, n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,   (information_schema._pg_expandarray(con.conkey)).n AS KEY_SEQ, con.conname AS PK_NAME,   information_schema._pg_expandarray(con.conkey) AS KEYS, a.attnum AS A_ATTNUM FROM pg_catalog.pg_constraint con   JOIN pg_catalog.pg_class ct ON (con.conrelid = ct.oid)   JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)   JOIN pg_catalog.pg_attribute a ON (a.attrelid = ct.oid) WHERE con.contype = 'p'  AND n.nspname = 'public' AND ct.relname = 'customers' ) result where  result.A_ATTNUM = (result.KEYS).x  ORDER BY result.table_name, result.pk_name, result.key_seq
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: tag REL42.7.12 (2026; the pg_index-based text was replaced by the pg_constraint one in REL42.7.13)
--| function: getPrimaryKeys(null, "public", "customers")  [42.7.8 .. 42.7.12 variant, server >= 11 -> i.indnkeyatts; this exact text was captured from Metabase v0.62.1.5]
--| params: $1='public', $2='customers' (varchar)
--| client reads: TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ, PK_NAME
SELECT        result.TABLE_CAT AS "TABLE_CAT",        result.TABLE_SCHEM AS "TABLE_SCHEM",        result.TABLE_NAME AS "TABLE_NAME",        result.COLUMN_NAME AS "COLUMN_NAME",        result.KEY_SEQ AS "KEY_SEQ",        result.PK_NAME AS "PK_NAME"FROM      (SELECT current_database() AS TABLE_CAT, n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,   (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,   information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM, i.indnkeyatts as KEY_COUNT FROM pg_catalog.pg_class ct   JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)   JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)   JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid)   JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true  AND n.nspname = 'public' AND ct.relname = 'customers' AND i.indisprimary  ) result where  result.A_ATTNUM = (result.KEYS).x AND result.KEY_SEQ <= KEY_COUNT  ORDER BY result.table_name, result.pk_name, result.key_seq
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getMaxIndexKeys() (called once, lazily, by getImportedKeys/getExportedKeys/getCrossReference)
--| params: none (simple statement)
--| client reads: column 1 getInt -> N used in generate_series(1, N)
SELECT setting FROM pg_catalog.pg_settings WHERE name='max_index_keys'
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getImportedKeys(null, "public", "orders") -> getImportedExportedKeys(null,null,null,null,"public","orders")  [server >= 11; max_index_keys = 32 inlined]
--| params: $1='public' (foreignSchema), $2='orders' (foreignTable)
--| client reads: PKTABLE_CAT..DEFERRABILITY (14 JDBC columns) by name
SELECT current_database() AS "PKTABLE_CAT", pkn.nspname AS "PKTABLE_SCHEM", pkc.relname AS "PKTABLE_NAME", pka.attname AS "PKCOLUMN_NAME", current_database() AS "FKTABLE_CAT", fkn.nspname AS "FKTABLE_SCHEM", fkc.relname AS "FKTABLE_NAME", fka.attname AS "FKCOLUMN_NAME", pos.n AS "KEY_SEQ", CASE con.confupdtype  WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'p' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS "UPDATE_RULE", CASE con.confdeltype  WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'p' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS "DELETE_RULE", con.conname AS "FK_NAME", pkic.relname AS "PK_NAME", CASE  WHEN con.condeferrable AND con.condeferred THEN 5 WHEN con.condeferrable THEN 6 ELSE 7 END AS "DEFERRABILITY"  FROM  pg_catalog.pg_namespace pkn, pg_catalog.pg_class pkc, pg_catalog.pg_attribute pka,  pg_catalog.pg_namespace fkn, pg_catalog.pg_class fkc, pg_catalog.pg_attribute fka,  pg_catalog.pg_constraint con,  pg_catalog.generate_series(1, 32) pos(n),  pg_catalog.pg_class pkic WHERE pkn.oid = pkc.relnamespace AND pkc.oid = pka.attrelid AND pka.attnum = con.confkey[pos.n] AND con.confrelid = pkc.oid  AND fkn.oid = fkc.relnamespace AND fkc.oid = fka.attrelid AND fka.attnum = con.conkey[pos.n] AND con.conrelid = fkc.oid  AND con.contype = 'f' AND (pkic.relkind = 'i' OR pkic.relkind = 'I') AND pkic.oid = con.conindid  AND fkn.nspname = 'public' AND fkc.relname = 'orders' ORDER BY pkn.nspname,pkc.relname, con.conname,pos.n
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getExportedKeys(null, "public", "customers") -> getImportedExportedKeys(null,"public","customers",null,null,null)
--| params: $1='public' (primarySchema), $2='customers' (primaryTable)
--| client reads: same 14 columns
SELECT current_database() AS "PKTABLE_CAT", pkn.nspname AS "PKTABLE_SCHEM", pkc.relname AS "PKTABLE_NAME", pka.attname AS "PKCOLUMN_NAME", current_database() AS "FKTABLE_CAT", fkn.nspname AS "FKTABLE_SCHEM", fkc.relname AS "FKTABLE_NAME", fka.attname AS "FKCOLUMN_NAME", pos.n AS "KEY_SEQ", CASE con.confupdtype  WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'p' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS "UPDATE_RULE", CASE con.confdeltype  WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'p' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS "DELETE_RULE", con.conname AS "FK_NAME", pkic.relname AS "PK_NAME", CASE  WHEN con.condeferrable AND con.condeferred THEN 5 WHEN con.condeferrable THEN 6 ELSE 7 END AS "DEFERRABILITY"  FROM  pg_catalog.pg_namespace pkn, pg_catalog.pg_class pkc, pg_catalog.pg_attribute pka,  pg_catalog.pg_namespace fkn, pg_catalog.pg_class fkc, pg_catalog.pg_attribute fka,  pg_catalog.pg_constraint con,  pg_catalog.generate_series(1, 32) pos(n),  pg_catalog.pg_class pkic WHERE pkn.oid = pkc.relnamespace AND pkc.oid = pka.attrelid AND pka.attnum = con.confkey[pos.n] AND con.confrelid = pkc.oid  AND fkn.oid = fkc.relnamespace AND fkc.oid = fka.attrelid AND fka.attnum = con.conkey[pos.n] AND con.conrelid = fkc.oid  AND con.contype = 'f' AND (pkic.relkind = 'i' OR pkic.relkind = 'I') AND pkic.oid = con.conindid  AND pkn.nspname = 'public' AND pkc.relname = 'customers' ORDER BY fkn.nspname,fkc.relname,con.conname,pos.n
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getIndexInfo(null, "public", "customers", false, true)  [server >= 9.6 branch]
--| params: $1='public', $2='customers'; unique=true appends ' AND i.indisunique ' before ') AS tmp'
--| client reads: TABLE_CAT, TABLE_SCHEM, TABLE_NAME, NON_UNIQUE, INDEX_QUALIFIER, INDEX_NAME, TYPE, ORDINAL_POSITION, COLUMN_NAME, ASC_OR_DESC, CARDINALITY, PAGES, FILTER_CONDITION, REMARKS
--| needs: int2vector subscripting I_INDOPTION[n - 1] & 1::smallint, trim(both '"' from ...), pg_get_indexdef(oid, int, bool)
SELECT     tmp.TABLE_CAT AS "TABLE_CAT",     tmp.TABLE_SCHEM AS "TABLE_SCHEM",     tmp.TABLE_NAME AS "TABLE_NAME",     tmp.NON_UNIQUE AS "NON_UNIQUE",     tmp.INDEX_QUALIFIER AS "INDEX_QUALIFIER",     tmp.INDEX_NAME AS "INDEX_NAME",     tmp.TYPE AS "TYPE",     tmp.ORDINAL_POSITION AS "ORDINAL_POSITION",     trim(both '"' from pg_catalog.pg_get_indexdef(tmp.CI_OID, tmp.ORDINAL_POSITION, false)) AS "COLUMN_NAME",   CASE tmp.AM_NAME     WHEN 'btree' THEN CASE tmp.I_INDOPTION[tmp.ORDINAL_POSITION - 1] & 1::smallint       WHEN 1 THEN 'D'       ELSE 'A'     END     ELSE NULL   END AS "ASC_OR_DESC",     tmp.CARDINALITY AS "CARDINALITY",     tmp.PAGES AS "PAGES",     tmp.FILTER_CONDITION AS "FILTER_CONDITION",     tmp.REMARKS AS "REMARKS"FROM (SELECT current_database() AS TABLE_CAT,  n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, NOT i.indisunique AS NON_UNIQUE,   NULL AS INDEX_QUALIFIER, ci.relname AS INDEX_NAME,   CASE i.indisclustered     WHEN true THEN 1    ELSE CASE am.amname       WHEN 'hash' THEN 2      ELSE 3    END   END AS TYPE,   (information_schema._pg_expandarray(i.indkey)).n AS ORDINAL_POSITION,   ci.reltuples AS CARDINALITY,   ci.relpages AS PAGES,   pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS FILTER_CONDITION,   ci.oid AS CI_OID,   i.indoption AS I_INDOPTION,   am.amname AS AM_NAME,   d.description AS REMARKS FROM pg_catalog.pg_class ct   JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)   JOIN pg_catalog.pg_index i ON (ct.oid = i.indrelid)   JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)   JOIN pg_catalog.pg_am am ON (ci.relam = am.oid)   LEFT JOIN pg_catalog.pg_description d ON (ci.oid = d.objoid) WHERE true  AND n.nspname = 'public' AND ct.relname = 'customers') AS tmp
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgDatabaseMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: getSQLKeywords() (DBeaver calls it on connect)
--| params: none (simple statement)
--| client reads: column 1 (comma separated keyword list)
select string_agg(word, ',') from pg_catalog.pg_get_keywords() where word <> ALL ('{a,abs,absolute,action,ada,add,admin,after,all,allocate,alter,always,and,any,are,array,as,asc,asensitive,assertion,assignment,asymmetric,at,atomic,attribute,attributes,authorization,avg,before,begin,bernoulli,between,bigint,binary,blob,boolean,both,breadth,by,c,call,called,cardinality,cascade,cascaded,case,cast,catalog,catalog_name,ceil,ceiling,chain,char,char_length,character,character_length,character_set_catalog,character_set_name,character_set_schema,characteristics,characters,check,checked,class_origin,clob,close,coalesce,cobol,code_units,collate,collation,collation_catalog,collation_name,collation_schema,collect,column,column_name,command_function,command_function_code,commit,committed,condition,condition_number,connect,connection_name,constraint,constraint_catalog,constraint_name,constraint_schema,constraints,constructors,contains,continue,convert,corr,corresponding,count,covar_pop,covar_samp,create,cross,cube,cume_dist,current,current_collation,current_date,current_default_transform_group,current_path,current_role,current_time,current_timestamp,current_transform_group_for_type,current_user,cursor,cursor_name,cycle,data,date,datetime_interval_code,datetime_interval_precision,day,deallocate,dec,decimal,declare,default,defaults,deferrable,deferred,defined,definer,degree,delete,dense_rank,depth,deref,derived,desc,describe,descriptor,deterministic,diagnostics,disconnect,dispatch,distinct,domain,double,drop,dynamic,dynamic_function,dynamic_function_code,each,element,else,end,end-exec,equals,escape,every,except,exception,exclude,excluding,exec,execute,exists,exp,external,extract,false,fetch,filter,final,first,float,floor,following,for,foreign,fortran,found,free,from,full,function,fusion,g,general,get,global,go,goto,grant,granted,group,grouping,having,hierarchy,hold,hour,identity,immediate,implementation,in,including,increment,indicator,initially,inner,inout,input,insensitive,insert,instance,instantiable,int,integer,intersect,intersection,interval,into,invoker,is,isolation,join,k,key,key_member,key_type,language,large,last,lateral,leading,left,length,level,like,ln,local,localtime,localtimestamp,locator,lower,m,map,match,matched,max,maxvalue,member,merge,message_length,message_octet_length,message_text,method,min,minute,minvalue,mod,modifies,module,month,more,multiset,mumps,name,names,national,natural,nchar,nclob,nesting,new,next,no,none,normalize,normalized,not,"null",nullable,nullif,nulls,number,numeric,object,octet_length,octets,of,old,on,only,open,option,options,or,order,ordering,ordinality,others,out,outer,output,over,overlaps,overlay,overriding,pad,parameter,parameter_mode,parameter_name,parameter_ordinal_position,parameter_specific_catalog,parameter_specific_name,parameter_specific_schema,partial,partition,pascal,path,percent_rank,percentile_cont,percentile_disc,placing,pli,position,power,preceding,precision,prepare,preserve,primary,prior,privileges,procedure,public,range,rank,read,reads,real,recursive,ref,references,referencing,regr_avgx,regr_avgy,regr_count,regr_intercept,regr_r2,regr_slope,regr_sxx,regr_sxy,regr_syy,relative,release,repeatable,restart,result,return,returned_cardinality,returned_length,returned_octet_length,returned_sqlstate,returns,revoke,right,role,rollback,rollup,routine,routine_catalog,routine_name,routine_schema,row,row_count,row_number,rows,savepoint,scale,schema,schema_name,scope_catalog,scope_name,scope_schema,scroll,search,second,section,security,select,self,sensitive,sequence,serializable,server_name,session,session_user,set,sets,similar,simple,size,smallint,some,source,space,specific,specific_name,specifictype,sql,sqlexception,sqlstate,sqlwarning,sqrt,start,state,statement,static,stddev_pop,stddev_samp,structure,style,subclass_origin,submultiset,substring,sum,symmetric,system,system_user,table,table_name,tablesample,temporary,then,ties,time,timestamp,timezone_hour,timezone_minute,to,top_level_count,trailing,transaction,transaction_active,transactions_committed,transactions_rolled_back,transform,transforms,translate,translation,treat,trigger,trigger_catalog,trigger_name,trigger_schema,trim,true,type,uescape,unbounded,uncommitted,under,union,unique,unknown,unnamed,unnest,update,upper,usage,user,user_defined_type_catalog,user_defined_type_code,user_defined_type_name,user_defined_type_schema,using,value,values,var_pop,var_samp,varchar,varying,view,when,whenever,where,width_bucket,window,with,within,without,work,write,year,zone}'::text[])
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/TypeInfoCache.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: TypeInfoCache.getSQLType(int oid) via getSQLTypeQuery(true) -- issued for every type OID not in the driver's static table (e.g. 2950 uuid, 1034 aclitem[], 1005 int2[], 22 int2vector, 30 oidvector, 24 regproc, 194 pg_node_tree, user enums/domains) when getColumns/ResultSetMetaData need a java.sql.Types code
--| params: $1=2950 (int4)
--| client reads: is_array (getBoolean), typtype, typname, oid
SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = 2950  ORDER BY sp.r, pg_type.oid DESC;
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/TypeInfoCache.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: TypeInfoCache.getPGType(int oid) via prepareGetNameStatement() -- same trigger as above (type name for an unknown OID)
--| params: $1=2950 (int4)
--| client reads: column 1 onPath (getBoolean), 2 nspname, 3 typname (by position)
SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 2950
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/TypeInfoCache.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: TypeInfoCache.getPGArrayElement(int oid) -- element type of an array OID not in the static table
--| params: $1=1034 (int4)
--| client reads: e.oid, onPath, nspname, typname (by position)
SELECT e.oid, n.nspname = ANY(current_schemas(true)), n.nspname, e.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_type e ON t.typelem = e.oid JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 1034
-- next
--| source: github.com/pgjdbc/pgjdbc  pgjdbc/src/main/java/org/postgresql/jdbc/PgResultSetMetaData.java
--| commit: 3a699d57d957ca0c2b86e619d001a8763a130027 (HEAD 2026-07-16; this file is byte-identical to tag REL42.7.13)
--| function: PgResultSetMetaData.fetchFieldMetaData() -- issued the first time an application calls getColumnName/getTableName/getSchemaName/isNullable/isAutoIncrement on a ResultSetMetaData whose RowDescription carried a non-zero table OID (Metabase: after its fingerprint SELECTs)
--| params: none: table OIDs and column attnums are inlined from the RowDescription (here table oid 16385, attnums 1..3)
--| client reads: by position: 1 c.oid, 2 attnum, 3 attname, 4 relname, 5 nspname, 6 not-null bool, 7 auto-increment bool
SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR (t.typtype = 'd' AND t.typnotnull), a.attidentity != '' OR pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%' FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (c.oid = a.attrelid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid) LEFT JOIN pg_catalog.pg_attrdef d ON (d.adrelid = a.attrelid AND d.adnum = a.attnum) JOIN (SELECT 16385 AS oid , 1 AS attnum UNION ALL SELECT 16385, 2 UNION ALL SELECT 16385, 3) vals ON (c.oid = vals.oid AND a.attnum = vals.attnum) where c.oid in (16385)
