#!/usr/bin/env python
"""The peer pipeline an analyst would write for hot spots from a CSV file of points: pandas to
read, pyproj to project to SWEREF 99 TM, numpy to count per cell, libpysal for the queen
weights and esda's ``G_Local`` (Gi*, binary weights, 999 permutations). Run as a process by
``bench_hotspots_cli.py``; writes the z-scores per cell (SW corner in metres) as JSON.

Usage: ``python bench/peer_hotspots.py POINTS.csv CELL_SIZE OUT.json``
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import lat2W
from pyproj import Transformer


def main(path: str, size: float, out: str) -> None:
    points = pd.read_csv(path)
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    x, y = transformer.transform(points["lon"].to_numpy(), points["lat"].to_numpy())
    ix = np.floor(x / size).astype(np.int64)
    iy = np.floor(y / size).astype(np.int64)
    x0, y0 = ix.min(), iy.min()
    nx, ny = int(ix.max() - x0 + 1), int(iy.max() - y0 + 1)
    counts = np.zeros((ny, nx))
    np.add.at(counts, (iy - y0, ix - x0), 1)
    weights = lat2W(ny, nx, rook=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(counts.ravel(), weights, star=True, transform="B", permutations=999,
                    seed=1)
    z = np.asarray(g.Zs).reshape(ny, nx)
    with open(out, "w") as fh:
        json.dump({"x0": int(x0), "y0": int(y0), "size": size, "z": z.tolist()}, fh)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
