//! The tables of what custlake has none of — indexes, constraints, column defaults,
//! inheritance, triggers, rules, dependencies, enums, ranges, extensions, policies, extended
//! statistics, publications, partitioning, operator classes, sequences, other sessions'
//! activity: their columns, and no rows, so that clients' joins with them succeed.

use super::super::rows::ty::{self, *};
use super::super::virtual_schema::empty;
use super::super::virtual_schema::{TableDef, def};

pub(super) fn tables() -> Vec<(&'static str, TableDef)> {
    vec![
        (
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
                    ("indkey", ty::int2_array()),
                    ("indcollation", ty::oid_array()),
                    ("indclass", ty::oid_array()),
                    ("indoption", ty::int2_array()),
                    ("indexprs", TEXT),
                    ("indpred", TEXT),
                ],
                empty,
            ),
        ),
        (
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
                    ("conkey", ty::int2_array()),
                    ("confkey", ty::int2_array()),
                    ("conpfeqop", ty::oid_array()),
                    ("conppeqop", ty::oid_array()),
                    ("conffeqop", ty::oid_array()),
                    ("confdelsetcols", ty::int2_array()),
                    ("conexclop", ty::oid_array()),
                    ("conbin", TEXT),
                ],
                empty,
            ),
        ),
        (
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
        ),
        (
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
        ),
        (
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
                    ("tgattr", ty::int2_array()),
                    ("tgargs", TEXT),
                    ("tgqual", TEXT),
                    ("tgoldtable", TEXT),
                    ("tgnewtable", TEXT),
                ],
                empty,
            ),
        ),
        (
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
        ),
        (
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
        ),
        (
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
        ),
        (
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
        ),
        (
            "pg_extension",
            def(
                &[
                    ("oid", OID),
                    ("extname", TEXT),
                    ("extowner", OID),
                    ("extnamespace", OID),
                    ("extrelocatable", BOOL),
                    ("extversion", TEXT),
                    ("extconfig", ty::oid_array()),
                    ("extcondition", ty::text_array()),
                ],
                empty,
            ),
        ),
        (
            "pg_policy",
            def(
                &[
                    ("oid", OID),
                    ("polname", TEXT),
                    ("polrelid", OID),
                    ("polcmd", TEXT),
                    ("polpermissive", BOOL),
                    ("polroles", ty::oid_array()),
                    ("polqual", TEXT),
                    ("polwithcheck", TEXT),
                ],
                empty,
            ),
        ),
        (
            "pg_statistic_ext",
            def(
                &[
                    ("oid", OID),
                    ("stxrelid", OID),
                    ("stxname", TEXT),
                    ("stxnamespace", OID),
                    ("stxowner", OID),
                    ("stxstattarget", INT4),
                    ("stxkeys", ty::int2_array()),
                    ("stxkind", ty::text_array()),
                    ("stxexprs", TEXT),
                ],
                empty,
            ),
        ),
        (
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
        ),
        (
            "pg_publication_rel",
            def(
                &[
                    ("oid", OID),
                    ("prpubid", OID),
                    ("prrelid", OID),
                    ("prqual", TEXT),
                    ("prattrs", ty::int2_array()),
                ],
                empty,
            ),
        ),
        (
            "pg_publication_namespace",
            def(&[("oid", OID), ("pnpubid", OID), ("pnnspid", OID)], empty),
        ),
        (
            "pg_partitioned_table",
            def(
                &[
                    ("partrelid", OID),
                    ("partstrat", TEXT),
                    ("partnatts", INT2),
                    ("partdefid", OID),
                    ("partattrs", ty::int2_array()),
                    ("partclass", ty::oid_array()),
                    ("partcollation", ty::oid_array()),
                    ("partexprs", TEXT),
                ],
                empty,
            ),
        ),
        (
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
        ),
        (
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
        ),
        (
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
                    ("backend_start", ty::timestamptz()),
                    ("query_start", ty::timestamptz()),
                    ("state", TEXT),
                    ("query", TEXT),
                ],
                empty,
            ),
        ),
    ]
}
