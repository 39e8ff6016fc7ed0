//! Saved segmentation queries: each `*.sql` file of a directory becomes a view in schema
//! `segments` — the file name is the view name, a leading comment its description.
//!
//! Analysts keep their segment definitions as files next to the lake; BI tools see them as
//! views to browse. Loading never stops at a bad file: every file that fails (unreadable, a
//! name that is no identifier, a parse error, a missing table or column, not a query) is
//! reported as `path:line:column: message`, and the others load. Views may use other views
//! (`FROM segments.rfm`); files are planned repeatedly until no more of them can be, so the
//! order of the files does not matter.
//!
//! A reload builds a complete new `segments` schema off to the side and swaps it in with one
//! catalog registration: a query that is being planned sees either the old views or the new
//! ones, never a mix.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use datafusion::catalog::{
    CatalogProvider, CatalogProviderList, MemoryCatalogProvider, MemoryCatalogProviderList,
    MemorySchemaProvider, SchemaProvider,
};
use datafusion::common::DataFusionError;
use datafusion::datasource::ViewTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::context::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::Statement;
use datafusion::sql::sqlparser::dialect::dialect_from_str;

use super::CATALOG;

/// The schema the saved queries appear in.
pub const SEGMENTS_SCHEMA: &str = "segments";

/// One loaded saved query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    /// The view name: the file name without `.sql`.
    pub name: String,
    pub path: PathBuf,
    /// The leading comment, if the file starts with one.
    pub description: Option<String>,
    /// The file's text.
    pub sql: String,
}

/// Why one file did not become a view. `line` and `column` start at 1; 0 means the problem is
/// the file as a whole (it could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFileError {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for QueryFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// What a (re)load did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// The views now in `segments`, by name.
    pub loaded: Vec<String>,
    pub errors: Vec<QueryFileError>,
}

/// The saved queries of an engine and the directory they come from.
#[derive(Debug)]
pub struct SavedQueries {
    dir: Option<PathBuf>,
    loaded: RwLock<Vec<SavedQuery>>,
}

impl SavedQueries {
    pub(crate) fn new(dir: Option<PathBuf>) -> Self {
        SavedQueries {
            dir,
            loaded: RwLock::new(Vec::new()),
        }
    }

    /// The directory the queries are read from, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The views loaded by the last (re)load, by name.
    pub fn list(&self) -> Vec<SavedQuery> {
        self.loaded
            .read()
            .map(|loaded| loaded.clone())
            .unwrap_or_default()
    }

    /// Reads every `*.sql` file of the directory, plans it against `state`'s tables, and
    /// replaces the `segments` schema of `state`'s catalog with the views that planned.
    pub(crate) async fn reload(&self, state: &SessionState) -> LoadReport {
        let Some(dir) = &self.dir else {
            return LoadReport::default();
        };
        let (files, mut errors) = read_files(dir);
        let (schema, loaded, plan_errors) = plan_views(state, files).await;
        errors.extend(plan_errors);
        errors.sort_by(|a, b| a.path.cmp(&b.path));

        if let Some(catalog) = state.catalog_list().catalog(CATALOG) {
            // The swap: one registration replaces the whole schema.
            if let Err(e) = catalog.register_schema(SEGMENTS_SCHEMA, schema) {
                errors.push(QueryFileError {
                    path: dir.clone(),
                    line: 0,
                    column: 0,
                    message: format!("cannot register schema {SEGMENTS_SCHEMA}: {e}"),
                });
            }
        }
        let report = LoadReport {
            loaded: loaded.iter().map(|q| q.name.clone()).collect(),
            errors,
        };
        if let Ok(mut slot) = self.loaded.write() {
            *slot = loaded;
        }
        report
    }
}

/// A file read and checked for its name, not yet planned.
struct QueryFile {
    query: SavedQuery,
    /// Where the statement starts (after the leading comment), for errors without a position.
    start: (u64, u64),
}

fn read_files(dir: &Path) -> (Vec<QueryFile>, Vec<QueryFileError>) {
    let mut errors = Vec::new();
    let whole = |path: &Path, message: String| QueryFileError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(whole(
                dir,
                format!("cannot read the saved-query directory: {e}"),
            ));
            return (Vec::new(), errors);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql") && path.is_file())
        .collect();
    paths.sort();

    let mut files = Vec::new();
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !crate::config::is_identifier(&name) {
            errors.push(QueryFileError {
                path,
                line: 1,
                column: 1,
                message: format!(
                    "'{name}' is not a view name: use lower-case letters, digits and _, not \
                     starting with a digit"
                ),
            });
            continue;
        }
        let sql = match std::fs::read_to_string(&path) {
            Ok(sql) => sql,
            Err(e) => {
                errors.push(whole(&path, format!("cannot read: {e}")));
                continue;
            }
        };
        let (description, start) = leading_comment(&sql);
        files.push(QueryFile {
            query: SavedQuery {
                name,
                path,
                description,
                sql,
            },
            start,
        });
    }
    (files, errors)
}

/// The description in the comment the file starts with (`--` lines or one `/* … */` block),
/// its lines joined by spaces; and the line and column where the SQL after it starts.
fn leading_comment(sql: &str) -> (Option<String>, (u64, u64)) {
    let mut parts: Vec<String> = Vec::new();
    let mut line_no = 1u64;
    let mut lines = sql.lines().peekable();
    let mut in_block = false;
    while let Some(line) = lines.peek() {
        let trimmed = line.trim();
        if in_block {
            let (text, closed) = match trimmed.find("*/") {
                Some(end) => (&trimmed[..end], true),
                None => (trimmed, false),
            };
            parts.push(text.trim_start_matches('*').trim().to_string());
            in_block = !closed;
        } else if let Some(text) = trimmed.strip_prefix("--") {
            parts.push(text.trim().to_string());
        } else if let Some(text) = trimmed.strip_prefix("/*") {
            let (text, closed) = match text.find("*/") {
                Some(end) => (&text[..end], true),
                None => (text, false),
            };
            parts.push(text.trim().to_string());
            in_block = !closed;
        } else if trimmed.is_empty() && parts.is_empty() {
            // Blank lines before the comment.
        } else {
            break;
        }
        lines.next();
        line_no += 1;
    }
    // The statement starts at the first non-blank line after the comment.
    while lines.peek().is_some_and(|line| line.trim().is_empty()) {
        lines.next();
        line_no += 1;
    }
    let column = lines
        .peek()
        .map(|line| (line.len() - line.trim_start().len()) as u64 + 1)
        .unwrap_or(1);
    let description = parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let description = (!description.is_empty()).then_some(description);
    (description, (line_no, column))
}

/// Plans the files into views of a new `segments` schema, retrying those that fail while
/// others succeed (a view may use a view planned later in file order).
async fn plan_views(
    state: &SessionState,
    files: Vec<QueryFile>,
) -> (
    Arc<dyn SchemaProvider>,
    Vec<SavedQuery>,
    Vec<QueryFileError>,
) {
    let segments: Arc<dyn SchemaProvider> = Arc::new(MemorySchemaProvider::new());
    let planner = planning_state(state, Arc::clone(&segments));
    let mut pending = files;
    let mut loaded = Vec::new();
    loop {
        let mut failed = Vec::new();
        let mut errors = Vec::new();
        let before = loaded.len();
        for file in pending {
            match plan_view(&planner, &file).await {
                Ok(plan) => {
                    let view = ViewTable::new(plan, Some(file.query.sql.clone()));
                    match segments.register_table(file.query.name.clone(), Arc::new(view)) {
                        Ok(_) => loaded.push(file.query),
                        Err(e) => {
                            errors.push(file_error(&file, &e));
                            failed.push(file);
                        }
                    }
                }
                Err(e) => {
                    errors.push(e);
                    failed.push(file);
                }
            }
        }
        if failed.is_empty() || loaded.len() == before {
            loaded.sort_by(|a: &SavedQuery, b| a.name.cmp(&b.name));
            return (segments, loaded, errors);
        }
        pending = failed;
    }
}

/// A state for planning the views: the engine's tables, the new `segments` schema in place of
/// the published one, and source spans on, so that plan errors carry a line and column.
fn planning_state(state: &SessionState, segments: Arc<dyn SchemaProvider>) -> SessionState {
    let catalog = MemoryCatalogProvider::new();
    if let Some(published) = state.catalog_list().catalog(CATALOG) {
        for name in published.schema_names() {
            if name != SEGMENTS_SCHEMA
                && let Some(schema) = published.schema(&name)
            {
                let _ = catalog.register_schema(&name, schema);
            }
        }
    }
    let _ = catalog.register_schema(SEGMENTS_SCHEMA, segments);
    let catalogs = MemoryCatalogProviderList::new();
    catalogs.register_catalog(CATALOG.to_string(), Arc::new(catalog));
    let mut config = state.config().clone();
    config.options_mut().sql_parser.collect_spans = true;
    // Else the builder would put a new, empty default catalog in place of this one.
    config
        .options_mut()
        .catalog
        .create_default_catalog_and_schema = false;
    SessionStateBuilder::new_from_existing(state.clone())
        .with_config(config)
        .with_catalog_list(Arc::new(catalogs))
        .build()
}

async fn plan_view(state: &SessionState, file: &QueryFile) -> Result<LogicalPlan, QueryFileError> {
    check_one_query(state, file)?;
    let plan = state
        .create_logical_plan(&file.query.sql)
        .await
        .map_err(|e| file_error(file, &e))?;
    // The view's columns are those of its analyzed plan: pgcompat's analyzer rules give some
    // results PostgreSQL's types (a numeric quotient's scale, date - interval a timestamp).
    state
        .analyzer()
        .execute_and_check(plan, state.config_options(), |_, _| {})
        .map_err(|e| file_error(file, &e))
}

/// A saved query must be one query: DDL or several statements would be run at every use.
/// (Separate from the planning so that the parser's dialect is not held across an await.)
fn check_one_query(state: &SessionState, file: &QueryFile) -> Result<(), QueryFileError> {
    let dialect_name = state.config().options().sql_parser.dialect.to_string();
    let dialect = dialect_from_str(&dialect_name).ok_or_else(|| QueryFileError {
        path: file.query.path.clone(),
        line: 0,
        column: 0,
        message: format!("unknown SQL dialect {dialect_name}"),
    })?;
    let statements = DFParser::parse_sql_with_dialect(&file.query.sql, dialect.as_ref())
        .map_err(|e| file_error(file, &e))?;
    let is_query = statements.len() == 1
        && matches!(statements.front(), Some(DfStatement::Statement(s)) if matches!(**s, Statement::Query(_)));
    if is_query {
        return Ok(());
    }
    let (line, column) = file.start;
    Err(QueryFileError {
        path: file.query.path.clone(),
        line,
        column,
        message: format!(
            "a saved query must be exactly one SELECT (or WITH … SELECT), found {} statement(s)",
            statements.len()
        ),
    })
}

/// The error with the best position known: the diagnostic span DataFusion attaches, the
/// "at Line: l, Column: c" of a parser error, else where the statement starts.
fn file_error(file: &QueryFile, error: &DataFusionError) -> QueryFileError {
    let message = crate::error::message_of(error);
    let position = error
        .diagnostic()
        .and_then(|d| d.span)
        .filter(|span| span.start.line > 0)
        .map(|span| (span.start.line, span.start.column))
        .or_else(|| parser_position(&message))
        .or_else(|| {
            message
                .contains("found: EOF")
                .then(|| end_of(&file.query.sql))
        })
        .unwrap_or(file.start);
    QueryFileError {
        path: file.query.path.clone(),
        line: position.0,
        column: position.1,
        message,
    }
}

/// The line and column just after the last character: where "found: EOF" is.
fn end_of(sql: &str) -> (u64, u64) {
    let text = sql.trim_end();
    let line = text.lines().count().max(1) as u64;
    let column = text.lines().last().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

/// "… at Line: 3, Column: 7" from a sqlparser error message.
fn parser_position(message: &str) -> Option<(u64, u64)> {
    let rest = &message[message.rfind("at Line: ")? + "at Line: ".len()..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_comments_become_the_description() {
        let (description, start) =
            leading_comment("-- Champions: the best.\n--   Bought recently.\n\nSELECT 1");
        assert_eq!(
            description.as_deref(),
            Some("Champions: the best. Bought recently.")
        );
        assert_eq!(start, (4, 1));
        let (description, start) = leading_comment("/* One\n * two */\n  SELECT 1");
        assert_eq!(description.as_deref(), Some("One two"));
        assert_eq!(start, (3, 3));
        assert_eq!(
            leading_comment("SELECT 1 -- not a description"),
            (None, (1, 1))
        );
    }

    #[test]
    fn parser_positions() {
        assert_eq!(
            parser_position("Expected: end of statement, found: x at Line: 3, Column: 17"),
            Some((3, 17))
        );
        assert_eq!(parser_position("no position"), None);
        assert_eq!(end_of("SELECT 1\nWHERE (\n\n"), (2, 8));
    }
}
