# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Capacity: How Many Pages Can Your Team Keep Alive?
#
# A page that is not fed is worse than no page. This notebook adds up the hours each chosen
# platform needs every week, compares them with the hours your team really has, checks the
# skills each platform demands, and recommends a set your team can sustain.

# %% [markdown]
# ## Overview
#
# 1. Estimate the weekly hours each chosen platform needs (C7).
# 2. Compare them with the hours available: fits, tight, or over (C5).
# 3. Pass the skills gate: no video skills, no YouTube (C7).
# 4. Respect the limit of three or four pages for an SME (C6).
# 5. Read the recommended set, with the reason for every platform left out.

# %% [markdown]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | your plan, saved at the end of 01 | it holds the platforms you chose | `plans/<id>.yaml` |
# | an honest count of the team's hours per week | every verdict here depends on it | ask the people who will do the work |
# | the team's skills (writing, photos, design, video...) | some platforms cannot run without them | — |
#
# **Time:** about 35 minutes.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import capacity, charts, results, start, tables, ui
from workshop.ui import facilitator_note, self_check

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 2)  # chỉ trong lớp / in a room only (workshop room)

# %% [markdown]
# ## Hours each page needs
#
# **Capacity** is the hours a team can put into its pages, week after week. For each chosen
# platform the toolkit multiplies the posts per week (your cadence, your editorial plan, or
# the platform's typical cadence) by the hours one post takes, then adds the time to answer
# comments and messages (C7).

# %%
tables.hours_table(res)

# %% [markdown]
# Against the hours your team has:

# %%
assessment = capacity.assess(plan, language)
print(capacity.verdict_text(assessment))

# %%
charts.capacity_chart(capacity.hours_needed(plan), assessment, language)

# %%
facilitator_note("capacity_hours", language, facilitator)

# %% [markdown]
# ## The skills gate
#
# Some platforms cannot be kept up without a skill: a YouTube channel needs people who can
# make long videos, TikTok short ones. Opening a channel without them is useless (C7). The
# table lists each chosen platform's required skills and what the team lacks.

# %%
tables.skills_table(res)

# %%
facilitator_note("capacity_skills", language, facilitator)

# %%
self_check("capacity_youtube_no_video", language, session)

# %% [markdown]
# ## Three or four pages at most
#
# The article's first move is a *skim* (C6): an SME cannot manage more than three or four
# pages and still get a return. Beyond that, the team stalls and the next post waits.

# %%
print("\n".join([capacity.page_limit_rule(language)] + assessment.messages[1:]))

# %%
self_check("capacity_fifth_page", language, session)

# %%
self_check("capacity_too_many", language)

# %% [markdown]
# ## The recommended set
#
# Going down the list of considered platforms by asset fit (notebook 01), the toolkit keeps
# a platform when the team has its skills, its fit is at least "useful", fewer than four
# pages are kept so far, and its hours still fit. Every platform left out gets its reason.

# %%
tables.recommend_table(res)

# %%
charts.recommend_chart(capacity.recommend(plan, language), language)

# %%
facilitator_note("capacity_recommend", language, facilitator)

# %% [markdown]
# ## Try your own numbers
#
# Change the team's hours and skills, and the chosen platforms: the verdict, the chart and
# the recommendation follow at once.

# %%
ui.capacity_panel(session)

# %% [markdown]
# ## Save your plan
#
# Press **Save** to keep the team's hours, skills and platforms; notebook 03 starts from them.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Summary
#
# Fewer pages, well fed, beat many pages left hungry. You now know how many hours your
# choice costs each week, whether your team has them and the skills it needs, and which set
# the toolkit would recommend, with its reasons.
#
# ### What's next
#
# [03 Schedule](03-schedule.ipynb): the communication plan and the editorial calendar for
# the pages you keep.

# %% [markdown]
# ## Run information

# %%
tables.run_information(res, plan_path)
