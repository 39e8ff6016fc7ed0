//! Any scalar subquery that does not aggregate and is not joined (`(SELECT d.adbin FROM
//! pg_attrdef d WHERE d.adrelid = a.attrelid)`) takes `first_value` of its one column:
//! DataFusion plans correlated scalar subqueries only when they aggregate. For the zero or one
//! row such subqueries return, the value is the same; where PostgreSQL would fail on a second
//! row, custlake returns the first.

use datafusion::sql::sqlparser::ast::{Expr, Query, SelectItem, SetExpr, Value};

use super::Rewriter;
use super::ast::call;

impl Rewriter<'_> {
    /// A plain scalar subquery → `first_value` of its column. Claims every scalar subquery.
    pub(super) fn first_value(&self, expr: &mut Expr) -> bool {
        let Expr::Subquery(query) = expr else {
            return false;
        };
        self.aggregate_scalar_subquery(query);
        true
    }

    /// A plain scalar subquery takes `first_value` of its column (see the module
    /// documentation).
    pub(super) fn aggregate_scalar_subquery(&self, query: &mut Query) {
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
