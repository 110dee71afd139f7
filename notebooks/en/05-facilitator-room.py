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
# # The Room: Every Participant's Plan at a Glance
#
# For the facilitator: one table with every participant's choices, capacity verdict and
# break-even month, read from the folder where the room saves its plans. A broken plan
# never stops the table; it is listed with its problems so you can fix it together.

# %% [markdown]
# ## Overview
#
# 1. Count the plans in the room and how many fit the team's hours.
# 2. Compare every participant's platforms, capacity and break-even month.
# 3. List the plans that cannot be used yet, with every problem named.

# %% [markdown] tags=["lab-only"]
# ## Before you start
#
# | you need | why | where |
# |---|---|---|
# | the folder where participants save their plans | this notebook reads every `*.yaml` in it | e.g. a shared `plans/` folder |
#
# Set `plans_dir` in the parameters cell (or `papermill -p plans_dir <folder>`).
# **Time:** about 10 minutes, during the last break.

# %% tags=["parameters"]
plans_dir: str = "../../data/clients"  # thư mục kế hoạch của cả lớp / folder of the room plans
language: str = "en"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = True  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import room, start, tables
from workshop.ui import facilitator_note, room_view

start.setup_notebook()
summary_df = room.summarise(room.plans_dir_for(plans_dir), language)

# %%
room_view(plans_dir, language)  # chỉ trong lớp / in a room only (workshop room): live

# %%
facilitator_note("room_overview", language, facilitator)

# %% [markdown]
# ## The room in one sentence

# %%
print(room.counts_text(summary_df, language))

# %% [markdown]
# ## Every plan
#
# One row per plan file: the platforms chosen, the hours they need against the hours the
# team has (notebook 02), and the month the expected projection breaks even (notebook 04).

# %%
tables.room_table(summary_df, language)

# %% [markdown]
# ## Plans to fix
#
# Each problem is named by its field path (for example `team.hours_per_week`), in the
# language chosen above.

# %%
tables.problems_table(summary_df, language)

# %% [markdown]
# ## Summary
#
# Plans that are over capacity or never break even are the ones to discuss first: usually
# one page too many, or hours that were counted too generously.
#
# ### What's next
#
# Build every participant's report from the same folder in one command:
# `workshop report <plans_dir>`.

# %% [markdown]
# ## Run information

# %%
tables.run_information(None, plans_dir, language)
