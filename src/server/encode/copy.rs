//! `COPY (query) TO STDOUT` and `COPY table TO STDOUT`: a result as the CopyData PostgreSQL
//! sends, one message per row, in its text, CSV or binary format.
//!
//! [`CopyOptions::read`] reads the statement's options (the parenthesised form and the old
//! one psql's `\copy … CSV HEADER` sends) and refuses those PostgreSQL refuses, with its
//! SQLSTATE; [`CopyEncoder`] writes each batch's rows, in messages as PostgreSQL cuts them.
//! Values are written by the same writers as query results (a value's COPY text is its text
//! output, escaped; its binary form its send function's), so a COPY gives the digits a SELECT
//! gives. pgwire's own COPY encoder is not used: it writes values through postgres-types' text forms rather than
//! PostgreSQL's output functions, and leaves out the escapes of `\b`, `\f`, `\v` and CSV's
//! ESCAPE.

use bytes::Bytes;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::sql::sqlparser::ast::{CopyLegacyCsvOption, CopyLegacyOption, CopyOption, Ident};
use pgwire::messages::copy::CopyData;

use super::writers::{self, Visit, Writer};
use super::{EncodeError, jsonb_columns, put_binary, render};
use crate::error::{SqlError, sqlstate};

/// The three formats of COPY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFormat {
    Text,
    Csv,
    Binary,
}

/// What a COPY TO writes, read from its options.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    pub format: CopyFormat,
    delimiter: u8,
    null: Vec<u8>,
    header: bool,
    quote: u8,
    escape: u8,
    /// Names of the columns whose values are always quoted (CSV).
    force_quote: Vec<String>,
}

fn syntax(message: String) -> SqlError {
    SqlError::new(sqlstate::SYNTAX_ERROR, message)
}

fn unsupported(message: impl Into<String>) -> SqlError {
    SqlError::new(sqlstate::FEATURE_NOT_SUPPORTED, message)
}

/// A one-byte character of an option (PostgreSQL's rule for DELIMITER, QUOTE, ESCAPE).
fn single_byte(option: &str, c: char) -> Result<u8, SqlError> {
    u8::try_from(c)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| syntax(format!("COPY {option} must be a single one-byte character")))
}

/// Sets an option given once; a second time is PostgreSQL's error.
fn set<T>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), SqlError> {
    if slot.is_some() {
        return Err(syntax(format!("conflicting or redundant options: {name}")));
    }
    *slot = Some(value);
    Ok(())
}

fn names(columns: &[Ident]) -> Vec<String> {
    columns.iter().map(super::super::session::folded).collect()
}

impl CopyOptions {
    /// The options of a COPY TO of `columns`.
    pub fn read(
        options: &[CopyOption],
        legacy: &[CopyLegacyOption],
        columns: &[String],
    ) -> Result<CopyOptions, SqlError> {
        let mut format = None;
        let (mut delimiter, mut null, mut header, mut quote, mut escape) =
            (None, None, None, None, None);
        let mut force_quote: Option<Vec<String>> = None;
        for option in options {
            match option {
                CopyOption::Format(name) => {
                    let f = match name.value.to_ascii_lowercase().as_str() {
                        "text" => CopyFormat::Text,
                        "csv" => CopyFormat::Csv,
                        "binary" => CopyFormat::Binary,
                        other => {
                            return Err(SqlError::new(
                                sqlstate::INVALID_PARAMETER_VALUE,
                                format!("COPY format \"{other}\" not recognized"),
                            ));
                        }
                    };
                    set(&mut format, f, "FORMAT")?;
                }
                CopyOption::Delimiter(c) => {
                    set(&mut delimiter, single_byte("delimiter", *c)?, "DELIMITER")?
                }
                CopyOption::Null(text) => set(&mut null, text.clone().into_bytes(), "NULL")?,
                CopyOption::Header(on) => set(&mut header, *on, "HEADER")?,
                CopyOption::Quote(c) => set(&mut quote, single_byte("quote", *c)?, "QUOTE")?,
                CopyOption::Escape(c) => set(&mut escape, single_byte("escape", *c)?, "ESCAPE")?,
                CopyOption::ForceQuote(columns) => {
                    set(&mut force_quote, names(columns), "FORCE_QUOTE")?
                }
                CopyOption::Encoding(encoding) => {
                    let e = encoding.to_ascii_uppercase().replace(['-', '_'], "");
                    if e != "UTF8" {
                        return Err(unsupported(format!(
                            "COPY encoding \"{encoding}\" is not supported: custlake writes UTF8"
                        )));
                    }
                }
                CopyOption::Freeze(_) => {
                    return Err(unsupported("COPY FREEZE is only available using COPY FROM"));
                }
                CopyOption::ForceNotNull(_) | CopyOption::ForceNull(_) => {
                    return Err(unsupported(
                        "COPY FORCE_NOT_NULL and FORCE_NULL are only available using COPY FROM",
                    ));
                }
            }
        }
        for option in legacy {
            match option {
                CopyLegacyOption::Binary => set(&mut format, CopyFormat::Binary, "BINARY")?,
                CopyLegacyOption::Delimiter(c) => {
                    set(&mut delimiter, single_byte("delimiter", *c)?, "DELIMITER")?
                }
                CopyLegacyOption::Null(text) => set(&mut null, text.clone().into_bytes(), "NULL")?,
                CopyLegacyOption::Csv(csv) => {
                    set(&mut format, CopyFormat::Csv, "CSV")?;
                    for option in csv {
                        match option {
                            CopyLegacyCsvOption::Header => set(&mut header, true, "HEADER")?,
                            CopyLegacyCsvOption::Quote(c) => {
                                set(&mut quote, single_byte("quote", *c)?, "QUOTE")?
                            }
                            CopyLegacyCsvOption::Escape(c) => {
                                set(&mut escape, single_byte("escape", *c)?, "ESCAPE")?
                            }
                            CopyLegacyCsvOption::ForceQuote(columns) => {
                                set(&mut force_quote, names(columns), "FORCE QUOTE")?
                            }
                            CopyLegacyCsvOption::ForceNotNull(_) => {
                                return Err(unsupported(
                                    "COPY FORCE NOT NULL is only available using COPY FROM",
                                ));
                            }
                        }
                    }
                }
                other => return Err(syntax(format!("COPY option {other} is not PostgreSQL's"))),
            }
        }
        let format = format.unwrap_or(CopyFormat::Text);
        if format == CopyFormat::Binary {
            for (given, name) in [
                (delimiter.is_some(), "DELIMITER"),
                (null.is_some(), "NULL"),
                (header.is_some(), "HEADER"),
            ] {
                if given {
                    return Err(syntax(format!("cannot specify {name} in BINARY mode")));
                }
            }
        }
        if format != CopyFormat::Csv {
            for (given, name) in [
                (quote.is_some(), "quote"),
                (escape.is_some(), "escape"),
                (force_quote.is_some(), "force quote"),
            ] {
                if given {
                    return Err(unsupported(format!(
                        "COPY {name} available only in CSV mode"
                    )));
                }
            }
        }
        let delimiter = delimiter.unwrap_or(if format == CopyFormat::Csv {
            b','
        } else {
            b'\t'
        });
        if matches!(delimiter, b'\n' | b'\r') {
            return Err(syntax(
                "COPY delimiter cannot be newline or carriage return".into(),
            ));
        }
        let null = null.unwrap_or_else(|| match format {
            CopyFormat::Csv => Vec::new(),
            _ => b"\\N".to_vec(),
        });
        let quote = quote.unwrap_or(b'"');
        if format == CopyFormat::Csv && quote == delimiter {
            return Err(syntax("COPY delimiter and quote must be different".into()));
        }
        let force_quote = force_quote.unwrap_or_default();
        if let Some(missing) = force_quote.iter().find(|c| !columns.contains(c)) {
            return Err(SqlError::new(
                sqlstate::INVALID_COLUMN_REFERENCE,
                format!("FORCE_QUOTE column \"{missing}\" not referenced by COPY"),
            ));
        }
        Ok(CopyOptions {
            format,
            delimiter,
            null,
            header: header.unwrap_or(false),
            quote,
            escape: escape.unwrap_or(quote),
            force_quote,
        })
    }
}

/// The binary format's file header: signature, flags, no extension.
const BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// Writes one result's rows as CopyData.
pub struct CopyEncoder {
    schema: SchemaRef,
    options: CopyOptions,
    /// Per column: whether it is jsonb (binary: a version byte first) and force-quoted.
    jsonb: Vec<bool>,
    forced: Vec<bool>,
    rows: Vec<Vec<u8>>,
    scratch: Vec<u8>,
    started: bool,
    /// Whether a message has carried the binary header.
    header_sent: bool,
}

impl CopyEncoder {
    pub fn new(schema: SchemaRef, options: CopyOptions) -> Result<Self, EncodeError> {
        let jsonb = jsonb_columns(&schema)?;
        let forced = schema
            .fields()
            .iter()
            .map(|f| options.force_quote.contains(f.name()))
            .collect();
        Ok(CopyEncoder {
            schema,
            options,
            jsonb,
            forced,
            rows: Vec::new(),
            scratch: Vec::new(),
            started: false,
            header_sent: false,
        })
    }

    /// The format code of the CopyOutResponse (0 text, 1 binary) and its column count.
    pub fn response_format(&self) -> (i8, usize) {
        let format = i8::from(self.options.format == CopyFormat::Binary);
        (format, self.schema.fields().len())
    }

    /// What comes before the first row: CSV's and text's HEADER line, a message of its own.
    /// (The binary header goes in the first row's message, as PostgreSQL sends it: psycopg
    /// reads the signature and the first row from one message.)
    pub fn start(&mut self, out: &mut Vec<CopyData>) {
        if std::mem::replace(&mut self.started, true) {
            return;
        }
        match self.options.format {
            CopyFormat::Binary => {}
            _ if self.options.header => {
                let mut line = Vec::new();
                let only = self.schema.fields().len() == 1;
                for (i, field) in self.schema.fields().iter().enumerate() {
                    if i > 0 {
                        line.push(self.options.delimiter);
                    }
                    match self.options.format {
                        CopyFormat::Csv => {
                            self.csv_value(field.name().as_bytes(), false, only, &mut line)
                        }
                        _ => self.text_value(field.name().as_bytes(), &mut line),
                    }
                }
                line.push(b'\n');
                out.push(CopyData::new(Bytes::from(line)));
            }
            _ => {}
        }
    }

    /// What comes after the last row: binary's trailer (after the header, if no row had it).
    pub fn finish(&mut self, out: &mut Vec<CopyData>) {
        if self.options.format == CopyFormat::Binary {
            let mut last = self.unsent_header();
            last.extend_from_slice(&(-1i16).to_be_bytes());
            out.push(CopyData::new(Bytes::from(last)));
        }
    }

    /// The binary header if no message has carried it yet, else nothing.
    fn unsent_header(&mut self) -> Vec<u8> {
        match std::mem::replace(&mut self.header_sent, true) {
            false => BINARY_HEADER.to_vec(),
            true => Vec::new(),
        }
    }

    /// One CopyData per row of the batch, appended to `out`; returns the number of rows.
    pub fn encode(
        &mut self,
        batch: &RecordBatch,
        out: &mut Vec<CopyData>,
    ) -> Result<usize, EncodeError> {
        self.start(out);
        let n = batch.num_rows();
        if self.rows.len() < n {
            self.rows.resize_with(n, Vec::new);
        }
        let columns = batch.num_columns();
        let mut rows = std::mem::take(&mut self.rows);
        for row in rows.iter_mut().take(n) {
            row.clear();
            if self.options.format == CopyFormat::Binary {
                if !self.header_sent {
                    row.extend_from_slice(&self.unsent_header());
                }
                row.extend_from_slice(&(columns as i16).to_be_bytes());
            }
        }
        let schema = std::sync::Arc::clone(&self.schema);
        for ((c, column), field) in batch.columns().iter().enumerate().zip(schema.fields()) {
            writers::dispatch_column(
                column.as_ref(),
                field,
                CopyColumn {
                    encoder: self,
                    rows: &mut rows[..n],
                    column: c,
                    only: columns == 1,
                },
            )?;
        }
        for row in rows.iter_mut().take(n) {
            if self.options.format != CopyFormat::Binary {
                row.push(b'\n');
            }
            out.push(CopyData::new(Bytes::copy_from_slice(row)));
        }
        self.rows = rows;
        Ok(n)
    }

    /// CopyAttributeOutText: backslash escapes for backslash, the delimiter and the named
    /// control characters.
    fn text_value(&self, value: &[u8], out: &mut Vec<u8>) {
        for &b in value {
            let escaped = match b {
                0x08 => Some(b'b'),
                0x0c => Some(b'f'),
                b'\n' => Some(b'n'),
                b'\r' => Some(b'r'),
                b'\t' => Some(b't'),
                0x0b => Some(b'v'),
                b'\\' => Some(b'\\'),
                b if b == self.options.delimiter => Some(b),
                _ => None,
            };
            match escaped {
                Some(e) => out.extend_from_slice(&[b'\\', e]),
                None => out.push(b),
            }
        }
    }

    /// CopyAttributeOutCSV: quoted when forced, when it reads as the NULL text, when it holds
    /// the delimiter, the quote or a line break, or when it is a lone `\.`.
    fn csv_value(&self, value: &[u8], forced: bool, only: bool, out: &mut Vec<u8>) {
        let o = &self.options;
        let quoted = forced
            || value == o.null.as_slice()
            || (only && value == b"\\.")
            || value
                .iter()
                .any(|&b| b == o.delimiter || b == o.quote || b == b'\n' || b == b'\r');
        if !quoted {
            out.extend_from_slice(value);
            return;
        }
        out.push(o.quote);
        for &b in value {
            if b == o.quote || b == o.escape {
                out.push(o.escape);
            }
            out.push(b);
        }
        out.push(o.quote);
    }
}

/// Writes one column's values into each row.
struct CopyColumn<'e, 'r> {
    encoder: &'e mut CopyEncoder,
    rows: &'r mut [Vec<u8>],
    column: usize,
    only: bool,
}

impl<'a> Visit<'a> for CopyColumn<'_, '_> {
    type Out = ();

    fn visit<W: Writer + 'a>(self, writer: W) -> Result<(), EncodeError> {
        let CopyColumn {
            encoder,
            rows,
            column,
            only,
        } = self;
        let format = encoder.options.format;
        let jsonb = encoder.jsonb[column];
        let forced = encoder.forced[column];
        let mut scratch = std::mem::take(&mut encoder.scratch);
        for (i, row) in rows.iter_mut().enumerate() {
            if format != CopyFormat::Binary && column > 0 {
                row.push(encoder.options.delimiter);
            }
            if writer.is_null(i) {
                match format {
                    CopyFormat::Binary => row.extend_from_slice(&render::NULL_LEN),
                    _ => row.extend_from_slice(&encoder.options.null),
                }
                continue;
            }
            scratch.clear();
            match format {
                CopyFormat::Binary => {
                    let at = render::begin_value(row);
                    put_binary(&writer, i, row, jsonb)?;
                    render::end_value(row, at)?;
                }
                CopyFormat::Text => {
                    writer.text(i, &mut scratch)?;
                    encoder.text_value(&scratch, row);
                }
                CopyFormat::Csv => {
                    writer.text(i, &mut scratch)?;
                    encoder.csv_value(&scratch, forced, only, row);
                }
            }
        }
        encoder.scratch = scratch;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv() -> CopyOptions {
        CopyOptions::read(&[CopyOption::Format(Ident::new("csv"))], &[], &[]).unwrap()
    }

    #[test]
    fn csv_quotes_as_postgres_does() {
        let encoder = CopyEncoder::new(
            std::sync::Arc::new(datafusion::arrow::datatypes::Schema::empty()),
            csv(),
        )
        .unwrap();
        let quoted = |v: &[u8]| {
            let mut out = Vec::new();
            encoder.csv_value(v, false, false, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(quoted(b"plain"), "plain");
        assert_eq!(quoted(b""), "\"\"");
        assert_eq!(quoted(b"a,b"), "\"a,b\"");
        assert_eq!(quoted(b"say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quoted(b"two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn text_escapes_as_postgres_does() {
        let encoder = CopyEncoder::new(
            std::sync::Arc::new(datafusion::arrow::datatypes::Schema::empty()),
            CopyOptions::read(&[], &[], &[]).unwrap(),
        )
        .unwrap();
        let mut out = Vec::new();
        encoder.text_value(b"a\tb\\c\nd\x01", &mut out);
        assert_eq!(out, b"a\\tb\\\\c\\nd\x01");
    }

    #[test]
    fn options_postgres_refuses_are_refused() {
        let binary = [CopyOption::Format(Ident::new("binary"))];
        let with = |extra: CopyOption| {
            let mut options = binary.to_vec();
            options.push(extra);
            CopyOptions::read(&options, &[], &[]).unwrap_err().code
        };
        assert_eq!(with(CopyOption::Header(true)), "42601");
        assert_eq!(with(CopyOption::Delimiter(';')), "42601");
        let text_quote = CopyOptions::read(&[CopyOption::Quote('\'')], &[], &[]).unwrap_err();
        assert_eq!(text_quote.code, "0A000");
        let format = CopyOptions::read(&[CopyOption::Format(Ident::new("xml"))], &[], &[]);
        assert_eq!(format.unwrap_err().code, "22023");
        let force = CopyOptions::read(
            &[
                CopyOption::Format(Ident::new("csv")),
                CopyOption::ForceQuote(vec![Ident::new("x")]),
            ],
            &[],
            &["a".to_string()],
        );
        assert_eq!(force.unwrap_err().code, "42P10");
    }
}
