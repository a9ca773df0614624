"""The narrative engine: the 自评报告 from sandboxed Jinja2 templates over the computed figures.

The built-in templates live in ``jixiao/report/templates``; a unit or province may supply a
folder whose files of the same name take precedence. Templates run in a
:class:`jinja2.sandbox.SandboxedEnvironment` and see only the facts, the prose and the filters
below, and write the line markup of :mod:`jixiao.report.document`.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from jixiao.errors import InputError
from jixiao.model import Filing
from jixiao.numbers import ZERO, fmt, fmt_percent, fmt_plain, quantize
from jixiao.report.document import ReportDocument, parse_markup
from jixiao.report.facts import Facts, build_facts, split_paragraphs
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


def _environment(policy_places: int, template_dir: Path | None) -> SandboxedEnvironment:
    """Return the sandboxed environment for ``template_dir`` (None: built-in templates only).

    One environment per (places, folder) is kept for the process, so each template is compiled
    once; Jinja reloads a template whose file changed (auto_reload checks modification times).
    """
    if template_dir is None:
        return _cached_environment(policy_places, None)
    if not Path(template_dir).is_dir():
        raise InputError("报告模板文件夹不存在", place=str(template_dir))
    return _cached_environment(policy_places, str(Path(template_dir).resolve()))


@functools.lru_cache(maxsize=8)
def _cached_environment(policy_places: int, template_dir: str | None) -> SandboxedEnvironment:
    """Return a new sandboxed environment over ``template_dir`` (an absolute folder) and the built-ins."""
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    builtin = resources.files("jixiao.report").joinpath("templates")
    loaders.append(jinja2.FileSystemLoader(str(builtin)))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
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
    env.tests.update(
        positive=lambda v: v is not None and v > ZERO,
        known=lambda v: v is not None,
    )
    return env


def template_context(filing: Filing, facts: Facts) -> dict[str, object]:
    """Return what a template sees: the facts, the prose, the head counts and the signers' roles."""
    year = filing.year
    return {
        "f": facts,
        "unit": facts.unit,
        "year": year if year is not None else "20XX",
        "prev_year": year - 1 if year is not None else "上",
        "prose": filing.prose,
        "headcount": filing.headcount,
        "t11": filing.t11,
        "t12": filing.t12,
        "policy": filing.policy,
    }


def render_markup(
    filing: Filing, scores: FilingScore | None = None, *, template_dir: Path | None = None
) -> str:
    """Return the report markup rendered from the templates (built-in or ``template_dir``)."""
    if filing.is_empty():
        raise InputError("没有填写任何表（附件1-1、附件1-2、附件1-3 均为空），无法生成自评报告")
    scores = scores or score_filing(filing)
    env = _environment(filing.policy.display_places, template_dir)
    try:
        template = env.get_template(MAIN_TEMPLATE)
        return template.render(template_context(filing, build_facts(filing, scores)))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"报告模板第 {exc.lineno} 行语法错误：{exc.message}", place=exc.name) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"找不到报告模板“{exc.name}”") from None
    except jinja2.UndefinedError as exc:
        raise InputError(f"报告模板引用了不存在的数据：{exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise InputError(f"报告模板执行了不允许的操作：{exc}") from None


def build_report(
    filing: Filing, scores: FilingScore | None = None, *, template_dir: Path | None = None
) -> ReportDocument:
    """Return the 自评报告 of ``filing`` as a structured document (title, sections, paragraphs)."""
    markup = render_markup(filing, scores, template_dir=template_dir)
    return parse_markup(markup, source=str(template_dir or "内置报告模板"))
