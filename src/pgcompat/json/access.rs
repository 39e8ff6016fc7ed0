//! Reading inside a document: `j -> 'key'` (`json_object_field`), `j -> 2`
//! (`json_array_element`, negative from the end), `j #> '{a,b}'` (`json_extract_path`), each
//! with a `_text` form (`->>`, `#>>`) that gives a string's characters and SQL NULL for a JSON
//! null; the `jsonb_` functions likewise. A step that finds nothing is NULL.
//!
//! On `json` the element is its own text as written; on `jsonb`, its normal form.

use std::ops::Range;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::value::{self, array_index};
use super::{DOC_SECTION, JsonType, all_scalar, columnar, input::returned, is_null, sql, texts};

/// What one call steps by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// A key of an object.
    Field,
    /// An index into an array.
    Element,
    /// Keys and indexes in turn (text, variadic or one text[]).
    Path,
}

#[derive(Debug)]
pub struct JsonGet {
    name: String,
    input: JsonType,
    step: Step,
    as_text: bool,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonGet);

impl JsonGet {
    /// The name of the function for `input`, `step` and `as_text`.
    pub fn name_of(input: JsonType, step: Step, as_text: bool) -> String {
        let step = match step {
            Step::Field => "object_field",
            Step::Element => "array_element",
            Step::Path => "extract_path",
        };
        let text = if as_text { "_text" } else { "" };
        format!("{}_{step}{text}", input.name())
    }

    pub fn all() -> Vec<JsonGet> {
        let mut all = Vec::new();
        for input in [JsonType::Json, JsonType::Jsonb] {
            for step in [Step::Field, Step::Element, Step::Path] {
                for as_text in [false, true] {
                    let name = Self::name_of(input, step, as_text);
                    let (operator, syntax) = match step {
                        Step::Field => (if as_text { "->>" } else { "->" }, "(j, key)"),
                        Step::Element => (if as_text { "->>" } else { "->" }, "(j, index)"),
                        Step::Path => (if as_text { "#>>" } else { "#>" }, "(j, VARIADIC path)"),
                    };
                    let what = match as_text {
                        true => "as text",
                        false => "as",
                    };
                    all.push(JsonGet {
                        documentation: Documentation::builder(
                            DOC_SECTION,
                            format!(
                                "The element of a {} document at a key, index or path, {what} {} (the {operator} operator).",
                                input.name(),
                                if as_text { "" } else { input.name() }
                            ),
                            format!("{name}{syntax}"),
                        )
                        .build(),
                        name,
                        input,
                        step,
                        as_text,
                        signature: match step {
                            Step::Path => Signature::variadic_any(Volatility::Immutable),
                            _ => Signature::any(2, Volatility::Immutable),
                        },
                    });
                }
            }
        }
        all
    }
}

/// One row's steps.
enum Steps {
    Key(String),
    Index(i64),
    Path(Vec<String>),
}

impl ScalarUDFImpl for JsonGet {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(match self.as_text {
            true => Arc::new(Field::new(&self.name, DataType::Utf8, true)),
            false => returned(self.input, &self.name),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let Some((document, steps)) = args.args.split_first() else {
            return exec_err!("{} needs a document", self.name);
        };
        let document = texts(document, rows)?;
        let steps = self.steps(steps, rows)?;
        let mut out = StringBuilder::new();
        for row in 0..rows {
            let Some(steps) = steps(row)? else {
                out.append_null();
                continue;
            };
            if document.is_null(row) {
                out.append_null();
                continue;
            }
            match self.get(document.value(row), &steps)? {
                Some(found) => out.append_value(found),
                None => out.append_null(),
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

type RowSteps<'a> = Box<dyn Fn(usize) -> Result<Option<Steps>> + 'a>;

impl JsonGet {
    /// The steps of each row, read from the arguments after the document; `None` for a row
    /// where one of them is NULL.
    fn steps<'a>(&self, args: &'a [ColumnarValue], rows: usize) -> Result<RowSteps<'a>> {
        match (self.step, args) {
            (Step::Field, [key]) => {
                let keys = texts(key, rows)?;
                Ok(Box::new(move |row| {
                    Ok((!keys.is_null(row)).then(|| Steps::Key(keys.value(row).to_string())))
                }))
            }
            (Step::Element, [index]) => {
                let index = cast(&index.to_array(rows)?, &DataType::Int64)?;
                Ok(Box::new(move |row| {
                    let index = index.as_primitive::<Int64Type>();
                    Ok((!index.is_null(row)).then(|| Steps::Index(index.value(row))))
                }))
            }
            (Step::Path, [path])
                if matches!(path.data_type(), DataType::List(_) | DataType::LargeList(_)) =>
            {
                let list = path.to_array(rows)?;
                Ok(Box::new(move |row| {
                    if is_null(list.as_ref(), row) {
                        return Ok(None);
                    }
                    let steps = match list.data_type() {
                        DataType::LargeList(_) => list.as_list::<i64>().value(row),
                        _ => list.as_list::<i32>().value(row),
                    };
                    let steps = cast(&steps, &DataType::Utf8)?;
                    let steps: &StringArray = steps.as_string::<i32>();
                    // A NULL step finds nothing.
                    if steps.null_count() > 0 {
                        return Ok(None);
                    }
                    Ok(Some(Steps::Path(
                        steps.iter().flatten().map(str::to_string).collect(),
                    )))
                }))
            }
            (Step::Path, steps) => {
                let steps = steps
                    .iter()
                    .map(|s| texts(s, rows))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Box::new(move |row| {
                    if steps.iter().any(|s| s.is_null(row)) {
                        return Ok(None);
                    }
                    Ok(Some(Steps::Path(
                        steps.iter().map(|s| s.value(row).to_string()).collect(),
                    )))
                }))
            }
            _ => exec_err!("{} takes a document and one key or index", self.name),
        }
    }

    /// The element `steps` lead to in one document, as this function returns it.
    fn get(&self, document: &str, steps: &Steps) -> Result<Option<String>> {
        match self.input {
            JsonType::Jsonb => {
                let root = JsonType::Jsonb.read(document)?;
                let found = match steps {
                    Steps::Key(key) => root.member(key),
                    Steps::Index(index) => root.element(*index),
                    Steps::Path(path) => path.iter().try_fold(&root, |at, step| at.step(step)),
                };
                Ok(found.and_then(|found| match self.as_text {
                    true => found.as_text(),
                    false => Some(found.to_jsonb_text()),
                }))
            }
            JsonType::Json => {
                let Some(span) = locate(document, steps)? else {
                    return Ok(None);
                };
                let text = &document[span];
                if !self.as_text {
                    return Ok(Some(text.to_string()));
                }
                Ok(value::parse(text).map_err(sql)?.as_text_of(text))
            }
        }
    }
}

/// The span of the element `steps` lead to in a `json` text.
fn locate(document: &str, steps: &Steps) -> Result<Option<Range<usize>>> {
    let one;
    let path: &[String] = match steps {
        Steps::Path(path) => path,
        Steps::Key(key) => std::slice::from_ref(key),
        Steps::Index(_) => {
            one = [String::new()];
            &one
        }
    };
    let mut span = 0..document.len();
    if path.is_empty() {
        value::children(document).map_err(sql)?;
        return Ok(Some(trimmed(document, span)));
    }
    for step in path {
        let text = &document[span.clone()];
        let Some(children) = value::children(text).map_err(sql)? else {
            return Ok(None);
        };
        let is_object = text.trim_start().starts_with('{');
        let found = match (steps, is_object) {
            (Steps::Index(index), false) => {
                array_index(children.len(), *index).map(|i| &children[i])
            }
            (Steps::Index(_), true) | (Steps::Key(_), false) => None,
            (_, true) => children
                .iter()
                .rev()
                .find(|(key, _)| key.as_deref() == Some(step)),
            (_, false) => step
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|i| array_index(children.len(), i))
                .map(|i| &children[i]),
        };
        let Some((_, child)) = found else {
            return Ok(None);
        };
        span = span.start + child.start..span.start + child.end;
    }
    Ok(Some(span))
}

/// A span without the spaces around the value.
fn trimmed(text: &str, span: Range<usize>) -> Range<usize> {
    let inner = &text[span.clone()];
    let start = span.start + (inner.len() - inner.trim_start().len());
    let end = span.end - (inner.len() - inner.trim_end().len());
    start..end
}
