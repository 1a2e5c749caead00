"""Markdown extensions and checks for the ketamine-duration health site."""
