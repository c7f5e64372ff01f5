"""Make the bad, hostile and big inputs that tests/test_badinput.py runs on.

Nothing is downloaded: every file is built here, from bytes.  Each case names
the file, what ``policyparse extract`` must do with it (an error code, or None
for "extracts fine"), and why.  Run as a script to look at the files:

    python tests/badinput/generate.py /tmp/bad && ls /tmp/bad
"""

from __future__ import annotations

import io
import os
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

NOTICE = (
    "关于印发重点工作任务的通知\n"
    "各有关单位：\n"
    "一、总体要求\n"
    "（一）加强组织领导。到2025年，覆盖率达到90%以上。\n"
    "（二）强化督查。每季度开展1次督查。\n"
    "二、保障措施\n"
    "1．落实责任。各单位于2024年6月底前报送工作进展。\n"
)


@dataclass
class Case:
    """One input file and the behaviour the CLI must show for it."""

    name: str  # file name (relative to the output directory)
    code: str | None  # expected error code; None = extracts without error
    why: str
    warning: str | None = None  # a warning code the document must carry
    needs: str | None = None  # "pdf": needs the PDF reader; "slow": big
    kind: str = "file"  # file | dir | fifo | symlink
    extra: dict = field(default_factory=dict)


# ---- PDF bytes, built by hand -------------------------------------------------


def pdf_bytes(content: bytes, *, encrypt: bool = False) -> bytes:
    """A one-page PDF whose page draws ``content`` (a content stream), with xref.

    >>> pdf_bytes(b"").startswith(b"%PDF-1.4")
    True
    """
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        # standard security handler, RC4 40-bit; a /U that no empty password
        # produces, so a reader must ask for the (unknown) user password
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -44 >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if encrypt:
        trailer += b" /Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


TEXT_PAGE = b"BT /F1 14 Tf 72 760 Td (1. Strengthen leadership by 2025.) Tj ET"
IMAGE_PAGE = b"0.2 0.2 0.2 rg 72 72 451 698 re f"  # a filled box: a page with no text


# ---- the cases -----------------------------------------------------------------


def _zip(members: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in (members or {"data/table.csv": "a,b\n1,2\n"}).items():
            z.writestr(name, body)
    return buf.getvalue()


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00" + bytes(range(256)) * 4


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02" + bytes(300)


def _noise(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def big_text(size: int) -> bytes:
    """A realistic notice repeated to ``size`` bytes (UTF-8), items renumbered."""
    out, n = [], 0
    block = "（{n}）加强组织领导。到2025年，覆盖率达到90%以上，每季度开展1次督查。各单位要落实责任。\n"
    head = NOTICE.encode()
    total = len(head)
    out.append(head)
    while total < size:
        n += 1
        line = f"{_han(n % 99 + 1)}、第{n}部分\n" + block.format(n=_han(1))
        b = line.encode()
        out.append(b)
        total += len(b)
    return b"".join(out)[:size].rsplit(b"\n", 1)[0] + b"\n"


def _han(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def cases(big: bool = False) -> list[Case]:
    """Every case, with the bytes to write under ``extra['data']``."""
    broken = NOTICE.encode().split(b"\n")
    broken[4] = broken[4][:10] + b"\xff\xfe\x80" + broken[4][10:]  # invalid UTF-8 on line 5
    gbk_broken = NOTICE.encode("gbk").split(b"\n")
    gbk_broken[3] = gbk_broken[3][:6] + b"\x80\xff" + gbk_broken[3][6:]  # line 4
    pdf_ok = pdf_bytes(TEXT_PAGE)
    nested = []
    for i in range(1, 40):
        nested += [f"{_han(i)}、第{i}部分", "（一）要求。", "1．细则。", "（1）分项。", "①具体。", f"第{_han(i)}条 规定。"]
    c = [
        Case("empty.txt", "empty", "a zero-byte file", extra={"data": b""}),
        Case("whitespace.txt", "empty", "only spaces, tabs, newlines and U+3000", extra={"data": " \t\n\r\n\u3000\n".encode()}),
        Case("image.png", "not-text", "PNG magic bytes", extra={"data": _png()}),
        Case("archive.zip", "not-text", "a ZIP archive", extra={"data": _zip()}),
        Case("broken.docx", "damaged", "a ZIP that names a Word body but is no Word file", extra={"data": _zip({"word/document.xml": "<w:document/>"})}),
        Case("program.elf", "not-text", "an ELF executable", extra={"data": _elf()}),
        Case("noise.txt", "not-text", "random bytes without any magic", extra={"data": _noise(4096)}),
        Case("controls.txt", "not-text", "valid UTF-8 made of control characters", extra={"data": bytes(range(1, 9)) * 500}),
        Case("really_pdf.txt", None, "a .txt that is a PDF: read as PDF (by content)", needs="pdf", extra={"data": pdf_ok, "format": "pdf"}),
        Case("really_text.pdf", None, "a .pdf that is text: read as text (by content)", extra={"data": NOTICE.encode(), "format": "txt"}),
        Case("truncated.pdf", "damaged", "a PDF cut off after its first object", needs="pdf", extra={"data": pdf_ok[:120]}),
        Case("encrypted.pdf", "encrypted", "a PDF that needs a user password", needs="pdf", extra={"data": pdf_bytes(TEXT_PAGE, encrypt=True)}),
        Case("scanned.pdf", "no-text-layer", "a PDF page without text (a scan)", needs="pdf", extra={"data": pdf_bytes(IMAGE_PAGE)}),
        Case("gbk.txt", None, "GBK without BOM", extra={"data": NOTICE.encode("gbk"), "encoding": "gb18030"}),
        Case("utf16le_bom.txt", None, "UTF-16 LE with BOM", extra={"data": b"\xff\xfe" + NOTICE.encode("utf-16-le"), "encoding": "utf-16-le"}),
        Case("utf16be_bom.txt", None, "UTF-16 BE with BOM", extra={"data": b"\xfe\xff" + NOTICE.encode("utf-16-be"), "encoding": "utf-16-be"}),
        Case("utf16le.txt", None, "UTF-16 LE without BOM", extra={"data": NOTICE.encode("utf-16-le"), "encoding": "utf-16-le"}),
        Case("utf16be.txt", None, "UTF-16 BE without BOM", extra={"data": NOTICE.encode("utf-16-be"), "encoding": "utf-16-be"}),
        Case("broken_utf8.txt", None, "invalid UTF-8 bytes on line 5", warning="decode-replaced", extra={"data": b"\n".join(broken), "line": 5}),
        Case("broken_gbk.txt", None, "invalid GBK bytes on line 4", warning="decode-replaced", extra={"data": b"\n".join(gbk_broken), "line": 4}),
        Case("nul.txt", None, "NUL bytes inside the text", warning="nul-bytes", extra={"data": NOTICE.encode().replace("覆盖率".encode(), b"\x00\x00")}),
        Case("big_fast.txt", None, "a 128 KB notice (fast variant of the 50 MB one)", extra={"data": big_text(128 * 1024)}),
        Case("long_line_fast.txt", None, "one line of 55,000 characters", extra={"data": ("覆盖率达到90%以上，" * 5_000).encode()}),
        Case("labels_lines_fast.txt", None, "5,000 numbering labels, one per line", extra={"data": _labels_lines(5_000)}),
        Case("labels_row_fast.txt", None, "10,000 numbering labels in one line", extra={"data": ("1．" * 10_000 + "\n").encode()}),
        Case("nested.txt", None, "six numbering styles nested, 39 times over", extra={"data": "\n".join(nested).encode()}),
        Case("header_only.txt", None, "only a table header", extra={"data": "序号\t工作内容\t牵头单位\t完成时限\n".encode()}),
        Case("markdown.md", None, "markdown markup", extra={"data": ("# 通知\n\n**一、总体要求**\n\n> 到2025年完成。\n").encode()}),
        Case("a directory", "not-found", "a directory without inputs named as an input", kind="dir"),
        Case("pipe.txt", "unreadable", "a FIFO (reading would block)", kind="fifo"),
        Case("dangling.txt", "not-found", "a symbolic link to nothing", kind="symlink"),
        Case("通知 文件 (1).txt", None, "a path with spaces and non-ASCII characters", extra={"data": NOTICE.encode()}),
        Case("sparse_huge.txt", "too-large", "a 201 MB (sparse) file: refused before reading", kind="sparse", extra={"size": 201 * 1024 * 1024}),
    ]
    if big:
        c += [
            Case("big_50mb.txt", None, "a 50 MB notice", needs="slow", extra={"data": big_text(50 * 1024 * 1024)}),
            Case("long_line.txt", None, "one line of 5 million characters", needs="slow", extra={"data": ("覆盖率达到90%以上，" * 500_000).encode()}),
            Case("labels_lines.txt", None, "100,000 numbering labels, one per line", needs="slow", extra={"data": _labels_lines(100_000)}),
            Case("labels_row.txt", None, "100,000 numbering labels in one line", needs="slow", extra={"data": ("1．" * 100_000 + "\n").encode()}),
        ]
    return c


def _labels_lines(n: int) -> bytes:
    return "".join(f"（{_han(i % 99 + 1)}）\n" for i in range(n)).encode()


def build(directory: Path, big: bool = False) -> list[Case]:
    """Write every case into ``directory``; return the cases."""
    directory.mkdir(parents=True, exist_ok=True)
    made = cases(big)
    for case in made:
        p = directory / case.name
        if case.kind == "dir":
            p.mkdir(exist_ok=True)
        elif case.kind == "fifo":
            if not p.exists():
                os.mkfifo(p)
        elif case.kind == "symlink":
            if not p.is_symlink():
                p.symlink_to(directory / "no such target.txt")
        elif case.kind == "sparse":
            with open(p, "wb") as f:
                f.truncate(case.extra["size"])
        else:
            p.write_bytes(case.extra["data"])
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "badinput-files")
    for case in build(target, big="--big" in sys.argv):
        print(f"{case.name}\t{case.code or 'ok'}\t{case.why}")
