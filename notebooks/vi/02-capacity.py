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
# # Năng lực: đội ngũ của bạn duy trì được bao nhiêu trang?
#
# Một trang không được chăm còn tệ hơn không có trang. Sổ tay này cộng số giờ mỗi nền tảng
# đã chọn cần mỗi tuần, so với số giờ đội ngũ thực sự có, kiểm tra kỹ năng mà từng nền tảng
# đòi hỏi, rồi đề xuất một bộ nền tảng mà đội ngũ của bạn theo được lâu dài.

# %% [markdown]
# ## Tổng quan
#
# 1. Ước tính số giờ mỗi tuần mà từng nền tảng đã chọn cần (C7).
# 2. So với số giờ đang có: vừa sức, sát nút hay quá sức (C5).
# 3. Qua bước kiểm tra kỹ năng: không có kỹ năng video thì không mở YouTube (C7).
# 4. Giữ giới hạn ba hoặc bốn trang cho doanh nghiệp vừa và nhỏ (C6).
# 5. Đọc bộ nền tảng được đề xuất, kèm lý do cho từng nền tảng bị loại.

# %% [markdown]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | kế hoạch đã lưu ở cuối sổ tay 01 | trong đó có các nền tảng bạn đã chọn | `plans/<id>.yaml` |
# | số giờ thật mà đội ngũ dành được mỗi tuần | mọi kết luận ở đây đều dựa vào con số này | hỏi chính những người sẽ làm |
# | kỹ năng của đội (viết, chụp ảnh, thiết kế, video...) | có nền tảng không thể chạy nếu thiếu chúng | — |
#
# **Thời gian:** khoảng 35 phút.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import capacity, charts, results, start, tables, ui
from workshop.ui import facilitator_note, self_check

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 2)  # chỉ trong lớp / in a room only (workshop room)

# %% [markdown]
# ## Số giờ mỗi trang cần
#
# **Năng lực** là số giờ đội ngũ dành được cho các trang, tuần này qua tuần khác. Với mỗi
# nền tảng đã chọn, bộ công cụ nhân số bài mỗi tuần (nhịp đăng của bạn, theo kế hoạch biên
# tập, hoặc nhịp thường gặp của nền tảng) với số giờ làm một bài, rồi cộng thời gian trả lời
# bình luận và tin nhắn (C7).

# %%
tables.hours_table(res)

# %% [markdown]
# So với số giờ đội ngũ đang có:

# %%
assessment = capacity.assess(plan, language)
print(capacity.verdict_text(assessment))

# %%
charts.capacity_chart(capacity.hours_needed(plan), assessment, language)

# %%
facilitator_note("capacity_hours", language, facilitator)

# %% [markdown]
# ## Bước kiểm tra kỹ năng
#
# Có những nền tảng không thể duy trì nếu thiếu một kỹ năng: kênh YouTube cần người làm được
# video dài, TikTok cần video ngắn. Mở kênh mà thiếu kỹ năng đó là vô ích (C7). Bảng dưới
# liệt kê kỹ năng bắt buộc của từng nền tảng đã chọn và những gì đội ngũ còn thiếu.

# %%
tables.skills_table(res)

# %%
facilitator_note("capacity_skills", language, facilitator)

# %%
self_check("capacity_youtube_no_video", language, session)

# %% [markdown]
# ## Nhiều nhất ba hoặc bốn trang
#
# Bước đầu tiên theo bài viết là *lọc bớt* (C6): doanh nghiệp vừa và nhỏ không thể quản lý
# quá ba hoặc bốn trang mà vẫn có lời. Vượt quá mức đó, đội ngũ bị đình trệ và bài đăng tiếp
# theo cứ phải chờ.

# %%
print("\n".join([capacity.page_limit_rule(language)] + assessment.messages[1:]))

# %%
self_check("capacity_fifth_page", language, session)

# %%
self_check("capacity_too_many", language)

# %% [markdown]
# ## Bộ nền tảng được đề xuất
#
# Đi lần lượt theo danh sách nền tảng đang cân nhắc, xếp theo điểm phù hợp (sổ tay 01), bộ
# công cụ giữ lại một nền tảng khi đội ngũ có đủ kỹ năng, mức phù hợp ít nhất là “hữu ích”,
# số trang giữ lại chưa đến bốn, và số giờ vẫn còn đủ. Nền tảng nào bị loại cũng có lý do.

# %%
tables.recommend_table(res)

# %%
charts.recommend_chart(capacity.recommend(plan, language), language)

# %%
facilitator_note("capacity_recommend", language, facilitator)

# %% [markdown]
# ## Thử với số liệu của bạn
#
# Đổi số giờ, kỹ năng của đội và các nền tảng đã chọn: kết luận, biểu đồ và đề xuất thay đổi
# ngay lập tức.

# %%
ui.capacity_panel(session)

# %% [markdown]
# ## Lưu kế hoạch
#
# Bấm **Lưu** để giữ lại số giờ, kỹ năng và các nền tảng; sổ tay 03 sẽ bắt đầu từ đó.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Tóm tắt
#
# Ít trang mà được chăm kỹ thì hơn nhiều trang bị bỏ đói. Giờ bạn đã biết lựa chọn của mình
# tốn bao nhiêu giờ mỗi tuần, đội ngũ có đủ giờ và kỹ năng không, và bộ nền tảng mà bộ công
# cụ đề xuất, kèm lý do.
#
# ### Tiếp theo
#
# [03 Lịch đăng](03-schedule.ipynb): kế hoạch truyền thông và lịch biên tập cho các trang bạn
# giữ lại.

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(res, plan_path)
