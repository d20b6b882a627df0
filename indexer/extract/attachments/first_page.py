"""What the first page of an administrative document states: its number, its date, its title.

Vietnamese administrative documents follow one layout (the national rules for official
documents): the issuer and the national motto at the top, then `Số: 123/QĐ-UBND` and the
place and date (`Bến Nghé, ngày 16 tháng 3 năm 2023`), then the kind of document in
capitals (`QUYẾT ĐỊNH`, `KẾ HOẠCH`, ...) with its subject on the next lines (`Về việc ...`),
or, for a letter, `V/v ...` under the number. Only the first lines are read: a number or a
date further down is a reference to another document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

FIRST_PAGE_LINES = 40
MAX_TITLE_CHARS = 300
NUMBER = re.compile(r"\b(?i:số)\s*(?i:hiệu)?\s*[:.]?\s*(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*)")
DATE = re.compile(r"\b(?i:ngày)\s+(\d{1,2})\s+(?i:tháng)\s+(\d{1,2})\s+(?i:năm)\s+(\d{4})\b")
KINDS = ("QUYẾT ĐỊNH", "KẾ HOẠCH", "THÔNG BÁO", "BÁO CÁO", "TỜ TRÌNH", "CÔNG VĂN", "CHỈ THỊ", "NGHỊ QUYẾT",
         "HƯỚNG DẪN", "GIẤY MỜI", "THƯ MỜI", "BIÊN BẢN", "CHƯƠNG TRÌNH", "QUY CHẾ", "QUY ĐỊNH", "DANH SÁCH",
         "PHƯƠNG ÁN", "ĐỀ ÁN", "CÔNG ĐIỆN", "THÔNG TRI", "LỊCH CÔNG TÁC", "BẢN TIN", "TỜ KHAI")
KIND = re.compile(r"^(?:" + "|".join(KINDS) + r")\b")
SUBJECT = re.compile(r"^(?:V/v|Về việc|Về|Ban hành|Triển khai|Tổ chức)\b", re.IGNORECASE)
SUBJECT_ENDS = re.compile(r"^(?:Căn cứ|Kính gửi|Điều \d|[IVX]+\.|\d+\.|Thực hiện|Xét đề nghị)", re.IGNORECASE)


@dataclass(frozen=True)
class FirstPage:
    number: str | None = None       # "123/QĐ-UBND"
    date: date | None = None
    title: str | None = None        # "QUYẾT ĐỊNH Về việc ban hành ..." or "V/v ..."


def read_first_page(text: str) -> FirstPage:
    """The number, date and title stated at the top of `text` (NFC), each None when absent."""
    lines = [line.strip() for line in text.splitlines()[:FIRST_PAGE_LINES * 3] if line.strip()]
    lines = lines[:FIRST_PAGE_LINES]
    top = "\n".join(lines)
    number = NUMBER.search(top)
    return FirstPage(number=number.group(1) if number else None, date=_first_date(top), title=_title(lines))


def _first_date(text: str) -> date | None:
    for match in DATE.finditer(text):
        day, month, year = (int(group) for group in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _title(lines: list[str]) -> str | None:
    for index, line in enumerate(lines):
        if KIND.match(line) and line.upper() == line:
            subject = _subject(lines[index + 1:])
            return _clip(f"{line} {subject}" if subject else line)
    letter = next((line for line in lines if line.startswith(("V/v", "v/v"))), None)
    return _clip(letter) if letter else None


def _subject(lines: list[str]) -> str:
    """The subject under the kind of document: a `Về việc`-like line and the lines it wraps onto."""
    if not lines or not SUBJECT.match(lines[0]):
        return ""
    taken = [lines[0]]
    for line in lines[1:4]:
        if SUBJECT_ENDS.match(line) or not (line[0].islower() or line[0].isdigit()):
            break
        taken.append(line)
    return " ".join(taken)


def _clip(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE_CHARS else title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
