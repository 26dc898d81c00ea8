"""PDF text extraction through pypdf with bounded work: stream size, decoding and page content.

A PDF is a container of compressed streams, so a 2 MB file can hold a 2 GB Flate stream, and a
30 KB file can hold hundreds of megabytes of text operators that pypdf parses at about 6 s per MB.
``pdf_pages`` bounds both and turns whatever pypdf raises into an ``InputError`` with the reason.
"""

from __future__ import annotations

import contextlib
import io
import zlib

from .errors import InputError

# A PDF stream (a page's content, an object stream) of text rarely inflates past a few MB; a
# bomb inflates to gigabytes. 16 MB per stream and 64 MB of decoding work per stream let real
# documents through and make a 2 GB Flate stream fail after 16 MB (pypdf's own limit is 75 MB).
PDF_MAX_STREAM_BYTES = 16 * 1024 * 1024
PDF_MAX_DECODING_WORK = 64 * 1024 * 1024
# Page content of real PDFs decodes to about 1-3x the file's size (fonts and images take much of
# the file); pypdf extracts text at roughly 6 s per MB of dense text operators, so a 30 KB file of
# many small bomb pages could keep it busy for hours. Page content may decode to at most 8x the
# file, and at least 2 MB: a 1 MB file costs at most about 8 MB of content, a linear bound.
PDF_CONTENT_RATIO = 8
PDF_MIN_CONTENT_BYTES = 2 * 1024 * 1024


def _pdf_limits():
    """A context that bounds pypdf's stream decoding (pypdf >= 6; older ones keep their own)."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # pragma: no cover - depends on the installed pypdf
        return contextlib.nullcontext()
    return apply_configuration(zlib_maximum_output_length=PDF_MAX_STREAM_BYTES,
                               lzw_maximum_output_length=PDF_MAX_STREAM_BYTES,
                               run_length_maximum_output_length=PDF_MAX_STREAM_BYTES,
                               array_based_stream_maximum_output_length=PDF_MAX_STREAM_BYTES,
                               stream_decoding_work_maximum_length=PDF_MAX_DECODING_WORK)


def _pdf_error(source: str, exc: BaseException) -> InputError:
    """The reason a PDF could not be read, from what pypdf raised."""
    from pypdf import errors

    name = type(exc).__name__
    if isinstance(exc, errors.DependencyError):
        return InputError(f"{source}: PDF is encrypted with AES, which needs the 'cryptography' "
                          "package — pip install cryptography, or decrypt it first (qpdf --decrypt)")
    if isinstance(exc, getattr(errors, "LimitReachedError", ())):
        return InputError(f"{source}: a PDF stream decodes to more than {PDF_MAX_STREAM_BYTES // 2**20} MB "
                          "(possible decompression bomb)")
    if isinstance(exc, MemoryError):
        return InputError(f"{source}: PDF needs more memory than is available to read")
    return InputError(f"{source}: broken PDF ({name}: {exc})")


def _page_texts(reader, source: str, budget: int) -> list[str]:
    """The text of each page, refusing the document once its page content exceeds ``budget`` bytes."""
    texts, total = [], 0
    for page in reader.pages:
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > budget:
            raise InputError(f"{source}: PDF page content decodes to more than {budget // 2**20} MB, "
                             f"{PDF_CONTENT_RATIO}x the file (possible decompression bomb)")
        texts.append(page.extract_text() or "")
    return texts


def pdf_pages(data: bytes, source: str) -> tuple[list[str], dict[str, str | None]]:
    """The text of each page and the title/author metadata; ``InputError`` when it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        with _pdf_limits():
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(f"{source}: PDF is encrypted with a password — decrypt it first "
                                 "(e.g. qpdf --decrypt)")
            pages = _page_texts(reader, source, max(PDF_MIN_CONTENT_BYTES, PDF_CONTENT_RATIO * len(data)))
            info = reader.metadata or {}
            meta = {"title": getattr(info, "title", None), "author": getattr(info, "author", None)}
    except InputError:
        raise
    except NotImplementedError as exc:
        raise InputError(f"{source}: PDF uses an unsupported encryption or feature ({exc})") from exc
    # pypdf's own errors, a missing AES library, and what its parsers raise on hostile bytes.
    except (PyPdfError, DependencyError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            OSError, RecursionError, MemoryError, zlib.error) as exc:
        raise _pdf_error(source, exc) from exc
    return pages, meta
