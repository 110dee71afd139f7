"""Hostile values shared by the escaping, schema and fuzz tests (not a test module).

A participant's or client's plan is untrusted input: every free-text field can hold markup,
template syntax, spreadsheet formulas or path tricks. These helpers give the same hostile
values to every test, and one checker that says whether a piece of HTML contains *live*
markup coming from them (an element or attribute a browser would act on), so each presenter's
test is one loop.

* :data:`HOSTILE_TEXTS`: strings the plan schema accepts in a free-text field (one line,
  printable), each an attack on one kind of output.
* :func:`hostile_plan` a valid plan dict with `text` in every free-text field.
* :func:`live_markup` the elements and attributes of an HTML string that a hostile text
  would have injected (empty list = safe).
* :func:`figure_strings` every string of a plotly figure (dict or ``go.Figure``) with the
  place it was found, for checking hover texts, labels and annotations.
"""

from __future__ import annotations

import html.parser
from collections.abc import Iterator
from typing import Any

#: Markers that appear only in the hostile texts below (never in the toolkit's own HTML).
MARKERS = ("onerror", "onload", "alert(", "javascript:", "data-evil", "evil.example")

HOSTILE_TEXTS: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    '<a href="https://evil.example/" data-evil=1>click</a>',
    "<b>bold</b> &amp; <i>it</i>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    '=HYPERLINK("https://evil.example/","x")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "Tiệm gốm <b onmouseover=alert(1)>Bát Tràng</b>",
    "../../etc/passwd",
    "%s%n%x {0} {name}",
)

#: Tags a hostile text could inject and a browser would act on.
_DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "object",
    "embed",
    "a",
    "b",
    "i",
    "link",
    "meta",
    "style",
    "form",
    "input",
    "base",
}


def hostile_plan(text: str, language: str = "vi") -> dict[str, Any]:
    """A valid plan (as a dict) with `text` in every free-text field: the client's name,
    every communication-plan theme and every editorial slot theme."""
    return {
        "client": {"id": "hostile", "name": text, "language": language},
        "team": {"hours_per_week": 8, "skills": ["writing", "photography", "short_video"]},
        "platforms": {"chosen": ["facebook", "instagram", "zalo_oa"]},
        "communication": {
            "items": [
                {
                    "month": 1,
                    "asset": "promotion",
                    "theme": text,
                    "channels": ["facebook", "website", "newsletter"],
                },
                {"month": 2, "asset": "video", "theme": text, "channels": ["instagram"]},
            ]
        },
        "editorial": {
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [
                        {
                            "weekday": "tue",
                            "content_type": "photo_post",
                            "time": "09:00",
                            "theme": text,
                        },
                        {
                            "weekday": "fri",
                            "content_type": "text_post",
                            "time": "18:00",
                            "theme": text,
                        },
                    ],
                },
            ]
        },
        "start": "2027-01-01",
        "horizon_months": 6,
    }


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith(("on", "data-evil")):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and (
                value.strip().lower().startswith("javascript:") or "evil.example" in value
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("img", "svg", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")

    def handle_data(self, data: str) -> None:
        pass


def live_markup(markup: str) -> list[str]:
    """Elements and attributes in `markup` that only a hostile text could have put there.

    Escaped text (``&lt;img src=x onerror=...&gt;``) is data, not markup, and is not
    reported. The toolkit's own HTML (tables, cards, plotly's ``<div>`` and ``<script>``)
    never carries an ``on*`` attribute, an ``<img>``/``<svg>``/``<iframe>``, or a link to
    ``evil.example``, so anything found is an injection.
    """
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    found = list(parser.found)
    # a <script> block whose body is one of the hostile payloads
    lowered = markup.lower()
    if "<script>alert(1)</script>" in lowered:
        found.append("<script>alert(1)</script>")
    return found


def figure_strings(fig: Any) -> Iterator[tuple[str, str]]:
    """Every string in a plotly figure (a ``go.Figure``, a dict, or a figure spec) as
    ``(path, text)``: trace names, texts, hover texts and templates, tick labels, titles,
    annotations."""
    if hasattr(fig, "to_json_data"):  # a charts.Figure: what is shown, never validated
        fig = fig.to_json_data()
    elif hasattr(fig, "to_plotly_json"):
        fig = fig.to_plotly_json()

    def walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "template":
                    continue
                yield from walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, (list, tuple)):
            for i, value in enumerate(node):
                yield from walk(value, f"{path}[{i}]")
        elif hasattr(node, "tolist"):  # numpy arrays of labels
            yield from walk(node.tolist(), path)

    yield from walk(dict(fig), "")


#: Raw beginnings of the hostile texts' markup: none of them is markup the toolkit's own
#: chart labels use (they use ``<br>``, ``<b>`` around their own words, ``<extra>``).
_INJECTED = (
    "<img",
    "<script",
    "<svg",
    "<iframe",
    "<a href",
    "<b>bold",
    "<b onmouseover",
    "<i>it</i>",
)


def live_markup_in_figure(fig: Any) -> list[str]:
    """Places in a figure where a hostile text would be rendered as markup by plotly.js.

    plotly renders a subset of HTML in trace names, texts, hover labels, tick labels and
    annotations (``<b>``, ``<i>``, ``<br>``, ``<a href>``, ``<span style>``...). A hostile
    text is safe there only if its ``<`` arrives escaped (``&lt;``); even a shortened label
    (``<img src=x on…``) must not keep a raw ``<``.
    """
    bad = []
    for path, text in figure_strings(fig):
        if any(raw in text for raw in _INJECTED):
            bad.append(f"{path}: {text[:80]!r}")
    return bad


#: Texts the plan schema *refuses* (control characters, line breaks, terminal escapes,
#: text-direction overrides), for defence-in-depth tests of writers and printers, which
#: must stay safe with a plan that skipped validation (:func:`unvalidated_plan`).
CONTROL_TEXTS: tuple[str, ...] = (
    "Evil\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT",
    "x\nATTENDEE:mailto:evil@evil.example\rLOCATION:evil",
    "line\u2028separator\u2029paragraph\x85next line",
    "\x1b]0;owned\x07\x1b[2J\x9b31mred",
    "nul\x00bell\x07vt\x0bff\x0cdel\x7f",
    "\u202eevil.exe\u2066isolate\u2069",
    "=1+2\t@SUM(A1)\r-3",
    "\ufffe\uffff noncharacters",
)


def unvalidated_plan(plan: Any, text: str) -> Any:
    """A copy of `plan` (a validated ``workshop.plan.Plan``) with `text` in the client's
    name, every communication theme and every editorial slot theme, built with
    ``model_construct`` so that no validation runs (the schema would refuse most of
    :data:`CONTROL_TEXTS`): what a writer gets from a plan edited in memory."""

    def construct(model: Any, **changes: Any) -> Any:
        fields = {name: getattr(model, name) for name in type(model).model_fields}
        fields.update(changes)
        return type(model).model_construct(**fields)

    client = construct(plan.client, name=text)
    items = [construct(item, theme=text) for item in plan.communication.items]
    rules = [
        construct(rule, slots=[construct(slot, theme=text) for slot in rule.slots])
        for rule in plan.editorial.rules
    ]
    return construct(
        plan,
        client=client,
        communication=construct(plan.communication, items=items),
        editorial=construct(plan.editorial, rules=rules),
    )
