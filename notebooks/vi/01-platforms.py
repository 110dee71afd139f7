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
# # Nền tảng: mạng xã hội nào có thể thành tài sản?
#
# Không phải mạng xã hội nào cũng “gánh” được việc kinh doanh. Sổ tay này xếp các mạng theo
# loại hồ sơ chúng dành cho doanh nghiệp, chỉ ra sai lầm hay gặp nhất, và chấm điểm mức độ
# mỗi mạng có thể trở thành **tài sản chiến lược** của doanh nghiệp bạn, theo từng yếu tố.

# %% [markdown]
# ## Tổng quan
#
# 1. Xếp các mạng xã hội vào ba nhóm của bài viết, đặt cạnh thực tế hôm nay (C1).
# 2. Nhận ra sai lầm dùng hồ sơ cá nhân thay cho trang doanh nghiệp (C2).
# 3. Chấm điểm mức phù hợp để thành tài sản chiến lược của từng mạng, thấy rõ từng yếu tố (C3, C4).
# 4. Mô tả doanh nghiệp bằng các nút điều khiển, chọn nền tảng, rồi lưu lại.

# %% [markdown]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | tệp kế hoạch của bạn | điểm số phụ thuộc vào thị trường, khách hàng và kỹ năng của bạn | tạo ở [00 Bắt đầu](00-start.ipynb) |
# | danh sách các mạng bạn đang dùng | để so với điểm số | ghi chú của bạn |
#
# **Thời gian:** khoảng 35 phút.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
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
# ## Ba loại hồ sơ
#
# Bài viết xếp các mạng theo loại hồ sơ dành cho doanh nghiệp (C1): **trang doanh nghiệp
# tách biệt với hồ sơ cá nhân** (Facebook, LinkedIn), **một hồ sơ dùng chung cho cá nhân
# hoặc doanh nghiệp** (YouTube, Twitter/X), và **không có hồ sơ doanh nghiệp** (TikTok, theo
# bài viết). Bảng dưới đặt nhóm theo bài viết cạnh nhóm hiện nay, cho các nền tảng mà kế
# hoạch của bạn đang cân nhắc; “đã thay đổi” đánh dấu chỗ thực tế đã khác đi.

# %%
tables.groups_table(res)

# %% [markdown]
# Cùng cách phân loại cho mọi mạng trong dữ liệu của bộ công cụ: quan điểm của bài viết bên
# trái, thực tế hôm nay bên phải.

# %%
charts.groups_chart(platforms.classify(language), language)

# %%
facilitator_note("platforms_groups", language, facilitator)

# %%
self_check("platforms_youtube_group", language)

# %%
self_check("platforms_tiktok_today", language)

# %% [markdown]
# ## Sai lầm dùng hồ sơ cá nhân
#
# Vận hành doanh nghiệp bằng *hồ sơ cá nhân* để nhanh có bạn bè và lượt thích là điều bài
# viết gọi là sai lầm quen thuộc, có hại và bị phản đối (C2). Ngày nay hiếm hơn nhưng vẫn còn
# gặp. Kế hoạch của bạn ghi lại những nơi còn mắc lỗi này
# (`platforms.personal_profile_as_company`):

# %%
print(tables.personal_profile_text(res))

# %%
self_check("platforms_personal_profile", language)

# %% [markdown]
# ## Tài sản chiến lược hay kênh hữu ích
#
# **Tài sản** là thứ doanh nghiệp sở hữu hoặc kiểm soát để thu lợi nhuận hay lợi thế trong
# tương lai (C4). Một mạng xã hội chỉ trở thành tài sản *chiến lược* khi nó được thiết kế
# để quảng bá một doanh nghiệp như của bạn (C3). Bộ công cụ biến điều đó thành một điểm số
# công khai từ 0 đến 100: sáu yếu tố, mỗi yếu tố từ 0 đến 1, nhân trọng số rồi cộng lại.
# Không có gì giấu kín; đây là các yếu tố:

# %%
tables.factors_table(res)

# %% [markdown]
# Điểm của từng nền tảng đang cân nhắc cho doanh nghiệp của bạn, cao nhất ở trên, kèm đánh
# giá và yếu tố mạnh nhất, yếu nhất. Nền tảng không có hồ sơ doanh nghiệp không bao giờ được
# xếp là quyết định, dù điểm cao đến đâu (C3).

# %%
tables.fit_table(res)

# %%
charts.asset_fit_chart(platforms.asset_fit(plan, language), language)

# %%
facilitator_note("platforms_fit", language, facilitator)

# %%
self_check("platforms_consumer_asset", language)

# %% [markdown]
# ## Mô tả doanh nghiệp, chọn nền tảng
#
# Đổi thị trường, nhóm khách hàng và kỹ năng của đội: điểm số và biểu đồ thay đổi ngay. Sau
# đó đánh dấu các nền tảng bạn chọn (nhiều nhất ba hoặc bốn, sổ tay 02 sẽ giải thích vì sao).

# %%
ui.platforms_panel(session)

# %%
facilitator_note("platforms_choose", language, facilitator)

# %% [markdown]
# ## Lưu kế hoạch
#
# Bấm **Lưu** để ghi các lựa chọn vào tệp kế hoạch; sổ tay 02 sẽ bắt đầu từ đó.

# %%
ui.save_panel(session)

# %% [markdown]
# ## Tóm tắt
#
# Một mạng xã hội đáng để xây dựng khi nó được thiết kế để quảng bá doanh nghiệp như của bạn
# và đội ngũ của bạn nuôi được nó. Giờ bạn đã có danh sách ngắn các nền tảng, mỗi nền tảng
# kèm lý do cho điểm số, và cảnh báo ở những nơi hồ sơ cá nhân đang thay cho trang doanh
# nghiệp.
#
# ### Tiếp theo
#
# [02 Năng lực](02-capacity.ipynb): đội ngũ của bạn thực sự duy trì được bao nhiêu trang.

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(res, plan_path)
