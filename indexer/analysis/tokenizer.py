"""The Vietnamese tokenizer: syllables, plus compound tokens that are not plain syllables.

Vietnamese writes one syllable per space-separated unit, so syllables are the
tokens and words are recovered at query time by phrase proximity. What is *not*
a plain syllable — document numbers (`10-CT/TW`, `123/QĐ-UBND`), dates
(`16/3/2023`), numbers with thousands separators (`1.250.000`), `COVID-19`,
e-mail and web addresses, `TP.HCM`, `Q.1` — is emitted as the whole token AND as
its parts: the parts at consecutive positions, the whole at the first part's
position, so that both the whole and any run of its parts are findable and
phrases around the compound still line up. Clause punctuation (`, ; . ? !` …)
or a line break between two tokens leaves one position free, so a phrase never
spans it. Every token carries `startchar` and
`endchar` into the text as given (not normalised), which snippets rely on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

# A letter or digit, then letters, digits, combining marks (NFD input) and invisible
# format characters (removed later by the NFC filter).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff"
PART = rf"[^\W_](?:[^\W_]|[{_MARKS}])*"
CONNECTORS = "-./@_"
URL = r"(?:https?|ftp)://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]"
TOKEN = re.compile(rf"{URL}|{PART}(?:[{re.escape(CONNECTORS)}]{PART})*", re.IGNORECASE)
PART_RE = re.compile(PART)
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
MAX_TOKEN_CHARS = 200   # longer runs are hostile or binary junk, not words
_CONNECTOR_SET = frozenset(CONNECTORS)
BREAK_CHARS = frozenset('.,;:!?()[]{}"“”«»…|')


class VietnameseTokenizer(Tokenizer):
    """Syllables and compounds (whole + parts) with positions and character offsets."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _fill(token, value, start_pos, start_char, start_char + len(value), keeporiginal)
            return
        token.boost = 1.0
        token.stopped = False
        for text, pos, start, end in token_spans(value):
            token.text = text
            token.pos = start_pos + pos
            token.startchar = start_char + start
            token.endchar = start_char + end
            if keeporiginal:
                token.original = text
            yield token


# The last text cut, by identity: each text is indexed in an exact and a folded field,
# so the second analysis reuses the first one's cut. A tuple swap is atomic: thread-safe.
_last_cut: tuple[str, list[tuple[str, int, int, int]]] = ("", [])


def token_spans(value: str) -> list[tuple[str, int, int, int]]:
    """(text, position, start, end) of every token of `value`, positions and offsets from 0.

    The tokenizer's own cut, without Whoosh's Token objects: for callers that go
    through many tokens (the index writer, snippets).
    """
    global _last_cut
    last_value, last_spans = _last_cut
    if value is last_value:
        return last_spans
    spans = []
    pos = 0
    last_end = 0
    for match in TOKEN.finditer(value):
        text = match.group()
        gap = value[last_end:match.start()]
        if gap != " " and last_end and is_break(gap):
            pos += 1                        # punctuation between clauses: no phrase across it
        last_end, start = match.end(), match.start()
        if len(text) <= MAX_TOKEN_CHARS and (text.isalnum() or not _is_compound(text)):
            spans.append((text, pos, start, last_end))       # the common case: a plain syllable
            pos += 1
            continue
        parts = 0
        for piece, first, end, offset in compound_tokens(text):
            spans.append((piece, pos + offset, start + first, start + end))
            parts = offset + 1
        pos += parts
    if len(value) > 64:
        _last_cut = (value, spans)
    return spans


def is_break(gap: str) -> bool:
    """A line break, or clause punctuation with space (`a, b`, `a. B`), not `1,5` or `a.b`."""
    return "\n" in gap or (not BREAK_CHARS.isdisjoint(gap) and any(c.isspace() for c in gap))


def _is_compound(text: str) -> bool:
    return not _CONNECTOR_SET.isdisjoint(text)


def compound_tokens(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(text, start, end, position offset) of a compound: the whole (and digits-only
    form of a grouped number) at offset 0, then each part at consecutive offsets."""
    if len(text) <= MAX_TOKEN_CHARS:
        yield text, 0, len(text), 0
        if THOUSANDS.fullmatch(text):
            yield text.replace(".", ""), 0, len(text), 0
    for offset, part in enumerate(PART_RE.finditer(text)):
        if len(part.group()) <= MAX_TOKEN_CHARS:
            yield part.group(), part.start(), part.end(), offset


def _fill(token: Token, text: str, pos: int, start: int, end: int, keeporiginal: bool) -> Token:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    token.pos = pos
    token.startchar = start
    token.endchar = end
    if keeporiginal:
        token.original = text
    return token
