//! `char(n)`, PostgreSQL's blank-padded text. A value is held without its padding, as an
//! Arrow string marked with the extension type `custlake.bpchar` and its length n; the wire
//! encoder pads it back to n characters when it is sent. That is PostgreSQL's own reading of
//! the type: trailing blanks are insignificant in comparisons, grouping and ordering, and are
//! removed when the value becomes text (`||`, `length`, `upper`, a cast to text or varchar).
//!
//! Where PostgreSQL does see the padding — `LIKE`, regular expressions, `octet_length`,
//! `concat` and `format`, which print the value as sent — and where a value would keep the
//! type through a function whose result here loses the mark (`min`, `max`, `coalesce`,
//! `CASE`, `array_agg`, window functions, `UNION`), the analyzer rule [`BlankPadding`]
//! refuses the query with 0A000 rather than answer with the padding missing. So does a
//! comparison with a literal that ends in a blank, which PostgreSQL reads as char(n) too.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, DataFusionError, Result, ScalarValue, exec_err};
use datafusion::config::ConfigOptions;
use datafusion::logical_expr::expr::{AggregateFunction, InList};
use datafusion::logical_expr::{
    Between, BinaryExpr, ColumnarValue, Documentation, Expr, ExprSchemable, LogicalPlan, Operator,
    ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::optimizer::AnalyzerRule;

use super::builtins::{all_scalar, columnar};
use crate::error::{SqlError, sqlstate};

/// The name of the function that `x::char(n)` becomes.
pub const FUNCTION: &str = "bpchar";

const EXTENSION_KEY: &str = "ARROW:extension:name";
const EXTENSION_METADATA_KEY: &str = "ARROW:extension:metadata";
const EXTENSION: &str = "custlake.bpchar";
/// PostgreSQL's limit on n.
const MAX_LENGTH: i64 = 10_485_760;

/// The n of a `char(n)` field, if the field is one.
pub fn length(field: &Field) -> Option<usize> {
    if !matches!(
        field.data_type(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    ) || field.metadata().get(EXTENSION_KEY).map(String::as_str) != Some(EXTENSION)
    {
        return None;
    }
    field.metadata().get(EXTENSION_METADATA_KEY)?.parse().ok()
}

fn field(name: &str, length: usize) -> Field {
    Field::new(name, DataType::Utf8, true).with_metadata(HashMap::from([
        (EXTENSION_KEY.to_string(), EXTENSION.to_string()),
        (EXTENSION_METADATA_KEY.to_string(), length.to_string()),
    ]))
}

/// The value of `text` as char(n) holds it: its first n characters, without trailing blanks.
fn unpadded(text: &str, length: usize) -> &str {
    let end = text
        .char_indices()
        .nth(length)
        .map_or(text.len(), |(at, _)| at);
    text[..end].trim_end_matches(' ')
}

static DOCUMENTATION: LazyLock<Documentation> = LazyLock::new(|| {
    Documentation::builder(
        super::builtins::DOC_SECTION,
        "Text as char(n): its first n characters, blank-padded to n when sent. `x::char(n)` \
         calls it.",
        "bpchar(text, n)",
    )
    .with_argument("text", "The text.")
    .with_argument("n", "The length, a constant from 1 to 10485760.")
    .with_sql_example("```sql\n> SELECT 'abcdef'::char(3), 'ab'::char(3) || '|';\n```")
    .build()
});

/// `bpchar(text, n)`: what `x::char(n)` is rewritten to.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Bpchar {
    signature: Signature,
}

impl Bpchar {
    pub fn new() -> Self {
        Self {
            signature: Signature::exact(
                vec![DataType::Utf8, DataType::Int64],
                Volatility::Immutable,
            ),
        }
    }
}

fn length_argument(value: Option<&ScalarValue>) -> Result<usize> {
    let Some(ScalarValue::Int64(Some(n))) = value else {
        return exec_err!("{FUNCTION} takes a constant length");
    };
    let refuse = |message: &str| {
        Err(DataFusionError::from(SqlError::new(
            sqlstate::INVALID_PARAMETER_VALUE,
            message,
        )))
    };
    match *n {
        n if n < 1 => refuse("length for type char must be at least 1"),
        n if n > MAX_LENGTH => refuse("length for type char cannot exceed 10485760"),
        n => usize::try_from(n).or_else(|_| refuse("length for type char is out of range")),
    }
}

impl ScalarUDFImpl for Bpchar {
    fn name(&self) -> &str {
        FUNCTION
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let n = length_argument(args.scalar_arguments.get(1).copied().flatten())?;
        Ok(Arc::new(field(FUNCTION, n)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = length(&args.return_field)
            .ok_or_else(|| DataFusionError::Internal(format!("{FUNCTION} lost its length")))?;
        let scalar = all_scalar(&args.args);
        let texts = args.args[0].to_array(args.number_rows)?;
        let texts = datafusion::arrow::array::as_string_array(&texts);
        let mut out = StringBuilder::with_capacity(texts.len(), texts.values().len());
        for text in texts.iter() {
            out.append_option(text.map(|t| unpadded(t, n)));
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&DOCUMENTATION)
    }
}

/// The analyzer rule of the module docs: refuses what would show that char(n) is held
/// without its padding.
#[derive(Debug, Default)]
pub struct BlankPadding;

fn refusal(what: &str) -> DataFusionError {
    DataFusionError::from(
        SqlError::new(
            sqlstate::FEATURE_NOT_SUPPORTED,
            format!("{what} of a char(n) value is not supported"),
        )
        .with_hint("Cast it to text or varchar first (x::text), which drops the padding."),
    )
}

fn is_blank_padded(expr: &Expr, schema: &DFSchema) -> bool {
    expr.to_field(schema)
        .is_ok_and(|(_, field)| length(&field).is_some())
}

/// A string literal ending in a blank, which PostgreSQL would compare as char(n).
fn ends_in_blank(expr: &Expr) -> bool {
    match expr {
        Expr::Literal(
            ScalarValue::Utf8(Some(s))
            | ScalarValue::Utf8View(Some(s))
            | ScalarValue::LargeUtf8(Some(s)),
            _,
        ) => s.ends_with(' '),
        Expr::Cast(cast) => ends_in_blank(&cast.expr),
        Expr::TryCast(cast) => ends_in_blank(&cast.expr),
        _ => false,
    }
}

/// Functions whose argument PostgreSQL reads as text, so without its padding.
const TEXT_FUNCTIONS: &[&str] = &[
    "length",
    "char_length",
    "character_length",
    "upper",
    "lower",
    "initcap",
    "btrim",
    "ltrim",
    "rtrim",
    "trim",
    "substr",
    "substring",
    "left",
    "right",
    "lpad",
    "rpad",
    "replace",
    "strpos",
    "position",
    "reverse",
    "split_part",
    "md5",
    "starts_with",
    "ascii",
    "bpchar",
];

/// Whether `parent` may take its child `child`, a char(n) value, without the padding showing.
fn takes_unpadded(parent: &Expr, child: &Expr) -> Result<()> {
    match parent {
        Expr::Alias(_)
        | Expr::Cast(_)
        | Expr::TryCast(_)
        | Expr::IsNull(_)
        | Expr::IsNotNull(_) => Ok(()),
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
            | Operator::IsDistinctFrom
            | Operator::IsNotDistinctFrom => {
                let other = if left.as_ref() == child { right } else { left };
                match ends_in_blank(other) {
                    true => Err(refusal("a comparison with a literal ending in a blank")),
                    false => Ok(()),
                }
            }
            Operator::StringConcat => Ok(()),
            Operator::RegexMatch
            | Operator::RegexIMatch
            | Operator::RegexNotMatch
            | Operator::RegexNotIMatch => Err(refusal("a regular expression match")),
            _ => Err(refusal(&format!("the operator {op}"))),
        },
        Expr::InList(InList { expr, list, .. }) => {
            match expr.as_ref() == child && list.iter().any(ends_in_blank) {
                true => Err(refusal("a comparison with a literal ending in a blank")),
                false => Ok(()),
            }
        }
        Expr::Between(Between { low, high, .. }) => {
            match ends_in_blank(low) || ends_in_blank(high) {
                true => Err(refusal("a comparison with a literal ending in a blank")),
                false => Ok(()),
            }
        }
        Expr::Like(_) | Expr::SimilarTo(_) => Err(refusal("LIKE or SIMILAR TO")),
        Expr::ScalarFunction(function) if TEXT_FUNCTIONS.contains(&function.name()) => Ok(()),
        Expr::ScalarFunction(function) => {
            Err(refusal(&format!("the function {}", function.name())))
        }
        Expr::AggregateFunction(AggregateFunction { func, params })
            if matches!(func.name(), "count" | "string_agg")
                && params.args.first() == Some(child) =>
        {
            Ok(())
        }
        Expr::AggregateFunction(AggregateFunction { func, .. }) => {
            Err(refusal(&format!("the aggregate {}", func.name())))
        }
        Expr::WindowFunction(window) => Err(refusal(&format!(
            "the window function {}",
            window.fun.name()
        ))),
        _ => Err(refusal("this expression")),
    }
}

/// Whether a char(n) value can appear in `node`'s expressions: one of its inputs has a
/// char(n) column, or an expression casts to char(n) or reads an outer char(n) column.
fn may_hold_blank_padded(node: &LogicalPlan) -> bool {
    node.inputs()
        .iter()
        .any(|input| input.schema().fields().iter().any(|f| length(f).is_some()))
        || node.expressions().iter().any(|expr| {
            expr.exists(|e| {
                Ok(match e {
                    Expr::ScalarFunction(function) => function.name() == FUNCTION,
                    Expr::OuterReferenceColumn(field, _) => length(field).is_some(),
                    _ => false,
                })
            })
            .unwrap_or(true)
        })
}

fn check_node(node: &LogicalPlan) -> Result<()> {
    if !may_hold_blank_padded(node) {
        return Ok(());
    }
    if let LogicalPlan::Union(union) = node
        && union
            .inputs
            .iter()
            .any(|input| input.schema().fields().iter().any(|f| length(f).is_some()))
    {
        return Err(refusal("UNION"));
    }
    let mut schema = DFSchema::empty();
    for input in node.inputs() {
        schema.merge(input.schema());
    }
    // The expressions themselves are outputs, sort keys, group keys or join keys, which keep
    // the value as it is; only what they are made of is checked.
    for expr in node.expressions() {
        expr.apply(|parent| {
            parent.apply_children(|child| {
                if is_blank_padded(child, &schema) {
                    takes_unpadded(parent, child)?;
                }
                Ok(TreeNodeRecursion::Continue)
            })?;
            Ok(TreeNodeRecursion::Continue)
        })?;
    }
    Ok(())
}

impl AnalyzerRule for BlankPadding {
    fn name(&self) -> &str {
        "pg_blank_padding"
    }

    fn analyze(&self, plan: LogicalPlan, _: &ConfigOptions) -> Result<LogicalPlan> {
        plan.apply_with_subqueries(|node| {
            check_node(node)?;
            Ok(TreeNodeRecursion::Continue)
        })?;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpadded_keeps_n_characters_without_trailing_blanks() {
        assert_eq!(unpadded("abcdef", 3), "abc");
        assert_eq!(unpadded("ab", 3), "ab");
        assert_eq!(unpadded("a b  c", 4), "a b");
        assert_eq!(unpadded("äöüß", 2), "äö");
        assert_eq!(unpadded("   ", 2), "");
    }

    #[test]
    fn only_marked_strings_have_a_length() {
        assert_eq!(length(&field("c", 3)), Some(3));
        assert_eq!(length(&Field::new("c", DataType::Utf8, true)), None);
        let not_text =
            Field::new("c", DataType::Int64, true).with_metadata(field("c", 3).metadata().clone());
        assert_eq!(length(&not_text), None);
    }
}
