"""Issue 17, item 12: every sub-command describes every argument, and its --help lists only the
exit codes it can return (exit 1, "violations", only where something is validated)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from treatykg.cli import _SUBCOMMANDS, build_parser, main

VALIDATING = {"validate", "check", "add"}


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_subcommand_is_listed_with_a_summary():
    done = subprocess.run(
        [sys.executable, "-m", "treatykg", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        timeout=60,
    )
    assert done.returncode == 0
    for name in _SUBCOMMANDS:
        assert f"    {name} " in done.stdout, name
    assert "each command's --help lists its own" in done.stdout


@pytest.mark.parametrize("name", sorted(_SUBCOMMANDS))
def test_every_argument_is_described(name):
    parser = _subparsers()[name]
    for action in parser._actions:
        assert action.help and action.help.strip(), f"{name}: {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("name", sorted(_SUBCOMMANDS))
def test_exit_code_epilog_only_where_it_applies(name, capsys):
    with pytest.raises(SystemExit) as info:
        main([name, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:\n  0  " in out
    assert "\n  2  usage error or unreadable input" in out
    if name in VALIDATING:
        assert "\n  1  " in out
    else:
        assert "\n  1  " not in out and "validation failed" not in out and "conforms" not in out


def test_add_and_check_say_what_exit_1_means(capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    assert "1  they do not conform: nothing was added" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "1  they do not: the report names each problem's file, line and column" in capsys.readouterr().out
