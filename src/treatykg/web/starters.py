"""Empty statement templates a contributor downloads from the check page: the CSV (and, where the
statements module offers it, YAML) template of ``treatykg template``, and a commented Turtle
skeleton.

Why served rather than only documented: a spreadsheet user starts from the check page, not from a
terminal. The CSV and YAML text comes from :mod:`treatykg.statements.templates`, so the download and
``treatykg template`` can never differ. Every line of the Turtle skeleton except its prefixes is a
comment, so an unchanged download, like an empty CSV template, states nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..model.iri import PREFIXES
from ..statements import templates

MEDIA = {"csv": "text/csv", "yaml": "application/yaml", "ttl": "text/turtle"}

_TURTLE_BODY = {
    "claim": """# One claim of a document of the debate, in our own words, with an exact quote (at most 25 words).
# Remove the leading '# ' of the lines you fill in. Existing slugs: /stakeholders, /documents.
# claim:my-new-claim a tkg:Claim ;
#     rdfs:label "A short summary in your own words"@en ;
#     tkg:claimKind claimkind:criticism ;              # criticism | demand | observation | support
#     tkg:about uncc:art_24 ;                          # the provision(s): uncc:art_40__para_21__point_b
#     tkg:concernCategory concern:weak-safeguards ;    # /vocab/concern/...
#     dct:description "What the claim argues, in your own words"@en ;
#     tkg:quote [ a oa:TextQuoteSelector ; oa:exact "an exact quote from the document" ] ;
#     prov:wasDerivedFrom doc:joint-letter-eu-vote-no .
""",
    "document": """# One document of the debate (a letter, a statement, an analysis) and who stands behind it.
# Remove the leading '# ' of the lines you fill in. Existing slugs: /stakeholders, /documents.
# doc:my-new-document a tkg:StatementDocument ;
#     rdfs:label "A short name"@en ;
#     dct:title "The document's own title"@en ;
#     tkg:documentType doctype:joint-letter ;
#     dct:issued "2025-01-31"^^xsd:date ;             # or tkg:earliestDate / tkg:latestDate
#     tkg:issuedBy stk:access-now ;
#     tkg:signedBy stk:access-now , stk:article-19 ;
#     tkg:sourceFile "my-new-document.txt" .
""",
    "stakeholder": """# One organisation or person named by a document of the debate.
# Remove the leading '# ' of the lines you fill in. Existing slugs: /stakeholders, /documents.
# stk:my-new-organisation a tkg:Organisation ;
#     rdfs:label "Its name"@en ;
#     tkg:stakeholderKind stkind:ngo ;
#     prov:wasDerivedFrom doc:joint-letter-eu-vote-no .
""",
}
_TURTLE_PREFIXES = (
    "tkg",
    "uncc",
    "stk",
    "person",
    "doc",
    "claim",
    "concern",
    "claimkind",
    "doctype",
    "stkind",
    "rdfs",
    "dct",
    "prov",
    "oa",
    "xsd",
)


def turtle_template(record: str) -> str:
    """A commented Turtle skeleton for ``record`` with the prefixes it uses."""
    prefixes = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in _TURTLE_PREFIXES)
    head = f"# treatykg {record} template (Turtle). Lines starting with # are comments.\n"
    return f"{head}{prefixes}\n{_TURTLE_BODY[record]}"


def writers() -> dict[str, Callable[[str], str]]:
    """Format -> template writer: the spreadsheet templates of ``treatykg template`` and the
    commented Turtle one."""
    return {"csv": templates.template_csv, "yaml": templates.template_yaml, "ttl": turtle_template}


def offered() -> list[tuple[str, list[str]]]:
    """(record, formats) for the check page's download links."""
    formats = list(writers())
    return [(record, formats) for record in templates.RECORDS]


async def download(request: Request) -> Response:
    """``/check/template/<record>.<format>``, as a file to save."""
    record, fmt = request.path_params["record"], request.path_params["format"]
    writer = writers().get(fmt)
    if record not in templates.RECORDS or writer is None:
        known = ", ".join(f"{r}.{f}" for r, fs in offered() for f in fs)
        raise HTTPException(404, f"no template {record[:40]}.{fmt[:10]}; there are: {known}")
    return Response(
        writer(record),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="treatykg-{record}.{fmt}"'},
    )


def routes() -> list[Route]:
    return [Route("/check/template/{record}.{format}", download, name="check-template")]
