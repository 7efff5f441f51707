#!/usr/bin/env python3
"""Generate crates/ingest/src/normalize/radicals.rs from the UCD's EquivalentUnifiedIdeograph.txt.

Usage (from the repository root, or anywhere: paths are relative to this script):

    python3 tools/gen_radicals.py

Keeps the mappings of the CJK Radicals Supplement (U+2E80-U+2EFF) and the Kangxi Radicals
(U+2F00-U+2FDF); CJK Strokes (U+31C0-U+31EF) are left out on purpose: a stroke in a plan's text
is not an ideograph that lost its code point. Fails loudly on a line it cannot read.
"""

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "data" / "unicode" / "EquivalentUnifiedIdeograph.txt"
OUT = ROOT / "crates" / "ingest" / "src" / "normalize" / "radicals.rs"
KEEP = (0x2E80, 0x2FDF)
LINE = re.compile(r"^([0-9A-F]{4,6})(?:\.\.([0-9A-F]{4,6}))?\s*;\s*([0-9A-F]{4,6})\s*(?:#.*)?$")


def main() -> int:
    text = SRC.read_text(encoding="utf-8")
    first = text.splitlines()[0].lstrip("# ").strip()
    pairs: dict[int, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            sys.exit(f"{SRC}:{number}: cannot read {raw!r}")
        start = int(m.group(1), 16)
        end = int(m.group(2), 16) if m.group(2) else start
        target = int(m.group(3), 16)
        for cp in range(start, end + 1):
            if cp in pairs:
                sys.exit(f"{SRC}:{number}: U+{cp:04X} mapped twice")
            if KEEP[0] <= cp <= KEEP[1]:
                pairs[cp] = target

    # The Kangxi radicals also have NFKC mappings; they should agree with this file.
    for cp, target in pairs.items():
        nfkc = unicodedata.normalize("NFKC", chr(cp))
        if 0x2F00 <= cp <= 0x2FDF and nfkc != chr(cp) and ord(nfkc) != target:
            print(f"warning: U+{cp:04X} NFKC gives U+{ord(nfkc):04X}, file gives U+{target:04X}",
                  file=sys.stderr)

    # Comments aligned one space past the longest entry, as rustfmt aligns them.
    entries = [(f"('\\u{{{cp:04X}}}', '\\u{{{pairs[cp]:04X}}}'),", cp) for cp in sorted(pairs)]
    width = max(len(code) for code, _ in entries)
    rows = [f"    {code.ljust(width)} // {chr(cp)} → {chr(pairs[cp])}" for code, cp in entries]
    body = "\n".join(rows)
    out = f"""//! Kangxi radicals (U+2F00–U+2FDF) and CJK Radicals Supplement characters (U+2E80–U+2EFF)
//! to the unified ideographs they stand for, from the UCD property Equivalent_Unified_Ideograph.
//!
//! GENERATED FILE, do not edit. Source: `data/unicode/EquivalentUnifiedIdeograph.txt`
//! ({first}), © Unicode, Inc.,
//! under the Unicode License V3 (`data/unicode/LICENSE-UNICODE`).
//! Regenerate with: `python3 tools/gen_radicals.py`

/// `(radical, equivalent unified ideograph)`, sorted by radical: search it with
/// `binary_search_by_key`. Radicals without an equivalent ideograph are not listed.
pub(crate) const RADICALS: [(char, char); {len(rows)}] = [
{body}
];
"""
    OUT.write_text(out, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} mappings from {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
