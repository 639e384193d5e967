#!/usr/bin/env python3
"""Check the generated table tests with today's abacc, before it has the new operators.

    python3 convert/emulate_check.py [--abacc /work/main/bin/abacc] [--keep DIR]

abacc does not know StringEndsWith/StringContains or the extended dialect yet, so this script
rewrites every comparison of the generated files into an equivalent one over operators abacc
already has, drops `dialect: extended`, writes the copies to a temporary folder and runs
`abacc test -v` on them. It checks that the files parse (with abacc's own strict decoder), that
every request is accepted (attribute names, types, sections), that the one-block-per-case
construction selects the right block, and that every `expect` agrees with an independent
formulation of the operator. It does not test the new operators themselves.

Rewrites (valid for the values in these files; the script refuses anything else):
    X StringEndsWith 'v'        -> X StringLike '*v'          (v without * ? \\)
    X StringContains 'v'        -> X StringLike '*v*'         (Not forms -> StringNotLike)
    X IpMatch 'a.b.c.0/24'      -> X StringLike 'a.b.c.*'     (octet-aligned IPv4 prefixes only)
    X IpInRange ['lo', 'hi']    -> X StringEquals {every address lo..hi}   (at most 4096)
    X TimeOfDayOp 'hh:mm[:ss]'  -> X DateTimeOp 'DATETHH:MM:SSZ'  (DATE = the requests' UtcNow date)
    X TimeOfDayInRange [a, b]   -> (X DateTimeGreaterThanEquals a AND X DateTimeLessThanEquals b)  (a <= b)
    X NumericInRange [a, b]     -> (X NumericGreaterThanEquals a AND X NumericLessThanEquals b)
    X ListContains 'v'          -> X ForAnyOfAnyValues:StringEquals 'v'
    X ListNotContains 'v'       -> NOT (X ForAnyOfAnyValues:StringEquals 'v')
"""

import argparse
import glob
import ipaddress
import os
import re
import subprocess
import sys
import tempfile

import yaml

CMP = re.compile(r"\((@\w+\[[^\]]+\]) (\w+) (.+)\)$")


def rewrite(attr, op, rhs, date):
    neg = False
    base = op
    for pos, notop in (("StringEndsWith", "StringNotEndsWith"), ("StringContains", "StringNotContains"),
                       ("IpMatch", "IpNotMatch"), ("IpInRange", "IpNotInRange"),
                       ("ListContains", "ListNotContains")):
        if op == notop:
            base, neg = pos, True
    m = re.fullmatch(r"'([^']*)'", rhs)
    s = m.group(1) if m else None
    if base in ("StringEndsWith", "StringContains"):
        assert s is not None and not re.search(r"[*?\\]", s), rhs
        pat = "*" + s if base == "StringEndsWith" else "*" + s + "*"
        return "%s %s '%s'" % (attr, "StringNotLike" if neg else "StringLike", pat)
    if base == "IpMatch":
        net = ipaddress.ip_network(s, strict=True)
        assert net.version == 4 and net.prefixlen % 8 == 0 and net.prefixlen < 32, rhs
        octets = str(net.network_address).split(".")[: net.prefixlen // 8]
        return "%s %s '%s'" % (attr, "StringNotLike" if neg else "StringLike", ".".join(octets) + ".*")
    if base == "IpInRange":
        lo, hi = [ipaddress.ip_address(x) for x in re.findall(r"'([^']*)'", rhs)]
        assert lo <= hi and int(hi) - int(lo) < 4096, rhs
        members = ", ".join("'%s'" % ipaddress.ip_address(i) for i in range(int(lo), int(hi) + 1))
        return "%s %s {%s}" % (attr, "StringNotEquals" if neg else "StringEquals", members)
    if base.startswith("TimeOfDay"):
        def dt(t):
            parts = t.split(":")
            if len(parts) == 2:
                parts.append("00")
            return "'%sT%sZ'" % (date, ":".join(parts))
        if base == "TimeOfDayInRange":
            a, b = re.findall(r"'([^']*)'", rhs)
            assert a <= b, rhs
            return "(%s DateTimeGreaterThanEquals %s AND %s DateTimeLessThanEquals %s)" % (attr, dt(a), attr, dt(b))
        return "%s %s %s" % (attr, base.replace("TimeOfDay", "DateTime"), dt(s))
    if base == "NumericInRange":
        a, b = [int(x) for x in re.findall(r"-?\d+", rhs)]
        return "(%s NumericGreaterThanEquals %d AND %s NumericLessThanEquals %d)" % (attr, a, attr, b)
    if base == "ListContains":
        inner = "%s ForAnyOfAnyValues:StringEquals %s" % (attr, rhs)
        return "NOT (%s)" % inner if neg else inner
    raise ValueError("no rewrite for %s" % op)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--abacc", default="/work/main/bin/abacc")
    ap.add_argument("--dir", default=os.path.dirname(here))
    ap.add_argument("--keep", help="write the emulated copies here instead of a temporary folder")
    a = ap.parse_args()
    out = a.keep or tempfile.mkdtemp(prefix="regorus-emu-")
    os.makedirs(out, exist_ok=True)
    files = sorted(glob.glob(os.path.join(a.dir, "*.test.yaml")))
    emulated = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        doc = yaml.safe_load(text)
        dates = {c["request"].get("environment", {}).get("UtcNow", "")[:10] for c in doc["cases"]} - {""}
        date = dates.pop() if dates else None
        lines = []
        for line in text.split("\n"):
            if line == "dialect: extended":
                continue
            m = CMP.search(line)
            if m and line.startswith("    (@"):
                indent = line[: line.index("(")]
                line = indent + "(" + rewrite(m.group(1), m.group(2), m.group(3), date) + ")"
            lines.append(line)
        dst = os.path.join(out, os.path.basename(path))
        with open(dst, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        emulated.append(dst)
    r = subprocess.run([a.abacc, "test", "-v"] + emulated, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    print("(emulated copies in %s)" % out)
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
