"""The environment every command gets, and ending what we started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ketamine_tools.localsite import find_chromium

BIN = Path(sys.executable).parent


def env() -> dict[str, str]:
    """The caller's environment plus the switches the Makefile exports."""
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        # lhci's Chrome launcher: the Chromium the tests use (CHROMIUM_PATH, Debian's).
        **({"CHROME_PATH": str(found)} if (found := find_chromium()) else {}),
    }


def run(cmd: list[str], cwd: Path, timeout: float) -> None:
    """Run a tool; on failure raise with the tail of its output (the part that says why)."""
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from error
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd[:3])} ... exited with {done.returncode}:\n{tail}")


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
