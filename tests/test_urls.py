"""URL canonicalisation: session ids, the trap that gives one page a new name per visitor, are removed."""

from __future__ import annotations

from tinphuong.urls import canonicalize


def test_session_ids_are_removed_so_one_page_keeps_one_url():
    plain = "http://ward.test/tin/bai.html?id=7"
    assert canonicalize("http://ward.test/tin/bai.html;jsessionid=ABC123?id=7&PHPSESSID=f00") == plain
    assert canonicalize("http://ward.test/tin/bai.html?sid=1&id=7&utm_source=zalo") == plain
    assert canonicalize("http://ward.test/(S(abcdefghijklmnopqrstuvwx))/tin/bai.html?id=7") == plain
