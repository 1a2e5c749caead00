"""Tooling for the site, apart from what the build imports: the checks, the CSP step,
screenshots, link checking, the benchmark. It may import ketamine_site; never the reverse."""
