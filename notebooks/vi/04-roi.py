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
# # Lợi tức đầu tư: trang có sinh lời không, và khi nào?
#
# Quản lý trang chỉ có ý nghĩa khi nhắm tới **lợi tức đầu tư** – ROI (C5). Sổ tay này dự báo
# kế hoạch của bạn theo từng tháng, từ người theo dõi đến khách hàng tiềm năng, khách mua và
# tiền, so với chi phí công sức, rồi cho thấy khi nào hòa vốn và con số đó chắc chắn đến đâu.

# %% [markdown]
# ## Tổng quan
#
# 1. Đọc các giả định cùng nguồn của chúng, và thay đổi chúng (thanh trượt).
# 2. Theo dõi khán giả, khách hàng tiềm năng và tiền qua từng tháng (C8, C9).
# 3. Tìm tháng hòa vốn của lợi tức đầu tư lũy kế (C5).
# 4. Thấy mức độ không chắc chắn: ba kịch bản, dải Monte Carlo, và giả định nào quan trọng nhất.

# %% [markdown]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | kế hoạch đã lưu ở cuối sổ tay 03 | nền tảng, nhịp đăng và số giờ quyết định chi phí và tăng trưởng | `plans/<id>.yaml` |
# | giá trị đơn hàng trung bình và biên lợi nhuận gộp | để quy đổi khách hàng thành tiền | sổ sách bán hàng của bạn |
#
# **Thời gian:** khoảng 35 phút.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
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
# ## Các giả định
#
# Mọi con số mô hình sử dụng, kèm giá trị cho kế hoạch của bạn và nguồn gốc: từ kế hoạch
# khi bạn tự đặt, nếu không thì từ số liệu tham khảo đã công bố (đánh dấu là ước tính khi
# không có nguồn tốt). Chi phí quảng cáo bằng 0 trừ khi bạn tự đặt (C9).

# %%
tables.assumptions_table(res)

# %%
facilitator_note("roi_assumptions", language, facilitator)

# %% [markdown]
# ## Đội ngũ của bạn thực sự duy trì được bao nhiêu
#
# Bước 2 đã tính số giờ các trang cần; ở đây số giờ đó được đặt cạnh số giờ đội ngũ thực có
# (C7, C8). Giờ được phân cho các trang phù hợp nhất (điểm tài sản cao nhất) trước; một trang
# cần kỹ năng mà không ai trong đội có (và không có hỗ trợ bên ngoài nào mang lại: mục
# `team.help` trong kế hoạch) sẽ không tạo ra gì; một kỹ năng đội ngũ học được trước tháng M
# (mục `team.learning`) cho trang đó đăng bài từ tháng M. Dự phóng bên dưới tính những gì đội ngũ
# làm được; khi con số đó thấp hơn kế hoạch mong muốn, bảng cho thấy mỗi trang nhận được bao
# nhiêu, và câu bên trên đặt kế hoạch mong muốn cạnh kế hoạch thực hiện được.

# %%
print(tables.delivery_text(res))
tables.delivery_table(res)

# %% [markdown]
# ## Từng tháng một
#
# Tiềm năng chỉ thành hiện thực khi bạn theo kịp nhịp đăng bài và đà tăng người theo dõi
# (C8). Một trang mới bắt đầu với những người bạn mời theo dõi (khách quen, nhân viên, người
# quen) và những người lạ xem bài rồi theo dõi; sau đó người theo dõi tăng theo nhịp đăng bài
# và chậm lại khi tiến gần lượng khán giả tối đa của thị trường bạn phục vụ (một khu phố hay
# cả nước). Số bài mỗi tháng là số bài trong lịch biên tập của bước 3 (ngày lễ, ngày nghỉ,
# tháng bắt đầu giữa chừng); trên Zalo OA, mỗi người quan tâm chỉ nhận số tin broadcast mà
# gói dịch vụ cho phép. Từ lượng khán giả tự nhiên đó sinh ra khách hàng tiềm năng và khách
# mua, không tốn đồng quảng cáo nào (C9); khách hàng tiếp tục mua trong một thời gian tùy thị
# trường, và số tiền họ mang lại được đặt cạnh chi phí công sức, tháng này qua tháng khác:

# %%
projection = roi.project(plan)
charts.audience_chart(projection, language)

# %%
charts.funnel_chart(projection, language)

# %%
charts.revenue_cost_chart(projection, language, plan.currency)

# %% [markdown]
# ## Lợi tức lũy kế và điểm hòa vốn
#
# **Lợi tức đầu tư lũy kế** sau mỗi tháng bằng (lợi nhuận gộp tính đến nay − chi phí tính đến
# nay) ÷ chi phí tính đến nay. Lúc đầu nó âm, vì công sức bỏ ra trước khi có doanh số; **tháng
# hòa vốn** là tháng đầu tiên mà từ đó trở đi nó không còn âm (C5).

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
# ## Chắc chắn đến đâu?
#
# Số liệu tham khảo là những khoảng, không phải sự thật. Bộ công cụ chọn ngẫu nhiên từng giả
# định chưa chắc chắn trong khoảng của nó, hàng nghìn lần: đây là phép thử "nếu… thì…" từ
# các giả định của kế hoạch, không phải dự báo. Trường hợp **trung vị** ở trên là trường hợp
# nằm giữa tất cả các trường hợp đó; trường hợp **thận trọng** kém hơn chín phần mười số
# trường hợp, trường hợp **lạc quan** tốt hơn chín phần mười. Dải màu cho thấy 80 % các
# trường hợp rơi vào đâu (từ p10 đến p90).
#
# Biểu đồ cuối trả lời câu hỏi: giả định nào một mình làm kết quả thay đổi nhiều nhất? Mỗi
# thanh đặt một giả định ở đầu thấp hoặc đầu cao của khoảng, các giả định khác giữ như trong
# trường hợp trung vị. Thanh dài nhất, ở trên cùng, là con số cần đo trước tiên.

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
# ## Thử với số liệu của bạn
#
# Kéo các thanh trượt (giá trị đơn hàng, tăng trưởng, tiếp cận, chuyển đổi...): tháng hòa
# vốn và các biểu đồ thay đổi ngay lập tức.

# %%
ui.roi_panel(session)

# %% [markdown]
# ## Lưu kế hoạch
#
# Bấm **Lưu** để giữ các giả định của bạn: báo cáo cho khách hàng được tạo từ kế hoạch đã lưu.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Tóm tắt
#
# Một trang sinh lời khi nhịp đăng bài và đà tăng người theo dõi được giữ đủ lâu để tiếp cận
# tự nhiên biến thành khách hàng. Giờ bạn đã biết tháng dự kiến hòa vốn, khoảng dao động
# quanh nó, và con số đáng đo đầu tiên.
#
# ### Tiếp theo
#
# Quay lại [00 Bắt đầu](00-start.ipynb) để nhìn toàn cảnh, hoặc nhờ người điều phối tạo báo
# cáo cho khách hàng từ kế hoạch bạn đã lưu (`workshop report plans/<id>.yaml`).

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(res, plan_path)
