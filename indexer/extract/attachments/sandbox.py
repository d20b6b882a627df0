"""Attachment parsers run in a child process with a time limit, a memory limit and no way to hurt the indexer.

The indexer (or each extraction worker) starts one child, `python -m
indexer.extract.attachments.sandbox`, on the first attachment and feeds it files one
at a time over pipes: a JSON line (format, limits, size), the bytes; back comes one JSON
line (text and page count, or the reason there is none). The child caps its own address
space (`RLIMIT_AS`, set for each file); the parent waits at most `limits.seconds` for the answer, then kills
the child and starts a new one for the next file. A crash, an exception, a hang or
running out of memory all become "no text" with a reason: never a crash of the indexer.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.extract.attachments.limits import Limits

log = logging.getLogger(__name__)

ANSWER_LIMIT = 64_000_000           # bytes of one JSON answer (the text is capped far below)


@dataclass(frozen=True)
class Parsed:
    """What the parser got from one file: text and pages, or the reason it got nothing."""

    text: str = ""
    pages: int | None = None
    reason: str | None = None


class Sandbox:
    """One parser child process, restarted after a kill; `parse` never raises."""

    def __init__(self) -> None:
        self._child: subprocess.Popen | None = None

    def parse(self, file_format: str, data: bytes, limits: Limits) -> Parsed:
        try:
            child = self._started()
            header = {"format": file_format, "limits": limits.to_dict(), "size": len(data)}
            child.stdin.write(json.dumps(header).encode() + b"\n" + data)
            child.stdin.flush()
            line = self._answer(child, limits.seconds)
        except TimeoutError:
            self.close()
            return Parsed(reason=f"time limit: no answer in {limits.seconds:g} s")
        except (OSError, ValueError) as error:      # the child died (memory limit, crash)
            self.close()
            return Parsed(reason=f"parser process failed: {error}")
        answer = json.loads(line)
        return Parsed(text=answer.get("text", ""), pages=answer.get("pages"), reason=answer.get("reason"))

    def close(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.kill()
            child.wait()
            for stream in (child.stdin, child.stdout):
                stream.close()

    def _started(self) -> subprocess.Popen:
        if self._child is None or self._child.poll() is not None:
            self.close()
            self._child = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                           env=_child_environment())
        return self._child

    @staticmethod
    def _answer(child: subprocess.Popen, seconds: float) -> bytes:
        """One answer line, read within `seconds` (however the child writes it)."""
        deadline = time.monotonic() + seconds
        chunks: list[bytes] = []
        fd = child.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise ValueError(f"exited with status {child.wait()}")
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)
            if sum(map(len, chunks)) > ANSWER_LIMIT:
                raise ValueError("answer too long")


def _child_environment() -> dict[str, str]:
    """This environment, with the project importable whatever the working directory."""
    root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONWARNINGS": "ignore"}


def parse_in_this_process(file_format: str, data: bytes, limits: Limits) -> Parsed:
    """The parsing itself, as the child runs it: any failure becomes a reason."""
    from indexer.extract.attachments.docx import docx_text
    from indexer.extract.attachments.pdf import pdf_text

    try:
        if file_format == "pdf":
            text, pages = pdf_text(data, limits)
            return Parsed(text=text, pages=pages)
        if file_format == "docx":
            return Parsed(text=docx_text(data, limits))
        return Parsed(reason=f"no text extraction for {file_format} files")
    except MemoryError:
        return Parsed(reason="memory limit reached")
    except Exception as error:  # noqa: BLE001 - hostile files raise anything; the reason is logged
        return Parsed(reason=f"{type(error).__name__}: {str(error)[:200]}")


def _serve() -> None:
    """The child's loop: one file in, one JSON line out, until the parent closes the pipe."""
    logging.disable(logging.CRITICAL)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    while line := stdin.readline():
        header = json.loads(line)
        limits = Limits(**header["limits"])
        data = stdin.read(header["size"])
        soft = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(limits.memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        parsed = parse_in_this_process(header["format"], data, limits)
        stdout.write(json.dumps({"text": parsed.text, "pages": parsed.pages, "reason": parsed.reason},
                                ensure_ascii=False).encode() + b"\n")
        stdout.flush()


if __name__ == "__main__":
    _serve()
