#!/usr/bin/env python3
"""Writes problems/hello/problem_statement/problem.en.pdf: a one-page PDF 1.4 statement, built by
hand (no TeX on the box) with correct xref offsets, so the PDF download has a real file to serve.
Run it again after changing the text: python3 scripts/example-pdf.py"""
import os

LINES = [
    (18, "Hello"),
    (11, "Every programming contest starts with a greeting. Given a name, greet it."),
    (11, "Input: a single line with a name of 1 to 100 letters (a-z, A-Z)."),
    (11, "Output: one line, Hello, followed by the name and an exclamation mark."),
    (11, "Letter case is not checked, so hello, world! is also accepted."),
]


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def main() -> None:
    y = 780
    ops = []
    for size, text in LINES:
        ops.append(f"BT /F1 {size} Tf 56 {y} Td ({esc(text)}) Tj ET")
        y -= size + 12
    content = "\n".join(ops).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    dest = os.path.join(os.path.dirname(__file__), "..", "problems", "hello", "problem_statement", "problem.en.pdf")
    with open(dest, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
