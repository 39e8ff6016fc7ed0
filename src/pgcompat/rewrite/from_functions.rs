//! A function in FROM is read as PostgreSQL reads it: a scalar function gives one row whose
//! column is named by the alias (`FROM string_to_array(x, ',') s` then `s[1]`), and a
//! set-returning function aliased without a column list names its column by the alias
//! (`FROM generate_series(1, 3) AS i` then `i`); `string_to_table`,
//! `regexp_split_to_table` and the JSON set-returning functions are the UNNEST of their
//! arrays; `WITH ORDINALITY` is one more array, of positions, unnested beside them; a
//! series of numeric constants is [`super::numeric_series`].

use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    TableAlias, TableAliasColumnDef, TableFactor,
};

use super::ast::{call, folded, parse_query, single_ident};
use super::numeric_series::numeric_series;
use super::{Rewriter, set_returning};

impl Rewriter<'_> {
    /// Rewrites a call of a known function in FROM; claims (`true`) every call of a function
    /// named by one identifier that is not a CTE.
    pub(super) fn function_in_from(&self, factor: &mut TableFactor) -> bool {
        // `LATERAL unnest(a) AS x`: the UNNEST it is (LATERAL changes nothing for it).
        if let TableFactor::Function {
            name,
            args,
            with_ordinality,
            alias,
            ..
        } = factor
            && single_ident(name).map(folded).as_deref() == Some("unnest")
        {
            let array_exprs = args
                .iter()
                .filter_map(|arg| match arg {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                    _ => None,
                })
                .collect();
            *factor = TableFactor::UNNEST {
                alias: alias.take(),
                array_exprs,
                with_offset: false,
                with_offset_alias: None,
                with_ordinality: *with_ordinality,
            };
        }
        // `unnest(a) AS x`: its column is named x, as the alias names a one-column function.
        if let TableFactor::UNNEST {
            alias: Some(alias),
            array_exprs,
            ..
        } = factor
            && array_exprs.len() == 1
            && alias.columns.is_empty()
        {
            alias.columns.push(TableAliasColumnDef {
                name: alias.name.clone(),
                data_type: None,
            });
        }
        if let TableFactor::UNNEST {
            alias,
            array_exprs,
            with_ordinality,
            ..
        } = factor
            && *with_ordinality
        {
            *with_ordinality = false;
            with_ordinals(array_exprs, alias);
            return true;
        }
        if let TableFactor::Table {
            name,
            alias,
            args: Some(args),
            with_ordinality,
            ..
        } = factor
            && let Some(function) = single_ident(name).map(folded)
            && !self.ctes.contains(&function)
        {
            let column = alias
                .as_ref()
                .map(|a| a.columns.first().map_or(&a.name, |c| &c.name).clone())
                .unwrap_or_else(|| Ident::new(function.clone()));
            if function == "generate_series" {
                if !*with_ordinality
                    && let Some(series) = numeric_series(&args.args, alias, &column)
                {
                    *factor = series;
                    return true;
                }
                typed_series_bounds(&mut args.args);
            }
            // A series with ordinality is the UNNEST of the array form of it, beside its
            // positions.
            let behind = set_returning::arrays_behind(&function).or_else(|| {
                (*with_ordinality && function == "generate_series").then_some(
                    set_returning::ArraysBehind {
                        arrays: &["generate_series"],
                        columns: None,
                    },
                )
            });
            if let Some(behind) = behind {
                let arguments: Vec<Expr> = args
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                // Columns named by the alias's list, else as PostgreSQL names them.
                let named = alias.as_ref().map_or(0, |a| a.columns.len());
                let columns = match behind.columns {
                    None => vec![column],
                    Some(names) => names
                        .iter()
                        .enumerate()
                        .map(
                            |(i, name)| match alias.as_ref().and_then(|a| a.columns.get(i)) {
                                Some(c) if i < named => c.name.clone(),
                                _ => Ident::new(*name),
                            },
                        )
                        .collect(),
                };
                let relation = alias
                    .as_ref()
                    .map_or_else(|| Ident::new(function.clone()), |a| a.name.clone());
                let mut columns = columns;
                let mut array_exprs: Vec<Expr> = behind
                    .arrays
                    .iter()
                    .map(|array| call(array, arguments.clone()))
                    .collect();
                if *with_ordinality {
                    with_ordinals(&mut array_exprs, &mut None);
                    let ordinality = alias
                        .as_ref()
                        .and_then(|a| a.columns.get(columns.len()))
                        .map_or_else(|| Ident::new("ordinality"), |c| c.name.clone());
                    columns.push(ordinality);
                }
                *factor = TableFactor::UNNEST {
                    alias: Some(TableAlias {
                        explicit: true,
                        name: relation,
                        columns: columns
                            .into_iter()
                            .map(|name| TableAliasColumnDef {
                                name,
                                data_type: None,
                            })
                            .collect(),
                        at: None,
                    }),
                    array_exprs,
                    with_offset: false,
                    with_offset_alias: None,
                    with_ordinality: false,
                };
            } else if self.state.table_functions().contains_key(&function) {
                if let Some(alias) = alias
                    && alias.columns.is_empty()
                    && matches!(function.as_str(), "generate_series" | "range" | "unnest")
                {
                    alias.columns.push(TableAliasColumnDef {
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
            return true;
        }
        false
    }
}

/// `generate_series(timestamp '…', '…', '1 day')`: PostgreSQL reads the untyped literals
/// after a typed start as its type and an interval; DataFusion would refuse them as text.
fn typed_series_bounds(args: &mut [FunctionArg]) {
    use datafusion::sql::sqlparser::ast::{CastKind, DataType};
    let typed = |arg: &FunctionArg| match arg {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Cast { data_type, .. })) => {
            Some(data_type.clone())
        }
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::TypedString(typed))) => {
            Some(typed.data_type.clone())
        }
        _ => None,
    };
    let Some(start_type) = args.first().and_then(typed) else {
        return;
    };
    if !matches!(
        start_type,
        DataType::Timestamp(..) | DataType::Date | DataType::TimestampNtz(_)
    ) {
        return;
    }
    for (i, arg) in args.iter_mut().enumerate().skip(1) {
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg
            && super::ast::literal_text(value).is_some()
        {
            let data_type = match i {
                1 => start_type.clone(),
                _ => DataType::Interval {
                    fields: None,
                    precision: None,
                },
            };
            let literal = std::mem::replace(
                value,
                Expr::value(datafusion::sql::sqlparser::ast::Value::Null),
            );
            *value = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(literal),
                data_type,
                array: false,
                format: None,
            };
        }
    }
}

/// `WITH ORDINALITY`: one more array beside the others, of their positions (1, 2, … up to
/// the longest), unnested with them, so each row's number is its element's position, not an
/// order rows happen to arrive in. An alias with one name fewer gets `ordinality`, no alias
/// PostgreSQL's names.
fn with_ordinals(array_exprs: &mut Vec<Expr>, alias: &mut Option<TableAlias>) {
    use datafusion::sql::sqlparser::ast::{BinaryOperator, CastKind, DataType, Value};
    let lengths: Vec<Expr> = array_exprs
        .iter()
        .map(|array| call("cardinality", vec![array.clone()]))
        .collect();
    let longest = match lengths.len() {
        1 => lengths
            .into_iter()
            .next()
            .unwrap_or(Expr::value(Value::Null)),
        _ => call("greatest", lengths),
    };
    let last = Expr::BinaryOp {
        left: Box::new(Expr::Cast {
            kind: CastKind::Cast,
            expr: Box::new(longest),
            data_type: DataType::BigInt(None),
            array: false,
            format: None,
        }),
        op: BinaryOperator::Plus,
        right: Box::new(Expr::value(Value::Number("1".into(), false))),
    };
    let arrays = array_exprs.len();
    array_exprs.push(call(
        "range",
        vec![Expr::value(Value::Number("1".into(), false)), last],
    ));
    let column = |name: &str| TableAliasColumnDef {
        name: Ident::new(name),
        data_type: None,
    };
    match alias {
        Some(alias) if alias.columns.len() == arrays => alias.columns.push(column("ordinality")),
        Some(_) => {}
        // Unnamed, the columns are PostgreSQL's: `unnest` for each array, then `ordinality`.
        None => {
            let mut columns: Vec<_> = (0..arrays).map(|_| column("unnest")).collect();
            columns.push(column("ordinality"));
            *alias = Some(TableAlias {
                explicit: true,
                name: Ident::new("unnest"),
                columns,
                at: None,
            });
        }
    }
}
