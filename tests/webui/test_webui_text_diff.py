"""The word-level comparison of two texts: syllables and punctuation are the units, diacritics count."""

from __future__ import annotations

import unicodedata

from webui.text_diff import MAX_BLOCK_TOKENS, diff_texts


def marked(diff, kind: str) -> list[str]:
    return [s.text for paragraph in diff.paragraphs for s in paragraph if s.kind == kind]


def shown(diff) -> list[str]:
    """Each paragraph as displayed: kept and marked text with the spaces between them."""
    return ["".join(s.space + s.text for s in paragraph) for paragraph in diff.paragraphs]


def test_a_changed_diacritic_is_a_changed_word():
    diff = diff_texts("Bà Bùi Thị Thủy Hiền phát biểu.", "Bà Bùi Thị Thúy Hiền phát biểu.")
    assert (marked(diff, "del"), marked(diff, "ins")) == (["Thủy"], ["Thúy"])
    assert (diff.deleted, diff.inserted) == (1, 1) and diff.changed


def test_nfd_and_nfc_are_the_same_text():
    text = "Đảng ủy phường tổ chức hội nghị.\n\nNgười dân tham gia đông đủ."
    diff = diff_texts(unicodedata.normalize("NFD", text), text)
    assert not diff.changed and (diff.inserted, diff.deleted) == (0, 0)
    assert shown(diff) == text.split("\n\n")


def test_punctuation_is_its_own_unit_and_is_not_counted_as_a_word():
    diff = diff_texts("Khu phố 3, khu phố 4.", "Khu phố 3; khu phố 4 và 5.")
    assert marked(diff, "del") == [","] and marked(diff, "ins") == [";", "và 5"]
    assert (diff.inserted, diff.deleted) == (2, 0)
    assert shown(diff)[0] == "Khu phố 3,; khu phố 4 và 5."


def test_paragraphs_added_and_removed_are_whole_paragraphs():
    old = "Đoạn một giữ nguyên.\n\nĐoạn hai sẽ bị xóa.\n\nĐoạn ba giữ nguyên."
    new = "Đoạn một giữ nguyên.\n\nĐoạn ba giữ nguyên.\n\nĐoạn bốn được thêm."
    diff = diff_texts(old, new)
    kinds = [[s.kind for s in paragraph] for paragraph in diff.paragraphs]
    assert kinds == [["same"], ["del"], ["same"], ["ins"]]
    assert shown(diff) == ["Đoạn một giữ nguyên.", "Đoạn hai sẽ bị xóa.", "Đoạn ba giữ nguyên.",
                           "Đoạn bốn được thêm."]
    assert (diff.deleted, diff.inserted) == (5, 4)


def test_an_edit_inside_a_paragraph_marks_only_the_words_that_changed():
    old = "Phường đã khen thưởng 5 tập thể và 12 cá nhân có thành tích xuất sắc."
    new = "Phường đã khen thưởng 6 tập thể và 12 cá nhân có thành tích."
    diff = diff_texts(old, new)
    assert marked(diff, "del") == ["5", "xuất sắc"] and marked(diff, "ins") == ["6"]
    assert [s.kind for s in diff.paragraphs[0]] == ["same", "del", "ins", "same", "del", "same"]


def test_identical_and_empty_texts():
    assert not diff_texts("Một câu.", "Một câu.").changed
    assert diff_texts("", "").paragraphs == []
    added = diff_texts("", "Tin mới.")
    assert marked(added, "ins") == ["Tin mới."] and added.inserted == 2


def test_a_huge_changed_block_is_shown_as_paragraphs_removed_and_added():
    old = " ".join(f"từ{n}" for n in range(MAX_BLOCK_TOKENS + 10))
    new = " ".join(f"chữ{n}" for n in range(MAX_BLOCK_TOKENS + 10))
    diff = diff_texts(old, new)
    assert [[s.kind for s in p] for p in diff.paragraphs] == [["del"], ["ins"]]
    assert diff.deleted == diff.inserted == MAX_BLOCK_TOKENS + 10
