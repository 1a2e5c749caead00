"""`make bench`: a benchmark of the site against stock Material, with budgets.

A benchmark, not a test: it builds and serves the site (and a stock-Material reference built
from the same docs/) on 127.0.0.1, measures what readers and contributors feel, writes
bench/results.json and bench/summary.md, and exits non-zero past any budget in
bench/budgets.toml.

Modules: `stats`, `budgets` and `summary` are pure (unit-tested in tests/test_bench.py); the
rest drive processes and a browser.
"""
