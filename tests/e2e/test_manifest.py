"""The build's manifest of its inputs (source/manifest.py): every file a build reads, listed
once, and what the up-to-date check, the output check and watch follow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pptx import Presentation


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _texts(pptx: Path) -> list[str]:
    return [sh.text_frame.text for s in Presentation(str(pptx)).slides for sh in s.shapes
            if sh.has_text_frame]


def test_a_brand_file_named_with_a_variable_is_followed(tmp_path: Path,
                                                        user_cache: Path) -> None:
    """`brand: brands/{force}.yaml`: a save of that brand file is a change like any other (the
    up-to-date check once looked for a file named '{force}.yaml' and, finding none, called
    the deck up to date with the old footer)."""
    (tmp_path / "brands").mkdir()
    brand = tmp_path / "brands" / "essex.yaml"
    brand.write_text("name: Essex\nfooter: Essex footer\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        "title: T\nvariables:\n  force: {default: essex}\nbrand: brands/{force}.yaml\n"
        "output: out.pptx\nslides:\n  - {kind: bullets, title: One, points: [A]}\n",
        encoding="utf-8")
    assert _cli("build", "deck.yaml", cwd=tmp_path).returncode == 0
    brand.write_text("name: Essex\nfooter: Changed footer\n", encoding="utf-8")
    again = _cli("build", "deck.yaml", cwd=tmp_path)
    assert again.stdout.startswith("wrote out.pptx"), again.stdout
    assert "Changed footer" in _texts(tmp_path / "out.pptx")
