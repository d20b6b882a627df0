"""What an index generation was built with, so that an index from another version is detected.

Each generation records in `format.json` the index format version and a
fingerprint of the schema and the analysis: every field's type and options, and
the terms each field's analyzer gives for a probe text that exercises what
Vietnamese analysis does (NFC and NFD, tone placement, đ, abbreviations,
document numbers, dates, numbers, addresses). A change of the analysis changes
the fingerprint by itself; `FORMAT_VERSION` is raised by hand for what the probe
cannot see (how a Document is stored, what the pipeline records).

An index whose record differs from the running code's (or that has none: built
before formats were recorded) still opens, but its terms may not be the ones
queries now look for: `indexer update` refuses to add to it, the web UI keeps
serving it and says so, verify reports it, and `python -m indexer rebuild`
replaces it.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from indexer.schema import build_schema

FORMAT_VERSION = 3                 # 2: attachments are documents; articles record their links
                                   # 3: near-duplicate clusters, the date's source
FORMAT_FILE = "format.json"
REBUILD = "python -m indexer rebuild"
PROBE = (
    "Hoà Thuỷ khoẻ Uý QUẢNG TRỊ Ho\u0300a thu\u0309y Đảng ủy phường Bến Nghé, "
    "UBND HĐND MTTQ TP.HCM TPHCM Q.1 số 10-CT/TW 123/QĐ-UBND ngày 16/3/2023, 1.234.567 đồng; "
    "COVID-19 admin@phuong.gov.vn "
    "https://bennghe.gov.vn/tin-tuc?id=7 đường dương đương duong “trích dẫn” (ngoặc) – gạch"
)


class IndexOutdated(Exception):
    """The live index was built by another version of the analysis or the index format."""


@cache
def current_format() -> dict[str, object]:
    """The record this version writes into every new generation."""
    return {"format": FORMAT_VERSION, "analysis": _fingerprint()}


def write_format(generation: Path) -> None:
    """Record the running version's format in a new generation (before it can become live)."""
    temporary = generation / f".{FORMAT_FILE}.tmp"
    temporary.write_text(json.dumps(current_format()), encoding="utf-8")
    os.replace(temporary, generation / FORMAT_FILE)


def format_mismatch(generation: Path | None) -> str | None:
    """Why the generation cannot be updated by this version (what it was built with), or None."""
    if generation is None:
        return None
    try:
        recorded = json.loads((generation / FORMAT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"the index in {generation} records no format: it was built by an older version"
    except (OSError, ValueError) as error:
        return f"the format record of the index in {generation} is unreadable ({error})"
    current = current_format()
    if recorded == current:
        return None
    if not isinstance(recorded, dict):
        return f"the format record of the index in {generation} is not an object"
    return (f"the index in {generation} was built by another version (index format {recorded.get('format')}, "
            f"analysis {recorded.get('analysis')}; this version writes format {current['format']}, "
            f"analysis {current['analysis']})")


def require_current_format(generation: Path | None) -> None:
    """Raise IndexOutdated, saying what to run, unless the generation was built with this format."""
    reason = format_mismatch(generation)
    if reason is not None:
        raise IndexOutdated(rebuild_advice(reason))


def rebuild_advice(reason: str) -> str:
    """The one sentence every place that detects a mismatch says."""
    return (f"{reason}; run `{REBUILD}` to rebuild it from the archive "
            "(the web UI serves the old index until the rebuild replaces it)")


def _fingerprint() -> str:
    """A short hash of the schema's fields and of what each field's analyzer makes of the probe."""
    described = []
    for name, field in sorted(build_schema().items()):
        entry = [name, type(field).__name__, type(field.format).__name__ if field.format else None,
                 bool(field.stored), bool(field.scorable), bool(getattr(field, "unique", False)),
                 type(field.column_type).__name__ if field.column_type else None]
        analyzer = getattr(field, "analyzer", None)
        if analyzer is not None and getattr(field, "format", None) is not None:
            entry.append([(token.text, token.pos) for token in analyzer(PROBE, positions=True)])
        described.append(entry)
    text = json.dumps(described, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
