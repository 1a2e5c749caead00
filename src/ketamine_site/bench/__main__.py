"""`python -m ketamine_site.bench` (what `make bench` runs)."""

from ketamine_site.bench.cli import main

raise SystemExit(main())
