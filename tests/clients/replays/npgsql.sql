--| client: Npgsql (.NET) type loading on connection open - current release (v10.0.3) and v4.0.10 as used by Power BI
--| Power BI's own metadata SQL (navigator: tables, columns, keys) is in powerbi.sql.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: github.com/npgsql/npgsql  src/Npgsql/PostgresDatabaseInfo.cs @ tag v10.0.3 (d3768398c178; identical to main 3cb5804b except BOM)
--| function: PostgresDatabaseInfo.LoadBackendTypes() - GenerateLoadTypesQuery(withRange: true, withMultirange: true (server >= 14), loadTableComposites: false, schemaListSqlFragment: null, hasTypeCategory: true) + GenerateLoadCompositeTypesQuery(false, null) + GenerateLoadEnumFieldsQuery(true, null)
--| when: once per data source / connection string, on the first physical connection (results cached in NpgsqlDatabaseInfo)
--| wire: ONE simple-protocol Query message holding 4 statements: 'SELECT version();' + AppendLine + types + AppendLine + composites + AppendLine + enums + AppendLine (AppendLine = \n on Linux/macOS, \r\n on Windows; newlines inside the verbatim strings follow the build platform). Replication connections send the 4 statements separately with comments stripped.
--| params: none
--| client reads: result 1: version() string (column 1). result 2 BY POSITION as text: nspname, oid (uint parse), typname, typtype (first char), typnotnull ('t'/'f'), elemtypoid (NULL allowed -> 0). result 3 by position: oid, attname, atttypid. result 4 by position: oid, enumlabel. It expects exactly RowDescription/DataRow*/CommandComplete for each of the 4 statements then ReadyForQuery; any error aborts connection open.
--| needs: subqueries in FROM 3 levels deep, CASE on proname='array_recv', pg_proc.proname/typreceive join (typreceive is regproc -> compared to pg_proc.oid), pg_range(rngtypid, rngsubtype, rngmultitypid), pg_type.typcategory, ORDER BY CASE ..., '--' comments inside the statement text
SELECT version();

SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid
FROM (
    -- Arrays have typtype=b - this subquery identifies them by their typreceive and converts their typtype to a
    -- We first do this for the type (innerest-most subquery), and then for its element type
    -- This also returns the array element, range subtype and domain base type as elemtypoid
    SELECT
        typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,
        elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
        CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
        , typ.typcategory
    FROM (
        SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
            CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
            CASE
                WHEN proc.proname='array_recv' THEN typ.typelem
                WHEN typ.typtype='r' THEN rngsubtype
                WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)
                WHEN typ.typtype='d' THEN typ.typbasetype
            END AS elemtypoid
            , typ.typcategory
        FROM pg_type AS typ
        LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
        LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
        LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)
    ) AS typ
    LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
    LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
    LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive
) AS t
JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
WHERE
    
    (typtype IN ('b', 'r', 'm', 'e', 'd') OR -- Base, range, multirange, enum, domain
    (typtype = 'c' AND relkind='c') OR -- User-defined free-standing composites (not table composites) by default
    (typtype = 'p' AND typname IN ('record', 'void', 'unknown')) OR -- Some special supported pseudo-types
    (typtype = 'a' AND (  -- Array of...
        elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR -- Array of base, range, multirange, enum, domain
        (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR -- Arrays of special supported pseudo-types
        (elemtyptype = 'c' AND elemrelkind='c') -- Array of user-defined free-standing composites (not table composites) by default
    )))
ORDER BY CASE
       WHEN typtype IN ('b', 'e', 'p') THEN 0           -- First base types, enums, pseudo-types
       WHEN typtype = 'c' THEN 1                        -- Composites after (fields loaded later in 2nd pass)
       WHEN typtype = 'r' THEN 2                        -- Ranges after
       WHEN typtype = 'm' THEN 3                        -- Multiranges after
       WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4 -- Domains over non-arrays after
       WHEN typtype = 'a' THEN 5                        -- Arrays after
       WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6  -- Domains over arrays last
END;

-- Load field definitions for (free-standing) composite types
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE
  (typ.typtype = 'c' AND cls.relkind='c') AND
  
  attnum > 0 AND     -- Don't load system attributes
  NOT attisdropped
ORDER BY typ.oid, att.attnum;

-- Load enum fields
SELECT typ.oid, enumlabel
FROM pg_enum
JOIN pg_type AS typ ON typ.oid = enumtypid
JOIN pg_namespace AS ns ON ns.oid = typ.typnamespace

ORDER BY oid, enumsortorder;
-- next
--| source: github.com/npgsql/npgsql  src/Npgsql/PostgresDatabaseInfo.cs @ tag v4.0.10 (f2b2c98f45df, 2019-09-05) - the Npgsql build bundled with Power BI Desktop / the Power Query PostgreSQL connector (its PostgreSQLEnvironment pins 'MaxNET45PostgreSQLVersion = 4.0.10.0')
--| function: PostgresDatabaseInfo.LoadBackendTypes() -> GenerateTypesQuery(withRange: true, withEnum: true, withEnumSortOrder: true, loadTableComposites: false) - statement 1 of 3 (supported types)
--| wire: Npgsql 4 splits the single CommandText at ';' and sends the 3 statements as Parse/Bind/Describe/Execute in one batch (extended protocol, AllResultTypesAreUnknown=true -> text results); each later statement starts at its comment, the ';' is not sent. Power BI (Windows) sends \r\n line endings - shown here as \n.
--| params: none
--| client reads: by NAME: nspname, typname, oid, type (first char), elemoid, typbasetype (typrelid and ord unused); rows must be ordered by ord (base/enum/composite before domains, ranges, arrays)
--| wire capture cross-check: SQream's Power BI PG-wire shim (public file in the code index, id 46250628614) stores these three statements byte-for-byte as received from Power BI Desktop, with \r\n newlines

/*** Load all supported types ***/
SELECT ns.nspname, a.typname, a.oid, a.typrelid, a.typbasetype,
CASE WHEN pg_proc.proname='array_recv' THEN 'a' ELSE a.typtype END AS type,
CASE
  WHEN pg_proc.proname='array_recv' THEN a.typelem
  WHEN a.typtype='r' THEN rngsubtype
  ELSE 0
END AS elemoid,
CASE
  WHEN pg_proc.proname IN ('array_recv','oidvectorrecv') THEN 3    /* Arrays last */
  WHEN a.typtype='r' THEN 2                                        /* Ranges before */
  WHEN a.typtype='d' THEN 1                                        /* Domains before */
  ELSE 0                                                           /* Base types first */
END AS ord
FROM pg_type AS a
JOIN pg_namespace AS ns ON (ns.oid = a.typnamespace)
JOIN pg_proc ON pg_proc.oid = a.typreceive
LEFT OUTER JOIN pg_class AS cls ON (cls.oid = a.typrelid)
LEFT OUTER JOIN pg_type AS b ON (b.oid = a.typelem)
LEFT OUTER JOIN pg_class AS elemcls ON (elemcls.oid = b.typrelid)
LEFT OUTER JOIN pg_range ON (pg_range.rngtypid = a.oid) 
WHERE
  a.typtype IN ('b', 'r', 'e', 'd') OR         /* Base, range, enum, domain */
  (a.typtype = 'c' AND cls.relkind='c') OR /* User-defined free-standing composites (not table composites) by default */
  (pg_proc.proname='array_recv' AND (
    b.typtype IN ('b', 'r', 'e', 'd') OR       /* Array of base, range, enum, domain */
    (b.typtype = 'p' AND b.typname IN ('record', 'void')) OR /* Arrays of special supported pseudo-types */
    (b.typtype = 'c' AND elemcls.relkind='c')  /* Array of user-defined free-standing composites (not table composites) */
  )) OR
  (a.typtype = 'p' AND a.typname IN ('record', 'void'))  /* Some special supported pseudo-types */
ORDER BY ord
-- next
--| source: github.com/npgsql/npgsql  src/Npgsql/PostgresDatabaseInfo.cs @ tag v4.0.10 (f2b2c98f45df, 2019-09-05) - the Npgsql build bundled with Power BI Desktop / the Power Query PostgreSQL connector (its PostgreSQLEnvironment pins 'MaxNET45PostgreSQLVersion = 4.0.10.0')
--| function: PostgresDatabaseInfo.LoadBackendTypes() -> same command - statement 2 of 3 (composite type fields)
--| wire: Npgsql 4 splits the single CommandText at ';' and sends the 3 statements as Parse/Bind/Describe/Execute in one batch (extended protocol, AllResultTypesAreUnknown=true -> text results); each later statement starts at its comment, the ';' is not sent. Power BI (Windows) sends \r\n line endings - shown here as \n.
--| params: none
--| client reads: by position via LoadCompositeFields: oid, attname, atttypid
--| wire capture cross-check: SQream's Power BI PG-wire shim (public file in the code index, id 46250628614) stores these three statements byte-for-byte as received from Power BI Desktop, with \r\n newlines
/*** Load field definitions for (free-standing) composite types ***/
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE
  (typ.typtype = 'c' AND cls.relkind='c') AND
  attnum > 0 AND     /* Don't load system attributes */
  NOT attisdropped
ORDER BY typ.oid, att.attnum
-- next
--| source: github.com/npgsql/npgsql  src/Npgsql/PostgresDatabaseInfo.cs @ tag v4.0.10 (f2b2c98f45df, 2019-09-05) - the Npgsql build bundled with Power BI Desktop / the Power Query PostgreSQL connector (its PostgreSQLEnvironment pins 'MaxNET45PostgreSQLVersion = 4.0.10.0')
--| function: PostgresDatabaseInfo.LoadBackendTypes() -> same command - statement 3 of 3 (enum labels)
--| wire: Npgsql 4 splits the single CommandText at ';' and sends the 3 statements as Parse/Bind/Describe/Execute in one batch (extended protocol, AllResultTypesAreUnknown=true -> text results); each later statement starts at its comment, the ';' is not sent. Power BI (Windows) sends \r\n line endings - shown here as \n.
--| params: none
--| client reads: by position via LoadEnumLabels: oid, enumlabel
--| wire capture cross-check: SQream's Power BI PG-wire shim (public file in the code index, id 46250628614) stores these three statements byte-for-byte as received from Power BI Desktop, with \r\n newlines
/*** Load enum fields ***/
SELECT pg_type.oid, enumlabel
FROM pg_enum
JOIN pg_type ON pg_type.oid=enumtypid
ORDER BY oid, enumsortorder
