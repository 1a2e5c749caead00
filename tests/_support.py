"""Helpers shared by the test modules (imported as `_support`; conftest.py is not importable)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def run(cmd: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)


def build(dest: Path, cwd: Path = ROOT, engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """What `make build` does: a strict build, then the Content Security Policy step."""
    if engine == "mkdocs":
        result = run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(dest)], cwd=cwd)
    else:
        result = run([str(BIN / "zensical"), "build"], cwd=cwd)
    if result.returncode != 0:
        return result
    step = run([str(BIN / "python"), "-m", "ketamine_tools.csp", str(dest)], cwd=cwd)
    step.stdout = result.stdout + step.stdout
    step.stderr = result.stderr + step.stderr
    return step
