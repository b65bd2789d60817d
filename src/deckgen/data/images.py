"""Read images (logo, pictures) safely: real raster files only, bounded in bytes and pixels.

Pillow names a file's format from its content and hands EPS or PostScript to Ghostscript, which
runs it: a picture named `.png` could draw any file on the machine into the deck, or loop
forever. So the format is decided here, from the file's first bytes, before any decoder sees
it, and Pillow opens it with that format's plugin only (`formats=`): its EPS, PDF, WMF and
other plugins are never tried.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from deckgen.errors import DeckError, Location
from deckgen.inputs import TooLarge, read_input

#: Larger images are refused (a decompression bomb, or a photo that should be resized first).
MAX_PIXELS = 40_000_000
#: Larger picture files are refused before they are read; a photo of 40 million pixels is well
#: under this as a JPEG.
MAX_IMAGE_BYTES = 50_000_000
#: The picture formats deckgen reads, each known by how its file begins (its magic bytes), with
#: the Pillow plugin that decodes it. GIF and BMP pictures are stored in the deck as PNG.
FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)


@dataclass(frozen=True)
class Image:
    data: bytes  # PNG or JPEG bytes, as PowerPoint stores them
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height


def picture_format(raw: bytes) -> str | None:
    """A picture's format from its first bytes ('PNG', 'JPEG', 'GIF', 'BMP'); None for any
    other file (EPS, PostScript, PDF, SVG, WMF/EMF, TIFF, WebP, text...)."""
    return next((name for magic, name in FORMATS if raw.startswith(magic)), None)


def load_image(path: Path, where: Location | None, context: str = "") -> Image:
    """Open and check an image file; any problem is a DeckError located at the outline field."""
    def fail(message: str) -> DeckError:
        return DeckError.single(message, where, context)

    try:
        raw = read_input(path, MAX_IMAGE_BYTES)
    except TooLarge as exc:
        raise fail(f"image {path.name} {exc.strerror}; resize or compress it first") from None
    except FileNotFoundError:
        raise fail(f"image not found: {path.name} (looked in {path.parent})") from None
    except OSError as exc:
        raise fail(f"cannot read image {path.name}: {exc.strerror}") from None
    fmt = picture_format(raw)
    if fmt is None:
        raise fail(f"{path.name} is not a PNG, JPEG, GIF or BMP picture (deckgen reads no "
                   "other format, such as EPS, PDF, SVG, WMF, TIFF or WebP): save it as PNG "
                   "or JPEG")
    return _decode(raw, fmt, path.name, fail)


def _decode(raw: bytes, fmt: str, name: str, fail: Callable[[str], DeckError]) -> Image:
    """The picture decoded by Pillow's plugin for `fmt` alone, bounded in pixels; a GIF or a
    BMP as PNG bytes."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    old_limit = PILImage.MAX_IMAGE_PIXELS
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(raw), formats=[fmt]) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise fail(f"image {name} is {width}x{height} pixels, more than "
                               f"{MAX_PIXELS:,}; resize it first")
                if width < 1 or height < 1:
                    raise fail(f"image {name} is {width}x{height} pixels: it shows nothing")
                img.load()
                if fmt not in ("PNG", "JPEG"):
                    out = io.BytesIO()
                    img.save(out, format="PNG")
                    raw = out.getvalue()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise fail(f"image {name} is too large in pixels (over {MAX_PIXELS:,}); "
                   "resize it first") from None
    except UnidentifiedImageError:
        raise fail(f"{name} begins as a {fmt} picture but is not one deckgen can read: save "
                   "it again as PNG or JPEG") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise fail(f"image {name} is damaged or truncated ({exc})") from None
    finally:
        PILImage.MAX_IMAGE_PIXELS = old_limit
    return Image(raw, width, height)


def fit_inside(box_w: int, box_h: int, aspect: float) -> tuple[int, int]:
    """The largest (w, h) with the given aspect ratio inside the box."""
    if box_w / box_h > aspect:
        return int(box_h * aspect), box_h
    return box_w, int(box_w / aspect)
