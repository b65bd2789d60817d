"""Allow `python -m deckgen`."""

from deckgen.cli import main

raise SystemExit(main())
