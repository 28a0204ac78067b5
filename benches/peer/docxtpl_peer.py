#!/usr/bin/env python3
"""The office-suite pipeline vanthu is measured against (`bench --peer`): what an IT
helper writes without vanthu. One process per document, as a script run from a folder:
read the units' sheets with openpyxl, total them, fill a Word template with docxtpl,
and have LibreOffice print it to PDF.

    python3 docxtpl_peer.py INPUTS_DIR OUT_DIR PROFILE_DIR

The template is made once into OUT_DIR (python-docx) if it is not there. PROFILE_DIR is
LibreOffice's user profile, made before the timing (a warmed office suite, as on a
clerk's machine). Prints nothing; exit 0 when the PDF was made.
"""
import os
import subprocess
import sys

import openpyxl
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate


def template(path):
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(14)
    head = doc.add_table(rows=2, cols=2)
    head.rows[0].cells[0].text = "{{ agency }}"
    head.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.rows[1].cells[0].text = "Số:      /BC-UBND"
    head.rows[1].cells[1].text = "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"
    doc.add_paragraph("BÁO CÁO")
    doc.add_paragraph("Kết quả thực hiện {{ period }}")
    doc.add_paragraph("Trong kỳ, {{ received }} cơ quan, đơn vị đã gửi báo cáo.")
    doc.add_paragraph("{%p for row in totals %}")
    doc.add_paragraph("{{ row.label }}: {{ row.value }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for u in units %}")
    doc.add_paragraph("{{ u.name }}: {{ u.total }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("Nơi nhận:\n- Như trên;\n- Lưu: VT.")
    doc.save(path)


def read_units(folder):
    units, totals = [], {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".xlsx"):
            continue
        book = openpyxl.load_workbook(os.path.join(folder, name), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        unit_total = 0
        for row in sheet.iter_rows(values_only=True):
            label = next((c for c in row if isinstance(c, str) and len(c) > 3), None)
            numbers = [c for c in row if isinstance(c, (int, float))]
            if label and numbers:
                totals[label] = totals.get(label, 0) + numbers[-1]
                unit_total += numbers[-1]
        units.append({"name": name.rsplit("_", 1)[0], "total": unit_total})
        book.close()
    return units, totals


def main():
    inputs, out, profile = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    tpl = os.path.join(out, "mau-bao-cao.docx")
    if not os.path.exists(tpl):
        template(tpl)
    units, totals = read_units(inputs)
    doc = DocxTemplate(tpl)
    doc.render({
        "agency": "ỦY BAN NHÂN DÂN XÃ",
        "place": "Phú Thái", "day": "05", "month": "12", "year": "2025",
        "period": os.path.basename(os.path.normpath(inputs)),
        "received": len(units),
        "totals": [{"label": k, "value": v} for k, v in totals.items()],
        "units": units,
    })
    docx = os.path.join(out, "bao-cao.docx")
    doc.save(docx)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", out, docx],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    if not os.path.exists(os.path.join(out, "bao-cao.pdf")):
        sys.exit(1)


if __name__ == "__main__":
    main()
