//! JSON text and values as PostgreSQL reads and writes them.
//!
//! PostgreSQL has two JSON types over the same grammar (RFC 8259): `json` keeps the text as
//! written (spaces, key order, duplicate keys), so `->` returns the element's own text;
//! `jsonb` keeps a value, written back in one normal form: keys sorted by length then bytes,
//! the last of duplicate keys, numbers as `numeric` writes them (`1e2` is `100`), `", "` and
//! `": "` between items. Both are held as Arrow strings; a `jsonb` string is always in the
//! normal form, so equal text is an equal value except for the scale of numbers.
//!
//! The parser is written here rather than taken from serde_json or jiter because both types
//! need what those do not give: each element's span in the source text (for `json`), and
//! each number's digits as written (for `jsonb`, which keeps `1.50` as `1.50`).

use std::cmp::Ordering;
use std::ops::Range;

use crate::error::{SqlError, sqlstate};
use crate::pgcompat::text_out::put_json_str;

/// A JSON value; numbers keep their text (as written, or normalised for `jsonb`).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// What a writer puts between items and after a key.
#[derive(Debug, Clone, Copy)]
pub struct Separators {
    pub items: &'static [u8],
    pub key: &'static [u8],
}

impl Separators {
    /// jsonb's normal form: `{"a": 1, "b": [1, 2]}`.
    pub const JSONB: Separators = Separators {
        items: b", ",
        key: b": ",
    };
    /// What PostgreSQL's json functions write: `{"a":1,"b":[1,2]}`.
    pub const COMPACT: Separators = Separators {
        items: b",",
        key: b":",
    };
}

/// Deepest nesting accepted. Parsing, writing and comparing walk the tree recursively, so a
/// bound keeps any document within a thread's stack (a deeper one would abort the server);
/// PostgreSQL's own bound is its stack depth, some thousands of levels.
pub const MAX_DEPTH: usize = 256;

/// Largest decimal exponent a number may have (numeric's limit is about this).
const MAX_EXPONENT: i64 = 1000;

fn invalid(detail: impl std::fmt::Display) -> SqlError {
    SqlError::new(
        sqlstate::INVALID_TEXT_REPRESENTATION,
        format!("invalid input syntax for type json: {detail}"),
    )
}

fn too_deep() -> SqlError {
    SqlError::new(
        sqlstate::STATEMENT_TOO_COMPLEX,
        "stack depth limit exceeded: a JSON document is nested more than 256 levels deep",
    )
}

/// Reads one JSON document from `text`, as `json` and `jsonb` input do.
pub fn parse(text: &str) -> Result<Json, SqlError> {
    let mut parser = Parser { text, pos: 0 };
    let value = parser.value(0)?;
    parser.end()?;
    Ok(value)
}

/// A document's direct children: `(key, span)` per member of an object (key `None` for array
/// elements).
pub type Children = Vec<(Option<String>, Range<usize>)>;

/// The spans of a document's direct children, or `None` when the document is a scalar.
pub fn children(text: &str) -> Result<Option<Children>, SqlError> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_space();
    let children = match parser.peek() {
        Some(b'{') | Some(b'[') => {
            let mut children = Vec::new();
            parser.container(|parser, key| {
                parser.skip_space();
                let start = parser.pos;
                parser.value(1)?;
                children.push((key, start..parser.pos));
                Ok(())
            })?;
            Some(children)
        }
        _ => {
            parser.value(0)?;
            None
        }
    };
    parser.end()?;
    Ok(children)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn end(&mut self) -> Result<(), SqlError> {
        self.skip_space();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.token_error()),
        }
    }

    /// PostgreSQL names the offending token: the run of letters, digits or one character.
    fn token_error(&self) -> SqlError {
        let rest = &self.text[self.pos..];
        if rest.is_empty() {
            return invalid("the input ends unexpectedly");
        }
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
            .collect();
        let token = if word.is_empty() {
            rest.chars().next().map(String::from).unwrap_or_default()
        } else {
            word
        };
        invalid(format!("token \"{token}\" is invalid"))
    }

    fn expect(&mut self, byte: u8) -> Result<(), SqlError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.token_error())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SqlError> {
        self.skip_space();
        // Containers at depths 0 to MAX_DEPTH - 1: MAX_DEPTH levels.
        if depth >= MAX_DEPTH && matches!(self.peek(), Some(b'{' | b'[')) {
            return Err(too_deep());
        }
        match self.peek() {
            Some(b'{') => {
                let mut members = Vec::new();
                self.container(|parser, key| {
                    let value = parser.value(depth + 1)?;
                    members.push((key.unwrap_or_default(), value));
                    Ok(())
                })?;
                Ok(Json::Object(members))
            }
            Some(b'[') => {
                let mut elements = Vec::new();
                self.container(|parser, _| {
                    elements.push(parser.value(depth + 1)?);
                    Ok(())
                })?;
                Ok(Json::Array(elements))
            }
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => Ok(Json::Number(self.number()?.to_string())),
            _ => {
                for (word, value) in [
                    ("true", Json::Bool(true)),
                    ("false", Json::Bool(false)),
                    ("null", Json::Null),
                ] {
                    let rest = &self.text.as_bytes()[self.pos..];
                    if rest.starts_with(word.as_bytes())
                        && !rest
                            .get(word.len())
                            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    {
                        self.pos += word.len();
                        return Ok(value);
                    }
                }
                Err(self.token_error())
            }
        }
    }

    /// An object or array at the cursor; `member` reads each value (the cursor before it),
    /// given the member's key for objects.
    fn container(
        &mut self,
        mut member: impl FnMut(&mut Self, Option<String>) -> Result<(), SqlError>,
    ) -> Result<(), SqlError> {
        let (open, close) = match self.peek() {
            Some(b'{') => (b'{', b'}'),
            _ => (b'[', b']'),
        };
        self.expect(open)?;
        self.skip_space();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let key = if open == b'{' {
                self.skip_space();
                if self.peek() != Some(b'"') {
                    return Err(self.token_error());
                }
                let key = self.string()?;
                self.expect(b':')?;
                Some(key)
            } else {
                None
            };
            member(self, key)?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.token_error()),
            }
        }
    }

    fn string(&mut self) -> Result<String, SqlError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(stop) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') else {
                return Err(invalid("the input ends unexpectedly"));
            };
            out.push_str(&rest[..stop]);
            self.pos += stop;
            match self.text.as_bytes()[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = self
                        .peek()
                        .ok_or_else(|| invalid("the input ends unexpectedly"))?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            let c = self.text[self.pos - 1..].chars().next().unwrap_or('?');
                            return Err(invalid(format!("escape sequence \"\\{c}\" is invalid")));
                        }
                    }
                }
                _ => return Err(invalid("a control character must be escaped")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SqlError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| invalid("\"\\u\" must be followed by four hexadecimal digits"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16)
            .map_err(|_| invalid("\"\\u\" must be followed by four hexadecimal digits"))
    }

    fn unicode_escape(&mut self) -> Result<char, SqlError> {
        let first = self.hex4()?;
        let code = match first {
            0 => {
                return Err(SqlError::new(
                    sqlstate::UNTRANSLATABLE_CHARACTER,
                    "unsupported Unicode escape sequence: \\u0000 cannot be converted to text",
                ));
            }
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(invalid("a Unicode high surrogate must not be alone"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(invalid("a Unicode high surrogate must not be alone"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(invalid(
                    "a Unicode low surrogate must follow a high surrogate",
                ));
            }
            code => code,
        };
        char::from_u32(code).ok_or_else(|| invalid("invalid Unicode escape"))
    }

    /// A number's text, checked against the grammar (no leading zeros, digits after a point).
    fn number(&mut self) -> Result<&str, SqlError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = self.pos;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        let whole_start = pos;
        let whole = digits(&mut pos);
        let mut valid = whole > 0 && !(whole > 1 && bytes[whole_start] == b'0');
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            valid &= digits(&mut pos) > 0;
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            valid &= digits(&mut pos) > 0;
        }
        valid &= !bytes
            .get(pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.');
        if !valid {
            return Err(self.token_error());
        }
        self.pos = pos;
        Ok(&self.text[start..pos])
    }
}

/// A JSON number's text as PostgreSQL's `numeric` writes it: no exponent, the scale the
/// digits and exponent give (`1.50e1` is `15.0`), no sign on zero.
pub fn normal_number(text: &str) -> Result<String, SqlError> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            &unsigned[..at],
            unsigned[at + 1..].parse::<i64>().unwrap_or(i64::MAX),
        ),
        None => (unsigned, 0),
    };
    if exponent.abs() > MAX_EXPONENT {
        return Err(SqlError::new(
            sqlstate::NUMERIC_VALUE_OUT_OF_RANGE,
            "value overflows numeric format",
        ));
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{whole}{fraction}");
    // value = digits × 10^(exponent − fraction digits); the scale never goes below zero.
    let shift = exponent - fraction.len() as i64;
    let scale = (-shift).max(0) as usize;
    let mut all = digits;
    if shift > 0 {
        all.extend(std::iter::repeat_n('0', shift as usize));
    }
    if all.len() <= scale {
        let pad = scale + 1 - all.len();
        all.insert_str(0, &"0".repeat(pad));
    }
    let (int_part, frac_part) = all.split_at(all.len() - scale);
    let int_part = int_part.trim_start_matches('0');
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let is_zero = int_part == "0" && frac_part.bytes().all(|b| b == b'0');
    let mut out = String::with_capacity(int_part.len() + frac_part.len() + 2);
    if negative && !is_zero {
        out.push('-');
    }
    out.push_str(int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    Ok(out)
}

/// An object of unique keys in jsonb's order of keys.
pub fn sorted_object(mut members: Vec<(String, Json)>) -> Json {
    members.sort_by(|(a, _), (b, _)| key_order(a, b));
    Json::Object(members)
}

/// Orders object keys as jsonb stores them: shorter first, then by bytes.
fn key_order(a: &str, b: &str) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

impl Json {
    /// The jsonb value of a document read as `json`: numbers normalised, keys sorted and
    /// unique (the last of duplicates).
    pub fn into_jsonb(self) -> Result<Json, SqlError> {
        Ok(match self {
            Json::Number(n) => Json::Number(normal_number(&n)?),
            Json::Array(elements) => Json::Array(
                elements
                    .into_iter()
                    .map(Json::into_jsonb)
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(members) => {
                let mut normal: Vec<(String, Json)> = Vec::with_capacity(members.len());
                for (key, value) in members {
                    let value = value.into_jsonb()?;
                    match normal.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => normal.push((key, value)),
                    }
                }
                normal.sort_by(|(a, _), (b, _)| key_order(a, b));
                Json::Object(normal)
            }
            other => other,
        })
    }

    /// Writes the value in jsonb's normal form.
    pub fn write_jsonb(&self, out: &mut Vec<u8>) {
        self.write_with(out, Separators::JSONB);
    }

    /// Writes the value with `separators` between items and after keys.
    pub fn write_with(&self, out: &mut Vec<u8>, separators: Separators) {
        match self {
            Json::Array(elements) => {
                out.push(b'[');
                for (i, element) in elements.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(separators.items);
                    }
                    element.write_with(out, separators);
                }
                out.push(b']');
            }
            Json::Object(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(separators.items);
                    }
                    put_json_str(out, key.as_bytes());
                    out.extend_from_slice(separators.key);
                    value.write_with(out, separators);
                }
                out.push(b'}');
            }
            scalar => scalar.write_scalar(out),
        }
    }

    pub fn to_jsonb_text(&self) -> String {
        let mut out = Vec::new();
        self.write_jsonb(&mut out);
        utf8(out)
    }

    /// Writes a scalar (the same in every form); containers write nothing here.
    pub fn write_scalar(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Json::Number(n) => out.extend_from_slice(n.as_bytes()),
            Json::String(s) => put_json_str(out, s.as_bytes()),
            Json::Array(_) | Json::Object(_) => {}
        }
    }

    /// The text `->>` gives: a string's characters, anything else as jsonb text; `None` for
    /// a JSON null.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            other => Some(other.to_jsonb_text()),
        }
    }

    /// The text `->>` gives of an element of a `json` text whose own text is `text`.
    pub fn as_text_of(&self, text: &str) -> Option<String> {
        match self {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            _ => Some(text.to_string()),
        }
    }

    /// `jsonb_typeof`'s name of the value's kind.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// The member `key` of an object (the last of duplicates, as PostgreSQL's `->` on json).
    pub fn member(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The element at `index` of an array, counting from the end when negative.
    pub fn element(&self, index: i64) -> Option<&Json> {
        match self {
            Json::Array(elements) => array_index(elements.len(), index).map(|i| &elements[i]),
            _ => None,
        }
    }

    /// One step of a path: a key of an object, or an index (its text) into an array.
    pub fn step(&self, step: &str) -> Option<&Json> {
        match self {
            Json::Object(_) => self.member(step),
            Json::Array(_) => step
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|i| self.element(i)),
            _ => None,
        }
    }

    /// Whether `self` contains `other` as jsonb's `@>` decides.
    pub fn contains(&self, other: &Json) -> bool {
        self.contains_at(other, true)
    }

    fn contains_at(&self, other: &Json, top: bool) -> bool {
        match (self, other) {
            (Json::Object(_), Json::Object(wanted)) => wanted.iter().all(|(key, value)| {
                self.member(key).is_some_and(|have| match (have, value) {
                    (Json::Object(_), Json::Object(_)) | (Json::Array(_), Json::Array(_)) => {
                        have.contains_at(value, false)
                    }
                    _ => have.equals(value),
                })
            }),
            (Json::Array(elements), Json::Array(wanted)) => wanted.iter().all(|value| {
                elements.iter().any(|have| match (have, value) {
                    (Json::Object(_), Json::Object(_)) | (Json::Array(_), Json::Array(_)) => {
                        have.contains_at(value, false)
                    }
                    _ => have.equals(value),
                })
            }),
            // A top-level array contains a scalar that is one of its elements.
            (Json::Array(elements), scalar) if top && !matches!(scalar, Json::Object(_)) => {
                elements.iter().any(|have| have.equals(scalar))
            }
            (Json::Array(_) | Json::Object(_), _) | (_, Json::Array(_) | Json::Object(_)) => false,
            (a, b) => a.equals(b),
        }
    }

    /// jsonb equality: numbers by value (`1.0` equals `1.00`), objects by their members.
    pub fn equals(&self, other: &Json) -> bool {
        match (self, other) {
            (Json::Number(a), Json::Number(b)) => numbers_equal(a, b),
            (Json::Array(a), Json::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (Json::Object(a), Json::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(key, value)| other.member(key).is_some_and(|v| value.equals(v)))
            }
            (a, b) => a == b,
        }
    }

    /// Whether `key` is a top-level key of an object, a string element of an array, or the
    /// string itself (jsonb's `?`).
    pub fn has_key(&self, key: &str) -> bool {
        match self {
            Json::Object(_) => self.member(key).is_some(),
            Json::Array(elements) => elements
                .iter()
                .any(|e| matches!(e, Json::String(s) if s == key)),
            Json::String(s) => s == key,
            _ => false,
        }
    }
}

/// Normalised numbers are equal when their digits agree after trailing fraction zeros go.
fn numbers_equal(a: &str, b: &str) -> bool {
    fn trimmed(n: &str) -> &str {
        match n.contains('.') {
            true => n.trim_end_matches('0').trim_end_matches('.'),
            false => n,
        }
    }
    match (normal_number(a), normal_number(b)) {
        (Ok(a), Ok(b)) => trimmed(&a) == trimmed(&b),
        _ => a == b,
    }
}

/// An array position from a possibly negative index, `None` past either end.
pub fn array_index(len: usize, index: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let at = if index < 0 { len + index } else { index };
    (0..len).contains(&at).then_some(at as usize)
}

/// Text written by the JSON writers, which write only UTF-8 (escapes are ASCII).
pub fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonb(text: &str) -> String {
        parse(text).unwrap().into_jsonb().unwrap().to_jsonb_text()
    }

    #[test]
    fn jsonb_normal_form_is_postgres() {
        assert_eq!(
            jsonb(r#"{"b": 1, "aa": 2, "a": 3}"#),
            r#"{"a": 3, "b": 1, "aa": 2}"#
        );
        assert_eq!(jsonb(r#"{"b":1,"a":2,"a":3}"#), r#"{"a": 3, "b": 1}"#);
        assert_eq!(
            jsonb("[1e2, 0.10, -0, -0.0, 1.50e1, 1e-2]"),
            "[100, 0.10, 0, 0.0, 15.0, 0.01]"
        );
        assert_eq!(jsonb(r#""a\/b\u00e9\n""#), "\"a/bé\\n\"");
        assert_eq!(jsonb(r#""\ud83d\ude00""#), "\"😀\"");
        assert_eq!(jsonb(" [ ] "), "[]");
    }

    #[test]
    fn bad_documents_are_refused() {
        for bad in [
            "x",
            "01",
            "1.",
            ".5",
            "[1,]",
            "{\"a\" 1}",
            "\"\\u0000\"",
            "[1] 2",
            "",
            "tru",
            "nul",
            "\"a\nb\"",
            "1e99999",
        ] {
            assert!(parse(bad).and_then(Json::into_jsonb).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn containment_and_equality_follow_jsonb() {
        let j = |t: &str| parse(t).unwrap().into_jsonb().unwrap();
        assert!(j(r#"{"a": 1, "b": 2}"#).contains(&j(r#"{"a": 1}"#)));
        assert!(!j(r#"{"a": 1}"#).contains(&j(r#"{"a": 1, "b": 2}"#)));
        assert!(j("[1, 2, 3]").contains(&j("[3, 1]")));
        assert!(j(r#"["foo", "bar"]"#).contains(&j(r#""foo""#)));
        assert!(!j(r#"{"a": [1, 2]}"#).contains(&j(r#"{"a": 1}"#)));
        assert!(j(r#"{"a": [1, 2]}"#).contains(&j(r#"{"a": [2]}"#)));
        assert!(j(r#"{"a": 1.0}"#).equals(&j(r#"{"a": 1.00}"#)));
        assert!(!j("[1, 2]").equals(&j("[2, 1]")));
    }

    #[test]
    fn children_are_spans_of_the_text() {
        let text = r#" {"a" :  [1, 2] , "b":"x"}"#;
        let kids = children(text).unwrap().unwrap();
        assert_eq!(kids[0].0.as_deref(), Some("a"));
        assert_eq!(&text[kids[0].1.clone()], "[1, 2]");
        assert_eq!(&text[kids[1].1.clone()], "\"x\"");
        assert!(children("3").unwrap().is_none());
    }
}
