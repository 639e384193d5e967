#!/usr/bin/env python3
"""Regenerate abacc table tests from microsoft/regorus's Azure RBAC per-operator test files.

Usage:
    python3 convert/convert.py --git /work/.mirror/microsoft+regorus/repo [--rev HEAD] [--out DIR]
    python3 convert/convert.py --dir /path/to/regorus/checkout [--out DIR]

Needs Python 3.8+ and PyYAML (only to read regorus's YAML). --out defaults to the folder above
this script (/work/regorus-conv). It rewrites there:
    *.test.yaml          one abacc table test per operator family (see FAMILIES)
    DIFFERENCES.md       the per-case list (generated) + convert/differences-notes.md (hand-written)
    README.md            only the block between <!-- counts:begin --> and <!-- counts:end -->
and prints the counts table.

How a case is converted (see README.md for the full rules):
  * regorus's per-operator files give `condition` and `expected` (plus optional `context`
    overrides); every case runs against the fixed default context of regorus's
    src/languages/azure_rbac/tests.rs (default_context()), which this script reads from that file.
  * a case of the form `@Source[attr] Operator RHS` whose attr has an entry in ATTRIBUTE_MAP is
    rewritten onto that abacc catalog attribute; the request gets the mapped value.
  * the case is evaluated under abacc's semantics (the model in `abacc_eval`, which transcribes the
    issue's stated semantics); if that differs from regorus's `expected`, or the case cannot be
    expressed, the case goes to DIFFERENCES.md instead of a test file.
  * abacc table tests hold one condition per file, so the file's condition is the AND of one
    block per case, `!(SubOperationMatches{'<File>.yaml/<case>'}) OR (<case condition>)`, and each
    case's request carries that key as its subOperation: every other block is then vacuously true,
    and the file's result for the case is exactly the case's own condition.
"""

import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("convert.py needs PyYAML (pip install pyyaml) to read regorus's YAML files")

TEST_DIR = "src/languages/azure_rbac/test_cases"
TESTS_RS = "src/languages/azure_rbac/tests.rs"

# The operators of issue 14, by regorus's spelling (identical to ours; regorus has no
# IpNotInRange, see DERIVED).
STANDARD_OPS = ["StringEndsWith", "StringNotEndsWith", "StringContains", "StringNotContains"]
EXTENDED_OPS = [
    "IpMatch", "IpNotMatch", "IpInRange", "IpNotInRange",
    "TimeOfDayEquals", "TimeOfDayNotEquals", "TimeOfDayGreaterThan", "TimeOfDayGreaterThanEquals",
    "TimeOfDayLessThan", "TimeOfDayLessThanEquals", "TimeOfDayInRange",
    "NumericInRange", "ListContains", "ListNotContains",
]
IN_SCOPE = STANDARD_OPS + EXTENDED_OPS

# Output files: (file name, title, dialect, operators). Order of operators = order of blocks.
FAMILIES = [
    ("string-endswith.test.yaml", "StringEndsWith / StringNotEndsWith", "standard",
     ["StringEndsWith", "StringNotEndsWith"]),
    ("string-contains.test.yaml", "StringContains / StringNotContains", "standard",
     ["StringContains", "StringNotContains"]),
    ("ip.test.yaml", "IpMatch / IpNotMatch / IpInRange / IpNotInRange", "extended",
     ["IpMatch", "IpNotMatch", "IpInRange", "IpNotInRange"]),
    ("timeofday.test.yaml", "TimeOfDay* operators", "extended",
     ["TimeOfDayEquals", "TimeOfDayNotEquals", "TimeOfDayGreaterThan", "TimeOfDayGreaterThanEquals",
      "TimeOfDayLessThan", "TimeOfDayLessThanEquals", "TimeOfDayInRange"]),
    ("numeric-range.test.yaml", "NumericInRange", "extended", ["NumericInRange"]),
    ("list.test.yaml", "ListContains / ListNotContains", "extended", ["ListContains", "ListNotContains"]),
]

# Cases added by us (not regorus's): regorus has no IpNotInRange, so its IpInRange cases are
# replayed with the Not-twin and the negated expectation. They go to their own file so that the
# regorus files stay pure conversions.
DERIVED = [
    # (file, title, source operator, derived operator)
    ("ip-notinrange.derived.test.yaml", "IpNotInRange (derived from regorus's IpInRange cases)",
     "IpInRange", "IpNotInRange"),
]

ACTION = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
CSA = "Microsoft.Directory/CustomSecurityAttributes/Id:"

# regorus attribute (source, name) -> abacc attribute. `kind` selects the value conversion.
#   section: the request-JSON section; name: the attribute name between the brackets.
ATTRIBUTE_MAP = {
    ("Request", "text"): dict(
        source="Request", section="request",
        name="Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix",
        kind="string",
        why="String, single-valued, a Request attribute like regorus's; supplied by blobs/read"),
    ("Request", "ip"): dict(
        source="Principal", section="principal", name=CSA + "Network_ClientIp",
        kind="string",
        why="the catalog has no IP-typed attribute; a custom security attribute is untyped and "
            "takes its type (IP) from the operator"),
    ("Request", "time"): dict(
        source="Environment", section="environment", name="UtcNow",
        kind="time-of-day-in-utcnow",
        why="the catalog's only clock is Environment UtcNow (DateTime); abacc's TimeOfDay operators "
            "read the UTC time of day of a DateTime. regorus's own equivalent is "
            "@Environment[timeOfDay], derived from utcNow. The date is regorus's default utc_now date"),
    ("Request", "count"): dict(
        source="Principal", section="principal", name=CSA + "Inventory_Count",
        kind="integer",
        why="the catalog has no Integer attribute; a custom security attribute is untyped and "
            "takes its type (Integer) from the operator"),
    ("Request", "tags"): dict(
        source="Principal", section="principal", name=CSA + "Deployment_Tags",
        kind="list",
        why="a list needs a multi-valued attribute; custom security attributes may be multi-valued "
            "and are untyped (the catalog's only multi-valued String, blobs:include, is meant for "
            "cross products)"),
}


class CompileError(Exception):
    """The case's condition would not compile under abacc."""


# ---------------------------------------------------------------- reading regorus


class Source:
    def __init__(self, git=None, rev="HEAD", directory=None):
        self.git, self.rev, self.dir = git, rev, directory
        if git:
            self.commit = self._git("rev-parse", rev + "^{commit}").strip()
            self.date = self._git("show", "-s", "--format=%cI", self.commit).strip()
        else:
            try:
                self.commit = subprocess.run(["git", "-C", directory, "rev-parse", "HEAD"],
                                             capture_output=True, text=True, check=True).stdout.strip()
            except Exception:
                self.commit = "unknown"
            self.date = ""

    def _git(self, *args):
        return subprocess.run(["git", "--git-dir", self.git] + list(args),
                              capture_output=True, text=True, check=True).stdout

    def read(self, path):
        if self.git:
            return self._git("show", "%s:%s" % (self.commit, path))
        with open(os.path.join(self.dir, path), encoding="utf-8") as f:
            return f.read()

    def list_dir(self, path):
        if self.git:
            out = self._git("ls-tree", "--name-only", self.commit, path + "/")
            return sorted(os.path.basename(p) for p in out.split())
        return sorted(os.listdir(os.path.join(self.dir, path)))


def default_context(src):
    """Read regorus's default_context() (tests.rs): the JSON attribute objects and utc_now."""
    text = src.read(TESTS_RS)
    start = text.index("fn default_context()")
    body = text[start:text.index("fn value_from_json", start)]

    def json_after(anchor):
        i = body.index(anchor)
        m = re.compile(r'r#"(.*?)"#', re.S).search(body, i)
        return json.loads(m.group(1))

    utc = re.search(r'utc_now:\s*Some\("([^"]*)"', body)
    return {
        "Principal": json_after("principal: Principal"),
        "Resource": json_after("resource: Resource"),
        "Request": json_after("request: RequestContext"),
        "utc_now": utc.group(1) if utc else None,
    }


def load_cases(src):
    """Every case of every per-operator file that uses an in-scope operator."""
    op_re = re.compile(r"\b(%s)\b" % "|".join(IN_SCOPE))
    found = []
    for fname in src.list_dir(TEST_DIR):
        if not fname.endswith(".yaml"):
            continue
        doc = yaml.safe_load(src.read(TEST_DIR + "/" + fname)) or {}
        for case in doc.get("test_cases", []):
            m = op_re.search(case["condition"])
            if not m:
                continue
            found.append(dict(file=fname, name=case["name"], condition=case["condition"],
                              expected=case["expected"], context=case.get("context"),
                              operator=m.group(1),
                              own_file=(fname == m.group(1) + ".yaml")))
    return found


# ---------------------------------------------------------------- abacc semantics model

TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")


def tod_literal(s):
    m = TIME_RE.match(s)
    if not m:
        raise CompileError("time of day %r is not 'hh:mm[:ss]'" % s)
    h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 23 or mi > 59 or se > 59:
        raise CompileError("time of day %r out of range" % s)
    return h * 3600 + mi * 60 + se


def tod_of_datetime(v):
    """UTC time of day (seconds) of an ISO 8601 DateTime; None if malformed."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", v)
    if not m:
        return None
    secs = int(m.group(4)) * 3600 + int(m.group(5)) * 60 + int(m.group(6))
    z = m.group(8)
    if z != "Z":
        off = (int(z[1:3]) * 60 + int(z[4:6])) * 60
        secs -= off if z[0] == "+" else -off
    return secs % 86400


def ip_value(s):
    """A request IP: zone ids rejected, malformed = None (no relation)."""
    if not isinstance(s, str) or "%" in s:
        return None
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        return None


def ip_literal(s):
    if "%" in s:
        raise CompileError("zone id in IP literal %r" % s)
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        raise CompileError("bad IP literal %r" % s)


def cidr_literal(s):
    if "%" in s:
        raise CompileError("zone id in CIDR literal %r" % s)
    try:
        return ipaddress.ip_network(s, strict=False)
    except ValueError:
        raise CompileError("bad CIDR literal %r" % s)


def positive(op):
    """Map a Not-operator to (positive twin, negate)."""
    twins = {
        "StringNotEndsWith": "StringEndsWith", "StringNotContains": "StringContains",
        "IpNotMatch": "IpMatch", "IpNotInRange": "IpInRange", "TimeOfDayNotEquals": "TimeOfDayEquals",
        "ListNotContains": "ListContains",
    }
    return (twins[op], True) if op in twins else (op, False)


def abacc_eval(op, value, rhs, kind):
    """abacc's result for `attr OP rhs` with the attribute holding `value` (None = missing).

    Transcribes the issue's semantics: string operators case-sensitive; a malformed or missing
    request value has no relation (positive false, Not-twin true); lo > hi in a Numeric or IP
    range is a compile error; IP zone ids rejected; integers only; TimeOfDay is the UTC time of day
    of a DateTime against 'hh:mm[:ss]' literals; TimeOfDayInRange [lo, hi] with lo > hi wraps
    past midnight (the brief's example ['22:00', '06:00']; assumption, not exercised by regorus).
    """
    base, negate = positive(op)
    r = _abacc_positive(base, value, rhs, kind)
    return (not r) if negate else r


def _abacc_positive(op, value, rhs, kind):
    rk, rv = rhs
    if op in ("StringEndsWith", "StringContains"):
        if rk != "str":
            raise CompileError("%s needs a string literal" % op)
        if not isinstance(value, str):
            return False
        return value.endswith(rv) if op == "StringEndsWith" else (rv in value)
    if op == "IpMatch":
        if rk != "str":
            raise CompileError("IpMatch needs a CIDR string")
        net = cidr_literal(rv)
        ip = ip_value(value)
        return ip is not None and ip.version == net.version and ip in net
    if op == "IpInRange":
        if rk == "str":  # CIDR form (extended syntax accepts CIDR strings)
            return _abacc_positive("IpMatch", value, rhs, kind)
        if rk != "strpair":
            raise CompileError("IpInRange needs ['lo', 'hi']")
        lo, hi = ip_literal(rv[0]), ip_literal(rv[1])
        if lo.version != hi.version:
            raise CompileError("IpInRange bounds of different IP versions")
        if lo > hi:
            raise CompileError("IpInRange lo > hi")
        ip = ip_value(value)
        return ip is not None and ip.version == lo.version and lo <= ip <= hi
    if op.startswith("TimeOfDay"):
        v = None
        if isinstance(value, str):
            if kind == "time-string":
                try:
                    v = tod_literal(value)
                except CompileError:
                    v = None  # a malformed request value: no relation
            else:
                v = tod_of_datetime(value)
        if op == "TimeOfDayInRange":
            if rk != "strpair":
                raise CompileError("TimeOfDayInRange needs ['lo', 'hi']")
            lo, hi = tod_literal(rv[0]), tod_literal(rv[1])
            if v is None:
                return False
            return lo <= v <= hi if lo <= hi else (v >= lo or v <= hi)
        if rk != "str":
            raise CompileError("%s needs a time-of-day literal" % op)
        t = tod_literal(rv)
        if v is None:
            return False
        return {"TimeOfDayEquals": v == t, "TimeOfDayGreaterThan": v > t,
                "TimeOfDayGreaterThanEquals": v >= t, "TimeOfDayLessThan": v < t,
                "TimeOfDayLessThanEquals": v <= t}[op]
    if op == "NumericInRange":
        if rk != "intpair":
            raise CompileError("NumericInRange needs [lo, hi] integers")
        lo, hi = rv
        if lo > hi:
            raise CompileError("NumericInRange lo > hi")
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return lo <= value <= hi
    if op == "ListContains":
        if rk != "str":
            raise CompileError("ListContains needs one string value")
        if value is None:
            return False
        values = value if isinstance(value, list) else [value]
        return rv in values
    raise CompileError("operator %s not modelled" % op)


# ---------------------------------------------------------------- conversion

COND_RE = re.compile(r"^\s*@(Request|Resource|Principal|Environment)\[([^\]]+)\]\s+([A-Za-z]+)\s+(.+?)\s*$")
FUNC_RE = re.compile(r"\b([A-Z][A-Za-z]+)\s*\(")


FUNC_CASE_RE = re.compile(r"^\s*(NormalizeList|NormalizeSet|ToTime)\((.*)\)\s+([A-Za-z]+)\s+(.+?)\s*$")


def function_free_equivalent(cond):
    """For `Func(literal) OP rhs`: what abacc gives when an attribute holds the function's result."""
    m = FUNC_CASE_RE.match(cond)
    if not m:
        return None
    func, arg, op, rhs_text = m.groups()
    rhs = parse_rhs(rhs_text)
    elems = re.findall(r"'([^']*)'", arg)
    if func in ("NormalizeList", "NormalizeSet"):
        value = list(dict.fromkeys(elems))
        kind, shown = "list", "a multi-valued attribute holding %s" % json.dumps(value)
    else:
        value = "2023-05-01T%sZ" % elems[0]
        kind, shown = "time-of-day-in-utcnow", "@Environment[UtcNow] = %s" % json.dumps(value)
    try:
        got = abacc_eval(op, value, rhs, kind)
    except CompileError as e:
        return "the function-free equivalent does not compile either (%s)" % e
    return "function-free equivalent (%s %s %s): abacc gives %s" % (shown, op, rhs_text, str(got).lower())


def parse_rhs(text):
    m = re.fullmatch(r"'([^']*)'", text)
    if m:
        return ("str", m.group(1))
    m = re.fullmatch(r"\[\s*'([^']*)'\s*,\s*'([^']*)'\s*\]", text)
    if m:
        return ("strpair", (m.group(1), m.group(2)))
    m = re.fullmatch(r"\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]", text)
    if m:
        return ("intpair", (int(m.group(1)), int(m.group(2))))
    return None


def regorus_value(ctx, case, source, attr):
    """The attribute's value in regorus's context for this case (None = missing)."""
    overrides = case.get("context") or {}
    key = {"Request": "request_attributes", "Resource": "resource_attributes",
           "Principal": "principal_custom_security_attributes"}.get(source)
    attrs = overrides.get(key) if key and overrides.get(key) is not None else ctx.get(source, {})
    return attrs.get(attr)


def to_abacc_value(kind, value, ctx):
    if value is None:
        return None
    if kind == "time-of-day-in-utcnow":
        date = (ctx["utc_now"] or "2023-05-01T00:00:00Z")[:10]
        return "%sT%sZ" % (date, value)
    return value


def convert_case(case, ctx, op_override=None):
    """Returns a dict with status 'converted' or 'difference'."""
    out = dict(case)
    cond = case["condition"]
    m = COND_RE.match(cond)
    if not m:
        funcs = [f for f in FUNC_RE.findall(cond)]
        out.update(status="difference", abacc="does not compile (not expressible)",
                   reason=("uses %s, a regorus function that neither abacc's language nor its "
                           "extended dialect has" % ", ".join(sorted(set(funcs)))) if funcs
                   else "left operand is not an attribute reference")
        eq = function_free_equivalent(cond)
        if eq:
            out["reason"] += "; " + eq
        return out
    source, attr, op, rhs_text = m.groups()
    op = op_override or op
    rhs = parse_rhs(rhs_text)
    if rhs is None:
        out.update(status="difference", abacc="does not compile",
                   reason="right operand %s has a form abacc's syntax does not have" % rhs_text)
        return out
    mapping = ATTRIBUTE_MAP.get((source, attr))
    if mapping is None:
        out.update(status="difference", abacc="not expressible",
                   reason="@%s[%s] has no abacc catalog attribute of a fitting type" % (source, attr))
        return out
    rvalue = regorus_value(ctx, case, source, attr)
    avalue = to_abacc_value(mapping["kind"], rvalue, ctx)
    expected = case["expected"]
    if op_override:
        expected = not expected
    try:
        got = abacc_eval(op, avalue, rhs, mapping["kind"])
    except CompileError as e:
        out.update(status="difference", abacc="compile error: %s" % e,
                   reason="abacc rejects the condition at compile time")
        return out
    out.update(source_attr=(source, attr), mapping=mapping, operator=op, rhs_text=rhs_text,
               abacc_condition="@%s[%s] %s %s" % (mapping["source"], mapping["name"], op, rhs_text),
               value=avalue, regorus_value=rvalue, expected=expected)
    if got != expected:
        out.update(status="difference", abacc=str(got).lower(),
                   reason="abacc's semantics give a different result")
        return out
    out.update(status="converted")
    return out


# ---------------------------------------------------------------- writing


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def yaml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return q(v)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_value(x) for x in v) + "]"
    raise TypeError(v)


def case_key(case):
    return "%s/%s" % (case["file"], case["name"])


def write_test_file(path, title, dialect, cases, src, derived_from=None):
    lines = []
    lines.append("# Generated by convert/convert.py from microsoft/regorus@%s" % src.commit)
    lines.append("# (%s/*.yaml, run by regorus's tests.rs rbac_builtins against default_context())." % TEST_DIR)
    lines.append("# Do not edit by hand: change convert/convert.py and rerun it (see README.md).")
    if derived_from:
        lines.append("#")
        lines.append("# NOT regorus cases: regorus has no %s operator. Each regorus %s case below is" % (derived_from[1], derived_from[0]))
        lines.append("# replayed with the Not-twin operator and the negated expectation (abacc: every Not-operator is")
        lines.append("# exactly the negation of its positive twin).")
    lines.append("#")
    lines.append("# Attribute mapping (regorus default context -> abacc catalog attribute):")
    seen = []
    for c in cases:
        key = c["source_attr"]
        if key in seen:
            continue
        seen.append(key)
        mp = c["mapping"]
        lines.append("#   @%s[%s] = %s" % (key[0], key[1], json.dumps(c["regorus_value"])))
        lines.append("#     -> @%s[%s] = %s" % (mp["source"], mp["name"], json.dumps(c["value"])))
        lines.append("#        (%s)" % mp["why"])
    lines.append("#   request action: %s (supplies the blob prefix;" % ACTION)
    lines.append("#   principal and environment attributes come with every action)")
    lines.append("#")
    lines.append("# One condition per table test, one regorus case per block: the condition is the AND of")
    lines.append("#   !(SubOperationMatches{'<regorus file>/<case name>'}) OR (<the case's condition>)")
    lines.append("# and each case's request has that key as its subOperation, so every other block is true and")
    lines.append("# the result is exactly the case's own condition.")
    lines.append("name: %s" % q("regorus %s cases" % title))
    lines.append("description: %s" % q("microsoft/regorus@%s %s" % (src.commit[:12], ", ".join(sorted({c['file'] for c in cases})))))
    if dialect == "extended":
        lines.append("dialect: extended")
    lines.append("condition: |-")
    for i, c in enumerate(cases):
        if i:
            lines.append("  AND")
        lines.append("  (")
        lines.append("    !(SubOperationMatches{'%s'})" % case_key(c))
        lines.append("    OR")
        lines.append("    (%s)" % c["abacc_condition"])
        lines.append("  )")
    lines.append("cases:")
    for c in cases:
        mp = c["mapping"]
        regorus_cond = c["condition"]
        lines.append("  # regorus: %s  =>  %s" % (regorus_cond, str(c["case_expected"]).lower()))
        lines.append("  - name: %s" % q(case_key(c) + (" (" + c["operator"] + ", derived)" if derived_from else "")))
        lines.append("    request:")
        lines.append("      action: %s" % q(ACTION))
        lines.append("      subOperation: %s" % q(case_key(c)))
        if c["value"] is not None:
            lines.append("      %s:" % mp["section"])
            lines.append("        %s: %s" % (q(mp["name"]), yaml_value(c["value"])))
        lines.append("    expect: %s" % ("true" if c["expected"] else "false"))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def md_escape(s):
    return str(s).replace("|", "\\|")


def write_differences(path, diffs, notes_path, src):
    lines = ["# Differences between regorus's test cases and abacc", ""]
    lines.append("Source: microsoft/regorus@%s, `%s/`." % (src.commit, TEST_DIR))
    lines.append("")
    lines.append("## 1. Per-case: regorus cases that were not converted (generated by convert/convert.py)")
    lines.append("")
    if not diffs:
        lines.append("None.")
    else:
        lines.append("| regorus file | case | condition | regorus expects | abacc gives | why |")
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for d in diffs:
            lines.append("| %s | %s | `%s` | %s | %s | %s |" % (
                d["file"], d["name"], md_escape(d["condition"]), str(d["case_expected"]).lower(),
                md_escape(d["abacc"]), md_escape(d["reason"])))
    lines.append("")
    with open(notes_path, encoding="utf-8") as f:
        lines.append(f.read().rstrip("\n"))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def counts_table(results, derived_results):
    per_op = {op: [0, 0, 0] for op in IN_SCOPE}
    for r in results:
        row = per_op[r["operator_regorus"]]
        row[0] += 1
        row[1 if r["status"] == "converted" else 2] += 1
    lines = ["| operator | dialect | regorus cases found | converted | listed in DIFFERENCES.md |",
             "| --- | --- | --- | --- | --- |"]
    tot = [0, 0, 0]
    for op in IN_SCOPE:
        f, c, d = per_op[op]
        tot = [tot[0] + f, tot[1] + c, tot[2] + d]
        note = ""
        if op == "IpNotInRange":
            note = " (regorus has no such operator; %d derived cases in ip-notinrange.derived.test.yaml)" % (
                sum(1 for r in derived_results if r["status"] == "converted"))
        lines.append("| %s%s | %s | %d | %d | %d |" % (op, note, "standard" if op in STANDARD_OPS else "extended", f, c, d))
    lines.append("| **total** | | **%d** | **%d** | **%d** |" % tuple(tot))
    own = [r for r in results if r["own_file"]]
    other = [r for r in results if not r["own_file"]]
    lines.append("")
    lines.append("Of these, %d cases are in the operators' own files (`<Operator>.yaml`): %d converted, %d differences; "
                 "%d are in other regorus files that use these operators (%s): %d converted, %d differences." % (
                     len(own), sum(r["status"] == "converted" for r in own), sum(r["status"] != "converted" for r in own),
                     len(other), ", ".join(sorted({r["file"] for r in other})) or "none",
                     sum(r["status"] == "converted" for r in other), sum(r["status"] != "converted" for r in other)))
    return "\n".join(lines)


def replace_block(path, begin, end, body):
    if not os.path.exists(path):
        return False
    with open(path, encoding="utf-8") as f:
        text = f.read()
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < 0:
        return False
    text = text[:i + len(begin)] + "\n" + body + "\n" + text[j:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--git", help="regorus git directory (bare or .git)")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--dir", help="regorus checkout (instead of --git)")
    ap.add_argument("--commit", help="with --dir: the regorus commit the checkout is at (for the headers)")
    ap.add_argument("--out", default=os.path.dirname(here))
    ap.add_argument("--time-as-string", action="store_true",
                    help="map @Request[time] onto an untyped custom security attribute holding regorus's "
                         "'hh:mm:ss' string instead of @Environment[UtcNow] (if the extended dialect "
                         "applies TimeOfDay operators to such strings)")
    a = ap.parse_args()
    if a.time_as_string:
        ATTRIBUTE_MAP[("Request", "time")] = dict(
            source="Principal", section="principal", name=CSA + "Schedule_Time", kind="time-string",
            why="regorus's bare time-of-day string, in an untyped custom security attribute")
    if not (a.git or a.dir):
        ap.error("give --git or --dir")
    src = Source(git=a.git, rev=a.rev, directory=a.dir)
    if a.dir and a.commit:
        src.commit = a.commit
    ctx = default_context(src)
    cases = load_cases(src)

    results = []
    for c in cases:
        c["case_expected"] = c["expected"]
        r = convert_case(c, ctx)
        r["operator_regorus"] = c["operator"]
        results.append(r)

    for fname, title, dialect, ops in FAMILIES:
        chosen = [r for r in results if r["status"] == "converted" and r["own_file"] and r["operator"] in ops]
        chosen += [r for r in results if r["status"] == "converted" and not r["own_file"] and r["operator"] in ops]
        chosen.sort(key=lambda r: (ops.index(r["operator"]), not r["own_file"]))
        if chosen:
            write_test_file(os.path.join(a.out, fname), title, dialect, chosen, src)

    derived_results = []
    for fname, title, from_op, to_op in DERIVED:
        base = [c for c in cases if c["operator"] == from_op and c["own_file"]]
        for c in base:
            r = convert_case(c, ctx, op_override=to_op)
            if r["status"] == "converted":
                derived_results.append(r)
        if derived_results:
            write_test_file(os.path.join(a.out, fname), title, "extended", derived_results, src,
                            derived_from=(from_op, to_op))

    diffs = [r for r in results if r["status"] != "converted"]
    write_differences(os.path.join(a.out, "DIFFERENCES.md"), diffs,
                      os.path.join(here, "differences-notes.md"), src)
    table = counts_table(results, derived_results)
    replace_block(os.path.join(a.out, "README.md"), "<!-- counts:begin -->", "<!-- counts:end -->",
                  "regorus commit: `%s` (%s)\n\n%s" % (src.commit, src.date, table))
    print(table)


if __name__ == "__main__":
    main()
