//! The analytics against independent reference implementations, on real data.
//!
//! CDNOW (69,659 purchases of 23,570 customers, 1997–1998): `rfm(...)` as of 1998-07-01 must
//! agree exactly — recency, frequency, monetary and the three quintile scores of every
//! customer — with DuckDB's NTILE(5), cross-checked with pandas, as computed by
//! `tests/reference/cdnow_rfm.py` (its output and provenance are in `tests/reference/`).

use std::path::PathBuf;

use custlake::config::Config;
use custlake::engine::Engine;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int64Type;
use datafusion::arrow::util::pretty::pretty_format_batches;

use crate::common::scalar_i64;

fn reference_dir() -> PathBuf {
    crate::common::manifest_dir().join("tests/reference")
}

async fn cdnow_engine() -> Engine {
    let config = Config::load_from_str(
        r#"
        [[tables]]
        name = "cdnow_orders"
        location = "cdnow_orders.parquet"

        [[tables]]
        name = "duckdb_rfm"
        location = "cdnow_rfm_duckdb.parquet"
        "#,
        &reference_dir(),
    )
    .expect("config");
    Engine::build(&config)
        .await
        .expect("engine over the CDNOW reference files")
}

#[tokio::test]
async fn cdnow_rfm_agrees_with_duckdb_ntile() {
    let engine = cdnow_engine().await;
    let ours = "SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score \
                FROM rfm('cdnow_orders', DATE '1998-07-01')";
    assert_eq!(
        scalar_i64(&engine, &format!("SELECT count(*) FROM ({ours})")).await,
        23_570
    );
    assert_eq!(
        scalar_i64(&engine, "SELECT count(*) FROM duckdb_rfm").await,
        23_570
    );

    // Every customer on both sides, every column equal.
    let differences = format!(
        "SELECT o.*, d.* FROM ({ours}) o FULL JOIN duckdb_rfm d USING (customer_id)
         WHERE o.customer_id IS NULL OR d.customer_id IS NULL
            OR o.recency_days <> d.recency_days OR o.frequency <> d.frequency
            OR o.monetary <> d.monetary OR o.r_score <> d.r_score
            OR o.f_score <> d.f_score OR o.m_score <> d.m_score"
    );
    let batches = engine
        .session()
        .sql(&format!("{differences} ORDER BY 1 LIMIT 10"))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(
        rows,
        0,
        "first differences:\n{}",
        pretty_format_batches(&batches).unwrap()
    );

    // The totals the reference script printed (tests/reference/README.md).
    let totals = engine
        .session()
        .sql(&format!(
            "SELECT CAST(sum(recency_days) AS BIGINT), CAST(sum(frequency) AS BIGINT),
                    CAST(sum(monetary) * 100 AS BIGINT), CAST(sum(r_score) AS BIGINT)
             FROM ({ours})"
        ))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let value = |i: usize| totals[0].column(i).as_primitive::<Int64Type>().value(0);
    assert_eq!(
        (value(0), value(1), value(2), value(3)),
        (8_678_984, 69_659, 250_031_563, 70_710)
    );
}
