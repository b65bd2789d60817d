"""Shared fixtures: the repository root and the sample deck, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture()
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample deck (outline, data, assets) that a test may change."""
    for name in ("deck.yaml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("data", "assets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path / "deck.yaml"


@pytest.fixture(scope="session")
def sample_pptx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck built from the repository's deck.yaml into a temporary folder."""
    from deckgen.app import build

    out = tmp_path_factory.mktemp("sample") / "southend-briefing.pptx"
    build(ROOT / "deck.yaml", output=out)
    return out
