"""The narrative engine: the 自评报告 from sandboxed Jinja2 templates over the computed figures.

The built-in templates live in ``jixiao/report/templates``; a unit or province may supply a
folder whose files of the same name take precedence. Templates run in an immutable Jinja2
sandbox and see only a copy of the facts and the filing, every text of it escaped for the line
markup of :mod:`jixiao.report.document` (so no user line becomes markup), and the filters below.

A folder of the user's is read within it only (a link leading out is refused, a file above
``Limits.template_bytes`` too), and its templates run in a process of their own, stopped after
``Limits.template_seconds`` or beyond ``Limits.template_memory``; any template's output is capped
at ``Limits.markup_chars``.

The report never states as fact what the tables contradict: the accountant's paragraphs reach the
templates with a 【请核实：…】 mark after each figure the tables contradict
(:func:`jixiao.checks.prose.annotate`), and what is missing is asked for with :func:`ask`, a
【请填写：…】 mark naming the sheet and cell where it is typed (:func:`place`).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import re
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jixiao.errors import InputError
from jixiao.isolation import Overrun, run_bounded
from jixiao.model import Filing, Prose, Where
from jixiao.numbers import ZERO, fmt, fmt_percent, fmt_plain, quantize
from jixiao.report.document import ReportDocument, escape, parse_markup
from jixiao.report.facts import Facts, build_facts, split_paragraphs
from jixiao.safety import LIMITS, MB, Limits
from jixiao.scoring import FilingScore, score_filing

MAIN_TEMPLATE = "report.j2"
_CN_DIGITS = "零一二三四五六七八九"


def amount(value: Decimal | None) -> str:
    """Return an amount in 万元 rounded half-up to 2 places, without trailing zeros ('622.9')."""
    return "—" if value is None else fmt_plain(quantize(value, 2))


def cn_number(n: int) -> str:
    """Return 1…99 as a Chinese numeral (1 → 一, 10 → 十, 12 → 十二)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def trend(delta: Decimal | None) -> str:
    """Return 增加 / 减少 / 持平 for a year-on-year change."""
    if delta is None or delta == 0:
        return "持平"
    return "增加" if delta > 0 else "减少"


def date_cn(text: str | None) -> str:
    """Return '2023-04-20' (or 2023.4.20) as '2023年4月20日'; other text unchanged."""
    match = re.fullmatch(r"\s*(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?\s*", text or "")
    if not match:
        return text or "    年  月  日"
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"


def place(where: Where | None, field: str = "", label: str = "", sheet: str = "") -> str:
    """Return where the accountant types ``field`` of the record ``where``: 基本信息!B47 when its
    cell is known (a workbook), else the sheet and the field's label (基本信息“主要职能”)."""
    cell = where.cells.get(field) if where is not None and field else None
    sheet = (where.sheet if where is not None else "") or sheet
    if cell:
        return f"{sheet}!{cell}"
    return f"{sheet}“{label}”" if label else sheet


def ask(what: str, where: str = "") -> str:
    """Return the mark for a missing input: 【请填写：what（where）】."""
    return f"【请填写：{what}（{where}）】" if where else f"【请填写：{what}】"


def verify(note: str) -> str:
    """Return the mark for a figure the tables contradict: 【请核实：note】."""
    from jixiao.checks.report import verify_mark

    return verify_mark(note)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox: no mutation of what templates see, and no operator that builds a huge value."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Return ``left operator right``; refuse a repetition, power or format beyond the output cap."""
        cap = LIMITS.markup_chars
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
                if repeated and len(sequence) * times > cap:
                    raise jinja2.exceptions.SecurityError(f"重复生成的内容超过 {cap} 个字符")
        if operator == "**" and isinstance(right, int | float | Decimal) and abs(right) > 64:
            raise jinja2.exceptions.SecurityError("乘方的指数超过 64")
        if operator == "%" and isinstance(left, str) and re.search(r"%[-+ #0]*(?:\*|\d{5,})", left):
            raise jinja2.exceptions.SecurityError("格式宽度过大")
        return super().call_binop(context, operator, left, right)


class _FolderLoader(jinja2.BaseLoader):
    """Loads templates from the user's folder only: no link leading out of it, no file too large."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder, self.limits = folder, limits

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """Return (source, file name, up-to-date check) of ``template``; raise InputError when refused."""
        path = self.folder.joinpath(*split_template_path(template))
        if not path.is_file() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputError(f"模板文件“{template}”是悬空或成环的链接", place=str(self.folder)) from None
        if not real.is_relative_to(self.folder) or not real.is_file():
            reason = f"模板文件“{template}”是指向模板文件夹以外的链接（→ {real}），已拒绝读取"
            raise InputError(reason, place=str(self.folder))
        with real.open("rb") as handle:
            data = handle.read(self.limits.template_bytes + 1)
        if len(data) > self.limits.template_bytes:
            reason = f"模板文件“{template}”过大（上限 {self.limits.template_bytes // 1024} KB），已拒绝读取"
            raise InputError(reason, place=str(self.folder))
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"模板文件“{template}”不是 UTF-8 文本", place=str(self.folder)) from None
        mtime = real.stat().st_mtime
        return source, str(real), lambda: real.is_file() and real.stat().st_mtime == mtime


def _template_folder(template_dir: Path | str | None) -> str | None:
    """Return the user's template folder as an absolute path with links resolved (None: built-ins only)."""
    if template_dir is None:
        return None
    if not Path(template_dir).is_dir():
        raise InputError("报告模板文件夹不存在", place=str(template_dir))
    return str(Path(template_dir).resolve())


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept in the user cache (checked against the template's source by
    Jinja); a cache that cannot be read or written is simply not used."""

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(Exception):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(Exception):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return the cache of the built-in templates' compiled code (see jixiao.resources), or None."""
    from jixiao.resources import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    folder = folder / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder), f"jixiao-%s-py{sys.version_info[0]}{sys.version_info[1]}.cache")


@functools.lru_cache(maxsize=8)
def _environment(policy_places: int, template_dir: str | None) -> _Sandbox:
    """Return the sandboxed environment over ``template_dir`` (an absolute folder, or None) and the
    built-ins; kept per (places, folder), so each template is compiled once (and again when its
    file changes)."""
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(_FolderLoader(Path(template_dir), LIMITS))
    builtin = resources.files("jixiao.report").joinpath("templates")
    loaders.append(jinja2.FileSystemLoader(str(builtin)))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache() if template_dir is None else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        amt=amount,
        absamt=lambda v: amount(abs(v)) if v is not None else "—",
        pct=lambda r, places=2: fmt_percent(r, places),
        abspct=lambda r, places=2: fmt_percent(abs(r), places) if r is not None else "—",
        score=lambda v: fmt(v, policy_places) if v is not None else "—",
        num=lambda v: fmt_plain(v) if v is not None else "—",
        trend=trend,
        paras=split_paragraphs,
        cn=cn_number,
        date_cn=date_cn,
        join_cn=lambda items, sep="、": sep.join(str(i) for i in items),
        strip_end=lambda text: (text or "").strip().rstrip("。；;，,"),
        # '主要用于{{ purpose }}' when the accountant already wrote '用于…'
        without_lead=lambda text, *leads: next(
            (text[len(lead) :] for lead in leads if (text or "").startswith(lead)), text or ""
        ),
    )
    env.globals.update(place=place, ask=ask, verify=verify)
    env.tests.update(
        positive=lambda v: v is not None and v > ZERO,
        known=lambda v: v is not None,
    )
    return env


def marked_prose(filing: Filing, scores: FilingScore, facts: Facts) -> Prose:
    """Return the filing's 基本信息 prose with a 【请核实】 mark after every figure the tables
    contradict; the projects of ``facts`` get copies of their 附件1-3 prose marked the same way."""
    from jixiao.checks.prose import annotate, prose_flags

    flags = prose_flags(filing, scores)
    if not flags:
        return filing.prose

    def marked(record: Any) -> Any:
        mine = [f for f in flags if f.field.record is record]
        if not mine:
            return record
        names = {f.field.name for f in mine}
        changes = {
            n: annotate(getattr(record, n), [f.flag for f in mine if f.field.name == n]) for n in names
        }
        return dataclasses.replace(record, **changes)

    for project in facts.projects:
        ev = project.evaluation
        if ev is not None and marked(ev.prose) is not ev.prose:
            project.evaluation = dataclasses.replace(ev, prose=marked(ev.prose))
    return marked(filing.prose)


def template_context(filing: Filing, facts: Facts, prose: Prose | None = None) -> dict[str, object]:
    """Return what a template sees: a copy of the facts, the prose (``prose``: as marked), the head
    counts and the tables, every text escaped for the markup (:func:`user_view`)."""
    year = filing.year
    seen = user_view(
        {
            "f": facts,
            "unit": facts.unit,
            "prose": prose or filing.prose,
            "spending": filing.spending,
            "headcount": filing.headcount,
            "t11": filing.t11,
            "t12": filing.t12,
            "policy": filing.policy,
        }
    )
    if year is None:
        return {**seen, "year": "20XX", "prev_year": "上"}
    return {**seen, "year": year, "prev_year": year - 1}


def user_view(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """Return a copy of ``value`` (dataclasses, lists, tuples, dicts) with every text escaped for the
    markup; the original is never reachable from the copy."""
    memo = {} if memo is None else memo
    if isinstance(value, str):
        return escape(value)
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, list):
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(user_view(v, memo) for v in value)
        return items
    if isinstance(value, tuple):
        return tuple(user_view(v, memo) for v in value)
    if isinstance(value, dict):
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        mapping.update((user_view(k, memo), user_view(v, memo)) for k, v in value.items())
        return mapping
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        twin = copy.copy(value)
        memo[id(value)] = twin
        for f in dataclasses.fields(value):
            object.__setattr__(twin, f.name, user_view(getattr(value, f.name), memo))
        return twin
    return copy.deepcopy(value)


def render_markup(
    filing: Filing, scores: FilingScore | None = None, *, template_dir: Path | None = None
) -> str:
    """Return the report markup rendered from the templates (built-in or ``template_dir``).

    The user's templates run in a process of their own, bounded in time and memory.
    """
    if filing.is_empty():
        raise InputError("没有填写任何表（附件1-1、附件1-2、附件1-3 均为空），无法生成自评报告")
    scores = scores or score_filing(filing)
    folder = _template_folder(template_dir)
    if folder is None:
        return _render(filing, scores, None)
    limits = LIMITS
    try:
        return run_bounded(
            _render, (filing, scores, folder), seconds=limits.template_seconds, memory=limits.template_memory
        )
    except Overrun as exc:
        raise InputError(_overrun_reason(exc, limits), place=folder) from None


def _overrun_reason(exc: Overrun, limits: Limits) -> str:
    """Return why a user's template was stopped, naming the limit."""
    if exc.kind == "time":
        return f"报告模板运行超过 {limits.template_seconds} 秒（上限），已停止；请检查模板中的循环"
    if exc.kind == "memory":
        return f"报告模板占用内存超过 {limits.template_memory // MB} MB（上限），已停止"
    if exc.kind == "crash":
        return "报告模板运行时进程异常退出，已停止"
    return f"报告模板运行出错（{exc.detail}）"


def _render(filing: Filing, scores: FilingScore, folder: str | None) -> str:
    """Return the markup of the templates of ``folder`` (None: built-in), at most ``markup_chars`` long."""
    env = _environment(filing.policy.display_places, folder)
    cap = LIMITS.markup_chars
    try:
        template = env.get_template(MAIN_TEMPLATE)
        parts, size = [], 0
        facts = build_facts(filing, scores)
        prose = marked_prose(filing, scores, facts)
        for part in template.generate(template_context(filing, facts, prose)):
            size += len(part)
            if size > cap:
                raise InputError(f"报告模板生成的文字超过 {cap} 个字符（上限），已停止", place=folder)
            parts.append(part)
        return "".join(parts)
    except jinja2.TemplateSyntaxError as exc:
        place = str(Path(folder, exc.name or "")) if folder else exc.name
        raise InputError(f"报告模板第 {exc.lineno} 行语法错误：{exc.message}", place=place) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"找不到报告模板“{exc.name}”", place=folder) from None
    except jinja2.UndefinedError as exc:
        raise InputError(f"报告模板引用了不存在的数据：{exc.message}", place=folder) from None
    except jinja2.exceptions.SecurityError as exc:  # a mutation, an unsafe attribute, a huge value
        raise InputError(f"报告模板执行了不允许的操作（{exc}）", place=folder) from None


def build_report(
    filing: Filing, scores: FilingScore | None = None, *, template_dir: Path | None = None
) -> ReportDocument:
    """Return the 自评报告 of ``filing`` as a structured document (title, sections, paragraphs)."""
    markup = render_markup(filing, scores, template_dir=template_dir)
    return parse_markup(markup, source=str(template_dir or "内置报告模板"))
