#!/usr/bin/env python3
"""Makes the lint corpus: DOCX files written outside vanthu, with python-docx, each a
Decree 30 document with none or some of the faults clerks make. What each must produce
is in expected.toml beside them. Run from this folder:

    python3 make_corpus.py && bash lo_resave.sh

Rule lengths are measured with Liberation Serif (Times New Roman's metrics) from
../../../fonts, so a "right" rule is right by the Decree's measure, not by ours.
"""
import os
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips, RGBColor
from PIL import ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = os.path.join(HERE, "..", "..", "..", "fonts")


def width_twips(text, size, bold=False, italic=False):
    face = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
            (True, True): "BoldItalic"}[(bold, italic)]
    font = ImageFont.truetype(os.path.join(FONTS, f"LiberationSerif-{face}.ttf"), 1000)
    return round(font.getlength(text) / 1000 * size * 20)


# The faults a document can carry; each maker below reads the ones it knows.
DEFAULT = dict(
    kind="bao-cao",
    paper=(210, 297), landscape=False, margins=(20, 20, 30, 15),  # top, bottom, left, right mm
    font="Times New Roman",
    national_title="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", national_bold=True, national_size=13,
    motto="Độc lập - Tự do - Hạnh phúc", motto_size=14, motto_rule="border",  # border|none|long|underline|typed|shape
    agency=("ỦY BAN NHÂN DÂN", "XÃ PHÚ THÁI"), agency_rule="border", agency_bold=True,
    number_bold=False, summary_rule=True, body_colour=None, archive=True, draft=False,
    number="Số: 05/BC-UBND", place_date="Phú Thái, ngày 05 tháng 11 năm 2025",
    title="BÁO CÁO", summary="Kết quả thực hiện nhiệm vụ tháng 11 năm 2025",
    letter_summary="V/v đôn đốc gửi báo cáo tháng 11 năm 2025",
    body_size=14, body_align="both", body_indent=567, body_font=None,
    authority=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), signer="Nguyễn Văn An",
    recipients_heading_size=12, recipients_size=11,
    page_number="header",  # header | first | footer | none
    header_layout="table",  # table | tabs | textbox
    styles=False,  # formatting from styles instead of direct formatting
)

BODY = [
    "Thực hiện Kế hoạch số 12/KH-UBND ngày 02 tháng 01 năm 2025 của Ủy ban nhân dân xã về "
    "triển khai nhiệm vụ năm 2025, Ủy ban nhân dân xã báo cáo kết quả thực hiện tháng 11 "
    "năm 2025 như sau:",
    "Trong tháng, các cơ quan, đơn vị đã hoàn thành các chỉ tiêu được giao; tỷ lệ hồ sơ giải "
    "quyết đúng hạn đạt 98,5 %, tăng 1,2 % so với tháng trước.",
    "Ủy ban nhân dân xã đề nghị các cơ quan, đơn vị tiếp tục triển khai các nhiệm vụ còn lại "
    "theo kế hoạch và báo cáo kết quả trước ngày 25 hằng tháng./.",
]


def set_cell_width(cell, twips):
    cell.width = Twips(twips)


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(
        f'<w:tblBorders {nsdecls("w")}>' + "".join(
            f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"))


def para_format(p, align="center", before=0, after=0, line=None, first=None):
    pf = p.paragraph_format
    pf.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
                    "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line:
        pf.line_spacing = line
    if first is not None:
        pf.first_line_indent = Twips(first)


def run(p, text, size, bold=False, italic=False, font=None, underline=False, direct=True):
    r = p.add_run(text)
    if direct:
        r.font.size = Pt(size)
        r.bold = bold
        r.italic = italic
    if font:
        r.font.name = font
        r._element.rPr.rFonts.set(qn("w:cs"), font)
        r._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if underline:
        r.underline = True
    return r


def rule_after(container, inner_width, length, kind="border"):
    """A short solid rule: an empty paragraph with a bottom border, its indents setting the
    length (kind "border"), or a drawn line (kind "shape")."""
    p = container.add_paragraph()
    para_format(p)
    if kind == "shape":
        emu = length * 635
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
            f'<v:line from="0,0" to="{length / 20:.1f}pt,0" strokeweight=".75pt"/>'
            f'</w:pict></w:r>'))
        del emu
        return p
    side = max(0, (inner_width - length) // 2)
    p.paragraph_format.left_indent = Twips(side)
    p.paragraph_format.right_indent = Twips(side)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'))
    p.add_run().font.size = Pt(4)
    return p


def page_number_field(paragraph, size=14):
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = paragraph.add_run()
    r.font.size = Pt(size)
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    r2 = paragraph.add_run()
    r2._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
    r3 = paragraph.add_run()
    r3._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def make(name, **faults):
    o = dict(DEFAULT)
    o.update(faults)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = o["font"]
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), o["font"])
    normal.element.rPr.rFonts.set(qn("w:cs"), o["font"])
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    sec = doc.sections[0]
    w, h = o["paper"]
    if o["landscape"]:
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = h, w
    sec.page_width, sec.page_height = Mm(w), Mm(h)
    top, bottom, left, right = o["margins"]
    sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
    sec.left_margin, sec.right_margin = Mm(left), Mm(right)
    sec.header_distance = Mm(10)
    text_width = round((w - left - right) * 56.6929)

    if o["page_number"] == "header":
        sec.different_first_page_header_footer = True
        page_number_field(sec.header.paragraphs[0])
    elif o["page_number"] == "first":
        page_number_field(sec.header.paragraphs[0])
    elif o["page_number"] == "footer":
        sec.different_first_page_header_footer = True
        page_number_field(sec.footer.paragraphs[0])

    letter = o["kind"] == "cong-van"
    left_w = round(text_width * 0.36)
    right_w = text_width - left_w
    if o["header_layout"] == "table":
        header = doc.add_table(rows=2, cols=2)
        no_borders(header)
        header.autofit = False
        header.columns[0].width = Twips(left_w)
        header.columns[1].width = Twips(right_w)
        for row in header.rows:
            set_cell_width(row.cells[0], left_w)
            set_cell_width(row.cells[1], right_w)
        lc, rc = header.rows[0].cells
        nc, dc = header.rows[1].cells
        for c in (lc, rc, nc, dc):
            c._tc.remove(c.paragraphs[0]._p)
        header_left(lc, o, left_w - 216)
        header_right(rc, o, right_w - 216)
        p = nc.add_paragraph()
        para_format(p, before=6)
        run(p, o["number"], 13, bold=o["number_bold"], font=o["body_font"])
        if o["draft"]:
            p = nc.add_paragraph()
            para_format(p, before=6)
            run(p, "DỰ THẢO", 13, bold=True)
        if letter:
            p = nc.add_paragraph()
            para_format(p, before=6)
            run(p, o["letter_summary"], 12)
        p = dc.add_paragraph()
        para_format(p, before=6)
        run(p, o["place_date"], 14, italic=True)
    elif o["header_layout"] == "tabs":
        # One paragraph per header line, the two columns split by a centred tab stop each.
        left_c, right_c = left_w // 2, left_w + right_w // 2
        lines = [
            (o["agency"][0], True, 13, o["national_title"], o["national_bold"], o["national_size"]),
            (o["agency"][1], True, 13, o["motto"], True, o["motto_size"]),
        ]
        for i, (lt, lb, ls, rt, rb, rs) in enumerate(lines):
            p = doc.add_paragraph()
            para_format(p, align="left")
            tabs = p.paragraph_format.tab_stops
            from docx.enum.text import WD_TAB_ALIGNMENT
            tabs.add_tab_stop(Twips(left_c), WD_TAB_ALIGNMENT.CENTER)
            tabs.add_tab_stop(Twips(right_c), WD_TAB_ALIGNMENT.CENTER)
            run(p, "\t" + lt, ls, bold=lb)
            run(p, "\t", rs)
            run(p, rt, rs, bold=rb, underline=(i == 1))
        # The agency's rule: a drawn line centred under the left column.
        rule = max(width_twips(t, 13, bold=True) for t in o["agency"]) * 2 // 5
        p = doc.add_paragraph()
        para_format(p, align="left")
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
            f'<v:line style="position:absolute" from="{(left_c - rule / 2) / 20:.1f}pt,2pt" '
            f'to="{(left_c + rule / 2) / 20:.1f}pt,2pt" strokeweight=".75pt"/></w:pict></w:r>'))
        p = doc.add_paragraph()
        para_format(p, align="left", before=6)
        p.paragraph_format.tab_stops.add_tab_stop(Twips(left_c), 1)
        p.paragraph_format.tab_stops.add_tab_stop(Twips(right_c), 1)
        run(p, "\t" + o["number"], 13)
        run(p, "\t" + o["place_date"], 14, italic=True)
    elif o["header_layout"] == "textbox":
        p = doc.add_paragraph()
        for (x, width, fill) in ((0, left_w, header_left), (left_w, right_w, header_right)):
            box = textbox(x, width)
            p._p.append(box)
            content = box.find(".//" + qn("w:txbxContent"))
            holder = _Holder(content, doc)
            fill(holder, o, width - 288)
            if fill is header_left:
                q = holder.add_paragraph()
                para_format(q, before=6)
                run(q, o["number"], 13)
            else:
                q = holder.add_paragraph()
                para_format(q, before=6)
                run(q, o["place_date"], 14, italic=True)
        # The boxes are anchored; the title comes below them.
        p.paragraph_format.space_after = Pt(110)

    if not letter:
        p = doc.add_paragraph()
        para_format(p, before=18)
        run(p, o["title"], 14, bold=True)
        p = doc.add_paragraph()
        para_format(p)
        run(p, o["summary"], 14, bold=True)
        summary_w = width_twips(o["summary"], 14, bold=True)
        if o["summary_rule"]:
            rule_after(doc, text_width, summary_w * 2 // 5)
    else:
        p = doc.add_paragraph()
        para_format(p, before=12)
        run(p, "Kính gửi: Các cơ quan, đơn vị trên địa bàn xã.", 14)

    if o["styles"]:
        body_style = doc.styles.add_style("Nội dung", 1)
        body_style.base_style = doc.styles["Normal"]
        body_style.font.size = Pt(o["body_size"])
        pf = body_style.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if o["body_align"] == "both" else WD_ALIGN_PARAGRAPH.LEFT
        pf.first_line_indent = Twips(o["body_indent"])
        pf.space_before = Pt(6)
    for text in BODY:
        if o["styles"]:
            p = doc.add_paragraph(style="Nội dung")
            p.add_run(text)
        else:
            p = doc.add_paragraph()
            para_format(p, align=o["body_align"], before=6, first=o["body_indent"])
            r = run(p, text, o["body_size"], font=o["body_font"])
            if o["body_colour"]:
                r.font.color.rgb = RGBColor.from_string(o["body_colour"])

    sig = doc.add_table(rows=1, cols=2)
    no_borders(sig)
    sig.autofit = False
    sig.columns[0].width = Twips(left_w)
    sig.columns[1].width = Twips(right_w)
    sl, sr = sig.rows[0].cells
    set_cell_width(sl, left_w)
    set_cell_width(sr, right_w)
    for c in (sl, sr):
        c._tc.remove(c.paragraphs[0]._p)
    p = sl.add_paragraph()
    para_format(p, align="left", before=12)
    run(p, "Nơi nhận:", o["recipients_heading_size"], bold=True, italic=True)
    items = ["- UBND huyện (để b/c);", "- Các cơ quan, đơn vị;"]
    if letter:
        items.insert(0, "- Như trên;")
    if o["archive"]:
        items.append("- Lưu: VT, VHXH.")
    else:
        items[-1] = items[-1].rstrip(";") + "."
    for item in items:
        p = sl.add_paragraph()
        para_format(p, align="left")
        run(p, item, o["recipients_size"])
    first = True
    for line in o["authority"]:
        p = sr.add_paragraph()
        para_format(p, before=12 if first else 0)
        run(p, line, 14, bold=True)
        first = False
    for _ in range(4):
        para_format(sr.add_paragraph())
    p = sr.add_paragraph()
    para_format(p)
    run(p, o["signer"], 14, bold=True)

    doc.core_properties.author = "lint corpus"
    doc.save(os.path.join(HERE, name + ".docx"))


class _Holder:
    """Lets header_left/right fill a text box as they fill a table cell."""

    def __init__(self, element, doc):
        self.element = element
        self.doc = doc

    def add_paragraph(self):
        from docx.text.paragraph import Paragraph
        p = parse_xml(f'<w:p {nsdecls("w")}/>')
        self.element.append(p)
        return Paragraph(p, self.doc._body)


def textbox(x_twips, width_twips):
    emu = lambda tw: tw * 635
    xml = (
        f'<w:r {nsdecls("w", "wp", "a", "pic")} '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{emu(x_twips)}</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{emu(width_twips)}" cy="{emu(1600)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapNone/><wp:docPr id="%d" name="Hộp văn bản"/>' % (1 + x_twips % 1000) +
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu(width_twips)}" cy="{emu(1600)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        '<wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr rot="0" vert="horz" lIns="91440" tIns="45720" '
        'rIns="91440" bIns="45720" anchor="t"/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
    )
    return parse_xml(xml)


def header_left(cell, o, inner):
    for line in o["agency"]:
        p = cell.add_paragraph()
        para_format(p)
        run(p, line, 13, bold=o["agency_bold"])
    name_w = max(width_twips(t, 13, bold=True) for t in o["agency"])
    if o["agency_rule"] == "border":
        rule_after(cell, inner, name_w * 2 // 5)


def header_right(cell, o, inner):
    p = cell.add_paragraph()
    para_format(p)
    run(p, o["national_title"], o["national_size"], bold=o["national_bold"])
    p = cell.add_paragraph()
    para_format(p)
    motto_w = width_twips(o["motto"], o["motto_size"], bold=True)
    kind = o["motto_rule"]
    run(p, o["motto"], o["motto_size"], bold=True, underline=(kind == "underline"))
    if kind == "border":
        rule_after(cell, inner, motto_w)
    elif kind == "long":
        rule_after(cell, inner, inner)
    elif kind == "shape":
        rule_after(cell, inner, motto_w, kind="shape")
    elif kind == "typed":
        p = cell.add_paragraph()
        para_format(p)
        run(p, "_" * 24, 14, bold=True)


CORPUS = {
    # Clean documents: no finding.
    "sach-bao-cao": {},
    "sach-cong-van": dict(kind="cong-van", number="Số: 123/UBND-VHXH"),
    "sach-kieu-dinh-dang": dict(styles=True),
    "sach-gach-chan-tieu-ngu": dict(motto_rule="underline"),
    "sach-duong-ke-ve": dict(motto_rule="shape"),
    "sach-dau-trang-tab": dict(header_layout="tabs"),
    "sach-hop-van-ban": dict(header_layout="textbox"),
    "sach-le-35-25": dict(margins=(25, 20, 35, 20)),
    # One fault each.
    "quoc-hieu-khong-dam": dict(national_bold=False),
    "quoc-hieu-co-14": dict(national_size=14),
    "tieu-ngu-khong-gach": dict(motto_rule="none"),
    "tieu-ngu-gach-qua-dai": dict(motto_rule="long"),
    "tieu-ngu-gach-go-phim": dict(motto_rule="typed"),
    "tieu-ngu-viet-hoa-gach-noi": dict(motto="Độc Lập – Tự Do – Hạnh Phúc"),
    "so-thieu-so-0": dict(number="Số: 5/BC-UBND"),
    "ngay-thieu-so-0": dict(place_date="Phú Thái, ngày 5 tháng 11 năm 2025"),
    "thang-3-co-so-0": dict(place_date="Phú Thái, ngày 15 tháng 03 năm 2025"),
    "cong-van-thieu-vv": dict(kind="cong-van", number="Số: 123/UBND-VHXH",
                             letter_summary="Về việc đôn đốc gửi báo cáo tháng 11 năm 2025"),
    "cong-van-ky-hieu-cv": dict(kind="cong-van", number="Số: 123/CV-UBND"),
    "bao-cao-trich-yeu-vv": dict(summary="V/v kết quả thực hiện nhiệm vụ tháng 11 năm 2025"),
    "noi-dung-co-12": dict(body_size=12),
    "noi-dung-khong-can-deu": dict(body_align="left"),
    "noi-dung-kieu-co-12": dict(styles=True, body_size=12),
    "kt-chu-tich-chu-thuong": dict(authority=("KT. Chủ tịch", "PHÓ CHỦ TỊCH")),
    "tm-viet-gach-cheo": dict(authority=("T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    "nguoi-ky-co-hoc-vi": dict(signer="TS. Nguyễn Văn An"),
    "noi-nhan-co-13": dict(recipients_heading_size=13, recipients_size=13),
    "so-trang-o-trang-1": dict(page_number="first"),
    "so-trang-o-chan-trang": dict(page_number="footer"),
    "trang-ngang": dict(landscape=True),
    "le-trai-20": dict(margins=(20, 20, 20, 15)),
    "phong-arial": dict(body_font="Arial"),
    "kho-giay-letter": dict(paper=(215.9, 279.4)),
    "co-quan-khong-dam": dict(agency_bold=False),
    "co-quan-khong-gach": dict(agency_rule="none"),
    "ngay-viet-bang-so": dict(place_date="Phú Thái, 05/11/2025"),
    "ho-ten-in-hoa": dict(signer="NGUYỄN VĂN AN"),
    "chu-to-hop": dict(summary=unicodedata.normalize("NFD", DEFAULT["summary"])),
    "noi-nhan-thieu-luu": dict(archive=False),
    "trich-yeu-khong-gach": dict(summary_rule=False),
    "noi-dung-mau-xanh": dict(body_colour="0000FF"),
    "con-dau-du-thao": dict(draft=True),
    "so-in-dam": dict(number_bold=True),
}

if __name__ == "__main__":
    for name, faults in CORPUS.items():
        make(name, **faults)
    print(f"{len(CORPUS)} documents")
