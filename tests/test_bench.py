"""Unit tests of the benchmark's pure parts: no browser, no network, no build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ketamine_site.bench import budgets, cli, project, serve, stats, summary
from ketamine_site.bench.search import load_queries, rank

ROOT = Path(__file__).resolve().parent.parent


def test_median_odd_even_and_missing():
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([4, 1, 3, 2]) == 2.5
    assert stats.median([None, 5.0, None]) == 5.0
    assert stats.median([]) is None
    assert stats.median([None]) is None


def test_ratio():
    assert stats.ratio(3.0, 2.0) == 1.5
    assert stats.ratio(1, 0) is None
    assert stats.ratio(None, 2.0) is None
    assert stats.ratio(True, 1) is None  # a bool is never a measurement


def test_ratios_over_nested_results():
    ours = {"build": {"median_s": 2.0, "failed_runs": 0, "runs_s": [1, 2]}, "only_ours": 1}
    reference = {"build": {"median_s": 1.0, "failed_runs": 0}}
    found = stats.ratios(ours, reference, ignore={"failed_runs"})
    assert found == {"build.median_s": 2.0}


def test_get_path():
    data = {"a": {"b": {"c": 1}}}
    assert stats.get_path(data, "a.b.c") == 1
    assert stats.get_path(data, "a.x.c") is None
    assert stats.get_path(data, "a.b.c.d") is None


RESULTS = {
    "site": {
        "lighthouse": {
            "mobile": {
                "home": {"performance": 97},
                "research": {"performance": 94},
                "faq": {"performance": 95},
            }
        },
        "weight": {"home": {"gzip_kb": 80.5}},
    }
}
SPEC = {
    "pages": ["home", "research", "faq"],
    "budget": [
        {"name": "perf", "metric": "site.lighthouse.mobile.{page}.performance", "min": 95},
        {"name": "home weight", "metric": "site.weight.home.gzip_kb", "max": 100, "unit": "KB"},
    ],
}


def by_name(outcomes: list[budgets.Outcome]) -> dict[str, str]:
    return {o.budget.name: o.status for o in outcomes}


def test_budgets_expand_pages_and_judge_limits():
    outcomes = budgets.evaluate(RESULTS, budgets.parse(SPEC))
    assert by_name(outcomes) == {
        "perf (home)": "pass",
        "perf (research)": "fail",
        "perf (faq)": "pass",  # equal to the limit passes
        "home weight": "pass",
    }
    assert "past budget" in next(o.reason for o in outcomes if o.status == "fail")


@pytest.mark.parametrize(
    "broken",
    [
        {},  # nothing measured at all
        {"site": {"weight": {"home": {"gzip_kb": None}}}},  # the measurement failed
        {"site": {"weight": {"home": {"gzip_kb": "80"}}}},  # not a number
        {"site": {"weight": {"home": {"gzip_kb": True}}}},  # not a measurement
        {"site": {"weight": {"home": {"gzip_kb": 150.0}}}},  # over the limit
    ],
)
def test_broken_input_fails_the_budget(broken):
    spec = {"budget": [SPEC["budget"][1]]}
    outcomes = budgets.evaluate(broken, budgets.parse(spec))
    assert [o.status for o in outcomes] == ["fail"]
    assert budgets.failures(outcomes) == outcomes


def test_optional_or_skipped_budgets_are_not_failures():
    spec = {
        "budget": [
            {"name": "check", "metric": "make.check.seconds", "max": 60, "optional": True},
            {"name": "serve", "metric": "site.serve.median_s", "max": 1.5},
        ]
    }
    outcomes = budgets.evaluate({}, budgets.parse(spec), skipped=["site.serve"])
    assert by_name(outcomes) == {"check": "skipped", "serve": "skipped"}
    # a prefix only skips whole path segments
    outcomes = budgets.evaluate({}, budgets.parse(spec), skipped=["site.ser"])
    assert by_name(outcomes)["serve"] == "fail"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "both", "metric": "a", "min": 1, "max": 2}, "exactly one numeric"),
        ({"name": "neither", "metric": "a"}, "exactly one numeric"),
        ({"name": "text limit", "metric": "a", "max": "60"}, "exactly one numeric"),
        ({"name": "bool limit", "metric": "a", "max": True}, "exactly one numeric"),
        ({"name": "nan", "metric": "a", "max": float("nan")}, "exactly one numeric"),
        ({"metric": "a", "max": 1}, "needs a string `name` and `metric`"),
        ({"name": "no metric", "max": 1}, "needs a string `name` and `metric`"),
        ({"name": "typo", "metric": "a", "max": 1, "optinal": True}, "unknown key(s) optinal"),
        ({"name": "quoted", "metric": "a", "max": 1, "optional": "false"}, "without quotes"),
        ("just a string", "each budget is a [[budget]] table"),
    ],
)
def test_malformed_budgets_are_rejected(entry, message):
    with pytest.raises(budgets.BudgetError, match=re.escape(message)):
        budgets.parse({"budget": [entry]})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pages": "home", "budget": [{"name": "x", "metric": "a", "max": 1}]}, "`pages`"),
        ({"pages": ["home", 3], "budget": [{"name": "x", "metric": "a", "max": 1}]}, "`pages`"),
        ({"budget": []}, "no [[budget]] tables"),
        ({"budget": {"name": "x", "metric": "a", "max": 1}}, "two brackets"),
        ({"budget": [{"name": "x", "metric": "site.{page}.score", "min": 1}]}, "no `pages`"),
    ],
)
def test_malformed_budget_files_are_rejected(data, message):
    with pytest.raises(budgets.BudgetError, match=re.escape(message)):
        budgets.parse(data)


def test_an_unreadable_budgets_file_names_the_file_and_the_line(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(budgets.BudgetError, match=re.escape(f"{missing}: cannot read")):
        budgets.load(missing)
    broken = tmp_path / "budgets.toml"
    broken.write_text('pages = ["home"]\n[[budget]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(
        budgets.BudgetError, match=rf"{re.escape(str(broken))}: not valid TOML.*line 2"
    ):
        budgets.load(broken)
    broken.write_text('[[budget]]\nname = "x"\nmetric = "a"\nmax = 1\nunit = "s"\noptinal = true\n')
    with pytest.raises(budgets.BudgetError, match=rf"{re.escape(str(broken))}: budget 'x'"):
        budgets.load(broken)


def test_the_benchmark_stops_before_any_work_on_a_bad_budgets_file(tmp_path, capsys):
    bad = tmp_path / "budgets.toml"
    bad.write_text("[[budget]]\nname = 1\n", encoding="utf-8")
    assert cli.main(["--budgets", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert f"{bad}: budget" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_real_budgets_file_parses():
    parsed = budgets.load(ROOT / "bench" / "budgets.toml")
    metrics = {b.metric for b in parsed}
    assert "site.lighthouse.mobile.faq.performance" in metrics
    assert "site.weight.home.gzip_kb" in metrics
    assert {b.metric for b in parsed if b.optional} == {"make.check.seconds"}


def test_summary_renders_ratios_failures_and_missing_values():
    results = {
        "meta": {"runs": 5, "lighthouse_runs": 3, "query_source": "built-in list"},
        "site": {
            "build": {"mkdocs": {"median_s": 3.0, "pages": 12}},
            "lighthouse": {
                "mobile": {
                    "home": {
                        "performance": 90,
                        "failing": [
                            {
                                "id": "total-blocking-time",
                                "category": "performance",
                                "title": "Total Blocking Time",
                                "score": 0.5,
                                "display": "400 ms",
                                "failed_in_runs": 3,
                                "items": [],
                            }
                        ],
                    }
                }
            },
        },
        "reference": {
            "build": {"mkdocs": {"median_s": 2.0, "pages": 12}},
            "lighthouse": {"mobile": {"home": {"performance": 100}}},
        },
        "budgets": [
            {
                "name": "perf (home)",
                "metric": "site.lighthouse.mobile.home.performance",
                "op": ">=",
                "limit": 95.0,
                "unit": "",
                "value": 90.0,
                "status": "fail",
                "reason": "past budget",
            }
        ],
    }
    text = summary.render(results)
    assert "| `mkdocs build --strict` (median of 5) | 3.00 s | 2.00 s | 1.50x |" in text
    assert "90 / 100 (0.90x)" in text
    assert "**1 of 1 budgets missed.**" in text
    assert "| perf (home) | 90 | >= 95 | **FAIL** |" in text
    assert "`total-blocking-time`" in text
    assert "n/a" in text  # zensical was not measured
    assert "not run (BENCH_SLOW=1 or --with-make)" in text


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
    reference = project.reference_config(config)
    assert reference == {
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


def test_search_rank_matches_the_page_path_whatever_its_spelling():
    links = ["http://127.0.0.1:1/?h=cost", "http://127.0.0.1:1/faq/?h=cost#insurance"]
    assert rank(links, "/faq/") == 2
    assert rank(links, "faq.md") == 2
    assert rank(links, "/") == 1
    assert rank(links, "/research/") is None
    assert rank(links, None) is None
    assert rank(links, ("/research/", "/faq/")) == 2  # any of several pages counts


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


def test_query_file_with_page_lists_and_the_built_in_fallback(tmp_path):
    path = tmp_path / "search_queries.yml"
    queries, source = load_queries(path)
    assert queries and source.startswith("built-in list")
    path.write_text(
        "- query: Zarate\n  page: [/research/, /references/]\n- query: cost\n  expect: faq.md\n",
        encoding="utf-8",
    )
    queries, source = load_queries(path)
    assert [(q.query, q.expect) for q in queries] == [
        ("Zarate", ("/research/", "/references/")),
        ("cost", ("faq.md",)),
    ]
    assert source.endswith("2 queries")


def test_a_serve_edit_that_never_showed_fails_the_budget():
    result = serve._result([1.0, None, 1.2, 1.1, 1.3], "index.md")
    assert result["median_s"] is None and result["timed_out"] == 1
    limit = budgets.parse(
        {"budget": [{"name": "serve", "metric": "site.serve.median_s", "max": 1.5}]}
    )
    (outcome,) = budgets.evaluate({"site": {"serve": result}}, limit)
    assert outcome.status == "fail" and "not measured" in outcome.reason
    assert serve._result([1.0, 1.2, 1.1], "index.md")["median_s"] == 1.1
