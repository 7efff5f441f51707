#!/usr/bin/env python3
"""The DuckDB peer of minsheng-evaluate's benchmark (crates/evaluate/benches/evaluate.rs).

Same synthetic data as the assessment peer (tools/duckdb_assess.py, whose generator and
assessment SQL it reuses): every county x 300 indicators x 12 quarters. Timed, in SQL, after
the assessment: the county target scores (achieved 100, no_data none, else the share of the
baseline-to-target distance covered, clipped to [0, 100]; 0 when the baseline met the target),
the county domain composites (indicator i in domain i % 9; weights ind000 = 2, ind004 = 0.5,
病有所医 = 2, 老有所养 = 1.5; weighted mean over scored parts), and equalization of every
indicator at 2024Q4 across the counties of each province and each prefecture (n, mean, CV with
sigma over n, Gini, Theil T with 0 ln 0 = 0, max/min), measures null for n < 2.

Not in the peer: prefecture and province scores (they need assessments of aggregates), the
external scores and overall score, and so the rankings; the weighted measures and trends.

Prints one JSON object: {"engine", "version", "threads", "values", "runs_s", "median_s",
"generate_s", "checks"}. Exit status 3 when the duckdb module is missing (pip install duckdb).

Usage: python3 tools/duckdb_evaluate.py [--regions data/regions/regions.csv] [--indicators 300]
                                        [--runs 3] [--threads N]
"""

import argparse
import csv
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import duckdb_assess  # noqa: E402

AS_OF_Q = duckdb_assess.AS_OF_Q


def prefectures(path):
    """County ordinal (code order) -> prefecture code, or None when directly under a province."""
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    parent = {r["code"]: r["parent"] for r in rows}
    level = {r["code"]: r["level"] for r in rows}
    counties = sorted(r["code"] for r in rows if r["level"] == "county")
    out = []
    for c, code in enumerate(counties):
        p = parent[code]
        out.append((c, int(p) if level.get(p) == "prefecture" else None))
    return out


EVALUATE = f"""
CREATE OR REPLACE TABLE target_scores AS
SELECT a.c, a.i, a.i % 9 AS domain,
       CASE a.i WHEN 0 THEN 2.0 WHEN 4 THEN 0.5 ELSE 1.0 END::DOUBLE AS w,
       CASE WHEN a.status = 'achieved' THEN 100.0::DOUBLE
            WHEN a.status = 'no_data' THEN NULL
            WHEN a.baseline IS NULL OR a.latest IS NULL THEN NULL
            WHEN NOT (i.dir * (i.target - a.baseline) > 0) THEN 0.0::DOUBLE
            ELSE least(greatest(100.0::DOUBLE * i.dir * (a.latest - a.baseline)
                                / (i.dir * (i.target - a.baseline)), 0.0::DOUBLE), 100.0::DOUBLE)
       END AS score
FROM assessed a JOIN indicators i ON i.i = a.i;

CREATE OR REPLACE TABLE domain_scores AS
SELECT c, domain, sum(w * score) FILTER (WHERE score IS NOT NULL)
                  / sum(w) FILTER (WHERE score IS NOT NULL) AS score
FROM target_scores GROUP BY c, domain;

CREATE OR REPLACE TABLE cross_section AS
SELECT v.c, v.i, v.v, k.province, p.prefecture
FROM vals v JOIN counties k ON k.c = v.c JOIN prefs p ON p.c = v.c
WHERE v.q = {AS_OF_Q};

CREATE OR REPLACE TABLE equalization AS
WITH scoped AS (
    SELECT province AS scope, i, v FROM cross_section
    UNION ALL
    SELECT prefecture AS scope, i, v FROM cross_section WHERE prefecture IS NOT NULL
), ranked AS (
    SELECT scope, i, v,
           row_number() OVER (PARTITION BY scope, i ORDER BY v) AS r,
           avg(v) OVER (PARTITION BY scope, i) AS mu
    FROM scoped
), agg AS (
    SELECT scope, i, count(*) AS n, avg(v) AS mean, stddev_pop(v) AS sd, sum(v) AS total,
           sum(r * v) AS rank_sum, min(v) AS lo, max(v) AS hi,
           avg(CASE WHEN v = 0 THEN 0.0::DOUBLE ELSE (v / mu) * ln(v / mu) END) AS theil
    FROM ranked GROUP BY scope, i
)
SELECT scope, i, n, mean,
       CASE WHEN n >= 2 AND mean > 0 THEN sd / mean END AS cv,
       CASE WHEN n >= 2 AND total > 0 AND lo >= 0
            THEN 2.0 * rank_sum / (n * total) - 1.0 - 1.0 / n END AS gini,
       CASE WHEN n >= 2 AND lo >= 0 AND mean > 0 THEN theil END AS theil,
       CASE WHEN n >= 2 AND lo > 0 THEN hi / lo END AS max_min_ratio
FROM agg;
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", default="data/regions/regions.csv")
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="0: DuckDB's default (all cores)")
    args = ap.parse_args()
    try:
        import duckdb
    except ImportError:
        print("duckdb is not installed: pip install duckdb", file=sys.stderr)
        sys.exit(3)
    counties = duckdb_assess.counties_and_provinces(args.regions)
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    t = time.perf_counter()
    duckdb_assess.generate(con, counties, args.indicators)
    con.execute("CREATE OR REPLACE TABLE prefs (c INTEGER, prefecture INTEGER)")
    con.executemany("INSERT INTO prefs VALUES (?, ?)", prefectures(args.regions))
    generate_s = time.perf_counter() - t
    values = con.execute("SELECT count(*) FROM vals").fetchone()[0]
    runs = []
    for _ in range(args.runs):
        t = time.perf_counter()
        con.execute(duckdb_assess.ASSESS)
        con.execute(EVALUATE)
        runs.append(time.perf_counter() - t)
    one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
    scored, score_sum = one("SELECT count(score), sum(score) FROM target_scores")
    domains, domain_sum = one("SELECT count(score), sum(score) FROM domain_scores")
    eq_rows, cv_sum, gini_sum, theil_sum, mm_sum, mean_sum = one(
        "SELECT count(*), sum(cv), sum(gini), sum(theil), sum(max_min_ratio), sum(mean) "
        "FROM equalization WHERE n >= 2"
    )
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(
        json.dumps(
            {
                "engine": "duckdb",
                "version": duckdb.__version__,
                "threads": threads,
                "values": values,
                "runs_s": runs,
                "median_s": statistics.median(runs),
                "generate_s": generate_s,
                "checks": {
                    "county_target_scores": scored,
                    "county_target_score_sum": score_sum,
                    "county_domain_scores": domains,
                    "county_domain_score_sum": domain_sum,
                    "equalization_rows_n2": eq_rows,
                    "mean_sum": mean_sum,
                    "cv_sum": cv_sum,
                    "gini_sum": gini_sum,
                    "theil_sum": theil_sum,
                    "max_min_ratio_sum": mm_sum,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
