"""samverkan.analysis must not import Django, directly or indirectly."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import samverkan

ANALYSIS_DIR = Path(samverkan.__file__).parent / "analysis"


def test_analysis_modules_do_not_import_django():
    modules = ["samverkan.analysis"] + [
        f"samverkan.analysis.{m.name}" for m in pkgutil.iter_modules([str(ANALYSIS_DIR)])
    ]
    assert "samverkan.analysis.hotspots" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
        "print('ok', len(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok")
