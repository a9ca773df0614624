"""What every command shares: exit codes, the parser class, progress lines, the readers, printing."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

_SEVERITY_MARK = {"error": "✗ 错误", "warning": "! 警告", "info": "· 提示"}


_TYPES = {"int": "整数", "float": "数字"}
# argparse's own English messages (Python 3.10–3.13), as patterns, and what the user reads instead
_MESSAGES = (
    (r"the following arguments are required: (?P<names>.+)", "缺少必需的参数：{names}"),
    (r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     "{name} 不能是 {value}（可选：{choices}）"),
    (r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.+)", "{name} 的值 {value} 不是{type}"),
    (r"argument (?P<name>\S+): expected one argument", "{name} 后面要跟一个值"),
    (r"argument (?P<name>\S+): expected (?P<count>.+) arguments?", "{name} 后面要跟 {count} 个值"),
    (r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)", "{name} 不能与 {other} 同时使用"),
    (r"argument (?P<name>\S+): ignored explicit argument (?P<value>.+)", "{name} 不接受值 {value}"),
    (r"ambiguous option: (?P<name>\S+) could match (?P<choices>.+)", "{name} 可能是 {choices}，请写全"),
    (r"unrecognized arguments: (?P<names>.+)", "不认识的参数：{names}"),
    (r"one of the arguments (?P<names>.+) is required", "须给出 {names} 之一"),
    (r"argument (?P<name>\S+): (?P<reason>.+)", "{name}：{reason}"),  # a reason of jixiao's own
)  # fmt: skip


def chinese_message(message: str) -> str:
    """Return argparse's usage error ``message`` in Chinese (a message it does not know unchanged)."""
    for pattern, text in _MESSAGES:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match is None:
            continue
        parts = {k: re.sub(r"'([^']*)'", r"“\1”", v) for k, v in match.groupdict().items()}
        if "choices" in parts:
            parts["choices"] = parts["choices"].replace(", ", "、")
        if "type" in parts:
            parts["type"] = _TYPES.get(parts["type"], "有效的值")
        if "names" in parts:
            parts["names"] = parts["names"].replace(", ", "、")
        return text.format(**parts)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Chinese usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser in Chinese: a usage error is one Chinese line and exit 2; help in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        reason = chinese_message(message)
        self.exit(EXIT_UNUSABLE, f"jixiao：命令行参数有误：{reason}（用 jixiao -h 查看用法）\n")


def progress(message: str) -> None:
    """Print a progress line on stderr (stdout stays the command's result)."""
    print(message, file=sys.stderr, flush=True)


def exit_code(result: Any) -> int:
    """Return 1 when ``result`` has findings of severity error, else 0."""
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


def print_findings(result: Any, stream: Any = None) -> None:
    """Print each finding of ``result`` on a line, then the counts."""
    from jixiao.findings import SEVERITY_LABEL

    stream = stream or sys.stdout
    for f in result.findings:
        print(f"{_SEVERITY_MARK[f.severity]} [{f.rule}] {f.place}：{f.message}", file=stream)
    s = result.summary
    print(
        f"共 {s['errors']} 个{SEVERITY_LABEL['error']}、{s['warnings']} 个{SEVERITY_LABEL['warning']}、"
        f"{s['infos']} 个{SEVERITY_LABEL['info']}。",
        file=stream,
    )


def print_scores(result: Any, stream: Any = None, explain: bool = True) -> None:
    """Print each table's execution rate, scores, total and grade (and how each score was derived)."""
    from jixiao.numbers import fmt, fmt_plain
    from jixiao.scoring import NO_SCORED_TABLE

    stream = stream or sys.stdout
    places = result.filing.policy.display_places
    if not result.scores.tables():
        print(NO_SCORED_TABLE, file=stream)
    for t in result.scores.tables():
        reported = f"（填报 {fmt_plain(t.reported_total)}）" if t.reported_total is not None else ""
        exec_score = fmt(t.exec.score, places) if t.exec.score is not None else "—"
        print(
            f"附件{t.table} {t.subject}：执行率 {t.exec.rate_text}，执行得分 {exec_score}，"
            f"总分 {fmt(t.total, places)}{reported}，等级 {t.grade}",
            file=stream,
        )
        if explain:
            print(f"    预算执行率：{t.exec.explanation}", file=stream)
            for s in t.indicators:
                score = fmt(s.score, places) if s.score is not None else "—"
                print(f"    {s.indicator.subject}：{score}  {s.explanation}", file=stream)


def _backup_count(text: str) -> int:
    """Return the --keep-backups count (a whole number of at least 1)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--keep-backups 须为不小于 1 的整数（收到“{text}”）")
    return int(text)


def add_replace_options(parser: argparse.ArgumentParser, force_help: str | None = None) -> None:
    """Add --force and --keep-backups, the options of every command that may replace a file."""
    parser.add_argument(
        "--force",
        action="store_true",
        help=force_help or "替换已存在的、不是 jixiao 生成的输出文件（先备份原文件）",
    )
    parser.add_argument(
        "--keep-backups",
        type=_backup_count,
        default=None,
        metavar="N",
        help="每个文件保留最近 N 份备份（默认 5，或环境变量 JIXIAO_KEEP_BACKUPS）",
    )
