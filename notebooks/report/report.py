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
# workshop.report.sections with them, shown by workshop.report.notebook.show. The HTML export hides the code. Edit report.py (jupytext
# percent) and regenerate report.ipynb with
# `.venv/bin/jupytext --to ipynb notebooks/report/report.py`.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # plan file
plan_name: str = ""  # file name the report shows ("": plan_path) / tên tệp báo cáo hiển thị
language: str = ""  # "" means the language of the plan

# %%
from workshop.report import notebook, sections
from workshop.results import Results

plan, lang = notebook.setup(plan_path, language)
res = Results(plan, lang)  # every model result of the plan, computed once for all the cells

# %%
notebook.show(sections.title_page(res))

# %%
notebook.show(sections.summary(res))

# %%
notebook.show(sections.platforms_section(res))

# %%
notebook.show(sections.capacity_section(res))

# %%
notebook.show(sections.schedule_section(res))

# %%
notebook.show(sections.roi_section(res))

# %%
notebook.show(sections.assumptions_section(res))

# %%
notebook.show(sections.run_info(res, plan_path=plan_name or plan_path, language_param=language))
