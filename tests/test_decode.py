"""A big live list and a small answer decode to the same values as the standard library's lenient decoder reads."""

from __future__ import annotations

import json
import math

import pytest

from queuetui.api.decode import BIG, decode


def big_list(extra: str = "") -> str:
    calls = ",".join(f'{{"callId": "C-{n}", "agent": "{n % 40}", "startTime": {n}.5}}' for n in range(BIG // 40))
    return f'{{"calls": [{calls}], "note": "{extra}"}}'


@pytest.mark.parametrize("extra", ["plain", "a raw \x07 control character", "\\ud800 a lone surrogate"])
def test_a_big_list_decodes_as_the_standard_library_reads_it(extra):
    text = big_list(extra)
    assert len(text) >= BIG
    assert decode(text) == json.loads(text, strict=False)
    assert decode(text.encode()) == json.loads(text, strict=False)


def test_what_only_the_lenient_decoder_reads_still_decodes():
    value = decode(big_list().replace('"plain"', "NaN").replace('"note": ""', '"note": NaN'))
    assert isinstance(value, dict) and math.isnan(value["note"])


@pytest.mark.parametrize("text", ["{", big_list()[:-1], b"\xff" * BIG])
def test_what_is_not_json_raises_a_value_error(text):
    with pytest.raises(ValueError):
        decode(text)
