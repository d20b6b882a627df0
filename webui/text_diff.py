"""What changed between two versions of an article's text, word by word, the Vietnamese way.

A Vietnamese word is one to four syllables separated by spaces, so the unit compared is the
syllable (a run of letters and digits) and each punctuation mark; whitespace only separates
them. Texts are compared in NFC (a Mac's NFD reads the same), and nothing else is folded: a
changed diacritic (`Thủy` → `Thúy`) is a changed word, which is what an editor's correction is.

Paragraphs are compared first (difflib on whole paragraphs, cheap), then the words of the
paragraphs that differ, so that an edit in one paragraph never costs a word-level comparison
of the whole article. A run of changed paragraphs longer than `MAX_BLOCK_TOKENS` on either side
is shown as whole paragraphs removed and added: difflib is quadratic at worst.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TOKEN = re.compile(r"(\s*)(\w+|[^\w\s])")
PARAGRAPH_BREAK = "\n"            # the token that stands for a paragraph break inside a compared block
MAX_BLOCK_TOKENS = 5000


@dataclass(frozen=True)
class Token:
    text: str
    space: str = ""               # the whitespace before it in its text

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


@dataclass(frozen=True)
class Segment:
    """A run of tokens shown alike: kept ("same"), added ("ins") or removed ("del")."""

    kind: str
    text: str
    space: str = ""               # whitespace shown before it, outside any <ins>/<del>


@dataclass
class TextDiff:
    paragraphs: list[list[Segment]] = field(default_factory=list)
    inserted: int = 0             # words (syllables and numbers; not punctuation) added
    deleted: int = 0              # words removed

    @property
    def changed(self) -> bool:
        return any(segment.kind != "same" for paragraph in self.paragraphs for segment in paragraph)


def split_paragraphs(text: str) -> list[str]:
    """The text's paragraphs in NFC (blank-line separated, as extraction writes them)."""
    text = unicodedata.normalize("NFC", text or "")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def tokens(paragraph: str) -> list[Token]:
    return [Token(m.group(2), " " if m.group(1) else "") for m in TOKEN.finditer(paragraph)]


def diff_texts(old: str, new: str) -> TextDiff:
    """The word-level difference from `old` to `new`, paragraph by paragraph."""
    before, after = split_paragraphs(old), split_paragraphs(new)
    result = _Builder()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            for paragraph in after[b1:b2]:
                result.paragraph([("same", t) for t in tokens(paragraph)])
        else:
            _diff_block(before[a1:a2], after[b1:b2], result)
    return result.diff


def _block_tokens(paragraphs: list[str]) -> list[Token]:
    """The tokens of consecutive paragraphs, with a break token between them."""
    out: list[Token] = []
    for index, paragraph in enumerate(paragraphs):
        if index:
            out.append(Token(PARAGRAPH_BREAK))
        out.extend(tokens(paragraph))
    return out


def _diff_block(before: list[str], after: list[str], result: _Builder) -> None:
    """Changed paragraphs: their words compared, or whole paragraphs when the block is too long."""
    old, new = _block_tokens(before), _block_tokens(after)
    if max(len(old), len(new)) > MAX_BLOCK_TOKENS:
        for paragraph in before:
            result.paragraph([("del", t) for t in tokens(paragraph)])
        for paragraph in after:
            result.paragraph([("ins", t) for t in tokens(paragraph)])
        return
    marked: list[tuple[str, Token]] = []
    matcher = SequenceMatcher(None, [t.text for t in old], [t.text for t in new], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            marked.extend(("same", t) for t in new[b1:b2])
            continue
        marked.extend(("del", t) for t in old[a1:a2])
        marked.extend(("ins", t) for t in new[b1:b2])
    current: list[tuple[str, Token]] = []
    for kind, token in marked:
        if token.text == PARAGRAPH_BREAK:
            result.paragraph(current)
            current = []
        else:
            current.append((kind, token))
    result.paragraph(current)


class _Builder:
    """Collects paragraphs of marked tokens as segments, counting the words added and removed."""

    def __init__(self) -> None:
        self.diff = TextDiff()

    def paragraph(self, marked: list[tuple[str, Token]]) -> None:
        if not marked:
            return
        segments: list[Segment] = []
        for kind, token in marked:
            if kind == "ins" and token.is_word:
                self.diff.inserted += 1
            elif kind == "del" and token.is_word:
                self.diff.deleted += 1
            if segments and segments[-1].kind == kind:
                last = segments[-1]
                segments[-1] = Segment(kind, last.text + token.space + token.text, last.space)
            else:
                segments.append(Segment(kind, token.text, token.space if segments else ""))
        self.diff.paragraphs.append(segments)
