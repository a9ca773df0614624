"""`jixiao new --macro`: a workbook that carries the 绩效自评 ribbon for users without the add-in."""

from __future__ import annotations

import zipfile

from oletools.olevba import VBA_Parser

from jixiao.api import load
from jixiao.cli import main


def test_new_macro_workbook_carries_ribbon_and_vba(tmp_path, capsys):
    target = tmp_path / "2023.xlsm"
    assert (
        main(["new", "--year", "2023", "--unit", "测试单位", "--projects", "2", "--macro", "-o", str(target)])
        == 0
    )
    with zipfile.ZipFile(target) as package:
        names = set(package.namelist())
        rels = package.read("_rels/.rels").decode("utf-8")
    assert {"xl/vbaProject.bin", "customUI/customUI14.xml"} <= names
    assert "customUI/customUI14.xml" in rels  # the ribbon is linked, not just present
    parser = VBA_Parser(str(target))
    code = "\n".join(source for *_, source in parser.extract_macros())
    parser.close()
    assert "Sub JixiaoOnAction" in code
    loaded = load(target)
    filing, findings = loaded.filing, loaded.findings
    assert (filing.unit, filing.year, len(filing.t13)) == ("测试单位", 2023, 2)
    assert not [f for f in findings if f.rule.startswith("WB-")]


def test_new_macro_needs_an_xlsm_name(tmp_path, capsys):
    assert main(["new", "--year", "2023", "--unit", "单位", "--macro", "-o", str(tmp_path / "a.xlsx")]) == 2
    assert ".xlsm" in capsys.readouterr().err
