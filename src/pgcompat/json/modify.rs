//! New documents from old: `a || b` (`jsonb_concat`: objects merge, anything else joins as
//! arrays), `j - key`, `j - index`, `j - keys` (`jsonb_delete`), `j #- path`
//! (`jsonb_delete_path`), `jsonb_set`, `jsonb_insert`, and `json_strip_nulls` /
//! `jsonb_strip_nulls` (object members whose value is null go, recursively).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BooleanArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, FieldRef, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
};

use super::predicates::text_lists;
use super::value::{Json, array_index, sorted_object};
use super::{DOC_SECTION, JsonType, all_scalar, columnar, input::returned, sql, texts};
use crate::error::{SqlError, sqlstate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Change {
    Concat,
    Delete,
    DeletePath,
    Set,
    Insert,
    StripNulls(JsonType),
}

#[derive(Debug)]
pub struct JsonbModify {
    name: &'static str,
    change: Change,
    signature: Signature,
    documentation: Documentation,
}

known_by_name!(JsonbModify);

impl JsonbModify {
    pub fn all() -> Vec<JsonbModify> {
        let any = |n| Signature::any(n, Volatility::Immutable);
        let three_or_four = Signature::one_of(
            vec![
                datafusion::logical_expr::TypeSignature::Any(3),
                datafusion::logical_expr::TypeSignature::Any(4),
            ],
            Volatility::Immutable,
        );
        [
            ("jsonb_concat", Change::Concat, any(2), "Two jsonb values joined: objects merge, anything else as arrays (the || operator).", "jsonb_concat(a, b)"),
            ("jsonb_delete", Change::Delete, any(2), "A jsonb value without a key, keys, an array element by index, or matching string elements (the - operator).", "jsonb_delete(j, key)"),
            ("jsonb_delete_path", Change::DeletePath, any(2), "A jsonb value without the element at a path (the #- operator).", "jsonb_delete_path(j, path)"),
            ("jsonb_set", Change::Set, three_or_four.clone(), "A jsonb value with the element at a path replaced, or added when create_if_missing (default true).", "jsonb_set(target, path, new_value [, create_if_missing])"),
            ("jsonb_insert", Change::Insert, three_or_four, "A jsonb value with a new element at a path: before an array position (after, with insert_after), or a new key.", "jsonb_insert(target, path, new_value [, insert_after])"),
            ("jsonb_strip_nulls", Change::StripNulls(JsonType::Jsonb), any(1), "A jsonb value without the object members whose value is null, recursively.", "jsonb_strip_nulls(j)"),
            ("json_strip_nulls", Change::StripNulls(JsonType::Json), any(1), "A json value without the object members whose value is null, recursively.", "json_strip_nulls(j)"),
        ]
        .into_iter()
        .map(|(name, change, signature, what, syntax)| JsonbModify {
            name,
            change,
            signature,
            documentation: Documentation::builder(DOC_SECTION, what, syntax).build(),
        })
        .collect()
    }

    fn output(&self) -> JsonType {
        match self.change {
            Change::StripNulls(output) => output,
            _ => JsonType::Jsonb,
        }
    }
}

impl ScalarUDFImpl for JsonbModify {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(returned(self.output(), self.name))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = all_scalar(&args.args);
        let args = args.args;
        let documents = texts(&args[0], rows)?;
        let output = self.output();
        let mut out = StringBuilder::new();
        let mut emit = |row: usize, value: Option<Json>| match value {
            Some(v) if !documents.is_null(row) => out.append_value(output.write(&v)),
            _ => out.append_null(),
        };
        let read = |row: usize| output.read(documents.value(row));
        match self.change {
            Change::StripNulls(_) => {
                for row in 0..rows {
                    let value = (!documents.is_null(row)).then(|| read(row)).transpose()?;
                    emit(row, value.map(strip_nulls));
                }
            }
            Change::Concat => {
                let others = texts(&args[1], rows)?;
                for row in 0..rows {
                    let value = match documents.is_null(row) || others.is_null(row) {
                        true => None,
                        false => Some(concat(read(row)?, JsonType::Jsonb.read(others.value(row))?)),
                    };
                    emit(row, value);
                }
            }
            Change::Delete => match args[1].data_type() {
                t if t.is_integer() => {
                    let index = cast(&args[1].to_array(rows)?, &DataType::Int64)?;
                    let index = index.as_primitive::<Int64Type>();
                    for row in 0..rows {
                        let value = match documents.is_null(row) || index.is_null(row) {
                            true => None,
                            false => Some(delete_index(read(row)?, index.value(row))?),
                        };
                        emit(row, value);
                    }
                }
                DataType::List(_) | DataType::LargeList(_) => {
                    let keys = text_lists(&args[1], rows)?;
                    for (row, keys) in keys.into_iter().enumerate() {
                        let value = match (documents.is_null(row), keys) {
                            (false, Some(keys)) => Some(delete_keys(read(row)?, &keys)?),
                            _ => None,
                        };
                        emit(row, value);
                    }
                }
                _ => {
                    let keys = texts(&args[1], rows)?;
                    for row in 0..rows {
                        let value = match documents.is_null(row) || keys.is_null(row) {
                            true => None,
                            false => Some(delete_keys(read(row)?, &[keys.value(row).to_string()])?),
                        };
                        emit(row, value);
                    }
                }
            },
            Change::DeletePath | Change::Set | Change::Insert => {
                let paths = text_lists(&args[1], rows)?;
                let new_values = match self.change {
                    Change::DeletePath => None,
                    _ => Some(texts(&args[2], rows)?),
                };
                let flags = match args.get(3) {
                    Some(flag) => Some(cast(&flag.to_array(rows)?, &DataType::Boolean)?),
                    None => None,
                };
                let flags = flags.as_ref().map(|f| f.as_boolean().clone());
                let flag = |row: usize, default: bool| -> Option<bool> {
                    match &flags {
                        None => Some(default),
                        Some(f) => (!BooleanArray::is_null(f, row)).then(|| f.value(row)),
                    }
                };
                for (row, path) in paths.into_iter().enumerate() {
                    let Some(path) = path.filter(|_| !documents.is_null(row)) else {
                        emit(row, None);
                        continue;
                    };
                    let value = match (self.change, &new_values) {
                        (Change::DeletePath, _) => Some(delete_path(read(row)?, &path)?),
                        (change, Some(new_values)) if !new_values.is_null(row) => {
                            let new = JsonType::Jsonb.read(new_values.value(row))?;
                            match (change, flag(row, change == Change::Set)) {
                                (_, None) => None,
                                (Change::Set, Some(create)) => Some(set_path(
                                    read(row)?,
                                    &path,
                                    new,
                                    Placement::Replace { create },
                                )?),
                                (_, Some(after)) => Some(set_path(
                                    read(row)?,
                                    &path,
                                    new,
                                    Placement::Insert { after },
                                )?),
                            }
                        }
                        _ => None,
                    };
                    emit(row, value);
                }
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        Some(&self.documentation)
    }
}

fn refused(message: impl Into<String>) -> datafusion::error::DataFusionError {
    sql(SqlError::new(sqlstate::INVALID_PARAMETER_VALUE, message))
}

fn strip_nulls(value: Json) -> Json {
    match value {
        Json::Object(members) => Json::Object(
            members
                .into_iter()
                .filter(|(_, v)| *v != Json::Null)
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Json::Array(elements) => Json::Array(elements.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn concat(a: Json, b: Json) -> Json {
    match (a, b) {
        (Json::Object(mut members), Json::Object(more)) => {
            for (key, value) in more {
                match members.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => members.push((key, value)),
                }
            }
            sorted_object(members)
        }
        (a, b) => {
            let mut elements = match a {
                Json::Array(elements) => elements,
                other => vec![other],
            };
            match b {
                Json::Array(more) => elements.extend(more),
                other => elements.push(other),
            }
            Json::Array(elements)
        }
    }
}

fn delete_keys(value: Json, keys: &[String]) -> Result<Json> {
    match value {
        Json::Object(members) => Ok(Json::Object(
            members
                .into_iter()
                .filter(|(k, _)| !keys.contains(k))
                .collect(),
        )),
        Json::Array(elements) => Ok(Json::Array(
            elements
                .into_iter()
                .filter(|e| !matches!(e, Json::String(s) if keys.contains(s)))
                .collect(),
        )),
        _ => Err(refused("cannot delete from scalar")),
    }
}

fn delete_index(value: Json, index: i64) -> Result<Json> {
    match value {
        Json::Array(mut elements) => {
            if let Some(at) = array_index(elements.len(), index) {
                elements.remove(at);
            }
            Ok(Json::Array(elements))
        }
        Json::Object(_) => Err(refused("cannot delete from object using integer index")),
        _ => Err(refused("cannot delete from scalar")),
    }
}

/// An array step of a path, which must be an integer.
fn index_step(step: &str, position: usize) -> Result<i64> {
    step.trim().parse::<i64>().map_err(|_| {
        refused(format!(
            "path element at position {position} is not an integer: \"{step}\""
        ))
    })
}

fn delete_path(value: Json, path: &[String]) -> Result<Json> {
    if matches!(value, Json::Array(_) | Json::Object(_)) || path.is_empty() {
        delete_at(value, path, 1)
    } else {
        Err(refused("cannot delete path in scalar"))
    }
}

fn delete_at(value: Json, path: &[String], position: usize) -> Result<Json> {
    let Some((step, rest)) = path.split_first() else {
        return Ok(value);
    };
    Ok(match value {
        Json::Object(mut members) => {
            if let Some(at) = members.iter().position(|(k, _)| k == step) {
                if rest.is_empty() {
                    members.remove(at);
                } else {
                    let child = std::mem::replace(&mut members[at].1, Json::Null);
                    members[at].1 = delete_at(child, rest, position + 1)?;
                }
            }
            Json::Object(members)
        }
        Json::Array(mut elements) => {
            let index = index_step(step, position)?;
            if let Some(at) = array_index(elements.len(), index) {
                if rest.is_empty() {
                    elements.remove(at);
                } else {
                    let child = std::mem::replace(&mut elements[at], Json::Null);
                    elements[at] = delete_at(child, rest, position + 1)?;
                }
            }
            Json::Array(elements)
        }
        scalar => scalar,
    })
}

#[derive(Clone, Copy)]
enum Placement {
    /// jsonb_set: replace what is there, or add it when missing and `create`.
    Replace { create: bool },
    /// jsonb_insert: a new array element before (or `after`) the position, or a new key.
    Insert { after: bool },
}

fn set_path(value: Json, path: &[String], new: Json, placement: Placement) -> Result<Json> {
    if !matches!(value, Json::Array(_) | Json::Object(_)) {
        return Err(refused("cannot set path in scalar"));
    }
    set_at(value, path, new, placement, 1)
}

fn set_at(
    value: Json,
    path: &[String],
    new: Json,
    placement: Placement,
    position: usize,
) -> Result<Json> {
    let Some((step, rest)) = path.split_first() else {
        return Ok(value);
    };
    Ok(match value {
        Json::Object(mut members) => {
            match members.iter().position(|(k, _)| k == step) {
                Some(at) if rest.is_empty() => match placement {
                    Placement::Replace { .. } => members[at].1 = new,
                    Placement::Insert { .. } => {
                        return Err(refused("cannot replace existing key"));
                    }
                },
                Some(at) => {
                    let child = std::mem::replace(&mut members[at].1, Json::Null);
                    members[at].1 = set_at(child, rest, new, placement, position + 1)?;
                }
                None if rest.is_empty()
                    && matches!(
                        placement,
                        Placement::Insert { .. } | Placement::Replace { create: true }
                    ) =>
                {
                    members.push((step.clone(), new));
                    return Ok(sorted_object(members));
                }
                None => {}
            }
            Json::Object(members)
        }
        Json::Array(mut elements) => {
            let index = index_step(step, position)?;
            let len = elements.len() as i64;
            match array_index(elements.len(), index) {
                Some(at) if rest.is_empty() => match placement {
                    Placement::Replace { .. } => elements[at] = new,
                    Placement::Insert { after } => elements.insert(at + usize::from(after), new),
                },
                Some(at) => {
                    let child = std::mem::replace(&mut elements[at], Json::Null);
                    elements[at] = set_at(child, rest, new, placement, position + 1)?;
                }
                None if rest.is_empty()
                    && matches!(
                        placement,
                        Placement::Insert { .. } | Placement::Replace { create: true }
                    ) =>
                {
                    // Past the start goes first, past the end last.
                    if index < 0 && -index > len {
                        elements.insert(0, new);
                    } else {
                        elements.push(new);
                    }
                }
                None => {}
            }
            Json::Array(elements)
        }
        scalar => scalar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Json {
        JsonType::Jsonb.read(text).unwrap()
    }

    fn path(steps: &[&str]) -> Vec<String> {
        steps.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn changes_answer_as_postgres() {
        assert_eq!(
            concat(j(r#"{"a": 1}"#), j(r#"{"b": 2}"#)).to_jsonb_text(),
            r#"{"a": 1, "b": 2}"#
        );
        assert_eq!(
            concat(j(r#"["a", "b"]"#), j(r#"["a", "d"]"#)).to_jsonb_text(),
            r#"["a", "b", "a", "d"]"#
        );
        assert_eq!(
            concat(j(r#"{"a": 1}"#), j("1")).to_jsonb_text(),
            r#"[{"a": 1}, 1]"#
        );
        assert_eq!(
            delete_index(j("[1, 2, 3]"), 1).unwrap().to_jsonb_text(),
            "[1, 3]"
        );
        assert_eq!(
            delete_path(j(r#"["a", ["b", 1]]"#), &path(&["1", "1"]))
                .unwrap()
                .to_jsonb_text(),
            r#"["a", ["b"]]"#
        );
        let set = set_path(
            j(r#"[{"f1":1,"f2":null},2,null,3]"#),
            &path(&["0", "f1"]),
            j("[2,3,4]"),
            Placement::Replace { create: false },
        );
        assert_eq!(
            set.unwrap().to_jsonb_text(),
            r#"[{"f1": [2, 3, 4], "f2": null}, 2, null, 3]"#
        );
        let ins = set_path(
            j(r#"{"a": [0,1,2]}"#),
            &path(&["a", "1"]),
            j(r#""new_value""#),
            Placement::Insert { after: true },
        );
        assert_eq!(
            ins.unwrap().to_jsonb_text(),
            r#"{"a": [0, 1, "new_value", 2]}"#
        );
        assert!(delete_keys(j("1"), &path(&["a"])).is_err());
        assert_eq!(
            strip_nulls(j(r#"{"a": 1, "b": null, "c": {"d": null}}"#)).to_jsonb_text(),
            r#"{"a": 1, "c": {}}"#
        );
    }
}
