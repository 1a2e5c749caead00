"""Build wall time with hyperfine (Debian's `hyperfine`): ours and the reference, one run.

Both commands go to one hyperfine invocation, so both are timed under the same load, with
hyperfine's warm-up and shell-startup correction, and exported in its JSON.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

from ketamine_tools.bench.procs import BIN, run

BUILD_TIMEOUT_S = 900.0


def build_command(project: Path, out: Path, csp: bool) -> str:
    """What `make build` runs: a strict build, then (ours only) the Content Security Policy
    step, which is part of our build; stock Material has no such step."""
    # cd first: Markdown extensions (snippets' base_path) resolve paths against the cwd
    build = [str(BIN / "mkdocs"), "build", "--strict", "--clean", "-q", "--site-dir", str(out)]
    command = f"cd {shlex.quote(str(project))} && {shlex.join(build)}"
    if csp:
        command += " && " + shlex.join([str(BIN / "python"), "-m", "ketamine_tools.csp", str(out)])
    return command


def time_builds(commands: dict[str, str], runs: int, export: Path) -> dict[str, list[float]]:
    """{name: seconds of each run}; raises if hyperfine is missing or a build fails."""
    if shutil.which("hyperfine") is None:
        raise RuntimeError("hyperfine not found: `apt-get install -y hyperfine` (Debian)")
    cmd = ["hyperfine", "--warmup", "1", "--runs", str(runs), "--export-json", str(export),
           "--style", "basic"]  # fmt: skip
    for name, command in commands.items():
        cmd += ["--command-name", name, command]
    run(cmd, export.parent, timeout=BUILD_TIMEOUT_S * (runs + 1) * len(commands))
    return read_export(json.loads(export.read_text(encoding="utf-8")))


def read_export(data: dict[str, Any]) -> dict[str, list[float]]:
    """hyperfine's --export-json: each command's name (--command-name) and run times."""
    return {str(r["command"]): [float(t) for t in r["times"]] for r in data["results"]}
