"""`python -m ketamine_tools.bench` (what `make bench` runs)."""

from ketamine_tools.bench.cli import main

raise SystemExit(main())
