"""Article HTML packed in memory is shown unchanged, after every plugin's change, and keyed."""

from __future__ import annotations

import copy
from datetime import datetime

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from plugins.packed_content.packed_content import pack_waiting, wait_to_pack
from plugins.site_writer.page_keys import Fingerprints

BODY = (
    "<p>– Sáng 28/11, Bộ đội Biên phòng (BĐBP) tỉnh tổ chức hội nghị tổng kết.</p>"
    '<p><abbr title="Bộ đội Biên phòng">BĐBP</abbr> tuần tra trên tuyến biên giới.</p>'
) * 20


def _article(html: str, slug: str = "hoi-nghi") -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": "Hội nghị", "slug": slug, "date": datetime(2022, 11, 28, 7)}
    return Article(html, metadata=metadata, settings=settings)


def test_packed_article_shows_the_same_html_and_holds_it_compressed():
    article = _article(BODY)
    wait_to_pack(article)
    pack_waiting()
    assert article._content == ""
    assert article.content == BODY
    packed = article._get_content.data
    assert len(packed) * 3 < len(BODY.encode("utf-8"))


def test_changes_made_after_an_article_is_read_are_packed_with_it():
    first, second = _article("<p>bản đầu</p>"), _article("<p>bài sau</p>", "bai-sau")
    wait_to_pack(first)
    assert first._content == "<p>bản đầu</p>"  # not packed while plugins may still run on it
    first._content = "<p>bản đầu, đã sửa bởi plugin chạy sau</p>"
    wait_to_pack(second)  # the next article is read: the first one is complete
    assert first._content == "" and first.content == "<p>bản đầu, đã sửa bởi plugin chạy sau</p>"
    pack_waiting()  # reading ends
    assert second.content == "<p>bài sau</p>"


def test_page_keys_see_a_change_of_packed_html():
    same, changed, again = _article(BODY), _article(BODY + "<p>Đính chính</p>"), _article(BODY)
    for article in (same, changed, again):
        wait_to_pack(article)
    pack_waiting()
    prints = Fingerprints()
    assert prints.of(same) != prints.of(changed)
    assert prints.of(same) == prints.of(again)
