"""What both checkers share: the PASS/FAIL/SKIP report and the text matching."""
import argparse
import re
import unicodedata


class Report:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def ok(self, name, detail=""):
        self.passed += 1
        print(f"PASS {name}" + (f": {detail}" if detail else ""))

    def fail(self, name, reason):
        self.failed += 1
        print(f"FAIL {name}: {reason}")

    def skip(self, name, reason):
        self.skipped += 1
        print(f"SKIP {name}: {reason}")

    def check(self, name, cond, good, bad):
        (self.ok(name, good) if cond else self.fail(name, bad))

    def summary(self):
        s = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            s += f", {self.skipped} skipped"
        print(s)
        return 1 if self.failed else 0


def norm_text(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def loose(s):
    """For hints only: strip diacritics, unify dashes, casefold."""
    s = unicodedata.normalize("NFKD", s.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    return " ".join(s.split()).casefold()


def find_variant(hay, needle):
    """Return the text in hay that loosely matches needle (for a hint), or None."""
    ln = loose(needle)
    words = hay.split(" ")
    n = len(needle.split(" "))
    for i in range(len(words)):
        for m in (n - 1, n, n + 1):
            if m <= 0:
                continue
            cand = " ".join(words[i:i + m])
            if loose(cand) == ln:
                return cand
    return None


def arg_parser(description):
    """The command line both checkers take: a file and the texts it must hold."""
    ap = argparse.ArgumentParser(description=description,
                                 epilog="Exit 0: all checks passed; 1: some check failed.")
    ap.add_argument("file")
    ap.add_argument("--expect", action="extend", nargs="+", default=[], metavar="TEXT",
                    help="text that must appear (repeatable)")
    return ap
