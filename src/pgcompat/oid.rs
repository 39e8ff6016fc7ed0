//! Object identifiers. PostgreSQL clients cache OIDs between queries (pgjdbc keys its column
//! metadata by table OID, psql's `\d` looks a table up by OID in a second query), so an
//! object's OID must be the same in every query, every session and every restart. custlake's
//! objects have no stored OIDs; theirs are derived from what names them.

/// `pg_catalog`'s namespace OID, as in PostgreSQL.
pub const PG_CATALOG_NAMESPACE: u32 = 11;
/// `public`'s namespace OID, as in PostgreSQL.
pub const PUBLIC_NAMESPACE: u32 = 2200;
/// `information_schema`'s namespace OID (PostgreSQL's varies by build; this is 16's).
pub const INFORMATION_SCHEMA_NAMESPACE: u32 = 13183;
/// The role that owns every object (PostgreSQL's bootstrap superuser is 10).
pub const OWNER_ROLE: u32 = 10;
/// The database's OID.
pub const DATABASE: u32 = 16384;
/// `pg_class`'s OID, the `classoid` of relations in `pg_description`.
pub const PG_CLASS: u32 = 1259;
/// `pg_proc`'s OID, the `classoid` of functions in `pg_description`.
pub const PG_PROC: u32 = 1255;
/// `pg_namespace`'s OID, the `classoid` of schemas in `pg_description`.
pub const PG_NAMESPACE: u32 = 2615;
/// The `heap` access method.
pub const HEAP_AM: u32 = 2;

/// First OID PostgreSQL hands to user objects; derived OIDs stay at or above it.
const FIRST_USER_OID: u32 = 16385;

/// A stable OID for an object of `kind` ("namespace", "relation", "function") named
/// `parts`: FNV-1a over the parts, folded into the user range.
pub fn derived(kind: &str, parts: &[&str]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u32::from(*byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    feed(kind.as_bytes());
    for part in parts {
        // A separator no identifier byte can be, so ("ab","c") and ("a","bc") differ.
        feed(&[0xff]);
        feed(part.as_bytes());
    }
    FIRST_USER_OID + hash % (i32::MAX as u32 - FIRST_USER_OID)
}

/// The OID of schema `name`.
pub fn namespace(name: &str) -> u32 {
    match name {
        "pg_catalog" => PG_CATALOG_NAMESPACE,
        "public" => PUBLIC_NAMESPACE,
        "information_schema" => INFORMATION_SCHEMA_NAMESPACE,
        other => derived("namespace", &[other]),
    }
}

/// The OID of table or view `schema.name`. pg_catalog's own tables keep PostgreSQL's OIDs,
/// which clients write as constants (`classoid = 1259`).
pub fn relation(schema: &str, name: &str) -> u32 {
    if schema == "pg_catalog"
        && let Some(oid) = well_known_catalog(name)
    {
        return oid;
    }
    derived("relation", &[schema, name])
}

/// The OID of function `name` in `schema` taking `argument_types` (PostgreSQL type names).
pub fn function(schema: &str, name: &str, argument_types: &[String]) -> u32 {
    let mut parts = vec![schema, name];
    parts.extend(argument_types.iter().map(String::as_str));
    derived("function", &parts)
}

fn well_known_catalog(name: &str) -> Option<u32> {
    Some(match name {
        "pg_type" => 1247,
        "pg_attribute" => 1249,
        "pg_proc" => PG_PROC,
        "pg_class" => PG_CLASS,
        "pg_attrdef" => 2604,
        "pg_constraint" => 2606,
        "pg_inherits" => 2611,
        "pg_index" => 2610,
        "pg_description" => 2609,
        "pg_am" => 2601,
        "pg_namespace" => PG_NAMESPACE,
        "pg_database" => 1262,
        "pg_trigger" => 2620,
        "pg_rewrite" => 2618,
        "pg_depend" => 2608,
        "pg_collation" => 3456,
        "pg_enum" => 3501,
        "pg_range" => 3541,
        "pg_authid" => 1260,
        "pg_tablespace" => 1213,
        "pg_extension" => 3079,
        "pg_policy" => 3256,
        "pg_statistic_ext" => 3381,
        "pg_publication" => 6104,
        "pg_publication_rel" => 6106,
        "pg_publication_namespace" => 6237,
        "pg_shdescription" => 2396,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_oids_are_stable_distinct_and_in_the_user_range() {
        let orders = relation("public", "orders");
        assert_eq!(orders, relation("public", "orders"));
        assert_ne!(orders, relation("segments", "orders"));
        assert_ne!(
            derived("relation", &["ab", "c"]),
            derived("relation", &["a", "bc"])
        );
        assert!(orders >= FIRST_USER_OID && orders <= i32::MAX as u32);
        // The value itself is part of the contract: clients cache it across restarts.
        assert_eq!(orders, derived("relation", &["public", "orders"]));
        assert_eq!(relation("pg_catalog", "pg_class"), 1259);
        assert_eq!(namespace("public"), 2200);
    }
}
