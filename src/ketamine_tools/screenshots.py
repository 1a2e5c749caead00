"""Phone and desktop screenshots, light and dark, full page, of every page of the site.

For reviewers: `make screenshots` builds the site and writes
`screenshots/<page>-<phone|desktop>-<light|dark>.png` (the folder is git-ignored). The site
is served on 127.0.0.1 and photographed in Debian's Chromium, exactly as the browser tests
see it; nothing is fetched from the network.

Run: `python -m ketamine_tools.screenshots [--site site] [--out screenshots] [--build]
[--page faq/ ...]`
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ketamine_tools.localsite import (
    DESKTOP,
    PHONE,
    ROOT,
    SCHEMES,
    ChromiumMissingError,
    build,
    launch_chromium,
    open_page,
    page_paths,
    serve,
)

DEVICES = {"phone": PHONE, "desktop": DESKTOP}


def shot_name(path: str, device: str, scheme: str) -> str:
    """File name of a screenshot: the home page is "home-phone-light.png"."""
    slug = path.strip("/").replace("/", "-") or "home"
    return f"{slug}-{device}-{scheme}.png"


def take(site_dir: Path, out: Path, only: list[str] | None = None) -> list[Path]:
    """Photograph every page (or the `only` ones) in both palettes on both devices."""
    from playwright.sync_api import sync_playwright

    paths = page_paths(site_dir)
    if only:
        wanted = {p.strip("/") for p in only}
        paths = [p for p in paths if p.strip("/") in wanted]
        if not paths:
            raise SystemExit(f"none of {only} is a page of {site_dir / 'sitemap.xml'}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve(site_dir) as site, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for scheme in SCHEMES:
                for device, viewport in DEVICES.items():
                    phone = device == "phone"
                    context = browser.new_context(
                        color_scheme=scheme,  # type: ignore[arg-type]
                        viewport=viewport,  # type: ignore[arg-type]
                        is_mobile=phone,
                        has_touch=phone,
                        service_workers="block",
                    )
                    page = context.new_page()
                    for path in paths:
                        open_page(page, site.url(path), scheme)
                        page.evaluate("document.fonts.ready")
                        target = out / shot_name(path, device, scheme)
                        page.screenshot(path=target, full_page=True, animations="disabled")
                        written.append(target)
                    context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ketamine_tools.screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="output folder")
    parser.add_argument("--build", action="store_true", help="build the site first")
    parser.add_argument("--page", action="append", help="only this page (repeatable), e.g. faq/")
    args = parser.parse_args(argv)

    site_dir: Path = args.site
    if args.build or not (site_dir / "sitemap.xml").is_file():
        print(f"building the site into {site_dir} ...", flush=True)
        build(site_dir)
    if not args.page:  # a full run replaces the folder's old screenshots
        for old in args.out.glob("*.png"):
            old.unlink()
    start = time.monotonic()
    try:
        written = take(site_dir, args.out, args.page)
    except ChromiumMissingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{len(written)} screenshots in {args.out} ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
