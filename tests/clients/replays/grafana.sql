--| client: Grafana PostgreSQL datasource (core plugin grafana-postgresql-datasource): health check, version/timescaledb auto-detect, table/column pickers, backend schema API
--| the frontend templates are evaluated exactly as the TypeScript would (node), so leading/trailing blanks inside the SQL are significant and kept.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: github.com/grafana/grafana  pkg/tsdb/grafana-postgresql-datasource/pgx/handler_checkhealth.go @ 1b13755cdccfbc5420c9fcb7d6cf2dad7b2888e6 -> e.Ping(ctx) -> pgxpool Ping -> pgconn.PgConn.Ping = Exec(ctx, "-- ping") (jackc/pgx v5 pgconn/pgconn.go)
--| function: CheckHealth ('Save & test' button, and pool ShouldPing on acquire after >1s idle)
--| params: none; sent as a simple Query message whose text is only a comment
--| client reads: nothing; server must answer EmptyQueryResponse + ReadyForQuery (no error)
--| older Grafana (lib/pq via database/sql, pkg/tsdb/grafana-postgresql-datasource/postgres.go @ 02d657b8...) pings with the simple query ";" instead
-- ping
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: getVersion() <- PostgresDatasource.getVersion() <- configuration/useAutoDetectFeatures.ts (runs when a new datasource is saved without postgresVersion)
--| params: none
--| client reads: field 'version' (number; 1600 for PG16) -> jsonData.postgresVersion; >= 906 triggers the timescaledb probe
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT current_setting('server_version_num')::int/100 as version
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: getTimescaleDBVersion() <- useAutoDetectFeatures (only if version >= 906 and timescaledb not yet enabled)
--| params: none
--| client reads: field 'extversion' (row present => sets jsonData.timescaledb=true); an empty result (no pg_extension row) is the normal answer
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: showTables() <- PostgresDatasource.fetchTables() <- DB.tables() / DB.lookup() (visual query builder table picker and code-editor completion)
--| params: none (refId 'tables')
--| client reads: field 'table' (values flattened): bare quote_ident(table_name) for tables in a search_path schema, else schema.table
--| needs: information_schema.tables(table_schema, table_name), quote_ident(text), current_setting('search_path'), string_to_array, array_lower/array_upper, generate_series(int,int) AS i and a set-returning function in FROM aliased as a column (string_to_array(...) s -> s[i]), trim(), the SQL keyword function user, '"$user"' literal, CASE WHEN x IN (subquery) in ORDER BY
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT
    CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          ) THEN 0 ELSE 1 END, 1
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: showTables(schema) variant (schema given; still exported, not called by the current datasource.ts)
--| params: schema literal inlined by the client: 'public'
--| client reads: field 'table'
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'public'
      ORDER BY 1
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: showSchemas() (exported; not referenced by the current datasource.ts - kept for older builders / dataset pickers)
--| params: none
--| client reads: field 'name'
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: getSchema(table) <- PostgresDatasource.fetchFields(query) <- DB.fields() / column completion; table as chosen in the picker: unqualified 'customers' (table lives in a search_path schema)
--| params: table name inlined by the client as a quoted literal ('customers')
--| client reads: fields 'column' and 'type' (type drives getFieldConfig: numeric/time/text icons)
--| needs: parse_ident(text) -> text[], array_length(text[],1), subscripting a function result (parse_ident(...))[1], information_schema.columns(column_name, data_type, table_schema, table_name)
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('customers'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('customers'))[1]
          AND quote_ident(table_name) = (parse_ident('customers'))[2]
        ELSE quote_ident(table_name) = 'customers'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END
-- next
--| source: github.com/grafana/grafana  public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts @ 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (index copy; templates evaluated with node, whitespace exactly as produced)
--| function: getSchema(table) with a schema-qualified picker value 'public.customers' (tables outside search_path are listed as schema.table)
--| params: 'public.customers' inlined
--| client reads: fields 'column', 'type'
--| wire: the frontend posts rawSql to /api/ds/query; the Go backend runs it unchanged (no macros inside). Grafana >= 11 backend = pgx v5 pool (extended protocol: Parse/Describe/Bind/Execute, unnamed or cached statement); older backends = lib/pq via database/sql (simple Query when there are no args).
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('public.customers'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('public.customers'))[1]
          AND quote_ident(table_name) = (parse_ident('public.customers'))[2]
        ELSE quote_ident(table_name) = 'public.customers'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END
-- next
--| source: github.com/grafana/grafana  pkg/tsdb/grafana-postgresql-datasource/schema.go @ 043dd88a47944c35205994c4da317e100dc9b12e (recent main; Go raw strings - the indentation is two TABs + one space)
--| function: postgresSchema.querySchemas() <- Schema/Tables/TableParameterValues handlers (grafana/schemads backend schema API used by Grafana SQL expressions / query assistance)
--| params: none (pgx pool.Query, extended protocol)
--| client reads: column 1 schema_name (Scan into string)
SELECT schema_name FROM information_schema.schemata
		 WHERE schema_name NOT LIKE 'pg_%' AND schema_name != 'information_schema'
		 ORDER BY schema_name
-- next
--| source: github.com/grafana/grafana  pkg/tsdb/grafana-postgresql-datasource/schema.go @ 043dd88a47944c35205994c4da317e100dc9b12e (recent main; Go raw strings - the indentation is two TABs + one space)
--| function: postgresSchema.queryTables(ctx, pool, schema)
--| params: $1='public' (Go string -> pgx encodes as text for the server-inferred parameter type)
--| client reads: column 1 table_name
SELECT table_name FROM information_schema.tables
		 WHERE table_schema = 'public' AND table_type IN ('BASE TABLE', 'VIEW')
		 ORDER BY table_name
-- next
--| source: github.com/grafana/grafana  pkg/tsdb/grafana-postgresql-datasource/schema.go @ 043dd88a47944c35205994c4da317e100dc9b12e (recent main; Go raw strings - the indentation is two TABs + one space)
--| function: postgresSchema.queryColumns(ctx, pool, schema, table)
--| params: $1='public', $2='customers'
--| client reads: column_name, data_type, udt_name (strings), numeric_precision, numeric_scale (nullable ints, Scan into *int)
SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale
		 FROM information_schema.columns
		 WHERE table_schema = 'public' AND table_name = 'customers'
		 ORDER BY ordinal_position
