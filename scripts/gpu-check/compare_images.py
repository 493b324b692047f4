#!/usr/bin/env python3
"""Pairs the PNG files of two folders by name and reports how far apart they are, in 8-bit levels.

Usage: compare_images.py REFERENCE_DIR OTHER_DIR [LABEL]
Prints one JSON object: per image the max and mean absolute difference over all channels, and the worst of them.
Standard library only (zlib), so it runs where neither numpy nor Pillow is installed.
"""
import json
import os
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def read_png(path):
    """Decodes an 8-bit, non-interlaced PNG into (width, height, channels, bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or interlace != 0 or colour not in CHANNELS:
        raise ValueError(f"{path}: only 8-bit non-interlaced grey/RGB(A) PNGs are compared (depth {depth}, colour {colour})")
    channels = CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = bytearray(height * stride)
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(kind, line, previous, channels)
        out[y * stride:(y + 1) * stride] = line
        previous = line
    return width, height, channels, bytes(out)


def unfilter(kind, line, previous, bpp):
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 255
        elif kind == 4:
            upper_left = previous[i - bpp] if i >= bpp else 0
            p = left + up - upper_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
            line[i] = (line[i] + predictor) & 255
        elif kind != 0:
            raise ValueError(f"unknown PNG filter {kind}")


def compare(reference_dir, other_dir):
    names = sorted(n for n in os.listdir(reference_dir) if n.lower().endswith(".png"))
    missing = [n for n in names if not os.path.exists(os.path.join(other_dir, n))]
    if not names or missing:
        raise SystemExit(f"nothing to compare: {len(names)} PNGs in {reference_dir}, missing in {other_dir}: {missing[:5]}")
    images = []
    for name in names:
        a = read_png(os.path.join(reference_dir, name))
        b = read_png(os.path.join(other_dir, name))
        if a[:3] != b[:3]:
            raise SystemExit(f"{name}: {a[:3]} vs {b[:3]} (width, height, channels) differ")
        diffs = [abs(x - y) for x, y in zip(a[3], b[3])]
        images.append({"image": name, "max": max(diffs), "mean": sum(diffs) / len(diffs)})
    return {
        "images": len(images),
        "max": max(i["max"] for i in images),
        "mean": sum(i["mean"] for i in images) / len(images),
        "per_image": images,
    }


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    result = compare(sys.argv[1], sys.argv[2])
    result["label"] = sys.argv[3] if len(sys.argv) == 4 else f"{sys.argv[1]} vs {sys.argv[2]}"
    print(json.dumps(result))
