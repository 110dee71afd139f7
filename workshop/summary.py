"""``workshop summary [PLAN]``: a plan's answers as plain tables in the plan's language.

No kernel, no files written: the quickest way to see what the four step models say about
a plan (platform groups and asset fit, capacity verdict, the first weeks of the editorial
calendar, the ROI and the scenarios), as the notebooks and the report show them: the same
tables (:mod:`workshop.tables`), printed as text.

What it prints goes to a terminal, and a terminal acts on escape sequences (colours, cursor
moves, window titles, even "paste this" on some): no text from the plan may carry one.
The schema refuses control characters in names and themes; :func:`render` does not rely on
it (defence in depth): every table cell and every line of its output is one line of
printable text
(:func:`workshop.plan.one_line`: ESC, CSI, other controls and text-direction overrides
become U+FFFD, line breaks a space).
"""

from __future__ import annotations

import sys

from workshop import capacity, data, i18n, roi, tables
from workshop import plan as plan_mod
from workshop.errors import PlanError
from workshop.plan import one_line as safe
from workshop.results import Results


def render(plan: plan_mod.Plan, language: str | None = None) -> str:
    """The summary text of `plan` (all four steps) in `language` (default: the plan's): the
    tables of :mod:`workshop.tables` (:meth:`~workshop.tables.Table.to_text`) and the
    models' sentences, from one :class:`~workshop.results.Results`."""
    res = Results(plan, language)
    lang, a = res.language, res.assessment
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    verdict = capacity.verdict_text(a)
    out: list[str] = [f"== {plan.client.name} ({plan.client.id}) ==", ""]
    out += [f"## 1. {t('summary.platforms')}"]
    out += [tables.groups_table(res).select("platform", "group_today", "group_article").to_text()]
    out += [tables.fit_table(res).select("platform", "score", "verdict").to_text(), ""]
    out += [f"! {w}" for w in res.personal_profile_warnings]
    out += [f"## 2. {t('summary.capacity')}", verdict]
    out += [f"- {m}" for m in a.messages if m != verdict]
    out += [tables.recommend_table(res).select("platform", "included", "reason").to_text(), ""]
    out += [f"## 3. {t('summary.schedule')}"]
    out += [t("summary.calendar_count", count=len(res.calendar), months=plan.horizon_months)]
    first = tables.calendar_table(res, days=14)
    out += [first.to_text(), ""] if len(first) else [""]
    out += [f"## 4. {t('summary.roi')}", tables.delivery_text(res)]
    if res.delivery.limited:
        out += [tables.delivery_table(res).to_text()]
    out += [roi.roi_text(plan, lang, projection=res.projection, result=res.summary)]
    out += [tables.scenarios_table(res).to_text()]
    as_of = ", ".join(f"{k} {v.isoformat()}" for k, v in data.as_of().items())
    out += ["", t("summary.data_as_of", as_of=as_of)]
    # every line, whatever it holds, is one line of printable text (see module docstring)
    return "\n".join(safe(line) for part in out for line in str(part).split("\n"))


def run_cli(path: str | None, language: str | None) -> int:
    """Print the summary of the plan at `path` (default: the demo plan); exit status."""
    try:
        plan = plan_mod.load(path or data.demo_plan(), language=language)
    except PlanError as err:
        print(err, file=sys.stderr)
        return 2
    print(render(plan, language))
    return 0
