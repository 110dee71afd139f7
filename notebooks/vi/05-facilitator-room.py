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
# # Cả phòng: kế hoạch của mọi học viên trong một bảng
#
# Dành cho người điều phối: một bảng duy nhất với lựa chọn, kết luận về năng lực và tháng
# hòa vốn của từng học viên, đọc từ thư mục nơi cả phòng lưu kế hoạch. Một kế hoạch lỗi không
# bao giờ làm hỏng cả bảng; nó được liệt kê kèm các lỗi để bạn cùng học viên sửa.

# %% [markdown]
# ## Tổng quan
#
# 1. Đếm số kế hoạch trong phòng và bao nhiêu kế hoạch vừa với số giờ của đội ngũ.
# 2. So sánh nền tảng, năng lực và tháng hòa vốn của từng học viên.
# 3. Liệt kê những kế hoạch chưa dùng được, kèm tên từng lỗi.

# %% [markdown] tags=["lab-only"]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | thư mục nơi học viên lưu kế hoạch | sổ tay này đọc mọi tệp `*.yaml` trong đó | ví dụ thư mục `plans/` dùng chung |
#
# Đặt `plans_dir` trong ô tham số (hoặc `papermill -p plans_dir <thư mục>`).
# **Thời gian:** khoảng 10 phút, trong lần giải lao cuối.

# %% tags=["parameters"]
plans_dir: str = "../../data/clients"  # thư mục kế hoạch của cả lớp / folder of the room plans
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
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
# ## Cả phòng trong một câu

# %%
print(room.counts_text(summary_df, language))

# %% [markdown]
# ## Từng kế hoạch
#
# Mỗi tệp kế hoạch một dòng: các nền tảng đã chọn, số giờ cần so với số giờ đội ngũ có (sổ
# tay 02), và tháng hòa vốn theo dự báo kỳ vọng (sổ tay 04).

# %%
tables.room_table(summary_df, language)

# %% [markdown]
# ## Kế hoạch cần sửa
#
# Mỗi lỗi được gọi tên theo đường dẫn của trường (ví dụ `team.hours_per_week`), bằng ngôn
# ngữ đã chọn ở trên.

# %%
tables.problems_table(summary_df, language)

# %% [markdown]
# ## Tóm tắt
#
# Những kế hoạch quá sức hoặc không bao giờ hòa vốn là những kế hoạch cần bàn trước tiên:
# thường là thừa một trang, hoặc số giờ được tính quá rộng rãi.
#
# ### Tiếp theo
#
# Tạo báo cáo cho mọi học viên từ cùng thư mục bằng một lệnh: `workshop report <plans_dir>`.

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(None, plans_dir, language)
