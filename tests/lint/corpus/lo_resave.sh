#!/usr/bin/env bash
# LibreOffice's DOCX and PDF of some corpus documents: the same documents as another
# office suite writes them (its own styles, tables and section XML), read by `vanthu lint`
# as they come. Run after make_corpus.py, from this folder; needs soffice.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in sach-bao-cao sach-cong-van so-thieu-so-0 noi-nhan-co-13 so-trang-o-trang-1; do
  soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to 'docx:MS Word 2007 XML' --outdir "$work/docx" "$name.docx" >/dev/null 2>&1
  mv "$work/docx/$name.docx" "lo-$name.docx"
  soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to pdf --outdir "$work/pdf" "$name.docx" >/dev/null 2>&1
  mv "$work/pdf/$name.pdf" "lo-$name.pdf"
done
