"""Extraction on pages written like ward portals write them, and on hostile ones."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.extract import MAX_PARSE_BYTES, extract
from indexer.extract.charset import decode_html
from indexer.extract.dates import parse_date
from indexer.extract.fields import strip_site_suffix
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing
from tinphuong.config import Selectors

URL = "https://bennghe.example.gov.vn/tin-tuc/ra-quan-don-dep.html"
UTF8 = [("Content-Type", "text/html; charset=utf-8")]
TITLE = "Phường ra quân dọn dẹp vệ sinh môi trường"
TODAY = date(2026, 11, 25)
TONES = "\u0300\u0301\u0303\u0309\u0323"


def run(html: str | bytes, headers=UTF8, url: str = URL, selectors: Selectors | None = None):
    body = html.encode("utf-8") if isinstance(html, str) else html
    return extract(body, url, headers, selectors, today=TODAY)


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def to_cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: letters with their quality mark, the tone as a combining character."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            tones = "".join(c for c in decomposed if c in TONES)
            out += (base + tones).encode("cp1258")
    return bytes(out)


# --- a whole article page ------------------------------------------------------------------------------

def test_ward_article_fields_and_clean_body():
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS))

    assert result.title == TITLE
    assert result.date == date(2023, 3, 16)
    assert result.author == "Nguyễn Thị Hoà"
    assert result.category == "Tin tức - Sự kiện"
    paragraphs = result.text.split("\n\n")
    assert paragraphs[:3] == CLEANUP_PARAGRAPHS
    for chrome in ("Trang chủ", "Tin mới", "Tin liên quan", "Chia sẻ", "Lượt xem", "Bản quyền", "mã theo dõi",
                   "Lịch tiếp công dân", "Hội nghị sơ kết", "window.dataLayer", "float: right", "Tìm kiếm"):
        assert chrome not in result.text, chrome


def test_text_is_nfc_with_whitespace_collapsed():
    decomposed = unicodedata.normalize("NFD", "Người dân   tham gia\n\t đông đủ, " + "ý kiến đóng góp " * 12)
    result = run(ward_article(TITLE, [decomposed]))
    assert result.text.startswith("Người dân tham gia đông đủ, ý kiến")
    assert unicodedata.is_normalized("NFC", result.text) and "  " not in result.text


def test_metadata_fields_win_over_generic_ones():
    head = ('<meta property="og:title" content="Ra quân vì môi trường xanh - Phường Bến Nghé">'
            '<meta property="article:published_time" content="2023-03-15T18:30:00Z">'
            '<meta property="article:section" content="Môi trường">'
            '<meta name="author" content="Trần Văn Bình">')
    body_date = "Cập nhật: 01/02/2020"
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line=body_date, head=head))
    assert result.title == TITLE            # the headline shown; og:title only rewords it for sharing
    assert (result.date, result.date_source) == (date(2023, 3, 16), "meta")   # 18:30 UTC: next morning
    assert (result.category, result.author) == ("Môi trường", "Trần Văn Bình")


def test_og_title_wins_over_a_heading_that_names_the_section():
    head = '<meta property="og:title" content="Ra quân vì môi trường xanh - Phường Bến Nghé">'
    page = ward_article("Tin tức - Sự kiện", CLEANUP_PARAGRAPHS, head=head)
    assert run(page).title == "Ra quân vì môi trường xanh"


def test_json_ld_date_and_title_from_title_tag():
    page = f"""<html><head><title>Họp dân khu phố 4 về chỉnh trang đô thị | UBND Phường Bến Nghé</title>
    <script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
      {{"@type": "NewsArticle", "datePublished": "2023-03-16", "author": {{"name": "Lê Thu"}}}}]}}</script>
    </head><body><div class="noidung">{paragraphs_html(CLEANUP_PARAGRAPHS)}</div></body></html>"""
    result = run(page)
    assert result.title == "Họp dân khu phố 4 về chỉnh trang đô thị"
    assert (result.date, result.author) == (date(2023, 3, 16), "Lê Thu")


def test_site_selectors_win_when_they_match():
    page = f"""<html><head><title>Trang chủ</title></head><body>
    <div class="khung"><h2 class="tieu-de">Tiêu đề do cấu hình chọn</h2>
    <span class="ngay">Đăng 2023.03.16</span><i class="ngay-gio">16/03/2023</i>
    <span class="nguoi-viet">Phạm An</span><span class="muc">Văn hóa</span>
    <div class="xyz">{paragraphs_html(CLEANUP_PARAGRAPHS[:2])}</div>
    <div class="abc"><p>{"Một khối văn bản khác dài hơn nhưng không phải bài viết. " * 20}</p></div></div>
    </body></html>"""
    selectors = Selectors(title="h2.tieu-de", body="div.xyz", date="i.ngay-gio", author=".nguoi-viet",
                          category=".muc")
    result = run(page, selectors=selectors)
    assert result.title == "Tiêu đề do cấu hình chọn"
    assert result.text == "\n\n".join(CLEANUP_PARAGRAPHS[:2])
    assert (result.date, result.author, result.category) == (date(2023, 3, 16), "Phạm An", "Văn hóa")


def test_invalid_or_unmatched_selectors_fall_back_to_generic_extraction():
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS), selectors=Selectors(title="h1[[", body=".khong-co"))
    assert result.title == TITLE and result.text.startswith(CLEANUP_PARAGRAPHS[0])


@pytest.mark.parametrize("url", ["https://bennghe.example.gov.vn/", "https://bennghe.example.gov.vn/tin-tuc/page/2/"])
def test_an_article_at_a_listing_address_needs_the_sites_body_selector(url):
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS)
    assert run(page, url=url) is None                       # by its address a listing: not even parsed
    assert run(page, url=url, selectors=Selectors(body=".khong-co")) is None      # unmatched: the same
    found = run(page, url=url, selectors=Selectors(body=".detail-content"))
    assert found.title == TITLE and found.text.startswith(CLEANUP_PARAGRAPHS[0])

# --- dates -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Ngày đăng: 16/03/2023", "16/3/2023 08:00", "08:00 16/03/2023", "Thứ năm, 16/03/2023",
    "Thứ Năm, ngày 16 tháng 3 năm 2023", "Cập nhật lúc 16-03-2023", "16.03.2023",
])
def test_vietnamese_date_lines(line):
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line=line))
    assert (result.date, result.date_source) == (date(2023, 3, 16), "dateline")


@pytest.mark.parametrize(("head", "source"), [
    ('<meta property="article:published_time" content="2023-03-16T08:00:00+07:00">', "meta"),
    ('<meta itemprop="datePublished" content="2023-03-16">', "microdata"),
    ('<script type="application/ld+json">{"datePublished": "2023-03-16T10:00:00+07:00"}</script>', "jsonld"),
])
def test_metadata_dates(head, source):
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line="", head=head))
    assert (result.date, result.date_source) == (date(2023, 3, 16), source)


def test_time_element_date():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line='<time datetime="2023-03-16T09:15">9 giờ</time>')
    assert (run(page).date, run(page).date_source) == (date(2023, 3, 16), "time")


def test_published_time_wins_over_an_updated_one_written_first():
    line = ('<time class="updated" datetime="2024-01-02T10:00:00+07:00">02/01/2024</time>'
            '<time class="entry-date published" datetime="2023-03-16T09:15:00+07:00">16/03/2023</time>')
    assert run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line=line)).date == date(2023, 3, 16)


UNDATED_LEAD = CLEANUP_PARAGRAPHS[1:]     # "Tham gia buổi ra quân ...": no date where the lead opens


@pytest.mark.parametrize("line", ["Ngày đăng: 31/02/2023", "Ngày đăng: 16/13/2023", "Ngày đăng: 16/03/2093",
                                  "Ngày đăng: 16/03/1850", ""])
def test_impossible_or_missing_dates_give_none(line):
    result = run(ward_article(TITLE, UNDATED_LEAD, date_line=line))
    assert (result.date, result.date_source) == (None, None)


def test_a_date_later_in_the_body_is_not_the_publication_date():
    paragraphs = [*UNDATED_LEAD, CLEANUP_PARAGRAPHS[0]]        # "Sáng ngày 12/3/2023, ..." comes last
    assert run(ward_article(TITLE, paragraphs, date_line="")).date is None


def test_the_lead_dates_a_page_without_dated_elements():
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line=""))     # "Sáng ngày 12/3/2023, ..."
    assert (result.date, result.date_source) == (date(2023, 3, 12), "body")
    dated = run(ward_article(TITLE, CLEANUP_PARAGRAPHS, date_line="Ngày đăng: 14/03/2023"))
    assert (dated.date, dated.date_source) == (date(2023, 3, 14), "dateline")    # the page's own date wins


@pytest.mark.parametrize(("lead", "captured", "expected"), [
    ("Ngày 16/3/2023, Đảng ủy phường tổ chức hội nghị", date(2023, 3, 20), date(2023, 3, 16)),
    ("Sáng 16/3, Ủy ban nhân dân phường tổ chức", date(2023, 3, 20), date(2023, 3, 16)),
    ("Chiều ngày 16-3-2023, Ủy ban nhân dân phường", date(2023, 3, 20), date(2023, 3, 16)),
    ("Hôm nay (16/3), Ủy ban nhân dân phường tổ chức", date(2023, 3, 20), date(2023, 3, 16)),
    ("(Ngày 16 tháng 3 năm 2023) Ủy ban nhân dân phường", date(2023, 3, 20), date(2023, 3, 16)),
    ("(BN) - Tối 15.3, lực lượng công an phường", date(2023, 3, 20), date(2023, 3, 15)),
    ("Vào sáng thứ Bảy (11/3), hơn 200 đoàn viên", date(2023, 3, 20), date(2023, 3, 11)),
    ("Chiều 28/12, Ủy ban nhân dân phường tổng kết", date(2024, 1, 4), date(2023, 12, 28)),  # year before
    ("Sáng 29/2, phường ra quân", date(2023, 3, 2), date(2020, 2, 29)),    # the latest 29 February
    ("Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2023 của", date(2023, 3, 20), None),  # another thing's date
    ("1/5 số hộ dân trong khu phố chưa đăng ký", date(2023, 3, 20), None),             # a fraction
    ("Ngày 2/5/2023, Ủy ban nhân dân phường", date(2023, 3, 20), None),               # after the capture
    ("Trong 2 ngày 14 và 15/3, phường tổ chức", date(2023, 3, 20), None),
])
def test_lead_dates(lead, captured, expected):
    paragraphs = [f"{lead} {CLEANUP_PARAGRAPHS[1]}", *CLEANUP_PARAGRAPHS[1:]]
    page = ward_article(TITLE, paragraphs, date_line="").encode()
    result = extract(page, URL, UTF8, today=captured)
    assert result.date == expected


def test_a_missing_year_is_read_against_the_pages_own_modification_date():
    head = '<meta property="article:modified_time" content="2022-12-30T08:00:00+07:00">'
    paragraphs = [f"Chiều 28/12, {CLEANUP_PARAGRAPHS[1]}", *CLEANUP_PARAGRAPHS[1:]]
    page = ward_article(TITLE, paragraphs, date_line="", head=head).encode()
    assert extract(page, URL, UTF8, today=date(2024, 6, 1)).date == date(2022, 12, 28)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://p.example.gov.vn/tin-tuc/2023/03/16/ra-quan.html", date(2023, 3, 16)),
    ("https://p.example.gov.vn/tin-tuc/ra-quan-don-dep-20230316.html", date(2023, 3, 16)),
    ("https://p.example.gov.vn/2023-03-16-ra-quan-don-dep.html", date(2023, 3, 16)),
    ("https://p.example.gov.vn/tin-tuc/ra-quan-don-dep-20231399.html", None),
    ("https://p.example.gov.vn/tin-tuc/2027/03/16/ra-quan.html", None),          # after the capture
])
def test_url_dates_come_last(url, expected):
    result = run(ward_article(TITLE, UNDATED_LEAD, date_line=""), url=url)
    assert (result.date, result.date_source) == (expected, "url" if expected else None)
    dated = run(ward_article(TITLE, UNDATED_LEAD, date_line="Ngày đăng: 14/03/2023"), url=url)
    assert dated.date == date(2023, 3, 14)


def test_dates_of_listed_articles_are_never_the_pages():
    """Sidebars, "Tin mới"/"Các tin khác" lists, comments, the header's today and the footer carry dates."""
    other = ('<tr><td><a href="/tin/{n}.html">Tuyên truyền pháp luật về phòng chống ma túy cho học sinh</a>'
             ' <span class="ngay">({d})</span></td></tr>')
    page = f"""<html><head><title>Phường 7 - {TITLE}</title></head><body>
    <div class="header-top"><span class="today">Thứ Hai, ngày 20/03/2023</span></div>
    <table><tr><td class="cot"><table>{"".join(other.format(n=n, d=f"1{n}/03/2023") for n in range(3))}
    </table>
    </td><td><table><tr><td class="TitleNews">{TITLE}</td></tr>
    <tr><td class="ContentNews">{paragraphs_html(UNDATED_LEAD)}</td></tr>
    <tr><td><b>Các tin khác</b></td></tr>{"".join(other.format(n=n, d=f"0{n + 1}/03/2023") for n in range(3))}
    <tr><td><div class="binh-luan">Ngày 18/03/2023: Bài viết rất hay</div></td></tr></table></td></tr>
    <tr><td class="footer">Cập nhật: 19/03/2023. Ủy ban nhân dân Phường 7</td></tr></table></body></html>"""
    result = run(page)
    assert result.title == TITLE and (result.date, result.date_source) == (None, None)


def test_parse_date_forms():
    assert parse_date("ngày 5 tháng 9 năm 2024", TODAY) == date(2024, 9, 5)
    assert parse_date("2024-09-05T23:30:00-02:00", TODAY) == date(2024, 9, 6)
    assert parse_date("Số 123/QĐ-UBND", TODAY) is None


# --- charsets --------------------------------------------------------------------------------------------

def test_windows_1258_labelled_windows_1252():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS).replace('<meta charset="utf-8">', "")
    result = run(to_cp1258(page), headers=[("Content-Type", "text/html; charset=windows-1252")])
    assert result.title == TITLE
    assert result.text.split("\n\n")[:3] == CLEANUP_PARAGRAPHS


def test_windows_1258_declared_in_meta_only():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS).replace('<meta charset="utf-8">',
                                                            '<meta charset="windows-1258">')
    result = run(to_cp1258(page), headers=[("Content-Type", "text/html")])
    assert result.title == TITLE and "Ủy ban nhân dân phường" in result.text


def test_utf8_declared_iso_8859_1_comes_out_right():
    latin1 = [("Content-Type", "text/html; charset=ISO-8859-1")]
    result = run(ward_article(TITLE, CLEANUP_PARAGRAPHS), headers=latin1)
    assert result.title == TITLE and result.text.split("\n\n")[:3] == CLEANUP_PARAGRAPHS


def test_undeclared_bytes_are_detected():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS).replace('<meta charset="utf-8">', "")
    assert run(page.encode("utf-8"), headers=[("Content-Type", "text/html")]).title == TITLE
    assert run(to_cp1258(page), headers=[("Content-Type", "text/html")]).title == TITLE


def test_byte_order_mark_wins():
    assert decode_html("\ufeffPhường".encode("utf-16-le"), "text/html; charset=windows-1252") == "Phường"


# --- what is not an article ------------------------------------------------------------------------------

def listing_items(count: int = 8) -> list[tuple[str, str, str]]:
    return [(f"Phường tổ chức hoạt động số {i} trong tháng ba", f"/tin-tuc/hoat-dong-{i}.html",
             "Ủy ban nhân dân phường vừa tổ chức hoạt động với sự tham gia đông đảo của người dân khu phố.")
            for i in range(count)]


def test_category_page_is_not_a_document():
    assert run(ward_listing(listing_items()), url="https://bennghe.example.gov.vn/tin-tuc/") is None


def test_home_page_is_not_a_document():
    home = ward_listing(listing_items(), heading="Tin nổi bật")
    assert run(home, url="https://bennghe.example.gov.vn/") is None


def test_pagination_page_is_not_a_document():
    page = ward_listing(listing_items(3), pager=False)
    assert run(page, url="https://bennghe.example.gov.vn/tin-tuc/?page=3") is None


def test_page_without_substance_is_not_a_document():
    assert run(ward_article(TITLE, ["Đang cập nhật."], byline="")) is None


def test_a_short_dated_notice_is_still_an_article():
    notice = ("Ủy ban nhân dân phường phối hợp Ban điều hành khu phố 3 "
              "ra quân tổng vệ sinh môi trường sáng 05/01/2025.")
    html = ('<html><head><meta charset="utf-8"><title>Ra quân tổng vệ sinh</title>'
            '<meta property="article:published_time" content="2025-01-05T08:00:00+07:00"></head>'
            f'<body><article><h1>Ra quân tổng vệ sinh</h1><p>{notice}</p></article></body></html>')
    extracted = run(html, url="https://bennghe.example.gov.vn/tin/2.html")
    assert extracted is not None and extracted.date == date(2025, 1, 5)
    assert extracted.text == notice
    undated = html.replace('<meta property="article:published_time" content="2025-01-05T08:00:00+07:00">', "")
    assert run(undated, url="https://bennghe.example.gov.vn/tin/2.html") is None


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg", "application/json", "text/css"])
def test_non_html_content_types_give_none(content_type):
    assert run(ward_article(TITLE, CLEANUP_PARAGRAPHS), headers=[("Content-Type", content_type)]) is None


# --- hostile input ----------------------------------------------------------------------------------------

def test_five_megabytes_of_nested_divs_is_refused():
    body = b"<html><body>" + b"<div>" * 1_100_000 + "chữ".encode() + b"</div>" * 10
    assert run(body) is None


def test_deep_nesting_keeps_shallow_article_text():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS).replace("</footer>", "</footer>" + "<div>" * 5000 + "x")
    result = run(page)
    assert result.title == TITLE and CLEANUP_PARAGRAPHS[1] in result.text


def test_script_inside_the_body_is_not_text():
    paragraphs = [CLEANUP_PARAGRAPHS[0] + '<script>alert("xss")</script><style>p{}</style>',
                  *CLEANUP_PARAGRAPHS[1:]]
    result = run(ward_article(TITLE, paragraphs))
    assert "alert" not in result.text and "p{}" not in result.text
    assert result.text.split("\n\n")[0] == CLEANUP_PARAGRAPHS[0]


def test_nul_bytes_and_broken_markup():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS).replace("Lực lượng", "Lực\x00 lượng")
    page = page.replace("</p>", "", 2)
    result = run(page + "<div><span><p>")
    assert result.title == TITLE and "\x00" not in result.text and "Lực lượng" in result.text


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00" * 1000, bytes(range(256)) * 400, b"<html>", b"<<<>>>"])
def test_garbage_and_empty_bodies_give_none(body):
    assert run(body) is None
    assert extract(body, URL, []) is None


def test_huge_page_is_capped_not_rejected():
    # A comment pads the article so that the byte limit falls inside its fourth paragraph.
    cut = "Đoạn bị cắt ngang: " + " ".join(f"từ{n}" for n in range(2000))
    beyond = "Đoạn nằm sau giới hạn, không được đọc."

    def page(padding: int) -> bytes:
        padded = [*CLEANUP_PARAGRAPHS, "<!-- " + "x" * padding + " -->", cut, beyond]
        return ward_article(TITLE, padded).encode("utf-8")

    padding = MAX_PARSE_BYTES - page(0).index(cut.encode("utf-8")) - len(cut.encode("utf-8")) // 2
    huge = page(padding)
    kept = huge[huge.index(cut.encode("utf-8")):MAX_PARSE_BYTES].decode("utf-8", errors="ignore")
    result = run(huge)
    assert len(huge) > MAX_PARSE_BYTES and result.title == TITLE
    assert result.text.split("\n\n") == [*CLEANUP_PARAGRAPHS, " ".join(kept.split())]
    assert result.author is None                   # the byline after the article is beyond the limit too


def test_title_suffix_stripping():
    assert strip_site_suffix("Họp dân - Phường Bến Nghé") == "Họp dân"
    own_dash = "Quận 1 - TP.HCM triển khai kế hoạch mới"
    assert strip_site_suffix(own_dash) == own_dash
    assert strip_site_suffix("Tin vắn | Cổng thông tin điện tử", "Cổng thông tin điện tử") == "Tin vắn"


# --- other portal layouts -------------------------------------------------------------------------------

def test_table_layout_portal_inside_one_aspnet_form():
    page = f"""<html><head><title>UBND Phường 7 - Tin tức</title></head><body>
    <form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="abc">
    <table><tr><td colspan="2"><div id="ctl00_menu">
    <a href="/">Trang chủ</a> | <a href="/tt">Tin tức</a></div></td></tr>
    <tr><td class="left-col"><div class="ModuleTitle">Liên kết website</div>
    <a href="http://a.gov.vn">Cổng TTĐT</a></td>
    <td><span class="TitleNews">Phường 7 tổ chức ngày hội đại đoàn kết toàn dân tộc</span><br>
    <span class="DateNews">(Cập nhật ngày 16/03/2023 09:30)</span>
    <div id="ctl00_NewsDetail">{paragraphs_html(CLEANUP_PARAGRAPHS)}
    <p align="right"><b>Tin: Ban Văn hóa</b></p></div><div class="OtherNews"><b>Các tin khác</b><ul>
    <li><a href="/n1">Tin thứ nhất về công tác cải cách hành chính</a> (12/03/2023)</li>
    <li><a href="/n2">Tin thứ hai về phong trào thi đua yêu nước</a> (10/03/2023)</li></ul></div>
    </td></tr>
    <tr><td colspan="2" class="footer">Ủy ban nhân dân Phường 7, Quận 3.</td></tr></table></form>
    </body></html>"""
    result = run(page)
    assert result.title == "Phường 7 tổ chức ngày hội đại đoàn kết toàn dân tộc"
    assert (result.date, result.author) == (date(2023, 3, 16), "Ban Văn hóa")
    assert result.text.split("\n\n") == [*CLEANUP_PARAGRAPHS, "Tin: Ban Văn hóa"]


def test_wordpress_layout():
    page = f"""<html><head><title>Ra quân – Phường Tân Định</title></head><body class="single-post">
    <div id="masthead" class="site-header"><p class="site-title">Phường Tân Định</p></div>
    <main id="main">
    <article class="post type-post"><header class="entry-header">
    <h1 class="entry-title">Ra quân cuối tuần</h1>
    <div class="entry-meta">
    <time class="entry-date" datetime="2023-03-16T07:00:00+07:00">16 Tháng Ba</time>
    <span class="author vcard"><a href="/author/admin">admin</a></span></div></header>
    <div class="entry-content">{paragraphs_html(CLEANUP_PARAGRAPHS)}<div class="sharedaddy">
    <h3>Chia sẻ:</h3>
    <ul><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li></ul></div></div>
    <footer class="entry-footer"><a href="/c/tin-tuc" rel="category tag">Tin tức</a></footer></article>
    <div id="comments" class="comments-area"><h2>Để lại bình luận</h2>
    <p>Email sẽ không hiển thị.</p></div>
    </main><div id="secondary" class="widget-area"><h2>Bài viết mới</h2><a href="/y">Bài khác</a>
    </div></body></html>"""
    result = run(page)
    assert (result.title, result.date, result.category) == ("Ra quân cuối tuần", date(2023, 3, 16), "Tin tức")
    assert result.author is None                 # a CMS account name is not an author
    assert result.text.split("\n\n") == CLEANUP_PARAGRAPHS


def test_joomla_layout_with_headline_and_article_body():
    page = f"""<html><head><title>Hội nghị tổng kết</title></head><body><ul class="nav menu"><li>
    <a href="/">Trang chủ</a></li></ul><div class="item-page">
    <h2 itemprop="headline">Hội nghị tổng kết năm 2022</h2>
    <dl class="article-info"><dd class="published">
    <time datetime="2023-01-10T08:00:00+07:00">10/01/2023</time></dd>
    <dd class="hits">Lượt xem: 152</dd></dl>
    <div itemprop="articleBody">{paragraphs_html(CLEANUP_PARAGRAPHS)}</div>
    <ul class="pager pagenav"><li><a href="/p">Trước</a></li><li><a href="/n">Tiếp</a></li></ul>
    </div></body></html>"""
    result = run(page)
    assert (result.title, result.date) == ("Hội nghị tổng kết năm 2022", date(2023, 1, 10))
    assert result.text.split("\n\n") == CLEANUP_PARAGRAPHS


def test_articles_listed_as_article_elements_are_a_listing():
    items = "".join(f'<article class="item"><h2><a href="/t/{i}.html">Tin số {i} của phường</a></h2>'
                    f"<p>{CLEANUP_PARAGRAPHS[i % 3][:180]}</p></article>" for i in range(6))
    page = f"<html><head><title>Tin tức</title></head><body><main>{items}</main></body></html>"
    assert run(page, url="https://bennghe.example.gov.vn/chuyen-muc/tin-tuc/") is None


# --- any input --------------------------------------------------------------------------------------------

TAGS = ["div", "p", "span", "a", "h1", "h2", "article", "main", "nav", "aside", "ul", "li", "table", "td",
        "script", "time", "form", "header", "footer", "br", "b"]
ATTRIBUTES = ['', ' class="content"', ' class="sidebar menu"', ' id="tin-moi"', ' itemprop="articleBody"',
              ' datetime="2023-02-30"', ' href="/x"', ' class="date"', ' rel="category"', ' class="title"']
WORDS = ["Ngày đăng: 16/03/2023", "Tin, ảnh: An", "phường", "Ủy ban", "<", ">", "&amp;", "\x00",
         "ngày 31 tháng 2 năm 2023", "Trang chủ", "Tin liên quan", "x" * 300, "\ufeff", "\u0301"]


@st.composite
def markup(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            pieces.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == 1:
            pieces.append(f"</{draw(st.sampled_from(TAGS))}>")
        else:
            pieces.append(draw(st.sampled_from(WORDS)))
    return "".join(pieces)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(html=markup(), charset=st.sampled_from(["utf-8", "windows-1252", "windows-1258", "x-unknown", ""]))
def test_any_markup_is_handled_without_the_safety_net(html, charset, caplog):
    """`extract` catches everything as a last resort; its steps must not need to."""
    caplog.clear()
    body = html.encode("utf-8", errors="surrogatepass")
    result = extract(body, URL, [("Content-Type", f"text/html; charset={charset}")], today=TODAY)
    assert "extraction failed" not in caplog.text
    if result is not None:
        assert result.title and result.text and "\x00" not in result.text
        assert result.date is None or result.date <= TODAY


def test_portal_name_in_og_title_gives_way_to_the_heading():
    head = '<meta property="og:title" content="Cổng thông tin điện tử Phường Bến Nghé">'
    assert run(ward_article(TITLE, CLEANUP_PARAGRAPHS, head=head)).title == TITLE


def test_html_without_content_type_is_sniffed():
    assert run(ward_article(TITLE, CLEANUP_PARAGRAPHS), headers=[]).title == TITLE
    assert run(b"%PDF-1.4 binary", headers=[]) is None


def test_windows_1258_bytes_declared_utf8_everywhere():
    page = ward_article(TITLE, CLEANUP_PARAGRAPHS)          # <meta charset="utf-8"> stays: it lies too
    result = run(to_cp1258(page))
    assert result.title == TITLE and result.text.split("\n\n")[:3] == CLEANUP_PARAGRAPHS
