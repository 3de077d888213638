"""The spreadsheet-friendly templates: CSV and YAML records (one per claim, document or
stakeholder) read into RDF, the template text ``treatykg template`` prints, and which column
writes which property (so a problem is reported on the column the contributor filled in).

Kept apart from :mod:`.reader` (which reads any statements file and remembers origins) because
this is the one place that knows the template's columns; a new column is a change here only.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.iri import PREFIXES, UNCC, UNCC_WORK, EIdError, provision_eid
from ..model.sources import SourceError

RECORDS = ("claim", "document", "stakeholder")


@dataclass
class TemplateRecords:
    """What one template file says: its triples, where each subject's record starts, and which
    record type wrote it."""

    graph: object  # rdflib.Graph
    origins: dict[str, str] = field(default_factory=dict)  # subject IRI -> "file:line"
    records: dict[str, str] = field(default_factory=dict)  # subject IRI -> claim | document | stakeholder


def read_template(path: Path, text: str, is_csv: bool) -> TemplateRecords:
    """The records of one CSV (``is_csv``) or YAML template, as RDF with their origins. Raises
    SourceError naming the file, line and column for a record that cannot be read."""
    from rdflib import Graph

    records = _read_csv(path, text) if is_csv else _read_yaml(path, text)
    scratch = TemplateRecords(graph=Graph())
    for where, record in records:
        _record_to_rdf(path, where, record, scratch)
    return scratch


#: The delimiters a spreadsheet writes: comma, semicolon (Excel in French, German... locales), tab.
CSV_DELIMITERS = (",", ";", "\t")


def csv_delimiter(header: str) -> str:
    """The delimiter of a template, judged on its header line only (the data may hold any of them
    inside cells): the one that splits the header into the most columns; a comma on a tie."""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in CSV_DELIMITERS}
    return max(CSV_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _read_csv(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    """The records of a CSV template, each with the line of the file it starts on (comment lines
    are skipped but counted, so the number is the one an editor shows)."""
    kept = [(number, line) for number, line in enumerate(text.splitlines(), 1) if not line.lstrip().startswith("#")]
    while kept and not kept[0][1].strip():
        kept.pop(0)  # blank lines before the header
    if not kept:
        raise SourceError(path, "CSV header must include a 'record' column (claim, document or stakeholder)", 1)
    header_line = kept[0][0]
    delimiter = csv_delimiter(kept[0][1])
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in kept)), delimiter=delimiter)
    rows = []
    start = header_line
    try:
        fields = [f.strip() for f in reader.fieldnames or []]
        if "record" not in fields:
            raise SourceError(
                path, "CSV header must include a 'record' column (claim, document or stakeholder)", header_line
            )
        done = 1  # physical lines of the kept text read so far (the header)
        for row in reader:
            while done < len(kept) - 1 and not kept[done][1].strip():
                done += 1  # blank lines the reader skipped
            start = kept[done][0]  # the file line the record starts on
            done = reader.line_num
            if None in row:
                raise SourceError(path, "this row has more cells than the header has columns", start)
            rows.append((start, {k.strip(): (v or "").strip() for k, v in row.items() if k}))
    except csv.Error as exc:  # e.g. a cell over csv.field_size_limit()
        raise SourceError(path, f"CSV error: {exc}", start) from None
    return rows


def _read_yaml(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    from ..model.inputs import load_yaml

    data = load_yaml(path, text)
    lines = _yaml_record_lines(text) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise SourceError(path, "YAML must be a mapping with keys claims:, documents: and/or stakeholders:")
    records = []
    for key, value in data.items():
        record_type = str(key).rstrip("s")
        if record_type not in RECORDS:
            raise SourceError(path, f"unknown top-level key {key!r}; use claims:, documents: or stakeholders:")
        if not isinstance(value, list):
            raise SourceError(path, f"{key}: must be a list of records")
        for index, item in enumerate(value):
            line = lines.get((str(key), index))
            if not isinstance(item, dict):
                raise SourceError(path, f"{key}[{index}] must be a mapping of field: value", line)
            flat = {
                str(k): "; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v)
                for k, v in item.items()
            }
            flat["record"] = record_type
            records.append((line or 0, flat))
    return records


def _yaml_record_lines(text: str) -> dict[tuple[str, int], int]:
    """``(top-level key, index) -> line`` of each record of a YAML template, from the composed
    node tree (called after :func:`inputs.load_yaml` has refused anchors, aliases and deep nesting)."""
    import yaml

    loader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[(str(key.value), index)] = item.start_mark.line + 1
    return lines


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _record_to_rdf(path: Path, line: int, record: dict[str, str], statements: TemplateRecords) -> None:
    """Map one template record, starting on ``line`` of the file, to RDF (the mapping documented
    by ``treatykg template``); a bad field is a SourceError naming the file, line and column."""
    from rdflib import RDF, RDFS, XSD, BNode, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    tkg, prov, oa = Namespace(PREFIXES["tkg"]), Namespace(PREFIXES["prov"]), Namespace(PREFIXES["oa"])
    g = statements.graph
    kind = record.get("record", "").strip().lower()
    if kind not in RECORDS:
        raise SourceError(path, f"record: must be one of {', '.join(RECORDS)}, got {kind!r}", line or None)
    _check_columns(path, line, kind, record)
    slug = record.get("id", "")
    if not slug:
        raise SourceError(path, "id: this field is required", line or None)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise SourceError(
            path, f"id: {slug[:60]!r} must be lowercase ASCII letters and digits with hyphens", line or None
        )
    if kind == "stakeholder" and record.get("type", "").lower() not in ("organisation", "organization", "person"):
        raise SourceError(
            path, f"type: must be 'organisation' or 'person', got {record.get('type', '')!r}", line or None
        )

    def en(text: str) -> Literal:
        return Literal(text, lang="en")

    def concepts(scheme: str, field_name: str) -> list[URIRef]:
        return [URIRef(f"{PREFIXES['vocab']}{scheme}/{v}") for v in _split(record.get(field_name, ""))]

    def stakeholder(value: str) -> URIRef:
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        if value.startswith("person:"):
            return URIRef(PREFIXES["person"] + value[7:])
        return URIRef(PREFIXES["stk"] + value.removeprefix("stk:").removeprefix("org:"))

    def document(value: str) -> URIRef:
        return (
            URIRef(value)
            if value.startswith(("http://", "https://"))
            else URIRef(PREFIXES["doc"] + value.removeprefix("doc:"))
        )

    def resource(value: str) -> URIRef:
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        prefix, _, local = value.partition(":")
        if local and prefix in PREFIXES:
            return URIRef(PREFIXES[prefix] + local)
        return provision(value)

    def provision(value: str) -> URIRef:
        if value.lower() in ("uncc", "convention", "the convention"):
            return URIRef(UNCC_WORK)
        try:
            return URIRef(UNCC + provision_eid(value))
        except EIdError:
            # Keep the value visible: the shapes then report it as an unknown provision.
            return URIRef(UNCC + re.sub(r"[^A-Za-z0-9_]+", "_", value))

    if kind == "claim":
        node = URIRef(PREFIXES["claim"] + slug)
        g.add((node, RDF.type, tkg.Claim))
        if record.get("kind") == "demand":
            g.add((node, RDF.type, tkg.Demand))
        for kind_concept in concepts("claim-kind", "kind"):
            g.add((node, tkg.claimKind, kind_concept))
        for ref in _split(record.get("about", "")):
            # The column holds the provisions the document names: cited links (decision 57), stated
            # as such so the shipped data never depends on the about-cited rule.
            g.add((node, tkg.about, provision(ref)))
            g.add((node, tkg.aboutCited, provision(ref)))
        _inferred_links(path, line, record, node, provision, g)
        if record.get("target"):
            g.add((node, tkg.targetDescription, en(record["target"])))
        for concept in concepts("concern", "concern"):
            g.add((node, tkg.concernCategory, concept))
        for concept in concepts("principle", "missing_principle"):
            g.add((node, tkg.missingPrinciple, concept))
        for concept in concepts("demand-kind", "demand_kind"):
            g.add((node, tkg.demandKind, concept))
        for concept in concepts("vote", "vote"):
            # A recorded vote is a State's position too: the claim's attributed_to cast it (shapes check).
            g.add((node, tkg.voteCast, concept))
        if record.get("proposed_change"):
            g.add((node, tkg.proposedChange, en(record["proposed_change"])))
        if record.get("quote"):
            selector = BNode()
            g.add((node, tkg.quote, selector))
            g.add((selector, RDF.type, oa.TextQuoteSelector))
            g.add((selector, oa.exact, Literal(record["quote"])))
        if record.get("locator"):
            # Where in a document we may not quote the claim is made (decision: W3C selector, in words).
            locator = BNode()
            g.add((node, tkg.locator, locator))
            g.add((locator, RDF.type, tkg.LocatorSelector))
            g.add((locator, RDF.value, Literal(record["locator"])))
        for value in _split(record.get("document", "")):
            g.add((node, prov.wasDerivedFrom, document(value)))
        for value in _split(record.get("attributed_to", "")):
            g.add((node, prov.wasAttributedTo, stakeholder(value)))
        for value in _split(record.get("compares_with", "")):
            g.add((node, tkg.comparesWith, resource(value)))
        if record.get("confidence"):
            value = record["confidence"]
            # Only a well-formed decimal is typed; anything else stays a string the shape reports.
            typed = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value)
            g.add((node, tkg.confidence, Literal(value, datatype=XSD.decimal) if typed else Literal(value)))
    elif kind == "document":
        node = document(slug)
        g.add((node, RDF.type, tkg.StatementDocument))
        if record.get("title"):
            g.add((node, DCTERMS.title, en(record["title"])))
        for concept in concepts("document-type", "type"):
            g.add((node, tkg.documentType, concept))
        for concept in concepts("stance", "stance"):
            g.add((node, tkg.overallStance, concept))
        for field_name, prop in (
            ("date", DCTERMS.issued),
            ("earliest_date", tkg.earliestDate),
            ("latest_date", tkg.latestDate),
        ):
            if record.get(field_name):
                g.add((node, prop, _date(record[field_name])))
        if record.get("date_note"):
            g.add((node, tkg.dateNote, en(record["date_note"])))
        for field_name, prop in (
            ("issuer", tkg.issuedBy),
            ("addressee", tkg.addressedTo),
            ("signatories", tkg.signedBy),
        ):
            for value in _split(record.get(field_name, "")):
                g.add((node, prop, stakeholder(value)))
        if record.get("source_file"):
            g.add((node, tkg.sourceFile, Literal(record["source_file"])))
        if record.get("url"):
            url = record["url"]
            # Only an absolute http(s) URL becomes an IRI; anything else stays text the shapes report.
            is_url = re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url)
            g.add((node, DCTERMS.source, URIRef(url) if is_url else Literal(url)))
        if record.get("addressee_description"):
            g.add((node, tkg.addresseeDescription, en(record["addressee_description"])))
        if record.get("date_read"):
            g.add((node, tkg.dateRead, _date(record["date_read"])))
    else:
        person = record.get("type", "").lower() == "person"
        node = URIRef((PREFIXES["person"] if person else PREFIXES["stk"]) + slug)
        g.add((node, RDF.type, tkg.Person if person else tkg.Organisation))
        for value in _split(record.get("alt_labels", "")):
            g.add((node, SKOS.altLabel, en(value)))
        for concept in concepts("stakeholder-kind", "kind"):
            g.add((node, tkg.stakeholderKind, concept))
        if record.get("country"):
            g.add((node, tkg.country, Literal(record["country"])))
        for value in _split(record.get("source_document", "")):
            g.add((node, prov.wasDerivedFrom, document(value)))
    if record.get("label"):
        g.add((node, RDFS.label, en(record["label"])))
    if record.get("description"):
        g.add((node, DCTERMS.description, en(record["description"])))
    if record.get("note"):
        g.add((node, SKOS.note, en(record["note"])))
    statements.origins.setdefault(str(node), f"{path}:{line}" if line else str(path))
    statements.records.setdefault(str(node), kind)


def _check_columns(path: Path, line: int, kind: str, record: dict[str, str]) -> None:
    """Refuse a column no template has (a misspelt ``locater`` was silently dropped, and the claim
    then failed for a missing locator with no hint why), and a value in a column of another record
    type (a claim row with a ``url``: that column belongs to its document)."""
    known = {name for columns in TEMPLATES.values() for name, _ in columns}
    unknown = sorted(name for name in record if name not in known)
    if unknown:
        raise SourceError(
            path,
            f"unknown column {unknown[0][:40]!r}; the {kind} columns are listed by `treatykg template {kind}`",
            line or None,
        )
    own = {name for name, _ in TEMPLATES[kind]}
    misplaced = sorted(name for name, value in record.items() if value and name not in own)
    if misplaced:
        raise SourceError(path, f"{misplaced[0]}: not a {kind} column; leave it empty in {kind} rows", line or None)


def _inferred_links(path: Path, line: int, record: dict[str, str], node, provision, g) -> None:
    """``about_inferred`` provisions: the contributor linked a passage that names no provision
    (decision 57), so each is stated as ``tkg:about`` and ``tkg:aboutInferred`` and qualified by one
    ``tkg:InferredLink`` with the row's ``inferred_confidence`` and ``inferred_reason``."""
    from rdflib import RDF, XSD, BNode, Literal, Namespace

    refs = _split(record.get("about_inferred", ""))
    if not refs:
        if record.get("inferred_confidence") or record.get("inferred_reason"):
            raise SourceError(
                path,
                "inferred_confidence: inferred_confidence and inferred_reason qualify 'about_inferred', which is empty",
                line or None,
            )
        return
    tkg = Namespace(PREFIXES["tkg"])
    link = BNode()
    g.add((node, tkg.inferredLink, link))
    g.add((link, RDF.type, tkg.InferredLink))
    for ref in refs:
        target = provision(ref)
        g.add((node, tkg.about, target))
        g.add((node, tkg.aboutInferred, target))
        g.add((link, tkg.linkTarget, target))
    value = record.get("inferred_confidence", "")
    if value:
        typed = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value)
        g.add((link, tkg.confidence, Literal(value, datatype=XSD.decimal) if typed else Literal(value)))
    if record.get("inferred_reason"):
        g.add((link, tkg.reason, Literal(record["inferred_reason"], lang="en")))


def _date(value: str):
    """A template date: typed xsd:date when it looks like one, else a plain string (which the
    shapes then report as a wrong datatype, at the right row)."""
    from rdflib import XSD, Literal

    return Literal(value, datatype=XSD.date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else Literal(value)


#: The templates ``treatykg template`` prints: (column, comment) per record type.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "claim": [
        ("record", "always 'claim'"),
        ("id", "a new slug for the claim: lowercase letters, digits and hyphens"),
        ("label", "a short summary in your own words"),
        ("kind", "criticism | demand | observation | support"),
        ("about", "the provision(s) the document names, e.g. 30 or 40(21)(b) or Article 24; several separated by ';'"),
        ("about_inferred", "provision(s) you linked although the passage names none (then also inferred_*)"),
        ("inferred_confidence", "for about_inferred: how sure the link is, 0 to 1"),
        ("inferred_reason", "for about_inferred: one line saying which words point to the provision"),
        ("target", "what the claim is about, in words, when it names no provision"),
        ("concern", "concern categories from vocab/concern, e.g. weak-safeguards; surveillance"),
        ("missing_principle", "principles the claim says are missing, e.g. notification; legality"),
        ("description", "what the claim argues, in your own words"),
        ("quote", "an exact quote from the document, at most 25 words (only texts we may quote)"),
        ("locator", "where in the document, instead of a quote: heading, numbered paragraph or section"),
        (
            "document",
            "the slug of the document the claim comes from (existing: `treatykg list documents`;"
            " or defined in a 'document' row)",
        ),
        (
            "attributed_to",
            "only if the document reports what someone else said: their slug (`treatykg list stakeholders`)",
        ),
        ("demand_kind", "for demands: delete | narrow-scope | add-safeguard | ... (vocab/demand-kind)"),
        ("proposed_change", "for demands: the change asked for, in your own words"),
        (
            "vote",
            "for a recorded vote the document reports: in-favour | against | abstention (vocab/vote), cast by"
            " the attributed_to States on the text named in target",
        ),
        ("compares_with", "instruments compared with, e.g. budapest:art_15"),
        ("confidence", "0 to 1, only when the source is ambiguous"),
        ("note", "anything a reader should know about how the claim was modelled"),
    ],
    "document": [
        ("record", "always 'document'"),
        ("id", "a new slug for the document"),
        ("label", "a short label"),
        ("title", "the document's own title"),
        (
            "type",
            "joint-letter | joint-statement | analysis | briefing | news-digest | statement | submission"
            " | speech | commentary",
        ),
        (
            "stance",
            "reject | amend-or-reject | do-not-sign-or-ratify | critical-without-call"
            " | reports-without-position | support",
        ),
        ("date", "YYYY-MM-DD when the document states its date"),
        ("earliest_date", "YYYY-MM-DD, when the date is only inferable"),
        ("latest_date", "YYYY-MM-DD, when the date is only inferable"),
        ("date_note", "how the date was inferred"),
        ("issuer", "slug(s) of the issuing stakeholder (existing: `treatykg list stakeholders`)"),
        ("addressee", "slug(s) of the addressee (`treatykg list stakeholders`)"),
        ("addressee_description", "the addressee in words, when it is a group with no slug (e.g. UN member states)"),
        ("signatories", "slugs of the signatories, separated by ';' (`treatykg list stakeholders`)"),
        ("source_file", "the file name of the document's text, where it is a local file"),
        ("url", "the URL where the document was read (http or https)"),
        ("date_read", "YYYY-MM-DD: the day it was read at that URL"),
        ("note", "anything a reader should know (who issued it, when, where it was read)"),
    ],
    "stakeholder": [
        ("record", "always 'stakeholder'"),
        ("id", "a new slug (check `treatykg list stakeholders` for an existing one first)"),
        ("type", "organisation | person"),
        ("label", "the name"),
        ("alt_labels", "other spellings, separated by ';'"),
        (
            "kind",
            "ngo | media-freedom-organisation | company | industry-body | un-body | state"
            " | regional-organisation | academic | coalition | individual-expert",
        ),
        ("country", "only where the document states it"),
        ("source_document", "slug(s) of the document(s) that name the stakeholder (`treatykg list documents`)"),
    ],
}


#: Which template column (YAML key) writes which property, per record type: a problem the shapes
#: report on ``tkg:concernCategory`` is reported on ``concern``, the column the user filled in.
COLUMNS: dict[str, dict[str, str]] = {
    "claim": {
        "tkg:claimKind": "kind",
        "tkg:about": "about",
        "tkg:targetDescription": "target",
        "tkg:concernCategory": "concern",
        "tkg:missingPrinciple": "missing_principle",
        "tkg:demandKind": "demand_kind",
        "tkg:voteCast": "vote",
        "tkg:proposedChange": "proposed_change",
        "tkg:quote": "quote",
        "oa:exact": "quote",
        "prov:wasDerivedFrom": "document",
        "prov:wasAttributedTo": "attributed_to",
        "tkg:comparesWith": "compares_with",
        "tkg:confidence": "confidence",
    },
    "document": {
        "dct:title": "title",
        "tkg:documentType": "type",
        "tkg:overallStance": "stance",
        "dct:issued": "date",
        "tkg:earliestDate": "earliest_date",
        "tkg:latestDate": "latest_date",
        "tkg:dateNote": "date_note",
        "tkg:issuedBy": "issuer",
        "tkg:addressedTo": "addressee",
        "tkg:signedBy": "signatories",
        "tkg:sourceFile": "source_file",
    },
    "stakeholder": {
        "skos:altLabel": "alt_labels",
        "tkg:stakeholderKind": "kind",
        "tkg:country": "country",
        "prov:wasDerivedFrom": "source_document",
        "rdf:type": "type",
    },
}
_EVERY_RECORD = {"rdfs:label": "label", "dct:description": "description"}


def column_name(record: str | None, path: str | None) -> str | None:
    """The template column a problem's property path (as the report writes it, ``tkg:about``,
    ``prov:wasDerivedFrom|dct:source``) was filled in from, or None (not from a template, or a
    property no column writes)."""
    if not record or not path:
        return None
    table = {**_EVERY_RECORD, **COLUMNS.get(record, {})}
    for step in path.lstrip("^").split("|"):
        if step in table:
            return table[step]
    return None


_ADVICE = (
    "# Existing slugs: `treatykg list stakeholders`, `treatykg list documents`. Several values: separate with ';'."
)


def template_yaml(record: str) -> str:
    """An empty YAML template: one commented key per column under ``claims:`` (or ``documents:``,
    ``stakeholders:``); ``treatykg check`` reads it as it reads the CSV template."""
    columns = [(name, comment) for name, comment in TEMPLATES[record] if name != "record"]
    width = max(len(name) for name, _ in columns) + 2
    lines = [
        f"# treatykg {record} template: one entry per {record} under '{record}s:'. Lines starting with # are comments.",
        _ADVICE,
        "# Put a value in double quotes when it holds ': ' or ' #', or starts with a quote, [ or {.",
        f"{record}s:",
    ]
    for index, (name, comment) in enumerate(columns):
        key = f"{'  - ' if index == 0 else '    '}{name}:"
        lines.append(f"{key:<{width + 6}}# {comment}")
    return "\n".join(lines) + "\n"


def template_csv(record: str) -> str:
    """An empty CSV template with one comment line per column (comment lines start with '#')."""
    columns = TEMPLATES[record]
    lines = [f"# treatykg {record} template: one row per {record}. Lines starting with # are ignored.", _ADVICE]
    lines += [f"# {name}: {comment}" for name, comment in columns]
    lines.append(",".join(name for name, _ in columns))
    lines.append(",".join(record if name == "record" else "" for name, _ in columns))
    return "\n".join(lines) + "\n"
