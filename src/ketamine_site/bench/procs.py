"""Running commands: timed runs, the environment they get, and clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def env() -> dict[str, str]:
    """The caller's environment plus the switches the Makefile exports."""
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        "CHROMIUM_PATH": CHROMIUM,
        "CHROME_PATH": CHROMIUM,
    }


@dataclass(frozen=True)
class Timed:
    seconds: float
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output.strip().splitlines()[-lines:])


def run_timed(cmd: list[str], cwd: Path, timeout: float) -> Timed:
    """Wall time of one command; a time-out counts as a failure (return code -1)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        output = f"timed out after {timeout:.0f} s: {' '.join(cmd)}\n{partial}"
        return Timed(time.perf_counter() - start, -1, output)
    return Timed(time.perf_counter() - start, done.returncode, done.stdout + done.stderr)


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """End a process started with start_new_session=True, and its children, by its group id."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
