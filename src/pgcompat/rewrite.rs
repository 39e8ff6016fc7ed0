//! Rewrites of the SQL text's syntax tree that make PostgreSQL clients' catalog queries
//! plannable by DataFusion, each one a PostgreSQL meaning DataFusion lacks:
//!
//! - names resolve as PostgreSQL resolves them: `pg_catalog` first, then `search_path`
//!   (`FROM pg_class` is `pg_catalog.pg_class`; with `search_path = segments, public`,
//!   `FROM champions` is `segments.champions`);
//! - `pg_catalog.f(…)` calls `f`, as every function is found there;
//! - `a OPERATOR(pg_catalog.~) b` is `a ~ b`; `x COLLATE "C"` is `x` (one collation here);
//! - a correlated scalar subquery anywhere in a select list (`CASE WHEN … THEN (SELECT …)
//!   END` too) that does not aggregate becomes a LEFT JOIN: its conditions that read the outer
//!   row become the join's condition (the subquery's columns they name become columns of the
//!   joined subquery), a value that reads the outer row is computed by the outer query (NULL
//!   where nothing matched), and conditions that read only the outer row (`AND a.atthasdef`)
//!   guard the value (`CASE WHEN a.atthasdef THEN … END`). DataFusion then joins where it
//!   could not decorrelate: psql's `\d` (`… AND a.attcollation <> t.typcollation`),
//!   SQLAlchemy's get_columns (`seqrelid = CAST(pg_get_serial_sequence(…) …)`). Where
//!   PostgreSQL would fail on a second matching row, the join gives one row per match;
//! - outside a select list, such a condition on the outer row alone moves out the same way:
//!   `(SELECT … WHERE d.k = a.k AND a.flag)` is `CASE WHEN a.flag THEN (SELECT … WHERE d.k =
//!   a.k) END`;
//! - a correlated subquery that aggregates and is tied to the outer row by more than
//!   `inner = outer` equalities (psql's `array(SELECT rolname FROM pg_roles WHERE oid =
//!   ANY(pol.polroles))`), which DataFusion cannot decorrelate, becomes a LEFT JOIN on the
//!   outer values it reads: it is computed once per distinct combination of them (read from
//!   the outer FROM items they come from) and grouped by them; COUNT is 0 where nothing
//!   matched. A set-returning function in its FROM that reads the outer row
//!   (`generate_series(0, array_upper(pr.prattrs, 1)) s`) yields its rows per combination.
//!   Unqualified columns that only an outer FROM item has are qualified first;
//! - `x [NOT] IN (subquery)` in a select list (DataFusion plans IN subqueries only in WHERE)
//!   tests an array of the subquery's values, keeping IN's three-valued answer;
//! - a subquery in ORDER BY (Grafana's table picker sorts by `CASE WHEN s IN (SELECT …)`)
//!   is computed as a hidden column of a derived table, which the query then sorts by;
//! - any other scalar subquery that does not aggregate (`(SELECT d.adbin FROM pg_attrdef d WHERE
//!   d.adrelid = a.attrelid)`) takes `first_value` of its one column: DataFusion plans
//!   correlated scalar subqueries only when they aggregate. For the zero or one row such
//!   subqueries return, the value is the same; where PostgreSQL would fail on a second row,
//!   custlake returns the first;
//! - `ARRAY(SELECT e(x) FROM unnest(a) x [WHERE p(x)])` is `array_transform(array_filter(a,
//!   x -> p(x)), x -> e(x))`, and any other `ARRAY(subquery)` is the subquery aggregated with
//!   `array_agg` (its `ORDER BY` moved into the aggregate). An ARRAY subquery with no rows is
//!   NULL here, where PostgreSQL gives an empty array;
//! - `SELECT c.oid, c.*` (DBeaver's way): PostgreSQL returns `oid` twice, DataFusion refuses
//!   duplicate columns, so the wildcard leaves out the columns named before it — readers by
//!   name see every column once;
//! - result columns are named as PostgreSQL names them: `count(*)` is `count`, `x::int` is
//!   `x`, a constant is `?column?`. Where PostgreSQL would give two columns one name
//!   (`SELECT NULL, NULL`), DataFusion wants names to differ, so the later one is named with
//!   its position (`?column?_2`);
//! - `x LIKE 'pg/_%' ESCAPE '/'`: DataFusion escapes with `\` only, so a literal pattern
//!   (or a concatenation of literals) is rewritten to use `\`, and any other pattern is
//!   rewritten when the query runs (`like_pattern_escaped_by`);
//! - a function in FROM is read as PostgreSQL reads it: a scalar function gives one row whose
//!   column is named by the alias (`FROM string_to_array(x, ',') s` then `s[1]`), and a
//!   set-returning function aliased without a column list names its column by the alias
//!   (`FROM generate_series(1, 3) AS i` then `i`);
//! - `information_schema._pg_expandarray(a)` is `unnest(pg_expandarray(a))`, and a field of a
//!   composite value, `(keys).x`, is `get_field(keys, 'x')`;
//! - `generate_subscripts(a, 1)` is `unnest(range(1, CAST(cardinality(a) AS BIGINT) + 1))`;
//! - casts to PostgreSQL's own types: `'orders'::regclass` is the table's OID and
//!   `attrelid::regclass` its name, likewise `regtype`; `::oid` is an unsigned 32-bit
//!   integer; `name`, `"char"` and `pg_catalog.text` are text.
//!
//! These work on the parsed tree, never on the SQL text, so string literals and quoted
//! identifiers are never touched.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::execution::context::SessionState;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, CastKind, DataType as SqlType, ExcludeSelectItem, Expr, Function,
    FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArgumentList, FunctionArguments,
    GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, LambdaFunction,
    LambdaFunctionParameter, LambdaSyntax, ObjectName, ObjectNamePart, OneOrManyWithParens,
    OrderBy, OrderByExpr, OrderByKind, Query, Select, SelectItem, SelectItemQualifiedWildcardKind,
    SetExpr, TableAlias, TableFactor, TableWithJoins, Value, VisitMut, VisitorMut,
};

use super::settings::PgSettings;
use super::table_lookup;

/// Rewrites `statement` in place for the session `state`.
pub fn rewrite(statement: &mut DFStatement, state: &SessionState) {
    match statement {
        DFStatement::Statement(statement) => {
            let mut rewriter = Rewriter::new(state);
            let _ = statement.visit(&mut rewriter);
        }
        DFStatement::Explain(explain) => rewrite(&mut explain.statement, state),
        _ => {}
    }
}

struct Rewriter<'a> {
    state: &'a SessionState,
    /// `pg_catalog` first, then the session's search_path.
    path: Vec<String>,
    ctes: HashSet<String>,
    /// Lateral joins made from scalar subqueries so far, to name them apart.
    laterals: usize,
}

impl<'a> Rewriter<'a> {
    fn new(state: &'a SessionState) -> Self {
        let settings = state
            .config_options()
            .extensions
            .get::<PgSettings>()
            .cloned()
            .unwrap_or_default();
        let mut path = vec!["pg_catalog".to_string()];
        path.extend(settings.search_path());
        Rewriter {
            state,
            path,
            ctes: HashSet::new(),
            laterals: 0,
        }
    }

    /// The schema an unqualified relation name resolves to, if it is not the default one.
    fn schema_for(&self, name: &str) -> Option<String> {
        let options = self.state.config_options();
        let catalog = self
            .state
            .catalog_list()
            .catalog(&options.catalog.default_catalog)?;
        let found = self.path.iter().find(|schema| {
            catalog
                .schema(schema)
                .is_some_and(|provider| provider.table_exist(name))
        })?;
        (*found != options.catalog.default_schema).then(|| found.clone())
    }
}

impl Rewriter<'_> {
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

    /// For a plain scalar subquery that reads outer columns: the name PostgreSQL gives its
    /// column.
    fn lateral_candidate(&self, query: &Query) -> Option<String> {
        if !self.is_plain_unaggregated_select(query) || !reads_outer_columns(query) {
            return None;
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            return None;
        };
        match select.projection.as_slice() {
            [SelectItem::ExprWithAlias { alias, .. }] => Some(folded(alias)),
            [SelectItem::UnnamedExpr(value)] => postgres_column_name(value),
            _ => None,
        }
    }

    /// A correlated scalar subquery as a LEFT JOIN (lateral only where it must stay
    /// correlated) and the expression that reads its value from the join.
    fn join_subquery(&mut self, mut subquery: Box<Query>) -> (Join, Expr) {
        self.laterals += 1;
        let relation = Ident::new(format!("__custlake_scalar_{}", self.laterals));
        let column = Ident::new("value");
        let outer_condition = take_outer_only_conditions(&mut subquery);
        // The conditions that tie it to the outer row become the join's condition, and the
        // subquery no longer refers to the outer row where that is possible.
        let uncorrelated = uncorrelate(&mut subquery, &relation, &column);
        if uncorrelated.is_none()
            && let SetExpr::Select(inner) = subquery.body.as_mut()
            && let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
                inner.projection.as_mut_slice()
        {
            let value = std::mem::replace(value, Expr::value(Value::Null));
            inner.projection = vec![SelectItem::ExprWithAlias {
                expr: value,
                alias: column.clone(),
            }];
        }
        let (on, moved_value) = match uncorrelated {
            Some(Uncorrelated { on, value }) => (on, value),
            None => (None, None),
        };
        let lateral = reads_outer_columns(&subquery);
        let join = Join {
            relation: derived(*subquery, relation.clone(), lateral),
            global: false,
            join_operator: JoinOperator::LeftOuter(JoinConstraint::On(
                on.unwrap_or_else(|| Expr::value(Value::Boolean(true))),
            )),
        };
        let value = moved_value.unwrap_or_else(|| Expr::CompoundIdentifier(vec![relation, column]));
        let value = match outer_condition {
            Some(condition) => when(condition, value),
            None => value,
        };
        (join, value)
    }

    /// The columns of a FROM item, where the catalog knows them: a table's, or those a
    /// function's alias names.
    fn columns_of(&self, factor: &TableFactor) -> Option<Vec<String>> {
        match factor {
            TableFactor::Table {
                name, args: None, ..
            } => {
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .map(|p| p.as_ident().map(folded))
                    .collect::<Option<_>>()?;
                let options = self.state.config_options();
                let (schema, table) = match parts.as_slice() {
                    [table] => (
                        self.schema_for(table)
                            .unwrap_or_else(|| options.catalog.default_schema.clone()),
                        table.clone(),
                    ),
                    [schema, table] | [_, schema, table] => (schema.clone(), table.clone()),
                    _ => return None,
                };
                let schema_provider = self
                    .state
                    .catalog_list()
                    .catalog(&options.catalog.default_catalog)?
                    .schema(&schema)?;
                let provider = table_lookup::table(schema_provider.as_ref(), &table).ok()??;
                Some(
                    provider
                        .schema()
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect(),
                )
            }
            TableFactor::Table {
                alias: Some(alias),
                args: Some(_),
                ..
            } => Some(if alias.columns.is_empty() {
                vec![folded(&alias.name)]
            } else {
                alias.columns.iter().map(|c| folded(&c.name)).collect()
            }),
            TableFactor::Derived {
                subquery,
                alias: Some(alias),
                ..
            } => {
                if !alias.columns.is_empty() {
                    return Some(alias.columns.iter().map(|c| folded(&c.name)).collect());
                }
                let SetExpr::Select(select) = subquery.body.as_ref() else {
                    return None;
                };
                select
                    .projection
                    .iter()
                    .map(|item| match item {
                        SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
                        SelectItem::UnnamedExpr(e) => postgres_column_name(e),
                        _ => None,
                    })
                    .collect()
            }
            _ => None,
        }
    }

    /// Qualifies the unqualified columns of a subquery that none of its own FROM items has
    /// but one FROM item of the enclosing select does (`attnum = prattrs[s]` reads
    /// `pr.prattrs`). Changes nothing where a FROM item's columns are unknown.
    fn qualify_outer_columns(&self, query: &mut Query, outer_from: &[TableWithJoins]) {
        let factors = |from: &[TableWithJoins]| -> Vec<TableFactor> {
            from.iter()
                .flat_map(|t| {
                    std::iter::once(t.relation.clone())
                        .chain(t.joins.iter().map(|j| j.relation.clone()))
                })
                .collect()
        };
        let SetExpr::Select(select) = query.body.as_ref() else {
            return;
        };
        let mut own_columns = HashSet::new();
        for factor in factors(&select.from) {
            match self.columns_of(&factor) {
                Some(columns) => own_columns.extend(columns),
                None => return,
            }
        }
        let outer: Vec<(Ident, Vec<String>)> = factors(outer_from)
            .iter()
            .filter_map(|factor| {
                let qualifier = match factor {
                    TableFactor::Table {
                        alias: Some(alias), ..
                    }
                    | TableFactor::Derived {
                        alias: Some(alias), ..
                    } => alias.name.clone(),
                    TableFactor::Table {
                        name, alias: None, ..
                    } => name.0.last()?.as_ident()?.clone(),
                    _ => return None,
                };
                Some((qualifier, self.columns_of(factor)?))
            })
            .collect();
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(query, |e| {
            if let Expr::Identifier(ident) = e
                && !own_columns.contains(&folded(ident))
            {
                let mut owners = outer
                    .iter()
                    .filter(|(_, columns)| columns.contains(&folded(ident)));
                if let (Some((qualifier, _)), None) = (owners.next(), owners.next()) {
                    *e = Expr::CompoundIdentifier(vec![qualifier.clone(), ident.clone()]);
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }

    /// A correlated subquery that aggregates and is tied to the outer row by something other
    /// than `inner = outer` equalities (`oid = ANY(pol.polroles)`), which DataFusion cannot
    /// decorrelate, as a LEFT JOIN on the outer values it reads: the subquery runs once per
    /// distinct combination of them (its "domain", read from the outer FROM items they come
    /// from), grouped by them. `None` where the subquery has another shape, DataFusion
    /// decorrelates it itself, or its outer columns do not come from `outer_from`.
    fn domain_join(
        &mut self,
        query: &Query,
        outer_from: &[TableWithJoins],
    ) -> Option<(Join, Expr)> {
        let mut query = query.clone();
        self.qualify_outer_columns(&mut query, outer_from);
        let query = &query;
        let select = plain_select(query)?;
        let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
            select.projection.as_slice()
        else {
            return None;
        };
        if !self.is_aggregate(value) || holds_subquery_expression(query) {
            return None;
        }
        let own = own_qualifiers(query);
        let is_outer = |e: &Expr| matches!(e, Expr::CompoundIdentifier(parts) if parts.len() >= 2 && !own.contains(&folded(&parts[parts.len() - 2])));
        let mut outer_refs: Vec<Expr> = Vec::new();
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(query, |e| {
            if is_outer(e) && !outer_refs.contains(e) {
                outer_refs.push(e.clone());
            }
            ControlFlow::<()>::Continue(())
        });
        if outer_refs.is_empty() {
            return None;
        }
        let reads_outer = |expr: &Expr| {
            let mut found = false;
            let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
                found |= is_outer(e);
                if found {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            found
        };
        let mut conditions = Vec::new();
        if let Some(selection) = &select.selection {
            conjuncts(selection.clone(), &mut conditions);
        }
        let functions_read_outer = select.from.iter().any(|item| {
            matches!(&item.relation, TableFactor::Table { args: Some(args), .. }
                if args.args.iter().any(|a| matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if reads_outer(e))))
        });
        // DataFusion's own decorrelation handles `inner = outer` conditions.
        let decorrelated_by_datafusion = !functions_read_outer
            && !reads_outer(value)
            && conditions.iter().filter(|c| reads_outer(c)).all(|c| {
                matches!(c, Expr::BinaryOp { left, op: BinaryOperator::Eq, right }
                    if (is_outer(left) && !reads_outer(right)) || (is_outer(right) && !reads_outer(left)))
            });
        if decorrelated_by_datafusion {
            return None;
        }
        // The outer FROM items the outer columns come from.
        let mut factors: Vec<String> = Vec::new();
        for reference in &outer_refs {
            let Expr::CompoundIdentifier(parts) = reference else {
                return None;
            };
            let qualifier = folded(&parts[parts.len() - 2]);
            let factor = outer_from
                .iter()
                .flat_map(|t| {
                    std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation))
                })
                .find(|factor| match factor {
                    TableFactor::Table {
                        name,
                        alias,
                        args: None,
                        ..
                    } => match alias {
                        Some(alias) => folded(&alias.name) == qualifier,
                        None => name
                            .0
                            .last()
                            .and_then(|p| p.as_ident())
                            .is_some_and(|i| folded(i) == qualifier),
                    },
                    TableFactor::Derived {
                        lateral: false,
                        alias: Some(alias),
                        ..
                    } => folded(&alias.name) == qualifier,
                    _ => false,
                })?
                .to_string();
            if !factors.contains(&factor) {
                factors.push(factor);
            }
        }
        self.laterals += 1;
        let relation = Ident::new(format!("__custlake_scalar_{}", self.laterals));
        let keys: Vec<Ident> = (1..=outer_refs.len())
            .map(|i| Ident::new(format!("__key_{i}")))
            .collect();
        let domain_items: Vec<String> = outer_refs
            .iter()
            .zip(&keys)
            .map(|(reference, key)| format!("{reference} AS {key}"))
            .collect();
        let mut inner = query.clone();
        let SetExpr::Select(inner_select) = inner.body.as_mut() else {
            return None;
        };
        // A set-returning function in the subquery's FROM that reads the outer row
        // (`generate_series(0, array_upper(pr.prattrs, 1)) s`) cannot be planned there; its
        // rows become part of the domain instead, one per value it returns.
        let mut domain_items = domain_items;
        let mut kept = Vec::new();
        for item in std::mem::take(&mut inner_select.from) {
            match series_of_outer_row(&item, &reads_outer) {
                Some(series) => domain_items.push(series),
                None => kept.push(item),
            }
        }
        inner_select.from = kept;
        let domain = parse_query(&format!(
            "SELECT DISTINCT {} FROM {}",
            domain_items.join(", "),
            factors.join(", ")
        ))?;
        let domain_name = Ident::new("__custlake_domain");
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(&mut inner, |e| {
            if let Some(i) = outer_refs.iter().position(|r| r == e) {
                *e = Expr::CompoundIdentifier(vec![domain_name.clone(), keys[i].clone()]);
            }
            ControlFlow::<()>::Continue(())
        });
        let SetExpr::Select(inner_select) = inner.body.as_mut() else {
            return None;
        };
        inner_select.from.insert(
            0,
            TableWithJoins {
                relation: derived(domain, domain_name.clone(), false),
                joins: vec![],
            },
        );
        let domain_keys: Vec<Expr> = keys
            .iter()
            .map(|key| Expr::CompoundIdentifier(vec![domain_name.clone(), key.clone()]))
            .collect();
        let (SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }) =
            inner_select.projection.pop()?
        else {
            return None;
        };
        let counts = matches!(&value, Expr::Function(f) if single_ident(&f.name).is_some_and(|i| folded(i) == "count"));
        inner_select.projection = domain_keys
            .iter()
            .zip(&keys)
            .map(|(expr, key)| SelectItem::ExprWithAlias {
                expr: expr.clone(),
                alias: key.clone(),
            })
            .chain(std::iter::once(SelectItem::ExprWithAlias {
                expr: value,
                alias: Ident::new("value"),
            }))
            .collect();
        inner_select.group_by = GroupByExpr::Expressions(domain_keys, vec![]);
        let on = and_all(
            outer_refs
                .into_iter()
                .zip(&keys)
                .map(|(reference, key)| {
                    Expr::IsNotDistinctFrom(
                        Box::new(Expr::CompoundIdentifier(vec![
                            relation.clone(),
                            key.clone(),
                        ])),
                        Box::new(reference),
                    )
                })
                .collect(),
        )?;
        let join = Join {
            relation: derived(inner, relation.clone(), false),
            global: false,
            join_operator: JoinOperator::LeftOuter(JoinConstraint::On(on)),
        };
        let value = Expr::CompoundIdentifier(vec![relation, Ident::new("value")]);
        // No row of the subquery matched: COUNT is 0 there, every other aggregate NULL.
        let value = if counts {
            call(
                "coalesce",
                vec![value, Expr::value(Value::Number("0".into(), false))],
            )
        } else {
            value
        };
        Some((join, value))
    }

    /// A plain scalar subquery takes `first_value` of its column (see the module
    /// documentation).
    fn aggregate_scalar_subquery(&self, query: &mut Query) {
        if !self.is_plain_unaggregated_select(query) {
            return;
        }
        let SetExpr::Select(select) = query.body.as_mut() else {
            return;
        };
        if let [SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. }] =
            select.projection.as_mut_slice()
        {
            let inner = std::mem::replace(value, Expr::value(Value::Null));
            *value = call("first_value", vec![inner]);
        }
    }
}

/// The name PostgreSQL gives an unnamed select-list expression (its `FigureColname`).
fn postgres_column_name(expr: &Expr) -> Option<String> {
    Some(match expr {
        Expr::Identifier(ident) => folded(ident),
        Expr::CompoundIdentifier(parts) => folded(parts.last()?),
        Expr::Function(f) => folded(f.name.0.last()?.as_ident()?),
        Expr::Cast {
            expr, data_type, ..
        } => match postgres_column_name(expr) {
            Some(name) if name != "?column?" => name,
            _ => data_type.to_string().to_ascii_lowercase(),
        },
        Expr::Nested(inner) => postgres_column_name(inner)?,
        // `(keys).x` is named `x`, `s[i]` after `s`.
        Expr::CompoundFieldAccess { root, access_chain } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(field))) => folded(field),
            _ => postgres_column_name(root)?,
        },
        Expr::Case { .. } => "case".into(),
        Expr::Exists { .. } => "exists".into(),
        Expr::Array(_) => "array".into(),
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.as_slice() {
                [SelectItem::ExprWithAlias { alias, .. }] => folded(alias),
                [SelectItem::UnnamedExpr(e)] => postgres_column_name(e)?,
                _ => return None,
            },
            _ => return None,
        },
        _ => "?column?".into(),
    })
}

/// Aliases unnamed select-list expressions with PostgreSQL's names, where unique.
fn name_columns_as_postgres_does(select: &mut Select) {
    // Names a client gave or that come from columns stay as they are; expressions take
    // PostgreSQL's name, or where a column already has it (PostgreSQL allows two columns of
    // one name, DataFusion does not) that name followed by their position.
    let mut taken: HashSet<String> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            SelectItem::UnnamedExpr(e @ (Expr::Identifier(_) | Expr::CompoundIdentifier(_))) => {
                postgres_column_name(e)
            }
            _ => None,
        })
        .collect();
    for (position, item) in select.projection.iter_mut().enumerate() {
        let SelectItem::UnnamedExpr(expr) = item else {
            continue;
        };
        if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
            continue;
        }
        let Some(mut name) = postgres_column_name(expr) else {
            continue;
        };
        if taken.contains(&name) {
            name = format!("{name}_{}", position + 1);
        }
        taken.insert(name.clone());
        let expr = std::mem::replace(expr, Expr::value(Value::Null));
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: Ident::with_quote('"', name),
        };
    }
}

/// `SELECT q.a, q.*` → `SELECT q.a, q.* EXCLUDE (a)` (see the module documentation).
fn exclude_named_columns_from_wildcards(select: &mut Select) {
    let named: Vec<(String, Ident)> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) if parts.len() == 2 => {
                Some((folded(&parts[0]), parts[1].clone()))
            }
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return;
    }
    for item in select.projection.iter_mut() {
        if let SelectItem::QualifiedWildcard(
            SelectItemQualifiedWildcardKind::ObjectName(qualifier),
            options,
        ) = item
            && options.opt_exclude.is_none()
            && let Some(qualifier) = qualifier.0.last().and_then(|p| p.as_ident())
        {
            let excluded: Vec<ObjectName> = named
                .iter()
                .filter(|(q, _)| *q == folded(qualifier))
                .map(|(_, column)| ObjectName::from(vec![column.clone()]))
                .collect();
            if !excluded.is_empty() {
                options.opt_exclude = Some(ExcludeSelectItem::Multiple(excluded));
            }
        }
    }
}

fn lambda(parameter: &Ident, body: Expr) -> Expr {
    Expr::Lambda(LambdaFunction {
        params: OneOrManyWithParens::One(LambdaFunctionParameter {
            name: parameter.clone(),
            data_type: None,
        }),
        body: Box::new(body),
        syntax: LambdaSyntax::Arrow,
    })
}

/// The text of a string literal, or of a concatenation of string literals.
fn literal_text(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => Some(s.clone()),
            _ => None,
        },
        Expr::BinaryOp {
            left,
            op: BinaryOperator::StringConcat,
            right,
        } => Some(literal_text(left)? + &literal_text(right)?),
        Expr::Nested(inner) => literal_text(inner),
        _ => None,
    }
}

/// A LIKE pattern that escapes with `escape` rewritten to escape with `\`.
pub(crate) fn with_backslash_escape(pattern: &str, escape: char) -> String {
    let mut out = String::with_capacity(pattern.len() + 2);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == escape {
            if let Some(next) = chars.next() {
                out.push('\\');
                out.push(next);
            }
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

/// The subquery of `ARRAY(subquery)`, taken out (leaving a call without arguments).
fn take_array_subquery(expr: &mut Expr) -> Option<Query> {
    let Expr::Function(function) = expr else {
        return None;
    };
    let is_array = function
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| folded(i) == "array");
    if !is_array || !matches!(function.args, FunctionArguments::Subquery(_)) {
        return None;
    }
    match std::mem::replace(&mut function.args, FunctionArguments::None) {
        FunctionArguments::Subquery(query) => Some(*query),
        _ => None,
    }
}

/// `ARRAY(subquery)` as an expression DataFusion plans (see the module documentation).
fn array_of_subquery(mut query: Query) -> Expr {
    let plain = query.with.is_none() && query.limit_clause.is_none() && query.fetch.is_none();
    if let SetExpr::Select(select) = query.body.as_mut()
        && plain
        && select.distinct.is_none()
        && select.having.is_none()
        && matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty())
        && let [item] = select.projection.as_slice()
        && let SelectItem::UnnamedExpr(value) | SelectItem::ExprWithAlias { expr: value, .. } = item
    {
        // Over `unnest(array) x`, without ORDER BY: the array's own order, element by element.
        if query.order_by.is_none()
            && let [from] = select.from.as_slice()
            && from.joins.is_empty()
            && let TableFactor::Table {
                name,
                args: Some(args),
                alias: Some(alias),
                ..
            } = &from.relation
            && alias.columns.is_empty()
            && name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| folded(i) == "unnest")
            && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] = args.args.as_slice()
        {
            let element = &alias.name;
            let mut array = array.clone();
            if let Some(predicate) = &select.selection {
                array = call(
                    "array_filter",
                    vec![array, lambda(element, predicate.clone())],
                );
            }
            return match value {
                Expr::Identifier(ident) if folded(ident) == folded(element) => array,
                value => call(
                    "array_transform",
                    vec![array, lambda(element, value.clone())],
                ),
            };
        }
        // Otherwise the rows aggregated, in the subquery's order.
        let value = value.clone();
        let order: Vec<OrderByExpr> = match query.order_by.take().map(|o| o.kind) {
            Some(OrderByKind::Expressions(exprs)) => exprs
                .into_iter()
                .map(|mut o| {
                    if matches!(&o.expr, Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n == "1"))
                    {
                        o.expr = value.clone();
                    }
                    o
                })
                .collect(),
            _ => vec![],
        };
        let mut aggregate = call("array_agg", vec![value]);
        if let Expr::Function(f) = &mut aggregate
            && let FunctionArguments::List(list) = &mut f.args
            && !order.is_empty()
        {
            list.clauses.push(FunctionArgumentClause::OrderBy(order));
        }
        select.projection = vec![SelectItem::UnnamedExpr(aggregate)];
    }
    Expr::Subquery(Box::new(query))
}

/// `SELECT a FROM t ORDER BY CASE WHEN x IN (SELECT …) THEN 0 END, 1`: DataFusion plans
/// subqueries in select lists but not in ORDER BY, so such a query orders a derived table
/// whose select list also computes the ORDER BY expressions, and leaves them out of its
/// result: `SELECT * EXCLUDE (__order_1) FROM (SELECT a, CASE … END AS __order_1 FROM t)
/// ORDER BY __order_1, 1`. Positions and output names in ORDER BY stay as they are.
fn order_by_subqueries_as_columns(query: &mut Query) {
    let Some(OrderBy {
        kind: OrderByKind::Expressions(items),
        ..
    }) = &query.order_by
    else {
        return;
    };
    if !items
        .iter()
        .any(|item| holds_subquery_expression(&item.expr))
    {
        return;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return;
    };
    if select.distinct.is_some() {
        return;
    }
    let output_names: HashSet<String> = select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            SelectItem::UnnamedExpr(Expr::Identifier(ident)) => Some(folded(ident)),
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last().map(folded),
            _ => None,
        })
        .collect();
    let Some(mut template) = parse_query("SELECT * FROM (SELECT 1) AS __custlake_ordered") else {
        return;
    };
    let mut inner = Query {
        with: None,
        body: query.body.clone(),
        order_by: None,
        limit_clause: None,
        fetch: None,
        locks: vec![],
        for_clause: None,
        settings: None,
        format_clause: None,
        pipe_operators: vec![],
    };
    let SetExpr::Select(inner_select) = inner.body.as_mut() else {
        return;
    };
    let mut hidden = Vec::new();
    let mut order = items.clone();
    for item in order.iter_mut() {
        let keep = match &item.expr {
            Expr::Value(v) => matches!(v.value, Value::Number(..)),
            Expr::Identifier(ident) => output_names.contains(&folded(ident)),
            _ => false,
        };
        if keep {
            continue;
        }
        let name = Ident::new(format!("__order_{}", hidden.len() + 1));
        let expr = std::mem::replace(&mut item.expr, Expr::Identifier(name.clone()));
        inner_select.projection.push(SelectItem::ExprWithAlias {
            expr,
            alias: name.clone(),
        });
        hidden.push(name);
    }
    let SetExpr::Select(outer) = template.body.as_mut() else {
        return;
    };
    if let Some(SelectItem::Wildcard(options)) = outer.projection.first_mut() {
        options.opt_exclude = Some(ExcludeSelectItem::Multiple(
            hidden
                .into_iter()
                .map(|name| ObjectName::from(vec![name]))
                .collect(),
        ));
    }
    if let Some(first) = outer.from.first_mut() {
        first.relation = derived(inner, Ident::new("__custlake_ordered"), false);
    }
    query.body = template.body;
    if let Some(OrderBy {
        kind: OrderByKind::Expressions(items),
        ..
    }) = &mut query.order_by
    {
        *items = order;
    }
}

/// `CASE WHEN condition THEN value END`.
fn when(condition: Expr, value: Expr) -> Expr {
    case(vec![(condition, value)], None)
}

/// `CASE WHEN c1 THEN v1 … [ELSE e] END`.
fn case(branches: Vec<(Expr, Expr)>, else_result: Option<Expr>) -> Expr {
    use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
    Expr::Case {
        case_token: AttachedToken::empty(),
        end_token: AttachedToken::empty(),
        operand: None,
        conditions: branches
            .into_iter()
            .map(
                |(condition, result)| datafusion::sql::sqlparser::ast::CaseWhen {
                    condition,
                    result,
                },
            )
            .collect(),
        else_result: else_result.map(Box::new),
    }
}

/// `x [NOT] IN (subquery)` in a select list, where DataFusion plans IN only in WHERE: the
/// subquery's values gathered into an array by an uncorrelated scalar subquery, and IN's
/// three-valued answer read from it — false for no values, true for a match, NULL where `x` is
/// NULL or a value is NULL, false otherwise.
fn in_subquery_as_array(x: Expr, subquery: &Query, negated: bool) -> Option<Expr> {
    let values = || {
        parse_query(&format!(
            "SELECT array_agg(__in.__value) FROM ({subquery}) AS __in (__value)"
        ))
        .map(|q| Expr::Subquery(Box::new(q)))
    };
    let element = Ident::new("__element");
    let boolean = |b: bool| Expr::value(Value::Boolean(b));
    let answer = case(
        vec![
            (Expr::IsNull(Box::new(values()?)), boolean(false)),
            (call("array_has", vec![values()?, x.clone()]), boolean(true)),
            (
                Expr::BinaryOp {
                    left: Box::new(Expr::IsNull(Box::new(Expr::Nested(Box::new(x))))),
                    op: BinaryOperator::Or,
                    right: Box::new(call(
                        "array_has",
                        vec![
                            call(
                                "array_transform",
                                vec![
                                    values()?,
                                    lambda(
                                        &element,
                                        Expr::IsNull(Box::new(Expr::Identifier(element.clone()))),
                                    ),
                                ],
                            ),
                            boolean(true),
                        ],
                    )),
                },
                Expr::value(Value::Null),
            ),
        ],
        Some(boolean(false)),
    );
    Some(if negated {
        Expr::UnaryOp {
            op: datafusion::sql::sqlparser::ast::UnaryOperator::Not,
            expr: Box::new(Expr::Nested(Box::new(answer))),
        }
    } else {
        answer
    })
}

/// The qualifiers a query's own FROM items introduce (table names and aliases).
fn own_qualifiers(query: &Query) -> HashSet<String> {
    let mut own: HashSet<String> = HashSet::new();
    let _ = datafusion::sql::sqlparser::ast::visit_relations(query, |name| {
        if let Some(last) = name.0.last().and_then(|p| p.as_ident()) {
            own.insert(folded(last));
        }
        ControlFlow::<()>::Continue(())
    });
    struct Aliases<'a>(&'a mut HashSet<String>);
    impl datafusion::sql::sqlparser::ast::Visitor for Aliases<'_> {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            let alias = match factor {
                TableFactor::Table { alias, .. } | TableFactor::Derived { alias, .. } => alias,
                _ => &None,
            };
            if let Some(alias) = alias {
                self.0.insert(folded(&alias.name));
            }
            ControlFlow::Continue(())
        }
    }
    let _ = datafusion::sql::sqlparser::ast::Visit::visit(query, &mut Aliases(&mut own));
    own
}

fn conjuncts(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjuncts(*left, out);
            conjuncts(*right, out);
        }
        Expr::Nested(inner)
            if matches!(
                inner.as_ref(),
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            conjuncts(*inner, out)
        }
        other => out.push(other),
    }
}

fn and_all(mut exprs: Vec<Expr>) -> Option<Expr> {
    let first = if exprs.is_empty() {
        return None;
    } else {
        exprs.remove(0)
    };
    Some(exprs.into_iter().fold(first, |left, right| Expr::BinaryOp {
        left: Box::new(left),
        op: BinaryOperator::And,
        right: Box::new(right),
    }))
}

/// Removes from a plain subquery's WHERE the conditions that read only the outer row (every
/// column they name is qualified by something the subquery does not introduce, and they hold
/// no subquery), and returns them joined by AND.
fn take_outer_only_conditions(query: &mut Query) -> Option<Expr> {
    let own = own_qualifiers(query);
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let selection = select.selection.take()?;
    let mut all = Vec::new();
    conjuncts(selection, &mut all);
    let (outer, inner): (Vec<Expr>, Vec<Expr>) = all.into_iter().partition(|condition| {
        let mut qualified = false;
        let mut only_outer = true;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(condition, |e| {
            match e {
                Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                    qualified = true;
                    if own.contains(&folded(&parts[parts.len() - 2])) {
                        only_outer = false;
                    }
                }
                Expr::Identifier(_)
                | Expr::Subquery(_)
                | Expr::Exists { .. }
                | Expr::InSubquery { .. } => {
                    only_outer = false;
                }
                _ => {}
            }
            if only_outer {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
        qualified && only_outer
    });
    select.selection = and_all(inner);
    and_all(outer)
}

/// What [`uncorrelate`] leaves to the enclosing query.
struct Uncorrelated {
    /// The join's condition: the subquery's conditions on the outer row.
    on: Option<Expr>,
    /// The value, when it reads the outer row and so is computed in the enclosing query
    /// (NULL where no row of the subquery matches); `None` when the subquery selects it.
    value: Option<Expr>,
}

/// Takes the outer row out of a plain scalar subquery, so that it can be joined instead of
/// correlated: its WHERE conditions that read the outer row move to the join's condition, and
/// a selected value that reads the outer row is computed by the enclosing query. Each column
/// of the subquery they name becomes an output column `__inner_N`, named through `relation`.
/// The value the subquery still selects is named `value_column`. `None`, changing nothing,
/// when a condition or the value that would move holds a subquery.
fn uncorrelate(query: &mut Query, relation: &Ident, value_column: &Ident) -> Option<Uncorrelated> {
    let own = own_qualifiers(query);
    let is_outer = |e: &Expr| matches!(e, Expr::CompoundIdentifier(parts) if parts.len() >= 2 && !own.contains(&folded(&parts[parts.len() - 2])));
    let reads_outer = |expr: &Expr| {
        let mut found = false;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
            if is_outer(e) {
                found = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found
    };
    let has_subquery = holds_subquery_expression::<Expr>;
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let value = match select.projection.as_slice() {
        [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] => e.clone(),
        _ => return None,
    };
    let value_moves = reads_outer(&value);
    if value_moves && has_subquery(&value) {
        return None;
    }
    let mut all = Vec::new();
    if let Some(selection) = select.selection.take() {
        conjuncts(selection, &mut all);
    }
    if all.iter().any(|c| reads_outer(c) && has_subquery(c)) {
        select.selection = and_all(all);
        return None;
    }
    let (correlated, local): (Vec<Expr>, Vec<Expr>) = all.into_iter().partition(|c| reads_outer(c));
    select.selection = and_all(local);
    let mut exposed: Vec<(Expr, Ident)> = Vec::new();
    let mut expose = |mut expr: Expr| {
        let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
            let inner = match e {
                Expr::Identifier(_) => true,
                Expr::CompoundIdentifier(_) => !is_outer(e),
                _ => false,
            };
            if inner {
                let existing = exposed.iter().find(|(x, _)| x == e).map(|(_, n)| n.clone());
                let name = existing.unwrap_or_else(|| {
                    let name = Ident::new(format!("__inner_{}", exposed.len() + 1));
                    exposed.push((e.clone(), name.clone()));
                    name
                });
                *e = Expr::CompoundIdentifier(vec![relation.clone(), name]);
            }
            ControlFlow::<()>::Continue(())
        });
        expr
    };
    let on = and_all(correlated.into_iter().map(&mut expose).collect());
    let moved_value = value_moves.then(|| expose(value.clone()));
    let mut projection = Vec::new();
    let value = match moved_value {
        Some(moved) => {
            let present = Ident::new("__present");
            projection.push(SelectItem::ExprWithAlias {
                expr: Expr::value(Value::Boolean(true)),
                alias: present.clone(),
            });
            Some(when(
                Expr::CompoundIdentifier(vec![relation.clone(), present]),
                moved,
            ))
        }
        None => {
            projection.push(SelectItem::ExprWithAlias {
                expr: value,
                alias: value_column.clone(),
            });
            None
        }
    };
    for (expr, name) in exposed {
        projection.push(SelectItem::ExprWithAlias { expr, alias: name });
    }
    select.projection = projection;
    Some(Uncorrelated { on, value })
}

/// `generate_series(a, b) AS s` or `unnest(x) AS s`, a FROM item on its own whose arguments
/// `read_outer`, as a select-list item giving the same rows: `unnest(generate_series(a, b)) AS
/// s`.
fn series_of_outer_row(
    item: &TableWithJoins,
    reads_outer: &dyn Fn(&Expr) -> bool,
) -> Option<String> {
    let TableFactor::Table {
        name,
        args: Some(args),
        alias: Some(alias),
        ..
    } = &item.relation
    else {
        return None;
    };
    if !item.joins.is_empty() {
        return None;
    }
    let arguments: Vec<&Expr> = args
        .args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if !arguments.iter().any(|a| reads_outer(a)) {
        return None;
    }
    let column = match alias.columns.as_slice() {
        [] => alias.name.clone(),
        [column] => column.name.clone(),
        _ => return None,
    };
    let arguments = arguments
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let function = name.0.last()?.as_ident().map(folded)?;
    match function.as_str() {
        "generate_series" => Some(format!("unnest(generate_series({arguments})) AS {column}")),
        "unnest" => Some(format!("unnest({arguments}) AS {column}")),
        _ => None,
    }
}

/// The SELECT of a query that is one plain SELECT: no WITH, LIMIT, ORDER BY, DISTINCT, GROUP
/// BY or HAVING.
fn plain_select(query: &Query) -> Option<&Select> {
    if query.with.is_some()
        || query.limit_clause.is_some()
        || query.order_by.is_some()
        || query.fetch.is_some()
    {
        return None;
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
    (select.distinct.is_none() && select.having.is_none() && !grouped).then_some(select.as_ref())
}

/// `(query) AS alias`, `LATERAL` when it reads the FROM items before it.
fn derived(query: Query, alias: Ident, lateral: bool) -> TableFactor {
    TableFactor::Derived {
        lateral,
        subquery: Box::new(query),
        alias: Some(TableAlias {
            explicit: true,
            name: alias,
            columns: vec![],
            at: None,
        }),
        sample: None,
    }
}

/// Whether an expression somewhere in `node` (a query or an expression) is a subquery
/// (scalar, EXISTS or IN).
fn holds_subquery_expression<V: datafusion::sql::sqlparser::ast::Visit>(node: &V) -> bool {
    let mut found = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(node, |e| {
        found = matches!(
            e,
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }
        );
        if found {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    found
}

/// Whether `query` names a qualifier (`a.attrelid`) that none of its own FROM items
/// introduces, i.e. reads a column of an enclosing query.
fn reads_outer_columns(query: &Query) -> bool {
    let own = own_qualifiers(query);
    let mut outer = false;
    let _ = datafusion::sql::sqlparser::ast::visit_expressions(query, |e| {
        if let Expr::CompoundIdentifier(parts) = e
            && parts.len() >= 2
            && !own.contains(&folded(&parts[parts.len() - 2]))
        {
            outer = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    outer
}

/// Parses a query the rewriter wrote from syntax-tree nodes (their display round-trips).
fn parse_query(sql: &str) -> Option<Query> {
    use datafusion::sql::sqlparser::parser::Parser;
    Parser::new(&datafusion::sql::sqlparser::dialect::PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_query())
        .map(|q| *q)
        .ok()
}

fn empty_query() -> Query {
    // A placeholder while the subquery is moved; always replaced before the visit ends.
    parse_query("SELECT NULL").expect("SELECT NULL parses")
}

fn single_ident(name: &ObjectName) -> Option<&Ident> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => Some(ident),
        _ => None,
    }
}

/// The identifier as PostgreSQL folds it: quoted as written, unquoted in lower case.
fn folded(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    }
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|e| FunctionArg::Unnamed(FunctionArgExpr::Expr(e)))
                .collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// A string literal or a parameter: what `'name'::regclass` and `$1::regclass` name by text.
fn is_string_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Value(v) if matches!(
            v.value,
            Value::SingleQuotedString(_)
                | Value::EscapedStringLiteral(_)
                | Value::DollarQuotedString(_)
                | Value::Placeholder(_)
        )
    )
}

/// The PostgreSQL type a cast names, lower-cased and without `pg_catalog.`, when it is one
/// DataFusion does not know.
fn postgres_type_name(data_type: &SqlType) -> Option<String> {
    match data_type {
        SqlType::Regclass => Some("regclass".into()),
        SqlType::Custom(name, modifiers) if modifiers.is_empty() => {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(folded))
                .collect();
            match parts.as_slice() {
                [t] => Some(t.clone()),
                [schema, t] if schema == "pg_catalog" => Some(t.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

enum CastRewrite {
    /// Call this function on the operand instead.
    Function(&'static str),
    /// Cast to this type instead.
    Type(SqlType),
}

fn cast_rewrite(type_name: &str, operand_is_literal: bool) -> Option<CastRewrite> {
    use CastRewrite as R;
    Some(match type_name {
        "regclass" if operand_is_literal => R::Function("regclass_oid"),
        "regclass" => R::Function("regclass_name"),
        "regtype" if operand_is_literal => R::Function("regtype_oid"),
        "regtype" => R::Function("regtype_name"),
        "regnamespace" if !operand_is_literal => R::Function("regnamespace_name"),
        "oid" | "regoper" | "regrole" | "xid" | "cid" => R::Type(SqlType::IntUnsigned(None)),
        "regproc" | "regprocedure" if operand_is_literal => R::Function("regproc_oid"),
        "regproc" | "regprocedure" => R::Function("regproc_name"),
        "name" | "char" | "text" | "bpchar" | "varchar" | "unknown" | "pg_node_tree" => {
            R::Type(SqlType::Text)
        }
        "int2" => R::Type(SqlType::SmallInt(None)),
        "int4" | "integer" => R::Type(SqlType::Int(None)),
        "int8" | "bigint" => R::Type(SqlType::BigInt(None)),
        "float4" => R::Type(SqlType::Real),
        "float8" => R::Type(SqlType::DoublePrecision),
        "bool" | "boolean" => R::Type(SqlType::Boolean),
        "date" => R::Type(SqlType::Date),
        "numeric" => R::Type(SqlType::Numeric(
            datafusion::sql::sqlparser::ast::ExactNumberInfo::None,
        )),
        _ => return None,
    })
}

fn operator(parts: &[String]) -> Option<BinaryOperator> {
    let op = match parts {
        [op] => op.as_str(),
        [schema, op] if schema.eq_ignore_ascii_case("pg_catalog") => op.as_str(),
        _ => return None,
    };
    Some(match op {
        "~" => BinaryOperator::PGRegexMatch,
        "~*" => BinaryOperator::PGRegexIMatch,
        "!~" => BinaryOperator::PGRegexNotMatch,
        "!~*" => BinaryOperator::PGRegexNotIMatch,
        "=" => BinaryOperator::Eq,
        "<>" | "!=" => BinaryOperator::NotEq,
        "<" => BinaryOperator::Lt,
        "<=" => BinaryOperator::LtEq,
        ">" => BinaryOperator::Gt,
        ">=" => BinaryOperator::GtEq,
        "+" => BinaryOperator::Plus,
        "-" => BinaryOperator::Minus,
        "*" => BinaryOperator::Multiply,
        "/" => BinaryOperator::Divide,
        "||" => BinaryOperator::StringConcat,
        _ => return None,
    })
}

impl VisitorMut for Rewriter<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(folded(&cte.alias.name));
            }
        }
        order_by_subqueries_as_columns(query);
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        exclude_named_columns_from_wildcards(select);
        name_columns_as_postgres_does(select);
        let mut joins = Vec::new();
        let from = select.from.clone();
        for item in select.projection.iter_mut() {
            let (SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) = item
            else {
                continue;
            };
            // Subqueries anywhere in the item (`CASE WHEN … THEN (SELECT …) END`) that
            // DataFusion does not plan in a select list — correlated scalar ones become joins,
            // `x IN (…)` a test on an array — but not those inside another subquery: they
            // belong to that subquery's SELECT.
            struct Joiner<'r, 'a> {
                rewriter: &'r mut Rewriter<'a>,
                joins: &'r mut Vec<Join>,
                from: &'r [TableWithJoins],
                depth: usize,
            }
            impl VisitorMut for Joiner<'_, '_> {
                type Break = ();
                fn pre_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
                    self.depth += 1;
                    ControlFlow::Continue(())
                }
                fn post_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
                    self.depth -= 1;
                    ControlFlow::Continue(())
                }
                fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
                    if self.depth != 0 {
                        return ControlFlow::Continue(());
                    }
                    if let Some(query) = take_array_subquery(expr) {
                        *expr = array_of_subquery(query);
                    }
                    if let Expr::InSubquery {
                        expr: x,
                        subquery,
                        negated,
                    } = expr
                        && !reads_outer_columns(subquery)
                        && let Some(answer) =
                            in_subquery_as_array((**x).clone(), subquery, *negated)
                    {
                        *expr = answer;
                        return ControlFlow::Continue(());
                    }
                    let Expr::Subquery(query) = expr else {
                        return ControlFlow::Continue(());
                    };
                    // Without a FROM clause there is nothing to join to.
                    if self.from.is_empty() {
                        return ControlFlow::Continue(());
                    }
                    if self.rewriter.lateral_candidate(query).is_some() {
                        let query = std::mem::replace(query, Box::new(empty_query()));
                        let (join, value) = self.rewriter.join_subquery(query);
                        self.joins.push(join);
                        *expr = value;
                    } else if let Some((join, value)) = self.rewriter.domain_join(query, self.from)
                    {
                        self.joins.push(join);
                        *expr = value;
                    }
                    ControlFlow::Continue(())
                }
            }
            let _ = expr.visit(&mut Joiner {
                rewriter: self,
                joins: &mut joins,
                from: &from,
                depth: 0,
            });
        }
        if let Some(last) = select.from.last_mut() {
            last.joins.extend(joins);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Subquery(query) = expr
            && self.is_plain_unaggregated_select(query)
            && let Some(condition) = take_outer_only_conditions(query)
        {
            let subquery = std::mem::replace(expr, Expr::value(Value::Null));
            *expr = when(condition, subquery);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        // `FROM pg_catalog.generate_series(…)`: set-returning functions are found without
        // the schema, like every function.
        if let TableFactor::Table {
            name,
            args: Some(_),
            ..
        } = factor
            && let [
                ObjectNamePart::Identifier(schema),
                ObjectNamePart::Identifier(function),
            ] = name.0.as_slice()
            && folded(schema) == "pg_catalog"
        {
            *name = ObjectName::from(vec![function.clone()]);
        }
        if let TableFactor::Table {
            name,
            alias,
            args: Some(args),
            ..
        } = factor
            && let Some(function) = single_ident(name).map(folded)
            && !self.ctes.contains(&function)
        {
            let column = alias
                .as_ref()
                .map(|a| a.columns.first().map_or(&a.name, |c| &c.name).clone())
                .unwrap_or_else(|| Ident::new(function.clone()));
            if self.state.table_functions().contains_key(&function) {
                if let Some(alias) = alias
                    && alias.columns.is_empty()
                    && matches!(function.as_str(), "generate_series" | "range" | "unnest")
                {
                    alias
                        .columns
                        .push(datafusion::sql::sqlparser::ast::TableAliasColumnDef {
                            name: alias.name.clone(),
                            data_type: None,
                        });
                }
            } else if self.state.scalar_functions().contains_key(&function)
                && args.settings.is_none()
            {
                let value = Expr::Function(Function {
                    name: name.clone(),
                    uses_odbc_syntax: false,
                    parameters: FunctionArguments::None,
                    args: FunctionArguments::List(FunctionArgumentList {
                        duplicate_treatment: None,
                        args: args.args.clone(),
                        clauses: vec![],
                    }),
                    filter: None,
                    null_treatment: None,
                    over: None,
                    within_group: vec![],
                });
                if let Some(subquery) = parse_query(&format!("SELECT {value} AS {column}")) {
                    let relation = alias
                        .as_ref()
                        .map_or_else(|| column.clone(), |a| a.name.clone());
                    *factor = TableFactor::Derived {
                        lateral: false,
                        subquery: Box::new(subquery),
                        alias: Some(TableAlias {
                            explicit: true,
                            name: relation,
                            columns: vec![],
                            at: None,
                        }),
                        sample: None,
                    };
                }
            }
            return ControlFlow::Continue(());
        }
        if let TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } = factor
            && let Some(ident) = single_ident(name)
        {
            let table = folded(ident);
            if !self.ctes.contains(&table)
                && let Some(schema) = self.schema_for(&table)
            {
                // Keep the name the query used as its alias, so `pg_class.relname` resolves.
                if alias.is_none() {
                    *alias = Some(TableAlias {
                        explicit: true,
                        name: ident.clone(),
                        columns: vec![],
                        at: None,
                    });
                }
                *name = ObjectName::from(vec![Ident::new(schema), Ident::new(table)]);
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Some(query) = take_array_subquery(expr) {
            *expr = array_of_subquery(query);
            return ControlFlow::Continue(());
        }
        match expr {
            Expr::Subquery(query) => self.aggregate_scalar_subquery(query),
            Expr::Like {
                pattern,
                escape_char,
                ..
            }
            | Expr::ILike {
                pattern,
                escape_char,
                ..
            } => {
                if let Some(escape) = escape_char.as_ref().and_then(|e| match &e.value {
                    Value::SingleQuotedString(c) => c.chars().next(),
                    _ => None,
                }) && escape != '\\'
                {
                    **pattern = match literal_text(pattern) {
                        Some(literal) => Expr::value(Value::SingleQuotedString(
                            with_backslash_escape(&literal, escape),
                        )),
                        // A pattern known only when the query runs (a parameter) is
                        // rewritten then.
                        None => call(
                            "like_pattern_escaped_by",
                            vec![
                                std::mem::replace(pattern.as_mut(), Expr::value(Value::Null)),
                                Expr::value(Value::SingleQuotedString(escape.to_string())),
                            ],
                        ),
                    };
                    *escape_char = None;
                }
            }
            Expr::Function(function)
                if function
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| i.value.eq_ignore_ascii_case("_pg_expandarray")) =>
            {
                if let FunctionArguments::List(list) = &function.args
                    && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array))] =
                        list.args.as_slice()
                {
                    *expr = call("unnest", vec![call("pg_expandarray", vec![array.clone()])]);
                }
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                if let [AccessExpr::Dot(Expr::Identifier(field))] = access_chain.as_slice() {
                    let field = Expr::value(Value::SingleQuotedString(folded(field)));
                    let mut root = std::mem::replace(root.as_mut(), Expr::value(Value::Null));
                    while let Expr::Nested(inner) = root {
                        root = *inner;
                    }
                    *expr = call("get_field", vec![root, field]);
                }
            }
            Expr::Function(function)
                if function
                    .name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| folded(i) == "generate_subscripts") =>
            {
                if let FunctionArguments::List(list) = &function.args
                    && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(array)), _] =
                        list.args.as_slice()
                {
                    // cardinality is unsigned; range takes signed bounds.
                    let length = Expr::Cast {
                        kind: CastKind::Cast,
                        expr: Box::new(call("cardinality", vec![array.clone()])),
                        data_type: SqlType::BigInt(None),
                        array: false,
                        format: None,
                    };
                    let upper = Expr::BinaryOp {
                        left: Box::new(length),
                        op: BinaryOperator::Plus,
                        right: Box::new(Expr::value(Value::Number("1".into(), false))),
                    };
                    let subscripts = call(
                        "range",
                        vec![Expr::value(Value::Number("1".into(), false)), upper],
                    );
                    *expr = call("unnest", vec![subscripts]);
                }
            }
            Expr::Function(function) => {
                if let [
                    ObjectNamePart::Identifier(schema),
                    ObjectNamePart::Identifier(name),
                ] = function.name.0.as_slice()
                    && folded(schema) == "pg_catalog"
                {
                    function.name = ObjectName::from(vec![name.clone()]);
                }
            }
            Expr::Collate { expr: inner, .. } => {
                let inner = std::mem::replace(inner.as_mut(), Expr::value(Value::Null));
                *expr = inner;
            }
            Expr::BinaryOp { op, .. } => {
                if let BinaryOperator::PGCustomBinaryOperator(parts) = op
                    && let Some(plain) = operator(parts)
                {
                    *op = plain;
                }
            }
            // `'{a,b}'::text[]`: a PostgreSQL array literal, element by element (DataFusion
            // would make it a one-element list of the whole text).
            Expr::Cast {
                kind: CastKind::DoubleColon | CastKind::Cast,
                expr: operand,
                data_type:
                    SqlType::Array(datafusion::sql::sqlparser::ast::ArrayElemTypeDef::SquareBracket(
                        element,
                        _,
                    )),
                ..
            } if literal_text(operand).is_some() => {
                let text = literal_text(operand).unwrap_or_default();
                if let Some(elements) = super::literal_types::parse_array_literal(&text) {
                    let element_type = postgres_type_name(element)
                        .and_then(|name| match cast_rewrite(&name, false) {
                            Some(CastRewrite::Type(t)) => Some(t),
                            _ => None,
                        })
                        .unwrap_or_else(|| element.as_ref().clone());
                    *expr = Expr::Array(datafusion::sql::sqlparser::ast::Array {
                        elem: elements
                            .into_iter()
                            .map(|e| Expr::Cast {
                                kind: CastKind::Cast,
                                expr: Box::new(Expr::value(match e {
                                    Some(e) => Value::SingleQuotedString(e),
                                    None => Value::Null,
                                })),
                                data_type: element_type.clone(),
                                array: false,
                                format: None,
                            })
                            .collect(),
                        named: true,
                    });
                }
            }
            Expr::Cast {
                kind: CastKind::DoubleColon | CastKind::Cast,
                expr: operand,
                data_type,
                ..
            } => {
                // `x::pg_catalog.int2[]`: the element type as DataFusion names it.
                if let SqlType::Array(
                    datafusion::sql::sqlparser::ast::ArrayElemTypeDef::SquareBracket(element, _),
                ) = data_type
                    && let Some(CastRewrite::Type(replacement)) =
                        postgres_type_name(element).and_then(|name| cast_rewrite(&name, false))
                {
                    **element = replacement;
                    return ControlFlow::Continue(());
                }
                let Some(type_name) = postgres_type_name(data_type) else {
                    return ControlFlow::Continue(());
                };
                match cast_rewrite(&type_name, is_string_literal(operand)) {
                    Some(CastRewrite::Function(function)) => {
                        let operand = std::mem::replace(operand.as_mut(), Expr::value(Value::Null));
                        *expr = call(function, vec![operand]);
                    }
                    Some(CastRewrite::Type(replacement)) => *data_type = replacement,
                    None => {}
                }
            }
            _ => {}
        }
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
        rewrite(&mut statement, &state);
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
