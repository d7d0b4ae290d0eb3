"""Export the post-2025 administrative units to ``seed/admin_units.csv``.

Source: the MIT-licensed ``vietnamadminunits`` package (its bundled ``dataset.db``, table
``admin_units``: 34 provinces, 3,321 communes after the 1 July 2025 merger, codes per
QĐ 19/2025/QĐ-TTg). The package pulls in shapely/geopy, so it is a one-off tool
dependency, not a runtime one: run ``pip install vietnamadminunits`` then this script.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "admin_units.csv"
COLUMNS = ["province_code", "province_name", "commune_code", "commune_name", "commune_type", "lat", "lon"]


def main() -> int:
    db = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with sqlite3.connect(str(db)) as conn:
        rows = conn.execute(
            "SELECT provinceCode, province, wardCode, ward, wardType, wardLat, wardLon "
            "FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"wrote {len(rows)} communes to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
