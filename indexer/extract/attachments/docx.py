"""Word (DOCX) to text with python-docx: paragraphs, then table cells, in document order.

A DOCX is a zip: its parts' declared sizes are checked before anything is inflated (a
zip bomb), python-docx's lxml parser resolves no entities, and the sandbox limits memory
in case a part lies about its size.
"""

from __future__ import annotations

import io
import zipfile

from indexer.extract.attachments.limits import Limits, TextBudget


def docx_text(data: bytes, limits: Limits) -> str:
    """The document's text (paragraphs and table cells in order), at most `limits.chars` characters."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_unpacked_size(data, limits.unpacked_bytes)
    document = docx.Document(io.BytesIO(data))
    budget = TextBudget(limits.chars)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            more = budget.add(block.text)
        elif isinstance(block, Table):
            more = budget.add("\n".join(_cells(block)))
        else:
            more = True
        if not more:
            break
    return budget.text()


def check_unpacked_size(data: bytes, limit: int) -> None:
    """Refuse a zip whose parts declare more than `limit` bytes once inflated."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        declared = sum(item.file_size for item in archive.infolist())
    if declared > limit:
        raise ValueError(f"unpacks to {declared} bytes (limit {limit})")


def _cells(table) -> list[str]:
    """Each row's cell texts, once each (a merged cell repeats in every row and column it spans)."""
    return [" ".join(dict.fromkeys(cell.text for cell in row.cells)) for row in table.rows]
