"""JSON from the server or a live-call command, decoded as leniently as the standard library's `strict=False`.

A live list of thousands of calls is decoded on the poller's thread, but the standard decoder holds the interpreter
for the whole document, and the console's thread waits that long to echo a key. orjson decodes the same document
in a fraction of the time. Small answers (an action's) are decoded by the standard library, which the one-shot
`queuetui barge` has loaded already; a document orjson refuses (control characters in strings, NaN, integers beyond
64 bits) is decoded by the standard library too, so both read the same documents."""

from __future__ import annotations

import json

# Below this many bytes or characters the standard library is quick enough, and orjson's import would cost more.
BIG = 64 * 1024


def decode(data: str | bytes) -> object:
    """The JSON value in `data` (bytes as UTF-8). Raises ValueError (json.JSONDecodeError, UnicodeDecodeError) when
    it is not JSON, RecursionError when it is nested too deep."""
    if len(data) >= BIG:
        import orjson

        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # perhaps one of the documents only the lenient decoder reads: it says what is wrong otherwise
    return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data, strict=False)
