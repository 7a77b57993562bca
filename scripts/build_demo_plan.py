#!/usr/bin/env python
"""Build samverkan/demo/data/eskilstuna_2016_atagandeplan.xlsx from the reviewable CSV.

    .venv/bin/python scripts/build_demo_plan.py [--check]

The CSV (``;``-separated, UTF-8) is the source of truth; the XLSX is what a coordinator
would keep: a title row above the header, focus areas as bold heading rows, wrapped text.
The result is parsed with the project's own parser and must have zero errors.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402

from samverkan.plans.io import parse_plan_table  # noqa: E402

DATA = ROOT / "samverkan" / "demo" / "data"
SOURCE = DATA / "eskilstuna_2016_atagandeplan.csv"
TARGET = DATA / "eskilstuna_2016_atagandeplan.xlsx"
TITLE = "Åtagandeplan för kommun och polis – Samverkansöverenskommelse Eskilstuna 2016"
WIDE = {"Aktivitet", "Åtgärd kommun", "Åtgärd polis", "Effekt", "Mål", "Fokusområde"}


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Åtagandeplan"
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    focus_column = header.index("Fokusområde")
    for row in body:
        sheet.append([value or None for value in row])
        if row[focus_column]:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for index, name in enumerate(header, start=1):
        letter = sheet.cell(row=2, column=index).column_letter
        sheet.column_dimensions[letter].width = 45 if name in WIDE else 16
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    # Fixed workbook metadata so that rebuilding gives the same content.
    workbook.properties.creator = "samverkan scripts/build_demo_plan.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args()
    path = build(args.source, args.target)
    plan = parse_plan_table(path, path.name)
    for error in plan.errors:
        print(f"row {error.row} {error.column}: {error.message}", file=sys.stderr)
    activities = sum(len(fa.activities) for fa in plan.focus_areas)
    print(f"{path}: {len(plan.focus_areas)} focus areas, {activities} activities, "
          f"{len(plan.errors)} errors")
    return 1 if plan.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
