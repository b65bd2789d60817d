"""PowerPoint files behind one door (deckgen.office), and every library deckgen imports declared.

Read with `ast` like test_architecture.py (whose `imports` and `stage` this uses):

- python-pptx and lxml are imported in deckgen.office only, and the zip of an Office package
  is opened there only (zipfile elsewhere only where named below, with why);
- office.read sits at the source stage: it imports nothing above `deckgen.source` (the shared
  helpers aside), and not python-pptx, so a template is read before anything is laid out;
- office.write sits at the render stage;
- python-pptx's private names are reached in office/write/internals.py only;
- python-pptx is pinned to one minor version, the one installed here;
- every library src/deckgen imports is declared in pyproject.toml's dependencies.
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from test_architecture import MODULES, SHARED, imports, stage

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "deckgen.office"
INTERNALS = "deckgen.office.write.internals"
#: Modules outside deckgen.office that may open a zip or parse XML, and why it is not a
#: PowerPoint package's.
ELSEWHERE = {
    # an Excel workbook (a data source), checked within bounds before openpyxl reads it
    "deckgen.data.xlsxcheck": "a workbook",
}
#: Names lxml and python-pptx make public although they begin with '_'.
PUBLIC_UNDERSCORED = {"_Element"}


def _users(library: str) -> list[str]:
    return sorted(m for m in MODULES
                  if any(n == library or n.startswith(library + ".") for n in imports(m)))


@pytest.mark.parametrize("library", ["pptx", "lxml"])
def test_python_pptx_and_lxml_only_in_the_office_package(library: str) -> None:
    users = _users(library)
    assert users, f"nothing imports {library}: is the rule still needed?"
    assert [m for m in users if not m.startswith(OFFICE)] == []


@pytest.mark.parametrize("library", ["zipfile", "xml.etree", "xml.dom", "xml.sax",
                                     "defusedxml"])
def test_package_zips_and_xml_are_opened_only_in_the_office_package(library: str) -> None:
    outside = [m for m in _users(library) if not m.startswith(OFFICE)]
    assert sorted(set(outside) - set(ELSEWHERE)) == []


def test_the_readers_sit_at_the_source_stage_and_never_import_python_pptx() -> None:
    readers = [m for m in MODULES if m.startswith(OFFICE + ".read") or m == OFFICE]
    assert len(readers) >= 4  # office, office.read, its package and template modules
    wrong = []
    for module in readers:
        assert stage(module) == "source"
        for name in imports(module):
            if name == "pptx" or name.startswith("pptx."):
                wrong.append(f"{module} imports {name}")
            elif name.startswith("deckgen.") and stage(name) not in {"source", *SHARED}:
                wrong.append(f"{module} imports {name} ({stage(name)})")
    assert wrong == []


def test_the_writers_sit_at_the_render_stage() -> None:
    writers = [m for m in MODULES if m.startswith(OFFICE + ".write")]
    assert INTERNALS in writers
    assert {stage(m) for m in writers} == {"render"}


def _private_uses(module: str) -> list[str]:
    """Where a module reaches a name python-pptx (or another library) keeps private: `x._name`
    on anything but `self` or `cls`, `from pptx... import _name`, a class built on one of
    python-pptx's (whose private methods it would override)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    from_pptx = {alias.asname or alias.name for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pptx")
                 for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and node.attr not in PUBLIC_UNDERSCORED \
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{module}:{node.lineno} ._{node.attr[1:]}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pptx"):
            found += [f"{module}:{node.lineno} imports {a.name}" for a in node.names
                      if a.name.startswith("_")]
        elif isinstance(node, ast.ClassDef):
            found += [f"{module}:{node.lineno} class {node.name} on {base.id}"
                      for base in node.bases
                      if isinstance(base, ast.Name) and base.id in from_pptx]
    return found


def test_python_pptx_private_api_is_reached_in_internals_only() -> None:
    assert _private_uses(INTERNALS), "internals uses no private name: is it still needed?"
    wrong = [use for module in MODULES if module.startswith(OFFICE) and module != INTERNALS
             for use in _private_uses(module)]
    assert wrong == []


def _dependencies() -> list[Requirement]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return [Requirement(d) for d in tomllib.load(f)["project"]["dependencies"]]


def test_python_pptx_is_pinned_to_the_minor_version_installed() -> None:
    """internals.py depends on python-pptx's private names, which a minor release may change:
    the pin allows patch releases of the version tested only."""
    pptx = next(r for r in _dependencies() if canonicalize_name(r.name) == "python-pptx")
    installed = version("python-pptx")
    assert pptx.specifier.contains(installed), (str(pptx), installed)
    major, minor = (int(n) for n in installed.split(".")[:2])
    assert not pptx.specifier.contains(f"{major}.{minor + 1}.0")
    assert not pptx.specifier.contains(f"{major + 1}.0.0")


def test_every_library_deckgen_imports_is_declared() -> None:
    """Each top-level name src/deckgen imports is the standard library's, deckgen's own, or a
    distribution pyproject.toml declares (not only one that a declared library happens to
    bring along)."""
    declared = {canonicalize_name(r.name) for r in _dependencies()}
    providers = packages_distributions()
    # LibreOffice's own Python runs render/office_worker.py, with its `uno` (never imported
    # by deckgen)
    theirs = {"uno", "com"}
    undeclared = []
    for module in MODULES:
        for name in imports(module):
            top = name.split(".")[0]
            if not top or top == "deckgen" or top in sys.stdlib_module_names or top in theirs:
                continue
            if not {canonicalize_name(d) for d in providers.get(top, [])} & declared:
                undeclared.append(f"{module} imports {top}")
    assert sorted(set(undeclared)) == []
