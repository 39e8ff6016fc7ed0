-- The lake's tables as DuckDB views over the same Parquet files custlake serves.
CREATE VIEW customers AS SELECT * FROM read_parquet('{lake}/customers/*.parquet');
CREATE VIEW orders AS SELECT * FROM read_parquet('{lake}/orders/*.parquet');
CREATE VIEW interactions AS SELECT * FROM read_parquet('{lake}/interactions/*.parquet');
CREATE VIEW order_items AS SELECT * FROM read_parquet('{lake}/order_items/*.parquet');
