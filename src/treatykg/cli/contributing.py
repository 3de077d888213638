"""``treatykg check``, ``template``, ``add`` and ``remove``: new statements, checked against the
shapes and the contribution policy, stored as a submission, or withdrawn."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import (
    EPILOG_ADD,
    EPILOG_CHECK,
    EXIT_FAILED,
    EXIT_OK,
    command,
    fail,
    out_of_memory,
    reported,
)


def _check(args: argparse.Namespace) -> int:
    from ..model.sources import SourceError
    from ..statements.check import check_statements, format_check

    with reported(SourceError), out_of_memory("not enough memory to check these files; split the submission"):
        report = check_statements([Path(f) for f in args.files], full=args.full)
    sys.stdout.write(format_check(report, args.format, strict=args.strict))
    return EXIT_OK if report.conforms(args.strict) else EXIT_FAILED


def _template(args: argparse.Namespace) -> int:
    from ..statements.templates import template_csv, template_yaml

    sys.stdout.write(template_yaml(args.record) if args.format == "yaml" else template_csv(args.record))
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    from ..model.sources import SourceError
    from ..statements.check import format_check
    from ..statements.contrib import ContribError, check_and_add

    files = [Path(f) for f in args.files]
    with (
        reported(ContribError, SourceError, OSError),
        out_of_memory("not enough memory to check these files; nothing was added (split the submission)"),
    ):
        # Checked and stored under one lock: a concurrent add is checked against this one.
        report, submission = check_and_add(files, strict=args.strict, note=args.source_note, author=args.author)
    if submission is None:
        sys.stdout.write(format_check(report, "text", strict=args.strict))
        return fail("nothing was added; fix the problems above and run `treatykg add` again", EXIT_FAILED)
    print(f"added submission {submission.id}")
    print(f"  file: {submission.path.resolve()}")
    print(f"  directory: {submission.directory.resolve()} (remove it with `treatykg remove {submission.id}`)")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    from ..statements.contrib import ContribError, remove

    with reported(ContribError):
        path = remove(args.submission)
    print(f"removed submission {args.submission} ({path})")
    return EXIT_OK


def register_check(sub) -> None:
    check = command(
        sub,
        "check",
        "check new statements (Turtle, TriG, JSON-LD, CSV or YAML template) against the graph; stores nothing",
        EPILOG_CHECK,
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="statements to check: .ttl, .trig, .jsonld, .nt, .nq, or a template .csv (comma, semicolon or tab) "
        "or .yaml (see `treatykg template`)",
    )
    check.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "turtle"),
        default="text",
        help="report: one line per problem (text; default), JSON, or the SHACL validation report (turtle)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.add_argument("--full", action="store_true", help="validate against the whole graph (slower; same verdict)")
    check.set_defaults(func=_check)


def register_template(sub) -> None:
    template = command(
        sub, "template", "print an empty CSV or YAML template with comments, to fill in and `treatykg check`"
    )
    template.add_argument(
        "record", choices=("claim", "document", "stakeholder"), help="what one row (YAML entry) describes"
    )
    template.add_argument(
        "--format", "-f", choices=("csv", "yaml"), default="csv", help="the template's format (default: csv)"
    )
    template.set_defaults(func=_template)


def register_add(sub) -> None:
    add = command(
        sub,
        "add",
        "check, then store statements as a new submission in the contribution directory "
        "(graph/contrib/ in a source checkout, else the user data directory; $TREATYKG_CONTRIB_DIR overrides)",
        EPILOG_ADD,
    )
    add.add_argument("files", nargs="+", metavar="FILE", help="statements to add, as for `treatykg check`")
    add.add_argument("--source-note", metavar="TEXT", help="where the statements come from, recorded with them")
    add.add_argument("--author", metavar="NAME", help="who contributes them, recorded with them")
    add.add_argument("--strict", action="store_true", help="refuse statements with warnings too")
    add.set_defaults(func=_add)


def register_remove(sub) -> None:
    remove = command(sub, "remove", "withdraw a submission added with `treatykg add`")
    remove.add_argument("submission", metavar="SUBMISSION", help="the id that `treatykg add` printed")
    remove.set_defaults(func=_remove)
