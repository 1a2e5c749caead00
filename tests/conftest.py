"""Shared fixtures: one strict MkDocs build of the real site per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _support import BIN, ROOT, run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built strictly into a temporary folder (never the contributor's site/)."""
    site = tmp_path_factory.mktemp("site")
    result = run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)])
    assert result.returncode == 0, (
        f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    )
    return site


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A disposable copy of the repository's site sources, to break on purpose."""
    for name in ("docs", "includes", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path
