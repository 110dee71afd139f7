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
# # Platforms: Which Networks Can Become an Asset?
#
# Not every social network can carry a business. This notebook sorts the networks by the
# kind of profile they offer, names the most common mistake, and scores how well each one
# can become a **strategic asset** for your business, factor by factor.

# %% [markdown]
# ## Overview
#
# 1. Sort the networks into the article's three groups, beside today's facts (C1).
# 2. Recognise the personal-profile mistake (C2).
# 3. Score each network's fit as a strategic asset, with every factor visible (C3, C4).
# 4. Describe your business with the controls, choose your platforms, and save.

# %% [markdown]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | your plan file | the scores depend on your market, audience and skills | created in [00 Start](00-start.ipynb) |
# | the list of networks you already use | you will compare them with the scores | your own notes |
#
# **Time:** about 35 minutes.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import charts, platforms, results, start, tables, ui
from workshop.ui import facilitator_note, self_check

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 1)  # chỉ trong lớp / in a room only (workshop room)

# %% [markdown]
# ## Three kinds of profile
#
# The article sorts networks by the profile they give a business (C1): **a company page
# separate from personal profiles** (Facebook, LinkedIn), **one profile for a person or a
# business** (YouTube, Twitter/X), and **no company profile** (TikTok, in the article's
# view). The table puts the article's group beside today's, for the platforms your plan
# considers; "changed" marks where the facts have moved.

# %%
tables.groups_table(res)

# %% [markdown]
# The same classification for every network in the toolkit's data: the article's view on
# the left, today's on the right.

# %%
charts.groups_chart(platforms.classify(language), language)

# %%
facilitator_note("platforms_groups", language, facilitator)

# %%
self_check("platforms_youtube_group", language)

# %%
self_check("platforms_tiktok_today", language)

# %% [markdown]
# ## The personal-profile mistake
#
# Running a business as a *personal* profile, to collect friends and likes quickly, is what
# the article calls a known, harmful and disapproved mistake (C2). It is rarer today but
# still seen. Your plan lists where it happens (`platforms.personal_profile_as_company`):

# %%
print(tables.personal_profile_text(res))

# %%
self_check("platforms_personal_profile", language)

# %% [markdown]
# ## Strategic asset or useful channel
#
# An **asset** is something a company owns or controls to gain a future profit or advantage
# (C4). A network becomes a *strategic* asset only if it is designed to promote a business
# like yours (C3). The toolkit turns that into an open score from 0 to 100: six factors,
# each between 0 and 1, weighted and added up. Nothing is hidden; these are the factors:

# %%
tables.factors_table(res)

# %% [markdown]
# Each considered platform's score for your business, best first, with the verdict and the
# strongest and weakest factor. A platform with no company profile is never rated
# decisive, whatever its score (C3).

# %%
tables.fit_table(res)

# %%
charts.asset_fit_chart(platforms.asset_fit(plan, language), language)

# %%
facilitator_note("platforms_fit", language, facilitator)

# %%
self_check("platforms_consumer_asset", language)

# %% [markdown]
# ## Describe your business, choose your platforms
#
# Change your market, audience and team skills: the scores and the chart answer at once.
# Then tick the platforms you choose (three or four at most, as notebook 02 will explain).

# %%
ui.platforms_panel(session)

# %%
facilitator_note("platforms_choose", language, facilitator)

# %% [markdown]
# ## Save your plan
#
# Press **Save** to write your choices to the plan file; notebook 02 starts from it.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Summary
#
# A network is worth building on when it is designed to promote a business like yours and
# your team can feed it. You now have a short list of platforms, each with the reason for
# its score, and a warning wherever a personal profile stands in for a company page.
#
# ### What's next
#
# [02 Capacity](02-capacity.ipynb): how many of these pages your team can really keep alive.

# %% [markdown]
# ## Run information

# %%
tables.run_information(res, plan_path)
