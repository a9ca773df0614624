"""The bundled TOML data are parsed once and kept in a cache keyed by the file; the cache is optional."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jixiao import resources


def test_cached_data_equal_the_parsed_file_and_follow_an_edit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    bundled = Path(resources.__file__).parent / "data" / "rules.toml"
    parsed = resources.load_data("rules.toml")
    assert list((tmp_path / "cache").glob("rules-*.marshal"))  # stored
    assert resources.load_data("rules.toml") == parsed  # read back the same
    copy = tmp_path / "rules.toml"
    shutil.copy2(bundled, copy)
    first = resources._cached(copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n[extra]\nx = 1\n", encoding="utf-8")
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))
    second = resources._cached(copy)
    assert "extra" not in first and second["extra"] == {"x": 1}


def test_a_damaged_or_unwritable_cache_is_not_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path))
    parsed = resources.load_data("taxonomy.toml")
    for entry in tmp_path.glob("taxonomy-*.marshal"):
        entry.write_bytes(b"\x00garbage")
    assert resources.load_data("taxonomy.toml") == parsed
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file where the folder should be", encoding="utf-8")
    assert resources.load_data("taxonomy.toml") == parsed


def test_compiled_templates_are_kept_and_an_unusable_cache_is_ignored(tmp_path: Path, monkeypatch) -> None:
    from jixiao.report import narrative
    from jixiao.samples import load_sample

    filing = load_sample()[0]
    texts = []
    for folder in (tmp_path / "cache", tmp_path / "cache", tmp_path / "blocked"):
        monkeypatch.setenv("JIXIAO_CACHE_DIR", str(folder))
        narrative._environment.cache_clear()
        texts.append(narrative.build_report(filing))
        if folder.name == "cache":
            assert list((folder / "jinja").glob("jixiao-*.cache"))
            (tmp_path / "blocked").write_text("a file where the folder should be", encoding="utf-8")
    assert texts[0] == texts[1] == texts[2]
    narrative._environment.cache_clear()
