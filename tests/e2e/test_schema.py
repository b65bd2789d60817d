"""`deckgen schema`: the outline's JSON Schema, made from the models that validate outlines.
Every sample and docs example is valid against it; the bad-input fixtures whose error is
about the outline's shape are not; the schema file the sample outlines name is up to date."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from deckgen.app import outline_schema
from deckgen.source.yamlsrc import load_file, loads

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "bad"
#: fixtures whose only problem is the outline's shape: a key or kind that does not exist, one
#: missing, a value of the wrong type
SHAPE_ERRORS = ["missing-required-field", "missing-slides", "misspelt-required-key",
                "no-slides", "not-a-mapping", "unknown-key-in-slide", "unknown-slide-kind",
                "wrong-type-number"]


def _as_json(value: Any) -> Any:
    """YAML as an editor's YAML extension sees it: dates are text."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _load(path: Path) -> Any:
    """An outline read as deckgen reads it (YAML 1.2's booleans: `on:` is a key, as in the
    editor), with dates as text."""
    return _as_json(load_file(path)[0])


def _loads(text: str) -> Any:
    return _as_json(loads(text, "example")[0])


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = outline_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_samples_and_docs_examples_are_valid(validator: Any) -> None:
    import test_docs_examples as docs

    outlines = [ROOT / "deck.yaml", ROOT / "examples" / "monthly-pack" / "deck.yaml"]
    for path in outlines:
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], (path, errors)
    header = _as_json(docs._header())
    for block in docs.EXAMPLES:
        outline = {**header, "slides": _loads(block)}
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(outline)]
        assert errors == [], (block[:80], errors)
    for block in docs._outline_examples():
        assert list(validator.iter_errors(_loads(block))) == []


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_outlines_of_the_wrong_shape_are_rejected(validator: Any, name: str) -> None:
    assert list(validator.iter_errors(_load(BAD / name / "deck.yaml"))), name


def test_keys_carry_their_meaning_and_allowed_values() -> None:
    schema = outline_schema()
    defs = schema["$defs"]
    deck = defs["DeckSpec"]["properties"]
    assert deck["chart_engine"]["enum"] == ["matplotlib", "native"]
    assert "PowerPoint chart" in deck["chart_engine"]["description"]
    assert "layout for each kind" in deck["layouts"]["description"]
    kinds = deck["slides"]["items"]["properties"]["kind"]["enum"]
    assert {"title", "chart", "table", "bullets"} <= set(kinds)
    chart = next(d for name, d in defs.items() if d.get("properties", {}).get("kind", {})
                 .get("const") == "chart")
    assert chart["properties"]["chart"]["enum"] == ["bar", "hbar", "pie", "donut", "line"]
    assert "category column" in chart["properties"]["x"]["description"]


def test_the_schema_file_the_samples_name_is_up_to_date(tmp_path: Path) -> None:
    written = tmp_path / "s.json"
    result = subprocess.run([sys.executable, "-m", "deckgen", "schema", "-o", str(written)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(written.read_text(encoding="utf-8")) == outline_schema()
    committed = ROOT / "outline.schema.json"
    assert committed.read_text(encoding="utf-8") == written.read_text(encoding="utf-8"), \
        "run: deckgen schema -o outline.schema.json"
    for outline, ref in ((ROOT / "deck.yaml", "outline.schema.json"),
                         (ROOT / "examples" / "monthly-pack" / "deck.yaml",
                          "../../outline.schema.json")):
        assert f"# yaml-language-server: $schema={ref}\n" in outline.read_text(encoding="utf-8")
