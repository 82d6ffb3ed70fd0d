#!/usr/bin/env python3
"""Draws the Teams app icons (manifest/color.png 192x192, manifest/outline.png 32x32 white on transparent).
A phone with a check mark: "your sign-in phone, verified". Re-run after changing the drawing."""
import struct, zlib, pathlib

def png(path, size, pixel):
    rows = b''.join(b'\x00' + b''.join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    header = struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    path.write_bytes(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b''))

def phone_parts(x, y, s):
    """Returns (on_body_outline, inside_body, on_check) in unit coordinates."""
    u, v = x / s, y / s
    left, right, top, bottom, t = 0.32, 0.68, 0.16, 0.84, 0.07
    inside = left <= u <= right and top <= v <= bottom
    outline = inside and (u < left + t or u > right - t or v < top + t or v > bottom - t)
    # check mark: two strokes
    def near(ax, ay, bx, by, w):
        dx, dy = bx - ax, by - ay
        k = max(0, min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
        return ((u - ax - k * dx) ** 2 + (v - ay - k * dy) ** 2) ** 0.5 < w
    check = near(0.40, 0.50, 0.48, 0.60, 0.045) or near(0.48, 0.60, 0.62, 0.40, 0.045)
    return outline, inside, check

def color(x, y, s):
    outline, inside, check = phone_parts(x, y, s)
    if check: return (22, 163, 74, 255)
    if outline: return (255, 255, 255, 255)
    if inside: return (224, 231, 255, 255)
    return (79, 70, 229, 255)  # accent #4F46E5

def outline(x, y, s):
    o, _, check = phone_parts(x, y, s)
    return (255, 255, 255, 255) if (o or check) else (0, 0, 0, 0)

root = pathlib.Path(__file__).resolve().parent.parent / 'manifest'
png(root / 'color.png', 192, color)
png(root / 'outline.png', 32, outline)
print('wrote', root / 'color.png', root / 'outline.png')
