#!/usr/bin/env python3
"""The electronic issue of a PDF vanthu made, as an office does it (Điều 15.3, Phụ lục I
ô 7c and 8), with pyHanko standing in for the agency's signing tool:

  1. the leader certify-signs the signer's field (DocMDP P=2: filling forms allowed);
  2. the văn thư runs `vanthu issue --number N --date D` (an incremental update);
  3. the agency signs the seal's field;
  4. both signatures are validated.

Both must be intact and valid, the certification not broken by what followed, and the
text must show the number and the date. A throwaway key and self-signed certificate are
made here; no real key is involved.

usage: issue_signing.py VANTHU PDF --number N --date YYYY-MM-DD --expect TEXT…
"""

import argparse
import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def make_identity(folder: Path, name: str):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path = folder / f"{name}.key.pem"
    cert_path = folder / f"{name}.cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    return signer, cert_path


def field_names(pdf: Path):
    with pdf.open("rb") as f:
        r = PdfFileReader(f)
        form = r.root["/AcroForm"]
        return [str(fld.get_object()["/T"]) for fld in form["/Fields"]]


def sign(pdf: Path, out: Path, signer, field: str, certify: bool):
    with pdf.open("rb") as f:
        w = IncrementalPdfFileWriter(f)
        meta = signers.PdfSignatureMetadata(
            field_name=field,
            certify=certify,
            docmdp_permissions=MDPPerm.FILL_FORMS,
        )
        with out.open("wb") as o:
            signers.sign_pdf(w, meta, signer=signer, output=o)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("vanthu")
    ap.add_argument("pdf")
    ap.add_argument("--number", required=True)
    ap.add_argument("--date", required=True)
    ap.add_argument("--expect", action="append", default=[])
    args = ap.parse_args()
    failures = []

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        leader, leader_cert = make_identity(tmp, "leader")
        agency, agency_cert = make_identity(tmp, "agency")
        made = tmp / "made.pdf"
        shutil.copy(args.pdf, made)
        # The docx beside it, when there is one, is issued too.
        docx = Path(args.pdf).with_suffix(".docx")
        if docx.exists():
            shutil.copy(docx, made.with_suffix(".docx"))
        names = field_names(made)
        signer_field = next(n for n in names if n.startswith("ChuKy_"))
        seal_field = "DauCoQuan"

        work = tmp / "work.pdf"
        sign(made, work, leader, signer_field, certify=True)
        issued = subprocess.run(
            [args.vanthu, "--lang", "en", "issue", str(work), "--number", args.number,
             "--date", args.date],
            capture_output=True, text=True,
        )
        if issued.returncode != 0:
            print(f"FAIL vanthu issue: {issued.stdout}{issued.stderr}")
            return 1
        final = tmp / "final.pdf"
        sign(work, final, agency, seal_field, certify=False)

        vc = ValidationContext(
            trust_roots=[
                x509_load(leader_cert),
                x509_load(agency_cert),
            ]
        )
        with final.open("rb") as f:
            r = PdfFileReader(f)
            sigs = r.embedded_signatures
            if [s.field_name for s in sigs] != [signer_field, seal_field]:
                failures.append(f"signatures: {[s.field_name for s in sigs]}")
            for s in sigs:
                status = validate_pdf_signature(s, vc)
                line = f"{s.field_name}: intact={status.intact} valid={status.valid} " \
                       f"trusted={status.trusted} coverage={status.coverage} " \
                       f"modification={status.modification_level} docmdp_ok={status.docmdp_ok}"
                print(line)
                if not (status.intact and status.valid and status.trusted):
                    failures.append(line)
                if status.docmdp_ok is False:
                    failures.append(f"{s.field_name}: DocMDP broken")
        text = subprocess.run(
            ["pdftotext", "-layout", str(final), "-"], capture_output=True, text=True
        ).stdout
        flat = " ".join(text.split())
        for e in args.expect:
            if e not in flat:
                failures.append(f"text lacks {e!r}")
    for f in failures:
        print(f"FAIL {f}")
    print(f"{3 - min(len(failures), 3)} passed, {len(failures)} failed")
    return 1 if failures else 0


def x509_load(path: Path):
    from asn1crypto import pem, x509 as ax509

    data = path.read_bytes()
    _, _, der = pem.unarmor(data)
    return ax509.Certificate.load(der)


if __name__ == "__main__":
    sys.exit(main())
