"""``workshop summary [PLAN]``: a plan's answers as plain tables in the plan's language.

No kernel, no files written: the quickest way to see what the four step models say about
a plan (platform groups and asset fit, capacity verdict, the first weeks of the editorial
calendar, the ROI summary).

What it prints goes to a terminal, and a terminal acts on escape sequences (colours, cursor
moves, window titles, even "paste this" on some): no text from the plan may carry one.
The schema refuses control characters in names and themes; :func:`render` does not rely on
it (defence in depth) and makes every line of its output one line of printable text
(:func:`workshop.plan.one_line`: ESC, CSI, other controls and text-direction overrides
become U+FFFD, line breaks a space).
"""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd

from workshop import capacity, data, i18n, platforms, roi, schedule
from workshop import plan as plan_mod
from workshop.errors import PlanError
from workshop.plan import one_line as safe


def _table(df: pd.DataFrame) -> str:
    with pd.option_context(
        "display.max_columns", 20, "display.width", 120, "display.max_colwidth", 48
    ):
        return df.to_string(index=False)


def render(plan: plan_mod.Plan, language: str | None = None) -> str:
    """The summary text of `plan` (all four steps) in `language` (default: the plan's)."""
    lang = language or plan.language
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    out: list[str] = [f"== {safe(plan.client.name)} ({safe(plan.client.id)}) ==", ""]

    out.append(f"## 1. {t('summary.platforms')}")
    fit = platforms.asset_fit(plan, lang)
    groups = platforms.classify(lang).set_index("id")
    rows = pd.DataFrame(
        {
            t("summary.col.platform"): fit["name"],
            t("summary.col.group_today"): [groups.loc[i, "group_today_label"] for i in fit["id"]],
            t("summary.col.group_article"): [
                groups.loc[i, "group_article_label"]
                if pd.notna(groups.loc[i, "group_article_label"])
                else "-"
                for i in fit["id"]
            ],
            t("summary.col.score"): [i18n.fmt_number(s, lang, 1) for s in fit["score"]],
            t("summary.col.verdict"): fit["verdict_label"],
        }
    )
    out += [_table(rows), ""]
    out += [f"! {w}" for w in platforms.personal_profile_warnings(plan, lang)]

    out.append(f"## 2. {t('summary.capacity')}")
    assessment = capacity.assess(plan, lang)
    verdict = capacity.verdict_text(assessment)
    out.append(verdict)
    out += [f"- {m}" for m in assessment.messages if m != verdict]
    rec = capacity.recommend(plan, lang).assign(
        included=lambda d: d["included"].map({True: "✓", False: "-"})
    )
    out += [
        _table(
            rec[["name", "included", "reason"]].rename(
                columns={
                    "name": t("summary.col.platform"),
                    "included": t("summary.col.included"),
                    "reason": t("summary.col.reason"),
                }
            )
        ),
        "",
    ]

    out.append(f"## 3. {t('summary.schedule')}")
    cal = schedule.expand(plan, lang)
    first = cal[cal["date"] < plan.start + dt.timedelta(days=14)]
    out.append(t("summary.calendar_count", count=len(cal), months=plan.horizon_months))
    if len(first):
        out.append(
            _table(
                pd.DataFrame(
                    {
                        t("summary.col.date"): [i18n.fmt_date(d, lang) for d in first["date"]],
                        t("summary.col.time"): first["time"],
                        t("summary.col.platform"): first["platform_label"],
                        t("summary.col.content"): first["content_type_label"],
                        t("summary.col.theme"): [safe(x) for x in first["theme"]],
                    }
                )
            )
        )
    out.append("")

    out.append(f"## 4. {t('summary.roi')}")
    out.append(roi.roi_text(plan, lang))
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
