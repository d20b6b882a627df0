"""Stylesheets, `<style>` blocks and `style` attributes of an archived page, rewritten to the archive."""

from __future__ import annotations

from tinphuong.css_urls import rewrite_css
from webui.replay.archive_urls import ArchiveUrls


def rewrite_stylesheet(text: str, urls: ArchiveUrls) -> str:
    """`text` with every URL it loads mapped by `urls` (resolved against `urls.base`); others blanked.

    `@import`ed sheets are asked for as stylesheets, so that they are rewritten in turn.
    """
    return rewrite_css(text, lambda ref: urls.embed(ref.url, stylesheet=ref.is_import))
