"""A minimal writer of Compound File Binary files ([MS-CFB] version 3), enough for vbaProject.bin.

Streams are given as ``{"VBA/dir": b"…", "PROJECT": b"…"}``; storages are implied by the paths.
Streams under 4096 bytes go to the mini stream, as the format requires. The output is
deterministic (no timestamps), so a build from the same sources gives the same bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_HEADER_DIFAT = 109


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(entry: _Entry) -> tuple[int, str]:
    """Return the [MS-CFB] §2.6.4 order: shorter names first, then by upper-cased name."""
    return (len(entry.name.encode("utf-16-le")), entry.name.upper())


def _tree(entries: list[_Entry], depth: int, deepest: int) -> int:
    """Link ``entries`` (sorted) as a balanced red-black tree; return the index of its root."""
    if not entries:
        return NOSTREAM
    middle = len(entries) // 2
    node = entries[middle]
    node.color = _RED if depth == deepest and depth > 0 else _BLACK
    node.left = _tree(entries[:middle], depth + 1, deepest)
    node.right = _tree(entries[middle + 1 :], depth + 1, deepest)
    return node.index


def _chain(fat: list[int], first: int, count: int) -> None:
    for n in range(first, first + count):
        fat[n] = n + 1 if n < first + count - 1 else ENDOFCHAIN


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (-len(data) % size)


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """Return the bytes of a compound file holding ``streams`` (paths separated by '/')."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        parent = root
        *storages, name = path.split("/")
        for part in storages:
            found = next((c for c in parent.children if c.name == part and c.kind == _STORAGE), None)
            if found is None:
                found = _Entry(part, _STORAGE)
                parent.children.append(found)
            parent = found
        parent.children.append(_Entry(name, _STREAM, data=data))

    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.index = len(entries)
        entries.append(entry)
        for c in sorted(entry.children, key=_sort_key):
            number(c)

    number(root)
    for entry in entries:
        children = sorted(entry.children, key=_sort_key)
        deepest = max(len(children).bit_length() - 1, 0)
        entry.child = _tree(children, 0, deepest)

    # Mini stream: small streams in 64-byte mini sectors.
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != _STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size >= MINI_CUTOFF:
            big.append(entry)
        elif entry.size:
            first = len(minifat)
            count = -(-entry.size // MINI_SECTOR)
            minifat.extend([0] * count)
            _chain(minifat, first, count)
            entry.start = first
            mini += _pad(entry.data, MINI_SECTOR)

    body = bytearray()
    fat: list[int] = []

    def place(data: bytes) -> int:
        """Append ``data`` in whole sectors chained in the FAT; return its first sector."""
        first, count = len(fat), -(-len(data) // SECTOR)
        if count == 0:
            return ENDOFCHAIN
        fat.extend([0] * count)
        _chain(fat, first, count)
        body.extend(_pad(data, SECTOR))
        return first

    for entry in big:
        entry.start = place(entry.data)
    root.start, root.size = (place(bytes(mini)), len(mini)) if mini else (ENDOFCHAIN, 0)
    minifat_bytes = b"".join(struct.pack("<I", n) for n in minifat)
    minifat_start = place(_pad(minifat_bytes, SECTOR)) if minifat else ENDOFCHAIN
    minifat_count = -(-len(minifat_bytes) // SECTOR)

    directory = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-16-le")
        if len(name) > 62:
            raise ValueError(f"compound file entry name too long: {entry.name}")
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name) + 2,
            entry.kind,
            entry.color,
            entry.left,
            entry.right,
            entry.child,
            b"\x00" * 16,
            0,
            0,
            0,
            entry.start if entry.kind != _STORAGE else 0,
            entry.size,
        )
    directory += b"\x00" * (-len(directory) % SECTOR)
    for n in range(len(directory) // 128 - len(entries)):
        # unused entries: empty name, free siblings and child
        offset = (len(entries) + n) * 128
        directory[offset + 68 : offset + 80] = struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    directory_start = place(bytes(directory))

    # FAT sectors describe themselves too.
    fat_count = 0
    while fat_count * (SECTOR // 4) < len(fat) + fat_count:
        fat_count += 1
    if fat_count > _HEADER_DIFAT:
        raise ValueError("compound file too large for this writer")
    fat_start = len(fat)
    fat.extend([FATSECT] * fat_count)
    fat.extend([FREESECT] * (fat_count * (SECTOR // 4) - len(fat)))
    body += b"".join(struct.pack("<I", n) for n in fat)

    difat = [fat_start + n for n in range(fat_count)] + [FREESECT] * (_HEADER_DIFAT - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        fat_count,
        directory_start,
        0,
        MINI_CUTOFF,
        minifat_start,
        minifat_count,
        ENDOFCHAIN,
        0,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *difat)
    return header + bytes(body)
