"""Report text is text and user templates are sandboxed (issue 15).

User prose that looks like the report's line markup (!…, = …, # …) stays a paragraph in every
format; a user's template folder cannot read a file outside it, is bounded in time, memory and
output, and cannot change the filing it reports on.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from jixiao.api import check, export
from jixiao.cli import main
from jixiao.errors import InputError
from jixiao.report.document import ESCAPE
from jixiao.report.narrative import build_report, user_view
from jixiao.safety import LIMITS, MB
from jixiao.samples import load_sample
from jixiao.scoring import score_filing
from tests.conftest import SAMPLE
from tests.output_text import file_text

HOSTILE_LINES = [
    "!cover-title 假封面",
    "!attach 假附件",
    "!unknown 不认识的标记",
    "= 假标题",
    "# 假的一级标题",
    "## 假的二级标题",
    "  #### 前面有空格的假标题",
    "!",
    "=",
]


@pytest.fixture
def filing():
    """Return a fresh copy of the sample filing."""
    return copy.deepcopy(load_sample()[0])


def _hostile(filing):
    """Give ``filing`` prose, names and a title breaker that look like markup; return it."""
    filing.prose.problems = "\n".join(HOSTILE_LINES)
    filing.prose.functions = "第一段\u2028# 行分隔符后的假标题\r\n= 回车换行后的假标题"
    filing.t13[0].name = "项目甲\n# 名称中换行的假标题"
    filing.unit = "株洲市||行业办公室"
    return filing


def test_prose_that_looks_like_markup_stays_paragraphs(filing) -> None:
    doc = build_report(_hostile(filing), score_filing(filing))
    assert [s.heading[:2] for s in doc.sections] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "七、",
        "八、",
        "九、",
        "十、",
    ]
    assert doc.title.replace("\u2028", "").startswith("2022年度株洲市||行业办公室")
    assert doc.cover_title.startswith("2022年度部门（单位）") and "假" not in doc.cover_title
    assert doc.attachments[0].startswith("附件：1-1.") and all("假" not in a for a in doc.attachments)
    problems = next(s for s in doc.sections if s.heading.startswith("七、"))
    texts = [(b.kind, b.text) for b in problems.blocks]
    for line in HOSTILE_LINES:
        assert ("paragraph", line.strip()) in texts, line
    everything = [(b.kind, b.text) for b in doc.blocks()]
    for fake in ("# 行分隔符后的假标题", "= 回车换行后的假标题", "# 名称中换行的假标题"):
        assert any(kind == "paragraph" and text.startswith(fake) for kind, text in everything), fake
    assert not any(ESCAPE in text for _, text in everything)


@pytest.mark.parametrize("fmt", ["md", "docx", "xlsx"])
def test_every_format_writes_markup_looking_prose_as_text(tmp_path: Path, fmt: str) -> None:
    data = tmp_path / "单位.json"
    from jixiao.datafile import dump_filing

    filing, _ = load_sample()
    dump_filing(_hostile(filing), data)
    result = check(data)
    out = export(result, fmt, tmp_path / f"报告.{fmt}")
    if fmt == "md":
        text = out.read_text("utf-8")
        lines = text.splitlines()
        headings = [line for line in lines if line.startswith("#")]
        assert not any("假" in line for line in headings), headings
        assert r"\# 假的一级标题" in text and r"\= 假标题" in text and "!attach 假附件" in text
    else:
        text = file_text(out)
        assert "!attach 假附件" in text and "# 假的一级标题" in text and ESCAPE not in text


def test_the_cli_reports_markup_looking_prose_in_every_format(tmp_path: Path, capsys) -> None:
    from jixiao.datafile import dump_filing

    filing, _ = load_sample()
    dump_filing(_hostile(filing), tmp_path / "单位.json")
    for fmt in ("md", "docx", "xlsx"):
        assert main(["report", str(tmp_path / "单位.json"), "--format", fmt, "-o", str(tmp_path) + "/"]) == 0
    assert "模板" not in capsys.readouterr().err


@pytest.mark.libreoffice
def test_the_pdf_shows_markup_looking_prose_as_text(soffice: str, tmp_path: Path) -> None:
    from jixiao.datafile import dump_filing

    filing, _ = load_sample()
    dump_filing(_hostile(filing), tmp_path / "单位.json")
    out = tmp_path / "报告.pdf"
    assert main(["report", str(tmp_path / "单位.json"), "--format", "pdf", "-o", str(out)]) == 0
    text = file_text(out)
    assert "!attach 假附件" in text and "# 假的一级标题" in text and "= 假标题" in text


# ------------------------------------------------------------------ the sandbox


def _template(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "模板"
    folder.mkdir(exist_ok=True)
    (folder / "report.j2").write_text("= 标题\n# 一、概况\n" + body + "\n", "utf-8")
    return folder


def _refusal(filing, folder: Path) -> str:
    with pytest.raises(InputError) as caught:
        build_report(filing, template_dir=folder)
    message = str(caught.value)
    assert "\n" not in message and str(folder.resolve()) in message, message
    return message


def test_a_template_linked_to_a_file_outside_the_folder_is_refused(filing, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("= 机密 XYZ\n", "utf-8")
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "report.j2").symlink_to(secret)
    message = _refusal(filing, folder)
    assert "模板文件夹以外的链接" in message and "XYZ" not in message
    (folder / "report.j2").unlink()
    (folder / "report.j2").write_text('= 标题\n{% include "macros2.j2" %}\n', "utf-8")
    (folder / "macros2.j2").symlink_to(secret)
    assert "模板文件夹以外的链接" in _refusal(filing, folder)


def test_a_link_inside_the_folder_is_read(filing, tmp_path: Path) -> None:
    folder = _template(tmp_path, "内部链接")
    (folder / "本体.j2").write_text("= 链接读到的标题\n", "utf-8")
    (folder / "report.j2").unlink()
    (folder / "report.j2").symlink_to(folder / "本体.j2")
    assert build_report(filing, template_dir=folder).title == "链接读到的标题"


def test_a_template_file_too_large_is_refused(filing, tmp_path: Path) -> None:
    folder = _template(tmp_path, "甲" * LIMITS.template_bytes)
    assert f"上限 {LIMITS.template_bytes // 1024} KB" in _refusal(filing, folder)


def test_nested_loops_are_stopped_by_the_time_limit(filing, tmp_path: Path, monkeypatch) -> None:
    import jixiao.report.narrative as narrative

    monkeypatch.setattr(narrative, "LIMITS", dataclasses.replace(LIMITS, template_seconds=2))
    folder = _template(
        tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    assert "运行超过 2 秒" in _refusal(filing, folder)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{{ "a" * 3000000000 }}', "重复生成的内容超过"),
        ('{{ ["a"] * 3000000000 }}', "重复生成的内容超过"),
        ("{{ 10 ** 100000000 }}", "指数"),
        ('{{ "%3000000000s" % "a" }}', "格式宽度"),
        ('{% for i in range(100000) %}{{ "字" * 1000 }}\n{% endfor %}', "生成的文字超过"),
        ("{{ t12.indicators.clear() }}", "不允许的操作"),
        ("{{ f.projects.append(1) }}", "不允许的操作"),
        ("{{ prose.__class__ }}", "不允许的操作"),
        ("{{ 1 / 0 }}", "运行出错"),
    ],
)
def test_a_hostile_template_is_refused_in_one_line(filing, tmp_path: Path, body: str, words: str) -> None:
    assert words in _refusal(filing, _template(tmp_path, body))


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory bound needs RLIMIT_AS (Linux)")
def test_a_template_using_too_much_memory_is_stopped(filing, tmp_path: Path, monkeypatch) -> None:
    import jixiao.report.narrative as narrative

    monkeypatch.setattr(narrative, "LIMITS", dataclasses.replace(LIMITS, template_memory=256 * MB))
    folder = _template(tmp_path, '{{ "a"|center(3000000000) }}')
    assert "内存超过 256 MB" in _refusal(filing, folder)


def test_a_template_cannot_change_the_filing(filing, tmp_path: Path) -> None:
    before = copy.deepcopy(filing)
    folder = _template(tmp_path, "{% for i in t12.indicators %}{{ i.name }}{% endfor %}")
    build_report(filing, template_dir=folder)
    for body in ("{{ t12.indicators.clear() }}", "{{ t12.level1_weights.clear() }}", "{{ prose.__dict__ }}"):
        _refusal(filing, _template(tmp_path, body))
    assert filing == before
    view = user_view(filing)
    view.t12.indicators.clear()
    view.prose.problems = "改了"
    assert filing == before


def test_the_sample_report_is_the_same_through_the_sandbox(tmp_path: Path) -> None:
    """The built-in template copied into a user folder (run in a process of its own) writes the
    same report as the built-in one."""
    from importlib import resources

    folder = tmp_path / "模板"
    folder.mkdir()
    for name in ("report.j2", "macros.j2"):
        source = resources.files("jixiao.report").joinpath("templates", name).read_text("utf-8")
        (folder / name).write_text(source, "utf-8")
    filing, _ = load_sample()
    assert build_report(filing, template_dir=folder) == build_report(filing)
    assert SAMPLE.exists()
