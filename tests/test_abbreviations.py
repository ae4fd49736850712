"""<abbr title> at the first use of each abbreviation, counted from the lead."""

from plugins.abbreviations.abbreviations import mark_first_uses


def test_mark_first_uses_marks_only_the_first_occurrence():
    pending = {"BĐBP": "Bộ đội Biên phòng"}
    html = mark_first_uses("<p>BĐBP tỉnh và BĐBP xã.</p>", pending)
    assert html == '<p><abbr title="Bộ đội Biên phòng">BĐBP</abbr> tỉnh và BĐBP xã.</p>'
    assert pending == {}  # a term marked in the lead is not marked again in the body


def test_mark_first_uses_matches_whole_words_only():
    html = mark_first_uses("<p>ĐBPX và ĐBP.</p>", {"ĐBP": "Đồn Biên phòng"})
    assert html == '<p>ĐBPX và <abbr title="Đồn Biên phòng">ĐBP</abbr>.</p>'


def test_mark_first_uses_handles_terms_with_ampersand():
    html = mark_first_uses(
        "<p>Lực lượng PCMT&amp;TP.</p>", {"PCMT&TP": "phòng, chống ma túy và tội phạm"}
    )
    assert '<abbr title="phòng, chống ma túy và tội phạm">PCMT&amp;TP</abbr>' in html


def test_mark_first_uses_skips_captions_and_links():
    html = '<figure><figcaption>BĐBP</figcaption></figure><p><a href="/">BĐBP</a> rồi BĐBP.</p>'
    marked = mark_first_uses(html, {"BĐBP": "Bộ đội Biên phòng"})
    assert marked.count("<abbr") == 1
    assert "rồi <abbr" in marked
