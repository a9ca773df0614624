"""Random edits of the sample never crash the core: they give findings, or an InputError (exit 2)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.datafile import filing_from_dict
from jixiao.errors import InputError
from jixiao.pipeline import evaluate
from jixiao.samples import sample_text

SAMPLE = json.loads(sample_text())


def _leaf_paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaf_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaf_paths(value, (*prefix, index))
    else:
        yield prefix


LEAVES = [p for p in _leaf_paths(SAMPLE) if p[:1] not in (("format",), ("version",), ("policy",))]

odd_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        ["-5", "0", "1e9", "NaN", "Infinity", "１２", "38万", "—", "99.04%", "十二", "-0", "1,2,3"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEAVES), odd_values), min_size=1, max_size=6))
def test_random_edits_give_findings_or_a_clean_refusal(edits):
    data = json.loads(json.dumps(SAMPLE))
    for path, value in edits:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    try:
        filing, findings = filing_from_dict(json.loads(json.dumps(data, default=str)))
    except InputError as exc:
        assert str(exc)  # a one-line Chinese reason
        return
    result = evaluate(filing, findings)
    for table in result.scores.tables():
        assert table.total >= 0
    json.loads(result.to_json())
