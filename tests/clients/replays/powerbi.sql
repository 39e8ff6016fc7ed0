--| client: Power BI Desktop / Power Query PostgreSQL connector - navigator metadata SQL (runs after the Npgsql 4.0.10 type-loading batch in npgsql.sql)
--| data queries issued afterwards (e.g. select "_"."id", ... from "public"."customers" "_" limit 1000) are not catalog queries and are not included.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadServerMetadata (on first connect; DbCommand.ExecuteScalar)
--| params: none
--| client reads: first column of first row -> DatabaseCharacterSet (falls back to 'SQL_ASCII' on error)
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
select character_set_name from INFORMATION_SCHEMA.character_sets
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadSchemas
--| params: none
--| client reads: SCHEMA_NAME
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
select SCHEMA_NAME from INFORMATION_SCHEMA.SCHEMATA order by SCHEMA_NAME
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadTables (navigator tree)
--| params: none (schemaFilter/tableFilter not used in the SQL)
--| client reads: TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE ('BASE TABLE' / 'VIEW' decide the icon)
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
select TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE
from INFORMATION_SCHEMA.tables
where TABLE_SCHEMA not in ('information_schema', 'pg_catalog')
order by TABLE_SCHEMA, TABLE_NAME
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadColumns (preview / query folding type map)
--| params: {0}='public', {1}='customers'
--| client reads: COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE ('YES'/'NO'), DATA_TYPE (matched against the connector's type-name table: 'integer', 'character varying', 'timestamp without time zone', 'double precision', ...)
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
--| needs: information_schema.columns.data_type with PostgreSQL's spelled-out type names; unquoted upper-case identifiers fold to lower case
select COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, case when (data_type like '%unsigned%') then DATA_TYPE || ' unsigned' else DATA_TYPE end as DATA_TYPE
from INFORMATION_SCHEMA.columns
where TABLE_SCHEMA = 'public' and TABLE_NAME = 'customers'
order by TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadIndexes (keys / relationship detection)
--| params: {0}='public', {1}='customers'
--| client reads: INDEX_NAME, COLUMN_NAME, ORDINAL_POSITION, PRIMARY_KEY ('Y'/'N')
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
select i.CONSTRAINT_SCHEMA || '_' || i.CONSTRAINT_NAME as INDEX_NAME, ii.COLUMN_NAME, ii.ORDINAL_POSITION, case when i.CONSTRAINT_TYPE = 'PRIMARY KEY' then 'Y' else 'N' end as PRIMARY_KEY
from INFORMATION_SCHEMA.table_constraints i inner join INFORMATION_SCHEMA.key_column_usage ii on i.CONSTRAINT_SCHEMA = ii.CONSTRAINT_SCHEMA and i.CONSTRAINT_NAME = ii.CONSTRAINT_NAME and i.TABLE_SCHEMA = ii.TABLE_SCHEMA and i.TABLE_NAME = ii.TABLE_NAME
where i.TABLE_SCHEMA = 'public' and i.TABLE_NAME = 'customers'
and i.CONSTRAINT_TYPE in ('PRIMARY KEY', 'UNIQUE')
order by i.CONSTRAINT_SCHEMA || '_' || i.CONSTRAINT_NAME, ii.TABLE_SCHEMA, ii.TABLE_NAME, ii.ORDINAL_POSITION
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadForeignKeysParent (tables referencing this one)
--| params: {0}='public', {1}='customers' ({1} also appears inside the FK_NAME concatenation)
--| client reads: PK_COLUMN_NAME, FK_TABLE_SCHEMA, FK_TABLE_NAME, FK_COLUMN_NAME, ORDINAL, FK_NAME
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
--| needs: information_schema.referential_constraints (constraint_catalog, constraint_schema, constraint_name, unique_constraint_schema, unique_constraint_name), key_column_usage.ordinal_position; ORDER BY an output alias (FK_NAME)
select
    pkcol.COLUMN_NAME as PK_COLUMN_NAME,
    fkcol.TABLE_SCHEMA AS FK_TABLE_SCHEMA,
    fkcol.TABLE_NAME AS FK_TABLE_NAME,
    fkcol.COLUMN_NAME as FK_COLUMN_NAME,
    fkcol.ORDINAL_POSITION as ORDINAL,
    fkcon.CONSTRAINT_SCHEMA || '_' || fkcol.TABLE_NAME || '_' || 'customers' || '_' || fkcon.CONSTRAINT_NAME as FK_NAME
from
    (select distinct constraint_catalog, constraint_schema, unique_constraint_schema, constraint_name, unique_constraint_name
        from INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS) fkcon
        inner join
    INFORMATION_SCHEMA.KEY_COLUMN_USAGE fkcol
        on fkcon.CONSTRAINT_SCHEMA = fkcol.CONSTRAINT_SCHEMA
        and fkcon.CONSTRAINT_NAME = fkcol.CONSTRAINT_NAME
        inner join
    INFORMATION_SCHEMA.KEY_COLUMN_USAGE pkcol
        on fkcon.UNIQUE_CONSTRAINT_SCHEMA = pkcol.CONSTRAINT_SCHEMA
        and fkcon.UNIQUE_CONSTRAINT_NAME = pkcol.CONSTRAINT_NAME
where pkcol.TABLE_SCHEMA = 'public' and pkcol.TABLE_NAME = 'customers'
        and pkcol.ORDINAL_POSITION = fkcol.ORDINAL_POSITION
order by FK_NAME, fkcol.ORDINAL_POSITION
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadForeignKeysChild (tables this one references)
--| params: {0}='public', {1}='orders'
--| client reads: PK_TABLE_SCHEMA, PK_TABLE_NAME, PK_COLUMN_NAME, FK_COLUMN_NAME, ORDINAL, FK_NAME
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
select
    pkcol.TABLE_SCHEMA AS PK_TABLE_SCHEMA,
    pkcol.TABLE_NAME AS PK_TABLE_NAME,
    pkcol.COLUMN_NAME as PK_COLUMN_NAME,
    fkcol.COLUMN_NAME as FK_COLUMN_NAME,
    fkcol.ORDINAL_POSITION as ORDINAL,
    fkcon.CONSTRAINT_SCHEMA || '_' || 'orders' || '_' || pkcol.TABLE_NAME || '_' || fkcon.CONSTRAINT_NAME as FK_NAME
from
    (select distinct constraint_catalog, constraint_schema, unique_constraint_schema, constraint_name, unique_constraint_name
        from INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS) fkcon
        inner join
    INFORMATION_SCHEMA.KEY_COLUMN_USAGE fkcol
        on fkcon.CONSTRAINT_SCHEMA = fkcol.CONSTRAINT_SCHEMA
        and fkcon.CONSTRAINT_NAME = fkcol.CONSTRAINT_NAME
        inner join
    INFORMATION_SCHEMA.KEY_COLUMN_USAGE pkcol
        on fkcon.UNIQUE_CONSTRAINT_SCHEMA = pkcol.CONSTRAINT_SCHEMA
        and fkcon.UNIQUE_CONSTRAINT_NAME = pkcol.CONSTRAINT_NAME
where fkcol.TABLE_SCHEMA = 'public' and fkcol.TABLE_NAME = 'orders'
        and pkcol.ORDINAL_POSITION = fkcol.ORDINAL_POSITION
order by FK_NAME, fkcol.ORDINAL_POSITION
-- next
--| source: Microsoft Power Query / Mashup engine, class PostgreSQLEnvironment (closed source). SQL strings taken from a public decompiled copy in the code index (index file id 44228767873; its GitHub repository is not identified by the index) - methods LoadServerMetadata / LoadSchemas / LoadTables / LoadColumns / LoadIndexes / LoadForeignKeysParent / LoadForeignKeysChild / LoadResourceInformation
--| function: PostgreSQLEnvironment.LoadResourceInformation (only when IsHighVersion, i.e. the newer Npgsql build; used for size estimates)
--| params: {0}='public', {1}='customers'
--| client reads: TOTAL_BYTES
--| wire: executed through Npgsql 4.0.10 (see npgsql.sql for the type-loading batch that precedes everything); {0}/{1} placeholders are filled by the connector as quoted literals (schema 'public', table 'customers'); newlines in these strings are \r\n on the wire (shown as \n here)
--| corroborated byte-for-byte (modulo \r\n) by independent public PG-wire server tests that replay Power BI traffic (e.g. SQream's Power BI shim, index id 46250628614; QuestDB and Cube SQL API test suites)
--| needs: upper-case unquoted catalog identifiers (PG_CLASS, C.OID, ...) folding to lower case

SELECT PG_TOTAL_RELATION_SIZE(C.OID) AS TOTAL_BYTES
FROM PG_CLASS C JOIN PG_NAMESPACE N
    ON (N.OID = C.RELNAMESPACE)
WHERE N.NSPNAME = 'public' AND C.RELNAME = 'customers'
