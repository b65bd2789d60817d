"""Read images (logo, pictures) safely: real image files only, bounded in pixels."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DeckError, Location

#: Larger images are refused (a decompression bomb, or a photo that should be resized first).
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Image:
    data: bytes  # PNG or JPEG bytes, as PowerPoint stores them
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height


def load_image(path: Path, where: Location | None, context: str = "") -> Image:
    """Open and check an image file; any problem is a DeckError located at the outline field."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    def fail(message: str) -> DeckError:
        return DeckError.single(message, where, context)

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(f"image not found: {path.name} (looked in {path.parent})") from None
    except OSError as exc:
        raise fail(f"cannot read image {path.name}: {exc.strerror}") from None
    old_limit = PILImage.MAX_IMAGE_PIXELS
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(raw)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise fail(f"image {path.name} is {width}x{height} pixels, more than "
                               f"{MAX_PIXELS:,}; resize it first")
                img.load()
                fmt = img.format
                if fmt not in ("PNG", "JPEG"):
                    out = io.BytesIO()
                    img.save(out, format="PNG")
                    raw = out.getvalue()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise fail(f"image {path.name} is too large in pixels (over {MAX_PIXELS:,}); "
                   "resize it first") from None
    except UnidentifiedImageError:
        raise fail(f"{path.name} is not an image deckgen can read (use PNG or JPEG)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise fail(f"image {path.name} is damaged or truncated ({exc})") from None
    finally:
        PILImage.MAX_IMAGE_PIXELS = old_limit
    return Image(raw, width, height)


def fit_inside(box_w: int, box_h: int, aspect: float) -> tuple[int, int]:
    """The largest (w, h) with the given aspect ratio inside the box."""
    if box_w / box_h > aspect:
        return int(box_h * aspect), box_h
    return box_w, int(box_w / aspect)
