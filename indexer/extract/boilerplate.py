"""Everything on a ward page that is not the article, and how to find the article.

Generic heuristics, in the spirit of Readability: tags that never hold article
text, class/id names of menus, sidebars and share bars, Vietnamese block
headings ("Tin mới", "Bài viết liên quan"), link-dense blocks; then the main
content block is the first semantic container with real text, else the block
with the densest prose. Per-site selectors are applied before all of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.extract.text import (
    bounded_text,
    has_at_most,
    link_density,
    own_text_length,
    text_lengths,
    text_of,
)
from indexer.extract.tree import (
    Document,
    Element,
    child_tags,
    classes,
    decompose,
    document_tag,
    find_ancestor,
    find_tag,
    find_tags,
    next_tags,
    removed,
    unwrap,
)

# Tags that never carry article text.
JUNK_TAGS = ("script", "style", "noscript", "iframe", "svg", "template", "object", "embed", "canvas",
             "button", "input", "select", "textarea", "link", "map", "audio", "video", "dialog")
# Page chrome; `header`/`footer` only outside an article (an article's own header holds its title).
CHROME_TAGS = ("nav", "aside", "menu")
CHROME_ROLES = ("navigation", "complementary", "banner", "contentinfo")
BOILERPLATE = re.compile(
    r"menu|\bnav|sidebar|side-bar|footer|breadcrumb|share|social|related|comment|binh-luan|tin-?moi"
    r"|lien-?quan|tin-?khac|other-?news|banner|advert|quang-?cao|\bads?\b|widget|popup|modal|cookie"
    r"|login|search|tim-?kiem|toolbar|\btags?\b|pagination|paging|phan-?trang|copyright|print|rating"
    r"|view-?count|luot-?xem|topbar|top-bar|hotline|weather|thoi-?tiet|counter|visitor",
    re.IGNORECASE,
)
RELATED_HEADING = re.compile(
    r"^(tin mới( nhất)?|tin (tức )?liên quan|bài viết liên quan|(các )?tin (bài )?khác|tin cùng chuyên mục"
    r"|xem thêm|(tin )?đọc nhiều( nhất)?|tin nổi bật|(các )?bài viết khác|tin tức khác|tin xem nhiều"
    r"|liên kết website|thông tin cần biết|bình luận|ý kiến bạn đọc|gửi bình luận)\s*:?$",
    re.IGNORECASE,
)
WIDGET_TEXT = re.compile(
    r"^(chia sẻ|share|in bài|bản in|in trang|gửi email|gửi bài|lượt xem|số lượt xem|lượt truy cập|facebook"
    r"|zalo|twitter|tweet|like|thích|quay lại|trở về|về đầu trang|\d+\s*lượt xem)\b",
    re.IGNORECASE,
)
# Where CMSs put the article body, most specific first: (attribute, value); "tag" means the element name.
# The line under the title (date, category, view count) or the author's: metadata, not body text.
META_LINE = re.compile(r"post-meta|entry-meta|article-meta|article-info|\bmeta\b|post-info|entry-info"
                       r"|\bdate\b|post-date|ngay-?dang|publish|\btime\b|\bviews?\b|luot-?xem"
                       r"|\bauthor\b|byline|tac-?gia", re.IGNORECASE)
CONTENT_MARKERS = (
    ("itemprop", "articleBody"), ("class", "entry-content"), ("class", "post-content"),
    ("class", "article-content"), ("class", "article-body"), ("class", "news-content"),
    ("class", "content-detail"), ("class", "detail-content"), ("class", "news-detail"),
    ("class", "noi-dung"), ("class", "noidung"), ("class", "chi-tiet"), ("class", "chitiet"),
    ("tag", "article"), ("tag", "main"), ("role", "main"), ("id", "content"), ("class", "content"),
)
_MARKER_RANKS = {marker: rank for rank, marker in reversed(list(enumerate(CONTENT_MARKERS)))}
MIN_CONTENT_CHARS = 150
# Image captions: named so, or the short italic or centred text of a block that holds an image.
CAPTION_NAMED = re.compile(r"caption|chu-?thich|image[-_]?desc|img[-_]?desc|photo[-_]?desc|desc[-_]?img",
                           re.IGNORECASE)
MAX_CAPTION_CHARS = 250
MAX_ANCESTORS = 60
_FOOTER_NAMED = re.compile(r"footer|copyright|ban-?quyen", re.IGNORECASE)
# Hidden by the page (`display:none`, `hidden`): microformat copies of the author or date, not text. A hidden
# block of real prose is kept: some portals fold the end of long articles behind "Xem tiếp".
MIN_HIDDEN_PROSE = 200
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_ARTICLE = frozenset({"article", "main"})
_PROTECTED = frozenset({"html", "body", "main", "article"})


def drop(tags: Iterable[Element]) -> None:
    """Remove each element not already gone with an ancestor."""
    for tag in tags:
        if not removed(tag):
            decompose(tag)


def remove_junk(soup: Document) -> None:
    """Drop tags that never hold article text (scripts, styles, embeds, form controls)."""
    drop(find_tags(soup, JUNK_TAGS))
    for form in find_tags(soup, "form"):
        # ASP.NET portals wrap the whole page in one <form>: keep its contents, drop small forms.
        if removed(form):
            continue
        if prose_length(form) >= 500:
            unwrap(form)
        else:
            decompose(form)


def remove_chrome(soup: Document) -> None:
    """Drop navigation, sidebars and other page chrome, guarding elements that hold most of the prose."""
    total = prose_length(soup) or 1
    drop(find_tags(soup, CHROME_TAGS))
    drop(tag for tag in find_tags(soup, ("header", "footer")) if find_ancestor(tag, _ARTICLE) is None)
    for tag in find_tags(soup, where=is_boilerplate_named):
        if removed(tag):
            continue
        footer = _is_footer(tag) and find_tag(tag, ("article", "main", "h1")) is None   # never guarded
        if footer or prose_length(tag) < 0.4 * total:
            decompose(tag)


def remove_widgets(root: Element) -> None:
    """Inside the content: related-news blocks, share bars, view counters, link lists, hidden bits."""
    for tag in find_tags(root, where=_is_hidden):
        if not removed(tag) and prose_length(tag) < MIN_HIDDEN_PROSE:
            decompose(tag)
    for heading in find_tags(root, where=_is_related_heading):
        if not removed(heading):
            _remove_related_block(heading, root)
    drop(find_tags(root, where=_is_meta_line))
    drop(find_tags(root, where=_is_small_widget))
    for tag in find_tags(root, ("ul", "ol", "div", "table", "section", "p", "dl")):
        if not removed(tag) and tag is not root and _link_dense(tag):
            decompose(tag)


def remove_captions(root: Element) -> None:
    """Image captions are not the article's text: `<figcaption>`, caption-named elements, and a picture's
    block (`<p align=center><img><br><i>Caption</i></p>`) or the italic line right under it."""
    drop(find_tags(root, "figcaption"))
    drop(find_tags(root, where=_is_caption_named))
    for image in find_tags(root, "img"):
        if removed(image):
            continue
        block = find_ancestor(image, ("p", "div", "td", "center", "figure"))
        if block is None or block is root or removed(block):
            continue
        if _picture_with_caption(block):
            following = next(next_tags(block), None)
            decompose(block)
            if following is not None and _caption_line(following):
                decompose(following)


def _is_caption_named(tag: Element) -> bool:
    if tag.tag in _PROTECTED or not CAPTION_NAMED.search(class_names(tag)):
        return False
    text = bounded_text(tag, 30)
    return text is not None and len(text) <= MAX_CAPTION_CHARS


def _picture_with_caption(block: Element) -> bool:
    """A block that holds an image and at most a caption (italic, centred, or nothing at all)."""
    text = bounded_text(block, 30)
    if text is None or len(text) > MAX_CAPTION_CHARS:
        return False
    return not text or _caption_line(block)


def _caption_line(tag: Element) -> bool:
    """A short line in italics, or centred: how editors set a caption under a picture."""
    text = bounded_text(tag, 20)
    if not text or len(text) > MAX_CAPTION_CHARS:
        return False
    italic = "".join(text_of(i) for i in find_tags(tag, ("i", "em")))
    style = str(tag.get("style") or "").replace(" ", "").lower()
    centred = tag.get("align") == "center" or "text-align:center" in style or tag.tag == "center"
    return italic == text or centred


def find_content(soup: Document) -> Element:
    """The element that holds the article body: a semantic container with prose, else the densest block."""
    by_marker: dict[int, list[Element]] = {}
    for tag in find_tags(soup):
        rank = _content_rank(tag)
        if rank is not None:
            by_marker.setdefault(rank, []).append(tag)
    for rank in sorted(by_marker):
        found = _largest(by_marker[rank])
        if found is not None and prose_length(found) >= MIN_CONTENT_CHARS:
            return found
    for found in (densest_block(soup), document_tag(soup, "body")):
        if found is not None:
            return found
    return soup.getroot()


def _content_rank(tag: Element) -> int | None:
    """The position of the first content marker `tag` carries, or None."""
    ranks = [_MARKER_RANKS.get(("tag", tag.tag))]
    ranks += [_MARKER_RANKS.get((attribute, tag.get(attribute))) for attribute in ("id", "itemprop", "role")]
    ranks += [_MARKER_RANKS.get(("class", name)) for name in classes(tag)]
    found = [rank for rank in ranks if rank is not None]
    return min(found) if found else None


def densest_block(soup: Document) -> Element | None:
    """Readability-style scoring: paragraphs vote for their parent (and half for the grandparent)."""
    scores: dict[int, float] = {}
    tags: dict[int, Element] = {}
    for block in find_tags(soup, ("p", "div", "td", "pre", "blockquote")):
        own = _own_text_length(block)
        if own < 25:
            continue
        vote = 1 + min(own / 100, 3)
        parent = block.getparent()
        for ancestor, share in ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5)):
            if ancestor is not None and ancestor.tag != "html":
                scores[id(ancestor)] = scores.get(id(ancestor), 0.0) + vote * share
                tags[id(ancestor)] = ancestor
    if not scores:
        return None
    best = max(scores, key=lambda key: scores[key] * (1 - link_density(tags[key])))
    return tags[best]


def prose_length(node: Element) -> int:
    """Characters of text outside links: what a reader reads, not what a menu lists."""
    total, linked = text_lengths(node)
    return total - linked


def _largest(tags: list[Element]) -> Element | None:
    return max(tags, key=prose_length) if tags else None


def _own_text_length(tag: Element) -> int:
    if tag.tag == "p":
        return prose_length(tag)
    return own_text_length(tag)


def in_chrome(tag: Element, stop: Element | None = None) -> bool:
    """Inside navigation, a sidebar, comments or the page footer, looking up to `stop` (exclusive) and a
    few dozen levels at most: a wrapper named like a sidebar around the whole article does not count
    when it is above `stop`."""
    node: Element | None = tag
    for _ in range(MAX_ANCESTORS):
        if node is None or node is stop:
            return False
        if node.tag in CHROME_TAGS or is_boilerplate_named(node):
            return True
        if node.tag in ("header", "footer") and find_ancestor(node, _ARTICLE) is None:
            return True
        node = node.getparent()
    return False


def in_footer(tag: Element) -> bool:
    """The page's footer (or inside it): where a page without an article finds its "densest" prose."""
    return any(_is_footer(node) for node in (tag, *tag.iterancestors()))


def _is_footer(tag: Element) -> bool:
    if tag.tag == "footer":
        return find_ancestor(tag, _ARTICLE) is None
    return tag.tag not in _PROTECTED and (bool(_FOOTER_NAMED.search(class_names(tag)))
                                           or tag.get("role") == "contentinfo")


def is_boilerplate_named(tag: Element) -> bool:
    """Named (class, id or ARIA role) like a menu, sidebar, share bar or footer."""
    if tag.tag in _PROTECTED:
        return False
    return bool(BOILERPLATE.search(class_names(tag))) or tag.get("role") in CHROME_ROLES


def _is_related_heading(tag: Element) -> bool:
    if tag.tag not in ("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong", "b", "li", "a"):
        return False
    text = bounded_text(tag, 12)
    return bool(text) and len(text) <= 40 and bool(RELATED_HEADING.match(text))


def _remove_related_block(heading: Element, root: Element) -> None:
    """Remove a "Tin liên quan"-style heading with the link list that follows it."""
    container = heading.getparent()
    if container is not None and container is not root and container.tag not in _PROTECTED:
        rest = prose_length(container) - prose_length(heading)
        if rest < 300 or link_density(container) > 0.4:
            decompose(container)
            return
    for sibling in list(next_tags(heading)):
        if sibling.tag in ("ul", "ol") or link_density(sibling) > 0.4:
            decompose(sibling)
        else:
            break
    decompose(heading)


def _is_hidden(tag: Element) -> bool:
    return "hidden" in tag.attrib or bool(_HIDDEN_STYLE.search(str(tag.get("style") or "")))


def _is_small_widget(tag: Element) -> bool:
    if tag.tag not in ("div", "span", "p", "a", "li", "ul", "section"):
        return False
    text = bounded_text(tag, 20)
    return bool(text) and len(text) <= 80 and bool(WIDGET_TEXT.match(text))


def _wrapper_only(tag: Element) -> bool:
    """A tag whose only content is one element: judging the element is enough (and linear on deep chains)."""
    if (tag.text or "").strip() or len(child_tags(tag)) != 1:
        return False
    return all(not (child.tail or "").strip()
               and (isinstance(child.tag, str) or not (child.text or "").strip()) for child in tag)


def _is_meta_line(tag: Element) -> bool:
    if tag.tag not in ("div", "span", "p", "ul", "dl", "time", "small", "section"):
        return False
    if not META_LINE.search(class_names(tag)):
        return False
    text = bounded_text(tag, 30)
    return text is not None and len(text) <= 200


def class_names(tag: Element) -> str:
    """The id and classes of `tag`, space-separated (what CMS templates name their blocks by)."""
    return " ".join([tag.get("id") or "", *classes(tag)])


def _link_dense(tag: Element) -> bool:
    """A small block that is mostly links: a menu, a tag list, "xem thêm" links."""
    if (_wrapper_only(tag) and tag.tag not in ("ul", "ol")) or not has_at_most(tag, 300):
        return False
    total, linked = text_lengths(tag)
    if total == 0 or linked <= 0.5 * total:
        return False
    return total < 120 or len(find_tags(tag, "a", limit=2)) >= 2
