#!/usr/bin/env python3
"""The DuckDB peer of minsheng-assess's benchmark (crates/assess/benches/assess.rs).

Generates, in DuckDB SQL, the same synthetic data the Rust bench generates — every county of
data/regions/regions.csv x 300 indicators x 12 quarters (2022Q1-2024Q4), values from MurmurHash3's
fmix32 on (county, indicator, quarter, salt), computed with UBIGINT arithmetic so that both
sides get bit-identical doubles — and times the same assessment in SQL: baseline (the value for
the period ending 2022, else the first reported when something follows it), latest value at or
before 2024Q4, the province's target (the nearest ancestor's: counties have no plan of their
own), the achieved check, the Open SDG / Statistics Canada growth-rate ratio
R = d * CAGR_observed / |CAGR_required| (linear when a value is zero), and the status.

Prints one JSON object on stdout: {"engine", "version", "rows", "values", "runs_s", "median_s",
"generate_s", "counts"}. Exit status 3 when the duckdb module is missing (pip install duckdb).

Usage: python3 tools/duckdb_assess.py [--regions data/regions/regions.csv] [--indicators 300]
                                      [--runs 5] [--threads N]
"""

import argparse
import csv
import json
import statistics
import sys
import time

QUARTERS = 12  # 2022Q1 .. 2024Q4; q = 3 is 2022Q4, the period ending the year before the plan
AS_OF_Q = 11  # 2024Q4
TARGET_TIME = 2026.0  # the end of the target year 2025

# Indicator kinds by i % 3: (lo, hi, direction, lowest annual growth).
KINDS = {
    0: (40.0, 90.0, 1.0, -0.06),  # a rate in %, higher is better
    1: (3.0, 15.0, -1.0, -0.10),  # per mille, lower is better
    2: (1.0, 10.0, 1.0, -0.06),  # per capita, higher is better
}


def counties_and_provinces(path):
    """County ordinal (code order) -> province code, as the Rust bench numbers them."""
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    parent = {r["code"]: r["parent"] for r in rows}
    level = {r["code"]: r["level"] for r in rows}

    def province(code):
        while level[code] != "province":
            code = parent[code]
        return code

    counties = sorted(r["code"] for r in rows if r["level"] == "county")
    return [(c, int(province(code))) for c, code in enumerate(counties)]


def fmix(x):
    """SQL for MurmurHash3 fmix32 of a UBIGINT expression below 2^32, as a DOUBLE in [0, 1)."""
    m = "4294967296::UBIGINT"
    h = f"({x})::UBIGINT"
    h = f"xor({h}, {h} >> 16)"
    h = f"(({h}) * 2246822507::UBIGINT) % {m}"
    h = f"xor({h}, {h} >> 13)"
    h = f"(({h}) * 3266489909::UBIGINT) % {m}"
    h = f"xor({h}, {h} >> 16)"
    return f"(({h})::DOUBLE / 4294967296.0::DOUBLE)"


def u(c, i, q, salt, n_ind):
    return fmix(f"((({c}) * {n_ind} + ({i})) * 16 + ({q})) * 8 + {salt}")


def generate(con, counties, n_ind):
    con.execute("CREATE OR REPLACE TABLE counties (c INTEGER, province INTEGER)")
    con.executemany("INSERT INTO counties VALUES (?, ?)", counties)
    kinds = " UNION ALL ".join(
        f"SELECT {k} AS kind, {lo}::DOUBLE AS lo, {hi}::DOUBLE AS hi, {d}::DOUBLE AS dir, {g}::DOUBLE AS gmin"
        for k, (lo, hi, d, g) in KINDS.items()
    )
    con.execute(f"CREATE OR REPLACE TABLE kinds AS {kinds}")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE indicators AS
        SELECT i::INTEGER AS i, k.lo, k.hi, k.dir, k.gmin,
               CASE WHEN k.dir > 0 THEN k.lo + (k.hi - k.lo) * 0.85::DOUBLE
                    ELSE k.lo + (k.hi - k.lo) * 0.15::DOUBLE END AS target
        FROM range({n_ind}) r(i) JOIN kinds k ON k.kind = r.i % 3
        """
    )
    # The province's target for each indicator: what a county without a plan is held to.
    con.execute(
        """
        CREATE OR REPLACE TABLE targets AS
        SELECT p.province, i.i, i.target, i.dir
        FROM (SELECT DISTINCT province FROM counties) p, indicators i
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE pairs AS
        SELECT c.c, i.i, i.lo, i.hi, i.gmin,
               i.lo + (i.hi - i.lo) * {u('c.c', 'i.i', 15, 1, n_ind)} AS b,
               i.gmin + 0.16::DOUBLE * {u('c.c', 'i.i', 15, 2, n_ind)} AS g,
               {u('c.c', 'i.i', 15, 3, n_ind)} < 0.005::DOUBLE AS never
        FROM counties c, indicators i
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE vals AS
        SELECT c, i, q, v FROM (
            SELECT p.c, p.i, q.q::INTEGER AS q,
                   p.b * (1.0::DOUBLE + p.g * ((2022.0::DOUBLE + (q.q + 1)::DOUBLE / 4.0::DOUBLE) - 2023.0::DOUBLE))
                       * (1.0::DOUBLE + 0.01::DOUBLE * ({u('p.c', 'p.i', 'q.q', 5, n_ind)} - 0.5::DOUBLE)) AS v,
                   {u('p.c', 'p.i', 'q.q', 4, n_ind)} < 0.03::DOUBLE AS gap
            FROM pairs p, range({QUARTERS}) q(q)
            WHERE NOT p.never
        ) WHERE NOT gap
        ORDER BY c, i, q
        """
    )
    con.execute("DROP TABLE pairs")


ASSESS = f"""
CREATE OR REPLACE TABLE assessed AS
WITH per_pair AS (
    SELECT c, i,
           max(v) FILTER (WHERE q = 3) AS own_before,
           arg_min(v, q) AS first_v, min(q) AS first_q,
           arg_max(v, q) AS last_v, max(q) AS last_q,
           count(*) AS n
    FROM vals WHERE q <= {AS_OF_Q}
    GROUP BY c, i
), base AS (
    SELECT k.c, t.i, t.target, t.dir, a.last_v,
           2022.0::DOUBLE + (a.last_q + 1)::DOUBLE / 4.0::DOUBLE AS ti,
           CASE WHEN a.own_before IS NOT NULL THEN a.own_before
                WHEN a.n > 1 THEN a.first_v END AS base_v,
           2022.0::DOUBLE + (CASE WHEN a.own_before IS NOT NULL THEN 3
                                  WHEN a.n > 1 THEN a.first_q END + 1)::DOUBLE / 4.0::DOUBLE AS t0
    FROM counties k
    JOIN targets t ON t.province = k.province
    LEFT JOIN per_pair a ON a.c = k.c AND a.i = t.i
), flags AS (
    SELECT *,
           coalesce(CASE WHEN dir > 0 THEN last_v >= target - 1e-9 * greatest(abs(target), 1.0::DOUBLE)
                         ELSE last_v <= target + 1e-9 * greatest(abs(target), 1.0::DOUBLE) END, false) AS achieved,
           last_v IS NULL OR base_v IS NULL OR ti <= t0 AS no_data,
           (base_v > 0 AND last_v > 0 AND target > 0) OR (base_v < 0 AND last_v < 0 AND target < 0) AS growth
    FROM base
), rates AS (
    SELECT *,
           CASE WHEN no_data THEN NULL
                WHEN growth THEN pow(last_v / base_v, 1.0::DOUBLE / (ti - t0)) - 1.0::DOUBLE
                ELSE (last_v - base_v) / (ti - t0) END AS observed,
           CASE WHEN no_data THEN NULL
                WHEN growth THEN pow(target / base_v, 1.0::DOUBLE / ({TARGET_TIME}::DOUBLE - t0)) - 1.0::DOUBLE
                ELSE (target - base_v) / ({TARGET_TIME}::DOUBLE - t0) END AS required
    FROM flags
), ratios AS (
    SELECT *,
           CASE WHEN no_data OR required = 0 THEN NULL
                WHEN growth THEN (CASE WHEN base_v < 0 THEN -1.0::DOUBLE ELSE 1.0::DOUBLE END) * dir * observed / abs(required)
                ELSE dir * observed / abs(required) END AS ratio,
           CASE WHEN no_data THEN NULL
                WHEN growth THEN base_v * pow(1.0::DOUBLE + observed, {TARGET_TIME}::DOUBLE - t0)
                ELSE base_v + observed * ({TARGET_TIME}::DOUBLE - t0) END AS projected
    FROM rates
)
SELECT c, i, base_v AS baseline, last_v AS latest, ratio, greatest(projected, 0.0::DOUBLE) AS projected,
       CASE WHEN achieved THEN 'achieved'
            WHEN no_data THEN 'no_data'
            WHEN ratio IS NULL THEN 'regressing'
            WHEN ti >= {TARGET_TIME}::DOUBLE AND ratio >= 0.95::DOUBLE THEN 'needs_acceleration'
            WHEN ratio >= 0.95::DOUBLE THEN 'on_track'
            WHEN ratio >= 0.60::DOUBLE THEN 'needs_acceleration'
            WHEN ratio >= 0.0::DOUBLE THEN 'limited_progress'
            ELSE 'regressing' END AS status
FROM ratios
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", default="data/regions/regions.csv")
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="0: DuckDB's default (all cores)")
    args = ap.parse_args()
    try:
        import duckdb
    except ImportError:
        print("duckdb is not installed: pip install duckdb", file=sys.stderr)
        sys.exit(3)
    counties = counties_and_provinces(args.regions)
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    t = time.perf_counter()
    generate(con, counties, args.indicators)
    generate_s = time.perf_counter() - t
    values = con.execute("SELECT count(*) FROM vals").fetchone()[0]
    runs = []
    for _ in range(args.runs):
        t = time.perf_counter()
        con.execute(ASSESS)
        runs.append(time.perf_counter() - t)
    rows = con.execute("SELECT count(*) FROM assessed").fetchone()[0]
    counts = dict(con.execute("SELECT status, count(*) FROM assessed GROUP BY status ORDER BY status").fetchall())
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(
        json.dumps(
            {
                "engine": "duckdb",
                "version": duckdb.__version__,
                "threads": threads,
                "values": values,
                "rows": rows,
                "runs_s": runs,
                "median_s": statistics.median(runs),
                "generate_s": generate_s,
                "counts": counts,
            }
        )
    )


if __name__ == "__main__":
    main()
