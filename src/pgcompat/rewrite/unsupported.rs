//! What custlake cannot compute as PostgreSQL does, refused before anything is rewritten or
//! planned (SQLSTATE 0A000, naming what is refused), because DataFusion would plan it and
//! answer differently:
//! - `INTERSECT ALL` and `EXCEPT ALL` whose left operand selects `*` (DataFusion keeps the
//!   wrong number of duplicates; [`super::set_ops_all`] counts them when it knows the columns);
//! - `RIGHT` and `FULL` joins with `USING` or `NATURAL` (the merged column is the left
//!   side's, NULL where only the right side has the row; PostgreSQL coalesces both), but for
//!   the ones [`super::using_columns`] merges as PostgreSQL does;

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    JoinConstraint, JoinOperator, Query, Select, SelectItem, SetExpr, Statement, TableFactor,
    TableWithJoins, Visit, Visitor,
};

use crate::error::{SqlError, sqlstate};

/// The first construct of `statement` that custlake refuses, as an error.
pub fn refuse_unsupported(statement: &Statement) -> Result<(), SqlError> {
    match statement.visit(&mut Refusals) {
        ControlFlow::Break(reason) => Err(SqlError::new(
            sqlstate::FEATURE_NOT_SUPPORTED,
            reason.to_string(),
        )),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Refusals;

impl Visitor for Refusals {
    type Break = &'static str;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Self::Break> {
        set_operations(&query.body)
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Self::Break> {
        // A subquery could read the merged column as an outer one, which the rewrite leaves
        // to DataFusion (the left side's column).
        let merged_by_rewrite = super::using_columns::merged_columns(select).is_some()
            && !super::ast::holds_subquery_expression(select)
            && !select.projection.iter().any(|item| {
                matches!(
                    item,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            });
        if merged_by_rewrite {
            return ControlFlow::Continue(());
        }
        select.from.iter().try_for_each(joins)
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Self::Break> {
        match factor {
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => joins(table_with_joins),
            _ => ControlFlow::Continue(()),
        }
    }
}

fn set_operations(body: &SetExpr) -> ControlFlow<&'static str> {
    if let SetExpr::SetOperation { left, right, .. } = body {
        if super::set_ops_all::is_counting_set_operation(body)
            && super::set_ops_all::output_names(left).is_none()
        {
            return ControlFlow::Break(
                "INTERSECT ALL and EXCEPT ALL are supported only when the left operand lists \
                 its columns (no *)",
            );
        }
        set_operations(left)?;
        set_operations(right)?;
    }
    ControlFlow::Continue(())
}

fn joins(from: &TableWithJoins) -> ControlFlow<&'static str> {
    for join in &from.joins {
        if let JoinOperator::Right(constraint)
        | JoinOperator::RightOuter(constraint)
        | JoinOperator::FullOuter(constraint) = &join.join_operator
            && matches!(
                constraint,
                JoinConstraint::Using(_) | JoinConstraint::Natural
            )
        {
            return ControlFlow::Break(
                "RIGHT and FULL joins with USING or NATURAL are not supported; join ON the \
                 columns and coalesce them",
            );
        }
    }
    ControlFlow::Continue(())
}
