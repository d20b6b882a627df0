"""PDF to text with pypdf, page by page, inside pypdf's own resource limits tightened further.

pypdf was measured against pdfminer.six on Vietnamese PDFs that embed a TrueType subset
with a ToUnicode map (`benchmarks/bench_pdf_text.py`); see `docs/architecture.md` for the
figures. pypdf is pure Python without dependencies and has configurable limits on every
decompression and parsing path (streams, arrays, page trees), which a hostile PDF needs;
the sandbox adds the time and memory limits it lacks.
"""

from __future__ import annotations

import io

from indexer.extract.attachments.limits import Limits, TextBudget

# Tighter than pypdf's defaults (75 MB per stream): ward documents' streams are far smaller.
STREAM_LIMITS = {
    "maximum_declared_stream_length": 30_000_000,
    "zlib_maximum_output_length": 30_000_000,
    "lzw_maximum_output_length": 30_000_000,
    "run_length_maximum_output_length": 30_000_000,
    "array_based_stream_maximum_output_length": 30_000_000,
    "image_maximum_buffer_size": 30_000_000,
    "jbig2dec_binary": None,                  # never run an external program on hostile bytes
}


def pdf_text(data: bytes, limits: Limits) -> tuple[str, int]:
    """The text of the first `limits.pages` pages, at most `limits.chars` characters, and the page count.

    Raises on an unreadable or encrypted file (the sandbox turns that into a reason).
    """
    import pypdf

    with pypdf.apply_configuration(**STREAM_LIMITS):
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise PermissionError("encrypted: a password is needed to read the text")
        budget = TextBudget(limits.chars)
        pages = len(reader.pages)
        for number in range(min(pages, limits.pages)):
            if not budget.add(reader.pages[number].extract_text() or ""):
                break
        return budget.text(), pages


def _opens_without_password(reader) -> bool:
    """Owner-password PDFs ("no copying") open with the empty user password, as every viewer does."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported encryption counts as locked
        return False
