"""The shape of a build's inputs and of the cache, read from the imports (as
test_architecture.py reads the stages):

- the cache is a leaf: it keeps keys, memos and verified entries, and imports nothing above the
  data stage (no pipeline, layout, kinds or render: the orchestrator, app.py, does the work and
  asks the cache only whether earlier work can be reused);
- one manifest of a build's inputs (source/manifest.py): only it reads an outline into a tree
  for a build, walks the paths the merged outline names and expands patterns (watch looks for a
  pattern's files again between builds; the load stage checks each outline file's paths as
  written), so the data store, the cache, the output check, watch and clean cannot disagree
  about which files a build reads.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def _architecture() -> ModuleType:
    """test_architecture.py's reading of the imports, shared rather than copied."""
    path = Path(__file__).with_name("test_architecture.py")
    spec = importlib.util.spec_from_file_location("_deckgen_architecture", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ARCH = _architecture()
#: What the cache may import from deckgen: the stages up to data, and the shared helpers.
BELOW_CACHE = {"source", "data", "cache"}


def _users(name: str) -> list[str]:
    """The deckgen modules that import `name` (a module, or a name in a module)."""
    return sorted(m for m in ARCH.MODULES
                  if any(i == name or i.startswith(name + ".") for i in ARCH.imports(m)))


def test_the_cache_imports_nothing_above_the_data_stage() -> None:
    wrong = []
    for module, targets in ARCH.graph().items():
        if ARCH.stage(module) != "cache":
            continue
        for target in targets:
            there = ARCH.stage(target)
            if there not in BELOW_CACHE and there not in ARCH.SHARED:
                wrong.append(f"{module} imports {target} ({there})")
    assert wrong == []


def test_the_cache_comes_before_layout_in_the_stage_order() -> None:
    order = ARCH.ORDER
    assert order.index("data") < order.index("cache") < order.index("layout")


def test_the_cache_draws_nothing_and_plans_nothing() -> None:
    """No module of the cache names matplotlib, python-pptx or pandas."""
    for module in (m for m in ARCH.MODULES if ARCH.stage(m) == "cache"):
        found = {i.split(".")[0] for i in ARCH.imports(module)}
        assert not found & {"matplotlib", "pptx", "pandas", "numpy"}, module


def test_only_the_manifest_reads_an_outline_for_a_build() -> None:
    assert _users("deckgen.source.inherit.load_tree") == ["deckgen.source.manifest"]


def test_only_the_manifest_expands_patterns_and_walks_the_merged_outlines_paths() -> None:
    assert _users("deckgen.source.patterns") == ["deckgen.live.watch",
                                                 "deckgen.source.manifest"]
    assert _users("deckgen.source.paths.named_paths") == ["deckgen.source.inherit",
                                                          "deckgen.source.manifest"]
