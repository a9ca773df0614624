"""The rule catalogue, the policy settings and the layering stay consistent with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.errors import PolicyError
from jixiao.findings import SEVERITIES, make_finding, rules
from jixiao.policy import ScoringPolicy

ROOT = Path(__file__).resolve().parents[1]


def _source_text() -> str:
    folders = [ROOT / "jixiao", ROOT / "workbook", ROOT / "addin", ROOT / "udf"]
    return "\n".join(p.read_text(encoding="utf-8") for folder in folders for p in folder.rglob("*.py"))


def test_every_rule_is_used_and_every_used_rule_exists():
    source = _source_text()
    for rule_id in rules():
        assert f'"{rule_id}"' in source, f"rule {rule_id} is in the catalogue but no code emits it"
    used = set(re.findall(r'"((?:INPUT|AMOUNT|EXEC|RATE|T11|T12|T13|IND|TOTAL|X)-[A-Z0-9-]+)"', source))
    assert used <= set(rules()), f"emitted but not catalogued: {used - set(rules())}"


def test_every_rule_message_formats_and_says_something_in_chinese():
    for rule in rules().values():
        assert rule.severity in SEVERITIES
        assert re.search(r"[\u4e00-\u9fff]", rule.message)
        fields = set(re.findall(r"{(\w+)}", rule.message)) - {"subject", "expected", "actual"}
        finding = make_finding(
            rule.id, subject="主题", expected="1", actual="2", **dict.fromkeys(fields, "x")
        )
        assert "{" not in finding.message


def test_policy_round_trips_and_rejects_bad_settings():
    policy = ScoringPolicy(exec_weight=Decimal(20), reverse_formula="ratio", exec_cap=True)
    assert ScoringPolicy.from_settings(policy.to_settings()) == policy
    assert ScoringPolicy.from_settings({}) == ScoringPolicy()
    for bad in (
        {"nope": "1"},
        {"reverse_formula": "x"},
        {"exec_weight": "abc"},
        {"exec_cap": "maybe"},
        {"grade_good": "95"},
    ):
        with pytest.raises(PolicyError):
            ScoringPolicy.from_settings(bad)


def test_import_contracts_hold(tmp_path):
    """DESIGN.md layering: the core imports no Excel layer; workbook no udf/addin; udf no addin.

    import-linter reads packages from disk, so the installed layout (package-dir mapping of
    pyproject.toml: workbook/ → jixiao/workbook …) is assembled in a temporary folder first.
    """
    import tomllib

    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    tree = tmp_path / "site"
    for package, folder in mapping["package-dir"].items():
        shutil.copytree(
            ROOT / folder,
            tree / package.replace(".", "/"),
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    completed = subprocess.run(
        [lint, str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_core_contract_lists_every_core_module():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    listed = set(contract["source_modules"])
    core = {
        f"jixiao.{p.stem}"
        for p in (ROOT / "jixiao").glob("*.py")
        if p.stem not in ("__init__", "_version", "batch_plugin")  # batch_plugin: CLI glue, not core
    }
    core |= {f"jixiao.{p.name}" for p in (ROOT / "jixiao").iterdir() if (p / "__init__.py").exists()}
    assert core <= listed, f"add to the import-linter core contract: {sorted(core - listed)}"
