"""deckgen: build branded, editable PowerPoint briefings from a YAML outline and CSV data."""

__version__ = "0.1.0"
