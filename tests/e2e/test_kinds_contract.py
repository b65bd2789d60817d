"""Adding a slide kind is one module, one registry line and one docs example: nothing else.

A throwaway kind, `photo`, that reads a picture from its `picture:` key, is registered here the
way a real kind is. Declaring `picture` as a file key in its registry line is all it takes for
the path rule to refuse a picture outside the outline's folder, for `extends:` to rebase it
and for the cache to rebuild when the picture changes; reading a key it did not declare fails
loudly. (The one-docs-example-per-kind rule is tests/e2e/test_docs_examples.py.)
"""

from __future__ import annotations

import sys
import textwrap
import typing
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from deckgen import app, kinds
from deckgen.errors import DeckError
from deckgen.kinds.base import Planned, SlideContext, SlideSpec

PHOTO = textwrap.dedent('''
    """`photo`: a throwaway kind for tests: one picture, read from the `picture:` key."""

    from typing import Literal

    from deckgen.data.images import fit_inside, load_image
    from deckgen.kinds.base import Planned, SlideContext, SlideSpec
    from deckgen.layout.frame import content_title
    from deckgen.layout.plan import Box, Picture, SlidePlan


    class Spec(SlideSpec):
        kind: Literal["photo"]
        picture: str
        alt: str = "a photo"


    def plan(spec: Spec, ctx: SlideContext) -> Planned:
        image = load_image(ctx.asset("picture", spec.picture), ctx.locate("picture"),
                           ctx.label)
        area = ctx.theme.content
        w, h = fit_inside(area.w, area.h, image.aspect)
        box = Box(area.x, area.y, w, h)
        return Planned([SlidePlan(content_title(spec.title, ctx.theme),
                                  [Picture(box, image.data, spec.alt, "Picture")])])
''')


@pytest.fixture()
def photo_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `photo` kind's module on the path and its line in the registry."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "photo_kind.py").write_text(PHOTO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    monkeypatch.setitem(kinds.REGISTRY, "photo", kinds.Entry("photo_kind", files=("picture",)))
    yield tmp_path
    sys.modules.pop("photo_kind", None)


def _png(path: Path, colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30), colour).save(path)


def _outline(folder: Path, picture: str) -> Path:
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\nslides:\n  - kind: photo\n    title: A photo\n"
                    f"    picture: {picture}\n", encoding="utf-8")
    return deck


def test_every_registered_kind_keeps_the_contract() -> None:
    for name, entry in kinds.REGISTRY.items():
        module = kinds.get(name)
        assert module is not None and entry.module == module.__name__  # type: ignore[attr-defined]
        assert issubclass(module.Spec, SlideSpec)
        assert typing.get_args(module.Spec.model_fields["kind"].annotation) == (name,)
        hints = typing.get_type_hints(module.plan)
        assert hints["return"] is Planned and hints["ctx"] is SlideContext, name
        for key in entry.files:
            assert key in module.Spec.model_fields, f"{name} declares '{key}', has no such key"


def test_a_new_kind_builds_with_one_module_and_one_registry_line(photo_kind: Path) -> None:
    folder = photo_kind / "deck"
    _png(folder / "pictures" / "p.png", "red")
    built = app.build(_outline(folder, "pictures/p.png"), folder / "out.pptx")
    slide = Presentation(str(built.output)).slides[0]
    assert slide.shapes.title.text_frame.text == "A photo"
    assert any(shape.shape_type == 13 for shape in slide.shapes)  # a picture


def test_a_declared_file_key_is_held_to_the_outline_folder(photo_kind: Path) -> None:
    _png(photo_kind / "outside.png", "blue")
    folder = photo_kind / "deck"
    folder.mkdir()
    for ref in ("../outside.png", str(photo_kind / "outside.png")):
        with pytest.raises(DeckError) as info:
            app.check(_outline(folder, ref))
        assert str(info.value) == (
            f"{folder / 'deck.yaml'}:5:14: slide 1 (photo): {ref} is outside the outline's "
            "folder; move the file into it, or build with --allow-outside-paths if you trust "
            "this outline")


def test_changing_a_declared_file_rebuilds_the_deck(photo_kind: Path) -> None:
    folder = photo_kind / "deck"
    picture = folder / "pictures" / "p.png"
    _png(picture, "red")
    deck = _outline(folder, "pictures/p.png")
    first = app.build(deck, folder / "out.pptx")
    assert not first.reused
    assert app.build(deck, folder / "out.pptx").reused  # nothing changed
    _png(picture, "green")
    again = app.build(deck, folder / "out.pptx")
    assert not again.reused and again.redrawn is None
    blob = [s.image.blob for s in Presentation(str(again.output)).slides[0].shapes
            if s.shape_type == 13][0]
    assert blob == picture.read_bytes()


def test_extends_rebases_a_declared_file_key(photo_kind: Path) -> None:
    folder = photo_kind / "deck"
    _png(folder / "pictures" / "p.png", "red")
    _outline(folder, "pictures/p.png")
    child = folder / "local" / "deck.yaml"
    child.parent.mkdir()
    child.write_text("extends: ../deck.yaml\ntitle: Local\n", encoding="utf-8")
    built = app.build(child, folder / "local.pptx")
    assert built.slides == 1


def test_reading_an_undeclared_key_fails_loudly(photo_kind: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kinds.REGISTRY, "photo", kinds.Entry("photo_kind"))  # no files declared
    folder = photo_kind / "deck"
    _png(folder / "p.png", "red")
    with pytest.raises(RuntimeError, match="reads the file named by 'picture' without declaring"):
        app.check(_outline(folder, "p.png"))
