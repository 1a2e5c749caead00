"""Shared fixtures: one strict MkDocs build of the real site per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _support import ROOT, build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built as `make build` does, into a temporary folder (never site/)."""
    site = tmp_path_factory.mktemp("site")
    result = build(site)
    assert result.returncode == 0, f"make build's steps failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A disposable copy of the repository's site sources, to break on purpose."""
    for name in ("docs", "includes", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path
