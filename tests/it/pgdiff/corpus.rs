//! The corpus: `tests/pgdiff/<category>.sql`, one category per file. Queries are separated by
//! a blank line (so a query has none inside it); the comment lines above a query describe it
//! and are sent with it. A block of comments only (the file's header) is not a query.

use std::path::Path;

pub struct Query {
    /// The file's name without `.sql`.
    pub category: String,
    /// The line of the file the query's block starts on.
    pub line: usize,
    pub sql: String,
    /// Whether the query's result has a top-level ORDER BY, so its rows are compared in
    /// order; the corpus orders totally wherever it orders. Other results are compared as
    /// multisets.
    pub ordered: bool,
}

impl Query {
    /// `category:line`, as a failure names the query.
    pub fn place(&self) -> String {
        format!("{}.sql:{}", self.category, self.line)
    }
}

/// Every query of every `.sql` file in `dir`, the files in name order.
pub fn load(dir: &Path) -> Vec<Query> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut queries = Vec::new();
    for file in files {
        let category = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for (line, block) in blocks(&text) {
            queries.push(Query {
                category: category.clone(),
                line,
                ordered: has_top_level_order_by(&block),
                sql: block,
            });
        }
    }
    queries
}

/// The blocks of `text` that hold more than comments, each with its first line's number.
fn blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut flush = |current: &mut Vec<&str>, start: usize| {
        let is_query = current.iter().any(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with("--")
        });
        if is_query {
            blocks.push((start, current.join("\n")));
        }
        current.clear();
    };
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            flush(&mut current, start);
        } else {
            if current.is_empty() {
                start = index + 1;
            }
            current.push(line);
        }
    }
    flush(&mut current, start);
    blocks
}

/// Whether the statement's outermost query orders its rows: `ORDER BY` outside every
/// parenthesis (window frames, aggregates' ORDER BY, subqueries and CTE bodies are inside
/// one), string literal, quoted name and comment.
fn has_top_level_order_by(sql: &str) -> bool {
    let mut depth = 0usize;
    let mut words: Vec<String> = Vec::new();
    let mut chars = sql.chars().peekable();
    let mut word = String::new();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            if depth == 0 {
                words.push(std::mem::take(&mut word).to_ascii_lowercase());
            } else {
                word.clear();
            }
        }
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '\'' | '"' => {
                for next in chars.by_ref() {
                    if next == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    if !word.is_empty() && depth == 0 {
        words.push(word.to_ascii_lowercase());
    }
    words
        .windows(2)
        .any(|pair| pair[0] == "order" && pair[1] == "by")
}

#[test]
fn order_by_counts_only_at_the_top_level() {
    assert!(has_top_level_order_by("SELECT a FROM t ORDER BY a"));
    assert!(has_top_level_order_by(
        "-- order by nothing\nSELECT 1 UNION SELECT 2 ORDER BY 1"
    ));
    assert!(!has_top_level_order_by(
        "SELECT row_number() OVER (ORDER BY a) FROM t"
    ));
    assert!(!has_top_level_order_by(
        "-- comment: ORDER BY\nSELECT 'order by', \"order by\" FROM (SELECT 1 ORDER BY 1) s"
    ));
}
