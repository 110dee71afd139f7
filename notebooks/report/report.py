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

# %% [markdown] tags=["remove-cell"]
# Client report template (run by `workshop report`; papermill injects the parameters).
# Every word the client reads comes from the catalogue (workshop/locales/*/report.yaml),
# so this one template serves Vietnamese and English. The setup cell computes the plan's
# results once (workshop.results.Results); each later cell is one call into
# workshop.report_view with them. The HTML export hides the code. Edit report.py (jupytext
# percent) and regenerate report.ipynb with
# `.venv/bin/jupytext --to ipynb notebooks/report/report.py`.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # plan file
plan_name: str = ""  # file name the report shows ("": plan_path) / tên tệp báo cáo hiển thị
language: str = ""  # "" means the language of the plan

# %%
from workshop import report_view
from workshop.report_view import show
from workshop.results import Results

plan, lang = report_view.setup(plan_path, language)
res = Results(plan, lang)  # every model result of the plan, computed once for all the cells

# %%
show(report_view.title_page(res))

# %%
show(report_view.summary(res))

# %%
show(report_view.platforms_section(res))

# %%
show(report_view.capacity_section(res))

# %%
show(report_view.schedule_section(res))

# %%
show(report_view.roi_section(res))

# %%
show(report_view.assumptions_section(res))

# %%
show(report_view.run_info(res, plan_path=plan_name or plan_path, language_param=language))
