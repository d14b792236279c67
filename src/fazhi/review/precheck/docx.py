"""Text of an uploaded .docx for the pre-check: what Word shows, read by fazhi.core.docx_text.

Contract: `is_docx(data)` checks the content (a zip holding word/document.xml), not the file name; a
Word file the system cannot read at all (an open password, a package that would unpack to hundreds of
MB) raises ValidationFailed with the reason, so the drafter is not told to convert a file that already
is a .docx. `docx_text(data)` → plain text, one paragraph per line, in document order: automatic
numbering written out as Word draws it (第一条, 一、, 1.), tracked changes accepted, table rows with
their cells joined by " | ", text boxes, footnotes and endnotes at the end ("" for an empty document).
"""

from __future__ import annotations

import io
import zipfile

from fazhi.core import docx_text as reader
from fazhi.core import uploads
from fazhi.core.errors import ValidationFailed


def is_docx(data: bytes) -> bool:
    if uploads.ole_kind(data) == "encrypted":
        raise ValidationFailed(uploads.ole_refusal("encrypted", "", wanted="docx"))
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                return False
            uploads.check_zip(z, name="")
            return True
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows in document order, footnotes and endnotes last."""
    return reader.text(data, name="")
