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
# # Schedule: Communication Plan and Editorial Calendar
#
# A page is not mandatory; a plan is (C10). This notebook builds the two plans the article
# asks for: the **communication plan**, month by month across every channel, and inside it
# the **editorial plan** of each platform, day by day, ready to import into a calendar.

# %% [markdown]
# ## Overview
#
# 1. Place the pages inside a plan rather than the other way round (C10).
# 2. Read and fill the communication plan: months × channels, assets (C11).
# 3. Turn each platform's editorial rules into a dated calendar, renewed every month or two (C12).
# 4. See it as a month view and a timeline, and export it (CSV, iCalendar).

# %% [markdown]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | your plan, saved at the end of 02 | it holds the platforms you keep and the team's hours | `plans/<id>.yaml` |
# | the big dates of your year (launches, seasons, Tết) | they shape the communication plan | your own calendar |
#
# **Time:** about 35 minutes.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import charts, results, schedule, start, tables, ui
from workshop.ui import facilitator_note, self_check

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 3)  # chỉ trong lớp / in a room only (workshop room)

# %% [markdown]
# ## The communication plan
#
# Having a Facebook, Instagram or LinkedIn page is not mandatory; what is appropriate is an
# editorial plan, and before it a communication plan, for the network you chose (C10).
#
# The **communication plan** covers every level of marketing (website, social media,
# advertising, newsletter), written month by month: which content is created
# (infographics, ebooks, videos...), when it launches and where it is carried. It is
# planned per semester or per year (C11). Your plan, months down and channels across:

# %%
schedule.communication_grid(plan, language)

# %%
charts.communication_chart(schedule.communication_plan(plan, language), language)

# %%
facilitator_note("schedule_communication", language, facilitator)

# %%
self_check("schedule_comm_scope", language)

# %% [markdown]
# ## The editorial plan
#
# The **editorial plan** belongs to each single tool: what goes out on Tuesday, and on
# Friday? Each platform gets weekly slots (day, time, content type, theme), and the plan is
# renewed every month or two so it follows the market and new trends (C12). Public
# holidays and your blackout days are left out. The first two weeks:

# %%
tables.calendar_table(res)

# %% [markdown]
# When each platform's editorial plan comes up for renewal:

# %%
tables.renewals_table(res)

# %% [markdown]
# The first month at a glance (days with slots left out are shaded and named), then the
# whole horizon as a timeline (a diamond marks each renewal):

# %%
calendar_df = schedule.expand(plan, language)
charts.calendar_month_chart(calendar_df, plan.start.year, plan.start.month, language,
                            skipped_df=schedule.skipped(plan, language))

# %%
charts.timeline_chart(calendar_df, language, renewals=schedule.renewal_dates(plan, language))

# %% [markdown]
# Slots left out (public holidays and blackout days), with the reason:

# %%
tables.skipped_table(res)

# %%
facilitator_note("schedule_editorial", language, facilitator)

# %%
self_check("schedule_renewal", language)

# %%
self_check("schedule_tuesday", language)

# %% [markdown]
# ## Build your own
#
# Fill the communication grid, set each platform's weekday slots and renewal period, and
# export the calendar as CSV or iCalendar (Google Calendar and Outlook import it).

# %%
ui.schedule_panel(session)

# %%
facilitator_note("schedule_export", language, facilitator)

# %% [markdown]
# ## Save your plan
#
# Press **Save** to keep the communication plan and the editorial rules; notebook 04 prices
# them.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Summary
#
# The communication plan says what the business says, month by month, on every channel;
# the editorial plan says what each page publishes, day by day, and is renewed often. You
# now have both, and a calendar your team can import.
#
# ### What's next
#
# [04 Return on investment](04-roi.ipynb): what this calendar costs and what it can bring.

# %% [markdown]
# ## Run information

# %%
tables.run_information(res, plan_path)
