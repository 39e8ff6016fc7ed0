//! `pg_get_keywords()`: the keywords of the SQL this server parses — sqlparser's, which is
//! what custlake's grammar is — with PostgreSQL's columns. A keyword that cannot be a column
//! alias without `AS` is reported as reserved (`R`), every other one as unreserved (`U`); the
//! finer categories of PostgreSQL's own grammar (`C`, `T`) do not exist in this parser.

use std::sync::Arc;

use datafusion::arrow::array::{BooleanArray, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, plan_err};
use datafusion::datasource::MemTable;
use datafusion::sql::sqlparser::keywords::{
    ALL_KEYWORDS, ALL_KEYWORDS_INDEX, RESERVED_FOR_COLUMN_ALIAS,
};

#[derive(Debug, Default)]
pub struct PgGetKeywords;

impl TableFunctionImpl for PgGetKeywords {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        if !args.exprs().is_empty() {
            return plan_err!("pg_get_keywords() takes no arguments");
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("word", DataType::Utf8, false),
            Field::new("catcode", DataType::Utf8, false),
            Field::new("barelabel", DataType::Boolean, false),
            Field::new("catdesc", DataType::Utf8, false),
            Field::new("baredesc", DataType::Utf8, false),
        ]));
        let mut words = Vec::with_capacity(ALL_KEYWORDS.len());
        let mut codes = Vec::with_capacity(ALL_KEYWORDS.len());
        let mut bare = Vec::with_capacity(ALL_KEYWORDS.len());
        let mut descriptions = Vec::with_capacity(ALL_KEYWORDS.len());
        let mut bare_descriptions = Vec::with_capacity(ALL_KEYWORDS.len());
        for (word, keyword) in ALL_KEYWORDS.iter().zip(ALL_KEYWORDS_INDEX) {
            let reserved = RESERVED_FOR_COLUMN_ALIAS.contains(keyword);
            words.push(word.to_ascii_lowercase());
            codes.push(if reserved { "R" } else { "U" });
            bare.push(!reserved);
            descriptions.push(if reserved { "reserved" } else { "unreserved" });
            bare_descriptions.push(if reserved {
                "requires AS"
            } else {
                "can be bare label"
            });
        }
        let batch = RecordBatch::try_new(
            Arc::clone(&schema),
            vec![
                Arc::new(StringArray::from(words)),
                Arc::new(StringArray::from(codes)),
                Arc::new(BooleanArray::from(bare)),
                Arc::new(StringArray::from(descriptions)),
                Arc::new(StringArray::from(bare_descriptions)),
            ],
        )?;
        Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
    }
}
