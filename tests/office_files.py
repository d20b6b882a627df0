"""Real attachments for tests and benchmarks: Vietnamese PDFs with an embedded font, DOCX, hostile files.

PDFs are written with fpdf2 and Debian's DejaVu Sans (Vietnamese glyphs; `fonts-dejavu-core`,
which `.ci/run` installs): the font is embedded as a subset with a ToUnicode map, as office
suites and ward scanners' OCR software write them. A "scanned" PDF holds only an image.
The hostile files are what an attachment parser must survive: a decompression bomb, an
encrypted PDF, a truncated DOCX, a DOCX whose XML expands to gigabytes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from tests.media import png

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The first page of an administrative decision, as ward offices publish them.
DECISION_HEADER = ("ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "Độc lập - Tự do - Hạnh phúc")
DECISION_NUMBER = "123/QĐ-UBND"
DECISION_DATE_LINE = "Bến Nghé, ngày 16 tháng 3 năm 2023"
DECISION_TITLE = "QUYẾT ĐỊNH"
DECISION_SUBJECT = "Về việc ban hành Kế hoạch ra quân dọn dẹp vệ sinh môi trường năm 2023"
DECISION_PARAGRAPHS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; căn cứ kế hoạch của Ủy ban nhân "
    "dân quận về bảo vệ môi trường đô thị, xét đề nghị của công chức Địa chính - Xây dựng phường.",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch ra quân dọn dẹp vệ sinh môi trường, khơi thông cống "
    "rãnh và phát quang bụi rậm trên địa bàn các khu phố trong năm 2023.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Ủy ban nhân dân phường, trưởng các khu phố "
    "và các đoàn thể chịu trách nhiệm thi hành Quyết định này.",
)


def require_font() -> Path:
    """The TrueType font the PDFs embed; a clear message when the Debian package is missing."""
    if not FONT.is_file():
        raise FileNotFoundError(f"{FONT} is missing: apt-get install fonts-dejavu-core (.ci/run does)")
    return FONT


def decision_lines() -> list[str]:
    """The decision's text, line by line, as it is laid out on its first page."""
    return [*DECISION_HEADER, f"Số: {DECISION_NUMBER}", DECISION_DATE_LINE, DECISION_TITLE, DECISION_SUBJECT,
            *DECISION_PARAGRAPHS]


def text_pdf(pages: Sequence[Sequence[str]], justify: bool = False) -> bytes:
    """A PDF with one page per item of `pages`, each a list of paragraphs, in DejaVu Sans."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_compression(True)
    document.add_font("DejaVu", "", str(require_font()))
    for paragraphs in pages:
        document.add_page()
        for paragraph in paragraphs:
            heading = paragraph.isupper()
            document.set_font("DejaVu", "", 13 if heading else 11)
            document.multi_cell(0, 6, paragraph, align="C" if heading else ("J" if justify else "L"),
                                new_x="LMARGIN", new_y="NEXT")
            document.ln(2)
    return bytes(document.output())


def decision_pdf() -> bytes:
    """The decision `123/QĐ-UBND` of 16 March 2023 as a two-page PDF with a text layer."""
    first = decision_lines()
    return text_pdf([first, ["Nơi nhận: như Điều 2; lưu văn phòng.", "CHỦ TỊCH"]])


def scanned_pdf() -> bytes:
    """A PDF whose page is only an image, as a scanner writes it: no text layer at all."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.add_page()
    document.image(io.BytesIO(png(60, 80, (235, 235, 225))), x=10, y=10, w=190)
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    """A text PDF that needs a password to open (AES-128)."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    document = FPDF(format="A4")
    document.set_encryption(owner_password="chu-so-huu", user_password="mat-khau",
                            encryption_method=EncryptionMethod.AES_128)
    document.add_font("DejaVu", "", str(require_font()))
    document.set_font("DejaVu", "", 11)
    document.add_page()
    document.multi_cell(0, 6, "Văn bản mật: không được trích xuất nội dung này.")
    return bytes(document.output())


def bomb_pdf(expanded_bytes: int = 2_000_000_000) -> bytes:
    """A one-page PDF whose content stream inflates to `expanded_bytes` of zeros (ratio ~1000:1)."""
    stream = zeros_deflated(expanded_bytes)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    return _pdf_file(objects)


def zeros_deflated(size: int) -> bytes:
    """A zlib stream of `size` zero bytes, made in milliseconds: one fully flushed block repeated."""
    chunk = 10_000_000
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(bytes(chunk)) + raw.flush(zlib.Z_FULL_FLUSH)   # self-contained: no back-references
    repeats = max(1, size // chunk)
    checksum = ((repeats * chunk) % 65521) << 16 | 1       # Adler-32 of zeros: A stays 1, B counts bytes
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return b"\x78\xda" + block * repeats + final + checksum.to_bytes(4, "big")


def many_pages_pdf(pages: int = 20_000) -> bytes:
    """A PDF of thousands of pages sharing one short content stream: what a page cap is for."""
    kids = b" ".join(b"%d 0 R" % (4 + n) for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Trang danh sach) Tj ET\nendstream"]
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Resources %s /Contents 3 0 R >>"
                % font] * pages
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def decision_docx(lines: Sequence[str] | None = None) -> bytes:
    """The decision as a Word document (python-docx), one paragraph per line."""
    import docx

    document = docx.Document()
    for line in lines or decision_lines():
        paragraph = document.add_paragraph(line)
        if line.isupper():
            paragraph.runs[0].bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def truncated_docx() -> bytes:
    """The first half of a DOCX: a zip without its central directory."""
    whole = decision_docx()
    return whole[: len(whole) // 2]


def bomb_docx(expanded_bytes: int = 100_000_000) -> bytes:
    """A DOCX whose document.xml declares a small size but inflates to `expanded_bytes`."""
    source = io.BytesIO(decision_docx())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for item in original.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, original.read(item))
        with bomb.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            block = b"a" * 10_000_000
            for _ in range(expanded_bytes // len(block)):
                handle.write(block)
            handle.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()
