"""The offline installer bundle for Windows (``jixiao bundle``): a folder and a .zip to copy onto a PC.

It holds the jixiao wheel (built from the source checkout), every dependency's wheels for 64-bit
Windows and each Python version, the prebuilt ``jixiao.xlam``, a blank and the demo workbook,
``安装.bat`` / ``卸载.bat`` (templates in ``data/``), ``使用说明.pdf`` (the README's Windows section)
and ``清单.txt``. The .bat files are UTF-8 after a leading ``chcp 65001``, with CRLF line ends.
"""

from __future__ import annotations

import datetime
import email.parser
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from jixiao.addin import winpip
from jixiao.addin.build import ADDIN_NAME, XLWINGS_VERSION, build_addin, make_macro_workbook
from jixiao.addin.install import CONFIG_DIR, CONFIG_NAME, XLSTART, windows_path
from jixiao.errors import InputError, OutputError

PYTHON_VERSIONS = ("3.10", "3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
WHEELS = "wheels"
INSTALLER, UNINSTALLER = "安装.bat", "卸载.bat"
GUIDE, MANIFEST = "使用说明.pdf", "清单.txt"
BLANK = "空白自评表.xlsx"
MACRO_SUFFIX = "（带功能区）"  # the demo workbook again as an .xlsm with the ribbon of its own
TEMPLATES = {INSTALLER: "install.bat", UNINSTALLER: "uninstall.bat"}
EXCEL_EXTRA = "excel"
_SOURCE_FILES = ("pyproject.toml", "README.md")  # plus the package folders of pyproject's package-dir
_TAIL = 12  # lines of pip's output quoted when it fails

Progress = Callable[[str], None]


@dataclass
class Bundle:
    """What :func:`write_bundle` made: the folder, the .zip, the jixiao wheel and who can use it."""

    folder: Path
    wheel: Path
    excel_versions: tuple[str, ...]
    cli_versions: tuple[str, ...]
    archive: Path | None = None
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the source checkout and its wheel


def find_source(source: Path | None = None) -> Path:
    """Return the jixiao source checkout (``source``, else the one this jixiao is installed from)."""
    folder = Path(source) if source else Path(__file__).resolve().parents[1]
    if not all((folder / name).is_file() for name in (*_SOURCE_FILES, "jixiao/_version.py")):
        raise InputError(
            "jixiao bundle 要从 jixiao 的源码生成安装包：请在源码文件夹中用 pip install -e '.[dev]' "
            "安装后运行，"
            "或用 --source 指定源码文件夹（含 pyproject.toml 和 README.md）",
            place=str(folder),
        )
    return folder


def _package_folders(source: Path) -> list[str]:
    from jixiao.resources import tomllib

    pyproject = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    return sorted(set(pyproject["tool"]["setuptools"]["package-dir"].values()))


def _run(command: list[str], what: str) -> None:
    """Run ``command``; raise :class:`OutputError` naming ``what`` with the end of its output on failure."""
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-_TAIL:])
        raise OutputError(f"{what}失败（退出码 {completed.returncode}）：\n{tail}")


def build_wheel(source: Path, wheels: Path) -> Path:
    """Build the jixiao wheel from a clean copy of ``source`` into ``wheels``; return its path."""
    with tempfile.TemporaryDirectory(prefix="jixiao-wheel-") as folder:
        tree = Path(folder) / "jixiao"
        for name in _SOURCE_FILES:
            tree.mkdir(exist_ok=True)
            shutil.copy2(source / name, tree / name)
        for name in _package_folders(source):
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(source / name, tree / name, ignore=ignore)
        built = Path(folder) / "dist"
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(built), str(tree)]
        _run(command, "生成 jixiao 的 wheel（pip wheel）")
        (wheel,) = built.glob("jixiao-*.whl")
        wheels.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheel, wheels / wheel.name))


def source_version(source: Path) -> str:
    """Return the version the checkout ``source`` declares (``jixiao/_version.py``)."""
    text = (source / "jixiao" / "_version.py").read_text(encoding="utf-8")
    found = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if found is None:
        raise InputError("找不到 jixiao 的版本号", place=str(source / "jixiao" / "_version.py"))
    return found.group(1)


def wheel_version(wheel: Path) -> str:
    """Return the version in a wheel's file name (``jixiao-0.4.0-py3-none-any.whl`` → 0.4.0)."""
    return wheel.name.split("-")[1]


# ------------------------------------------------------------------ the dependencies for Windows


def _packaging():
    try:
        from packaging.markers import Marker  # noqa: F401
        from packaging.requirements import Requirement
        from packaging.specifiers import SpecifierSet
    except ImportError:
        raise InputError("jixiao bundle 需要 packaging 程序包：请运行 pip install -e '.[dev]'") from None
    return Requirement, SpecifierSet


def requirements(wheel: Path, version: str, extras: Iterable[str] = ()) -> list[str]:
    """Return what ``wheel`` needs on Windows x64 with Python ``version`` and ``extras``, markers applied."""
    requirement_class, _ = _packaging()
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(name).decode("utf-8"))
    wanted: list[str] = []
    for line in meta.get_all("Requires-Dist") or []:
        requirement = requirement_class(line)
        for extra in ("", *extras):
            environment = {**winpip.windows_environment(version), "extra": extra}
            if requirement.marker is None or requirement.marker.evaluate(environment):
                requirement.marker = None
                wanted.append(str(requirement))
                break
    return wanted


def excel_versions(versions: Iterable[str]) -> tuple[str, ...]:
    """Return the Python versions of ``versions`` that the installed xlwings (the add-in's) supports."""
    _, specifier_set = _packaging()
    try:
        needs = metadata.metadata("xlwings")["Requires-Python"] or ""
    except metadata.PackageNotFoundError:
        raise InputError(f'需要 xlwings {XLWINGS_VERSION}：请运行 pip install -e ".[dev]"') from None
    return tuple(v for v in versions if specifier_set(needs).contains(f"{v}.0"))


def download(needs: list[str], version: str, wheels: Path) -> None:
    """Download the wheels of ``needs`` and everything they need for Windows x64 and ``version``."""
    command = [sys.executable, "-m", "jixiao.addin.winpip", version, "download", "--quiet"]
    command += ["--only-binary=:all:", "--platform", PLATFORM, "--python-version", version]
    command += ["--dest", str(wheels), *needs]
    _run(command, f"下载 Python {version} 的程序包（pip download）")


# ------------------------------------------------------------------ the .bat files


def _template(name: str) -> str:
    return resources.files("jixiao.addin").joinpath("data", name).read_text(encoding="utf-8")


def _tuples(versions: Iterable[str]) -> str:
    return ", ".join(f"({v.replace('.', ', ')})" for v in versions)


def _range(versions: tuple[str, ...]) -> str:
    return versions[0] if len(versions) == 1 else f"{versions[0]}–{versions[-1]}"


def batch_text(name: str, wheel: Path, excel: tuple[str, ...], cli: tuple[str, ...]) -> bytes:
    """Return the bytes of the .bat file ``name`` (安装.bat or 卸载.bat) of a bundle holding ``wheel``."""
    values = {
        "VERSION": wheel_version(wheel),
        "WHEEL": wheel.name,
        "LAUNCHER_VERSIONS": " ".join(reversed(excel)),
        "EXCEL_TUPLES": _tuples(excel),
        "CLI_TUPLES": _tuples(cli),
        "EXCEL_RANGE": _range(excel),
        "RECOMMENDED": excel[-2] if len(excel) > 1 else excel[0],
        "XLWINGS": XLWINGS_VERSION,
        "BLANK": BLANK,
        "XLSTART": windows_path(XLSTART),
        "ADDIN": ADDIN_NAME,
        "CONFIG_DIR": windows_path(CONFIG_DIR),
        "CONFIG_NAME": CONFIG_NAME,
        "FIND_PYTHON": _template("find_python.bat").rstrip("\n"),
        "SUBROUTINES": _template("subroutines.bat").rstrip("\n"),
    }
    text = _template(TEMPLATES[name])
    for key in ("FIND_PYTHON", "SUBROUTINES"):  # fragments first: they hold placeholders too
        text = text.replace(f"@@{key}@@", values[key])
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise ValueError(f"{name}: a placeholder was left: {text[text.index('@@') :][:40]}")
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


# ------------------------------------------------------------------ workbooks, guide, manifest, zip


def write_workbooks(folder: Path) -> list[Path]:
    """Write the blank workbook and the scored demo workbook (as .xlsx and .xlsm) into ``folder``."""
    from jixiao.fileio import safe_file_name
    from jixiao.pipeline import evaluate
    from jixiao.samples import load_sample
    from jixiao.workbook.builder import blank_filing, build_workbook
    from jixiao.workbook.scored import build_scored
    from jixiao.workbook.writer import save_atomic

    blank = folder / BLANK
    save_atomic(build_workbook(blank_filing("", datetime.date.today().year - 1)), blank)
    filing, findings = load_sample()
    filing = evaluate(filing, findings, source="jixiao:sample").filing
    stem = f"示例-{filing.unit}{filing.year}年度绩效自评"
    demo = folder / safe_file_name(stem, ".xlsx")
    build_scored(filing, demo, report=True)
    macro = make_macro_workbook(demo, folder / safe_file_name(stem + MACRO_SUFFIX, ".xlsm"))
    return [blank, demo, macro]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_text(bundle: Bundle) -> str:
    """Return 清单.txt: what the bundle is for and the size and SHA-256 of every file in it."""
    lines = [
        f"jixiao {wheel_version(bundle.wheel)} 离线安装包（Windows 64 位），"
        f"生成于 {datetime.date.today():%Y-%m-%d}",
        f"Excel 加载项：Python {_range(bundle.excel_versions)}（64 位），xlwings {XLWINGS_VERSION}",
    ]
    if bundle.cli_versions:
        cli = ", ".join(bundle.cli_versions)
        lines.append(f"只含命令行：Python {cli}（xlwings {XLWINGS_VERSION} 不支持）")
    lines += ["", "文件（字节数、SHA-256）："]
    for path in sorted(p for p in bundle.folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        relative = path.relative_to(bundle.folder).as_posix()
        lines.append(f"{relative}\t{path.stat().st_size}\t{_sha256(path)}")
    return "\r\n".join(lines) + "\r\n"


def make_zip(folder: Path) -> Path:
    """Write ``folder``.zip holding the folder itself (names in UTF-8); return its path."""
    archive = folder.parent / f"{folder.name}.zip"
    with tempfile.NamedTemporaryFile(dir=folder.parent, suffix=".zip.tmp", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    z.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        temporary.replace(archive)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return archive


def write_bundle(
    out: Path,
    source: Path | None = None,
    versions: Iterable[str] = PYTHON_VERSIONS,
    *,
    archive: bool = True,
    force: bool = False,
    progress: Progress = lambda line: None,
) -> Bundle:
    """Write the bundle folder ``jixiao-VERSION-windows`` (and its .zip) into ``out``; return it."""
    source = find_source(source)
    versions = tuple(versions)
    excel = excel_versions(versions)
    if not excel:
        raise InputError(f"所给的 Python 版本都不能用 xlwings {XLWINGS_VERSION}（Excel 加载项）")
    cli = tuple(v for v in versions if v not in excel)
    folder = Path(out) / f"jixiao-{source_version(source)}-windows"
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())) and not force:
        raise InputError("安装包文件夹已存在；如需重新生成请加 --force", place=str(folder))
    with tempfile.TemporaryDirectory(prefix="jixiao-bundle-") as scratch:
        progress("[1] 生成 jixiao 的 wheel（pip wheel）…")
        wheel = build_wheel(source, Path(scratch) / WHEELS)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        wheel = Path(shutil.copytree(Path(scratch) / WHEELS, folder / WHEELS)) / wheel.name
    bundle = Bundle(folder, wheel, excel, cli)
    for version in versions:
        extras = (EXCEL_EXTRA,) if version in excel else ()
        what = "（含 Excel 加载项）" if extras else "（命令行）"
        progress(f"[2] 下载 Python {version} 的 Windows 程序包{what} …")
        download(requirements(wheel, version, extras), version, folder / WHEELS)
    progress("[3] 生成加载项 jixiao.xlam、空白工作簿和示例工作簿 …")
    build_addin(folder)
    write_workbooks(folder)
    for name in TEMPLATES:
        (folder / name).write_bytes(batch_text(name, wheel, excel, cli))
    progress("[4] 生成 使用说明.pdf（LibreOffice）…")
    try:
        from jixiao.addin.guide import guide_pdf

        guide_pdf((source / "README.md").read_text(encoding="utf-8"), folder / GUIDE)
    except OutputError as exc:  # no LibreOffice: the bundle is still complete without the PDF
        bundle.notes.append(f"跳过 {GUIDE}：{exc}")
    (folder / MANIFEST).write_text(manifest_text(bundle), encoding="utf-8", newline="")
    if archive:
        progress("[5] 打包 zip …")
        bundle.archive = make_zip(folder)
    return bundle
