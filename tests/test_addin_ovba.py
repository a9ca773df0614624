"""MS-OVBA compression and encryption: both round trips, and oletools agrees with us."""

from __future__ import annotations

import random
import warnings

import pytest

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated in pyparsing 3.3
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream

from jixiao.addin.build import _xlwings_dir
from jixiao.addin.vba import ovba


def _both(container: bytes) -> tuple[bytes, bytes]:
    return ovba.decompress(container), bytes(decompress_stream(bytearray(container)))


def test_xlwings_runtime_module_reads_back_byte_identical():
    source = (_xlwings_dir() / "xlwings_custom_addin.bas").read_bytes()
    assert source.count(b"\n") >= 1184 and len(source) > 11 * ovba.CHUNK
    packed = ovba.compress(source)
    assert len(packed) < len(source) // 2  # copy tokens are used across every chunk
    assert _both(packed) == (source, source)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 15, 16, 17, 4095, 4096, 4097, 8191, 8192, 12289])
def test_round_trip_at_chunk_and_bit_split_boundaries(size):
    rng = random.Random(size)
    for data in (
        bytes(size),
        (b"RunPython " * 2000)[:size],
        bytes(rng.choice(b"ab \r\n") for _ in range(size)),
    ):
        assert _both(ovba.compress(data)) == (data, data)


def test_incompressible_whole_chunks_are_stored_raw():
    data = random.Random(1).randbytes(2 * ovba.CHUNK)
    packed = ovba.compress(data)
    assert len(packed) == 1 + 2 * (2 + ovba.CHUNK)
    assert _both(packed) == (data, data)


def test_long_runs_use_the_longest_token_the_position_allows():
    data = b"A" * ovba.CHUNK
    packed = ovba.compress(data)
    assert len(packed) < 20
    assert ovba.decompress(packed) == data


def test_decompress_rejects_garbage():
    with pytest.raises(ValueError):
        ovba.decompress(b"\x02\x00")
    with pytest.raises(ValueError):
        ovba.decompress(b"\x01\x00\x00")


# Values Excel wrote into xlwings' quickstart add-in (protection state, password, visibility).
EXCEL_WRITTEN = {"CMG": ("5D5F8AADDAA8DEA8DEA8DEA8DE", b"\x00" * 4), "DPB": ("5D5F8AADDAADDBADDBAD", b"\x00")}


@pytest.mark.parametrize("key", sorted(EXCEL_WRITTEN))
def test_decrypt_reads_values_excel_wrote(key):
    blob, plain = EXCEL_WRITTEN[key]
    assert ovba.decrypt(bytes.fromhex(blob)) == plain


@pytest.mark.parametrize("seed", range(0, 256, 7))
def test_encrypt_round_trip(seed):
    project_id = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    assert ovba.decrypt(ovba.encrypt(project_id, b"\xff", seed)) == b"\xff"
    assert ovba.decrypt(ovba.encrypt(project_id, b"\x00" * 4, seed)) == b"\x00" * 4
