"""Attacks on the contribution path (``treatykg check``, ``add``, ``remove``), issue 14.

Each test reproduces one attack and asserts what must hold instead: the refusal (exit code and a
message naming the refused triple), nothing stored, and the graph's answers unchanged. All runs
are local: the real CLI, the real build cache, real processes for the race; no network.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from treatykg.cli import main

from ..helpers import write

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "tests" / "conformance" / "good"
CLAIM_CSV = REPO / "tests" / "check_data" / "claim-article-30.csv"

PREFIXES = """\
@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix uncc: <https://w3id.org/treatykg/uncc/> .
@prefix stk: <https://w3id.org/treatykg/org/> .
@prefix doc: <https://w3id.org/treatykg/doc/> .
@prefix claim: <https://w3id.org/treatykg/claim/> .
@prefix tkgraph: <https://w3id.org/treatykg/graph/> .
@prefix concern: <https://w3id.org/treatykg/vocab/concern/> .
@prefix claimkind: <https://w3id.org/treatykg/vocab/claim-kind/> .
@prefix stkind: <https://w3id.org/treatykg/vocab/stakeholder-kind/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""

#: A new claim that conforms on its own; attacks append statements to it.
VALID_CLAIM = """\
claim:test-sec-claim a tkg:Claim ;
    rdfs:label "Test: a security fixture claim"@en ;
    tkg:claimKind claimkind:criticism ;
    tkg:about uncc:art_30 ;
    tkg:concernCategory concern:surveillance ;
    dct:description "Test claim for the contribution attack tests."@en ;
    tkg:quote [ a oa:TextQuoteSelector ; oa:exact "a test quote" ] ;
    prov:wasDerivedFrom doc:article19-analysis-2024-10 .
"""


def _stored(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.ttl"))} if directory.exists() else {}


def _unsafeguarded_rows(capsys) -> int:
    capsys.readouterr()
    assert main(["query", "unsafeguarded-powers", "--format", "csv"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    return len(lines) - 1  # minus the header


# --- defect 12: a contribution may not rewrite curated data ------------------------------------------

ATTACK_LINE = "uncc:art_24__para_1 tkg:appliesTo uncc:art_40__para_4, uncc:art_41, uncc:art_42, uncc:art_47__para_1 ."
THREE_LINES = (
    "@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n"
    "@prefix uncc: <https://w3id.org/treatykg/uncc/> .\n" + ATTACK_LINE + "\n"
)


def test_three_line_attack_is_refused_and_the_headline_question_keeps_its_rows(tmp_path, contrib, capsys):
    attack = write(tmp_path, "attack.ttl", THREE_LINES)
    assert _unsafeguarded_rows(capsys) == 12

    # The attack is real: stored as a contribution (bypassing add), it empties the headline query.
    contrib.mkdir()
    planted = contrib / "planted.ttl"
    planted.write_text(THREE_LINES, encoding="utf-8")
    assert _unsafeguarded_rows(capsys) == 0
    planted.unlink()
    assert _unsafeguarded_rows(capsys) == 12

    assert main(["check", str(attack)]) == 1
    out = capsys.readouterr().out
    assert f"{attack}:3: Violation" in out  # file:line of the refused statement
    assert "refused: uncc:art_24__para_1 tkg:appliesTo uncc:art_4" in out and "curated" in out

    assert main(["add", str(attack)]) == 1
    captured = capsys.readouterr()
    assert "refused: uncc:art_24__para_1 tkg:appliesTo uncc:art_4" in captured.out
    assert "nothing was added" in captured.err
    assert _stored(contrib) == {}
    assert _unsafeguarded_rows(capsys) == 12
    assert main(["validate"]) == 0


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_every_report_format_carries_the_refusal(fmt, tmp_path, contrib, capsys):
    from rdflib import Graph, Literal, URIRef

    attack = write(tmp_path, "attack.ttl", THREE_LINES)
    assert main(["check", "--format", fmt, str(attack)]) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        import json

        report = json.loads(out)
        assert report["conforms"] is False
        (problem,) = report["problems"]
        assert problem["shape"] == "tkgsh:ContributionPolicy-subject" and problem["location"] == f"{attack}:3"
    else:
        graph = Graph().parse(data=out, format="turtle")
        sh = "http://www.w3.org/ns/shacl#"
        assert (None, URIRef(sh + "conforms"), Literal(False)) in graph
        shapes = set(graph.objects(None, URIRef(sh + "sourceShape")))
        assert shapes == {URIRef("https://w3id.org/treatykg/shapes#ContributionPolicy-subject")}


ATTACKS = {
    # name: (statements, the refused triple as the report must name it)
    "second-label-on-article-47": (
        'uncc:art_47 rdfs:label "Article 99"@en .',
        'uncc:art_47 rdfs:label "Article 99"@en',
    ),
    "owl-nothing-on-article-47": ("uncc:art_47 a owl:Nothing .", "uncc:art_47 rdf:type owl:Nothing"),
    "same-as-on-article-47": ("uncc:art_47 owl:sameAs uncc:art_48 .", "uncc:art_47 owl:sameAs uncc:art_48"),
    "alt-label-on-curated-stakeholder": (
        'stk:access-now skos:altLabel "Test name"@en .',
        'stk:access-now skos:altLabel "Test name"@en',
    ),
    "curated-claim-relabelled": (
        'claim:effb-extensive-surveillance-treaty rdfs:label "Test"@en .',
        'claim:effb-extensive-surveillance-treaty rdfs:label "Test"@en',
    ),
    "ontology-axiom": ("tkg:Claim rdfs:subClassOf owl:Nothing .", "tkg:Claim rdfs:subClassOf owl:Nothing"),
    "shape-injected": ("stk:test-shape a sh:NodeShape ; sh:targetClass tkg:Claim .", "stk:test-shape"),
    "new-claim-same-as-provision": (VALID_CLAIM + "claim:test-sec-claim owl:sameAs uncc:art_47 .", "owl:sameAs"),
    "new-claim-typed-nothing": (VALID_CLAIM + "claim:test-sec-claim a owl:Nothing .", "rdf:type owl:Nothing"),
    "new-claim-equivalent-class": (
        VALID_CLAIM + "claim:test-sec-claim owl:equivalentClass tkg:Provision .",
        "claim:test-sec-claim owl:equivalentClass tkg:Provision",
    ),
    "content-hash-in-submission": (
        VALID_CLAIM + 'claim:test-sec-claim tkg:contentHash "' + "0" * 64 + '" .',
        "claim:test-sec-claim tkg:contentHash",
    ),
    "forged-bundle-hash": (
        VALID_CLAIM + '<https://w3id.org/treatykg/graph/contrib/x> tkg:contentHash "' + "0" * 64 + '" .',
        "tkg:contentHash",
    ),
    "derived-property": (
        VALID_CLAIM
        + 'stk:test-sec-org a tkg:Organisation ; rdfs:label "Test Sec Org"@en ; tkg:stakeholderKind stkind:ngo ;'
        + " prov:wasDerivedFrom doc:article19-analysis-2024-10 ; tkg:criticises uncc:art_30 .",
        "stk:test-sec-org tkg:criticises uncc:art_30",
    ),
    "orphan-blank-node": (VALID_CLAIM + "[] owl:sameAs uncc:art_47 .", "[] owl:sameAs uncc:art_47"),
    "blank-node-cycle": (VALID_CLAIM + "_:a tkg:quote _:b . _:b tkg:quote _:a .", "[] tkg:quote []"),
    "foreign-namespace-subject": (
        '<https://example.org/x> a tkg:Claim ; rdfs:label "Test"@en .',
        "<https://example.org/x>",
    ),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_statements_about_curated_entities_and_axioms_are_refused(name, tmp_path, contrib, capsys):
    statements, triple = ATTACKS[name]
    attack = write(tmp_path, f"{name}.ttl", PREFIXES + statements + "\n")
    assert main(["check", str(attack)]) == 1
    out = capsys.readouterr().out
    refused = [line for line in out.splitlines() if "refused: " in line]
    assert refused and any(triple in line for line in refused), out
    assert all(line.startswith(f"{attack}:") for line in refused), out  # located in the file
    assert main(["add", str(attack)]) == 1
    assert _stored(contrib) == {}


def test_the_valid_part_alone_is_accepted(tmp_path, contrib, capsys):
    """The attacks above fail because of what they add, not because the fixture claim is bad."""
    assert main(["check", str(write(tmp_path, "valid.ttl", PREFIXES + VALID_CLAIM))]) == 0


def test_a_submission_cannot_extend_an_entity_another_submission_created(tmp_path, contrib, capsys):
    first = write(tmp_path, "first.ttl", PREFIXES + VALID_CLAIM)
    assert main(["add", str(first)]) == 0
    before = _stored(contrib)
    second = write(tmp_path, "second.ttl", PREFIXES + VALID_CLAIM.replace("a security fixture claim", "another label"))
    assert main(["check", str(second)]) == 1
    assert "was created by submission" in capsys.readouterr().out
    assert main(["add", str(second)]) == 1
    assert _stored(contrib) == before


# --- defect 14: check-then-store race -----------------------------------------------------------------

CONFLICTS = {
    "same-claim-iri": (
        PREFIXES + VALID_CLAIM,
        PREFIXES + VALID_CLAIM.replace("a security fixture claim", "a different label"),
    ),
    "same-stakeholder-name": tuple(
        PREFIXES
        + f"stk:test-race-{slug} a tkg:Organisation ;\n"
        + '    rdfs:label "Test Race Collective"@en ;\n'
        + "    tkg:stakeholderKind stkind:ngo ;\n"
        + "    prov:wasDerivedFrom doc:article19-analysis-2024-10 .\n"
        for slug in ("one", "two")
    ),
}


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_two_conflicting_adds_at_once_store_exactly_one(name, tmp_path, contrib, capsys):
    paths = [write(tmp_path, f"{name}-{i}.ttl", text) for i, text in enumerate(CONFLICTS[name])]
    for path in paths:  # each is acceptable on its own
        assert main(["check", str(path)]) == 0
    env = dict(os.environ)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "treatykg", "add", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in paths
    ]
    codes = sorted(process.wait(timeout=300) for process in processes)
    assert codes == [0, 1], [p.stderr.read() for p in processes]
    assert len(_stored(contrib)) == 1
    capsys.readouterr()
    assert main(["validate"]) == 0


# --- defect 15: where contributions go ------------------------------------------------------------------


def test_an_installed_tree_never_receives_contributions(tmp_path, monkeypatch):
    import platformdirs

    from treatykg.model.sources import contrib_dir_for, is_checkout

    installed = tmp_path / "site-packages" / "treatykg" / "data"
    (installed / "ontology").mkdir(parents=True)
    (installed / "graph").mkdir()
    assert not is_checkout(installed)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # the platform convention on Linux
    chosen = contrib_dir_for(installed, {})
    assert chosen == platformdirs.user_data_path("treatykg", appauthor=False) / "contrib"
    assert not chosen.is_relative_to(installed)
    if sys.platform.startswith("linux"):
        assert chosen == tmp_path / "xdg" / "treatykg" / "contrib"
    assert contrib_dir_for(installed, {"TREATYKG_CONTRIB_DIR": str(tmp_path / "mine")}) == tmp_path / "mine"

    checkout = tmp_path / "repo"
    (checkout / "src" / "treatykg").mkdir(parents=True)
    (checkout / "ontology").mkdir()
    (checkout / "pyproject.toml").write_text("[project]\nname = 'treatykg'\n", encoding="utf-8")
    assert is_checkout(checkout)
    assert contrib_dir_for(checkout, {}) == checkout / "graph" / "contrib"


def test_add_says_where_it_wrote_and_every_reader_reads_there(tmp_path, contrib, capsys):
    assert main(["add", str(CLAIM_CSV)]) == 0
    out = capsys.readouterr().out
    (stored,) = contrib.glob("*.ttl")
    assert f"file: {stored.resolve()}" in out and f"directory: {contrib.resolve()}" in out
    assert main(["query", "criticisms", "--param", "provision=30", "--format", "csv"]) == 0
    assert "test-art-30-no-warrant" in capsys.readouterr().out
    assert main(["export", "--format", "trig"]) == 0
    assert f"contrib/{stored.stem}" in capsys.readouterr().out


# --- defect 17: empty submissions ----------------------------------------------------------------------

EMPTY = {
    "empty.ttl": "",
    "comments-only.ttl": "# nothing but a comment\n@prefix tkg: <https://w3id.org/treatykg/ontology#> .\n",
    "dropped.jsonld": '{"@context": {"name": "@nest"}, "note": "no term maps to an IRI"}\n',
    "header-only.csv": "record,id,label\n",
    "no-records.yaml": "claims: []\n",
}


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_submissions_are_refused(name, tmp_path, contrib, capsys):
    path = write(tmp_path, name, EMPTY[name])
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and name in err and "no statements" in err
    assert main(["add", str(path)]) == 2
    assert _stored(contrib) == {}


# --- defect 18: the duplicate check, temporary files, durability ---------------------------------------


def test_a_hash_written_inside_a_submission_is_never_trusted(tmp_path, contrib, capsys):
    from treatykg.statements.contrib import content_hash

    victim = GOOD / "person-new.ttl"
    forged = content_hash([victim])
    # A valid submission whose comment, serialised as a long string, contains the text the old
    # duplicate check searched the stored file for.
    decoy = write(
        tmp_path,
        "decoy.ttl",
        PREFIXES
        + VALID_CLAIM.replace(
            "    tkg:about uncc:art_30 ;",
            f'    tkg:about uncc:art_30 ;\n    rdfs:comment """Test.\ntkg:contentHash "{forged}"\n"""@en ;',
        ),
    )
    assert main(["add", str(decoy)]) == 0
    (stored,) = contrib.glob("*.ttl")
    assert f'tkg:contentHash "{forged}"' in stored.read_text(encoding="utf-8")  # the bait is in the file
    capsys.readouterr()
    assert main(["add", str(victim)]) == 0, capsys.readouterr().err
    assert len(_stored(contrib)) == 2
    assert main(["add", str(victim)]) == 2  # a real duplicate is still found
    assert "already added" in capsys.readouterr().err


_KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from treatykg.statements import contrib
    from treatykg.statements.reader import read_statements

    def die(*args):
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = die  # killed between writing the temporary file and renaming it
    path = Path(sys.argv[1])
    contrib.add(read_statements([path]), [path])
    """
)


def test_a_writer_killed_before_rename_leaves_nothing_readers_load(tmp_path, contrib, capsys):
    from treatykg.model.sources import Kind, iter_sources

    process = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(CLAIM_CSV)], env=dict(os.environ), capture_output=True, timeout=120
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    leftovers = list(contrib.glob(".*.tmp"))
    assert len(leftovers) == 1 and leftovers[0].stat().st_size > 0
    assert not [s for s in iter_sources((Kind.GRAPH,)) if s.path.parent == contrib]
    assert main(["query", "criticisms", "--param", "provision=30", "--format", "csv"]) == 0
    assert "test-art-30-no-warrant" not in capsys.readouterr().out

    assert main(["add", str(GOOD / "person-new.ttl")]) == 0  # the next writer cleans up under the lock
    assert not list(contrib.glob(".*.tmp")) and len(_stored(contrib)) == 1


def test_the_file_and_the_directory_are_fsynced(tmp_path, contrib, monkeypatch):
    from treatykg.statements.contrib import add
    from treatykg.statements.reader import read_statements

    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        mode = os.fstat(fd).st_mode
        synced.append("dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    submission = add(read_statements([CLAIM_CSV]), [CLAIM_CSV])
    assert synced.index("file") < synced.index("dir") and submission.path.exists()


def test_remove_refuses_names_outside_the_submissions(tmp_path, contrib, capsys):
    contrib.mkdir()
    (contrib / ".lock").write_text("", encoding="utf-8")
    (tmp_path / "outside.ttl").write_text("# not a submission\n", encoding="utf-8")
    for name in (".lock", "../outside", "x/../../outside", ".hidden"):
        assert main(["remove", name]) == 2
        assert capsys.readouterr().err.startswith("error: ")
    assert (contrib / ".lock").exists() and (tmp_path / "outside.ttl").exists()
