"""Load stage: deck.yaml and what it extends -> plain data, every value located, validated."""
