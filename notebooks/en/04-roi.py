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
# # Return on Investment: Does the Page Pay, and When?
#
# Managing pages only makes sense with a view to a **return on investment** (C5). This
# notebook projects your plan month by month, from followers to leads, customers and
# money, against the cost of the work, and shows when it breaks even and how sure we can be.

# %% [markdown]
# ## Overview
#
# 1. Read the assumptions, with their sources, and change them (sliders).
# 2. Follow the audience, the leads and the money month by month (C8, C9).
# 3. Find the break-even month of the cumulative return on investment (C5).
# 4. See the uncertainty: three scenarios, a Monte Carlo band, and which input matters most.

# %% [markdown]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | your plan, saved at the end of 03 | its platforms, cadence and hours drive the cost and the growth | `plans/<id>.yaml` |
# | your average order value and gross margin | they turn customers into money | your sales records |
#
# **Time:** about 35 minutes.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import charts, results, roi, start, tables, ui
from workshop.ui import facilitator_note, self_check

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 4)  # chỉ trong lớp / in a room only (workshop room)

# %% [markdown]
# ## The assumptions
#
# Every number the model uses, with its value for your plan and where it comes from: your
# plan when you set it, otherwise a published benchmark (marked as an estimate where no
# good source exists). Advertising is zero unless you set it (C9).

# %%
tables.assumptions_table(res)

# %%
facilitator_note("roi_assumptions", language, facilitator)

# %% [markdown]
# ## What your team can keep up
#
# Step 2 counted the hours your pages need; here they meet the hours your team has (C7,
# C8). The hours go to the pages with the best asset fit first; a page whose required skill
# nobody has (and no outside help brings: `team.help` in the plan) produces nothing; a
# skill the team learns by month M (`team.learning`) lets its page post from month M. The
# projection below counts what the team can deliver; when that is less than the plan asks,
# the table shows what each page gets, and the sentence gives the plan as asked beside it.

# %%
print(tables.delivery_text(res))
tables.delivery_table(res)

# %% [markdown]
# ## Month by month
#
# The potential becomes real only if you keep pace with publishing and with the growth of
# your fans (C8). A new page starts with the people you invite to follow it (customers,
# staff, contacts) and the strangers who see its posts and follow; then followers grow with
# the posting pace and slow down as they approach the audience of the market you serve (a
# neighbourhood or a whole country). The posts of each month are those of your dated
# calendar from step 3 (holidays, blackout days, a mid-month start); on Zalo OA a follower
# receives only the broadcasts your package allows. From that organic audience come leads
# and customers, without a euro (or a đồng) of advertising (C9); customers keep buying for
# a while that depends on your market, and the money they bring is set against the cost of
# the work, month by month:

# %%
projection = roi.project(plan)
charts.audience_chart(projection, language)

# %%
charts.funnel_chart(projection, language)

# %%
charts.revenue_cost_chart(projection, language, plan.currency)

# %% [markdown]
# ## Cumulative return and break-even
#
# The **cumulative return on investment** after each month is (gross profit so far − cost
# so far) ÷ cost so far. It starts negative, because the work comes before the sales; the
# **break-even month** is the first month from which it stays at zero or above (C5).

# %%
print(roi.roi_text(plan, language))
charts.roi_chart(projection, roi.summary(plan, projection), language)

# %%
facilitator_note("roi_projection", language, facilitator)

# %%
self_check("roi_keep_going", language, session)

# %%
self_check("roi_no_ads", language)

# %% [markdown]
# ## How sure can we be?
#
# Benchmarks are ranges, not facts. The toolkit draws every uncertain assumption at random
# within its range, thousands of times: a what-if from your plan's assumptions, not a
# forecast. The **central** case above is the one in the middle of all those cases (the
# median); the **conservative** case is worse than nine in ten of them, the **optimistic**
# case better than nine in ten. The band shows where 80 % of the cases fall (p10 to p90).
#
# The last chart asks which single input moves the result most: each bar sets one input to
# the low or high end of its range, all others as in the central case. The widest bar, on
# top, is the number to measure first.

# %%
tables.scenarios_table(res)

# %%
charts.scenario_chart(res.scenarios, res.monte_carlo, language)

# %%
charts.break_even_chance_chart(res.break_even_share, res.projection, language)

# %%
charts.break_even_dots_chart(res.break_even_share, res.projection, language)

# %%
charts.tornado_chart(roi.sensitivity(plan, language), language, currency=plan.currency)

# %%
facilitator_note("roi_uncertainty", language, facilitator)

# %%
self_check("roi_pace", language)

# %% [markdown]
# ## Try your own numbers
#
# Move the sliders (order value, growth, reach, conversion...): the break-even month and
# the charts follow at once.

# %%
ui.roi_panel(session)

# %% [markdown]
# ## Save your plan
#
# Press **Save** to keep your assumptions: the client report is built from the saved plan.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Summary
#
# A page pays when the pace of publishing and the fan growth hold long enough for organic
# reach to turn into customers. You now have the month it should break even, the range
# around it, and the one number worth measuring first.
#
# ### What's next
#
# Back to [00 Start](00-start.ipynb) for the whole picture, or ask your facilitator for the
# client report built from your saved plan (`workshop report plans/<id>.yaml`).

# %% [markdown]
# ## Run information

# %%
tables.run_information(res, plan_path)
