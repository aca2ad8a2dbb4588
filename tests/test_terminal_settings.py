"""The command line turns the terminal's flow control off until the app has the terminal, and puts it back."""

from __future__ import annotations

import io
import os
import termios

from queuetui.cli import keep_flow_control_keys


def test_flow_control_is_off_until_the_undo_and_everything_else_is_left_alone():
    main, tty = os.openpty()
    try:
        with os.fdopen(tty, "r", closefd=False) as stream:
            before = termios.tcgetattr(tty)
            assert before[0] & termios.IXON
            undo = keep_flow_control_keys(stream)
            assert undo is not None
            during = termios.tcgetattr(tty)
            assert not during[0] & termios.IXON
            assert during[1:] == before[1:]  # line by line and echo stay as they were: only flow control goes
            undo()
            assert termios.tcgetattr(tty) == before
    finally:
        os.close(main)
        os.close(tty)


def test_nothing_is_touched_without_a_terminal():
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(read_end, "r", closefd=False) as pipe:
            assert keep_flow_control_keys(pipe) is None
    finally:
        os.close(read_end)
        os.close(write_end)
    assert keep_flow_control_keys(io.StringIO()) is None
