//! Building and reading syntax-tree nodes, shared by every rewrite pass: identifiers as
//! PostgreSQL folds them, calls, CASE and lambda expressions, derived tables, and the questions
//! the subquery passes ask of a query (which qualifiers it introduces, whether it reads an
//! outer row, whether it is one plain SELECT).

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, GroupByExpr, Ident, LambdaFunction, LambdaFunctionParameter, LambdaSyntax,
    ObjectName, ObjectNamePart, OneOrManyWithParens, Query, Select, SetExpr, TableAlias,
    TableFactor, Value,
};

/// Parses a query the rewriter wrote from syntax-tree nodes (their display round-trips).
pub(super) fn parse_query(sql: &str) -> Option<Query> {
    use datafusion::sql::sqlparser::parser::Parser;
    Parser::new(&datafusion::sql::sqlparser::dialect::PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_query())
        .map(|q| *q)
        .ok()
}

pub(super) fn empty_query() -> Query {
    // A placeholder while the subquery is moved; always replaced before the visit ends.
    parse_query("SELECT NULL").expect("SELECT NULL parses")
}

pub(super) fn single_ident(name: &ObjectName) -> Option<&Ident> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => Some(ident),
        _ => None,
    }
}

/// The identifier as PostgreSQL folds it: quoted as written, unquoted in lower case.
pub(super) fn folded(ident: &Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    }
}

pub(super) fn call(name: &str, args: Vec<Expr>) -> Expr {
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

pub(super) fn lambda(parameter: &Ident, body: Expr) -> Expr {
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
pub(super) fn literal_text(expr: &Expr) -> Option<String> {
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

/// `CASE WHEN condition THEN value END`.
pub(super) fn when(condition: Expr, value: Expr) -> Expr {
    case(vec![(condition, value)], None)
}

/// `CASE WHEN c1 THEN v1 … [ELSE e] END`.
pub(super) fn case(branches: Vec<(Expr, Expr)>, else_result: Option<Expr>) -> Expr {
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

/// The qualifiers a query's own FROM items introduce (table names and aliases).
pub(super) fn own_qualifiers(query: &Query) -> HashSet<String> {
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

pub(super) fn conjuncts(expr: Expr, out: &mut Vec<Expr>) {
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

pub(super) fn and_all(mut exprs: Vec<Expr>) -> Option<Expr> {
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

/// The SELECT of a query that is one plain SELECT: no WITH, LIMIT, ORDER BY, DISTINCT, GROUP
/// BY or HAVING.
pub(super) fn plain_select(query: &Query) -> Option<&Select> {
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
pub(super) fn derived(query: Query, alias: Ident, lateral: bool) -> TableFactor {
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
pub(super) fn holds_subquery_expression<V: datafusion::sql::sqlparser::ast::Visit>(
    node: &V,
) -> bool {
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
pub(super) fn reads_outer_columns(query: &Query) -> bool {
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

/// Calls `rewrite` on each expression of `expr` (inner ones first) that is not inside a
/// subquery: those belong to the subquery's own SELECT.
pub(super) fn rewrite_outside_subqueries(expr: &mut Expr, rewrite: impl FnMut(&mut Expr)) {
    struct Outside<F> {
        rewrite: F,
        depth: usize,
    }
    impl<F: FnMut(&mut Expr)> datafusion::sql::sqlparser::ast::VisitorMut for Outside<F> {
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
            if self.depth == 0 {
                (self.rewrite)(expr);
            }
            ControlFlow::Continue(())
        }
    }
    let _ =
        datafusion::sql::sqlparser::ast::VisitMut::visit(expr, &mut Outside { rewrite, depth: 0 });
}

/// The name a FROM item's columns are qualified by: its alias, else a table's own name.
pub(super) fn qualifier(factor: &TableFactor) -> Option<Ident> {
    match factor {
        TableFactor::Table {
            alias: Some(alias), ..
        }
        | TableFactor::Derived {
            alias: Some(alias), ..
        } => Some(alias.name.clone()),
        TableFactor::Table {
            name,
            alias: None,
            args: None,
            ..
        } => name.0.last()?.as_ident().cloned(),
        _ => None,
    }
}

/// The items of a select's FROM, joined ones included.
pub(super) fn from_items(select: &Select) -> impl Iterator<Item = &TableFactor> {
    select
        .from
        .iter()
        .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
}

/// Test helpers for the passes: a select's text after `rewrite`, and one expression.
#[cfg(test)]
pub(super) mod testing {
    use datafusion::sql::sqlparser::ast::{Expr, Select, SelectItem, SetExpr};

    /// `sql` (one select) after `rewrite` changed its select.
    pub fn rewritten_select(sql: &str, rewrite: impl FnOnce(&mut Select)) -> String {
        let mut query = super::parse_query(sql).expect("parses");
        let SetExpr::Select(select) = query.body.as_mut() else {
            panic!("a select: {sql}");
        };
        rewrite(select);
        query.to_string()
    }

    /// The expression `sql` as the parser reads it in a select list.
    pub fn expression(sql: &str) -> Expr {
        let query = super::parse_query(&format!("SELECT {sql}")).expect("parses");
        let SetExpr::Select(select) = *query.body else {
            panic!("a select");
        };
        match select.projection.into_iter().next() {
            Some(SelectItem::UnnamedExpr(e)) => e,
            other => panic!("an expression, not {other:?}"),
        }
    }
}
