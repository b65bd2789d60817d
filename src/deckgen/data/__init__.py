"""Resolve stage: the data an outline names, read strictly and computed (pandas lives here)."""
