"""The offline bundle as a unit's IT person receives it: built once per run, checked as Windows would use it.

The bundle is built by ``jixiao bundle`` (its wheel by pip, its dependencies downloaded from the
package index for Windows x64); the proof that it installs offline is pip's own resolver, run with
``--no-index`` against the bundle's wheels for each Python version.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.addin import build
from jixiao.addin.bundle import (
    BLANK,
    GUIDE,
    INSTALLER,
    MANIFEST,
    UNINSTALLER,
    WHEELS,
    batch_text,
    write_bundle,
)
from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXCEL = ("3.11", "3.12", "3.13")
PATH_VARIABLES = ("HERE", "WHEELS", "PY", "ADDIN", "CONFDIR", "APPDATA", "USERPROFILE", "~dp0")


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Path]:
    """Return the bundle folder ``jixiao bundle`` wrote once for the whole run (shared by the workers)."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    out, done = root / "bundle-shared", root / "bundle-shared.done"
    with FileLock(str(root / "bundle-shared.lock")):
        if not done.exists():
            assert main(["bundle", "-o", str(out), "--force"]) == 0
            done.touch()
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    yield folder


def _wheels(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / WHEELS).glob("*.whl"))


def test_the_bundle_holds_every_part_and_the_zip_the_same(bundle):
    names = {p.name for p in bundle.iterdir()}
    demo = "示例-株洲市行业办公室2022年度绩效自评"
    assert {INSTALLER, UNINSTALLER, GUIDE, MANIFEST, BLANK, "jixiao.xlam", WHEELS} <= names
    assert {f"{demo}.xlsx", f"{demo}（带功能区）.xlsm"} <= names
    wheels = _wheels(bundle)
    own = f"{bundle.name.removesuffix('-windows')}-py3-none-any.whl"
    assert [w for w in wheels if w.startswith("jixiao-")] == [own]
    for version in EXCEL:
        tag = f"cp{version.replace('.', '')}"
        for package in ("xlwings-0.37.8", "pywin32-", "lxml-", "markupsafe-"):
            assert any(w.startswith(package) and f"-{tag}-{tag}-win_amd64.whl" in w for w in wheels)
    assert any(w.startswith("lxml-") and "-cp310-" in w for w in wheels)
    assert any(w.startswith("tomli-") for w in wheels)
    with zipfile.ZipFile(bundle.parent / f"{bundle.name}.zip") as z:
        zipped = {n for n in z.namelist() if not n.endswith("/")}
    on_disk = {f"{bundle.name}/{p.relative_to(bundle).as_posix()}" for p in bundle.rglob("*") if p.is_file()}
    assert zipped == on_disk


def test_the_manifest_lists_every_file_with_its_digest(bundle):
    import hashlib

    text = (bundle / MANIFEST).read_bytes().decode("utf-8")
    assert "\r\n" in text and "Excel 加载项：Python 3.11–3.13（64 位），xlwings 0.37.8" in text
    assert "只含命令行：Python 3.10" in text
    rows = dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)
    files = [p for p in bundle.rglob("*") if p.is_file() and p.name != MANIFEST]
    assert set(rows) == {p.relative_to(bundle).as_posix() for p in files}
    for path in files:
        size, digest = rows[path.relative_to(bundle).as_posix()].split("\t")
        assert int(size) == path.stat().st_size and digest == hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ it installs offline, for Windows


def _dry_run(bundle: Path, version: str, requirement: str, tmp_path: Path, windows_markers: bool):
    """Return pip's exit code, output and the names of what it would install from the bundle alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}  # no index, no extra links
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = ["-m", "jixiao.addin.winpip", version] if windows_markers else ["-m", "pip"]
    report = tmp_path / f"report-{version}-{windows_markers}.json"
    command = [sys.executable, *pip, "install", "--dry-run", "--no-index"]
    command += ["--find-links", str(bundle / WHEELS)]
    command += ["--platform", "win_amd64", "--python-version", version, "--only-binary=:all:"]
    command += ["--target", str(tmp_path / "T"), "--report", str(report), "--quiet", requirement]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return done.returncode, done.stdout + done.stderr, {}
    installed = json.loads(report.read_text(encoding="utf-8"))["install"]
    for item in installed:  # every file comes from the bundle
        assert item["download_info"]["url"].startswith((bundle / WHEELS).as_uri()), item["download_info"]
    return 0, "", {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in installed}


@pytest.mark.parametrize("version", EXCEL)
def test_jixiao_excel_installs_offline_for_windows(bundle, version, tmp_path):
    # The command as the issue states it: pip judges markers for this machine (no pywin32 asked for) …
    code, output, plain = _dry_run(bundle, version, "jixiao[excel]", tmp_path, windows_markers=False)
    assert code == 0, output
    assert {"jixiao", "xlwings", "openpyxl", "lxml", "python-docx", "jinja2", "markupsafe"} <= set(plain)
    # … and as a Windows PC resolves it: pywin32 (xlwings' Windows-only need) must come from the bundle too.
    code, output, windows = _dry_run(bundle, version, "jixiao[excel]", tmp_path, windows_markers=True)
    assert code == 0, output
    assert windows["xlwings"] == build.XLWINGS_VERSION and "pywin32" in windows and "pywin32" not in plain
    assert "tomli" not in windows  # only Python 3.10 needs it


def test_python_310_gets_the_command_line_only(bundle, tmp_path):
    code, output, windows = _dry_run(bundle, "3.10", "jixiao", tmp_path, windows_markers=True)
    assert code == 0, output
    assert {"jixiao", "openpyxl", "lxml", "tomli"} <= set(windows) and "xlwings" not in windows
    code, output, _ = _dry_run(bundle, "3.10", "jixiao[excel]", tmp_path, windows_markers=True)
    assert code != 0 and "xlwings" in output  # what 安装.bat tells a user of Python 3.10


# ------------------------------------------------------------------ the .bat files


def _bat(bundle: Path, name: str) -> tuple[bytes, list[str]]:
    data = (bundle / name).read_bytes()
    return data, data.decode("utf-8").split("\r\n")


def _commands(lines: list[str]) -> list[str]:
    """Return the lines that cmd runs as commands (not comments, labels, titles or messages)."""
    return [
        line
        for line in lines
        if line.strip() and not re.match(r"\s*(rem\b|::|:\w|echo[ .]|title\b)", line, re.IGNORECASE)
    ]


@pytest.mark.parametrize("name", [INSTALLER, UNINSTALLER])
def test_bat_files_are_crlf_utf8_after_chcp_65001_and_gbk_safe(bundle, name):
    data, lines = _bat(bundle, name)
    assert not data.startswith(b"\xef\xbb\xbf")  # a BOM would break the first command
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF
    assert lines[:2] == ["@echo off", "chcp 65001 >nul"] and data[: data.index(b"chcp")].isascii()
    text = data.decode("utf-8")
    text.encode("gbk")  # every character also exists in GBK (a Chinese console shows it)
    for line in lines:
        if not line.isascii():
            assert re.match(r"\s*(echo |rem |title )", line), line  # Chinese only in messages
    for line in lines:
        message = re.match(r"\s*echo (.*)", line)
        if message:
            outside_quotes = re.sub(r'"[^"]*"', "", message.group(1))
            assert not re.search(r"[<>|&^]", outside_quotes), line  # nothing cmd would act on
    assert "ERROR" not in text and "@@" not in text


@pytest.mark.parametrize("name", [INSTALLER, UNINSTALLER])
def test_bat_files_quote_every_path_and_use_no_network(bundle, name):
    _data, lines = _bat(bundle, name)
    for line in lines:
        if re.match(r"\s*rem\b", line, re.IGNORECASE):
            continue
        unquoted = re.sub(r'"[^"]*"', "", line)
        for variable in PATH_VARIABLES:
            assert f"%{variable}" not in unquoted, line
    assert '%HERE%"' not in "\n".join(lines)  # %~dp0 ends in \, which would escape a closing quote
    commands = _commands(lines)
    for line in commands:
        assert not re.search(r"https?://|curl|wget|bitsadmin|powershell|certutil|WebRequest", line, re.I)
        if re.search(r"pip\s+(install|download)", line):
            assert "--no-index" in line and '--find-links "%WHEELS%"' in line, line
    labels = {m.group(1).lower() for line in lines if (m := re.match(r":(\w+)$", line))}
    targets = {t.lower() for line in commands for t in re.findall(r"(?:goto|call :)\s*:?(\w+)", line, re.I)}
    assert targets <= labels | {"eof"}, targets - labels


def test_the_installer_finds_a_64_bit_python_and_installs_offline(bundle):
    _data, lines = _bat(bundle, INSTALLER)
    text = "\n".join(lines)
    wheel = next(w for w in _wheels(bundle) if w.startswith("jixiao-"))
    version = wheel.split("-")[1]
    assert "for %%V in (3.13 3.12 3.11) do if not defined PY call :from_launcher -%%V-64" in text
    assert (
        text.index(":from_launcher -%%V-64")
        < text.index("call :from_command python")
        < text.index("call :from_launcher -3\n")
    )  # the py launcher first, then PATH
    assert "sysconfig.get_platform() != 'win-amd64'" in text
    assert "v in [(3, 11), (3, 12), (3, 13)]" in text and "v in [(3, 10)]" in text
    assert f'"%PY%" -m pip install --no-index --find-links "%WHEELS%" "jixiao[excel]=={version}"' in text
    assert f'--no-deps --force-reinstall "%WHEELS%\\{wheel}"' in text
    assert '"%PY%" -m jixiao.cli addin install --xlam "%HERE%jixiao.xlam"' in text
    messages = {  # what a user reads for each thing that is missing or wrong
        "no_python": [
            "未找到 Python",
            "64 位的 Python 3.11–3.13",
            "https://www.python.org/downloads/windows/",
            "Add python.exe to PATH",
        ],
        "wrong_bitness": ["不是 64 位（x64）版本"],
        "cli_only": ["xlwings 0.37.8 需要 Python 3.11–3.13"],
        "excel_running": ["关闭所有 Excel 窗口"],
        "bundle_broken": ["安装包不完整", "解压"],
        "pip_failed": ["以管理员身份运行"],
    }
    for label, phrases in messages.items():
        block = text[text.index(f"\n:{label}\n") :].split("\ngoto ", 1)[0]
        for phrase in phrases:
            assert phrase in block, (label, phrase)
    assert "安装完成" in text and "解除锁定" in text


def test_the_uninstaller_removes_what_install_wrote(bundle):
    _data, lines = _bat(bundle, UNINSTALLER)
    text = "\n".join(lines)
    assert 'set "ADDIN=%APPDATA%\\Microsoft\\Excel\\XLSTART\\jixiao.xlam"' in text
    assert 'set "CONFDIR=%USERPROFILE%\\.jixiao"' in text and 'del /f /q "%CONFDIR%\\jixiao.conf"' in text
    assert '"%PY%" -m pip uninstall -y jixiao' in text


def test_bat_text_is_the_same_for_the_same_bundle(bundle):
    wheel = next((bundle / WHEELS).glob("jixiao-*.whl"))
    assert batch_text(INSTALLER, wheel, EXCEL, ("3.10",)) == (bundle / INSTALLER).read_bytes()


# ------------------------------------------------------------------ the add-in, the workbooks, the guide


def test_the_prebuilt_addin_is_the_one_the_build_makes(bundle, tmp_path):
    # the same bytes as `jixiao addin build`, whose VBA tests/test_addin_build.py reads back with oletools
    assert (bundle / "jixiao.xlam").read_bytes() == build.build_addin(tmp_path).read_bytes()


def test_the_workbooks_open_and_the_demo_scores_as_the_sample(bundle):
    import jixiao

    demo = jixiao.check(bundle / "示例-株洲市行业办公室2022年度绩效自评.xlsx")
    assert demo.scores.department.total == Decimal("99.40") and demo.summary["errors"] == 13
    macro = bundle / "示例-株洲市行业办公室2022年度绩效自评（带功能区）.xlsm"
    with zipfile.ZipFile(macro) as z:
        assert "xl/vbaProject.bin" in z.namelist() and "customUI/customUI14.xml" in z.namelist()
    blank = jixiao.check(bundle / BLANK)
    assert not blank.filing.unit and len(blank.filing.t13) == 1


@pytest.mark.libreoffice
def test_the_guide_is_one_page_of_the_readme_windows_section(bundle, soffice, tmp_path):
    pdf = bundle / GUIDE
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    phrases = ("在Windows电脑上安装和使用", "双击安装.bat", "解除锁定", "LibreOffice或WPS保存", "卸载.bat")
    for phrase in (*phrases, "32位或64位", "不需要联网"):
        assert phrase in flat, phrase
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000  # a rendered page, not a blank one


# ------------------------------------------------------------------ the command's own errors


def test_bundle_with_bad_versions_or_source_says_so(tmp_path, capsys):
    assert main(["bundle", "-o", str(tmp_path), "--python", "3.12,latest"]) == 2
    assert "--python 应为逗号分隔的版本号" in capsys.readouterr().err
    assert main(["bundle", "-o", str(tmp_path), "--python", "3.9"]) == 2
    assert "都不能用 xlwings 0.37.8" in capsys.readouterr().err
    assert main(["bundle", "-o", str(tmp_path), "--source", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "要从 jixiao 的源码生成安装包" in err and "Traceback" not in err


def test_bundle_refuses_an_existing_folder_without_force(tmp_path, capsys):
    version = re.search(r'"(.+)"', (ROOT / "jixiao" / "_version.py").read_text()).group(1)
    folder = tmp_path / f"jixiao-{version}-windows"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep")
    with pytest.raises(Exception, match="已存在"):
        write_bundle(tmp_path)
    assert main(["bundle", "-o", str(tmp_path)]) == 2
    assert "如需重新生成请加 --force" in capsys.readouterr().err and (folder / "mine.txt").exists()


def test_the_zip_marks_chinese_names_as_utf8(bundle):
    with zipfile.ZipFile(bundle.parent / f"{bundle.name}.zip") as z:
        chinese = [info for info in z.infolist() if not info.filename.isascii()]
    assert chinese and all(info.flag_bits & 0x800 for info in chinese)  # Explorer, 7-Zip: read as UTF-8


def test_the_guide_sheet_warns_against_saving_the_macro_workbook_elsewhere(bundle):
    from openpyxl import load_workbook

    wb = load_workbook(bundle / BLANK, read_only=True)
    text = "\n".join(str(row[0]) for row in wb["填表说明"].iter_rows(values_only=True) if row[0])
    wb.close()
    assert "只用 Excel 保存：用 LibreOffice 或 WPS 保存会损坏其中的宏（VBA 工程）" in text


def test_no_windows_instruction_depends_on_a_pypi_release():
    """jixiao is not on PyPI: every pip line for Windows users installs a wheel file or from the bundle."""
    from jixiao.addin.guide import windows_section

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    texts = [windows_section(readme), (ROOT / "docs" / "addin.md").read_text(encoding="utf-8")]
    lines = [line for text in texts for line in text.splitlines() if re.search(r"pip install\b", line)]
    assert lines
    for line in lines:
        for command in re.findall(r"pip install[^`]*", line):
            from_file = ".whl" in command or "--no-index" in command or " -e " in command  # or the checkout
            assert from_file or "PyPI" in line, line  # or the warning that jixiao is not on PyPI
