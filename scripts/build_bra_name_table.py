"""One-off helper: propose samverkan/situation/data/bra_municipality_names.csv.

Maps every `name` of bra_anmalda_brott_per_kommun.csv (exact string, trailing spaces and
en dashes kept) to a four-digit SCB municipality code from scb_kommuner_lan.csv.

This script is NOT used at run time. It was run once; its output was then checked by hand
(every row whose rule is not "exact" was compared with the SCB list, in particular the
genitive forms of names ending in -s such as Borås, Alingsås, Bollnäs, Hofors, Kramfors,
Vännäs, Höganäs, Sotenäs, Västerås, Torsås, Mönsterås, Bengtsfors, Degerfors, Hagfors,
Munkfors, Robertsfors, Grums; and Mark/Markaryd, Habo/Håbo, Tranemo/Tranås) and committed
as data. The parser (samverkan/situation/sources/municipality_names.py) reads the committed
table, it does not apply these string rules.

Usage:  python scripts/build_bra_name_table.py [--write]
Without --write it prints the proposed table and the rule used per row.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCB = ROOT / "samverkan" / "organizations" / "data" / "scb_kommuner_lan.csv"
BRA = ROOT / "samverkan" / "situation" / "data" / "bra_anmalda_brott_per_kommun.csv"
OUT = ROOT / "samverkan" / "situation" / "data" / "bra_municipality_names.csv"

# Names confirmed by hand where the naive rules are not enough.
MANUAL = {
    "Stockholm": "0180",  # no " kommun" suffix
    "Gotlands kommun": "0980",  # genitive of Gotland
}


def norm(s: str) -> str:
    return " ".join(s.replace("\u2013", "-").split()).casefold()


def main() -> int:
    with SCB.open(encoding="utf-8", newline="") as fh:
        scb = {norm(r["municipality_name"]): r["municipality_code"] for r in csv.DictReader(fh)}
    with BRA.open(encoding="utf-8-sig", newline="") as fh:
        names = [r["name"] for r in csv.DictReader(fh, delimiter=";")]

    rows: list[tuple[str, str, str]] = []
    for name in names:
        if name in MANUAL:
            rows.append((name, MANUAL[name], "manual"))
            continue
        base = norm(name)
        if base.endswith(" kommun"):
            base = base[: -len(" kommun")]
        if base in scb:
            rows.append((name, scb[base], "exact"))
        elif base.endswith("s") and base[:-1] in scb:
            rows.append((name, scb[base[:-1]], "genitive-s"))
        else:
            rows.append((name, "", "UNMATCHED"))

    codes = [c for _, c, _ in rows]
    problems = [r for r in rows if not r[1]]
    dupes = {c for c in codes if c and codes.count(c) > 1}
    for name, code, rule in rows:
        print(f"{rule:11} {code:5} {name!r}")
    print(f"{len(rows)} rows, {len(set(codes))} distinct codes, {len(problems)} unmatched, "
          f"duplicates: {sorted(dupes)}", file=sys.stderr)
    if problems or dupes or set(codes) != set(scb.values()):
        print("NOT one-to-one: fix MANUAL before writing", file=sys.stderr)
        return 1
    if "--write" in sys.argv:
        with OUT.open("w", encoding="utf-8", newline="") as fh:
            # Quote every field so that "Tranås kommun " keeps its visible trailing space.
            w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
            w.writerow(["bra_name", "municipality_code"])
            for name, code, _ in sorted(rows, key=lambda r: r[1]):
                w.writerow([name, code])
        print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
