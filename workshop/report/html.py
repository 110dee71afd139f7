"""The executed notebook as a self-contained, offline HTML report (nbconvert, in-process).

nbconvert's lab template without code, prompts, require.js, MathJax, mermaid or the widget
manager, extended by ``templates/workshop_report.html.j2``; the stylesheet ``report.css``
(screen, phone and print); plotly charts drawn from their mimetype output with plotly.js
embedded once; every ``<script src>``/``<link href>`` to another host removed.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

from workshop import __version__, i18n
from workshop.checklist import CHECKLIST_CSS

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TEMPLATE_FILE = "workshop_report.html.j2"
#: The report's stylesheet, and the posting checklist's (:data:`workshop.checklist.
#: CHECKLIST_CSS`, shared with ``checklist.html``).
REPORT_CSS = "\n" + (HERE / "report.css").read_text(encoding="utf-8") + CHECKLIST_CSS


# An external script or stylesheet: <script ... src="http(s)://..." ...></script>,
# <link ... href="http(s)://...">, also protocol-relative //host URLs.
_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE
)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


def make_offline(html: str) -> str:
    """Drop every ``<script src>`` and ``<link href>`` that points to another host.

    Plotly's notebook output still adds a MathJax ``<script src=cdn>`` (only LaTeX in chart
    labels would need it; the reports have none).
    """
    html = _EXTERNAL_SCRIPT.sub("", html)
    return _EXTERNAL_LINK.sub("", html)


def external_references(html: str) -> list[str]:
    """The src/href values of ``<script>``/``<link>`` tags pointing to another host."""
    refs = []
    for match in re.finditer(r"<(script|link)\b[^>]*>", html, re.IGNORECASE):
        for attr in re.finditer(
            r"\b(?:src|href)\s*=\s*[\"']?([^\"'\s>]+)", match.group(0), re.IGNORECASE
        ):
            if re.match(r"(?:https?:)?//", attr.group(1), re.IGNORECASE):
                refs.append(attr.group(1))
    return refs


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def plotly_outputs_to_html(nb: Any, config: dict[str, Any] | None = None) -> int:
    """Turn every plotly chart output of `nb` (mimetype ``application/vnd.plotly.v1+json``,
    what the report kernel emits) into an HTML ``<div>`` plus a ``Plotly.newPlot`` script,
    in place; returns how many charts were converted.

    The chart's own ``config`` (set by the kernel's renderer) wins over `config`. plotly.js
    itself is *not* included: :func:`html_report` embeds it once in the page head. The
    figure JSON is escaped by plotly (``<``, ``>``, ``/`` as ``\\u`` escapes), so client text
    in a chart cannot close the script.
    """
    from plotly.io import to_html  # heavy (plotly.io): only when a report is exported

    count = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            bundle = output.get("data") if isinstance(output, dict) else None
            if not bundle or PLOTLY_MIME not in bundle:
                continue
            fig = dict(bundle[PLOTLY_MIME])
            fig_config = fig.pop("config", None) or config or {}
            html_div = to_html(
                fig, config=fig_config, include_plotlyjs=False, full_html=False, validate=False
            )
            output["data"] = {"text/html": html_div}
            count += 1
    return count


#: Month axes that fit the screen: a chart's x axis of month numbers (tick values 1, 2, 3...
#: more than a week's seven) keeps one label per ``MONTH_LABEL_PX`` pixels of its width,
#: thinned again when the window is resized (a phone at 390 px shows every 2nd or 3rd month;
#: a laptop and paper every month). The figures themselves keep every month.
MONTH_LABEL_PX = 58
_MONTH_TICKS_JS = """(function () {
  function isMonths(v) {
    if (!v || v.length <= 7) return false;
    for (var i = 1; i < v.length; i++) if (v[i] - v[i - 1] <= 0 || v[i] % 1) return false;
    return true;
  }
  function fit(gd) {
    var ax = gd.layout && gd.layout.xaxis;
    if (!ax || ax.tickmode !== 'array') return;
    if (!gd._wsTicks) {
      if (!isMonths(ax.tickvals)) return;
      gd._wsTicks = {v: ax.tickvals.slice(), t: (ax.ticktext || ax.tickvals).slice()};
    }
    var all = gd._wsTicks, room = Math.max(2, Math.floor((gd.clientWidth || 800) / PX));
    var step = Math.max(1, Math.ceil(all.v.length / room));
    if (gd._wsStep === step) return;
    gd._wsStep = step;
    var keep = function (_, i) { return i % step === 0; };
    Plotly.relayout(gd, {'xaxis.tickvals': all.v.filter(keep), 'xaxis.ticktext': all.t.filter(keep)});
  }
  function fitAll() { document.querySelectorAll('.plotly-graph-div').forEach(fit); }
  var timer = null;
  window.addEventListener('load', fitAll);
  window.addEventListener('resize', function () { clearTimeout(timer); timer = setTimeout(fitAll, 150); });
  window.addEventListener('beforeprint', fitAll);
})();"""


def _plotlyjs_head() -> str:
    """plotly.js (the copy bundled with the plotly package), inline, for the page head, and
    the small script that fits month axes to the screen (:data:`MONTH_LABEL_PX`)."""
    from plotly.offline import get_plotlyjs  # heavy: only when a report is exported

    months = _MONTH_TICKS_JS.replace("PX", str(MONTH_LABEL_PX))
    return (
        "<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
        '</script>\n<script type="text/javascript">' + get_plotlyjs() + "</script>\n"
        '<script type="text/javascript">' + months + "</script>"
    )


@functools.cache
def exporter(language: str) -> Any:
    """nbconvert's HTMLExporter set up for the reports (built once per process/language)."""
    import jinja2  # with nbconvert, heavy: only when a report is exported
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        language_code=language,
        mathjax_url="",
        require_js_url="",
        widget_renderer_url="",
        extra_loaders=[jinja2.FileSystemLoader(str(TEMPLATES))],
        template_file=TEMPLATE_FILE,
    )


def html_ready() -> bool:
    """True once the exporters are built in this process (:func:`warm_html` ran)."""
    return exporter.cache_info().currsize >= len(i18n.LANGUAGES)


def warm_html() -> None:
    """Import nbconvert and compile the report template now (e.g. while a kernel runs)."""
    for language in i18n.LANGUAGES:
        exporter(language).template  # noqa: B018 - compiles the jinja template


def html_report(nb: Any, title: str, language: str) -> str:
    """The executed notebook as an offline, code-free HTML page.

    nbconvert's lab template without code, prompts, require.js, MathJax, mermaid or the
    widget manager; our stylesheet (screen, phone and print: the plotly modebar is hidden in
    print); ``<title>`` = `title`; ``<html lang=language>``. Plotly chart outputs become
    ``<div>`` + ``Plotly.newPlot`` (:func:`plotly_outputs_to_html`) and plotly.js is embedded
    once, in the head, only if there is a chart. `nb` is not modified.
    """
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)
    charts_count = plotly_outputs_to_html(nb)
    body, _ = exporter(language).from_notebook_node(
        nb,
        resources={
            "workshop_css": REPORT_CSS,
            "workshop_version": __version__,
            "workshop_head_js": _plotlyjs_head() if charts_count else "",
            "metadata": {"name": title},
        },
    )
    return make_offline(body)
