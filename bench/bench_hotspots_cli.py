#!/usr/bin/env python
"""``samverkan hotspots --input FILE`` against the peer pipeline (pandas + pyproj + libpysal +
esda ``G_Local`` with 999 permutations, ``peer_hotspots.py``), both end to end as processes
(start to output written) on the same file of 1,000,000 points, with the z-scores compared
cell by cell. No database.

The points are the city of ``bench_hotspots.py`` (five clusters in Eskilstuna and a uniform
background) in WGS 84 with six decimals, ``lat,lon``. Each command runs ``--runs`` times; the
median counts.

Usage: ``python bench/bench_hotspots_cli.py [--points 1000000] [--cell-size 200] [--runs 3]``
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


def write_points(path: Path, n: int, seed: int = 20240601) -> None:
    from bench_hotspots import synthetic_incidents

    from samverkan.analysis.projection import sweref99tm_to_wgs84

    x, y = synthetic_incidents(n, np.random.default_rng(seed))
    lat, lon = sweref99tm_to_wgs84(x, y)
    lines = np.char.add(np.char.add(np.char.mod("%.6f", lat), ","), np.char.mod("%.6f", lon))
    path.write_text("lat,lon\n" + "\n".join(lines.tolist()) + "\n")


def timed(args: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--cell-size", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "samverkan.settings"}
    load = [round(v, 2) for v in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-hotspots-") as tmp:
        points = Path(tmp) / "points.csv"
        write_points(points, args.points)
        ours_out, peer_out = Path(tmp) / "ours.json", Path(tmp) / "peer.json"
        ours_cmd = ["sh", "-c", f'"{sys.executable}" manage.py hotspots --input "{points}" '
                    f'--cell-size {args.cell_size} --json > "{ours_out}"']
        peer_cmd = [sys.executable, str(HERE / "peer_hotspots.py"), str(points),
                    str(args.cell_size), str(peer_out)]
        ours = [timed(ours_cmd, env) for _ in range(args.runs)]
        peer = [timed(peer_cmd, env) for _ in range(args.runs)]
        result = json.loads(ours_out.read_text())
        reference = json.loads(peer_out.read_text())
    z_peer = np.asarray(reference["z"])
    size = reference["size"]
    diffs, compared = [], 0
    for cell in result["cells"]:
        j = int(round((cell["y"] / size) - reference["y0"]))
        i = int(round((cell["x"] / size) - reference["x0"]))
        theirs = z_peer[j, i]
        if cell["z"] is None or np.isnan(theirs):
            continue
        diffs.append(abs(cell["z"] - theirs))
        compared += 1
    out = {"points": args.points, "cell_size": args.cell_size, "runs": args.runs,
           "load_average_before": load,
           "load_average_after": [round(v, 2) for v in os.getloadavg()],
           "ours_s": round(statistics.median(ours), 2), "ours_all_s": [round(t, 2) for t in ours],
           "peer_s": round(statistics.median(peer), 2), "peer_all_s": [round(t, 2) for t in peer],
           "speedup": round(statistics.median(peer) / statistics.median(ours), 2),
           "cells_compared": compared, "cells_in_grid": z_peer.size,
           "max_abs_z_diff": float(max(diffs)) if diffs else None}
    print(f"{args.points:,} points, {args.cell_size} m cells: samverkan hotspots "
          f"{out['ours_s']} s, pandas+pyproj+libpysal+esda {out['peer_s']} s "
          f"({out['speedup']}x); z identical to {out['max_abs_z_diff']:.1e} over "
          f"{compared:,} cells (load {load})")
    print(json.dumps({"hotspots_cli": out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
