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
# # Bắt đầu: trang doanh nghiệp là tài sản chiến lược
#
# Buổi học này giúp doanh nghiệp vừa và nhỏ trả lời ba câu hỏi: **nên duy trì những trang
# mạng xã hội nào, với đội ngũ mình thực sự có, và liệu chúng có mang lại lợi nhuận không**.
# Cuối buổi, bạn mang về một tệp kế hoạch của riêng mình: các nền tảng đã chọn, số giờ cần
# bỏ ra, kế hoạch truyền thông, lịch biên tập và dự báo lợi tức đầu tư.

# %% [markdown]
# ## Tổng quan
#
# Trong sổ tay này, bạn sẽ:
#
# 1. xem buổi học diễn ra thế nào, qua từng sổ tay;
# 2. đọc tóm tắt lập luận của bài viết làm nền cho buổi học;
# 3. làm quen với các nút điều khiển tương tác (widget) và các câu hỏi tự kiểm tra;
# 4. tạo tệp kế hoạch của riêng bạn, từ một ví dụ có sẵn hoặc từ đầu.

# %% [markdown]
# ## Trước khi bắt đầu
#
# | bạn cần | để làm gì | ở đâu |
# |---|---|---|
# | một doanh nghiệp cụ thể (của bạn hoặc của khách hàng) | mọi bước đều lập kế hoạch cho doanh nghiệp đó | — |
# | ước lượng sơ bộ số giờ đội ngũ dành được mỗi tuần | bước 02 so sánh con số này với số giờ các trang cần | ước lượng của chính bạn |
# | không cần cài đặt gì | bộ công cụ đã được cài sẵn | — |
#
# **Thời gian:** khoảng 30 phút.

# %% [markdown] tags=["lab-only"]
# Chạy lần lượt từng ô từ trên xuống bằng **Shift + Enter**.

# %% tags=["parameters"]
plan_path: str = "../../data/clients/demo-cafe.yaml"  # tệp kế hoạch / plan file: plans/<id>.yaml
language: str = "vi"  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"
facilitator: bool = False  # True: hiện ghi chú người điều phối / show facilitator notes

# %%
from workshop import results, start, tables, ui
from workshop.ui import facilitator_note, self_check, start_panel

start.setup_notebook()
session = start.open_session(plan_path, language, facilitator, allow_new=True)
plan = session.plan
res = results.Results(plan, language)  # kết quả tính một lần / the results, computed once

# %%
ui.room_bar(session, 0)  # chỉ trong lớp / in a room only (workshop room)

# %%
facilitator_note("start_welcome", language, facilitator)

# %% [markdown]
# ## Buổi học này là gì
#
# Năm sổ tay ngắn, mỗi sổ tay một bước, và bước nào cũng kết thúc bằng việc lưu kế hoạch:
#
# | sổ tay | câu hỏi cần trả lời | thời gian |
# |---|---|---|
# | 00 Bắt đầu (sổ tay này) | lập luận là gì, và kế hoạch của tôi ở đâu? | 30 phút |
# | 01 Nền tảng | mạng xã hội nào có thể thành *tài sản* của doanh nghiệp tôi? | 35 phút |
# | 02 Năng lực | đội ngũ của tôi thực sự duy trì được bao nhiêu trang? | 35 phút |
# | 03 Lịch đăng | đăng gì, khi nào, ở đâu? | 35 phút |
# | 04 Lợi tức đầu tư | có lời không, và khi nào? | 35 phút |
#
# Sổ tay nào cũng cho xem kết quả cho kế hoạch của bạn trước, dưới dạng bảng hoặc biểu đồ
# bình thường, rồi mới đến các nút điều khiển để thử lựa chọn khác. Kế hoạch của bạn chỉ
# được ghi lại khi bạn bấm **Lưu**.

# %% [markdown]
# ## Lập luận của bài viết
#
# Buổi học đi theo một bài viết về **trang doanh nghiệp trên mạng xã hội như một tài sản
# chiến lược**. Lập luận của bài, theo thứ tự:
#
# **Ba nhóm mạng xã hội (C1).** Các mạng khác nhau ở loại hồ sơ dành cho doanh nghiệp:
# Facebook và LinkedIn có trang doanh nghiệp tách biệt với hồ sơ cá nhân; trên YouTube và
# Twitter, một hồ sơ dùng cho cá nhân hay doanh nghiệp gần như không khác gì nhau; còn những
# mạng như TikTok, theo bài viết, hoàn toàn không có hồ sơ doanh nghiệp. Mở sự hiện diện của
# công ty trên Facebook dưới dạng *hồ sơ cá nhân* để dễ có “lượt thích” là một sai lầm quen
# thuộc và có hại (C2).
#
# **Tài sản, hay chỉ là một kênh (C3, C4).** Bài viết định nghĩa: *“tài sản là thứ có thể
# được sở hữu hoặc kiểm soát bởi một công ty nhằm mục đích thu được lợi nhuận hoặc lợi thế
# trong tương lai”*. Mạng xã hội chỉ trở thành tài sản chiến lược khi nó được thiết kế để
# quảng bá doanh nghiệp; kênh chỉ dành cho người tiêu dùng thì nhiều nhất là hữu ích, không
# bao giờ mang tính quyết định.
#
# **Lợi tức đầu tư, trong phạm vi năng lực thật (C5-C7).** Quản lý trang là phát triển
# trang với mục tiêu **lợi tức đầu tư** (ROI). Theo bài viết, *“một doanh nghiệp và đặc biệt
# là một doanh nghiệp vừa và nhỏ không thể nghĩ đến việc quản lý nhiều hơn ba hoặc bốn trang
# xã hội nhằm đạt được ROI”*; làm nhiều hơn thì bài đăng tiếp theo cứ bị hoãn mãi. Hãy chọn
# với cái nhìn tỉnh táo về năng lực thật của đội ngũ: mở kênh YouTube mà không có nguồn lực
# làm video là vô ích.
#
# **Giữ nhịp, và phần thưởng (C8, C9).** Tiềm năng chỉ thành hiện thực khi doanh nghiệp theo
# kịp nhịp đăng nội dung và đà tăng người theo dõi. Phần thưởng: doanh số và khách hàng tiềm
# năng từ lượng khán giả tự nhiên, *không cần chi tiền quảng cáo*. Khó, nhưng không phải
# không thể.
#
# **Kế hoạch trước, trang sau (C10-C12).** Không trang nào là bắt buộc. Điều quan trọng là
# **kế hoạch truyền thông** (mọi cấp độ tiếp thị, theo từng tháng, lập cho sáu tháng hoặc
# một năm) và bên trong nó là **kế hoạch biên tập** cho từng kênh (thứ Ba đăng gì, thứ Sáu
# đăng gì), được làm mới mỗi một hoặc hai tháng.
#
# Một lưu ý: thực tế đã thay đổi từ khi bài viết ra đời. TikTok, Instagram và YouTube nay có
# tài khoản doanh nghiệp, còn Zalo Official Account chính là một trang doanh nghiệp. Sổ tay
# 01 đặt quan điểm của bài viết và thực tế hôm nay cạnh nhau.

# %%
facilitator_note("start_article", language, facilitator)

# %% [markdown]
# ### Tự kiểm tra
#
# Chọn một đáp án, bấm **Kiểm tra câu trả lời** và đọc phần giải thích: phần này nói rõ *vì
# sao*, dù bạn trả lời đúng hay sai. Bạn có thể xem lời giải bất cứ lúc nào.

# %%
self_check("start_asset", language)

# %%
self_check("start_page_limit", language)

# %%
self_check("start_mandatory", language)

# %% [markdown] tags=["lab-only"]
# ## Cách dùng các sổ tay
#
# - **Chạy một ô** bằng Shift + Enter; **Run > Run All Cells** chạy cả sổ tay.
# - **Kết quả trước.** Mỗi phần hiển thị kết quả cho kế hoạch dưới dạng bảng hoặc biểu đồ.
#   Đây cũng là những gì báo cáo in ra sẽ có.
# - **Rồi đến các nút điều khiển.** Thanh trượt, ô nhập và nút bấm tính lại ngay lập tức.
#   Nhập sai thì một thông báo ngắn hiện ra tại chỗ; không có gì bị hỏng.
# - **Ô tham số** ở gần đầu (`plan_path`, `language`, `facilitator`) là ô duy nhất bạn có
#   thể sửa tay: trỏ `plan_path` tới kế hoạch của bạn và chọn ngôn ngữ. Sổ tay tiếng Việt
#   nằm trong `notebooks/vi/`, tiếng Anh trong `notebooks/en/`; cả hai chạy cùng một mã.

# %% [markdown]
# ## Kế hoạch của bạn
#
# **Kế hoạch** là một tệp YAML nhỏ: doanh nghiệp là ai, đội ngũ, các nền tảng, kế hoạch
# truyền thông và biên tập, các giả định để tính ROI. Sổ tay nào cũng đọc tệp này, và ghi
# lại khi bạn bấm **Lưu**. Các ví dụ có sẵn trong bộ công cụ:

# %%
start.examples_table(language)

# %% [markdown]
# Kế hoạch đang được mở:

# %%
tables.plan_table(res)

# %%
facilitator_note("start_plan", language, facilitator)

# %% [markdown]
# ### Tạo tệp kế hoạch của riêng bạn

# %% [markdown] tags=["lab-only"]
# Chọn một ví dụ để bắt đầu (hoặc một kế hoạch trống), gõ tên doanh nghiệp rồi bấm **Tạo tệp
# kế hoạch của tôi**. Tệp được tạo trong thư mục `plans/` cạnh sổ tay này và luôn là một tệp
# mới: nếu đã có người dùng tên đó, tệp của bạn sẽ mang một tên khác (ví dụ
# `plans/quan-cua-toi-2.yaml`), và thông báo sẽ cho biết tệp nào là của bạn. Sau đó ghi
# đường dẫn của tệp vào ô tham số của các sổ tay tiếp theo, ví dụ
# `plan_path: str = "plans/quan-cua-toi.yaml"`. Quay lại với kế hoạch đã tạo từ trước? Gõ
# tên tệp đó rồi bấm **Tiếp tục kế hoạch đã có**.

# %%
start_panel(language, session=session)

# %% [markdown]
# ## Tóm tắt
#
# Ý chính của bài viết nói thì dễ, làm mới khó: một trang chỉ đáng duy trì khi nó là tài
# sản, nhắm tới lợi tức, nằm trong năng lực thật của đội ngũ, và có kế hoạch. Giờ bạn đã có
# tệp kế hoạch để đi tiếp qua bốn sổ tay sau.
#
# ### Tiếp theo
#
# Mở [01 Nền tảng](01-platforms.ipynb): mạng xã hội nào có thể thành tài sản của doanh
# nghiệp bạn.

# %% [markdown]
# ## Thông tin lần chạy

# %%
tables.run_information(res, plan_path)
