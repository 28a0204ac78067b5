#!/usr/bin/env bash
# Installs the optional programs the full test run uses, on a Debian machine: LibreOffice
# (DOCX → PDF parity), poppler and qpdf (a second reading of our PDFs), the python-docx
# and pypdf checkers in this folder, openxml-audit (the Open XML SDK's schema rules, for
# tests/word_clean.rs), pyHanko (signs and validates an issued PDF, for tests/issue.rs),
# and Chromium with chromedriver (the web page's test).
# Idempotent and quiet; run as root:   bash tests/checks/setup.sh
# `cargo test --release` passes without any of them: a test whose program is absent says
# so in one line and passes, unless VANTHU_REQUIRE_TOOLS=1 (as .ci/run sets it).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
APT_PKGS=(libreoffice-writer-nogui poppler-utils qpdf fonts-liberation2 chromium chromium-driver)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PY_PKGS=(python-docx pypdf lxml openxml-audit pyhanko)
if ! python3 -c 'import sys, importlib.metadata as m; [m.version(p) for p in sys.argv[1:]]' "${PY_PKGS[@]}" 2>/dev/null; then
  python3 -m pip install -q --root-user-action=ignore "${PY_PKGS[@]}"
fi
# Each program answers its version flag (poppler's tools take -v, not --version).
for program in soffice qpdf chromium chromedriver; do
  "$program" --version >/dev/null 2>&1 || { echo "setup: $program --version fails after install" >&2; exit 1; }
done
for program in pdftotext pdfinfo pdffonts pdftoppm; do
  "$program" -v >/dev/null 2>&1 || { echo "setup: $program -v fails after install" >&2; exit 1; }
done
