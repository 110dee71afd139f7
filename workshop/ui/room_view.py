"""The facilitator's live view of a room (notebook 05 served by ``workshop room``).

:class:`RoomView` reads the room's plans and progress (:mod:`workshop.room_kernel`) and
redraws itself every `refresh` seconds: who has reached which step, the platforms chosen
(counts), the hours gap (hours the team has minus hours the chosen pages need, per plan),
the break-even months, and the plans with problems, one row per problem in the room's
language (:func:`workshop.tables.problems_table`). A projector mode shows no names.

The same numbers as notebook 05's static tables: :func:`workshop.room.summarise` computes
every row; this module only counts and draws them. Everything a participant wrote is
escaped (:func:`workshop.ui.base.table_html`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from workshop import i18n, room, room_kernel, tables
from workshop.ui.base import _esc, table_html

BAR = "#0969da"


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"room.view.{key}", language, **values)


def with_progress(summary: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """`summary` (one row per plan file) with each participant's step (``step``, -1 when
    unknown), ordered by step then business name."""
    steps = {pid: p["step"] for pid, p in room_kernel.progress(folder).items()}
    out = summary.copy()
    out["step"] = [steps.get(Path(f).stem, -1) for f in out["file"]]
    return out.sort_values(["step", "client"], ascending=[False, True]).reset_index(drop=True)


def hours_gap_bins(summary: pd.DataFrame) -> list[tuple[str, int]]:
    """The hours gap (available − needed, h/week) of the valid plans, in five bins."""
    valid = summary[summary["valid"]]
    gap = (valid["hours_available"] - valid["hours_needed"]).astype(float)
    edges = [(-1e9, -5, "< −5"), (-5, 0, "−5…0"), (0, 5, "0…5"), (5, 10, "5…10"), (10, 1e9, "≥ 10")]
    return [(label, int(((gap >= lo) & (gap < hi)).sum())) for lo, hi, label in edges]


def break_even_bins(summary: pd.DataFrame, language: str) -> list[tuple[str, int]]:
    """The break-even month of the valid plans: months 1-3, 4-6, 7-12, later or never."""
    valid = summary[summary["valid"]]
    months = valid["break_even_month"]
    bins = [("1–3", 1, 3), ("4–6", 4, 6), ("7–12", 7, 12), ("13+", 13, 10**6)]
    out = [(f"{label}", int(months.between(lo, hi).sum())) for label, lo, hi in bins]
    out.append((_t("never", language), int(months.isna().sum())))
    return out


def platform_counts(summary: pd.DataFrame) -> list[tuple[str, int]]:
    """How many valid plans chose each platform (display names), most chosen first."""
    counter: Counter[str] = Counter()
    for text in summary.loc[summary["valid"], "platforms"]:
        counter.update(p.strip() for p in str(text).split(",") if p.strip())
    return counter.most_common()


def bars_html(title: str, rows: list[tuple[str, int]], language: str) -> str:
    """A small bar chart in HTML (readable on a projector, no plotting library)."""
    top = max((n for _, n in rows), default=0) or 1
    lines = []
    for label, n in rows:
        width = round(100 * n / top)
        lines.append(
            '<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
            f'<span style="flex:0 0 9em;text-align:right">{_esc(label)}</span>'
            f'<span style="flex:1 1 auto"><span style="display:inline-block;height:14px;'
            f'width:{width}%;background:{BAR}"></span></span>'
            f'<span style="flex:0 0 2em">{n}</span></div>'
        )
    body = "".join(lines) or f"<div>{_esc(_t('none', language))}</div>"
    return (
        '<div class="workshop-room-bars" style="flex:1 1 260px;min-width:240px">'
        f"<h4 style='margin:6px 0'>{_esc(title)}</h4>{body}</div>"
    )


def participants_table(summary: pd.DataFrame, language: str, projector: bool) -> str:
    """One row per participant: step, business (or "participant N" on the projector),
    platforms, capacity, break-even."""
    rows = []
    for n, row in enumerate(summary.itertuples(), start=1):
        name = _t("anonymous", language, n=n) if projector else (row.client or row.file)
        step = (
            _t("step_unknown", language)
            if row.step < 0
            else i18n.t(f"room.step.{row.step}", language)
        )
        rows.append(
            [
                step,
                name,
                row.platforms if row.valid else "—",
                row.verdict_label if row.valid else "—",
                row.break_even_label if row.valid else i18n.t("room.invalid", language),
            ]
        )
    ids = ["step", "client", "platforms", "verdict_label", "break_even_month"]
    headers = [_t("col.step", language)] + [i18n.t(f"room.col.{k}", language) for k in ids[1:]]
    df = tables.table(pd.DataFrame(rows, columns=headers))
    return table_html(df)


class RoomView(widgets.VBox):
    """The live room: ``projector`` (Checkbox), ``status`` (HTML: counts and time),
    ``body`` (HTML: the charts and tables); :meth:`refresh` redraws, and a task redraws
    every `refresh` seconds while the page is open (``refresh=0``: only on request)."""

    def __init__(self, folder: Path, language: str, refresh: float = 10.0, **kwargs: Any):
        self.folder = Path(folder)
        self.language = language
        self.interval = refresh
        self.projector = widgets.Checkbox(
            value=False, description=_t("projector", language), indent=False
        )
        self.refresh_button = widgets.Button(
            layout=widgets.Layout(width="auto"), description=_t("refresh", language), icon="refresh"
        )
        self.status = widgets.HTML()
        self.body = widgets.HTML()
        self.body.add_class("workshop-room-view")
        self.projector.observe(lambda _c: self.refresh(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        super().__init__(
            [widgets.HBox([self.projector, self.refresh_button]), self.status, self.body], **kwargs
        )
        self.summary = pd.DataFrame()
        self.refresh()
        self._task = None
        if refresh > 0:
            try:
                self._task = asyncio.get_event_loop().create_task(self._loop())
            except RuntimeError:  # no running loop (a plain script): refresh on request only
                self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.refresh()

    def refresh(self) -> None:
        """Read the room's folder again and redraw."""
        lang = self.language
        summary = with_progress(room.summarise(self.folder / room_kernel.PLANS, lang), self.folder)
        self.summary = summary
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.status.value = (
            f"<div><b>{_esc(room.counts_text(summary, lang))}</b></div>"
            f'<div style="color:#57606a;font-size:12px">'
            f"{_esc(_t('updated', lang, time=now, seconds=int(self.interval)))}</div>"
        )
        steps = Counter(int(s) for s in summary["step"] if s >= 0)
        step_rows = [(i18n.t(f"room.step.{n}", lang), steps.get(n, 0)) for n in range(5)]
        charts = "".join(
            [
                bars_html(_t("steps", lang), step_rows, lang),
                bars_html(_t("platforms", lang), platform_counts(summary), lang),
                bars_html(_t("hours_gap", lang), hours_gap_bins(summary), lang),
                bars_html(_t("break_even", lang), break_even_bins(summary, lang), lang),
            ]
        )
        problems = tables.problems_table(summary, lang)
        if self.projector.value and not isinstance(problems, str):
            problems = problems.drop(columns=problems.columns[0])
        problems_html = (
            f"<p>{_esc(problems)}</p>" if isinstance(problems, str) else table_html(problems)
        )
        self.body.value = (
            f'<div style="display:flex;flex-wrap:wrap;gap:16px">{charts}</div>'
            f"<h4>{_esc(_t('participants', lang))}</h4>"
            f"{participants_table(summary, lang, self.projector.value)}"
            f"<h4>{_esc(_t('problems', lang))}</h4>{problems_html}"
        )


def room_view(plans_dir: str, language: str, refresh: float = 10.0) -> widgets.Widget | None:
    """Notebook 05's live view in a room, for the facilitator only (the secret in the
    page's URL); None outside a room (the notebook's static tables then read `plans_dir`)."""
    folder = room_kernel.folder()
    if folder is None:
        return None
    if not room_kernel.facilitator_ok(folder):
        return widgets.HTML(
            f'<div class="workshop-error" style="color:#b42318">'
            f"{_esc(i18n.t('room.facilitator_only', language))}</div>"
        )
    return RoomView(folder, language, refresh)
