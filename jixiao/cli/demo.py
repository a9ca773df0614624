"""``jixiao demo [--out DIR]``: the bundled sample end to end — findings, scored workbook, reports."""

from __future__ import annotations

import argparse
from pathlib import Path

from jixiao.cli.common import EXIT_OK, print_scores, progress

HELP = "用内置样例（株洲市行业办公室 2022）跑通全流程"
REPORT_FORMATS = ("docx", "pdf", "md")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao demo``."""
    parser.add_argument("--out", default="jixiao-demo", help="输出文件夹（默认 ./jixiao-demo）")


def run(args: argparse.Namespace) -> int:
    """Write the sample's findings, scored workbook and reports into the folder; return 0."""
    from jixiao.errors import InputError
    from jixiao.outputs import claim
    from jixiao.pipeline import evaluate
    from jixiao.samples import SAMPLE_TITLE, load_sample

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError("--out 应为文件夹，这里是一个已有的文件", place=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建输出文件夹（{exc.strerror or exc}）", place=str(out)) from None
    progress(f"[1] 读取内置样例：{SAMPLE_TITLE}")
    filing, findings = load_sample()
    result = evaluate(filing, findings, source="jixiao:sample/zhuzhou_2022")
    findings_json, book = out / "findings.json", _workbook_path(out, result)
    for path in (findings_json, book):  # an earlier demo's files are replaced, anything else is refused
        claim(path, recognise=_is_findings_json)
    progress("[2] 计算得分并校验 …")
    written = [findings_json]
    result.write_json(findings_json)
    progress("[3] 生成样例工作簿 …")
    written.append(_workbook(book, result))
    progress("[4] 生成自评报告 …")
    written.extend(_reports(out, result))
    print_scores(result, explain=False)
    s = result.summary
    print(
        f"校验：{s['errors']} 个错误、{s['warnings']} 个警告、{s['infos']} 个提示（样例保留了原件中的错误）。"
    )
    print("已生成：")
    for path in written:
        print(f"  {path}")
    return EXIT_OK


def _is_findings_json(path: Path) -> bool:
    """Return True when ``path`` holds findings as jixiao writes them (``findings.json``)."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and {"file", "findings", "scores", "summary"} <= set(data)


def _workbook_path(out: Path, result) -> Path:
    """Return where the sample workbook goes in ``out``."""
    from jixiao.fileio import safe_file_name

    filing = result.filing
    return out / safe_file_name(f"{filing.unit}{filing.year}年度绩效自评", ".xlsx")


def _workbook(destination: Path, result) -> Path:
    """Return the path of the filled, scored sample workbook written to ``destination``."""
    from jixiao.workbook.scored import build_scored

    scored = build_scored(result.filing, destination, report=True)
    t12 = scored.scores.department
    counts = f"{len(scored.findings)} 条校验结果"
    progress(f"    工作簿：附件1-2 总分 {t12.total}（{t12.grade}），{counts}，自评报告表已填写")
    return destination


def _reports(out: Path, result) -> list[Path]:
    """Return the paths of the report in every format, and the 公开版 of each, written into ``out``."""
    from jixiao.api import export
    from jixiao.errors import OutputError
    from jixiao.report.export import default_name

    written: list[Path] = []
    for public in (False, True):
        for fmt in REPORT_FORMATS:
            target = out / default_name(result, fmt, public)
            try:
                written.append(export(result, fmt, target, public=public))
            except OutputError as exc:
                progress(f"    跳过 {target.name}：{exc}")
    return written
