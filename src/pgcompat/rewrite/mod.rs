//! Rewrites of the SQL text's syntax tree that make PostgreSQL clients' catalog queries
//! plannable by DataFusion, each one a PostgreSQL meaning DataFusion lacks. One walk of the
//! tree applies them all, each pass in its own module (whose documentation says what it
//! does); the walk's hooks below call them in this order:
//!
//! 1. on entering a query: [`names`] notes its CTEs (they shadow catalog names),
//!    [`whole_rows`] reads `(t).x` as `t.x`, [`fetch_first`] makes FETCH FIRST a LIMIT (WITH TIES a rank),
//!    [`set_ops_all`] numbers the copies of rows under INTERSECT ALL and EXCEPT ALL,
//!    [`using_columns`] reads a join's unqualified USING columns in ORDER BY as the merged
//!    ones, then [`order_by_subqueries`] moves subqueries out of ORDER BY — first, so that the select list
//!    it extends is rewritten with the rest;
//! 2. on entering a select: [`grouping_sets`] reads ordinals and composite elements in
//!    ROLLUP and CUBE as PostgreSQL does, [`using_columns`] reads the unqualified USING
//!    columns of its join as the merged ones, [`lateral_unnest`] unnests an earlier FROM item's
//!    array in a select list, [`lateral_top_n`] makes a LATERAL top-n subquery a ranked join,
//!    [`whole_rows`] makes a FROM item's name and
//!    `ROW(…)` rows inside the JSON functions, [`wildcards`] and then [`column_names`] read the select list as
//!    the client wrote it (a wildcard excludes the columns named before it; names come from
//!    the expressions before the subquery passes replace them), [`set_returning`] makes a
//!    listed `generate_series` return rows, [`exists_in_select_list`] counts the rows of a
//!    listed EXISTS, [`row_in_subquery`] makes `(a, b) IN (…)` in WHERE an EXISTS, then
//!    [`select_list_subqueries`] turns the list's subqueries into joins and arrays
//!    ([`array_subquery`], [`in_subquery`], [`scalar_join`], [`domain_join`]) before the walk
//!    goes down into them;
//! 3. on entering an expression: the subquery of `x op ANY (…)` or `ALL (…)` names its
//!    column apart (when uncorrelated) and is noted, to be left alone by the passes for scalar
//!    subqueries; [`scalar_join`] moves a plain subquery's conditions on the
//!    outer row alone out of it, before its inside is walked;
//! 4. on entering a FROM item: [`names`] drops `pg_catalog.` from a table function, then
//!    [`from_functions`] reads a function call, and only a plain name is resolved by
//!    [`names`] along `search_path`;
//! 5. on leaving an expression (its inside already rewritten), the first of these that
//!    recognises it rewrites it, as the arms of one `match`: [`array_subquery`],
//!    [`first_value`], [`operators`] (LIKE … ESCAPE, SIMILAR TO, `-2 ^ 2`, AT TIME ZONE, `|/ x`), [`set_returning`] (`_pg_expandarray`),
//!    [`array_slices`] (`a[:2]`), [`set_returning`] (field access, `generate_subscripts`), [`function_calls`] (`percentile_cont`,
//!    `array_length`), [`names`] (`pg_catalog.f(…)`), [`operators`]
//!    (COLLATE, `OPERATOR(…)`), [`lazy_case`] (a boolean CASE that divides), [`interval_literals`], [`casts`] (timestamp literals, array
//!    literals, then PostgreSQL's types).
//!
//! Before any of them, [`unsupported`] refuses what DataFusion would answer differently.
//!
//! [`ast`] holds the helpers the passes share. These work on the parsed tree, never on the
//! SQL text, so string literals and quoted identifiers are never touched.

mod array_slices;
mod array_subquery;
mod ast;
mod casts;
mod column_names;
mod domain_join;
mod exists_in_select_list;
mod fetch_first;
mod first_value;
mod from_functions;
mod function_calls;
mod grouping_sets;
mod in_subquery;
mod interval_literals;
mod lateral_top_n;
mod lateral_unnest;
mod lazy_case;
mod names;
mod numeric_series;
mod operators;
mod order_by_subqueries;
mod row_in_subquery;
mod scalar_join;
mod select_list_subqueries;
mod set_ops_all;
mod set_returning;
mod unsupported;
mod using_columns;
mod whole_rows;
mod wildcards;

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::execution::context::SessionState;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    Expr, Query, Select, SelectItem, TableFactor, VisitMut, VisitorMut,
};

use super::settings::PgSettings;
use crate::error::SqlError;
use ast::{folded, plain_select, single_ident};

pub(crate) use operators::with_backslash_escape;

/// Rewrites `statement` in place for the session `state`, or refuses it (0A000) where
/// custlake cannot answer as PostgreSQL does.
pub fn rewrite(statement: &mut DFStatement, state: &SessionState) -> Result<(), SqlError> {
    match statement {
        DFStatement::Statement(statement) => {
            unsupported::refuse_unsupported(statement)?;
            let mut rewriter = Rewriter::new(state);
            match statement.visit(&mut rewriter) {
                ControlFlow::Break(refusal) => Err(refusal),
                ControlFlow::Continue(()) => Ok(()),
            }
        }
        DFStatement::Explain(explain) => rewrite(&mut explain.statement, state),
        _ => Ok(()),
    }
}

struct Rewriter<'a> {
    state: &'a SessionState,
    /// `pg_catalog` first, then the session's search_path.
    path: Vec<String>,
    ctes: HashSet<String>,
    /// Lateral joins made from scalar subqueries so far, to name them apart.
    laterals: usize,
    /// The subqueries of `x op ANY (…)` and `x op ALL (…)`, by address: DataFusion plans
    /// those over all their rows, so the scalar-subquery passes leave them alone.
    quantified: HashSet<*const Query>,
}

impl<'a> Rewriter<'a> {
    fn new(state: &'a SessionState) -> Self {
        let settings = PgSettings::of(state.config_options());
        let mut path = vec!["pg_catalog".to_string()];
        path.extend(settings.search_path());
        Rewriter {
            state,
            path,
            ctes: HashSet::new(),
            laterals: 0,
            quantified: HashSet::new(),
        }
    }
}

impl Rewriter<'_> {
    /// Whether `expr` is the subquery of an `ANY (…)` or `ALL (…)`.
    fn is_quantified(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Subquery(query) if self.quantified.contains(&(query.as_ref() as *const Query)))
    }

    fn is_aggregate(&self, expr: &Expr) -> bool {
        let mut found = false;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
            if let Expr::Function(f) = e
                && f.over.is_none()
                && let Some(ident) = single_ident(&f.name)
                && self
                    .state
                    .aggregate_functions()
                    .contains_key(&folded(ident))
            {
                found = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found
    }

    /// Whether a scalar subquery is one plain SELECT of one column that does not aggregate
    /// (no WITH, LIMIT, ORDER BY, DISTINCT, GROUP BY or HAVING): the subqueries whose value is
    /// that of their only row.
    fn is_plain_unaggregated_select(&self, query: &Query) -> bool {
        let Some(select) = plain_select(query) else {
            return false;
        };
        match select.projection.as_slice() {
            [SelectItem::UnnamedExpr(value)] | [SelectItem::ExprWithAlias { expr: value, .. }] => {
                !self.is_aggregate(value)
            }
            _ => false,
        }
    }
}

impl VisitorMut for Rewriter<'_> {
    /// What a pass refuses, ending the walk.
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        self.note_ctes(query);
        whole_rows::fields_of_whole_rows(query);
        fetch_first::with_ties_as_rank(query);
        fetch_first::fetch_first_as_limit(query);
        set_ops_all::counted_set_operations(query);
        using_columns::merge_using_columns_in_order_by(query);
        order_by_subqueries::order_by_subqueries_as_columns(query);
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<SqlError> {
        if let Err(refusal) = grouping_sets::grouping_sets_as_postgres_reads_them(select) {
            return ControlFlow::Break(refusal);
        }
        using_columns::merge_using_columns(select);
        lateral_unnest::unnest_of_earlier_item(select);
        lateral_top_n::lateral_top_n_as_ranked_join(select, |e| self.is_aggregate(e));
        self.whole_rows_in_json_functions(select);
        wildcards::exclude_named_columns_from_wildcards(select);
        column_names::name_columns_as_postgres_does(select);
        set_returning::series_in_select_list(select);
        self.exists_in_select_list(select);
        row_in_subquery::row_in_subquery_as_exists(select);
        self.select_list_subqueries(select);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<SqlError> {
        if let Expr::AnyOp { right, .. } | Expr::AllOp { right, .. } = expr
            && let Expr::Subquery(query) = right.as_mut()
        {
            // Its column under a name of its own: DataFusion confuses `price < ANY (SELECT
            // price FROM products)` with a comparison of the inner column with itself.
            if !ast::reads_outer_columns(query)
                && let Some(renamed) = ast::parse_query(&format!(
                    "SELECT __quantified.__value FROM ({query}) AS __quantified (__value)"
                ))
            {
                **query = renamed;
            }
            self.quantified.insert(query.as_ref() as *const Query);
        }
        if self.is_quantified(expr) {
            return ControlFlow::Continue(());
        }
        self.guard_outer_only_conditions(expr);
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<SqlError> {
        names::unqualify_catalog_table_function(factor);
        if !self.function_in_from(factor) {
            self.qualify_relation(factor);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<SqlError> {
        if self.is_quantified(expr) {
            return ControlFlow::Continue(());
        }
        // The first pass that claims the expression is the only one that sees it.
        let _ = array_subquery::rewrite(expr)
            || self.first_value(expr)
            || operators::like_escape(expr)
            || operators::similar_to(expr)
            || operators::minus_of_power(expr)
            || operators::at_time_zone(expr)
            || operators::prefix_operator(expr)
            || operators::overlaps(expr)
            || set_returning::expand_array(expr)
            || array_slices::slice_bounds(expr)
            || set_returning::field_access(expr)
            || set_returning::generate_subscripts(expr)
            || function_calls::postgres_function(expr)
            || function_calls::regex_substring(expr)
            || names::unqualify_catalog_function(expr)
            || operators::collate(expr)
            || operators::custom_operator(expr)
            || lazy_case::lazy_boolean_case(expr)
            || interval_literals::interval_text(expr)
            || casts::timestamp_without_seconds(expr)
            || casts::array_literal(expr)
            || casts::postgres_type(expr);
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use datafusion::prelude::SessionContext;
    use datafusion::sql::parser::DFParser;
    use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;

    use super::*;

    fn rewritten(sql: &str) -> String {
        let state = SessionContext::new().state();
        let mut statements = DFParser::parse_sql_with_dialect(sql, &PostgreSqlDialect {}).unwrap();
        let mut statement = statements.pop_front().unwrap();
        rewrite(&mut statement, &state).unwrap();
        statement.to_string()
    }

    #[test]
    fn postgres_syntax_becomes_datafusion_syntax() {
        assert_eq!(
            rewritten(
                "SELECT pg_catalog.lower(relname) FROM t WHERE relname OPERATOR(pg_catalog.~) '^(a)$' COLLATE pg_catalog.default"
            ),
            "SELECT lower(relname) AS \"lower\" FROM t WHERE relname ~ '^(a)$'"
        );
        assert_eq!(
            rewritten(
                "SELECT 'orders'::regclass, attrelid::regclass, atttypid::pg_catalog.regtype, '16385'::oid, x::name"
            ),
            "SELECT regclass_oid('orders') AS \"regclass\", regclass_name(attrelid) AS \"attrelid\", regtype_name(atttypid) AS \"atttypid\", '16385'::INT UNSIGNED AS \"oid\", x::TEXT AS \"x\""
        );
        // A literal string with PostgreSQL syntax in it is data, not syntax.
        assert_eq!(
            rewritten("SELECT 'a OPERATOR(pg_catalog.~) b::regclass'"),
            "SELECT 'a OPERATOR(pg_catalog.~) b::regclass' AS \"?column?\""
        );
        assert_eq!(
            rewritten(
                "SELECT array(SELECT 'toast.' || x FROM pg_catalog.unnest(c.opts) x WHERE x <> '') FROM c"
            ),
            "SELECT array_transform(array_filter(c.opts, x -> x <> ''), x -> 'toast.' || x) AS \"array\" FROM c"
        );
        assert_eq!(
            rewritten("SELECT array(SELECT name FROM r WHERE r.id = t.owner ORDER BY 1) FROM t"),
            "SELECT (SELECT array_agg(name ORDER BY name) AS \"array_agg\" FROM r WHERE r.id = t.owner) AS \"array\" FROM t"
        );
        // An aggregating subquery tied to the outer row by `= ANY(…)` joins per outer value.
        assert_eq!(
            rewritten("SELECT p.n, (SELECT count(*) FROM r WHERE r.id = ANY(p.ids)) FROM p"),
            "SELECT p.n, coalesce(__custlake_scalar_1.value, 0) AS \"count\" FROM p LEFT OUTER JOIN (SELECT __custlake_domain.__key_1 AS __key_1, count(*) AS value FROM (SELECT DISTINCT p.ids AS __key_1 FROM p) AS __custlake_domain, r WHERE r.id = ANY(__custlake_domain.__key_1) GROUP BY __custlake_domain.__key_1) AS __custlake_scalar_1 ON __custlake_scalar_1.__key_1 IS NOT DISTINCT FROM p.ids"
        );
        // IN (subquery) in a select list, and a subquery in ORDER BY.
        assert_eq!(
            rewritten("SELECT a FROM t ORDER BY CASE WHEN a IN (SELECT b FROM u) THEN 0 END, 1"),
            "SELECT * EXCLUDE (__order_1) FROM (SELECT a, CASE WHEN CASE WHEN (SELECT array_agg(__in.__value) AS \"array_agg\" FROM (SELECT b FROM u) AS __in (__value)) IS NULL THEN false WHEN array_has((SELECT array_agg(__in.__value) AS \"array_agg\" FROM (SELECT b FROM u) AS __in (__value)), a) THEN true WHEN (a) IS NULL OR array_has(array_transform((SELECT array_agg(__in.__value) AS \"array_agg\" FROM (SELECT b FROM u) AS __in (__value)), __element -> __element IS NULL), true) THEN NULL ELSE false END THEN 0 END AS __order_1 FROM t) AS __custlake_ordered ORDER BY __order_1, 1"
        );
        // A correlated scalar subquery that does not aggregate becomes a lateral join.
        assert_eq!(
            rewritten("SELECT a.n, (SELECT d.v FROM d WHERE d.k = a.k AND a.flag) FROM a"),
            "SELECT a.n, CASE WHEN a.flag THEN __custlake_scalar_1.value END AS \"v\" FROM a LEFT OUTER JOIN (SELECT d.v AS value, d.k AS __inner_1 FROM d) AS __custlake_scalar_1 ON __custlake_scalar_1.__inner_1 = a.k"
        );
        assert_eq!(
            rewritten("SELECT c.oid, c.* FROM pg_class c"),
            "SELECT c.oid, c.* EXCLUDE (oid) FROM pg_class c"
        );
        assert_eq!(
            rewritten(
                "SELECT n FROM t WHERE n NOT LIKE 'pg/_' || '%' ESCAPE '/' AND m LIKE 'a\\b'"
            ),
            "SELECT n FROM t WHERE n NOT LIKE 'pg\\_%' AND m LIKE 'a\\b'"
        );
        assert_eq!(
            rewritten("SELECT n FROM t WHERE n LIKE $1 || '%' ESCAPE '/'"),
            "SELECT n FROM t WHERE n LIKE like_pattern_escaped_by($1 || '%', '/')"
        );
        assert_eq!(
            rewritten("SELECT generate_subscripts(k, 1) AS ord FROM i"),
            "SELECT unnest(range(1, CAST(cardinality(k) AS BIGINT) + 1)) AS ord FROM i"
        );
        assert_eq!(
            rewritten("SELECT s[i] FROM generate_series(1, 2) AS i, string_to_array(x, ',') s"),
            "SELECT s[i] AS \"s\" FROM generate_series(1, 2) AS i (i), (SELECT string_to_array(x, ',') AS s) AS s"
        );
        assert_eq!(
            rewritten(
                "SELECT (information_schema._pg_expandarray(c.k)).n, information_schema._pg_expandarray(c.k) AS keys FROM c"
            ),
            "SELECT get_field(unnest(pg_expandarray(c.k)), 'n') AS \"n\", unnest(pg_expandarray(c.k)) AS keys FROM c"
        );
        assert_eq!(
            rewritten("SELECT w FROM k WHERE w <> ALL ('{a,\"b c\"}'::text[])"),
            "SELECT w FROM k WHERE w <> ALL(ARRAY[CAST('a' AS TEXT), CAST('b c' AS TEXT)])"
        );
        // Columns are named as PostgreSQL names them; a repeated name takes its position.
        assert_eq!(
            rewritten(
                "SELECT count(*), version(), 1, CASE WHEN a THEN 1 END, sum(x), sum(y) FROM t"
            ),
            "SELECT count(*) AS \"count\", version() AS \"version\", 1 AS \"?column?\", CASE WHEN a THEN 1 END AS \"case\", sum(x) AS \"sum\", sum(y) AS \"sum_6\" FROM t"
        );
        // An uncorrelated one takes the first value.
        assert_eq!(
            rewritten("SELECT (SELECT v FROM d)"),
            "SELECT (SELECT first_value(v) FROM d) AS \"v\""
        );
    }
}
