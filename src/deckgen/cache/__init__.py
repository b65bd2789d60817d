"""Reuse or record: the one place that decides whether a build can reuse earlier work."""
