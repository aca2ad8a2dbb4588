"""Shortening to a number of terminal cells, not characters: a wide character (Chinese, an emoji) takes two."""

from __future__ import annotations

from rich.cells import cell_len

from queuetui.tui.shorten import at_the_end, in_the_middle, long_words
from queuetui.tui.widgets.sessions_table import fit


def test_at_the_end_counts_cells_not_characters():
    assert at_the_end("agent", 5) == "agent"
    assert at_the_end("agents", 5) == "agen\u2026"
    assert at_the_end("\u674e\u56db\u738b\u4e94", 5) == "\u674e\u56db\u2026"  # two wide characters, an ellipsis
    assert all(cell_len(at_the_end("\u674e\u56db\u738b\u4e94", cells)) <= cells for cells in range(1, 9))


def test_a_sessions_cell_leaves_its_last_cell_blank_so_columns_never_run_together():
    assert fit("140", 4) == "140"
    assert fit("1234567", 4) == "12\u2026"
    assert cell_len(fit("\u674e\u56db\u738b", 4)) <= 3


def test_in_the_middle_keeps_the_tail_where_ids_differ():
    assert in_the_middle("C-20260101-000123", 9) == "C-20\u20260123"


def test_a_notice_shortens_its_long_words_in_the_middle_but_never_a_path():
    long_id = "C-" + "5" * 200 + "1"
    shortened = long_words(f"SPY on {long_id} (agent 13): DeepCall is ringing", 24)
    assert shortened.startswith("SPY on C-555555555\u2026")
    assert shortened.endswith("55551 (agent 13): DeepCall is ringing")
    assert cell_len(shortened.split()[2]) == 24
    path = "/home/supervisor/.local/state/queuetui/audit.jsonl"
    assert long_words(f"Agent 13 is not on C-10017; chmod 600 {path}", 24) == (
        f"Agent 13 is not on C-10017; chmod 600 {path}"
    )
