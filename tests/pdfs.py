"""Hand-assembled PDFs for reader tests: a text PDF, a Flate bomb and an AES-encrypted file.

Built byte by byte (objects, then a cross-reference table with real offsets) so the tests need no
PDF-writing library and the hostile parts are exactly what they claim to be.
"""

from __future__ import annotations

import zlib

_ZERO_BLOCK = 1 << 20  # 1 MiB of zeros per repeated deflate block


def assemble(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose object n (1-based) is ``objects[n-1]``; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_objects(content: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content, extra),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII)."""
    ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    for line in lines:
        escaped = line.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") Tj T*")
    ops.append(b"ET")
    return assemble(_page_objects(b"\n".join(ops)))


def zeros_deflate(megabytes: int) -> bytes:
    """A valid zlib stream that inflates to ``megabytes`` MiB of zeros, built without inflating it.

    After a full flush the compressor forgets its history, so every 1 MiB block of zeros
    compresses to the same bytes (about 1 KB): 2 GiB costs 2,048 copies, about 2 MB. The adler-32
    trailer of n zeros is computable directly: a stays 1, b = n mod 65521.
    """
    comp = zlib.compressobj(9)
    first = comp.compress(b"\0" * _ZERO_BLOCK) + comp.flush(zlib.Z_FULL_FLUSH)
    header, block = first[:2], first[2:]
    n = megabytes * _ZERO_BLOCK
    final_empty_block = b"\x03\x00"
    adler = (((n % 65521) << 16) | 1).to_bytes(4, "big")
    return header + block * megabytes + final_empty_block + adler


def flate_bomb_pdf(megabytes: int = 2048) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MiB (2 GiB by default)."""
    return assemble(_page_objects(zeros_deflate(megabytes), b"/Filter /FlateDecode "))


def aes_encrypted_pdf() -> bytes:
    """A PDF encrypted with AES-256 (revision 6) whose user password is empty.

    The keys are random bytes: a reader either needs an AES implementation to even check the
    password (pypdf without `cryptography`) or finds that no password opens it; both must become
    that file's failure, never a crash of the batch.
    """
    encrypt = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -1028 "
               b"/O <" + b"ab" * 48 + b"> /U <" + b"cd" * 48 + b"> /OE <" + b"ef" * 32 + b"> "
               b"/UE <" + b"12" * 32 + b"> /Perms <" + b"34" * 16 + b"> "
               b"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> "
               b"/StmF /StdCF /StrF /StdCF >>")
    objects = _page_objects(b"\x8f" * 48) + [encrypt]
    return assemble(objects, trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"00" * 16, b"00" * 16))
