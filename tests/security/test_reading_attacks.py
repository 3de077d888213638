"""Attacks on reading and checking new statements (issue 14, defects 4, 5, 16 and 18).

Every hostile file gets a one-line error naming the file, exit 2 (``SourceError`` from the API,
the contract the web ``/check`` page relies on), and nothing else: no fetch, no file read, no
unbounded memory, no traceback, no raw terminal control sequence in the output.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from treatykg.cli import main
from treatykg.model.sources import SourceError
from treatykg.statements.check import check_statements

from ..helpers import write

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"
#: Raw bytes that must never reach a terminal from data: C0 controls but line feed, DEL, C1, bidi.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

PREFIXES = """@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix claim: <https://w3id.org/treatykg/claim/> .
@prefix doc: <https://w3id.org/treatykg/doc/> .
@prefix uncc: <https://w3id.org/treatykg/uncc/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix concern: <https://w3id.org/treatykg/vocab/concern/> .
@prefix claimkind: <https://w3id.org/treatykg/vocab/claim-kind/> .
"""


def _one_line_error(capsys, path: Path) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert str(path.name) in err and "Traceback" not in err
    assert not RAW_CONTROL.search(err.rstrip("\n")), err
    return err


# --- 4: memory without bound (YAML alias bomb) -----------------------------------------------------

BILLION_LAUGHS = """claims:
  - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  - &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  - &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  - &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  - &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  - &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  - &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  - &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  - &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _run_bounded(args: list[str], limit_bytes: int) -> tuple[int, str, str, int]:
    """Run the CLI in a child limited to ``limit_bytes`` of address space; return its exit code,
    output, error and peak resident memory (KiB, from the kernel's accounting of that child)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    process = subprocess.Popen(
        [sys.executable, "-m", "treatykg", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limit,  # only sets an rlimit, before exec
        env={**os.environ, "PYTHONFAULTHANDLER": ""},
    )
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    return process.returncode, out.decode(), err.decode(), usage.ru_maxrss


def test_yaml_alias_bomb_is_refused_in_bounded_memory(tmp_path):
    """The billion-laughs YAML (9 levels of 9 aliases, 10^9 strings once expanded) used to take
    gigabytes. Now the first anchor is refused: exit 2, one line, and the child stays small under
    a 1.5 GB address-space limit (measured peak: well under 300 MB, the interpreter and rdflib)."""
    bomb = write(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    assert len(BILLION_LAUGHS.encode()) < 600
    code, out, err, peak_kib = _run_bounded(["check", str(bomb)], 1536 * 1024 * 1024)
    assert code == 2, (code, out, err)
    assert err.count("\n") == 1 and err.startswith(f"error: {bomb}:2: YAML error: anchors"), err
    assert peak_kib < 400 * 1024, f"peak resident memory {peak_kib} KiB"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("claims:\n  - id: test-a\n    label: x\n  - *ref\n", "alias"),  # an alias alone
        ("claims:\n  - &ref {id: test-a, label: x}\n", "anchors"),  # an anchor alone
        ("base: &b {id: test-a}\nclaims:\n  - <<: *b\n    label: x\n", "anchors"),  # a merge key needs both
        ("claims:\n  - " + "[" * 200 + "]" * 200 + "\n", "nests deeper"),
    ],
)
def test_yaml_anchors_aliases_and_deep_nesting_are_refused(tmp_path, capsys, text, needle):
    path = write(tmp_path, "hostile.yaml", text)
    assert main(["check", str(path)]) == 2
    assert needle in _one_line_error(capsys, path)


# --- 5: no fetch, no file read while parsing statements ------------------------------------------


class _Listener:
    """A loopback HTTP server that counts every request and answers each with a valid JSON-LD
    context, so a parser that did fetch would succeed and the count would show it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # http.server's method name
                listener.requests.append(self.path)
                body = json.dumps({"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    with _Listener() as running:
        yield running


def _jsonld_cases(url: str) -> dict[str, object]:
    node = {"@id": "https://w3id.org/treatykg/claim/test-remote", "label": "Test"}
    label = {"label": "http://www.w3.org/2000/01/rdf-schema#label"}
    return {
        "context-string": {"@context": f"{url}/ctx.jsonld", **node},
        "context-array": {"@context": [label, f"{url}/array.jsonld"], **node},
        "import": {"@context": {"@import": f"{url}/import.jsonld", **label}, **node},
        "import-local-file": {"@context": {"@import": "/etc/passwd", **label}, **node},
        "import-file-url": {"@context": {"@import": "file:///etc/passwd", **label}, **node},
        "nested-node-context": {
            "@context": label,
            "@graph": [{"@context": f"{url}/nested.jsonld", **node}],
        },
        "nested-import": {
            "@context": label,
            "@graph": [{"@context": {"@import": f"{url}/nested-import.jsonld"}, **node}],
        },
        "scoped-term-context": {
            "@context": {
                **label,
                "about": {"@id": "https://w3id.org/treatykg/ontology#about", "@context": f"{url}/scoped.jsonld"},
            },
            **node,
            "about": {"@id": "https://w3id.org/treatykg/uncc/art_24"},
        },
        "type-scoped-context": {
            "@context": {
                **label,
                "Claim": {"@id": "https://w3id.org/treatykg/ontology#Claim", "@context": f"{url}/typescoped.jsonld"},
            },
            "@type": "Claim",
            **node,
        },
        "base-relative-context": {"@context": [{"@base": f"{url}/"}, "relative.jsonld"], **node},
        "relative-context": {"@context": "ctx.jsonld", **node},
    }


def test_jsonld_never_loads_a_context(tmp_path, capsys, listener):
    """Every way JSON-LD can name another document is refused by the loader itself: a one-line
    error about the context, exit 2, and the listener the documents point at gets no request."""
    for name, document in _jsonld_cases(listener.url).items():
        path = tmp_path / f"{name}.jsonld"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert main(["check", str(path)]) == 2, name
        assert "@context" in _one_line_error(capsys, path), name
        with pytest.raises(SourceError):
            check_statements([path])
        assert main(["validate", str(path)]) == 2, name  # the same parser behind `treatykg validate`
        capsys.readouterr()
    assert listener.requests == []


def test_jsonld_import_gives_no_file_existence_oracle(tmp_path, capsys):
    """``@import`` of an existing file and of a missing one give the same message (nothing is
    read, so nothing can tell them apart)."""
    messages = []
    for target in ("/etc/passwd", "/nonexistent/treatykg-test", "/etc", "file:///etc/hostname"):
        folder = tmp_path / str(len(messages))
        folder.mkdir()
        path = folder / "import.jsonld"
        path.write_text(json.dumps({"@context": {"@import": target}, "@id": "urn:x:a"}), encoding="utf-8")
        assert main(["check", str(path)]) == 2
        messages.append(_one_line_error(capsys, path).replace(str(folder), "DIR"))
    assert len(set(messages)) == 1, messages
    assert "root:" not in messages[0] and "No such file" not in messages[0]


def test_rdf_and_templates_dereference_nothing(tmp_path, capsys, listener):
    """Turtle/TriG/N-Triples ``@base``, ``@prefix``, ``owl:imports`` and ``rdfs:seeAlso`` pointing at
    the listener, and template fields holding its URLs, are only IRIs: zero requests."""
    url = listener.url
    turtle = (
        f"@base <{url}/base/> .\n@prefix remote: <{url}/prefix#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<thing> owl:imports <{url}/imports.ttl> ; rdfs:seeAlso remote:x .\n"
    )
    files = {
        "remote.ttl": turtle,
        "remote.trig": turtle.replace("<thing> owl", "<g> { <thing> owl") + "}\n",
        "remote.nt": f"<{url}/s> <http://www.w3.org/2002/07/owl#imports> <{url}/imports.nt> .\n",
        "remote.csv": "record,id,label,type,source_document\n"
        f"stakeholder,test-remote,Test Remote,organisation,{url}/doc\n",
        "remote.yaml": f"documents:\n  - id: test-remote-doc\n    label: Test\n    source_file: {url}/file.txt\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert main(["check", str(path)]) in (0, 1), (name, capsys.readouterr().err)
        capsys.readouterr()
    assert listener.requests == []


# --- 16: crashes instead of errors ----------------------------------------------------------------


def _hostile_files(tmp_path: Path) -> dict[str, bytes | None]:
    deep_json = b"[" * 100_000 + b"]" * 100_000
    return {
        "latin1-invalid.ttl": PREFIXES.encode() + 'claim:test-a rdfs:label "Caf\xe9" .\n'.encode("latin-1"),
        "binary.ttl": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "binary.csv": b"record,id\n\x00\x01\x02\x03",
        "undecidable.csv": b"record,id,label\nclaim,test-a,\x81\x8d\xc3\x28\n",  # bytes no rule accepts
        "utf16.ttl": "<urn:x:a> <urn:x:b> <urn:x:c> .\n".encode("utf-16"),
        "deep.jsonld": deep_json,
        "deep.json": b'{"@id": "urn:x:a", "urn:x:p": ' + deep_json + b"}",
        "deep.ttl": PREFIXES.encode() + b"claim:a tkg:about " + b"[ tkg:about " * 50_000 + b"]" * 50_000 + b" .",
        "deep-list.ttl": PREFIXES.encode() + b"claim:a tkg:about " + b"(" * 50_000 + b")" * 50_000 + b" .",
        "iri-space.ttl": b"<https://w3id.org/treatykg/claim/a b> <urn:x:p> <urn:x:o> .\n",
        "iri-space.nt": b"<https://w3id.org/treatykg/claim/a> <urn:x:p> <http://example.org/a b> .\n",
        "iri-space.csv": b"record,id,label,kind,about,concern,quote,document\n"
        b"claim,test-a,Test,criticism,24,surveillance,q,http://example.org/a b\n",
        "iri-control.jsonld": json.dumps(
            {"@id": "https://w3id.org/treatykg/claim/a", "urn:x:p": {"@id": "http://e/\u0001"}}
        ).encode(),
        "surrogate.ttl": b'<urn:x:a> <urn:x:p> "\\uD800" .\n',
        "surrogate.jsonld": b'{"@id": "urn:x:a", "urn:x:p": "\\ud800"}',
        "surrogate.yaml": b'claims:\n  - id: test-a\n    label: "\\ud800"\n',
        "surrogate.nt": b'<urn:x:a> <urn:x:p> "\\uDFFF" .\n',
        "bigint.jsonld": b'{"@id": "urn:x:a", "urn:x:p": ' + b"9" * 100_000 + b"}",
        "huge-cell.csv": b"record,id,label\nclaim,test-a," + b"x" * 200_000 + b"\n",
        "yaml-python-tag.yaml": b"claims:\n  - !!python/object/apply:os.system ['true']\n",
        "yaml-odd-keys.yaml": b"claims:\n  - {[1, 2]: x}\n",
        "directory.ttl": None,
    }


def test_hostile_files_are_one_line_errors(tmp_path, capsys):
    """Each file that used to crash (traceback, exit 1, 500 on /check) is now exit 2 with one line
    naming the file, and ``check_statements`` raises ``SourceError`` and nothing else."""
    for name, content in _hostile_files(tmp_path).items():
        path = tmp_path / name
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        assert main(["check", str(path)]) == 2, (name, capsys.readouterr())
        _one_line_error(capsys, path)
        with pytest.raises(SourceError):
            check_statements([path])


def test_encoding_messages_say_what_to_do(tmp_path, capsys):
    turtle = tmp_path / "latin1.ttl"
    turtle.write_bytes(PREFIXES.encode() + '\nclaim:test-a rdfs:label "Caf\xe9" .\n'.encode("latin-1"))
    assert main(["check", str(turtle)]) == 2
    err = _one_line_error(capsys, turtle)
    assert f"{turtle}:11:" in err and "0xE9" in err and "UTF-8" in err
    csv = tmp_path / "undecidable.csv"
    csv.write_bytes(b"record,id,label\nclaim,test-a,\x81\xc3\x28\n")
    assert main(["check", str(csv)]) == 2
    err = _one_line_error(capsys, csv)
    assert f"{csv}:2:" in err and "UTF-8, UTF-16 with a byte-order mark, or Windows-1252" in err


CLAIM_ROW = 'claim,test-enc-{n},"{label}",criticism,24,surveillance,a quote,article19-analysis-2024-10\n'
HEADER = "record,id,label,kind,about,concern,quote,document\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("cp1252", b""),
        ("latin-1", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_legacy_encoded_templates_are_read(tmp_path, encoding, prefix):
    """Excel's "CSV" (Windows-1252, which covers ISO-8859-1 text), UTF-8 with a BOM ("CSV UTF-8")
    and UTF-16 with a BOM ("Unicode text") all read to the same labels."""
    label = "Test: Café, déjà vu" + (" – 5 €" if encoding != "latin-1" else " ±5")
    text = HEADER + CLAIM_ROW.format(n=1, label=label)
    path = tmp_path / "claims.csv"
    path.write_bytes(prefix + text.encode(encoding))
    report = check_statements([path])
    labels = {str(o) for o in report.statements.graph.objects(None, None) if str(o).startswith("Test:")}
    assert labels == {label}
    yaml = tmp_path / "claims.yaml"
    yaml.write_bytes(prefix + f"claims:\n  - id: test-enc-2\n    label: '{label}'\n".encode(encoding))
    labels = {str(o) for o in check_statements([yaml]).statements.graph.objects() if str(o).startswith("Test:")}
    assert labels == {label}


def test_fifo_is_refused_without_blocking(tmp_path, capsys):
    """A named pipe would block a reader forever; it is refused before reading."""
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    assert main(["check", str(fifo)]) == 2
    assert "regular file" in _one_line_error(capsys, fifo)


def test_random_bytes_raise_only_source_error(tmp_path):
    """A bounded fuzz of the catch-all: random and mutated inputs in every accepted format either
    give a report or a SourceError, never another exception."""
    rng = random.Random(14)
    seeds = sorted((CONFORMANCE / "good").iterdir())
    for index in range(48):
        seed = seeds[index % len(seeds)]
        data = bytearray(seed.read_bytes())
        for _ in range(rng.randint(1, 12)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 4)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 4)))
        path = tmp_path / f"fuzz-{index}{seed.suffix}"
        path.write_bytes(bytes(data))
        try:
            check_statements([path])
        except SourceError as exc:
            assert "\n" not in str(exc) and path.name in str(exc)


# --- 18: terminal escapes and rich markup in output ------------------------------------------------

HOSTILE_LABELS = [
    "[/]",
    "[link=javascript:x]y[/link]",
    "[bold]bold?[/bold]",
    "esc\x1b[2J\x1b]0;title\x07csi\x9b31m",
    "bidi\u202eevil\u2066x\u2069",
]


def _hostile_turtle() -> str:
    literals = " , ".join(json.dumps(label) for label in HOSTILE_LABELS)  # JSON escapes are Turtle escapes
    prefix = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    return f"{prefix}<https://example.org/hostile> rdfs:label {literals} .\n"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_query_output_prints_labels_literally(tmp_path, capsys, fmt):
    """Rich markup in a --with file's labels used to crash the table (``[/]``) or become a link;
    control sequences reached the terminal raw. Now every label prints as written, escapes visible."""
    extra = write(tmp_path, "hostile.ttl", _hostile_turtle())
    query = (
        "SELECT ?l WHERE { <https://example.org/hostile> <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
    )
    assert main(["sparql", query, "--with", str(extra), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out.replace("\n", "")), repr(out)
    for label in ("[/]", "[link=javascript:x]y[/link]", "[bold]bold?[/bold]"):
        assert label in out
    assert "esc\\x1b[2J\\x1b]0;title\\x07csi\\x9b31m" in out
    assert "bidi\\u202eevil\\u2066x\\u2069" in out
    assert "5 row(s)" in out if fmt == "table" else out.count("\n") == 7


def _hostile_claim(path: Path) -> Path:
    escaped = json.dumps("\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 \x1b[1A\x1b[2K\u202eoops")
    path.write_text(
        PREFIXES
        + f"claim:test-hostile-output a tkg:Claim ; rdfs:label {escaped}@en ; tkg:claimKind claimkind:criticism ;\n"
        f"  tkg:about uncc:art_24 ; tkg:concernCategory concern:surveillance ; tkg:confidence {escaped} ;\n"
        '  tkg:quote [ a oa:TextQuoteSelector ; oa:exact "q" ] ;\n'
        "  prov:wasDerivedFrom doc:article19-analysis-2024-10 .\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_check_output_neutralises_terminal_escapes(tmp_path, capsys, fmt):
    """A value echoed from the file (here a confidence that is an OSC 8 hyperlink, cursor moves and
    a bidi override) is shown escaped in the text report; JSON and Turtle carry it as \\u escapes
    and still parse back to the exact value."""
    path = _hostile_claim(tmp_path / "hostile.ttl")
    assert main(["check", "--format", fmt, str(path)]) == 1
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out.replace("\n", "").replace("\t", "")), repr(out)
    value = "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 \x1b[1A\x1b[2K\u202eoops"
    if fmt == "text":
        assert "\\x1b]8;;http://evil.example/\\x07click" in out and "\\u202eoops" in out
    elif fmt == "json":
        assert value in {problem["value"] for problem in json.loads(out)["problems"]}
    else:
        from rdflib import Graph, Literal

        assert Literal(value) in set(Graph().parse(data=out, format="turtle").objects())


def test_error_lines_neutralise_file_names_and_parser_echoes(tmp_path, capsys):
    path = write(tmp_path, "x\x1b[2Jy.ttl", '<urn:x:a> <urn:x:b> "\x1b]0;pwned\x07 .\n')
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not RAW_CONTROL.search(err.rstrip("\n")), repr(err)
    assert "x\\x1b[2Jy.ttl" in err


# --- the same attacks through the web /check page ----------------------------------------------


def _post_check(base: str, filename: str, content: bytes) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    boundary = "treatykgreadingboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/check", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _peak_rss_kib(port: int) -> int:
    """VmHWM (peak resident memory) of the ``treatykg serve`` process listening on ``port``."""
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmdline and str(port).encode() in cmdline:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    raise AssertionError("server process not found")


def test_check_page_refuses_the_attacks(listener):
    """``/check`` answers 400 with the one-line error for the alias bomb, a remote or local
    JSON-LD context, a Latin-1 Turtle file and a lone surrogate; the server's peak memory stays
    small (the bomb took 4 GB there), and the listener the JSON-LD points at gets no request."""
    from tests import servers

    cases = {
        "bomb.yaml": (BILLION_LAUGHS.encode(), "anchors"),
        "remote.jsonld": (json.dumps(_jsonld_cases(listener.url)["import"]).encode(), "@context"),
        "local.jsonld": (json.dumps(_jsonld_cases(listener.url)["import-local-file"]).encode(), "@context"),
        "latin1.ttl": (b'<urn:x:a> <urn:x:p> "Caf\xe9" .\n', "UTF-8"),
        "surrogate.jsonld": (b'{"@id": "urn:x:a", "urn:x:p": "\\ud800"}', "surrogate"),
    }
    with servers.treatykg("--workers", "1") as base:
        for name, (content, needle) in cases.items():
            status, page = _post_check(base, name, content)
            assert status == 400, (name, status, page[:500])
            assert needle in page and "Traceback" not in page, name
        assert _peak_rss_kib(int(base.rsplit(":", 1)[1])) < 1024 * 1024
    assert listener.requests == []


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("blank.ttl", "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n[] a tkg:Claim ; tkg:about [] .\n"),
        ("blank.jsonld", '{"@type": "https://w3id.org/treatykg/ontology#Claim"}'),
    ],
)
def test_blank_node_statements_are_checked_not_skipped(tmp_path, capsys, name, text):
    """A claim without an IRI used to pass with "conforms" (its problems were dropped as not
    about the file's subjects); now its problems are reported, located in the file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: Violation" in out and "A claim's IRI is" in out and "do NOT conform" in out


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty.ttl", ""),
        ("comments.ttl", "# nothing\n"),
        ("header-only.csv", "record,id,label\n"),
        ("empty.yaml", "claims: []\n"),
        ("invalid-id.jsonld", '{"@id": "https://w3id.org/treatykg/claim/a b", "@type": "urn:x:T"}'),
    ],
)
def test_files_without_statements_are_refused(tmp_path, capsys, name, text):
    """A file from which nothing could be read must not "conform" (and be stored by add)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "no statements" in _one_line_error(capsys, path)


@pytest.mark.parametrize("libyaml", [True, False])
def test_both_yaml_paths_refuse_the_bomb(monkeypatch, libyaml):
    """libyaml's event stream is screened when PyYAML has it; the pure-Python loader (a SafeLoader
    subclass whose compose_node refuses) is used otherwise. Both refuse anchors, aliases and depth."""
    import yaml

    from treatykg.model.inputs import load_yaml

    if libyaml and not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml here")
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml)
    for text, needle in (
        (BILLION_LAUGHS, "anchors"),
        ("claims:\n  - *a\n", "aliases"),
        ("claims:\n  - " + "[" * 100 + "]" * 100, "nests deeper"),
    ):
        with pytest.raises(SourceError, match=needle):
            load_yaml(Path("t.yaml"), text)
    assert load_yaml(Path("t.yaml"), "claims:\n  - {id: test-a, about: [24, 30]}\n") == {
        "claims": [{"id": "test-a", "about": [24, 30]}]
    }


def test_locating_many_subjects_is_linear(tmp_path):
    """Finding each subject's line looked every subject up in every line (a 670 KB file with
    20,000 subjects took two minutes of CPU); now one pass indexes the file. Liveness check: the
    file is read within a generous 60 s, with each subject located on its own line."""
    import time

    from treatykg.statements.reader import read_statements

    lines = [
        "@prefix claim: <https://w3id.org/treatykg/claim/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    lines += [f'claim:test-{i} rdfs:label "Test {i}"@en .' for i in range(20_000)]
    path = write(tmp_path, "many.ttl", "\n".join(lines))
    started = time.monotonic()
    statements = read_statements([path])
    assert time.monotonic() - started < 60
    assert statements.origins["https://w3id.org/treatykg/claim/test-19999"] == f"{path}:20002"


def test_close_match_suggestions_are_bounded(tmp_path, capsys):
    """Each distinct unknown value costs a fuzzy scan of every name in the graph; a file with
    hundreds of them gets suggestions for the first 50 only (the problems are all reported)."""
    rows = [HEADER] + [CLAIM_ROW.format(n=i, label=f"Test {i}").replace(",24,", f",{100 + i},") for i in range(120)]
    path = write(tmp_path, "many-unknown.csv", "".join(rows))
    assert main(["check", "--format", "json", str(path)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    about = [p for p in problems if p["field"] == "tkg:about"]
    assert len(about) == 120
    assert 0 < sum(1 for p in about if p["suggestion"]) <= 50
