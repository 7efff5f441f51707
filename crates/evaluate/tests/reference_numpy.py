"""Reference values for crates/evaluate/tests/equalization.rs, computed with NumPy by formulas
written independently of the Rust code (Gini from the mean absolute difference over all pairs,
not from sorted ranks; the Theil decomposition from group means).

    python3 -m venv /tmp/v && /tmp/v/bin/pip install numpy
    /tmp/v/bin/python crates/evaluate/tests/reference_numpy.py

The output is pasted into the tests as constants.
"""

import numpy as np

np.set_printoptions(precision=17)

# The test province 530000: (code, prefecture group, kind, population 万人, latest, baseline)
COUNTIES = [
    ("530102", "530100", "district", 60, 96.0, 94.0),
    ("530103", "530100", "district", 90, 94.5, 92.0),
    ("530124", "530100", "county", 40, 88.0, 80.0),
    ("530181", "530100", "city", 35, 91.0, 86.0),
    ("532301", "532300", "city", 62, 90.5, 86.0),
    ("532322", "532300", "county", 15, 82.0, 72.0),
    ("532323", "532300", "county", 20, 84.5, 75.0),
    ("532325", "532300", "county", 18, 79.0, 70.0),
    ("533102", "533100", "city", 20, 87.0, 80.0),
    ("533122", "533100", "county", 16, 76.5, 66.0),
    ("539001", "530000", "city", 30, 85.0, 78.0),  # directly under the province
]


def measures(x, pop, groups, kinds):
    x = np.asarray(x, dtype=float)
    pop = np.asarray(pop, dtype=float)
    n = len(x)
    mu = x.mean()
    p = pop / pop.sum()
    mw = (p * x).sum()
    out = {}
    out["mean"] = mu
    out["cv"] = np.std(x, ddof=0) / mu
    out["williamson"] = np.sqrt((p * (x - mw) ** 2).sum()) / mw
    diff = np.abs(x[:, None] - x[None, :])
    out["gini"] = diff.sum() / (2 * n * n * mu)
    out["weighted_gini"] = (p[:, None] * p[None, :] * diff).sum() / (2 * mw)
    out["theil"] = np.mean(x / mu * np.log(x / mu))
    out["weighted_theil"] = (p * (x / mw) * np.log(x / mw)).sum()
    out["max_min_ratio"] = x.max() / x.min()
    kinds = np.asarray(kinds)
    urban, rural = x[kinds == "district"], x[kinds == "county"]
    out["urban_rural_gap"] = urban.mean() - rural.mean() if len(urban) and len(rural) else None
    groups = np.asarray(groups)
    between = within = 0.0
    wbetween = wwithin = 0.0
    for g in sorted(set(groups)):
        m = groups == g
        xg, pg = x[m], pop[m]
        mug = xg.mean()
        s = m.sum() * mug / (n * mu)
        tg = np.mean(xg / mug * np.log(xg / mug))
        between += s * np.log(mug / mu)
        within += s * tg
        wg = pg / pg.sum()
        mwg = (wg * xg).sum()
        ws = pg.sum() * mwg / (pop.sum() * mw)
        wtg = (wg * (xg / mwg) * np.log(xg / mwg)).sum()
        wbetween += ws * np.log(mwg / mw)
        wwithin += ws * wtg
    out["theil_between"] = between
    out["theil_within"] = within
    out["weighted_theil_between"] = wbetween
    out["weighted_theil_within"] = wwithin
    return out


def show(label, d):
    print(f"// {label}")
    for k, v in d.items():
        print(f"    (\"{k}\", {'None' if v is None else f'Some({float(v)!r})'}),")


for col, period in ((4, "latest"), (5, "baseline")):
    x = [c[col] for c in COUNTIES]
    show(
        f"province 530000, {period}",
        measures(x, [c[3] for c in COUNTIES], [c[1] for c in COUNTIES], [c[2] for c in COUNTIES]),
    )
    sub = [c for c in COUNTIES if c[1] == "532300"]
    show(
        f"prefecture 532300, {period}",
        measures([c[col] for c in sub], [c[3] for c in sub], [c[1] for c in sub], [c[2] for c in sub]),
    )
