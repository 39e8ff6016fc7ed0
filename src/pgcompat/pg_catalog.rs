//! The tables of `pg_catalog` that PostgreSQL clients read to find schemas, tables, columns,
//! types, functions and comments. Columns are PostgreSQL 16's, in its order, so `SELECT *`
//! and positional reads work; tables custlake has nothing for (indexes, constraints,
//! triggers, policies …) exist with their columns and no rows, so clients' joins succeed.

use std::collections::BTreeMap;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::Result;
use postgres_types::{Kind, Type};

use super::oid;
use super::rows::{Rows, ty, val};

use super::snapshot::Relation;
use super::types;
use super::virtual_schema::{Context, TableDef, def, empty};

/// The owner every object is shown with.
pub const OWNER_NAME: &str = "custlake";

/// Every table of custlake's `pg_catalog`.
pub fn tables() -> BTreeMap<&'static str, TableDef> {
    use ty::*;
    let text_array = ty::text_array();
    let oid_array = ty::oid_array();
    let int2_array = ty::int2_array();
    let timestamptz = DataType::Timestamp(
        datafusion::arrow::datatypes::TimeUnit::Microsecond,
        Some("+00:00".into()),
    );
    let mut t = BTreeMap::new();
    t.insert(
        "pg_namespace",
        def(
            &[
                ("oid", OID),
                ("nspname", TEXT),
                ("nspowner", OID),
                ("nspacl", text_array.clone()),
            ],
            pg_namespace,
        ),
    );
    t.insert(
        "pg_class",
        def(
            &[
                ("oid", OID),
                ("relname", TEXT),
                ("relnamespace", OID),
                ("reltype", OID),
                ("reloftype", OID),
                ("relowner", OID),
                ("relam", OID),
                ("relfilenode", OID),
                ("reltablespace", OID),
                ("relpages", INT4),
                ("reltuples", FLOAT4),
                ("relallvisible", INT4),
                ("reltoastrelid", OID),
                ("relhasindex", BOOL),
                ("relisshared", BOOL),
                ("relpersistence", TEXT),
                ("relkind", TEXT),
                ("relnatts", INT2),
                ("relchecks", INT2),
                ("relhasrules", BOOL),
                ("relhastriggers", BOOL),
                ("relhassubclass", BOOL),
                ("relrowsecurity", BOOL),
                ("relforcerowsecurity", BOOL),
                ("relispopulated", BOOL),
                ("relreplident", TEXT),
                ("relispartition", BOOL),
                ("relrewrite", OID),
                ("relfrozenxid", OID),
                ("relminmxid", OID),
                ("relacl", text_array.clone()),
                ("reloptions", text_array.clone()),
                ("relpartbound", TEXT),
            ],
            pg_class,
        ),
    );
    t.insert(
        "pg_attribute",
        def(
            &[
                ("attrelid", OID),
                ("attname", TEXT),
                ("atttypid", OID),
                ("attstattarget", INT2),
                ("attlen", INT2),
                ("attnum", INT2),
                ("attndims", INT4),
                ("attcacheoff", INT4),
                ("atttypmod", INT4),
                ("attbyval", BOOL),
                ("attalign", TEXT),
                ("attstorage", TEXT),
                ("attcompression", TEXT),
                ("attnotnull", BOOL),
                ("atthasdef", BOOL),
                ("atthasmissing", BOOL),
                ("attidentity", TEXT),
                ("attgenerated", TEXT),
                ("attisdropped", BOOL),
                ("attislocal", BOOL),
                ("attinhcount", INT2),
                ("attcollation", OID),
                ("attacl", text_array.clone()),
                ("attoptions", text_array.clone()),
                ("attfdwoptions", text_array.clone()),
                ("attmissingval", TEXT),
            ],
            pg_attribute,
        ),
    );
    t.insert(
        "pg_type",
        def(
            &[
                ("oid", OID),
                ("typname", TEXT),
                ("typnamespace", OID),
                ("typowner", OID),
                ("typlen", INT2),
                ("typbyval", BOOL),
                ("typtype", TEXT),
                ("typcategory", TEXT),
                ("typispreferred", BOOL),
                ("typisdefined", BOOL),
                ("typdelim", TEXT),
                ("typrelid", OID),
                ("typsubscript", OID),
                ("typelem", OID),
                ("typarray", OID),
                ("typinput", OID),
                ("typoutput", OID),
                ("typreceive", OID),
                ("typsend", OID),
                ("typmodin", OID),
                ("typmodout", OID),
                ("typanalyze", OID),
                ("typalign", TEXT),
                ("typstorage", TEXT),
                ("typnotnull", BOOL),
                ("typbasetype", OID),
                ("typtypmod", INT4),
                ("typndims", INT4),
                ("typcollation", OID),
                ("typdefaultbin", TEXT),
                ("typdefault", TEXT),
                ("typacl", text_array.clone()),
            ],
            pg_type,
        ),
    );
    t.insert(
        "pg_proc",
        def(
            &[
                ("oid", OID),
                ("proname", TEXT),
                ("pronamespace", OID),
                ("proowner", OID),
                ("prolang", OID),
                ("procost", FLOAT4),
                ("prorows", FLOAT4),
                ("provariadic", OID),
                ("prosupport", OID),
                ("prokind", TEXT),
                ("prosecdef", BOOL),
                ("proleakproof", BOOL),
                ("proisstrict", BOOL),
                ("proretset", BOOL),
                ("provolatile", TEXT),
                ("proparallel", TEXT),
                ("pronargs", INT2),
                ("pronargdefaults", INT2),
                ("prorettype", OID),
                ("proargtypes", oid_array.clone()),
                ("proallargtypes", oid_array.clone()),
                ("proargmodes", text_array.clone()),
                ("proargnames", text_array.clone()),
                ("proargdefaults", TEXT),
                ("protrftypes", oid_array.clone()),
                ("prosrc", TEXT),
                ("probin", TEXT),
                ("prosqlbody", TEXT),
                ("proconfig", text_array.clone()),
                ("proacl", text_array.clone()),
            ],
            pg_proc,
        ),
    );
    t.insert(
        "pg_description",
        def(
            &[
                ("objoid", OID),
                ("classoid", OID),
                ("objsubid", INT4),
                ("description", TEXT),
            ],
            pg_description,
        ),
    );
    t.insert(
        "pg_shdescription",
        def(
            &[("objoid", OID), ("classoid", OID), ("description", TEXT)],
            empty,
        ),
    );
    t.insert(
        "pg_database",
        def(
            &[
                ("oid", OID),
                ("datname", TEXT),
                ("datdba", OID),
                ("encoding", INT4),
                ("datlocprovider", TEXT),
                ("datistemplate", BOOL),
                ("datallowconn", BOOL),
                ("datconnlimit", INT4),
                ("datfrozenxid", OID),
                ("datminmxid", OID),
                ("dattablespace", OID),
                ("datcollate", TEXT),
                ("datctype", TEXT),
                ("daticulocale", TEXT),
                ("daticurules", TEXT),
                ("datcollversion", TEXT),
                ("datacl", text_array.clone()),
            ],
            pg_database,
        ),
    );
    let role_columns = [
        ("rolname", TEXT),
        ("rolsuper", BOOL),
        ("rolinherit", BOOL),
        ("rolcreaterole", BOOL),
        ("rolcreatedb", BOOL),
        ("rolcanlogin", BOOL),
        ("rolreplication", BOOL),
        ("rolconnlimit", INT4),
        ("rolpassword", TEXT),
        ("rolvaliduntil", timestamptz.clone()),
        ("rolbypassrls", BOOL),
        ("rolconfig", text_array.clone()),
        ("oid", OID),
    ];
    t.insert("pg_roles", def(&role_columns, pg_roles));
    t.insert(
        "pg_user",
        def(
            &[
                ("usename", TEXT),
                ("usesysid", OID),
                ("usecreatedb", BOOL),
                ("usesuper", BOOL),
                ("userepl", BOOL),
                ("usebypassrls", BOOL),
                ("passwd", TEXT),
                ("valuntil", timestamptz.clone()),
                ("useconfig", text_array.clone()),
            ],
            pg_user,
        ),
    );
    t.insert(
        "pg_auth_members",
        def(
            &[
                ("oid", OID),
                ("roleid", OID),
                ("member", OID),
                ("grantor", OID),
                ("admin_option", BOOL),
                ("inherit_option", BOOL),
                ("set_option", BOOL),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_am",
        def(
            &[
                ("oid", OID),
                ("amname", TEXT),
                ("amhandler", TEXT),
                ("amtype", TEXT),
            ],
            pg_am,
        ),
    );
    t.insert(
        "pg_index",
        def(
            &[
                ("indexrelid", OID),
                ("indrelid", OID),
                ("indnatts", INT2),
                ("indnkeyatts", INT2),
                ("indisunique", BOOL),
                ("indnullsnotdistinct", BOOL),
                ("indisprimary", BOOL),
                ("indisexclusion", BOOL),
                ("indimmediate", BOOL),
                ("indisclustered", BOOL),
                ("indisvalid", BOOL),
                ("indcheckxmin", BOOL),
                ("indisready", BOOL),
                ("indislive", BOOL),
                ("indisreplident", BOOL),
                ("indkey", int2_array.clone()),
                ("indcollation", oid_array.clone()),
                ("indclass", oid_array.clone()),
                ("indoption", int2_array.clone()),
                ("indexprs", TEXT),
                ("indpred", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_constraint",
        def(
            &[
                ("oid", OID),
                ("conname", TEXT),
                ("connamespace", OID),
                ("contype", TEXT),
                ("condeferrable", BOOL),
                ("condeferred", BOOL),
                ("convalidated", BOOL),
                ("conrelid", OID),
                ("contypid", OID),
                ("conindid", OID),
                ("conparentid", OID),
                ("confrelid", OID),
                ("confupdtype", TEXT),
                ("confdeltype", TEXT),
                ("confmatchtype", TEXT),
                ("conislocal", BOOL),
                ("coninhcount", INT2),
                ("connoinherit", BOOL),
                ("conkey", int2_array.clone()),
                ("confkey", int2_array.clone()),
                ("conpfeqop", oid_array.clone()),
                ("conppeqop", oid_array.clone()),
                ("conffeqop", oid_array.clone()),
                ("confdelsetcols", int2_array.clone()),
                ("conexclop", oid_array.clone()),
                ("conbin", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_attrdef",
        def(
            &[
                ("oid", OID),
                ("adrelid", OID),
                ("adnum", INT2),
                ("adbin", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_inherits",
        def(
            &[
                ("inhrelid", OID),
                ("inhparent", OID),
                ("inhseqno", INT4),
                ("inhdetachpending", BOOL),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_trigger",
        def(
            &[
                ("oid", OID),
                ("tgrelid", OID),
                ("tgparentid", OID),
                ("tgname", TEXT),
                ("tgfoid", OID),
                ("tgtype", INT2),
                ("tgenabled", TEXT),
                ("tgisinternal", BOOL),
                ("tgconstrrelid", OID),
                ("tgconstrindid", OID),
                ("tgconstraint", OID),
                ("tgdeferrable", BOOL),
                ("tginitdeferred", BOOL),
                ("tgnargs", INT2),
                ("tgattr", int2_array.clone()),
                ("tgargs", TEXT),
                ("tgqual", TEXT),
                ("tgoldtable", TEXT),
                ("tgnewtable", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_rewrite",
        def(
            &[
                ("oid", OID),
                ("rulename", TEXT),
                ("ev_class", OID),
                ("ev_type", TEXT),
                ("ev_enabled", TEXT),
                ("is_instead", BOOL),
                ("ev_qual", TEXT),
                ("ev_action", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_depend",
        def(
            &[
                ("classid", OID),
                ("objid", OID),
                ("objsubid", INT4),
                ("refclassid", OID),
                ("refobjid", OID),
                ("refobjsubid", INT4),
                ("deptype", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_collation",
        def(
            &[
                ("oid", OID),
                ("collname", TEXT),
                ("collnamespace", OID),
                ("collowner", OID),
                ("collprovider", TEXT),
                ("collisdeterministic", BOOL),
                ("collencoding", INT4),
                ("collcollate", TEXT),
                ("collctype", TEXT),
                ("colliculocale", TEXT),
                ("collicurules", TEXT),
                ("collversion", TEXT),
            ],
            pg_collation,
        ),
    );
    t.insert(
        "pg_enum",
        def(
            &[
                ("oid", OID),
                ("enumtypid", OID),
                ("enumsortorder", FLOAT4),
                ("enumlabel", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_range",
        def(
            &[
                ("rngtypid", OID),
                ("rngsubtype", OID),
                ("rngmultitypid", OID),
                ("rngcollation", OID),
                ("rngsubopc", OID),
                ("rngcanonical", TEXT),
                ("rngsubdiff", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_extension",
        def(
            &[
                ("oid", OID),
                ("extname", TEXT),
                ("extowner", OID),
                ("extnamespace", OID),
                ("extrelocatable", BOOL),
                ("extversion", TEXT),
                ("extconfig", oid_array.clone()),
                ("extcondition", text_array.clone()),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_tablespace",
        def(
            &[
                ("oid", OID),
                ("spcname", TEXT),
                ("spcowner", OID),
                ("spcacl", text_array.clone()),
                ("spcoptions", text_array.clone()),
            ],
            pg_tablespace,
        ),
    );
    t.insert(
        "pg_language",
        def(
            &[
                ("oid", OID),
                ("lanname", TEXT),
                ("lanowner", OID),
                ("lanispl", BOOL),
                ("lanpltrusted", BOOL),
                ("lanplcallfoid", OID),
                ("laninline", OID),
                ("lanvalidator", OID),
                ("lanacl", text_array.clone()),
            ],
            pg_language,
        ),
    );
    t.insert(
        "pg_policy",
        def(
            &[
                ("oid", OID),
                ("polname", TEXT),
                ("polrelid", OID),
                ("polcmd", TEXT),
                ("polpermissive", BOOL),
                ("polroles", oid_array.clone()),
                ("polqual", TEXT),
                ("polwithcheck", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_statistic_ext",
        def(
            &[
                ("oid", OID),
                ("stxrelid", OID),
                ("stxname", TEXT),
                ("stxnamespace", OID),
                ("stxowner", OID),
                ("stxstattarget", INT4),
                ("stxkeys", int2_array.clone()),
                ("stxkind", text_array.clone()),
                ("stxexprs", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_publication",
        def(
            &[
                ("oid", OID),
                ("pubname", TEXT),
                ("pubowner", OID),
                ("puballtables", BOOL),
                ("pubinsert", BOOL),
                ("pubupdate", BOOL),
                ("pubdelete", BOOL),
                ("pubtruncate", BOOL),
                ("pubviaroot", BOOL),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_publication_rel",
        def(
            &[
                ("oid", OID),
                ("prpubid", OID),
                ("prrelid", OID),
                ("prqual", TEXT),
                ("prattrs", int2_array.clone()),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_publication_namespace",
        def(&[("oid", OID), ("pnpubid", OID), ("pnnspid", OID)], empty),
    );
    t.insert(
        "pg_partitioned_table",
        def(
            &[
                ("partrelid", OID),
                ("partstrat", TEXT),
                ("partnatts", INT2),
                ("partdefid", OID),
                ("partattrs", int2_array.clone()),
                ("partclass", oid_array.clone()),
                ("partcollation", oid_array.clone()),
                ("partexprs", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_opclass",
        def(
            &[
                ("oid", OID),
                ("opcmethod", OID),
                ("opcname", TEXT),
                ("opcnamespace", OID),
                ("opcowner", OID),
                ("opcfamily", OID),
                ("opcintype", OID),
                ("opcdefault", BOOL),
                ("opckeytype", OID),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_sequence",
        def(
            &[
                ("seqrelid", OID),
                ("seqtypid", OID),
                ("seqstart", ty::INT8),
                ("seqincrement", ty::INT8),
                ("seqmax", ty::INT8),
                ("seqmin", ty::INT8),
                ("seqcache", ty::INT8),
                ("seqcycle", BOOL),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_stat_user_tables",
        def(
            &[
                ("relid", OID),
                ("schemaname", TEXT),
                ("relname", TEXT),
                ("seq_scan", ty::INT8),
                ("n_live_tup", ty::INT8),
                ("n_dead_tup", ty::INT8),
            ],
            pg_stat_user_tables,
        ),
    );
    t.insert(
        "pg_views",
        def(
            &[
                ("schemaname", TEXT),
                ("viewname", TEXT),
                ("viewowner", TEXT),
                ("definition", TEXT),
            ],
            pg_views,
        ),
    );
    t.insert(
        "pg_tables",
        def(
            &[
                ("schemaname", TEXT),
                ("tablename", TEXT),
                ("tableowner", TEXT),
                ("tablespace", TEXT),
                ("hasindexes", BOOL),
                ("hasrules", BOOL),
                ("hastriggers", BOOL),
                ("rowsecurity", BOOL),
            ],
            pg_tables,
        ),
    );
    t.insert(
        "pg_matviews",
        def(
            &[
                ("schemaname", TEXT),
                ("matviewname", TEXT),
                ("matviewowner", TEXT),
                ("tablespace", TEXT),
                ("hasindexes", BOOL),
                ("ispopulated", BOOL),
                ("definition", TEXT),
            ],
            empty,
        ),
    );
    t.insert(
        "pg_settings",
        def(
            &[
                ("name", TEXT),
                ("setting", TEXT),
                ("unit", TEXT),
                ("category", TEXT),
                ("short_desc", TEXT),
                ("extra_desc", TEXT),
                ("context", TEXT),
                ("vartype", TEXT),
                ("source", TEXT),
                ("min_val", TEXT),
                ("max_val", TEXT),
                ("enumvals", text_array.clone()),
                ("boot_val", TEXT),
                ("reset_val", TEXT),
                ("sourcefile", TEXT),
                ("sourceline", INT4),
                ("pending_restart", BOOL),
            ],
            pg_settings,
        ),
    );
    t.insert(
        "pg_stat_activity",
        def(
            &[
                ("datid", OID),
                ("datname", TEXT),
                ("pid", INT4),
                ("usesysid", OID),
                ("usename", TEXT),
                ("application_name", TEXT),
                ("client_addr", TEXT),
                ("backend_start", timestamptz.clone()),
                ("query_start", timestamptz.clone()),
                ("state", TEXT),
                ("query", TEXT),
            ],
            empty,
        ),
    );
    t
}

fn pg_namespace(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in &cx.snapshot.namespaces {
        rows.push(vec![
            val::oid(*oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_class(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        rows.push(vec![
            val::oid(r.oid),
            val::text(&r.name),
            val::oid(r.namespace),
            val::oid(0),
            val::oid(0),
            val::oid(oid::OWNER_ROLE),
            val::oid(if r.kind == 'r' { oid::HEAP_AM } else { 0 }),
            val::oid(0),
            val::oid(0),
            val::int4(0),
            // Unknown, as PostgreSQL says of a table never analysed.
            val::float4(-1.0),
            val::int4(0),
            val::oid(0),
            val::bool(false),
            val::bool(false),
            val::text("p"),
            val::text(r.kind.to_string()),
            val::int2(i16::try_from(r.columns.fields().len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::bool(r.kind == 'v'),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(true),
            val::text(if r.kind == 'r' { "d" } else { "n" }),
            val::bool(false),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

/// `pg_type.typcategory` of a built-in type.
fn type_category(t: &Type) -> &'static str {
    if let Kind::Array(_) = t.kind() {
        return "A";
    }
    if let Kind::Pseudo = t.kind() {
        return "P";
    }
    match t.oid() {
        16 => "B",
        20 | 21 | 23 | 26 | 700 | 701 | 1700 | 24 | 2202 | 2205 | 2206 | 4089 | 4096 => "N",
        1082 | 1083 | 1114 | 1184 | 1266 => "D",
        1186 => "T",
        18 | 19 | 25 | 1042 | 1043 => "S",
        17 => "U",
        _ => "U",
    }
}

fn pg_attribute(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        for (index, field) in r.columns.fields().iter().enumerate() {
            let column = Relation::column_type(field);
            let len = types::type_len(&column.pg_type);
            let is_text = matches!(column.pg_type.oid(), 25 | 1043 | 1042);
            rows.push(vec![
                val::oid(r.oid),
                val::text(field.name()),
                val::oid(column.pg_type.oid()),
                val::int2(-1),
                val::int2(len),
                val::int2(i16::try_from(index + 1).unwrap_or(i16::MAX)),
                val::int4(i32::from(matches!(column.pg_type.kind(), Kind::Array(_)))),
                val::int4(-1),
                val::int4(column.type_modifier),
                val::bool((1..=8).contains(&len)),
                val::text(if len == 8 { "d" } else { "i" }),
                val::text(if len > 0 { "p" } else { "x" }),
                val::text(""),
                val::bool(!field.is_nullable()),
                val::bool(false),
                val::bool(false),
                val::text(""),
                val::text(""),
                val::bool(false),
                val::bool(true),
                val::int2(0),
                val::oid(if is_text { 100 } else { 0 }),
                val::null(),
                val::null(),
                val::null(),
                val::null(),
            ])?;
        }
    }
    rows.finish()
}

fn pg_type(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    let all: Vec<Type> = types::builtin_types().collect();
    for t in &all {
        let (typtype, element) = match t.kind() {
            Kind::Array(element) => ("b", element.oid()),
            Kind::Pseudo => ("p", 0),
            Kind::Enum(_) => ("e", 0),
            Kind::Range(_) => ("r", 0),
            Kind::Multirange(_) => ("m", 0),
            Kind::Domain(_) => ("d", 0),
            Kind::Composite(_) => ("c", 0),
            _ => ("b", 0),
        };
        let array = all
            .iter()
            .find(|a| matches!(a.kind(), Kind::Array(e) if e == t))
            .map_or(0, Type::oid);
        let len = types::type_len(t);
        let is_text = matches!(t.oid(), 25 | 1043 | 1042 | 19);
        rows.push(vec![
            val::oid(t.oid()),
            val::text(t.name()),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::int2(len),
            val::bool((1..=8).contains(&len)),
            val::text(typtype),
            val::text(type_category(t)),
            val::bool(matches!(t.oid(), 16 | 25 | 701 | 1184 | 1186 | 26)),
            val::bool(true),
            val::text(","),
            val::oid(0),
            val::oid(if element != 0 {
                io_function_oid("array_subscript_handler")
            } else {
                0
            }),
            val::oid(element),
            val::oid(array),
            val::oid(io_function_oid(&io_function_name(t, "in"))),
            val::oid(io_function_oid(&io_function_name(t, "out"))),
            val::oid(io_function_oid(&io_function_name(t, "recv"))),
            val::oid(io_function_oid(&io_function_name(t, "send"))),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::text(if len == 8 {
                "d"
            } else if len == 2 {
                "s"
            } else if len == 1 {
                "c"
            } else {
                "i"
            }),
            val::text(if len > 0 { "p" } else { "x" }),
            val::bool(false),
            val::oid(0),
            val::int4(-1),
            val::int4(0),
            val::oid(if is_text { 100 } else { 0 }),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

/// The name of a type's input (`in`), output (`out`), binary receive (`recv`) or send
/// (`send`) function, as PostgreSQL names them (`int4in`, `array_recv` for every array).
pub fn io_function_name(t: &Type, what: &str) -> String {
    match t.kind() {
        Kind::Array(_) => format!("array_{what}"),
        _ => format!("{}{what}", t.name()),
    }
}

/// The OID of a type I/O function (and `array_subscript_handler`), which `pg_type`'s regproc
/// columns hold and `pg_proc` lists.
pub fn io_function_oid(name: &str) -> u32 {
    oid::function("pg_catalog", name, &[])
}

/// Every type I/O function: name, argument types, result type.
pub fn io_functions() -> Vec<(String, Vec<u32>, u32)> {
    const CSTRING: u32 = 2275;
    const INTERNAL: u32 = 2281;
    let mut functions = vec![(
        "array_subscript_handler".to_string(),
        vec![INTERNAL],
        INTERNAL,
    )];
    let mut seen = std::collections::BTreeSet::new();
    for t in types::builtin_types() {
        let is_array = matches!(t.kind(), Kind::Array(_));
        let ret = if is_array { 2277 } else { t.oid() };
        for (what, args, result) in [
            ("in", vec![CSTRING], ret),
            ("out", vec![ret], CSTRING),
            ("recv", vec![INTERNAL], ret),
            ("send", vec![ret], Type::BYTEA.oid()),
        ] {
            let name = io_function_name(&t, what);
            if seen.insert(name.clone()) {
                functions.push((name, args, result));
            }
        }
    }
    functions
}

fn pg_proc(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (name, arguments, result) in io_functions() {
        let mut row = vec![
            val::oid(io_function_oid(&name)),
            val::text(&name),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::oid(12),
            val::float4(1.0),
            val::float4(0.0),
            val::oid(0),
            val::oid(0),
            val::text("f"),
            val::bool(false),
            val::bool(false),
            val::bool(true),
            val::bool(false),
            val::text("i"),
            val::text("s"),
            val::int2(i16::try_from(arguments.len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::oid(result),
            val::oid_array(&arguments),
        ];
        row.extend([
            val::null(),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ]);
        row.extend([
            val::text(&name),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ]);
        rows.push(row)?;
    }
    for f in &cx.functions.functions {
        let argument_oids: Vec<u32> = f.argument_types.iter().map(Type::oid).collect();
        let names =
            if f.argument_names.len() == f.argument_types.len() && !f.argument_names.is_empty() {
                val::text_array(&f.argument_names)
            } else {
                val::null()
            };
        rows.push(vec![
            val::oid(f.oid),
            val::text(&f.name),
            val::oid(f.namespace),
            val::oid(oid::OWNER_ROLE),
            // 12: the "internal" language, as PostgreSQL's built-in functions.
            val::oid(12),
            val::float4(1.0),
            val::float4(if f.kind == super::snapshot::FunctionKind::Table {
                1000.0
            } else {
                0.0
            }),
            val::oid(0),
            val::oid(0),
            val::text(f.kind.prokind().to_string()),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(f.kind == super::snapshot::FunctionKind::Table),
            val::text("s"),
            val::text("s"),
            val::int2(i16::try_from(argument_oids.len()).unwrap_or(i16::MAX)),
            val::int2(0),
            val::oid(f.return_type.as_ref().unwrap_or(&Type::ANYELEMENT).oid()),
            val::oid_array(&argument_oids),
            val::null(),
            val::null(),
            names,
            val::null(),
            val::null(),
            val::text(&f.name),
            val::null(),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_description(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in &cx.snapshot.relations {
        if let Some(description) = &r.description {
            rows.push(vec![
                val::oid(r.oid),
                val::oid(oid::PG_CLASS),
                val::int4(0),
                val::text(description),
            ])?;
        }
    }
    for f in &cx.functions.functions {
        if let Some(description) = &f.description {
            rows.push(vec![
                val::oid(f.oid),
                val::oid(oid::PG_PROC),
                val::int4(0),
                val::text(description),
            ])?;
        }
    }
    rows.finish()
}

fn pg_database(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::oid(oid::DATABASE),
        val::text(&cx.snapshot.database),
        val::oid(oid::OWNER_ROLE),
        // 6: UTF8
        val::int4(6),
        val::text("c"),
        val::bool(false),
        val::bool(true),
        val::int4(-1),
        val::oid(0),
        val::oid(0),
        val::oid(1663),
        val::text("C.UTF-8"),
        val::text("C.UTF-8"),
        val::null(),
        val::null(),
        val::null(),
        val::null(),
    ])?;
    rows.finish()
}

fn role_row(name: &str) -> Vec<datafusion::common::ScalarValue> {
    vec![
        val::text(name),
        val::bool(false),
        val::bool(true),
        val::bool(false),
        val::bool(false),
        val::bool(true),
        val::bool(false),
        val::int4(-1),
        val::text("********"),
        val::null(),
        val::bool(false),
        val::null(),
        val::oid(oid::OWNER_ROLE),
    ]
}

fn pg_roles(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(role_row(OWNER_NAME))?;
    rows.finish()
}

fn pg_user(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::text(OWNER_NAME),
        val::oid(oid::OWNER_ROLE),
        val::bool(false),
        val::bool(false),
        val::bool(false),
        val::bool(false),
        val::text("********"),
        val::null(),
        val::null(),
    ])?;
    rows.finish()
}

fn pg_am(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    rows.push(vec![
        val::oid(oid::HEAP_AM),
        val::text("heap"),
        val::text("heap_tableam_handler"),
        val::text("t"),
    ])?;
    rows.push(vec![
        val::oid(403),
        val::text("btree"),
        val::text("bthandler"),
        val::text("i"),
    ])?;
    rows.finish()
}

fn pg_collation(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name, provider) in [(100, "default", "d"), (950, "C", "c"), (951, "POSIX", "c")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::PG_CATALOG_NAMESPACE),
            val::oid(oid::OWNER_ROLE),
            val::text(provider),
            val::bool(true),
            val::int4(-1),
            val::opt_text((provider == "c").then_some(name)),
            val::opt_text((provider == "c").then_some(name)),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_tablespace(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in [(1663, "pg_default"), (1664, "pg_global")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_language(_cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (oid, name) in [(12, "internal"), (13, "c"), (14, "sql")] {
        rows.push(vec![
            val::oid(oid),
            val::text(name),
            val::oid(oid::OWNER_ROLE),
            val::bool(false),
            val::bool(name == "sql"),
            val::oid(0),
            val::oid(0),
            val::oid(0),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_views(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in cx.snapshot.relations.iter().filter(|r| r.kind == 'v') {
        rows.push(vec![
            val::text(&r.schema),
            val::text(&r.name),
            val::text(OWNER_NAME),
            val::opt_text(r.definition.clone()),
        ])?;
    }
    rows.finish()
}

/// The lake's tables; row counts are NULL: they are not counted per query.
fn pg_stat_user_tables(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in
        cx.snapshot.relations.iter().filter(|r| {
            r.kind == 'r' && r.schema != "pg_catalog" && r.schema != "information_schema"
        })
    {
        rows.push(vec![
            val::oid(r.oid),
            val::text(&r.schema),
            val::text(&r.name),
            val::null(),
            val::null(),
            val::null(),
        ])?;
    }
    rows.finish()
}

fn pg_tables(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for r in cx.snapshot.relations.iter().filter(|r| r.kind == 'r') {
        rows.push(vec![
            val::text(&r.schema),
            val::text(&r.name),
            val::text(OWNER_NAME),
            val::null(),
            val::bool(false),
            val::bool(false),
            val::bool(false),
            val::bool(false),
        ])?;
    }
    rows.finish()
}

fn pg_settings(cx: &Context<'_>, schema: SchemaRef) -> Result<RecordBatch> {
    let mut rows = Rows::new(schema);
    for (def, value) in cx.settings.all() {
        let source = if value == def.boot_value {
            "default"
        } else {
            "session"
        };
        rows.push(vec![
            val::text(def.name),
            val::text(&value),
            val::opt_text(def.unit()),
            val::text(def.category),
            val::text(def.description),
            val::null(),
            val::text(def.context()),
            val::text(def.vartype()),
            val::text(source),
            val::null(),
            val::null(),
            val::null(),
            val::text(def.boot_value),
            val::text(cx.settings.reset_value(def.name)),
            val::null(),
            val::null(),
            val::bool(false),
        ])?;
    }
    rows.finish()
}
