"""The monthly cycle: next month's deck keeps what people added to last month's by hand
(`carry`, `build`), and what changed between two decks is shown slide by slide (`diff`).

It sits after the render stage: it reads decks through office/read/deck.py and writes the
carried edits through office/write/carry.py, the one door to PowerPoint files.
"""
