"""Unit tests of the benchmark's own parts, on recorded tool output: no browser, no network,
no Lighthouse or hyperfine run, no build (they run in `make test` and must stay fast)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ketamine_tools.bench import budgets, cli, compare, hyperfine, lhci, project, search
from ketamine_tools.bench.lhci import Sample

ROOT = Path(__file__).resolve().parent.parent

# Trimmed from a real `lhci collect` run (Lighthouse 12.8.2, devtools, gzip) of our home page:
# only the fields the benchmark reads, as Lighthouse writes them.
LHR = {
    "lighthouseVersion": "12.8.2",
    "requestedUrl": "http://127.0.0.1:38915/",
    "configSettings": {"throttlingMethod": "devtools", "formFactor": "mobile"},
    "categories": {
        "performance": {"score": 0.85},
        "accessibility": {"score": 1},
        "best-practices": {"score": 1},
        "seo": {"score": 1},
    },
    "audits": {
        "total-blocking-time": {"numericValue": 561.5029999999995},
        "total-byte-weight": {"numericValue": 92535},
    },
}
# `lhci assert`'s .lighthouseci/assertion-results.json from the same run.
ASSERTION_RESULTS = [
    {
        "name": "minScore",
        "expected": 0.9,
        "actual": 0.85,
        "values": [0.85],
        "operator": ">=",
        "passed": False,
        "auditProperty": "performance",
        "auditId": "categories",
        "level": "error",
        "url": "http://127.0.0.1:38915/",
    }
]
# `hyperfine --export-json` of the same run (two runs each).
HYPERFINE = {
    "results": [
        {"command": "ours", "mean": 3.467, "median": 3.467, "min": 3.385, "max": 3.549,
         "times": [3.38511540782, 3.54922022482], "exit_codes": [0, 0]},
        {"command": "stock", "mean": 2.101, "median": 2.101, "min": 2.059, "max": 2.142,
         "times": [2.14176654182, 2.05948724282], "exit_codes": [0, 0]},
    ]
}  # fmt: skip


def sample(page: str, method: str, performance: float, tbt: float = 0.0) -> Sample:
    scores = {"performance": performance, "accessibility": 100, "best-practices": 100, "seo": 100}
    return Sample(page, method, scores, tbt, 100.0)


def test_a_recorded_lhr_reads_as_scores_tbt_and_kib():
    found = lhci.read_lhr(LHR)
    assert found.page == "/" and found.method == "devtools"
    assert found.scores == {"performance": 85, "accessibility": 100, "best-practices": 100,
                            "seo": 100}  # fmt: skip
    assert found.tbt_ms == pytest.approx(561.5, abs=0.01)
    assert found.total_kib == pytest.approx(92535 / 1024)


def test_a_page_that_failed_to_load_never_scores(tmp_path):
    broken = {**LHR, "runtimeError": {"code": "NO_FCP", "message": "The page did not paint"}}
    folder = tmp_path / ".lighthouseci"
    folder.mkdir()
    (folder / "lhr-1.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="did not paint"):
        lhci.read_dir(tmp_path)


def test_lhci_assertion_results_become_one_line_each():
    passed = {**ASSERTION_RESULTS[0], "passed": True}
    warning = {**ASSERTION_RESULTS[0], "level": "warn"}
    lines = lhci.failures([*ASSERTION_RESULTS, passed, warning])
    assert lines == ["/ categories.performance: 0.85 (budget >= 0.9)"]


def test_hyperfine_export_reads_as_run_times_by_name():
    times = hyperfine.read_export(HYPERFINE)
    assert times == {"ours": [3.38511540782, 3.54922022482],
                     "stock": [2.14176654182, 2.05948724282]}  # fmt: skip


def test_our_build_includes_the_csp_step_and_the_reference_does_not(tmp_path):
    ours = hyperfine.build_command(tmp_path / "p", tmp_path / "out", csp=True)
    stock = hyperfine.build_command(tmp_path / "r", tmp_path / "out", csp=False)
    assert "mkdocs build --strict" in ours and "ketamine_tools.csp" in ours
    assert ours.startswith(f"cd {tmp_path / 'p'} && ")  # snippets resolve against the cwd
    assert "mkdocs build --strict" in stock and "csp" not in stock


def test_the_table_shows_median_spread_and_ratio():
    ours = [sample("/", "simulate", s, t) for s, t in ((88, 240), (86, 250), (90, 247))]
    stock = [sample("/", "simulate", s, t) for s, t in ((93, 2), (92, 3), (94, 1))]
    rows = compare.lighthouse_rows(ours, stock, gzip=False)
    text = compare.table(rows)
    assert (
        "| `/` simulate, no gzip: performance | 88 (86-90) | 93 (92-94) | 0.95 | **BEHIND** |"
        in text
    )
    assert "| `/` simulate, no gzip: TBT ms | 247 (240-250) | 2 (1-3) | 123.50 |  |" in text
    assert text.count("\n") == 2 + 3  # header, rule and three rows: one table


def test_behind_only_beyond_the_spread():
    def row(ours: list[float], stock: list[float]) -> compare.Row:
        return compare.Row("p", compare.spread(ours), compare.spread(stock), judged=True,
                           higher_is_better=True)  # fmt: skip

    assert row([86, 88, 90], [92, 93, 94]).behind  # gap 5 > spread 4
    assert not row([80, 88, 95], [92, 93, 94]).behind  # gap 5 < spread 15: noise
    assert not row([92, 93, 94], [86, 88, 90]).behind  # ahead
    assert row([89, 89, 89], [93, 93, 93]).behind  # any gap beyond a zero spread
    unjudged = compare.Row("TBT", compare.spread([500]), compare.spread([1]))
    assert not unjudged.behind  # only a page's performance score is judged
    ours = [sample("/research/", "devtools", 76)]
    stock = [sample("/research/", "devtools", 80)]
    (message,) = compare.behind(compare.lighthouse_rows(ours, stock, gzip=True))
    assert message.startswith("`/research/` devtools, gzip: performance: ours 76 vs stock 80")


def test_a_page_stock_material_lacks_is_not_compared():
    ours = [sample("/", "simulate", 90), sample("/changes/", "simulate", 90)]
    stock = [sample("/", "simulate", 90)]
    names = [row.name for row in compare.lighthouse_rows(ours, stock, gzip=True)]
    assert names and all(name.startswith("`/` ") for name in names)


LIMITS = {"build.max_ratio": 2.0, "serve.max_median_s": 1.5, "search.max_median_ms": 50.0}


def test_probe_and_build_budgets():
    def row(ours: float, stock: float) -> compare.Row:
        return compare.Row("x", compare.spread([ours]), compare.spread([stock]))

    assert compare.over_budget({"build": row(3.0, 2.0), "serve": row(1.5, 9)}, LIMITS) == []
    (message,) = compare.over_budget({"build": row(5.0, 2.0), "search": row(20, 1)}, LIMITS)
    assert "build.max_ratio = 2" in message and "2.5" in message
    assert compare.over_budget({}, LIMITS) == []  # not measured in this run: nothing judged


def test_the_real_budget_files_parse():
    assert set(budgets.load(ROOT / "bench" / "budgets.toml")) == set(LIMITS)
    cli.check_rc(ROOT / "bench" / "lighthouserc.json")
    rc = json.loads((ROOT / "bench" / "lighthouserc.json").read_text(encoding="utf-8"))
    assert rc["ci"]["collect"]["chromePath"] == "/usr/bin/chromium"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[build]\nmax_ratio = "2"\n', "max_ratio (ours / stock `mkdocs build` median wall "),
        ("[build]\nmax_ratio = true\n", "must be a number, unquoted"),
        ("[build]\nmax_ratio = 2\nmax_ration = 3\n", "[build]: unknown key(s) max_ration"),
        ("[biuld]\nmax_ratio = 2\n", "unknown table(s) biuld"),
        ("[build]\nmax_ratio = 2\n", "missing [serve] table"),
        ("[build\nmax_ratio = 2\n", "not valid TOML"),
    ],
)
def test_a_broken_budgets_file_gives_one_message_naming_the_file(tmp_path, text, message):
    path = tmp_path / "budgets.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(budgets.BudgetError) as raised:
        budgets.load(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_the_benchmark_stops_before_any_work_on_a_bad_budgets_file(tmp_path, capsys):
    bad = tmp_path / "budgets.toml"
    bad.write_text("[build]\nmax_ratio = 'two'\n", encoding="utf-8")
    assert cli.main(["--budgets", str(bad), "--out", str(tmp_path / "out")]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and f"{bad}: [build] max_ratio" in errors[0]
    assert not (tmp_path / "out").exists()


def test_a_broken_lighthouserc_stops_the_benchmark_naming_the_file(tmp_path, capsys):
    rc = tmp_path / "lighthouserc.json"
    rc.write_text('{"ci": {"assert": ', encoding="utf-8")
    argv = ["--rc", str(rc), "--out", str(tmp_path / "out")]
    assert cli.main(argv) == 2
    assert f"{rc}: not valid JSON" in capsys.readouterr().err
    rc.write_text('{"ci": {}}', encoding="utf-8")
    assert cli.main(argv) == 2
    assert re.search(rf"{re.escape(str(rc))}: needs a `ci.assert`", capsys.readouterr().err)


def test_sitemap_pages_are_paths_under_site_url():
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.org/site/</loc></url>"
        "<url><loc>https://example.org/site/research/</loc></url></urlset>"
    )
    assert cli.sitemap_pages(xml, "https://example.org/site/") == ["/", "/research/"]
    assert cli.sitemap_pages(xml, "https://example.org/") == ["/site/", "/site/research/"]


def test_reference_config_keeps_content_and_drops_theme_settings():
    config = {
        "site_name": "S",
        "nav": [{"Home": "index.md"}],
        "theme": {"name": "material", "custom_dir": "overrides", "features": ["toc.follow"]},
        "extra_css": ["x.css"],
        "plugins": [{"search": {"separator": "x"}}],
        "markdown_extensions": ["abbr", {"pymdownx.snippets": {"base_path": ["includes"]}}],
        "strict": True,
    }
    assert project.reference_config(config) == {
        "site_name": "S",
        "nav": [{"Home": "index.md"}],
        "theme": {"name": "material"},
        "plugins": ["search"],
        "markdown_extensions": config["markdown_extensions"],
    }


def test_config_round_trip_keeps_unknown_tags(tmp_path):
    source = tmp_path / "in.yml"
    source.write_text(
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  key: !ENV [KEY, default]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.yml"
    project.write_config(project.read_config(source), out)
    text = out.read_text(encoding="utf-8")
    assert "!!python/name:material.extensions.emoji.twemoji" in text
    assert "!ENV" in text


def test_copy_project_skips_outputs_only_at_the_top(tmp_path):
    root = tmp_path / "root"
    for folder in ("site", "bench", "docs/site", "docs/__pycache__", ".venv/lib"):
        (root / folder).mkdir(parents=True)
        (root / folder / "f.txt").write_text("x", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    copy = project.copy_project(root, tmp_path / "out" / "project")
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == [
        "docs",
        "docs/site",
        "docs/site/f.txt",
        "mkdocs.yml",
    ]


def test_search_queries_come_from_the_query_file(tmp_path):
    assert len(search.load_queries(ROOT / "tests" / "search_queries.yml")) > 10
    path = tmp_path / "q.yml"
    path.write_text("- query: Zarate\n  page: [/research/]\n", encoding="utf-8")
    assert search.load_queries(path) == ["Zarate"]
    path.write_text("- query: Zarate\n  page: [/research/]\n- page: /faq/\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entry 2 .* needs both `query` and `page`"):
        search.load_queries(path)
    with pytest.raises(ValueError, match="cannot read it"):
        search.load_queries(tmp_path / "missing.yml")
    path.write_text("- query: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"q.yml:\d+: not valid YAML"):
        search.load_queries(path)
    path.write_text("[]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no entries"):
        search.load_queries(path)
