#!/usr/bin/env python
"""``samverkan survey_index FILE --json`` as a process (start to JSON written) on synthetic
respondent-level files: the demo's generator (four areas, ten problem questions, sex, age
group, weight, "Vet ej" and blanks) scaled to N respondents. A real police safety survey of a
municipality has 1,000-5,000 answers; the largest sizes show the headroom. No database.

Usage: ``python bench/bench_survey_index.py [--sizes 2000 20000 200000] [--runs 3]``
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def write_file(path: Path, n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from samverkan.surveys import demo

    per_area = max(1, n // len(demo.AREAS))
    saved = demo.RESPONDENTS_PER_AREA
    demo.RESPONDENTS_PER_AREA = (per_area, per_area)
    try:
        path.write_bytes(demo.respondent_file(seed=7))
    finally:
        demo.RESPONDENTS_PER_AREA = saved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 200000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("samverkan")
    command = [str(exe)] if exe.exists() else [sys.executable, str(ROOT / "manage.py")]
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"svar-{n}.csv"
            write_file(path, n)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run([*command, "survey_index", str(path), "--json"], check=True,
                               stdout=subprocess.DEVNULL, cwd=ROOT)
                times.append(time.perf_counter() - start)
            print(f"{n:>8} respondents ({path.stat().st_size / 1e6:.1f} MB): median "
                  f"{statistics.median(times):.2f} s of {args.runs} runs")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
