"""PDF text extraction: pypdf against pdfminer.six on Vietnamese PDFs with an embedded TrueType font.

Run from the project root:  .venv/bin/python -m benchmarks.bench_pdf_text [--docs 30]
Each corpus article becomes a PDF written by fpdf2 in DejaVu Sans (a subset embedded with its
ToUnicode map, the way office suites write it), once left-aligned and once justified (justified
lines move every word on its own: where extractors lose or invent spaces). Each library's text is
compared with the source (NFC, whitespace collapsed): character F1 (longest matching blocks) and
word F1 (bag of words: a lost space merges two syllables, which is what search notices), and the
time per page. Needs the corpus and Debian's fonts-dejavu-core; skips without them.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_pdf_text.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from tests.office_files import FONT, text_pdf  # noqa: E402

SPACE = re.compile(r"\s+")


def pypdf_text(data: bytes) -> tuple[str, int]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def pdfminer_text(data: bytes) -> tuple[str, int]:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage

    pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    return extract_text(io.BytesIO(data)), pages


Extractor = Callable[[bytes], tuple[str, int]]
LIBRARIES: dict[str, Extractor] = {"pypdf": pypdf_text, "pdfminer.six": pdfminer_text}


def normalized(text: str) -> str:
    return SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def f1(matched: int, produced: int, expected: int) -> float:
    if not matched:
        return 0.0
    precision, recall = matched / produced, matched / expected
    return 2 * precision * recall / (precision + recall)


def char_f1(extracted: str, source: str) -> float:
    blocks = SequenceMatcher(None, extracted, source, autojunk=False).get_matching_blocks()
    return f1(sum(block.size for block in blocks), len(extracted), len(source))


def word_f1(extracted: str, source: str) -> float:
    produced, expected = Counter(extracted.split()), Counter(source.split())
    return f1(sum((produced & expected).values()), sum(produced.values()), sum(expected.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    parser.set_defaults(docs=30)
    args = parser.parse_args(argv)
    if not FONT.is_file():
        print(f"{FONT} missing (apt-get install fonts-dejavu-core); skipping", file=sys.stderr)
        return 0
    articles = [a for a in load_or_exit(args) if a.body.strip()]
    rows = []
    for justify in (False, True):
        pdfs = []
        for article in articles:
            paragraphs = [article.title.upper(), *article.text.split("\n\n")]
            pdfs.append((text_pdf([paragraphs], justify=justify), normalized("\n".join(paragraphs))))
        for name, extract in LIBRARIES.items():
            chars, words, per_page = [], [], []
            for data, source in pdfs:
                started = time.perf_counter()
                text, pages = extract(data)
                per_page.append((time.perf_counter() - started) * 1000 / max(pages, 1))
                text = normalized(text)
                chars.append(char_f1(text, source))
                words.append(word_f1(text, source))
            layout = "justified" if justify else "left"
            rows.append([name, layout, len(pdfs), f"{statistics.median(chars):.4f}", f"{min(chars):.4f}",
                         f"{statistics.median(words):.4f}", f"{min(words):.4f}",
                         f"{statistics.median(per_page):.1f}"])
    print(format_table(["library", "layout", "n", "char F1 median", "char F1 min", "word F1 median",
                        "word F1 min", "ms/page median"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
