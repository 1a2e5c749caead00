"""`make bench`: the site against stock Material, on the field's tools.

Lighthouse CI (`lhci collect` / `lhci assert`, bench/lighthouserc.json) scores every page in
the sitemap, both throttling methods, gzip on and off, ours and the reference interleaved;
hyperfine times the builds. What no tool measures stays here, small: `mkdocs serve`'s save ->
visible (serve.py) and search's keystroke -> results (search.py). `compare` and `budgets` are
pure and unit-tested in tests/test_bench.py; the rest drive processes and a browser.
"""
