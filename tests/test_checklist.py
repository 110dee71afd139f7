"""Tests of workshop.checklist: the printable posting checklist as data and as HTML."""

from __future__ import annotations

import datetime as dt
import html.parser

import pytest
from hostile import HOSTILE_TEXTS, hostile_plan, live_markup
from schedulers_plans import NOW, plan_with, rule, slot

from workshop import checklist, markup, preflight
from workshop.plan import validate

OPTS = preflight.Options(now=NOW)


def _plan():
    return plan_with(
        rule("zalo_oa", slot("tue", "broadcast_message", "21:00", "Ưu đãi"), slot("sat")),
        rule("instagram", slot("wed", "story", "19:00", "Góc xưởng")),
        rule("facebook", slot("mon", "photo_post", "08:00", "Món của tuần")),
        rule("linkedin", slot("thu", "article")),  # imported by the schedulers: not here
        rule("whatsapp_business", slot("fri", "text_post", "10:00")),
    )


def test_sections_per_channel_in_order_with_the_posts_by_date():
    sections = checklist.sections(_plan(), "vi", options=OPTS)
    assert [s.platform for s in sections] == [
        "facebook",
        "instagram",
        "zalo_oa",
        "whatsapp_business",
    ]
    assert [s.tool for s in sections] == [
        "meta_business_suite",
        "meta_business_suite",
        "zalo_oa",
        "by_hand",
    ]
    fb = sections[0]
    assert fb.title == "Facebook – lên lịch trong Meta Business Suite"
    assert [i.date for i in fb.items] == sorted(i.date for i in fb.items)
    assert fb.items[0].date_label == "04/01/2027" and fb.items[0].weekday_label == "Thứ Hai"
    assert fb.items[0].content_type_label == "Bài đăng ảnh" and fb.items[0].theme == "Món của tuần"
    untitled = sections[3].items[0].theme
    assert untitled == "Bài viết chữ – WhatsApp Business"  # a title, never an id


def test_zalo_broadcasts_in_the_checklist_follow_the_zalo_rules():
    sections = checklist.sections(_plan(), "en", options=OPTS)
    zalo = next(s for s in sections if s.platform == "zalo_oa")
    broadcasts = [i for i in zalo.items if i.content_type_label == "Broadcast message"]
    assert len(broadcasts) == 1  # Basic package: one a month
    assert broadcasts[0].time == "20:00" and "moved to 20:00" in broadcasts[0].adjusted
    articles = [i for i in zalo.items if i.content_type_label == "Article"]
    assert len(articles) == 3 and all("Basic package" in i.adjusted for i in articles)
    assert "Basic package: 1 a month" in zalo.hint
    premium = checklist.sections(
        _plan(), "en", options=preflight.Options(now=NOW, zalo_package="premium")
    )
    zalo = next(s for s in premium if s.platform == "zalo_oa")
    assert sum(i.content_type_label == "Broadcast message" for i in zalo.items) == 4


def test_personal_profile_is_posted_by_hand():
    plan = plan_with(
        rule("facebook", slot("mon")), platforms={"personal_profile_as_company": ["facebook"]}
    )
    (section,) = checklist.sections(plan, "en", options=OPTS)
    assert section.tool == "by_hand" and section.title == "Facebook – post by hand in the app"


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cells, self._in = 0, [], False

    def handle_starttag(self, tag, attrs):
        self.tables += tag == "table"
        self._in = tag in ("td", "th", "caption")
        if self._in:
            self.cells.append("")

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def test_html_is_one_table_per_channel_with_a_box_per_post():
    sections = checklist.sections(_plan(), "vi", options=OPTS)
    page = checklist.checklist_html(sections, "vi")
    assert isinstance(page, markup.Markup)
    parser = _Cells()
    parser.feed(page)
    assert parser.tables == len(sections)
    posts = sum(len(s.items) for s in sections)
    assert parser.cells.count(checklist.BOX) == posts
    assert "thg 1 2027" in parser.cells  # a heading row per month
    assert "Facebook – lên lịch trong Meta Business Suite" in parser.cells[0]


def test_empty_checklist_says_so():
    plan = plan_with(rule("linkedin", slot("tue", "article")))
    sections = checklist.sections(plan, "en", options=OPTS)
    assert sections == []
    assert "No post to publish by hand." in checklist.checklist_html(sections, "en")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_themes_are_text_not_markup(hostile, language):
    plan = validate(hostile_plan(hostile, language))
    options = preflight.Options(now=dt.datetime(2026, 12, 1))
    sections = checklist.sections(plan, language, options=options)
    assert sections  # facebook, instagram, zalo_oa
    fragment = checklist.checklist_html(sections, language)
    assert live_markup(fragment) == []
    assert markup.escape(hostile) in fragment  # the reader still sees the text
    page = checklist.page(plan, sections, language)
    assert live_markup(page) == []
    assert "<script" not in page.lower() and "<link" not in page.lower()


def test_page_is_a_printable_document():
    plan = _plan()
    page = checklist.page(plan, checklist.sections(plan, "vi", options=OPTS), "vi")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert '<meta charset="utf-8">' in page and "break-inside: avoid" in page
    assert "<h1>Danh sách đăng bài – Cà phê &quot;Sáng&quot; &amp; &lt;Co&gt;</h1>" in page
