"""Shared fixtures: the repository root, and the sample deck and its PDF, made once per test
session and shared by every test that reads them.

The whole session keeps deckgen's cache in a temporary folder of its own ($DECKGEN_CACHE_DIR,
removed at the end), never in the developer's ~/.cache; a test that looks into the cache takes
`user_cache`, a fresh one of its own.

deckgen's modules are compiled to bytecode once, at the start: where PYTHONDONTWRITEBYTECODE
is set (as on CI's machine) and nothing has compiled them (a fresh clone, an editable
install), every `python -m deckgen` the tests start would otherwise compile them all again, some
hundreds of times a session.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="deckgen-test-cache-")
    _SESSION_CACHE.append(folder)
    os.environ["DECKGEN_CACHE_DIR"] = folder  # subprocesses inherit it
    _compile_deckgen()


def _compile_deckgen() -> None:
    """Compile deckgen's modules to bytecode (__pycache__, which git ignores), as pip does when
    it installs a package; where they cannot be written, each process compiles them itself."""
    spec = importlib.util.find_spec("deckgen")
    if spec is None or not spec.submodule_search_locations:
        return
    for folder in spec.submodule_search_locations:
        try:
            compileall.compile_dir(folder, quiet=1)
        except OSError:
            pass


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _SESSION_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def user_cache(tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder for this test alone (builds in this process and its subprocesses), apart
    from the test's own `tmp_path`; not made yet (deckgen makes it)."""
    folder = tmp_path_factory.mktemp("cache") / "deckgen"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(folder))
    return folder


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


@pytest.fixture(scope="session")
def sample_pdf(sample_pptx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample deck as LibreOffice renders it, through deckgen's own export (which lets
    LibreOffice see the bundled fonts: on a machine without Arial or Liberation Sans, a plain
    `soffice --convert-to` wraps text that fits), into a folder `to_pdf` makes itself.
    tests/e2e/test_render.py and test_export.py read it; they skip without LibreOffice."""
    from deckgen.render.export import to_pdf

    target = tmp_path_factory.mktemp("sample-pdf") / "pdf" / "deck.pdf"
    assert to_pdf(sample_pptx, target, timeout=300) == target
    return target


def _ooxml_findings(path: Path) -> list[str]:
    """What the OOXML validator (openxml-audit: the schemas and PowerPoint's own rules) finds
    wrong in a .pptx: nothing, for a deck PowerPoint opens cleanly."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(path)
    return [str(e) for e in result.errors]


@pytest.fixture(scope="session")
def ooxml_findings():  # type: ignore[no-untyped-def]
    return _ooxml_findings


@pytest.fixture(scope="session")
def monthly_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of examples/monthly-pack with its SYNTHETIC extract made by the documented
    command (the extract is not in the repository: a fresh clone has none)."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("pack") / "monthly-pack"
    shutil.copytree(ROOT / "examples" / "monthly-pack", folder,
                    ignore=shutil.ignore_patterns("output", "police-uk-SYNTHETIC"))
    subprocess.run([sys.executable, "make_data.py"], cwd=folder, check=True, timeout=300,
                   capture_output=True)
    return folder
