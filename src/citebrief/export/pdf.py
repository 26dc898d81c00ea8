"""A brief as a PDF with fpdf2 and the Noto Sans font, both installed from the package index alone.

Why fpdf2: WeasyPrint needs the system's Pango, and reportlab's bundled Vera font lacks Cyrillic
and Greek; fpdf2 is pure Python and embeds (a subset of) any TrueType font. The font is Noto Sans
from the ``fontpkg-noto-sans`` wheel (OFL): Latin, Greek and Cyrillic, so "Орбан", "Łódź" and
typographic quotes print as written. It has no Chinese, Japanese or Korean glyphs; fpdf2 warns
and leaves such characters out (the Word export keeps them: Word picks a font on the reader's side).

Every ``[n]`` is a link to source n in the source list (a PDF GoTo link), in the actor table too.
"""

from __future__ import annotations

from pathlib import Path

from ..brief.model import Brief
from ..errors import ConfigError
from .layout import Heading, Paragraph, Quote, Run, SourceEntry, Table, blocks

FONT = "NotoSans"
BODY_PT, SMALL_PT = 10.5, 8
LINE_MM = 5.2
LINK_RGB = (31, 78, 153)
TEXT_RGB = (26, 26, 26)
QUOTE_RGB = (70, 70, 70)
HEADING_PT = {0: 17, 1: 13, 2: 11}


def _font_files() -> tuple[Path, Path]:
    """The upright and italic Noto Sans variable fonts shipped by ``fontpkg-noto-sans``."""
    try:
        import fontpkg_noto_sans
    except ImportError:
        raise ConfigError("PDF export needs the Noto Sans font package — reinstall citebrief "
                          "(pip install citebrief) or `pip install fontpkg-noto-sans`") from None
    folder = Path(fontpkg_noto_sans.__file__).resolve().parent / "files"
    upright, italic = folder / "NotoSans[wdth,wght].ttf", folder / "NotoSans-Italic[wdth,wght].ttf"
    if not (upright.is_file() and italic.is_file()):
        raise ConfigError(f"Noto Sans font files are missing from {folder} — reinstall fontpkg-noto-sans")
    return upright, italic


def _new_pdf(title: str):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    upright, italic = _font_files()
    # The files are variable fonts whose default instance is the regular weight. Instancing a bold
    # weight from them (fonttools) took 5 s of CPU per style here (the default instance: 0.02 s),
    # so "B" is the regular outline drawn with a thin stroke as well as filled (``_bold``).
    pdf.add_font(FONT, "", upright)
    pdf.add_font(FONT, "B", upright)
    pdf.add_font(FONT, "I", italic)
    pdf.set_title(title)
    pdf.set_creator("citebrief")
    pdf.set_text_color(*TEXT_RGB)
    pdf.add_page()
    return pdf


def _bold(pdf):
    """A context in which text is filled and outlined: bold from the regular outline."""
    return pdf.local_context(text_mode="FILL_STROKE", line_width=0.22, draw_color=TEXT_RGB)


def _write(pdf, runs: tuple[Run, ...], links: dict[int, int], size: float = BODY_PT) -> None:
    """Flowing text; a citation run is written in link colour with a link to its source."""
    for run in runs:
        target = links.get(run.cite) if run.cite is not None else None
        if target is not None:
            pdf.set_text_color(*LINK_RGB)
        pdf.set_font(FONT, "", size)
        room = pdf.w - pdf.r_margin - pdf.get_x() - 2 * pdf.c_margin
        if run.cite is not None and pdf.get_string_width(run.text) > room:
            pdf.ln(LINE_MM * size / BODY_PT)  # fpdf2 would split "[15]" across lines; keep it whole
        pdf.write(LINE_MM * size / BODY_PT, run.text, link=target if target is not None else "")
        pdf.set_text_color(*TEXT_RGB)


def _heading(pdf, block: Heading) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 25:  # no heading alone at the foot of a page
        pdf.add_page()
    pdf.ln(2 if block.level == 0 else 4)
    if block.level in (1, 2):  # the PDF outline (bookmarks pane) lists sections and annex entries
        pdf.start_section(block.text, level=block.level - 1, strict=False)
    pdf.set_font(FONT, "B", HEADING_PT[block.level])
    with _bold(pdf):
        pdf.multi_cell(0, HEADING_PT[block.level] * 0.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _paragraph(pdf, block: Paragraph, links: dict[int, int]) -> None:
    if block.bullet:
        indent = 5.0 * block.bullet
        pdf.set_left_margin(20 + indent)
        pdf.set_x(20 + indent - 4)
        pdf.set_font(FONT, "", BODY_PT)
        pdf.write(LINE_MM, "•" if block.bullet == 1 else "–")
        pdf.set_x(20 + indent)
    _write(pdf, block.runs, links, SMALL_PT if block.small else BODY_PT)
    pdf.set_left_margin(20)
    pdf.ln(LINE_MM)
    pdf.ln(1 if block.bullet else 2.5)


TABLE_PT = 9
CELL_PAD = 1.3
COLUMNS = (0.22, 0.18, 0.45, 0.15)  # shares of the text width: actor, position, reasons, sources
HEADER_RGB = (230, 233, 240)


def _table(pdf, table: Table, links: dict[int, int]) -> None:
    """The actor table, drawn cell by cell so each ``[n]`` in a cell is its own link.

    fpdf2's ``table()`` gives a cell one link at most; here each cell's runs are written with the
    page margins moved to the cell's edges, then the borders are drawn around the tallest cell.
    """
    widths = [pdf.epw * share for share in COLUMNS]
    header = tuple((Run(title),) for title in table.header)
    first = _row_height(pdf, header, widths) + (_row_height(pdf, table.rows[0], widths) if table.rows else 0)
    if pdf.get_y() + first > pdf.h - pdf.b_margin:  # no header alone at the foot of a page
        pdf.add_page()
    _row(pdf, header, widths, links, header=True)
    for cells in table.rows:
        if pdf.get_y() + _row_height(pdf, cells, widths) > pdf.h - pdf.b_margin:
            pdf.add_page()
            _row(pdf, header, widths, links, header=True)  # the header again on the next page
        _row(pdf, cells, widths, links)
    pdf.ln(3)


def _cell_height(pdf, runs: tuple[Run, ...], width: float) -> float:
    text = "".join(r.text for r in runs)
    lines = pdf.multi_cell(width - 2 * CELL_PAD, LINE_MM * TABLE_PT / BODY_PT, text, dry_run=True, output="LINES")
    return len(lines) * LINE_MM * TABLE_PT / BODY_PT + 2 * CELL_PAD


def _row_height(pdf, cells, widths: list[float]) -> float:
    pdf.set_font(FONT, "", TABLE_PT)
    return max(_cell_height(pdf, runs, w) for runs, w in zip(cells, widths))


def _row(pdf, cells, widths: list[float], links: dict[int, int], *, header: bool = False) -> None:
    need = _row_height(pdf, cells, widths)
    if pdf.get_y() + need > pdf.h - pdf.b_margin:
        pdf.add_page()
    top, left, right = pdf.get_y(), pdf.l_margin, pdf.r_margin
    if header:
        with pdf.local_context(fill_color=HEADER_RGB):
            pdf.rect(left, top, sum(widths), need, style="F")
    bottom, x = top, left
    pdf.set_auto_page_break(False)  # a row stays on one page (its height was checked above)
    for runs, width in zip(cells, widths):
        pdf.set_left_margin(x + CELL_PAD)
        pdf.set_right_margin(pdf.w - (x + width) + CELL_PAD)
        pdf.set_xy(x + CELL_PAD, top + CELL_PAD)
        if header:
            with _bold(pdf):
                _write(pdf, runs, links, TABLE_PT)
        else:
            _write(pdf, runs, links, TABLE_PT)
        bottom = max(bottom, pdf.get_y() + LINE_MM * TABLE_PT / BODY_PT + CELL_PAD)
        x += width
    pdf.set_left_margin(left)
    pdf.set_right_margin(right)
    pdf.set_auto_page_break(True, margin=18)
    with pdf.local_context(line_width=0.2, draw_color=(150, 150, 150)):
        x = left
        for width in widths:
            pdf.rect(x, top, width, bottom - top)
            x += width
    pdf.set_xy(left, bottom)


def _source(pdf, block: SourceEntry, links: dict[int, int]) -> None:
    pdf.set_link(links[block.n], y=pdf.get_y(), page=pdf.page)
    pdf.set_font(FONT, "B", BODY_PT)
    with _bold(pdf):
        pdf.write(LINE_MM, f"{block.n}. ")
    pdf.set_font(FONT, "", BODY_PT)
    pdf.write(LINE_MM, block.title + (f" — {block.meta}" if block.meta else ""))
    if block.where and block.where != block.title:
        pdf.write(LINE_MM, ". ")
        web = block.where.startswith(("http://", "https://"))
        if web:
            pdf.set_text_color(*LINK_RGB)
        pdf.write(LINE_MM, block.where, link=block.where if web else "", wrapmode="CHAR")
        pdf.set_text_color(*TEXT_RGB)
    pdf.ln(LINE_MM + 1.5)


def _quote(pdf, block: Quote) -> None:
    pdf.set_font(FONT, "I", 9.5)
    pdf.set_text_color(*QUOTE_RGB)
    pdf.set_x(26)
    pdf.multi_cell(0, 4.8, f"“{block.text}”", align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*TEXT_RGB)
    pdf.ln(1.5)


def to_pdf(brief: Brief) -> bytes:
    """The brief as the bytes of a PDF file."""
    pdf = _new_pdf(brief.question)
    plan = blocks(brief)
    links = {b.n: pdf.add_link() for b in plan if isinstance(b, SourceEntry)}
    for block in plan:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            _paragraph(pdf, block, links)
        elif isinstance(block, Table):
            _table(pdf, block, links)
        elif isinstance(block, SourceEntry):
            _source(pdf, block, links)
        elif isinstance(block, Quote):
            _quote(pdf, block)
    return bytes(pdf.output())
