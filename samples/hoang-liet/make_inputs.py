#!/usr/bin/env python3
"""Writes the units' sheets of the Hoàng Liệt sample (inputs/2025-Q3, inputs/2025-Q4)
the way units of a phường really send them: three layouts, typed in Excel (.xlsx) or
saved by LibreOffice as .xls or .ods, numbers now and then typed as text. The files are
committed; run this again only to change them (needs openpyxl and LibreOffice Calc):

    pip install openpyxl && apt-get install libreoffice-calc
    python3 samples/hoang-liet/make_inputs.py

Every figure comes from a seeded generator, so a run writes the same figures (the
files' own timestamps differ). Layouts:
- "mau": the form of the phường — title lines, "Kỳ báo cáo: quý III năm 2025",
  "Đơn vị báo cáo: …", STT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện | Ghi chú,
  with a row per section (I, II, III) above its indicators.
- "hai-dong": a two-row header — "Kết quả" merged over "KH | TH", and a
  "Lũy kế từ đầu năm" column beside it that is not this quarter's; "Tên đơn vị: …".
- "theo-quy": "Đơn vị: …", TT | Tên chỉ tiêu | ĐVT | Kế hoạch năm | Kế hoạch |
  TH quý IV — the annual plan beside the quarter's.
"""

import os
import random
import shutil
import subprocess
import tempfile
import tomllib

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "vanthu.toml"), "rb") as f:
    PROJECT = tomllib.load(f)

INDICATORS = [i for i in PROJECT["indicators"] if "formula" not in i]
SECTIONS = PROJECT["sections"]
UNITS = PROJECT["units"]

# Typical quarterly figures (low, high) per group; a plan per unit is their middle.
TYPICAL = {
    "dinh_danh": {"CQ": (20, 60), "SN": (30, 80), "TDP": (90, 170)},
    "dvc_truc_tuyen": {"CQ": (15, 45), "SN": (10, 30), "TDP": (50, 110)},
    "thanh_toan": {"CQ": (5, 20), "SN": (10, 30), "TDP": (60, 120)},
    "buoi_tap_huan": {"CQ": (1, 3), "SN": (1, 3), "TDP": (2, 5)},
    "luot_tap_huan": {"CQ": (40, 90), "SN": (50, 110), "TDP": (90, 200)},
    "kinh_phi": {"CQ": (8, 30), "SN": (6, 20), "TDP": (4, 14)},
    "ngay_xu_ly": {"CQ": (2, 9), "SN": (2, 7), "TDP": (3, 15)},
}

# Units that fall behind (their figures at about half the plan), by quarter.
BEHIND = {3: {"TDP6", "DTN"}, 4: {"TDP6", "TH"}}
# Units that send nothing, by quarter.
MISSING = {3: {"TDP7"}, 4: {"HPN", "TDP3"}}
# How each unit sends its sheet: (layout, format).
SENDS = {
    "VP": ("mau", "xlsx"), "CA": ("mau", "xls"), "HCC": ("hai-dong", "xlsx"),
    "MTTQ": ("mau", "ods"), "DTN": ("theo-quy", "xlsx"), "HPN": ("mau", "xlsx"),
    "TYT": ("hai-dong", "xls"), "THCS": ("theo-quy", "ods"), "TH": ("mau", "xlsx"),
    "TDP1": ("mau", "xlsx"), "TDP2": ("hai-dong", "xlsx"), "TDP3": ("mau", "xls"),
    "TDP4": ("theo-quy", "xlsx"), "TDP5": ("mau", "ods"), "TDP6": ("hai-dong", "xlsx"),
    "TDP7": ("mau", "xlsx"),
}
# The file names units give their sheets.
NAMES = {
    "VP": "VP HDND-UBND - bao cao quy {q}", "CA": "Cong an phuong - Q{q}",
    "HCC": "TTPVHCC_quy{q}_2025", "MTTQ": "MTTQ phuong quy {q}", "DTN": "Doan TN Q{q}-2025",
    "HPN": "Hoi Phu nu - quy {q}", "TYT": "Tram y te Q{q}", "THCS": "THCS Hoang Liet quy {q}",
    "TH": "TH Hoang Liet - Q{q}", "TDP1": "TDP so 1 - quy {q}", "TDP2": "To dan pho 2 Q{q}",
    "TDP3": "TDP3 quy {q}", "TDP4": "TDP 04 - Q{q} 2025", "TDP5": "To dan pho so 5 - quy {q}",
    "TDP6": "TDP6_Q{q}", "TDP7": "TDP7 quy {q}",
}
ROMAN = {3: "III", 4: "IV"}


def figures(unit, index, quarter):
    """(value, plan) per reported indicator code."""
    rng = random.Random(20250000 + index * 97 + quarter * 7919)
    group = unit["group"]
    behind = unit["code"] in BEHIND[quarter]
    out = {}
    for ind in INDICATORS:
        code = ind["code"]
        if code == "luot_dat":
            trained = out["luot_tap_huan"][0]
            share = rng.uniform(0.55, 0.7) if behind else rng.uniform(0.76, 0.95)
            plan = (out["luot_tap_huan"][1] * 4) // 5
            out[code] = (round(trained * share), plan)
            continue
        if code == "diem_hai_long":
            out[code] = (round(rng.uniform(7.2, 9.6), 2), None)
            continue
        lo, hi = TYPICAL[code][group]
        grow = hi // 6 if quarter == 4 else 0
        if code == "kinh_phi":
            value = round(rng.uniform(lo, hi + grow) * 2) / 2
            plan = float((lo + hi) // 2)
        else:
            value = rng.randint(lo, hi + grow)
            plan = (lo + hi + 1) // 2
        if behind and code != "ngay_xu_ly":
            value = value // 2 if isinstance(value, int) else round(value / 4) * 2 / 2
        out[code] = (value, None if code == "ngay_xu_ly" else plan)
    return out


def title_lines(ws, unit, quarter, unit_label):
    ws.cell(row=1, column=1, value="UBND PHƯỜNG HOÀNG LIỆT").font = Font(bold=True)
    ws.cell(row=2, column=1, value=unit["name"].upper()).font = Font(bold=True)
    ws.cell(row=4, column=1,
            value="BÁO CÁO KẾT QUẢ CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06").font = Font(bold=True)
    ws.cell(row=5, column=1, value=f"Kỳ báo cáo: quý {ROMAN[quarter]} năm 2025")
    ws.cell(row=6, column=1, value=f"{unit_label} {unit['name']}")


def put_row(ws, row, values):
    """Writes `values` into `row` from column A on."""
    for c, v in enumerate(values, start=1):
        ws.cell(row=row, column=c, value=v)


def shown(value, as_text):
    """A figure as the unit typed it: mostly a number, now and then text."""
    if value is None:
        return None
    if as_text and isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if as_text:
        return f" {value} "
    return value


def mau(unit, figs, quarter, quirk):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    title_lines(ws, unit, quarter, "Đơn vị báo cáo:")
    head = 8
    for c, h in enumerate(["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện",
                           "Ghi chú"], start=1):
        cell = ws.cell(row=head, column=c, value=h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    row = head + 1
    n = 0
    for sec in SECTIONS:
        ws.cell(row=row, column=1, value=sec["code"]).font = Font(bold=True)
        ws.cell(row=row, column=2, value=sec["title"]).font = Font(bold=True)
        row += 1
        for ind in (i for i in INDICATORS if i["section"] == sec["code"]):
            n += 1
            value, plan = figs[ind["code"]]
            as_text = quirk and ind["code"] in ("luot_tap_huan", "kinh_phi")
            put_row(ws, row, [n, ind["label"], ind["unit"], plan, shown(value, as_text)])
            row += 1
    ws.column_dimensions["B"].width = 55
    return wb


def hai_dong(unit, figs, quarter, quirk):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Quý {ROMAN[quarter]}"
    ws["A1"] = f"Tên đơn vị: {unit['name']}"
    ws["A2"] = f"Kỳ báo cáo: Quý {ROMAN[quarter]}/2025"
    ws["A3"] = "BÁO CÁO TIẾN ĐỘ CHUYỂN ĐỔI SỐ, ĐỀ ÁN 06"
    top, low = 5, 6
    for c, h in [(1, "TT"), (2, "Nội dung chỉ tiêu"), (3, "ĐVT"), (6, "Lũy kế từ đầu năm")]:
        ws.cell(row=top, column=c, value=h).font = Font(bold=True)
        ws.merge_cells(start_row=top, start_column=c, end_row=low, end_column=c)
    ws.cell(row=top, column=4, value="Kết quả").font = Font(bold=True)
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
    ws.cell(row=low, column=4, value="KH").font = Font(bold=True)
    ws.cell(row=low, column=5, value="TH").font = Font(bold=True)
    row = low + 1
    for n, ind in enumerate(INDICATORS, start=1):
        value, plan = figs[ind["code"]]
        earlier = None
        if quarter == 4 and isinstance(value, int) and ind["code"] != "ngay_xu_ly":
            earlier = value + (value * 3) // 4
        as_text = quirk and ind["code"] == "dinh_danh"
        put_row(ws, row, [n, ind["label"], ind["unit"], plan, shown(value, as_text), earlier])
        row += 1
    ws.column_dimensions["B"].width = 50
    return wb


def theo_quy(unit, figs, quarter, quirk):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "BC"
    ws["A1"] = f"Đơn vị: {unit['name']}"
    ws["A2"] = f"Kỳ báo cáo: quý {ROMAN[quarter]} năm 2025"
    head = 4
    for c, h in enumerate(["TT", "Tên chỉ tiêu", "ĐVT", "Kế hoạch năm", "Kế hoạch",
                           f"TH quý {ROMAN[quarter]}"], start=1):
        ws.cell(row=head, column=c, value=h).font = Font(bold=True)
    for n, ind in enumerate(INDICATORS, start=1):
        value, plan = figs[ind["code"]]
        year_plan = plan * 4 if plan is not None else None
        as_text = quirk and ind["code"] == "kinh_phi"
        put_row(ws, head + n, [n, ind["label"], ind["unit"], year_plan, plan,
                               shown(value, as_text)])
    ws.column_dimensions["B"].width = 50
    return wb


LAYOUTS = {"mau": mau, "hai-dong": hai_dong, "theo-quy": theo_quy}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for quarter in (3, 4):
            out = os.path.join(HERE, "inputs", f"2025-Q{quarter}")
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            for index, unit in enumerate(UNITS):
                code = unit["code"]
                if code in MISSING[quarter]:
                    continue
                layout, fmt = SENDS[code]
                quirk = index % 3 == 1
                wb = LAYOUTS[layout](unit, figures(unit, index, quarter), quarter, quirk)
                stem = NAMES[code].format(q=quarter)
                xlsx = os.path.join(tmp, f"{stem}.xlsx")
                wb.save(xlsx)
                if fmt == "xlsx":
                    shutil.move(xlsx, os.path.join(out, f"{stem}.xlsx"))
                    continue
                filt = {"xls": "xls:MS Excel 97", "ods": "ods"}[fmt]
                subprocess.run(["soffice", "--headless", "--convert-to", filt, "--outdir",
                                out, xlsx], check=True, capture_output=True)
            print(out, len(os.listdir(out)), "sheets")


if __name__ == "__main__":
    main()
