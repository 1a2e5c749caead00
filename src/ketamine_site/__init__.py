"""Python-Markdown extensions for the site: all that `mkdocs build` and `zensical build`
import. Tooling (checks, benchmark, screenshots) lives apart, in ketamine_tools."""
