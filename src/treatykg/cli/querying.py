"""``treatykg query``, ``sparql`` and ``list``: run a canned or ad-hoc query on the embedded store
(or ``--endpoint``) and print the answer as a table, CSV, TSV, JSON or Markdown.

This is the fast path: nothing here imports rdflib, pySHACL or the web stack when a query runs
(``tests/test_startup.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .base import (
    EPILOG_USAGE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_engine_options,
    add_labels_option,
    command,
    fail,
    open_store,
    os_errors,
    reported,
)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param expects KEY=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def _emit(result, fmt: str, store, title: str | None = None, labels: bool = False) -> None:
    from ..engine import formats
    from ..engine.catalogue import labels_for

    if result.form == "graph":
        from ..util.terminal import escape_document

        sys.stdout.write(escape_document(formats.graph_text(result, fmt)))
        return
    if fmt in formats.GRAPH_FORMATS:
        raise ValueError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a table answer takes table, csv, tsv, json or md"
        )
    if labels and fmt in ("csv", "tsv", "json"):
        from ..engine.catalogue import labelled

        result = labelled(store, result)
    if fmt == "csv":
        sys.stdout.write(formats.to_csv(result))
    elif fmt == "tsv":
        sys.stdout.write(formats.to_tsv(result))
    elif fmt == "json":
        sys.stdout.write(formats.to_json(result))
    else:
        iris = formats.result_iris(result)
        labels = labels_for(store, iris) if iris else {}
        if fmt == "md":
            sys.stdout.write(formats.to_markdown(result, labels))
        else:
            formats.print_table(result, labels, title)


def _query(args: argparse.Namespace) -> int:
    from ..engine.catalogue import MAX_PAGE, Catalogue, CatalogueError, Page
    from ..engine.store import QueryError
    from ..model.sources import SourceError

    catalogue = Catalogue()
    with reported(CatalogueError, QueryError, SourceError, ValueError):
        page = None
        if args.limit is not None or args.offset is not None:
            page = Page.of(args.limit if args.limit is not None else MAX_PAGE, args.offset or 0)
        if args.list:
            _list_queries(catalogue, args.format)
            return EXIT_OK
        if not args.name:
            print(QUERY_USAGE.format(count=len(catalogue.queries)), file=sys.stderr, end="")
            return EXIT_USAGE
        query = catalogue.get(args.name)
        if args.describe:
            sys.stdout.write(_describe(query, args.format))
            return EXIT_OK
        params = _parse_params(args.param or [])
        for key in params:
            query.param(key)
        store = open_store(args)
        result = catalogue.run(store, args.name, params, page)
        _emit(result, args.format, store, query.title, labels=args.labels)
        if page is not None and result.form == "select":
            print(_page_note(catalogue, store, args.name, params, page, len(result.rows)), file=sys.stderr)
    return EXIT_OK


QUERY_USAGE = """\
usage: treatykg query NAME [--param KEY=VALUE ...] [--format FORMAT] [--limit N] [--offset N]
       treatykg query NAME --describe     its question, parameters and columns
       treatykg query --list              the {count} canned queries
"""


def _page_note(catalogue, store, name: str, params: dict[str, str], page, shown: int) -> str:
    """ "rows 1–100 of 2,318" for a page (on stderr, so standard output stays data). The total
    needs a second, counting query, run only when the page may not be the whole answer."""
    total = page.offset + shown if 0 < shown < page.limit else catalogue.count(store, name, params)
    if not shown:
        return f"no rows: --offset {page.offset:,} is past the last of {total:,} rows"
    return f"rows {page.offset + 1:,}\u2013{page.offset + shown:,} of {total:,}"


def _describe(query, fmt: str) -> str:
    """What ``query NAME --describe`` prints: the question, parameters with defaults, columns."""
    if fmt == "json":
        import json

        doc = {
            "name": query.name,
            "title": query.title,
            "question": query.question,
            "parameters": [p._asdict() for p in query.params],
            "columns": [{"name": n, "description": d} for n, d in query.columns],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    from ..util.terminal import printable

    lines = [f"{query.name}: {query.title}", "", query.question, ""]
    if query.params:
        lines.append("parameters:")
        for p in query.params:
            default = f" (default: {p.default})" if p.default else " (required)"
            lines.append(f"  --param {p.name}=<{p.kind}>{default}")
            lines.append(f"      {p.description}")
    else:
        lines.append("parameters: none")
    lines += ["", "columns:"]
    lines += [f"  {name:<12} {description}" for name, description in query.columns]
    return "\n".join(printable(line) for line in lines) + "\n"


def _list_queries(catalogue, fmt: str = "table") -> None:
    """The catalogue as a table, or as Markdown, CSV, TSV or JSON for other programs."""
    rows = []
    for query in catalogue.queries.values():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in query.params)
        rows.append({"name": query.name, "title": query.title, "question": query.question, "parameters": params})
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=list(rows[0]),
            lineterminator="\r\n" if fmt == "csv" else "\n",
            delimiter="," if fmt == "csv" else "\t",
        )
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
        return
    from ..util.terminal import printable

    if fmt == "md":
        lines = ["| name | question | parameters |", "|---|---|---|"]
        for row in rows:
            cells = (f"`{row['name']}`", row["question"], row["parameters"])
            lines.append(printable("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"))
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console

    from ..engine.formats import print_rows

    # Query files are data too: their text is never console markup (print_rows makes Text of it).
    keys = ("name", "question", "parameters")
    print_rows(
        Console(highlight=False), list(keys), [[row[k] for k in keys] for row in rows], "treatykg canned queries"
    )


def _sparql(args: argparse.Namespace) -> int:
    from ..engine.adhoc import AdhocError, engine_message, prepare
    from ..engine.store import QueryError
    from ..model.sources import SourceError

    shift = 0
    with reported(AdhocError, SourceError, ValueError):
        if args.file and args.query is not None:
            return fail("give the query once: as text or with -F FILE, not both")
        if args.file:
            with os_errors(f"cannot read {args.file}"):
                text = Path(args.file).read_text(encoding="utf-8")
        elif args.query is not None:
            text = args.query
        else:
            return fail("give a query: treatykg sparql 'SELECT ...' or treatykg sparql -F FILE")
        text, shift = prepare(text)
        if not args.endpoint and not args.allow_service:
            from ..util.sparqltext import uses_keyword

            for keyword in ("SERVICE", "LOAD"):
                if uses_keyword(text, keyword):
                    return fail(f"the query uses {keyword}, which fetches a URL; allow it with --allow-service")
        try:
            store = open_store(args)
            _emit(store.query(text), args.format, store, labels=args.labels)
        except QueryError as exc:  # the engine's line numbers, less the prefix lines we added
            raise CommandError(engine_message(str(exc), shift)) from exc
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    """``treatykg list stakeholders|documents``: the slugs a template may name, with their names."""
    from ..engine.store import QueryError
    from ..model.sources import SourceError

    with reported(QueryError, SourceError, ValueError):
        store = open_store(args)
        rows = _listing(store, args.what)
    headers = ["slug", "label", "kind"]
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([dict(zip(headers, row, strict=True)) for row in rows], indent=2) + "\n")
    elif args.format in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        delimiter, end = (",", "\r\n") if args.format == "csv" else ("\t", "\n")
        writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
        writer.writerow(headers)
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        from rich.console import Console

        from ..engine.formats import print_rows

        console = Console(highlight=False)
        print_rows(console, headers, rows, f"{len(rows)} {args.what}: use the slug in a template")
    return EXIT_OK


def _listing(store, what: str) -> list[list[str]]:
    """``[slug as a template takes it, label, kind]`` for every stakeholder or document, by slug.
    A person's slug is written ``person:slug`` (the template reads a bare slug as an organisation)."""
    from ..engine.catalogue import known_entities, labels_for
    from ..model.iri import PREFIXES

    kind = "stakeholder" if what == "stakeholders" else "document"
    entities = known_entities(store, kind)
    labels = labels_for(store, set(entities))
    rows = []
    for iri, names in entities.items():
        label = labels.get(iri) or min(names)
        if iri.startswith(PREFIXES["person"]):
            rows.append([f"person:{iri[len(PREFIXES['person']) :]}", label, "person"])
        elif iri.startswith(PREFIXES["stk"]):
            rows.append([iri[len(PREFIXES["stk"]) :], label, "organisation"])
        elif iri.startswith(PREFIXES["doc"]):
            rows.append([iri[len(PREFIXES["doc"]) :], label, "document"])
        else:
            rows.append([iri, label, kind])  # from a --with file in another namespace: its IRI
    return sorted(rows)


def register_query(sub) -> None:
    from ..engine.formats import FORMATS as RESULT_FORMATS

    query = command(sub, "query", "run a canned query (treatykg query --list shows them)")
    query.add_argument("name", nargs="?", help="the query's name, e.g. bypass-mla")
    query.add_argument(
        "--list", action="store_true", help="list the canned queries and their parameters (in any --format)"
    )
    query.add_argument(
        "--describe", action="store_true", help="show the query's question, parameters with defaults, and columns"
    )
    query.add_argument(
        "--param", "-p", action="append", metavar="KEY=VALUE", help="a parameter, e.g. provision=40(21)(b)"
    )
    query.add_argument("--format", "-f", choices=RESULT_FORMATS, default="table", help="output (default: table)")
    query.add_argument(
        "--limit", metavar="N", help="return at most N rows of the ordered answer (stderr says which of how many)"
    )
    query.add_argument("--offset", metavar="N", help="skip the first N rows of the ordered answer")
    add_labels_option(query)
    add_engine_options(query)
    query.set_defaults(func=_query)


def register_sparql(sub) -> None:
    from ..engine.formats import FORMATS as RESULT_FORMATS
    from ..engine.formats import GRAPH_FORMATS
    from ..model.iri import PREFIXES

    prefixes = "".join(f"\n  {name + ':':<12} {iri}" for name, iri in PREFIXES.items())
    sparql = command(
        sub,
        "sparql",
        "run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        "predeclared prefixes (a PREFIX line of the query's own wins):"
        + prefixes
        + "\n\nexample:\n  treatykg sparql 'SELECT ?a ?l WHERE { ?a a tkg:Article ; rdfs:label ?l } LIMIT 5'\n\n"
        + EPILOG_USAGE,
    )
    sparql.add_argument("query", nargs="?", help="the query text (or give -F FILE instead, not both)")
    sparql.add_argument("-F", "--file", metavar="FILE", help="read the query from FILE")
    sparql.add_argument(
        "--format",
        "-f",
        choices=RESULT_FORMATS + GRAPH_FORMATS,
        default="table",
        help="SELECT/ASK: table, csv, tsv, json, md (default: table); "
        "CONSTRUCT/DESCRIBE: ttl, nt (the default), jsonld",
    )
    add_labels_option(sparql)
    sparql.add_argument(
        "--allow-service", action="store_true", help="allow SERVICE (federated query) and LOAD to fetch URLs"
    )
    add_engine_options(sparql)
    sparql.set_defaults(func=_sparql)


def register_list(sub) -> None:
    listing = command(
        sub, "list", "list the existing stakeholders or documents: the slugs a template can name, with their names"
    )
    listing.add_argument("what", choices=("stakeholders", "documents"), help="which entities to list")
    listing.add_argument(
        "--format", "-f", choices=("table", "csv", "tsv", "json"), default="table", help="output (default: table)"
    )
    add_engine_options(listing)
    listing.set_defaults(func=_list)
