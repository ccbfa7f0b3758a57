"""Real PDF files for upload tests, produced by WeasyPrint (no hand-made bytes)."""

from functools import cache


@cache
def tiny_pdf(text: str = "Document") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()
