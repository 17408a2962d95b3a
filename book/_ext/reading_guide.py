"""The reading guide's verdicts come from this build's claims, not from typed numbers.

Each chapter's table "Claims checked in this build" carries one row per claim, with the
row's id ``claim-<id>`` and its measured value, control, threshold and verdict. When a
chapter is read, this extension collects those rows (``env.dnl_claims``). A page can then
name claims by id:

- ``{paper}`` directive (argument: a key of book/references.bib; options ``:chapter:``,
  the chapter that tests it, ``:claims:``, claim ids separated by spaces, ``:verdict:``,
  one of VERDICTS; content: one or two sentences on what the paper showed, in its setting)
  renders the paper's authors, year and title from the bibliography, the sentences, a link
  to the chapter and the verdict, with each named claim's measured value and control
  linked to its row in the chapter's table;
- ``{claim}`` role: one claim's measured value and control, inline;
- ``{left-out}`` directive: papers the chapters cite that the guide leaves out on purpose,
  one ``key: reason`` a line, rendered as a list.

A claim named on a page that no chapter checked in this build, or that did not hold, is a
build warning (an error under ``-W``): a guide entry cannot outlive the claim it rests on.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

VERDICTS = ("reproduced", "partly", "not at this scale", "not tested here")
ROW = re.compile(
    r'<tr id="claim-(?P<id>[a-z0-9-]+)"><td>(?P<claim>.*?) <code class="dnl-claim-id">'
    r"[^<]*</code></td><td>(?P<measured>[^<]*)</td>(?P<rest>.*?)</tr>",
    re.S,
)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


class claim_values(nodes.General, nodes.Inline, nodes.Element):
    """Placeholder for named claims, filled in when every chapter has been read."""


def parse_claims_table(text: str) -> dict[str, dict]:
    """The rows of a chapter's claims table(s): id -> claim, measured, control, required,
    verdict (control None for a check of the code)."""
    found = {}
    for row in ROW.finditer(text):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in CELL.findall(row["rest"])
        ]
        control, required, verdict = cells if len(cells) == 3 else (None, *cells)
        found[row["id"]] = {
            "claim": html.unescape(re.sub(r"<[^>]+>", "", row["claim"])).strip(),
            "measured": row["measured"].strip(),
            "control": control,
            "required": required,
            "passed": verdict.endswith("holds"),
        }
    return found


def _collect_claims(app, doctree) -> None:
    env = app.env
    if not hasattr(env, "dnl_claims"):
        env.dnl_claims = {}
    docname = env.docname
    for raw in doctree.findall(nodes.raw):
        if "dnl-claims" not in raw.astext():
            continue
        for claim_id, row in parse_claims_table(raw.astext()).items():
            env.dnl_claims[claim_id] = {**row, "docname": docname}


def _purge(app, env, docname) -> None:
    claims = getattr(env, "dnl_claims", {})
    for claim_id in [k for k, v in claims.items() if v["docname"] == docname]:
        del claims[claim_id]


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "dnl_claims"):
        env.dnl_claims = {}
    env.dnl_claims.update(getattr(other, "dnl_claims", {}))


def _bibliography(app) -> dict:
    if not hasattr(app, "dnl_bibliography"):
        from pybtex.database import parse_file

        app.dnl_bibliography = parse_file(str(Path(app.srcdir) / "book" / "references.bib"))
    return app.dnl_bibliography.entries


def cite_line(entry) -> str:
    """'Authors (year). Title.' from a pybtex entry."""
    people = [p.last_names[0] if p.last_names else str(p) for p in entry.persons.get("author", [])]
    people = [re.sub(r"[{}]", "", p) for p in people]
    if len(people) > 3:
        authors = f"{people[0]} et al."
    elif len(people) > 1:
        authors = ", ".join(people[:-1]) + f" and {people[-1]}"
    else:
        authors = people[0] if people else entry.fields.get("organization", "")
    title = re.sub(r"[{}]", "", str(entry.fields.get("title", ""))).rstrip(".")
    end = "" if title.endswith(("?", "!")) else "."
    return f"{authors} ({entry.fields.get('year', 'n.d.')}). {title}{end}"


class PaperDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {
        "chapter": directives.unchanged,
        "claims": directives.unchanged,
        "verdict": lambda value: directives.choice(value, VERDICTS),
    }

    def run(self):
        key = self.arguments[0]
        entries = _bibliography(self.env.app)
        if key not in entries:
            raise self.error(f"{key!r} is not a key of book/references.bib")
        verdict = self.options.get("verdict")
        if verdict is None:
            raise self.error(f"{key}: give :verdict: one of {list(VERDICTS)}")
        ids = self.options.get("claims", "").split()
        if verdict != "not tested here" and not ids:
            raise self.error(f"{key}: a verdict of {verdict!r} names the claim(s) it rests on")
        box = nodes.container(classes=["dnl-paper"], ids=[f"paper-{key}"])
        head = nodes.paragraph()
        head += nodes.strong(text=cite_line(entries[key]))
        box += head
        self.state.nested_parse(self.content, self.content_offset, box)
        line = nodes.paragraph()
        line += nodes.emphasis(text=f"Verdict here: {verdict}.")
        chapter = self.options.get("chapter")
        if chapter:
            line += nodes.Text(" Tested in ")
            ref = addnodes.pending_xref(
                "", refdomain="std", reftype="doc", reftarget="/" + chapter, refexplicit=False
            )
            ref += nodes.inline(text=chapter)
            line += ref
            line += nodes.Text(".")
        if ids:
            line += nodes.Text(" ")
            line += claim_values(ids=ids)
        box += line
        return [box]


class LeftOutDirective(SphinxDirective):
    has_content = True

    def run(self):
        entries = _bibliography(self.env.app)
        items = nodes.bullet_list(classes=["dnl-left-out"])
        for line in self.content:
            if not line.strip():
                continue
            key, _, reason = line.partition(":")
            key, reason = key.strip(), reason.strip()
            if key not in entries:
                raise self.error(f"{key!r} is not a key of book/references.bib")
            if not reason:
                raise self.error(f"{key}: say why it is left out (key: reason)")
            item = nodes.paragraph()
            item += nodes.strong(text=cite_line(entries[key]))
            item += nodes.Text(f" {reason}")
            items += nodes.list_item("", item)
        return [items]


class ClaimRole(SphinxRole):
    def run(self):
        return [claim_values(ids=self.text.split())], []


def _describe(claim: dict) -> str:
    control = claim["control"]
    against = "" if control is None else f" against {control}"
    return f"measured {claim['measured']}{against} (required {claim['required']})"


def _resolve(app, doctree, docname) -> None:
    claims = getattr(app.env, "dnl_claims", {})
    for node in list(doctree.findall(claim_values)):
        out = nodes.inline(classes=["dnl-claim-values"])
        for k, claim_id in enumerate(node["ids"]):
            claim = claims.get(claim_id)
            if claim is None:
                logger.warning(
                    f"{docname}: names claim {claim_id!r}, which no chapter checked in this build",
                    location=node,
                )
                continue
            if not claim["passed"]:
                logger.warning(f"{docname}: names claim {claim_id!r}, which FAILED", location=node)
            if k:
                out += nodes.Text("; ")
            uri = app.builder.get_relative_uri(docname, claim["docname"]) + f"#claim-{claim_id}"
            link = nodes.reference("", "", internal=True, refuri=uri)
            link += nodes.literal(text=claim_id)
            out += link
            out += nodes.Text(f": {_describe(claim)}")
        node.replace_self(out)


def setup(app):
    app.add_node(claim_values)
    app.add_directive("paper", PaperDirective)
    app.add_directive("left-out", LeftOutDirective)
    app.add_role("claim", ClaimRole())
    app.connect("doctree-read", _collect_claims)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
