"""Hostile data files (issue 15): nesting, huge numbers, many values and repeated keys are refused
in one Chinese line naming the file, the limit and the line; never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.api import load
from jixiao.cli import main
from jixiao.errors import InputError
from jixiao.safety import LIMITS
from tests.conftest import SAMPLE

TEXT = SAMPLE.read_text("utf-8")
YEAR_LINE = next(i for i, line in enumerate(TEXT.splitlines(), start=1) if '"year": 2022' in line)
INITIAL_LINE = next(i for i, line in enumerate(TEXT.splitlines(), start=1) if '"initial": "1661.61"' in line)


def _variant(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new, 1)


CASES = {
    # label: (text, words the one-line reason holds)
    "nested 100,000 deep": (
        _variant('"prose": {', '"prose": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + ', "x": {'),
        ["嵌套过深", f"超过 {LIMITS.data_depth} 层"],
    ),
    "lists nested 100,000 deep": (
        _variant('"t13": [', '"t13": ' + "[" * 100_000 + "]" * 100_000 + ', "x": ['),
        ["嵌套过深"],
    ),
    "1e999999999": (
        _variant('"initial": "1661.61"', '"initial": 1e999999999'),
        [f"第 {INITIAL_LINE} 行", "1e999999999", "超出范围"],
    ),
    "an integer of 5,000 digits": (
        _variant('"initial": "1661.61"', '"initial": ' + "9" * 5000),
        [f"第 {INITIAL_LINE} 行", "数字过长", "5000 位", f"上限 {LIMITS.data_number_chars} 位"],
    ),
    "a year of 5,000 digits": (
        _variant('"year": 2022', '"year": ' + "9" * 5000),
        [f"第 {YEAR_LINE} 行", "数字过长"],
    ),
    "NaN": (_variant('"initial": "1661.61"', '"initial": NaN'), [f"第 {INITIAL_LINE} 行", "NaN"]),
    "a duplicate key": (
        _variant('"year": 2022', '"year": 2021,\n "year": 2022'),
        [f"第 {YEAR_LINE + 1} 行", "“year”重复"],
    ),
    "a duplicate key deep inside": (
        _variant('"initial": "1661.61"', '"initial": "1",\n   "initial": "1661.61"'),
        [f"第 {INITIAL_LINE + 1} 行", "“initial”重复"],
    ),
    "600,000 empty objects": (
        _variant('"prose": {', '"x": [' + "{}," * 600_000 + '{}], "prose": {'),
        [f"超过 {LIMITS.data_values} 个"],
    ),
}


@pytest.mark.parametrize("label", sorted(CASES))
def test_hostile_data_file_is_refused_in_one_line(tmp_path: Path, label: str, capsys) -> None:
    text, words = CASES[label]
    path = tmp_path / "单位.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    for word in words:
        assert word in message, message
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and "Traceback" not in err and words[0] in err


def test_a_data_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "大.json"
    path.write_text(TEXT.replace('"functions": "', '"functions": "' + "字" * (6 * 1024 * 1024), 1), "utf-8")
    with pytest.raises(InputError, match=f"数据文件过大.*上限 {LIMITS.data_bytes // 1024 // 1024} MB"):
        load(path)


def test_a_key_repeated_in_different_objects_is_not_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "单位.json"
    path.write_text(TEXT, "utf-8")
    assert TEXT.count('"name"') > 1
    assert load(path).filing.unit == "株洲市行业办公室"


def test_a_number_as_text_of_5000_digits_is_a_finding_not_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "单位.json"
    path.write_text(_variant('"initial": "1661.61"', '"initial": "' + "9" * 5000 + '"'), "utf-8")
    loaded = load(path)
    assert [f.rule for f in loaded.findings] == ["INPUT-NUMBER"]
    assert loaded.filing.t12.budget.initial is None
