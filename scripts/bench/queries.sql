-- The benchmark queries in SQL, for DuckDB and sqlite3. run.py reads this file: each query
-- starts with a "-- name:" line, followed by "-- title:" and the statement. A name with
-- "@duckdb" or "@sqlite3" is for that engine only. {csv} is replaced by the data file's path.
-- The same queries in ansinh's language: queries.asq.

-- name: q1_load@duckdb
-- title: load the CSV into memory
CREATE TABLE big AS SELECT * FROM read_csv('{csv}');

-- name: q1_load@sqlite3
-- title: load the CSV into memory (sqlite3's .timer does not time dot-commands: run.py
-- brackets the .import with SELECT julianday('now') and takes the difference)
CREATE TABLE big(id INTEGER, district TEXT, province TEXT, year INTEGER, indicator TEXT, unit TEXT, value REAL);
.import --csv --skip 1 {csv} big

-- name: q2_count
-- title: count rows of ind_007 from 2020 on
SELECT count(*) AS n FROM big WHERE indicator = 'ind_007' AND year >= 2020;

-- name: q3_avg_by_province_year
-- title: average of ind_007 by province and year
SELECT province, year, avg(value) AS avg_value FROM big WHERE indicator = 'ind_007' GROUP BY province, year ORDER BY province, year;

-- name: q4_sum_by_district_year_top3
-- title: sum by district and year over all rows, top 3
SELECT district, year, sum(value) AS total FROM big GROUP BY district, year ORDER BY total DESC LIMIT 3;

-- name: q5_top10_districts
-- title: top 10 rows (district, value) of ind_007 in 2024
SELECT district, value FROM big WHERE indicator = 'ind_007' AND year = 2024 ORDER BY value DESC LIMIT 10;

-- name: q6_stats_by_indicator
-- title: count, sum, min, max by indicator
SELECT indicator, count(*) AS n, sum(value) AS total, min(value) AS low, max(value) AS high FROM big GROUP BY indicator ORDER BY indicator;
