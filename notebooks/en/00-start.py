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
# # Start: Company Pages as Strategic Assets
#
# This workshop helps a small or medium-sized business decide **which social pages are worth
# running, with the team it really has, and whether they will pay**. You leave with a plan
# file of your own: the platforms you chose, the hours they need, a communication plan, an
# editorial calendar and a return-on-investment projection.

# %% [markdown]
# ## Overview
#
# In this notebook you will:
#
# 1. see how the workshop runs, notebook by notebook;
# 2. read the argument of the article the workshop is built on, in a few paragraphs;
# 3. learn how the interactive controls (widgets) and the self-checks work;
# 4. create your own plan file, from an example or from scratch.

# %% [markdown]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | one business in mind (yours, or a client's) | every step plans for that business | — |
# | a rough idea of the hours your team can give each week | step 02 compares it with what the pages need | your own estimate |
# | nothing to install | the toolkit is already set up | — |
#
# **Time:** about 30 minutes.

# %% [markdown] tags=["lab-only"]
# Run the cells from top to bottom with **Shift + Enter**.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import results, start, tables, ui
from workshop.ui import facilitator_note, self_check, start_panel

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator, allow_new=True)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 0)  # chỉ trong lớp / in a room only (workshop room)

# %%
facilitator_note("start_welcome", language, facilitator)

# %% [markdown]
# ## What this workshop is
#
# Five short notebooks, one per step, each ending with your plan saved:
#
# | notebook | the question it answers | time |
# |---|---|---|
# | 00 Start (this one) | what is the argument, and where is my plan? | 30 min |
# | 01 Platforms | which networks can become an *asset* for my business? | 35 min |
# | 02 Capacity | how many pages can my team really keep alive? | 35 min |
# | 03 Schedule | what do we publish, when, and where? | 35 min |
# | 04 Return on investment | does it pay, and when? | 35 min |
#
# Every notebook first shows the result for your plan as an ordinary table or chart, then
# offers controls to try other choices. Nothing is written to your plan until you press
# **Save**.

# %% [markdown]
# ## The article's argument
#
# The workshop follows one article (in Vietnamese) on **company pages on social networks as
# strategic assets**. Its argument, in order:
#
# **Three kinds of network (C1).** Networks differ by the profile they offer a business:
# Facebook and LinkedIn have a company page distinct from personal profiles; on YouTube and
# Twitter one profile serves a person or a business almost alike; networks such as TikTok,
# in the article's view, had no company profile at all. Opening a company's Facebook
# presence as a *personal* profile to collect easy likes is a known, harmful mistake (C2).
#
# **An asset, or just a channel (C3, C4).** An **asset** is something a company owns or
# controls to gain a future profit or advantage. A network becomes a strategic asset only
# if it is designed to promote a business; a medium made only for consumers is useful at
# most, never decisive.
#
# **Return on investment, within real capacity (C5-C7).** Managing pages means growing them
# with a view to a **return on investment** (ROI). An SME cannot manage more than three or
# four pages and still get a return; try more and the next post is postponed again and
# again. Choose with a critical view of the team's real capacity: a YouTube channel
# without the means to make videos is useless.
#
# **Pace, and the prize (C8, C9).** The potential becomes real only if the company keeps
# pace with publishing and with the growth of its fans. The prize: sales and leads from an
# organic audience, *without spending on advertising*. Hard, but not impossible.
#
# **Plans before pages (C10-C12).** No page is mandatory. What matters is a
# **communication plan** (every level of marketing, month by month, per semester or year)
# and, inside it, an **editorial plan** for each tool (what goes out on Tuesday, and on
# Friday), renewed every month or two.
#
# One caution: facts have moved since the article. TikTok, Instagram and YouTube now offer
# business accounts, and Zalo's Official Account is a company page. Notebook 01 shows the
# article's view and today's facts side by side.

# %%
facilitator_note("start_article", language, facilitator)

# %% [markdown]
# ### Check yourself
#
# Pick an answer, press **Check my answer**, and read the explanation: it says *why*, for
# right and wrong answers alike. The solution can be revealed at any time.

# %%
self_check("start_asset", language)

# %%
self_check("start_page_limit", language)

# %%
self_check("start_mandatory", language)

# %% [markdown] tags=["lab-only"]
# ## How the notebooks work
#
# - **Run a cell** with Shift + Enter; **Run > Run All Cells** runs the whole notebook.
# - **Results first.** Each section shows the result for the plan as a table or chart.
#   These are what a printed report shows, too.
# - **Then the controls.** Sliders, boxes and buttons re-compute at once. Invalid input
#   shows a short message in place; nothing breaks.
# - **The parameters cell** near the top (`plan_path`, `language`, `facilitator`) is the
#   only cell you may edit by hand: point `plan_path` at your own plan, and choose the
#   language. The Vietnamese notebooks are in `notebooks/vi/`, the English ones in
#   `notebooks/en/`; both run the same code.

# %% [markdown]
# ## Your plan
#
# A **plan** is one small YAML file: who the business is, the team, the platforms, the
# communication and editorial plans, and the ROI assumptions. Every notebook reads it, and
# saves it back when you press **Save**. The examples that come with the toolkit:

# %%
start.examples_table(language)

# %% [markdown]
# The plan loaded now:

# %%
tables.plan_table(res)

# %%
facilitator_note("start_plan", language, facilitator)

# %% [markdown]
# ### Create your own plan file

# %% [markdown] tags=["lab-only"]
# Choose an example to start from (or a blank plan), type your business's name, and press
# **Create my plan file**. The file is created under `plans/` next to this notebook, and it
# is always a new file: if someone already has a plan of that name, yours gets another name
# (e.g. `plans/my-shop-2.yaml`), and the message says which file is yours. Then put its path
# in the parameters cell of the next notebooks, e.g. `plan_path: str = "plans/my-shop.yaml"`.
# Coming back to a plan you already made? Type its file name and press **Continue my
# existing plan**.

# %%
start_panel(language, session=session)

# %% [markdown]
# ## Summary
#
# The article's claim is simple to state and hard to live by: a page is worth running only
# as an asset, with a view to a return, within the team's real capacity, and under a plan.
# You now have a plan file to carry that through the next four notebooks.
#
# ### What's next
#
# Open [01 Platforms](01-platforms.ipynb): which networks can become an asset for your
# business.

# %% [markdown]
# ## Run information

# %%
tables.run_information(res, plan_path)
