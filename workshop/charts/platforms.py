"""Step 1, platforms (C1-C4): the article's profile groups beside today's, and the
strategic-asset fit of each platform."""

from __future__ import annotations

import math

import pandas as pd

from workshop import i18n
from workshop.charts.figure import Draft, Figure, _trace
from workshop.charts.style import _BARE_AXIS, BAD, FACTOR_COLOURS, LIGHT, _name, _t, _wrap, colour
from workshop.markup import plotly_text, plotly_texts
from workshop.platforms import ASSET_THRESHOLD, FACTORS, USEFUL_THRESHOLD


def groups_chart(classify_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """C1 side by side: the article's three profile groups (left) and today's (right).

    Rows are the groups (company page distinct from personal profiles; one profile for a
    person or a business; no company profile), plus a row for platforms the article does
    not cover (left column only). Each platform is a marker in the cell of its group, one
    per line at the same x (the column's left edge + 0.06), its name to the right, so that
    names never run into the other column even on a phone; a row is as tall as its fuller
    cell. A red arrow runs from the article's group to today's where they differ (TikTok),
    and the moved platform's marker is ringed in red. Input:
    :func:`workshop.platforms.classify`.
    """
    groups = ("separate_company_page", "shared_profile", "no_company_profile")
    df = classify_df.reset_index(drop=True)
    silent = "__silent__"
    article = [g if isinstance(g, str) and g in groups else silent for g in df["group_article"]]
    today = [str(g) for g in df["group_today"]]
    rows = list(groups) + ([silent] if silent in article else [])
    per_col = 1  # markers per line inside a cell
    group_labels = [
        _t(f"group.{g}", language) if g != silent else _t("group.silent", language) for g in rows
    ]
    # a row is as tall as its fuller cell, and tall enough for its label's lines
    # (row height = (lines + pad) × 30 px; a label line is about 18 px)
    lines = {
        g: max(
            1,
            math.ceil(max(sum(a == g for a in article), sum(t == g for t in today)) / per_col),
            math.ceil(0.6 * (label.count("<br>") + 1) - 0.5),
        )
        for g, label in zip(rows, group_labels)
    }
    pad = 0.5
    top, band = 0.0, {}
    for g in rows:
        h = lines[g] + pad
        band[g] = (top, top - h)
        top -= h

    def positions(assign: list[str], col: int) -> dict[int, tuple[float, float]]:
        pos: dict[int, tuple[float, float]] = {}
        for g in rows:
            members = [i for i, a in enumerate(assign) if a == g]
            y0 = band[g][0] - pad / 2 - 0.5
            for k, i in enumerate(members):
                pos[i] = (col + 0.06 + 0.47 * (k % per_col), y0 - (k // per_col))
        return pos

    pos_article, pos_today = positions(article, 0), positions(today, 1)
    names = [_name(pid, language) for pid in df["id"]]
    moved = [bool(x) for x in df["article_differs"]]
    fig = Draft()
    for col, pos in ((0, pos_article), (1, pos_today)):
        ids = [i for i in range(len(df)) if i in pos]
        fig.add_trace(
            _trace(
                "scatter",
                x=[pos[i][0] for i in ids],
                y=[pos[i][1] for i in ids],
                mode="markers+text",
                text=[names[i] for i in ids],
                textposition="middle right",
                textfont=dict(size=13),
                marker=dict(
                    size=15,
                    color=[colour(str(df.loc[i, "id"])) for i in ids],
                    line=dict(width=[3 if moved[i] else 0 for i in ids], color=BAD),
                ),
                customdata=[
                    plotly_texts([df.loc[i, "group_article_label"], df.loc[i, "group_today_label"]])
                    for i in ids
                ],
                hovertemplate=(
                    "<b>%{text}</b><br>"
                    + _t("groups.article", language)
                    + ": %{customdata[0]}<br>"
                    + _t("groups.today", language)
                    + ": %{customdata[1]}<extra></extra>"
                ),
                name=_t("groups.article" if col == 0 else "groups.today", language),
                showlegend=False,
                meta={
                    "kind": "article" if col == 0 else "today",
                    "ids": [str(df.loc[i, "id"]) for i in ids],
                },
            )
        )
    for i in range(len(df)):
        if moved[i] and i in pos_article and i in pos_today:
            (x0, y0), (x1, y1) = pos_article[i], pos_today[i]
            # from just above (or below) the article's marker, towards today's: the line
            # leaves the marker's row before it could cross the name written beside it
            lift = 0.38 if y1 > y0 else -0.38 if y1 < y0 else 0.0
            fig.note(
                x=x1 - 0.025,
                y=y1,
                ax=x0 + 0.01,
                ay=y0 + lift,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowsize=1.2,
                arrowwidth=2.5,
                arrowcolor=BAD,
                text="",
                standoff=4,
                startstandoff=4,
            )
    if any(moved):
        fig.note(
            x=1.0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="top",
            yshift=-4,
            showarrow=False,
            align="right",
            text=_wrap(_t("groups.moved_note", language), 44),
            font=dict(size=12, color=BAD),
        )
    shapes = [
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=-0.02,
            x1=2.0,
            y0=band[g][0],
            y1=band[g][0],
            line=dict(color=LIGHT, width=1.5),
        )
        for g in rows[1:]
    ]
    shapes.append(
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=1.0,
            x1=1.0,
            y0=0,
            y1=top,
            line=dict(color="#BBBBBB", width=1.5, dash="dot"),
        )
    )
    fig.shapes.extend(shapes)
    fig.xaxis(
        **_BARE_AXIS,
        range=[-0.02, 2.0],
        tickmode="array",
        tickvals=[0.5, 1.5],
        ticktext=[
            "<b>" + _t("groups.article", language) + "</b>",
            "<b>" + _t("groups.today", language) + "</b>",
        ],
        side="top",
        tickfont=dict(size=15),
    )
    fig.yaxis(
        **_BARE_AXIS,
        range=[top, 0],
        tickmode="array",
        tickvals=[(band[g][0] + band[g][1]) / 2 for g in rows],
        ticktext=group_labels,
        automargin=True,
    )
    height = int(30 * -top) + (150 if title else 110)
    return fig.finish(
        "groups",
        language,
        title,
        height=height,
        showlegend=False,
        margin=dict(t=110 if title else 50, l=20, r=20, b=50),
    )


def asset_fit_chart(fit_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """Strategic-asset fit (C3): one horizontal bar per platform, stacked by factor.

    Each segment is a factor's contribution ``c_<factor>`` in points (100 × weight ×
    factor); the bar's length is the score, written at its end. Best platform at the top.
    Dashed lines mark the thresholds ``strategic asset`` (65) and ``useful`` (45) of
    :mod:`workshop.platforms`, named in an empty band above the bars ("useful" to the left
    of its line, "strategic asset" to the right of its own, so the two names never meet).
    The factors' legend sits above the plot (plotly grows the top margin for its rows), so
    however many rows it wraps into at a narrow width it never meets the x-axis title.
    Input: :func:`workshop.platforms.asset_fit`.
    """
    df = fit_df.reset_index(drop=True).sort_values(
        ["score", "id"], ascending=[True, False], kind="stable"
    )
    names = [_name(p, language) for p in df["id"]]
    fig = Draft()
    for k, factor in enumerate(FACTORS):
        label = plotly_text(i18n.t(f"platforms.factor.{factor}", language))
        fig.add_trace(
            _trace(
                "bar",
                y=names,
                x=df[f"c_{factor}"].astype(float).tolist(),
                orientation="h",
                name=label,
                marker=dict(
                    color=FACTOR_COLOURS[k % len(FACTOR_COLOURS)],
                    line=dict(color="white", width=0.5),
                ),
                customdata=df[f"f_{factor}"].astype(float).tolist(),
                hovertemplate=(
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x:.1f} "
                    + _t("unit.points", language)
                    + " ("
                    + _t("hover.factor", language)
                    + " %{customdata:.0%})<extra></extra>"
                ),
                meta={"kind": "factor", "factor": factor},
            )
        )
    verdicts = plotly_texts(df["verdict_label"]) if "verdict_label" in df else [""] * len(df)
    fig.add_trace(
        _trace(
            "scatter",
            y=names,
            x=df["score"].astype(float).tolist(),
            mode="text",
            text=plotly_texts(i18n.fmt_number(s, language, 1) for s in df["score"]),
            textposition="middle right",
            textfont=dict(size=13, color="#222222"),
            customdata=verdicts,
            hovertemplate=(
                "<b>%{y}</b><br>"
                + _t("hover.score", language)
                + ": %{x:.1f}<br>%{customdata}<extra></extra>"
            ),
            showlegend=False,
            cliponaxis=False,
            meta={"kind": "score"},
        )
    )
    band = len(df) - 0.5  # the bars fill -0.5 .. n-0.5; the names go in the band above
    for value, key, dash, side in (
        (ASSET_THRESHOLD, "fit.asset_line", "dash", "left"),
        (USEFUL_THRESHOLD, "fit.useful_line", "dot", "right"),
    ):
        fig.vline(x=value, line=dict(color="#444444", width=1.5, dash=dash))
        fig.note(
            x=value,
            xshift=4 if side == "left" else -4,
            y=band + 0.55,
            yref="y",
            yanchor="middle",
            xanchor=side,
            align=side,
            showarrow=False,
            text=_wrap(
                i18n.t(f"charts.{key}", language, value=i18n.fmt_number(value, language)), 16
            ),
            font=dict(size=12, color="#444444"),
        )
    fig.xaxis(range=[0, 100], title=dict(text=_t("axis.fit_score", language)))
    fig.yaxis(automargin=True, ticks="", range=[-0.5, band + 1.1])
    height = max(380, 34 * len(df) + 250)
    return fig.finish(
        "asset_fit",
        language,
        title,
        barmode="stack",
        height=height,
        bargap=0.3,
        margin=dict(t=110 if title else 40, b=70),
    )
