# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# Client report template (run by `workshop report`; papermill injects the parameters).
# Every word the client reads comes from the catalogue (workshop/locales/*/report.yaml),
# so this one template serves Vietnamese and English. Each cell is one call into
# workshop.report_view; the HTML export hides the code. Edit report.py (jupytext percent)
# and regenerate report.ipynb with `.venv/bin/jupytext --to ipynb notebooks/report/report.py`.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # plan file
plan_name: str = ""  # file name the report shows ("": plan_path) / tên tệp báo cáo hiển thị
language: str = ""  # "" means the language of the plan

# %%
from workshop import report_view
from workshop.report_view import show

plan, lang = report_view.setup(plan_path, language)

# %%
show(report_view.title_page(plan, lang))

# %%
show(report_view.summary(plan, lang))

# %%
show(report_view.platforms_section(plan, lang))

# %%
show(report_view.capacity_section(plan, lang))

# %%
show(report_view.schedule_section(plan, lang))

# %%
show(report_view.roi_section(plan, lang))

# %%
show(report_view.assumptions_section(plan, lang))

# %%
show(report_view.run_info(plan, lang, plan_path=plan_name or plan_path, language_param=language))
