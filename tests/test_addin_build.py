"""The add-in as a user receives it: unpack jixiao.xlam and check what Excel will read."""

from __future__ import annotations

import importlib
import io
import re
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from jixiao.addin import build, ribbon
from jixiao.addin.install import install
from jixiao.cli import main
from jixiao.errors import JixiaoError
from jixiao.office import convert

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated in pyparsing 3.3
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

REL_NS = {"r": build.REL_NS}
BUTTONS = ["校验", "计算得分", "生成报告", "导出", "新增项目表", "新增指标行", "帮助"]


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("addin")
    assert main(["addin", "build", "-o", str(out)]) == 0
    return out / "jixiao.xlam"


def _parts(path_or_bytes) -> dict[str, bytes]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(source) as z:
        return {n: z.read(n) for n in z.namelist()}


def _vba_modules(vba_bin: bytes) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        parser = VBA_Parser("vbaProject.bin", data=vba_bin)
        modules = {Path(name).stem: code for _, _, name, code in parser.extract_all_macros()}
        parser.close()
    return modules


def test_customui_is_linked_from_package_rels(xlam):
    parts = _parts(xlam)
    rels = etree.fromstring(parts["_rels/.rels"])
    links = rels.xpath("r:Relationship[@Type=$t]/@Target", namespaces=REL_NS, t=ribbon.CUSTOMUI_REL)
    assert links == [ribbon.CUSTOMUI_PART]
    assert ribbon.CUSTOMUI_PART in parts
    types = parts["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
    workbook_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    assert build.VBA_REL in workbook_rels and 'codeName="ThisWorkbook"' in parts["xl/workbook.xml"].decode()


def test_customui_is_well_formed_with_the_jixiao_tab(xlam):
    root = etree.fromstring(_parts(xlam)[ribbon.CUSTOMUI_PART])
    assert root.tag == f"{{{ribbon.CUSTOMUI_NS}}}customUI"
    tabs = root.findall(f".//{{{ribbon.CUSTOMUI_NS}}}tab")
    assert [t.get("label") for t in tabs] == ["绩效自评"]
    labels = [e.get("label") for e in tabs[0].iter() if isinstance(e.tag, str) and e.get("size") == "large"]
    assert labels == BUTTONS
    menu = tabs[0].find(f".//{{{ribbon.CUSTOMUI_NS}}}menu")
    items = [b.get("label") for b in menu]
    assert [re.sub(r"[（(].*", "", x).strip() for x in items] == [
        "Excel 工作簿",
        "Word 报告",
        "PDF",
        "公开版",
    ]
    for control in ribbon.controls():
        element = root.find(f".//*[@id='{control.id}']")
        assert element.get("imageMso") and element.get("screentip") and element.get("supertip")
    ids = [e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))


def test_every_onaction_is_a_sub_in_the_vba_read_back(xlam):
    modules = _vba_modules(_parts(xlam)["xl/vbaProject.bin"])
    assert {"ThisWorkbook", "JixiaoRibbon", "xlwings", "Dictionary"} <= set(modules)
    code = "\n".join(modules.values())
    callbacks = {c.on_action for c in ribbon.controls()}
    assert callbacks == {"JixiaoOnAction"}
    for name in callbacks:
        assert re.search(rf"^Public Sub {name}\(control As IRibbonControl\)", code, re.MULTILINE), name
    assert re.search(r"^Public Function RunPython\(", modules["xlwings"], re.MULTILINE)


def test_xlwings_runtime_comes_whole_from_the_installed_wheel(xlam):
    modules = _vba_modules(_parts(xlam)["xl/vbaProject.bin"])
    wheel = (build._xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
    expected = wheel.replace('"myaddin"', '"jixiao"').replace("\r\n", "\n")
    assert modules["xlwings"].replace("\r\n", "\n").strip() == expected.strip()
    assert 'XLWINGS_VERSION As String = "0.37.8"' in modules["xlwings"]


def test_every_runpython_target_imports(xlam):
    modules = _vba_modules(_parts(xlam)["xl/vbaProject.bin"])
    targets = ribbon.runpython_targets(modules["JixiaoRibbon"])
    assert targets == [("jixiao.addin.macros", "jixiao.addin.macros.on_action")]
    for module_name, function in targets:
        module = importlib.import_module(module_name)
        assert callable(getattr(module, function.removeprefix(module_name + ".")))


def test_build_is_reproducible(tmp_path, xlam):
    again = build.build_addin(tmp_path)
    assert again.read_bytes() == xlam.read_bytes()


def _user_workbook(path: Path) -> Path:
    wb = Workbook()
    wb.active.title = "附件1-2"
    wb.active["A1"] = "部门整体支出绩效自评表"
    wb.create_sheet("校验结果")
    wb.save(path)
    return path


def test_macro_workbook_carries_the_same_ribbon_and_vba(tmp_path):
    xlsm = build.make_macro_workbook(_user_workbook(tmp_path / "自评.xlsx"), tmp_path / "自评.xlsm")
    parts = _parts(xlsm)
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in parts["[Content_Types].xml"].decode()
    assert parts[ribbon.CUSTOMUI_PART] == ribbon.customui_xml()
    assert parts["xl/vbaProject.bin"] == build.vba_project()
    wb = load_workbook(xlsm, keep_vba=True)
    wb.vba_archive.close()  # openpyxl keeps the package open for keep_vba
    assert wb.sheetnames == ["附件1-2", "校验结果"] and wb["附件1-2"]["A1"].value == "部门整体支出绩效自评表"


def test_macro_workbook_needs_xlsm_name(tmp_path):
    with pytest.raises(JixiaoError, match=r"\.xlsm"):
        build.make_macro_workbook(_user_workbook(tmp_path / "a.xlsx"), tmp_path / "a.xlsx")


def test_ribbon_link_restored_after_openpyxl_saves(tmp_path):
    xlsm = build.make_macro_workbook(_user_workbook(tmp_path / "a.xlsx"), tmp_path / "a.xlsm")
    wb = load_workbook(xlsm, keep_vba=True)
    wb["附件1-2"]["A2"] = "已编辑"
    wb.save(xlsm)
    wb.vba_archive.close()
    assert ribbon.CUSTOMUI_REL not in _parts(xlsm)["_rels/.rels"].decode()  # the openpyxl pitfall
    assert build.restore_ribbon_link(xlsm) is True
    parts = _parts(xlsm)
    assert ribbon.CUSTOMUI_REL in parts["_rels/.rels"].decode()
    assert load_workbook(xlsm)["附件1-2"]["A2"].value == "已编辑"
    assert build.restore_ribbon_link(xlsm) is False


def test_not_a_workbook_is_a_chinese_input_error(tmp_path):
    bogus = tmp_path / "x.xlsx"
    bogus.write_text("not a zip")
    with pytest.raises(JixiaoError, match="无法作为 Excel 工作簿打开"):
        build.make_macro_workbook(bogus, tmp_path / "x.xlsm")


def _basic_modules(ods: Path) -> dict[str, str]:
    with zipfile.ZipFile(ods) as z:
        return {
            Path(n).stem: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("Basic/jixiao/") and not n.endswith("script-lb.xml")
        }


@pytest.mark.libreoffice
def test_libreoffice_imports_every_module_in_full(soffice, tmp_path, xlam):
    # LibreOffice does not open .xlam files; the same package typed as .xlsm carries the same vbaProject.bin.
    parts = _parts(xlam)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        build.WORKBOOK_CT["xlam"].encode(), build.WORKBOOK_CT["xlsm"].encode()
    )
    (tmp_path / "addin.xlsm").write_bytes(build._write_parts(parts))
    macro_wb = build.make_macro_workbook(_user_workbook(tmp_path / "b.xlsx"), tmp_path / "b.xlsm")
    for source in (tmp_path / "addin.xlsm", macro_wb):
        modules = _basic_modules(convert(source, "ods", tmp_path / "ods"))
        assert set(modules) == {"ThisWorkbook", "JixiaoRibbon", "xlwings", "Dictionary"}
        assert "Public Sub JixiaoOnAction(control As IRibbonControl)" in modules["JixiaoRibbon"]
        assert modules["xlwings"].count("\n") > 1100  # not imported empty (the ms-ovba pitfall)
        assert "Function GetFullName" in modules["xlwings"] and "Function GetConfig(" in modules["xlwings"]


def test_install_elsewhere_than_windows_says_what_to_do(capsys):
    if __import__("sys").platform.startswith("win"):
        pytest.skip("Windows installs for real")
    assert main(["addin", "install"]) == 2
    err = capsys.readouterr().err
    assert "只能在装有桌面版 Excel 的 Windows" in err and "jixiao addin build" in err
    assert "Traceback" not in err


def test_install_on_windows_writes_addin_and_interpreter(tmp_path):
    addin, conf = install(tmp_path / "XLSTART", tmp_path / ".jixiao", Path(r"C:\Python\pythonw.exe"), "win32")
    assert addin == tmp_path / "XLSTART" / "jixiao.xlam" and zipfile.is_zipfile(addin)
    assert conf.read_bytes().decode().splitlines()[0] == r'"INTERPRETER_WIN","C:\Python\pythonw.exe"'


# ------------------------------------------------------------------ the ribbon module's VBA, read back


def _ribbon_vba(xlam: Path) -> str:
    return _vba_modules(_parts(xlam)["xl/vbaProject.bin"])["JixiaoRibbon"].replace("\r\n", "\n")


def _procedure(vba: str, name: str) -> str:
    pattern = rf"^(?:Public |Private )?(Sub|Function) {name}\(.*?^End \1"
    found = re.search(pattern, vba, re.MULTILINE | re.DOTALL)
    assert found, name
    return found.group(0)


def test_every_protection_call_passes_an_empty_password(xlam):
    vba = _ribbon_vba(xlam)
    calls = re.findall(r"^.*\.(?:Unprotect|Protect)\b.*$", vba, re.MULTILINE)
    assert len(calls) == 2, calls  # one Unprotect, one Protect: a password-protected sheet never prompts
    assert all('Password:=""' in call for call in calls)


def test_the_callback_shows_every_error_in_a_chinese_message_box(xlam):
    vba = _ribbon_vba(xlam)
    callback = _procedure(vba, "JixiaoOnAction")
    body, handler = callback.split("\nFailed:\n")
    assert body.index("On Error GoTo Failed") < body.index("RunPython(")
    run = body[: body.index("Finish:")]
    assert "On Error Resume Next" not in run  # nothing before Python's result is swallowed
    assert "If book Is Nothing Then\n        MsgBox Zh(NO_WORKBOOK), vbExclamation, Zh(TITLE)" in body
    assert re.search(r"If RunPython\(.*\) = -1 Then\n\s+failure = Zh\(PYTHON_FAILED\)", body)
    assert "failure = Zh(VBA_FAILED) & vbCrLf & Err.Description" in handler and "Resume Finish" in handler
    assert 'If failure <> "" Then MsgBox failure, vbCritical, Zh(TITLE)' in body
    ready = _procedure(vba, "InterpreterReady")
    assert "FileExists(interpreter)" in ready and "MsgBox Zh(NO_PYTHON) & vbCrLf & interpreter" in ready
    assert "MsgBox Zh(KEPT_PROTECTED)" in _procedure(vba, "WarnKept")


def test_the_module_is_ascii_and_its_chinese_comes_through_chrw(xlam):
    vba = _ribbon_vba(xlam)
    assert vba.isascii()
    assert 'ChrW(Val("&H" & part))' in _procedure(vba, "Zh")
    constants = ribbon.vba_constants(vba)
    assert constants == ribbon.messages()
    assert constants["TITLE"] == "绩效自评" and constants["FUJIAN"] == "附件"
    assert "请先打开自评工作簿" in constants["NO_WORKBOOK"] and "受保护的视图" in constants["NO_WORKBOOK"]
    assert "安装.bat" in constants["NO_PYTHON"] and "安装.bat" in constants["PYTHON_FAILED"]
    assert "密码" in constants["KEPT_PROTECTED"]
    used = set(re.findall(r"Zh\((\w+)\)", vba))
    assert used == set(constants)  # every text is used, and every use is declared
    for line in vba.splitlines():
        assert len(line) <= 1023  # VBA's limit for one physical line


NON_ASCII_MODULE = 'Attribute VB_Name = "Bad"\nPublic Sub Hello()\n    MsgBox "中文"\nEnd Sub\n'


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (NON_ASCII_MODULE, "第 3 行第 13 列是非 ASCII 字符“中”（U+4E2D）"),
        # cp1252 can store it, but a Chinese Windows reads module text as GBK
        (NON_ASCII_MODULE.replace("中文", "café"), "第 3 行第 16 列是非 ASCII 字符“é”（U+00E9）"),
    ],
)
def test_a_non_ascii_module_fails_the_build(text, where):
    from jixiao.addin.vba.project import build_vba_project, module_from_source

    with pytest.raises(JixiaoError) as caught:
        build_vba_project([module_from_source(text)])
    assert str(caught.value).startswith("VBA 模块 Bad：") and where in str(caught.value)
    assert "ChrW" in str(caught.value)


def test_addin_build_refuses_a_non_ascii_ribbon_module(tmp_path, monkeypatch, capsys):
    original = ribbon.source_text
    monkeypatch.setattr(
        ribbon,
        "source_text",
        lambda name: (
            original(name).replace("Option Explicit", "Option Explicit\n' 说明")
            if name == ribbon.RIBBON_MODULE
            else original(name)
        ),
    )
    assert main(["addin", "build", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "VBA 模块 JixiaoRibbon：第 3 行第 3 列是非 ASCII 字符“说”" in err and "Traceback" not in err
    assert not (tmp_path / "jixiao.xlam").exists()


# ------------------------------------------------------------------ install: what the VBA can reach


def _windows_home(tmp_path: Path, monkeypatch, user: str, codepage: str) -> Path:
    """Make this process look like Windows with the user folder ``user`` and the ANSI ``codepage``."""
    from jixiao.addin import install as installer

    home = tmp_path / "Users" / user
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(installer, "ansi_codepage", lambda: codepage)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    monkeypatch.setenv("APPDATA", str(home / "AppData" / "Roaming"))
    temp = home / "AppData" / "Local" / "Temp"
    temp.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return home


def test_install_with_a_chinese_user_folder_on_an_english_windows_says_what_to_do(
    tmp_path, monkeypatch, capsys
):
    home = _windows_home(tmp_path, monkeypatch, "张三", "cp1252")
    assert main(["addin", "install"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "内部错误" not in err
    assert f"Windows 用户文件夹 {home / '.jixiao'} 含有本机 ANSI 代码页（cp1252）不能表示的字符“张”" in err
    assert "更改系统区域设置" in err and "中文(简体，中国)" in err and "所以没有安装" in err
    assert not (home / "AppData" / "Roaming").exists() and not (home / ".jixiao").exists()  # nothing written


def test_install_with_a_chinese_user_folder_on_a_chinese_windows_writes_gbk_settings(tmp_path, monkeypatch):
    home = _windows_home(tmp_path, monkeypatch, "张三", "cp936")
    python = home / "AppData" / "Local" / "Programs" / "Python" / "Python312" / "pythonw.exe"
    addin, conf = install(interpreter=python)
    assert addin == home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "jixiao.xlam"
    assert conf == home / ".jixiao" / "jixiao.conf"
    assert conf.read_bytes().decode("gbk").splitlines()[0] == f'"INTERPRETER_WIN","{python}"'


def test_install_with_python_in_a_non_ansi_folder_says_where_to_reinstall(tmp_path, monkeypatch):
    _windows_home(tmp_path, monkeypatch, "zhang", "cp1252")
    where = r"Python 的安装位置 .*软件.* 含有本机 ANSI 代码页（cp1252）"
    with pytest.raises(JixiaoError, match=where) as caught:
        install(interpreter=tmp_path / "软件" / "Python312" / "pythonw.exe")
    assert "C:\\Python312" in str(caught.value)


def test_install_puts_the_prebuilt_addin_in_xlstart(tmp_path, xlam):
    python = Path(r"C:\P\pythonw.exe")
    addin, _conf = install(tmp_path / "XLSTART", tmp_path / ".jixiao", python, "win32", xlam=xlam)
    assert addin.read_bytes() == xlam.read_bytes()
    bogus = tmp_path / "other.xlam"
    bogus.write_bytes(_user_workbook(tmp_path / "plain.xlsx").read_bytes())
    with pytest.raises(JixiaoError, match="不是 jixiao 的加载项"):
        install(tmp_path / "X2", tmp_path / ".j2", Path(r"C:\P\pythonw.exe"), "win32", xlam=bogus)
    assert not (tmp_path / "X2").exists()
