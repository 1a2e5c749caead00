"""Disposable copies of the project, and the stock-Material reference configuration."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Never copied: outputs, environments and the benchmark's own folder (at the top level) and
# caches (anywhere).
SKIP_TOP = {".git", ".venv", "site", "site-zensical", "bench", "screenshots"}
SKIP_ANYWHERE = {
    "node_modules", ".cache", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".lycheecache",
    "__pycache__",
}  # fmt: skip

# What the reference keeps from mkdocs.yml: content and metadata, never theme settings.
REFERENCE_KEYS = ("site_name", "site_description", "site_url", "docs_dir", "nav", "watch")


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag PyYAML's safe loader does not know (`!ENV`, `!!python/name:`)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a YAML mapping")
    return data


def reference_config(config: dict[str, Any]) -> dict[str, Any]:
    """Stock Material for the same docs/: `theme: material`, default search, the Markdown
    extensions the pages need to render (citations, snippets, ...); no custom_dir, extra_css,
    features, palette, fonts, repo widget, copyright or validation."""
    reference = {key: config[key] for key in REFERENCE_KEYS if key in config}
    reference["theme"] = {"name": "material"}
    reference["plugins"] = ["search"]
    reference["markdown_extensions"] = config.get("markdown_extensions", [])
    return reference


def write_config(config: dict[str, Any], path: Path) -> None:
    text = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def _ignorer(root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory) == root
        return {
            name
            for name in names
            if name in SKIP_ANYWHERE or (top and name in SKIP_TOP) or name.endswith(".egg-info")
        }

    return ignore


def copy_project(root: Path, dest: Path) -> Path:
    """A copy of the sources at dest, with the real ../shared linked beside it (as in tests)."""
    shutil.copytree(root, dest, ignore=_ignorer(root), symlinks=True)
    shared, link = root.parent / "shared", dest.parent / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared)
    return dest


def make_reference(project: Path, dest: Path) -> Path:
    """A copy of `project` whose mkdocs.yml is the stock-Material reference configuration."""
    copy_project(project, dest)
    write_config(reference_config(read_config(project / "mkdocs.yml")), dest / "mkdocs.yml")
    return dest


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port
