"""Privacy: the 公开版 removes phones, ID numbers and the signers' names in every format; no network, ever."""

from __future__ import annotations

import copy
import socket
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.report.redact import Redactor, private_number, redactor_for, signer_names
from jixiao.samples import load_sample
from tests.hardening_files import DEMO_NAME, demo_bytes

MOBILES = [
    "15869733298",
    "158 6973 3298",
    "158-6973-3298",
    "+86 15869733298",
    "+86-158-6973-3298",
    "86 158 6973 3298",
    "+8615869733298",
]
LANDLINES = [
    "0731-22345678",
    "0731－22345678",
    "(0731)22345678",
    "（0731）22345678",
    "010-12345678",
    "0731-22345678-806",
    "0731-22345678转806",
    "073122345678",
]
IDS = ["43020319900101123X", "43020319900101123x", "430203199001011234", "430203900101123"]


@pytest.mark.parametrize("number", [*MOBILES, *LANDLINES, *IDS])
@pytest.mark.parametrize("context", ["{}", "联系电话：{}。", "电话{}，", "（{}）", "号码 {} 请勿外传"])
def test_every_phone_and_id_format_is_removed_in_any_sentence(number: str, context: str) -> None:
    text = context.format(number)
    public = Redactor(())(text)
    assert "＊＊＊" in public
    digits = [c for c in public if c.isdigit()]
    assert len(digits) <= 3, public  # at most an extension-sized rest may stay


FOLDED_AND_SPACED = [
    "１５８６９７３３２９８",  # full-width digits
    "１５８ ６９７３ ３２９８",
    "158.6973.3298",
    "158 6973 3298",
    "158－6973－3298",
    "（+86）15869733298",
    "0086-15869733298",
    "0731 2234 5678",  # a landline without the word 电话
    "0731.2234.5678",
    "(0731)2234-5678",
    "０７３１－２２３４５６７８",
    "430203 19900101 1234",
    "４３０２０３１９９００１０１１２３Ｘ",
]


@pytest.mark.parametrize("number", FOLDED_AND_SPACED)
@pytest.mark.parametrize("context", ["{}", "请拨{}。", "（{}）", "另：{}，"])
def test_numbers_are_found_whatever_their_width_and_separators(number: str, context: str) -> None:
    public = Redactor(())(context.format(number))
    assert "＊＊＊" in public and not any(c.isdigit() for c in public), public


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱 shenting@163.com。", "邮箱 ＊＊＊。"),
        ("邮箱：ｓｈｅｎ．ｔｉｎｇ＠１６３．ｃｏｍ", "邮箱：＊＊＊"),
        ("微信：shenting_2022。", "微信：＊＊＊。"),
        ("电话 2234 5678", "电话 ＊＊＊"),
        ("QQ：12345678", "QQ：＊＊＊"),
        ("经办人：赵六，", "经办人：＊＊＊，"),
        ("联系人：张 三（办公室）", "联系人：＊＊＊（办公室）"),
        ("填表人：            填报日期：2023.4.20", "填表人：            填报日期：2023.4.20"),
        ("单位负责人对本报告负责", "单位负责人对本报告负责"),
        ("0731-22345678转806", "＊＊＊"),
        ("0731-22345678-806", "＊＊＊"),
        ("人数 23 15869733298", "人数 23 ＊＊＊"),
    ],
)
def test_emails_labelled_numbers_and_names(text: str, expected: str) -> None:
    assert Redactor(())(text) == expected


@pytest.mark.parametrize(
    ("filler", "head", "names"),
    [
        ("申 婷", None, {"申婷"}),
        ("申婷（会计）", "", {"申婷"}),
        ("申 婷（会计）", "欧阳 娜娜、李四", {"申婷", "欧阳娜娜", "欧阳", "娜娜", "李四"}),
        ("申婷(代)、王 五", "李四【主任】", {"申婷", "王五", "李四"}),
    ],
)
def test_signer_names_are_read_with_spaces_and_annotations(filler, head, names) -> None:
    assert set(signer_names(filler, head)) == names


@pytest.mark.parametrize("written", ["申婷", "申 婷", "申　婷", "申·婷", "申\u200b婷", "申婷（会计）"])
def test_a_name_is_removed_whatever_stands_between_its_characters(written: str) -> None:
    public = Redactor(signer_names("申 婷（会计）", None))(f"本表由{written}填写")
    assert public.startswith("本表由＊＊＊") and "申" not in public and "婷" not in public


@pytest.mark.parametrize(
    ("value", "private"),
    [
        (15869733298, True),
        (4.302031990010113e17, True),  # an ID typed as a number: Excel keeps 15 digits
        (Decimal("43020319900101123"), False),
        (2609.57, False),
    ],
)
def test_numbers_in_cells_are_judged_by_their_digits(value, private: bool) -> None:
    assert private_number(value) is private


@pytest.mark.parametrize(
    "text",
    [
        "2023.04.20",
        "2022-2023 年度",
        "1,234.56 万元",
        "项目编号 20230001",
        "得分 99.40 分，执行率 99.04%",
        "23 个，18 人，3/4",
        "基本支出 2609.57 万元",
        "编制 25 人，实有 23 人",
        "2023年4月20日",
        "株机改[2003]1号",
        "执行率 99.04%",
        "1661.61",
    ],
)
def test_figures_stay_in_the_public_edition(text: str) -> None:
    assert Redactor(("申婷",))(text) == text


@pytest.mark.parametrize(
    ("filler", "head", "secrets"),
    [
        ("申婷", "王五", ["申婷", "王五"]),
        ("申婷、李四", "欧阳娜娜", ["申婷", "李四", "欧阳娜娜"]),
        ("申婷 / 李四", "王五；赵六", ["申婷", "李四", "王五", "赵六"]),
        (" 申婷 ", "王五,李四", ["申婷", "王五", "李四"]),
    ],
)
def test_signer_names_are_removed_anywhere_in_the_text(filler: str, head: str, secrets: list[str]) -> None:
    filing = copy.deepcopy(load_sample()[0])
    filing.signers.filler, filing.signers.head = filler, head
    redact = redactor_for(filing)
    for secret in secrets:
        for text in (secret, f"经{secret}审核", f"联系人{secret}（电话 0731-22345678）", f"{secret}{secret}"):
            public = redact(text)
            assert secret not in public and "22345678" not in public


def test_public_markdown_of_a_workbook_has_no_private_data(tmp_path: Path) -> None:
    path = tmp_path / DEMO_NAME
    path.write_bytes(demo_bytes())
    out = tmp_path / "out"
    out.mkdir()
    assert main(["report", str(path), "--format", "md", "--public", "-o", str(out)]) == 0
    (written,) = out.iterdir()
    text = written.read_text("utf-8")
    assert "15869733298" not in text and "申婷" not in text
    assert "2609.57" in text


# ------------------------------------------------------------------ no network


class _NoNetwork(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Make every way of opening a network connection in this process fail loudly."""

    def refuse(*args, **kwargs):
        raise _NoNetwork(f"network use: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


def test_jixiao_makes_no_network_connection(tmp_path: Path, no_network, capsys) -> None:
    path = tmp_path / DEMO_NAME
    path.write_bytes(demo_bytes())
    assert main(["check", str(path)]) == 1
    assert main(["score", str(path), "--brief"]) == 1
    assert main(["new", "--from", str(path), "-o", str(tmp_path / "next.xlsx")]) == 0
    for fmt in ("md", "docx"):
        assert main(["report", str(path), "--format", fmt, "--public", "-o", str(tmp_path)]) == 0
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "sum" / "汇总.xlsx"), "-j", "1", "-q"]) in (
        0,
        1,
    )
    err = capsys.readouterr().err
    assert "network use" not in err and "内部错误" not in err


def test_an_external_link_to_a_web_address_is_not_fetched(tmp_path: Path, no_network, capsys) -> None:
    from tests.test_hardening import _external_link_workbook

    path = tmp_path / DEMO_NAME
    path.write_bytes(demo_bytes())
    linked = _external_link_workbook(path)
    assert main(["check", str(linked)]) == 1
    assert main(["score", str(linked), "--brief"]) == 1
    captured = capsys.readouterr()
    assert "203.0.113.9" in captured.out and "network use" not in captured.err
