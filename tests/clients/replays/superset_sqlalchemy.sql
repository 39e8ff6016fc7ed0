--| client: Superset / SQLAlchemy postgresql dialect (Inspector: get_schema_names, get_table_names, get_view_names, get_columns, get_pk_constraint, get_foreign_keys, get_indexes, get_table_comment, has_table, ...)
--| Superset itself still pins SQLAlchemy 1.4.54 (section A, textual SQL); section B is SQLAlchemy 2.0.52 (Core-built SQL) as used by newer SQLAlchemy apps.
--| table used: public.customers (oid 16385 where an oid is bound). get_table_oid in 1.4 is cached per Inspector: one oid query per table even though several methods need it.
--| psycopg2 = simple Query protocol, client-side parameter interpolation, implicit BEGIN before the first statement of a transaction (and ROLLBACK when SQLAlchemy returns the connection to the pool).
--| rendering: SQL produced by running the dialect's reflection method from the tagged source against a recording fake connection (PGDialect_psycopg2, server_version_info=(16,4), default_schema_name='public'), then interpolated exactly like psycopg2 does client-side (str -> 'quoted', int -> bare, list -> ARRAY[...], %% -> %); psycopg2 sends the final text in a simple Query message (inside BEGIN unless autocommit).
--| with psycopg (v3) / asyncpg drivers the same SQL goes out with server-side $n parameters (extended protocol) instead.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| section A: Apache Superset (SQLAlchemy 1.4.54 + psycopg2 2.9) - test connection, database/schema/table browser, dataset metadata
--| source: github.com/psycopg/psycopg2  lib/extras.py HstoreAdapter.get_oids (tag 2.9.12 / HEAD 3a6d9d6d) <- SQLAlchemy PGDialect_psycopg2.initialize -> _hstore_oids (use_native_hstore=True default)
--| params: none (typarray branch for server >= 8.3); psycopg2 then issues ROLLBACK if it had to open a transaction
--| client reads: rows (oid, typarray) - normally zero rows
SELECT t.oid, typarray
FROM pg_type t JOIN pg_namespace ns
    ON typnamespace = ns.oid
WHERE typname = 'hstore';

-- next
--| called by: _get_server_version_info
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect._get_server_version_info (dialect.initialize on first connect)
--| params: (exec_driver_sql, raw string)
--| client reads: scalar version() string, regex '.*(?:PostgreSQL|EnterpriseDB) (\d+)\.?(\d+)?...' -> server_version_info
select pg_catalog.version()
-- next
--| called by: _get_default_schema_name
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect._get_default_schema_name
--| params: (exec_driver_sql, raw string)
--| client reads: scalar -> default_schema_name
select current_schema()
-- next
--| called by: get_isolation_level
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_isolation_level
--| params: (raw DBAPI cursor.execute)
--| client reads: fetchone()[0].upper() (e.g. 'READ COMMITTED')
show transaction isolation level
-- next
--| called by: get_schema_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_schema_names
--| params: none - substituted as psycopg2 would
--| client reads: column nspname (all rows)
SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' ORDER BY nspname
-- next
--| called by: get_table_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_table_names
--| params: schema='public' - substituted as psycopg2 would
--| client reads: column relname
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind in ('r', 'p')
-- next
--| called by: get_foreign_table_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_foreign_table_names
--| params: schema='public' - substituted as psycopg2 would
--| client reads: column relname
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'f'
-- next
--| called by: get_view_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_view_names
--| params: schema='public' - substituted as psycopg2 would
--| client reads: column relname
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
-- next
--| called by: has_table
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.has_table
--| params: schema='public', name='customers' - substituted as psycopg2 would
--| client reads: existence of a first row
select relname from pg_class c join pg_namespace n on n.oid=c.relnamespace where n.nspname='public' and relname='customers'
-- next
--| called by: get_table_oid, get_columns, get_pk_constraint, get_foreign_keys, get_indexes, get_table_comment, get_unique_constraints, get_check_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_table_oid
--| params: schema='public', table_name='customers' - substituted as psycopg2 would
--| client reads: oid (+ relname in 2.0) -> NoSuchTableError when empty

            SELECT c.oid
            FROM pg_catalog.pg_class c
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE (n.nspname = 'public')
            AND c.relname = 'customers' AND c.relkind in
            ('r', 'v', 'm', 'f', 'p')
        
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_columns
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: tuple unpack by position: attname, format_type, default, attnotnull, table_oid, comment, generated, identity_options (json)

            SELECT a.attname,
              pg_catalog.format_type(a.atttypid, a.atttypmod),
              (
                SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attrdef d
                WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum
                AND a.atthasdef
              ) AS DEFAULT,
              a.attnotnull,
              a.attrelid as table_oid,
              pgd.description as comment,
              a.attgenerated as generated,
                              (SELECT json_build_object(
                    'always', a.attidentity = 'a',
                    'start', s.seqstart,
                    'increment', s.seqincrement,
                    'minvalue', s.seqmin,
                    'maxvalue', s.seqmax,
                    'cache', s.seqcache,
                    'cycle', s.seqcycle)
                FROM pg_catalog.pg_sequence s
                JOIN pg_catalog.pg_class c on s.seqrelid = c."oid"
                WHERE c.relkind = 'S'
                AND a.attidentity != ''
                AND s.seqrelid = pg_catalog.pg_get_serial_sequence(
                    a.attrelid::regclass::text, a.attname
                )::regclass::oid
                ) as identity_options                
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_description pgd ON (
                pgd.objoid = a.attrelid AND pgd.objsubid = a.attnum)
            WHERE a.attrelid = 16385
            AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
        
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_columns
--| params: none - substituted as psycopg2 would
--| client reads: domains by key: name, attype, nullable, default, visible, schema

            SELECT t.typname as "name",
               pg_catalog.format_type(t.typbasetype, t.typtypmod) as "attype",
               not t.typnotnull as "nullable",
               t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema"
            FROM pg_catalog.pg_type t
               LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd'
        
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_columns
--| params: none - substituted as psycopg2 would
--| client reads: enums by key: name, visible, schema, label (one row per label, ordered by e.oid)

            SELECT t.typname as "name",
               -- no enum defaults in 8.4 at least
               -- t.typdefault as "default",
               pg_catalog.pg_type_is_visible(t.oid) as "visible",
               n.nspname as "schema",
               e.enumlabel as "label"
            FROM pg_catalog.pg_type t
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                 LEFT JOIN pg_catalog.pg_enum e ON t.oid = e.enumtypid
            WHERE t.typtype = 'e'
        ORDER BY "schema", "name", e.oid
-- next
--| called by: get_pk_constraint
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_pk_constraint
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: query 1: attname rows in key order; query 2: conname

                SELECT a.attname
                FROM pg_attribute a JOIN (
                    SELECT unnest(ix.indkey) attnum,
                           generate_subscripts(ix.indkey, 1) ord
                    FROM pg_index ix
                    WHERE ix.indrelid = 16385 AND ix.indisprimary
                    ) k ON a.attnum=k.attnum
                WHERE a.attrelid = 16385
                ORDER BY k.ord
            
-- next
--| called by: get_pk_constraint
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_pk_constraint
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: query 1: attname rows in key order; query 2: conname

        SELECT conname
           FROM  pg_catalog.pg_constraint r
           WHERE r.conrelid = 16385 AND r.contype = 'p'
           ORDER BY 1
        
-- next
--| called by: get_foreign_keys
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_foreign_keys
--| params: table=16385 - substituted as psycopg2 would
--| client reads: conname, condef (parsed with a regex: FOREIGN KEY (...) REFERENCES [schema.]table(...) [ON UPDATE ...] [ON DELETE ...] [DEFERRABLE] ...), conschema

          SELECT r.conname,
                pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
                n.nspname as conschema
          FROM  pg_catalog.pg_constraint r,
                pg_namespace n,
                pg_class c

          WHERE r.conrelid = 16385 AND
                r.contype = 'f' AND
                c.oid = confrelid AND
                n.oid = c.relnamespace
          ORDER BY 1
        
-- next
--| called by: get_indexes
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_indexes
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: relname, indisunique, indexprs, attname, attnum, conrelid, indkey::varchar (space separated), indoption::varchar, reloptions, amname, filter expr (5th..), indnkeyatts

              SELECT
                  i.relname as relname,
                  ix.indisunique, ix.indexprs,
                  a.attname, a.attnum, c.conrelid, ix.indkey::varchar,
                  ix.indoption::varchar, i.reloptions, am.amname,
                  pg_get_expr(ix.indpred, ix.indrelid),
                  ix.indnkeyatts as indnkeyatts
              FROM
                  pg_class t
                        join pg_index ix on t.oid = ix.indrelid
                        join pg_class i on i.oid = ix.indexrelid
                        left outer join
                            pg_attribute a
                            on t.oid = a.attrelid and a.attnum = ANY(ix.indkey)
                        left outer join
                            pg_constraint c
                            on (ix.indrelid = c.conrelid and
                                ix.indexrelid = c.conindid and
                                c.contype in ('p', 'u', 'x'))
                        left outer join
                            pg_am am
                            on i.relam = am.oid
              WHERE
                  t.relkind IN ('r', 'v', 'f', 'm', 'p')
                  and t.oid = 16385
                  and ix.indisprimary = 'f'
              ORDER BY
                  t.relname,
                  i.relname
            
-- next
--| called by: get_table_comment
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_table_comment
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: table_comment (scalar)

            SELECT
                pgd.description as table_comment
            FROM
                pg_catalog.pg_description pgd
            WHERE
                pgd.objsubid = 0 AND
                pgd.objoid = 16385
        
-- next
--| called by: get_unique_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_unique_constraints
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: rows (name, key, col_num, col_name) by attribute name

            SELECT
                cons.conname as name,
                cons.conkey as key,
                a.attnum as col_num,
                a.attname as col_name
            FROM
                pg_catalog.pg_constraint cons
                join pg_attribute a
                  on cons.conrelid = a.attrelid AND
                    a.attnum = ANY(cons.conkey)
            WHERE
                cons.conrelid = 16385 AND
                cons.contype = 'u'
        
-- next
--| called by: get_check_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.get_check_constraints
--| params: table_oid=16385 - substituted as psycopg2 would
--| client reads: rows (name, src); src must look like 'CHECK (...)'

            SELECT
                cons.conname as name,
                pg_get_constraintdef(cons.oid) as src
            FROM
                pg_catalog.pg_constraint cons
            WHERE
                cons.conrelid = 16385 AND
                cons.contype = 'c'
        
-- next
--| called by: has_schema
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_1_4_54 (SQLAlchemy 1.4.54)
--| function: PGDialect.has_schema
--| params: schema='public' - substituted as psycopg2 would
--| client reads: existence of a first row
select nspname from pg_namespace where lower(nspname)='public'
-- next
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ rel_1_4_54 - PGDialect.initialize (server >= 8.2)
--| params: none
--| client reads: scalar 'on'/'off' -> _backslash_escapes
show standard_conforming_strings
-- next
--| source: lib/sqlalchemy/engine/default.py @ rel_1_4_54 - DefaultDialect.do_ping (_dialect_specific_select_one = str(select(1).compile())); Superset 'Test connection' / pool_pre_ping
--| params: none
--| client reads: nothing
SELECT 1
-- next
--| source: github.com/apache/superset  superset/db_engine_specs/postgres.py (index copy 007e4f5f4b4a; requirements/base.txt @ 000f332e61e1 pins sqlalchemy==1.4.54, default driver psycopg2)
--| function: PostgresEngineSpec.get_catalog_names -> inspector.bind.execute(<triple-quoted string>) (raw string, leading newline and trailing spaces are part of it)
--| params: none
--| client reads: column 1 datname (sorted client-side)

SELECT datname FROM pg_database
WHERE datistemplate = false;
            
-- next
--| source: github.com/apache/superset  superset/db_engine_specs/postgres.py (index copy 007e4f5f4b4a; requirements/base.txt @ 000f332e61e1 pins sqlalchemy==1.4.54, default driver psycopg2)
--| function: PostgresEngineSpec.get_prequeries(schema='public') - run before every SQL Lab query when a schema is selected
--| params: schema name interpolated as a quoted identifier
--| client reads: nothing
set search_path = "public"
-- next
--| source: github.com/apache/superset  superset/db_engine_specs/postgres.py (index copy 007e4f5f4b4a; requirements/base.txt @ 000f332e61e1 pins sqlalchemy==1.4.54, default driver psycopg2)
--| function: PostgresEngineSpec.get_cancel_query_id (SQL Lab, before running a query)
--| params: none
--| client reads: fetchone()[0] backend pid
SELECT pg_backend_pid()
-- next
--| section B: SQLAlchemy 2.0.52 (latest 2.0.x) + psycopg2 - the same Inspector API, now built with Core selects against pg_catalog Table objects
--| called by: _get_server_version_info
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect._get_server_version_info (dialect.initialize on first connect)
--| params: (exec_driver_sql, raw string)
--| client reads: scalar version()
select pg_catalog.version()
-- next
--| called by: _get_default_schema_name
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect._get_default_schema_name
--| params: (exec_driver_sql, raw string)
--| client reads: scalar
select current_schema()
-- next
--| called by: get_isolation_level
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_isolation_level
--| params: (raw DBAPI cursor.execute)
--| client reads: fetchone()[0]
show transaction isolation level
-- next
--| called by: get_schema_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_schema_names
--| params: nspname_1='pg_%' - substituted as psycopg2 would
--| client reads: scalars() nspname
SELECT pg_catalog.pg_namespace.nspname 
FROM pg_catalog.pg_namespace 
WHERE pg_catalog.pg_namespace.nspname NOT LIKE 'pg_%' ORDER BY pg_catalog.pg_namespace.nspname
-- next
--| called by: get_table_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_table_names
--| params: param_1='r', param_2='p', relpersistence_1='t', nspname_1='public' - substituted as psycopg2 would
--| client reads: scalars() relname
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p']) AND pg_catalog.pg_class.relpersistence != 't' AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: get_foreign_table_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_foreign_table_names
--| params: param_1='f', nspname_1='public' - substituted as psycopg2 would
--| client reads: scalars() relname
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['f']) AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: get_view_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_view_names
--| params: param_1='v', relpersistence_1='t', nspname_1='public' - substituted as psycopg2 would
--| client reads: scalars() relname
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['v']) AND pg_catalog.pg_class.relpersistence != 't' AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: get_materialized_view_names
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_materialized_view_names
--| params: param_1='m', relpersistence_1='t', nspname_1='public' - substituted as psycopg2 would
--| client reads: scalars() relname
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['m']) AND pg_catalog.pg_class.relpersistence != 't' AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: has_table
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.has_table
--| params: table_name='customers', param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public' - substituted as psycopg2 would
--| client reads: bool(first row)
SELECT pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relname = 'customers' AND pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: get_table_oid
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_table_oid
--| params: relname_1='customers', param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public' - substituted as psycopg2 would
--| client reads: scalar oid
SELECT pg_catalog.pg_class.oid 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relname = 'customers' AND pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public'
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_columns
--| params: json_build_object_2='always', attidentity_1='a', json_build_object_3='start', json_build_object_4='increment', json_build_object_5='minvalue', json_build_object_6='maxvalue', json_build_object_7='cache', json_build_object_8='cycle', attidentity_2='', attcollation_1=0, attnum_1=0, param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public', filter_names_1='customers' - substituted as psycopg2 would
--| client reads: mappings by key: name, format_type, default, not_null, table_name, comment, generated, identity_options (json), collation
SELECT pg_catalog.pg_attribute.attname AS name, pg_catalog.format_type(pg_catalog.pg_attribute.atttypid, pg_catalog.pg_attribute.atttypmod) AS format_type, (SELECT pg_catalog.pg_get_expr(pg_catalog.pg_attrdef.adbin, pg_catalog.pg_attrdef.adrelid) AS pg_get_expr_1 
FROM pg_catalog.pg_attrdef 
WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attrdef.adnum = pg_catalog.pg_attribute.attnum AND pg_catalog.pg_attribute.atthasdef) AS "default", pg_catalog.pg_attribute.attnotnull AS not_null, pg_catalog.pg_class.relname AS table_name, pg_catalog.pg_description.description AS comment, pg_catalog.pg_attribute.attgenerated AS generated, (SELECT json_build_object('always', pg_catalog.pg_attribute.attidentity = 'a', 'start', pg_catalog.pg_sequence.seqstart, 'increment', pg_catalog.pg_sequence.seqincrement, 'minvalue', pg_catalog.pg_sequence.seqmin, 'maxvalue', pg_catalog.pg_sequence.seqmax, 'cache', pg_catalog.pg_sequence.seqcache, 'cycle', pg_catalog.pg_sequence.seqcycle) AS json_build_object_1 
FROM pg_catalog.pg_sequence 
WHERE pg_catalog.pg_attribute.attidentity != '' AND pg_catalog.pg_sequence.seqrelid = CAST(CAST(pg_catalog.pg_get_serial_sequence(CAST(CAST(pg_catalog.pg_attribute.attrelid AS REGCLASS) AS TEXT), pg_catalog.pg_attribute.attname) AS REGCLASS) AS OID)) AS identity_options, CASE WHEN (pg_catalog.pg_attribute.attcollation != 0 AND (SELECT pg_catalog.pg_type.typcollation 
FROM pg_catalog.pg_type 
WHERE pg_catalog.pg_type.oid = pg_catalog.pg_attribute.atttypid) != pg_catalog.pg_attribute.attcollation) THEN (SELECT pg_catalog.pg_collation.collname 
FROM pg_catalog.pg_collation 
WHERE pg_catalog.pg_collation.oid = pg_catalog.pg_attribute.attcollation) ELSE NULL END AS collation 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_class.oid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attribute.attnum > 0 AND NOT pg_catalog.pg_attribute.attisdropped LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_description.objsubid = pg_catalog.pg_attribute.attnum JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers') ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_attribute.attnum
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_columns
--| params: pg_get_constraintdef_1=True, contypid_1=0, typtype_1='d' - substituted as psycopg2 would
--| client reads: domains by key: name, attype, nullable, default, visible, schema, condefs (text[]), connames (text[]), collname
SELECT pg_catalog.pg_type.typname AS name, pg_catalog.format_type(pg_catalog.pg_type.typbasetype, pg_catalog.pg_type.typtypmod) AS attype, NOT pg_catalog.pg_type.typnotnull AS nullable, pg_catalog.pg_type.typdefault AS "default", pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, domain_constraints.condefs, domain_constraints.connames, pg_catalog.pg_collation.collname 
FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN pg_catalog.pg_collation ON pg_catalog.pg_type.typcollation = pg_catalog.pg_collation.oid LEFT OUTER JOIN (SELECT pg_catalog.pg_constraint.contypid AS contypid, array_agg(pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, true)) AS condefs, array_agg(CAST(pg_catalog.pg_constraint.conname AS TEXT)) AS connames 
FROM pg_catalog.pg_constraint 
WHERE pg_catalog.pg_constraint.contypid != 0 GROUP BY pg_catalog.pg_constraint.contypid) AS domain_constraints ON pg_catalog.pg_type.oid = domain_constraints.contypid 
WHERE pg_catalog.pg_type.typtype = 'd' ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname
-- next
--| called by: get_columns
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_columns
--| params: typtype_1='e' - substituted as psycopg2 would
--| client reads: enums by key: name, visible, schema, labels (text[] ordered by enumsortorder)
SELECT pg_catalog.pg_type.typname AS name, pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, lbl_agg.labels AS labels 
FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN (SELECT pg_catalog.pg_enum.enumtypid AS enumtypid, array_agg(CAST(pg_catalog.pg_enum.enumlabel AS TEXT) ORDER BY pg_catalog.pg_enum.enumsortorder) AS labels 
FROM pg_catalog.pg_enum GROUP BY pg_catalog.pg_enum.enumtypid) AS lbl_agg ON pg_catalog.pg_type.oid = lbl_agg.enumtypid 
WHERE pg_catalog.pg_type.typtype = 'e' ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname
-- next
--| called by: get_pk_constraint, get_indexes, get_unique_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect._get_table_oids (shared helper of the get_multi_* methods)
--| params: param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public', filter_names_1='customers' - substituted as psycopg2 would
--| client reads: oid (+ relname in 2.0) -> NoSuchTableError when empty
SELECT pg_catalog.pg_class.oid, pg_catalog.pg_class.relname 
FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
--| called by: get_pk_constraint
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_pk_constraint
--| params: generate_subscripts_1=1, contype='p', oids_1=16385 - substituted as psycopg2 would
--| client reads: by position: conrelid, cols (text[] in key order), conname, description, indnkeyatts, indnullsnotdistinct
SELECT attr.conrelid, array_agg(CAST(attr.attname AS TEXT) ORDER BY attr.ord) AS cols, attr.conname, min(attr.description) AS description, min(attr.indnkeyatts) AS indnkeyatts, bool_and(attr.indnullsnotdistinct) AS indnullsnotdistinct 
FROM (SELECT con.conrelid AS conrelid, con.conname AS conname, con.description AS description, con.ord AS ord, con.indnkeyatts AS indnkeyatts, con.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_attribute.attname AS attname 
FROM pg_catalog.pg_attribute JOIN (SELECT pg_catalog.pg_constraint.conrelid AS conrelid, pg_catalog.pg_constraint.conname AS conname, unnest(pg_catalog.pg_index.indkey) AS attnum, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord, pg_catalog.pg_index.indnkeyatts AS indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_description.description AS description 
FROM pg_catalog.pg_constraint JOIN pg_catalog.pg_index ON pg_catalog.pg_constraint.conindid = pg_catalog.pg_index.indexrelid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid 
WHERE pg_catalog.pg_constraint.contype = 'p' AND pg_catalog.pg_constraint.conrelid IN (16385)) AS con ON pg_catalog.pg_attribute.attnum = con.attnum AND pg_catalog.pg_attribute.attrelid = con.conrelid 
WHERE con.conrelid IN (16385)) AS attr GROUP BY attr.conrelid, attr.conname ORDER BY attr.conrelid, attr.conname
-- next
--| called by: get_foreign_keys
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_foreign_keys
--| params: pg_get_constraintdef_1=True, contype_1='f', param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public', filter_names_1='customers' - substituted as psycopg2 would
--| client reads: by position: relname, conname, condef (pg_get_constraintdef text parsed by regex), referred schema nspname, description
SELECT pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname, CASE WHEN (pg_catalog.pg_constraint.oid IS NOT NULL) THEN pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, true) END AS anon_1, nsp_ref.nspname, pg_catalog.pg_description.description 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_class.oid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_constraint.contype = 'f' LEFT OUTER JOIN pg_catalog.pg_class AS cls_ref ON cls_ref.oid = pg_catalog.pg_constraint.confrelid LEFT OUTER JOIN pg_catalog.pg_namespace AS nsp_ref ON cls_ref.relnamespace = nsp_ref.oid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers') ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname
-- next
--| called by: get_indexes
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_indexes
--| params: attnum_1=0, ord_1=1, pg_get_indexdef_1=True, attnum_2=0, generate_subscripts_1=1, param_1='p', param_2='u', param_3='x', oids_1=16385 - substituted as psycopg2 would
--| client reads: by key: indrelid, relname, indisunique, has_constraint, indoption (int2vector), reloptions (text[]), amname, filter_definition, indnkeyatts, indnullsnotdistinct, elements/elements_is_expr/elements_opclass/elements_opdefault (arrays)
SELECT pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname, pg_catalog.pg_index.indisunique, pg_catalog.pg_constraint.conrelid IS NOT NULL AS has_constraint, pg_catalog.pg_index.indoption, pg_catalog.pg_class.reloptions, pg_catalog.pg_am.amname, CASE WHEN (pg_catalog.pg_index.indpred IS NOT NULL) THEN pg_catalog.pg_get_expr(pg_catalog.pg_index.indpred, pg_catalog.pg_index.indrelid) END AS filter_definition, pg_catalog.pg_index.indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct, idx_cols.elements, idx_cols.elements_is_expr, idx_cols.elements_opclass, idx_cols.elements_opdefault 
FROM pg_catalog.pg_index JOIN pg_catalog.pg_class ON pg_catalog.pg_index.indexrelid = pg_catalog.pg_class.oid JOIN pg_catalog.pg_am ON pg_catalog.pg_class.relam = pg_catalog.pg_am.oid LEFT OUTER JOIN (SELECT idx_attr.indexrelid AS indexrelid, min(idx_attr.indrelid) AS min_1, array_agg(idx_attr.element ORDER BY idx_attr.ord) AS elements, array_agg(idx_attr.is_expr ORDER BY idx_attr.ord) AS elements_is_expr, array_agg(idx_attr.opcname ORDER BY idx_attr.ord) AS elements_opclass, array_agg(idx_attr.opcdefault ORDER BY idx_attr.ord) AS elements_opdefault 
FROM (SELECT idx.indexrelid AS indexrelid, idx.indrelid AS indrelid, idx.ord AS ord, CASE WHEN (idx.attnum = 0) THEN pg_catalog.pg_get_indexdef(idx.indexrelid, idx.ord + 1, true) ELSE CAST(pg_catalog.pg_attribute.attname AS TEXT) END AS element, idx.attnum = 0 AS is_expr, pg_catalog.pg_opclass.opcname AS opcname, pg_catalog.pg_opclass.opcdefault AS opcdefault 
FROM (SELECT pg_catalog.pg_index.indexrelid AS indexrelid, pg_catalog.pg_index.indrelid AS indrelid, unnest(pg_catalog.pg_index.indkey) AS attnum, unnest(pg_catalog.pg_index.indclass) AS att_opclass, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord 
FROM pg_catalog.pg_index 
WHERE NOT pg_catalog.pg_index.indisprimary AND pg_catalog.pg_index.indrelid IN (16385)) AS idx LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_attribute.attnum = idx.attnum AND pg_catalog.pg_attribute.attrelid = idx.indrelid LEFT OUTER JOIN pg_catalog.pg_opclass ON pg_catalog.pg_opclass.oid = idx.att_opclass 
WHERE idx.indrelid IN (16385)) AS idx_attr GROUP BY idx_attr.indexrelid) AS idx_cols ON pg_catalog.pg_index.indexrelid = idx_cols.indexrelid LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_index.indrelid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_index.indexrelid = pg_catalog.pg_constraint.conindid AND pg_catalog.pg_constraint.contype = ANY (ARRAY['p', 'u', 'x']) 
WHERE pg_catalog.pg_index.indrelid IN (16385) AND NOT pg_catalog.pg_index.indisprimary ORDER BY pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname
-- next
--| called by: get_table_comment
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_table_comment
--| params: objsubid_1=0, param_1='pg_catalog.pg_class', param_2='r', param_3='p', param_4='f', param_5='v', param_6='m', nspname_1='public', filter_names_1='customers' - substituted as psycopg2 would
--| client reads: by position: relname, description
SELECT pg_catalog.pg_class.relname, pg_catalog.pg_description.description 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_class.oid = pg_catalog.pg_description.objoid AND pg_catalog.pg_description.objsubid = 0 AND pg_catalog.pg_description.classoid = CAST('pg_catalog.pg_class' AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers')
-- next
--| called by: get_unique_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_unique_constraints
--| params: generate_subscripts_1=1, contype='u', oids_1=16385 - substituted as psycopg2 would
--| client reads: by position: conrelid, cols (text[] in key order), conname, description, indnkeyatts, indnullsnotdistinct
SELECT attr.conrelid, array_agg(CAST(attr.attname AS TEXT) ORDER BY attr.ord) AS cols, attr.conname, min(attr.description) AS description, min(attr.indnkeyatts) AS indnkeyatts, bool_and(attr.indnullsnotdistinct) AS indnullsnotdistinct 
FROM (SELECT con.conrelid AS conrelid, con.conname AS conname, con.description AS description, con.ord AS ord, con.indnkeyatts AS indnkeyatts, con.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_attribute.attname AS attname 
FROM pg_catalog.pg_attribute JOIN (SELECT pg_catalog.pg_constraint.conrelid AS conrelid, pg_catalog.pg_constraint.conname AS conname, unnest(pg_catalog.pg_index.indkey) AS attnum, generate_subscripts(pg_catalog.pg_index.indkey, 1) AS ord, pg_catalog.pg_index.indnkeyatts AS indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_description.description AS description 
FROM pg_catalog.pg_constraint JOIN pg_catalog.pg_index ON pg_catalog.pg_constraint.conindid = pg_catalog.pg_index.indexrelid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid 
WHERE pg_catalog.pg_constraint.contype = 'u' AND pg_catalog.pg_constraint.conrelid IN (16385)) AS con ON pg_catalog.pg_attribute.attnum = con.attnum AND pg_catalog.pg_attribute.attrelid = con.conrelid 
WHERE con.conrelid IN (16385)) AS attr GROUP BY attr.conrelid, attr.conname ORDER BY attr.conrelid, attr.conname
-- next
--| called by: get_check_constraints
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.get_check_constraints
--| params: pg_get_constraintdef_1=True, contype_1='c', param_1='r', param_2='p', param_3='f', param_4='v', param_5='m', nspname_1='public', filter_names_1='customers' - substituted as psycopg2 would
--| client reads: by position: relname, conname, src (pg_get_constraintdef text, must match 'CHECK (...)'), description
SELECT pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname, CASE WHEN (pg_catalog.pg_constraint.oid IS NOT NULL) THEN pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, true) END AS anon_1, pg_catalog.pg_description.description 
FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_class.oid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_constraint.contype = 'c' LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace 
WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = 'public' AND pg_catalog.pg_class.relname IN ('customers') ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname
-- next
--| called by: has_schema
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ tag rel_2_0_52 (SQLAlchemy 2.0.52)
--| function: PGDialect.has_schema
--| params: nspname_1='public' - substituted as psycopg2 would
--| client reads: bool(first row)
SELECT pg_catalog.pg_namespace.nspname 
FROM pg_catalog.pg_namespace 
WHERE pg_catalog.pg_namespace.nspname = 'public'
-- next
--| source: github.com/sqlalchemy/sqlalchemy  lib/sqlalchemy/dialects/postgresql/base.py @ rel_2_0_52 - PGDialect._set_backslash_escapes (from initialize)
--| params: none
--| client reads: scalar 'on'/'off'
show standard_conforming_strings
