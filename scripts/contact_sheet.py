"""Make a numbered contact sheet (all slides in a grid) from PNG pages: `contact_sheet.py OUT PNG...`."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from deckgen.textfit import font_path


def sheet(pages: list[Path], out: Path, columns: int = 4, width: int = 400) -> None:
    images = [Image.open(p).convert("RGB") for p in pages]
    height = int(width * images[0].height / images[0].width)
    rows = (len(images) + columns - 1) // columns
    pad, label = 12, 22
    canvas = Image.new("RGB", (columns * (width + pad) + pad, rows * (height + pad + label) + pad),
                       "#D9DEE5")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(font_path(bold=True), 16)
    for i, img in enumerate(images):
        x = pad + (i % columns) * (width + pad)
        y = pad + (i // columns) * (height + pad + label)
        draw.text((x, y), str(i + 1), fill="#1B365D", font=font)
        canvas.paste(img.resize((width, height), Image.LANCZOS), (x, y + label))
    canvas.save(out)


if __name__ == "__main__":
    sheet([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))
