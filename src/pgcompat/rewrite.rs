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
//!   `x`, a constant is `?column?` (where that name is not taken by another column, as
//!   DataFusion wants names to differ);
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
    OrderByExpr, OrderByKind, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, SetExpr,
    TableAlias, TableFactor, Value, VisitMut, VisitorMut,
};

use super::settings::PgSettings;

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
        if query.with.is_some()
            || query.limit_clause.is_some()
            || query.order_by.is_some()
            || query.fetch.is_some()
        {
            return false;
        }
        let SetExpr::Select(select) = query.body.as_ref() else {
            return false;
        };
        if select.distinct.is_some()
            || select.having.is_some()
            || !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty())
        {
            return false;
        }
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
            relation: TableFactor::Derived {
                lateral,
                subquery,
                alias: Some(TableAlias {
                    explicit: true,
                    name: relation.clone(),
                    columns: vec![],
                    at: None,
                }),
                sample: None,
            },
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
    let names: Vec<Option<String>> = select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            SelectItem::UnnamedExpr(e) => postgres_column_name(e),
            _ => None,
        })
        .collect();
    for (item, name) in select.projection.iter_mut().zip(&names) {
        let SelectItem::UnnamedExpr(expr) = item else {
            continue;
        };
        if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
            continue;
        }
        let Some(name) = name else {
            continue;
        };
        if names.iter().filter(|n| n.as_ref() == Some(name)).count() != 1 {
            continue;
        }
        let expr = std::mem::replace(expr, Expr::value(Value::Null));
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: Ident::with_quote('"', name.clone()),
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

/// `CASE WHEN condition THEN value END`.
fn when(condition: Expr, value: Expr) -> Expr {
    Expr::Case {
        case_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(
        ),
        end_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        operand: None,
        conditions: vec![datafusion::sql::sqlparser::ast::CaseWhen {
            condition,
            result: value,
        }],
        else_result: None,
    }
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
    let has_subquery = |expr: &Expr| {
        let mut found = false;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(expr, |e| {
            if matches!(
                e,
                Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }
            ) {
                found = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        found
    };
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
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        exclude_named_columns_from_wildcards(select);
        name_columns_as_postgres_does(select);
        if select.from.is_empty() {
            return ControlFlow::Continue(());
        }
        let mut joins = Vec::new();
        for item in select.projection.iter_mut() {
            let (SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) = item
            else {
                continue;
            };
            // Scalar subqueries anywhere in the item (`CASE WHEN … THEN (SELECT …) END`), but
            // not those inside another subquery: they belong to that subquery's SELECT.
            struct Joiner<'r, 'a> {
                rewriter: &'r mut Rewriter<'a>,
                joins: &'r mut Vec<Join>,
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
                    if self.depth == 0
                        && let Expr::Subquery(query) = expr
                        && self.rewriter.lateral_candidate(query).is_some()
                    {
                        let query = std::mem::replace(query, Box::new(empty_query()));
                        let (join, value) = self.rewriter.join_subquery(query);
                        self.joins.push(join);
                        *expr = value;
                    }
                    ControlFlow::Continue(())
                }
            }
            let _ = expr.visit(&mut Joiner {
                rewriter: self,
                joins: &mut joins,
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
        match expr {
            Expr::Function(function)
                if matches!(function.args, FunctionArguments::Subquery(_))
                    && function
                        .name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .is_some_and(|i| folded(i) == "array") =>
            {
                let FunctionArguments::Subquery(query) =
                    std::mem::replace(&mut function.args, FunctionArguments::None)
                else {
                    return ControlFlow::Continue(());
                };
                *expr = array_of_subquery(*query);
            }
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
            "SELECT (SELECT array_agg(name ORDER BY name) FROM r WHERE r.id = t.owner) AS \"array\" FROM t"
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
        // Columns are named as PostgreSQL names them, where the name is free.
        assert_eq!(
            rewritten(
                "SELECT count(*), version(), 1, CASE WHEN a THEN 1 END, sum(x), sum(y) FROM t"
            ),
            "SELECT count(*) AS \"count\", version() AS \"version\", 1 AS \"?column?\", CASE WHEN a THEN 1 END AS \"case\", sum(x), sum(y) FROM t"
        );
        // An uncorrelated one takes the first value.
        assert_eq!(
            rewritten("SELECT (SELECT v FROM d)"),
            "SELECT (SELECT first_value(v) FROM d) AS \"v\""
        );
    }
}
