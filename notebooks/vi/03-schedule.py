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
# # Lịch đăng: kế hoạch truyền thông và lịch biên tập
#
# Trang thì không bắt buộc; kế hoạch thì có (C10). Sổ tay này xây dựng hai kế hoạch mà bài
# viết yêu cầu: **kế hoạch truyền thông**, theo từng tháng trên mọi kênh, và bên trong nó là
# **kế hoạch biên tập** của từng nền tảng, theo từng ngày, sẵn sàng nhập vào lịch.

# %% [markdown]
# ## Tổng quan
#
# 1. Đặt các trang vào trong một kế hoạch, chứ không làm ngược lại (C10).
# 2. Đọc và điền kế hoạch truyền thông: tháng × kênh, các nội dung chính (C11).
# 3. Biến quy tắc biên tập của từng nền tảng thành lịch có ngày cụ thể, làm mới mỗi một hoặc hai tháng (C12).
# 4. Xem lịch theo tháng và theo dòng thời gian, rồi xuất ra tệp (CSV, iCalendar).

# %% [markdown]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | kế hoạch đã lưu ở cuối sổ tay 02 | trong đó có các nền tảng bạn giữ lại và số giờ của đội | `plans/<id>.yaml` |
# | các mốc lớn trong năm (ra mắt sản phẩm, mùa vụ, Tết) | chúng định hình kế hoạch truyền thông | lịch của chính bạn |
#
# **Thời gian:** khoảng 35 phút.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
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
# ## Kế hoạch truyền thông
#
# Có trang Facebook, Instagram hay LinkedIn không phải là bắt buộc; điều phù hợp là một kế
# hoạch biên tập, và trước đó là một kế hoạch truyền thông, cho mạng xã hội bạn đã chọn (C10).
#
# **Kế hoạch truyền thông** bao trùm mọi cấp độ tiếp thị (website, mạng xã hội, quảng cáo,
# bản tin), viết ra theo từng tháng: làm nội dung gì (infographic, ebook, video...), khi nào
# ra mắt và đăng ở đâu. Kế hoạch này được lập cho sáu tháng hoặc một năm (C11). Kế hoạch của
# bạn, tháng theo hàng dọc, kênh theo hàng ngang:

# %%
schedule.communication_grid(plan, language)

# %%
charts.communication_chart(schedule.communication_plan(plan, language), language)

# %%
facilitator_note("schedule_communication", language, facilitator)

# %%
self_check("schedule_comm_scope", language)

# %% [markdown]
# ## Kế hoạch biên tập
#
# **Kế hoạch biên tập** thuộc về từng kênh riêng lẻ: thứ Ba đăng gì, thứ Sáu đăng gì? Mỗi
# nền tảng có các khung đăng hằng tuần (thứ, giờ, loại nội dung, chủ đề), và kế hoạch được
# làm mới mỗi một hoặc hai tháng để theo kịp thị trường và xu hướng mới (C12). Ngày lễ và
# những ngày bạn tạm nghỉ được bỏ qua. Hai tuần đầu tiên:

# %%
tables.calendar_table(res)

# %% [markdown]
# Khi nào kế hoạch biên tập của từng nền tảng đến hạn làm mới:

# %%
tables.renewals_table(res)

# %% [markdown]
# Tháng đầu tiên trong một cái nhìn (ngày có khung đăng bị bỏ qua được tô màu và ghi tên),
# rồi cả thời hạn kế hoạch trên dòng thời gian (hình thoi đánh dấu mỗi lần làm mới):

# %%
calendar_df = schedule.expand(plan, language)
charts.calendar_month_chart(calendar_df, plan.start.year, plan.start.month, language,
                            skipped_df=schedule.skipped(plan, language))

# %%
charts.timeline_chart(calendar_df, language, renewals=schedule.renewal_dates(plan, language))

# %% [markdown]
# Các khung đăng bị bỏ qua (ngày lễ và ngày tạm nghỉ), kèm lý do:

# %%
tables.skipped_table(res)

# %%
facilitator_note("schedule_editorial", language, facilitator)

# %%
self_check("schedule_renewal", language)

# %%
self_check("schedule_tuesday", language)

# %% [markdown]
# ## Tự xây dựng kế hoạch của bạn
#
# Điền bảng kế hoạch truyền thông, đặt các khung đăng theo thứ trong tuần và chu kỳ làm mới
# cho từng nền tảng, rồi xuất lịch ra CSV hoặc iCalendar (Google Calendar và Outlook đều
# nhập được).

# %%
ui.schedule_panel(session)

# %%
facilitator_note("schedule_export", language, facilitator)

# %% [markdown]
# ## Lưu kế hoạch
#
# Bấm **Lưu** để giữ kế hoạch truyền thông và các quy tắc biên tập; sổ tay 04 sẽ tính chi
# phí và lợi ích của chúng.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Tóm tắt
#
# Kế hoạch truyền thông cho biết doanh nghiệp nói gì, từng tháng, trên mọi kênh; kế hoạch
# biên tập cho biết mỗi trang đăng gì, từng ngày, và được làm mới thường xuyên. Giờ bạn đã
# có cả hai, cùng một lịch mà đội ngũ có thể nhập vào máy.
#
# ### Tiếp theo
#
# [04 Lợi tức đầu tư](04-roi.ipynb): lịch đăng này tốn bao nhiêu và có thể mang lại gì.

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(res, plan_path)
