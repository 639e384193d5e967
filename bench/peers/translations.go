package peers

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Translation is one corpus condition written by hand for every peer engine.
//
// The sources may use these macros, expanded before compilation (ExprSource, CELSource,
// RegoModule), so that the long constants are spelled once:
//
//	$BLOB_READ ... $RA_DELETE   an action, lower-cased (the engines see the action lower-cased,
//	                            as abacc folds it at fill time)
//	$T(2024-01-01T00:00:00Z)    a DateTime literal as Unix nanoseconds
//	$C12, $C200                 the members of a set of container names, quoted for the engine
//
// Translation rules, the same for every engine:
//   - ActionMatches{'A'}: action == 'a' (lower-cased); a pattern 'P/*' is a prefix test;
//     SubOperationMatches{'S'}: subOp == 's'.
//   - A missing attribute makes a positive comparison false and its Not-twin true; every
//     translation checks presence where the engine's representation would otherwise differ.
//   - StringLike: 'prefix*' is a prefix test and '*suffix' a suffix test (exact equivalents);
//     other patterns use the engine's matcher: a regular expression (expr, CEL), glob.match
//     with no delimiters (Rego), a small wildcard matcher (Go).
//   - IgnoreCase: expr lower(), CEL lowerAscii() (ext.Strings), Rego lower(), Go
//     strings.EqualFold (Unicode simple folding, as abacc). lower()/lowerAscii() agree with
//     simple folding on the corpus, whose IgnoreCase values are ASCII; see README.md.
//   - DateTimes compare as integers (Unix nanoseconds), GUIDs as canonical lower-case strings
//     (Go: 16-byte arrays); both are normalized when the input is prepared.
//   - Rego modules are written as deny rules: RegoModule adds `default allow := false` and
//     `allow if not deny`.
//   - Cedar (see cedar.go for the context record): every attribute is read under a `has` test
//     (reading a missing one is an error, which would deny); set membership is
//     [..].contains(x); StringStartsWith/EndsWith are `like "p*"`/`like "*s"`; StringLike
//     patterns are Cedar `like` patterns, except that Cedar has no `?` (05-path-like, the one
//     translation that is not exact: see README.md); IgnoreCase compares the context's folded
//     copies (fold.x, Fold) with lower-case literals; key sets are the context's *Keys sets
//     (ForAllOfAnyValues is [allowed].containsAll(keys), ForAllOfAllValues:NotEquals is
//     !keys.containsAny([..])); single-valued operators on custom security attributes read
//     csaOne/csaIntOne (present only when the attribute has exactly one value).
type Translation struct {
	Expr  string
	CEL   string
	Rego  string
	Cedar string // the `when` body of one permit policy (CedarPolicy)
	Go    func(r *Req) bool
}

// Lower-cased actions.
const (
	aBlobRead   = "microsoft.storage/storageaccounts/blobservices/containers/blobs/read"
	aBlobWrite  = "microsoft.storage/storageaccounts/blobservices/containers/blobs/write"
	aBlobAdd    = "microsoft.storage/storageaccounts/blobservices/containers/blobs/add/action"
	aBlobDelete = "microsoft.storage/storageaccounts/blobservices/containers/blobs/delete"
	aTagsRead   = "microsoft.storage/storageaccounts/blobservices/containers/blobs/tags/read"
	aTagsWrite  = "microsoft.storage/storageaccounts/blobservices/containers/blobs/tags/write"
	aQueueRead  = "microsoft.storage/storageaccounts/queueservices/queues/messages/read"
	aQueueMsg   = "microsoft.storage/storageaccounts/queueservices/queues/messages/" // ActionMatches '.../messages/*'
	aRAWrite    = "microsoft.authorization/roleassignments/write"
	aRADelete   = "microsoft.authorization/roleassignments/delete"
)

var actionMacros = strings.NewReplacer(
	"$BLOB_READ", aBlobRead, "$BLOB_WRITE", aBlobWrite, "$BLOB_ADD", aBlobAdd, "$BLOB_DELETE", aBlobDelete,
	"$TAGS_READ", aTagsRead, "$TAGS_WRITE", aTagsWrite, "$QUEUE_READ", aQueueRead, "$QUEUE_MSG", aQueueMsg,
	"$RA_WRITE", aRAWrite, "$RA_DELETE", aRADelete,
)

var timeMacro = regexp.MustCompile(`\$T\(([^)]*)\)`)

// The 12 containers of the large condition and the 200 of 26-container-set-200.
var (
	containers12  = []string{"finance", "hr", "logs", "reports", "analytics", "archive", "staging", "ingest", "exports", "backups", "telemetry", "audit"}
	containers200 = func() []string {
		teams := []string{"finance", "hr", "logs", "reports", "analytics", "archive", "staging", "ingest", "exports", "backups",
			"telemetry", "audit", "billing", "marketing", "sales", "legal", "research", "design", "support", "ops"}
		regions := []string{"eastus", "westus", "northeurope", "westeurope", "japaneast", "australiaeast", "brazilsouth", "canadacentral", "uksouth", "southeastasia"}
		var out []string
		for _, r := range regions {
			for _, t := range teams {
				out = append(out, t+"-"+r)
			}
		}
		return out
	}()
	set12  = toSet(containers12)
	set200 = toSet(containers200)
)

func toSet(xs []string) map[string]struct{} {
	m := make(map[string]struct{}, len(xs))
	for _, x := range xs {
		m[x] = struct{}{}
	}
	return m
}

func quoteAll(xs []string, q string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = q + x + q
	}
	return strings.Join(parts, ", ")
}

func expand(src, quote string) string {
	src = actionMacros.Replace(src)
	src = strings.NewReplacer("$C200", quoteAll(containers200, quote), "$C12", quoteAll(containers12, quote)).Replace(src)
	return timeMacro.ReplaceAllStringFunc(src, func(m string) string {
		return fmt.Sprint(MustTime(timeMacro.FindStringSubmatch(m)[1]))
	})
}

// ExprSource is the expr source with its macros expanded.
func (t Translation) ExprSource() string { return expand(t.Expr, "'") }

// CELSource is the CEL source with its macros expanded.
func (t Translation) CELSource() string { return expand(t.CEL, "'") }

// RegoModule is the complete Rego module.
func (t Translation) RegoModule() string {
	return "package abacc\n\ndefault allow := false\n\nallow if not deny\n\n" + strings.TrimLeft(expand(t.Rego, `"`), "\n") + "\n"
}

// CedarPolicy is the complete Cedar policy text with its macros expanded.
func (t Translation) CedarPolicy() string {
	return "permit (principal, action, resource)\nwhen {\n" + strings.Trim(expand(t.Cedar, `"`), "\n") + "\n};\n"
}

// Go helpers ----------------------------------------------------------------------------------

var (
	t2024 = MustTime("2024-01-01T00:00:00Z")
	t2026 = MustTime("2026-01-01T00:00:00Z")

	gOwner       = MustGuid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
	gUAA         = MustGuid("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")
	gRBACAdmin   = MustGuid("f58310d9-a9f6-439a-9e8d-f62e7b41a168")
	gBlobReader  = MustGuid("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
	gBlobContrib = MustGuid("ba92f5b4-2d11-453d-a403-e96b0029c9fe")
	gQueueReader = MustGuid("19e7f393-937e-4f77-808e-94535e297925")
	g974c        = MustGuid("974c5e8b-45b9-4653-ba55-5f855dd0fb88")
	g8a0f        = MustGuid("8a0f0c08-91a1-4084-bc3d-661d67233fed")
	gZero        Guid
)

func privileged(g Guid) bool { return g == gOwner || g == gUAA || g == gRBACAdmin }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// like is Azure's StringLike for the patterns of the corpus: '*' any run of characters, '?'
// exactly one character (no escapes occur in the corpus patterns).
func like(s, p string) bool {
	// Iterative wildcard matching with one backtrack point (the last '*').
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(p) && p[pi] == '?' {
			_, n := utf8.DecodeRuneInString(s[si:])
			si += n
			pi++
		} else if pi < len(p) && p[pi] == '*' {
			star, mark = pi, si
			pi++
		} else if pi < len(p) && p[pi] == s[si] {
			si++
			pi++
		} else if star >= 0 {
			pi = star + 1
			_, n := utf8.DecodeRuneInString(s[mark:])
			mark += n
			si = mark
		} else {
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// tagKeysIn reports whether every key of d is one of allowed (ForAllOfAnyValues:StringEquals
// over the key set; a missing dictionary is the empty set, so true).
func tagKeysIn(d map[string]string, allowed ...string) bool {
next:
	for k := range d {
		for _, a := range allowed {
			if k == a {
				continue next
			}
		}
		return false
	}
	return true
}

// Translations maps a corpus condition's ID (its file name without .json) to its translations.
var Translations = map[string]Translation{

	"01-read-one-container": {
		Expr: `action != '$BLOB_READ' || (container != nil && container == 'reports')`,
		CEL:  `action != '$BLOB_READ' || (has(s.container) && s.container == 'reports')`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	not input.container == "reports"
}`,
		Cedar: `context.action != "$BLOB_READ" ||
  (context has container && context.container == "reports")`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.Container.V == "reports"
		},
	},

	"02-tag-project-read": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' || resTags.Project == 'Cascade'`,
		CEL:  `action != '$BLOB_READ' || subOp == 'blob.list' || (has(resTags.Project) && resTags.Project == 'Cascade')`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not input.resTags.Project == "Cascade"
}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.resTags has Project && context.resTags.Project == "Cascade")`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" || r.ResTags["Project"] == "Cascade"
		},
	},

	"03-tag-project-and-program": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (resTags.Project in ['Cascade', 'Baker', 'Skagit'] && lower(resTags.Program) == 'alpine')`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(resTags.Project) && resTags.Project in ['Cascade', 'Baker', 'Skagit'] &&
   has(resTags.Program) && resTags.Program.lowerAscii() == 'alpine')`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if {
	input.resTags.Project in {"Cascade", "Baker", "Skagit"}
	lower(input.resTags.Program) == "alpine"
}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.resTags has Project && ["Cascade", "Baker", "Skagit"].contains(context.resTags.Project) &&
   context.fold.resTags has Program && context.fold.resTags.Program == "alpine")`,
		Go: func(r *Req) bool {
			if r.Action != aBlobRead || r.SubOp == "blob.list" {
				return true
			}
			p := r.ResTags["Project"]
			return (p == "Cascade" || p == "Baker" || p == "Skagit") && strings.EqualFold(r.ResTags["Program"], "alpine")
		},
	},

	"04-path-prefix": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (container != nil && container == 'blobs-example-container' && path startsWith 'readonly/')`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(s.container) && s.container == 'blobs-example-container' && has(s.path) && s.path.startsWith('readonly/'))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if {
	input.container == "blobs-example-container"
	startswith(input.path, "readonly/")
}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has container && context.container == "blobs-example-container" &&
   context has path && context.path like "readonly/*")`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" ||
				(r.Container.V == "blobs-example-container" && r.Path.OK && strings.HasPrefix(r.Path.V, "readonly/"))
		},
	},

	"05-path-like": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  path matches '^(?s)logs/20../.*/app-.*\\.log$' || path startsWith 'public/'`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(s.path) && (s.path.matches(r'^(?s)logs/20../.*/app-.*\.log$') || s.path.startsWith('public/')))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if glob.match("logs/20??/*/app-*.log", null, input.path)

ok if startswith(input.path, "public/")`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has path && (context.path like "logs/20*/*/app-*.log" || context.path like "public/*"))`,
		Go: func(r *Req) bool {
			if r.Action != aBlobRead || r.SubOp == "blob.list" {
				return true
			}
			return r.Path.OK && (like(r.Path.V, "logs/20??/*/app-*.log") || strings.HasPrefix(r.Path.V, "public/"))
		},
	},

	"06-list-prefix": {
		Expr: `action != '$BLOB_READ' || subOp != 'blob.list' || prefix startsWith 'logs/'`,
		CEL:  `action != '$BLOB_READ' || subOp != 'blob.list' || (has(s.prefix) && s.prefix.startsWith('logs/'))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp == "blob.list"
	not ok
}

ok if startswith(input.prefix, "logs/")`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp != "blob.list" ||
  (context has prefix && context.prefix like "logs/*")`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp != "blob.list" || (r.Prefix.OK && strings.HasPrefix(r.Prefix.V, "logs/"))
		},
	},

	"07-private-link": {
		Expr: `(action != '$BLOB_READ' && action != '$BLOB_WRITE') || isPrivateLink == true`,
		CEL:  `(action != '$BLOB_READ' && action != '$BLOB_WRITE') || (has(b.isPrivateLink) && b.isPrivateLink)`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	not input.isPrivateLink == true
}

deny if {
	input.action == "$BLOB_WRITE"
	not input.isPrivateLink == true
}`,
		Cedar: `(context.action != "$BLOB_READ" && context.action != "$BLOB_WRITE") ||
  (context has isPrivateLink && context.isPrivateLink)`,
		Go: func(r *Req) bool {
			return (r.Action != aBlobRead && r.Action != aBlobWrite) || r.IsPrivateLink.V
		},
	},

	"08-subnet-or-endpoint": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (subnet != nil && lower(subnet) == '/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/virtualnetworks/vnet-hub/subnets/default') ||
  (privateEndpoint != nil && lower(privateEndpoint) == '/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/privateendpoints/pe-analytics')`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(s.subnet) && s.subnet.lowerAscii() == '/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/virtualnetworks/vnet-hub/subnets/default') ||
  (has(s.privateEndpoint) && s.privateEndpoint.lowerAscii() == '/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/privateendpoints/pe-analytics')`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if lower(input.subnet) == "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/virtualnetworks/vnet-hub/subnets/default"

ok if lower(input.privateEndpoint) == "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/privateendpoints/pe-analytics"`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.fold has subnet && context.fold.subnet == "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/virtualnetworks/vnet-hub/subnets/default") ||
  (context.fold has privateEndpoint && context.fold.privateEndpoint == "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourcegroups/rg-network/providers/microsoft.network/privateendpoints/pe-analytics")`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" ||
				(r.Subnet.OK && strings.EqualFold(r.Subnet.V, "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/default")) ||
				(r.PrivateEndpoint.OK && strings.EqualFold(r.PrivateEndpoint.V, "/subscriptions/5c3a1b2e-1111-4c2d-9a7b-0d1e2f3a4b5c/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-analytics"))
		},
	},

	"09-time-window": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (utcNow != nil && utcNow >= $T(2024-01-01T00:00:00Z) && utcNow < $T(2025-07-01T02:00:00+02:00))`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(t.utcNow) && t.utcNow >= $T(2024-01-01T00:00:00Z) && t.utcNow < $T(2025-07-01T02:00:00+02:00))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if {
	input.utcNow >= $T(2024-01-01T00:00:00Z)
	input.utcNow < $T(2025-07-01T02:00:00+02:00)
}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has utcNow && context.utcNow >= $T(2024-01-01T00:00:00Z) && context.utcNow < $T(2025-07-01T02:00:00+02:00))`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" ||
				(r.UtcNow.OK && r.UtcNow.V >= t2024 && r.UtcNow.V < t09End)
		},
	},

	"10-encryption-scope-write": {
		Expr: `(action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  (account != nil && account == 'sampleaccount' && encScope != nil && encScope == 'CMK-scope')`,
		CEL: `(action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  (has(s.account) && s.account == 'sampleaccount' && has(s.encScope) && s.encScope == 'CMK-scope')`,
		Rego: `
deny if {
	input.action == "$BLOB_WRITE"
	not ok
}

deny if {
	input.action == "$BLOB_ADD"
	not ok
}

ok if {
	input.account == "sampleaccount"
	input.encScope == "CMK-scope"
}`,
		Cedar: `(context.action != "$BLOB_WRITE" && context.action != "$BLOB_ADD") ||
  (context has account && context.account == "sampleaccount" && context has encScope && context.encScope == "CMK-scope")`,
		Go: func(r *Req) bool {
			return (r.Action != aBlobWrite && r.Action != aBlobAdd) || (r.Account.V == "sampleaccount" && r.EncScope.V == "CMK-scope")
		},
	},

	"11-encryption-scope-read": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' || encScope in ['validScope1', 'validScope2']`,
		CEL:  `action != '$BLOB_READ' || subOp == 'blob.list' || (has(s.encScope) && s.encScope in ['validScope1', 'validScope2'])`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if input.encScope in {"validScope1", "validScope2"}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has encScope && ["validScope1", "validScope2"].contains(context.encScope))`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" || r.EncScope.V == "validScope1" || r.EncScope.V == "validScope2"
		},
	},

	"12-csa-project-match": {
		Expr: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  (len(csa.Engineering_Project) == 1 && 'Project' in resTags && csa.Engineering_Project[0] == resTags.Project)) &&
(action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders' ||
  (len(csa.Engineering_Project) == 1 && 'Project' in reqTags && csa.Engineering_Project[0] == reqTags.Project))`,
		CEL: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(csa.Engineering_Project) && size(csa.Engineering_Project) == 1 && has(resTags.Project) && csa.Engineering_Project[0] == resTags.Project)) &&
(action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders' ||
  (has(csa.Engineering_Project) && size(csa.Engineering_Project) == 1 && has(reqTags.Project) && csa.Engineering_Project[0] == reqTags.Project))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not read_ok
}

read_ok if {
	count(input.csa.Engineering_Project) == 1
	input.csa.Engineering_Project[0] == input.resTags.Project
}

deny if {
	input.action == "$BLOB_WRITE"
	input.subOp == "blob.write.withtagheaders"
	not write_ok
}

write_ok if {
	count(input.csa.Engineering_Project) == 1
	input.csa.Engineering_Project[0] == input.reqTags.Project
}`,
		Cedar: `(context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.csaOne has Engineering_Project && context.resTags has Project &&
   context.csaOne.Engineering_Project == context.resTags.Project)) &&
(context.action != "$BLOB_WRITE" || context.subOp != "blob.write.withtagheaders" ||
  (context.csaOne has Engineering_Project && context.reqTags has Project &&
   context.csaOne.Engineering_Project == context.reqTags.Project))`,
		Go: func(r *Req) bool {
			switch {
			case r.Action == aBlobRead && r.SubOp != "blob.list":
				p := r.CSA["Engineering_Project"]
				t, ok := r.ResTags["Project"]
				return len(p) == 1 && ok && p[0] == t
			case r.Action == aBlobWrite && r.SubOp == "blob.write.withtagheaders":
				p := r.CSA["Engineering_Project"]
				t, ok := r.ReqTags["Project"]
				return len(p) == 1 && ok && p[0] == t
			}
			return true
		},
	},

	"13-csa-multivalued-forany": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  ('Project' in resTags && resTags.Project in csa.Engineering_Project)`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(resTags.Project) && has(csa.Engineering_Project) && resTags.Project in csa.Engineering_Project)`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if input.resTags.Project in input.csa.Engineering_Project`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.resTags has Project && context.csa has Engineering_Project &&
   context.csa.Engineering_Project.contains(context.resTags.Project))`,
		Go: func(r *Req) bool {
			if r.Action != aBlobRead || r.SubOp == "blob.list" {
				return true
			}
			t, ok := r.ResTags["Project"]
			if !ok {
				return false
			}
			for _, p := range r.CSA["Engineering_Project"] {
				if p == t {
					return true
				}
			}
			return false
		},
	},

	"14-role-delegation-allowed-roles": {
		Expr: `action != '$RA_WRITE' ||
  (reqRoleDef in ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', '19e7f393-937e-4f77-808e-94535e297925'] &&
   reqPrincipalType != nil && lower(reqPrincipalType) in ['serviceprincipal', 'group'])`,
		CEL: `action != '$RA_WRITE' ||
  (has(s.reqRoleDef) && s.reqRoleDef in ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', '19e7f393-937e-4f77-808e-94535e297925'] &&
   has(s.reqPrincipalType) && s.reqPrincipalType.lowerAscii() in ['serviceprincipal', 'group'])`,
		Rego: `
deny if {
	input.action == "$RA_WRITE"
	not ok
}

ok if {
	input.reqRoleDef in {"2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "19e7f393-937e-4f77-808e-94535e297925"}
	lower(input.reqPrincipalType) in {"serviceprincipal", "group"}
}`,
		Cedar: `context.action != "$RA_WRITE" ||
  (context has reqRoleDef &&
   ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "19e7f393-937e-4f77-808e-94535e297925"].contains(context.reqRoleDef) &&
   context.fold has reqPrincipalType && ["serviceprincipal", "group"].contains(context.fold.reqPrincipalType))`,
		Go: func(r *Req) bool {
			if r.Action != aRAWrite {
				return true
			}
			g := r.ReqRoleDef
			t := r.ReqPrincipalType.V
			return g.OK && (g.V == gBlobReader || g.V == gBlobContrib || g.V == gQueueReader) &&
				(strings.EqualFold(t, "ServicePrincipal") || strings.EqualFold(t, "Group"))
		},
	},

	"15-role-delegation-exclude-privileged": {
		Expr: `(action != '$RA_WRITE' ||
  (reqRoleDef != nil && reqRoleDef not in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'])) &&
(action != '$RA_DELETE' ||
  (resRoleDef != nil && resRoleDef not in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']))`,
		CEL: `(action != '$RA_WRITE' ||
  (has(s.reqRoleDef) && !(s.reqRoleDef in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']))) &&
(action != '$RA_DELETE' ||
  (has(s.resRoleDef) && !(s.resRoleDef in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'])))`,
		Rego: `
privileged := {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"}

deny if {
	input.action == "$RA_WRITE"
	not write_ok
}

write_ok if {
	role := input.reqRoleDef
	not privileged[role]
}

deny if {
	input.action == "$RA_DELETE"
	not delete_ok
}

delete_ok if {
	role := input.resRoleDef
	not privileged[role]
}`,
		Cedar: `(context.action != "$RA_WRITE" ||
  (context has reqRoleDef &&
   !(["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"].contains(context.reqRoleDef)))) &&
(context.action != "$RA_DELETE" ||
  (context has resRoleDef &&
   !(["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"].contains(context.resRoleDef))))`,
		Go: func(r *Req) bool {
			switch r.Action {
			case aRAWrite:
				return r.ReqRoleDef.OK && !privileged(r.ReqRoleDef.V)
			case aRADelete:
				return r.ResRoleDef.OK && !privileged(r.ResRoleDef.V)
			}
			return true
		},
	},

	"16-tag-keys-allowed": {
		Expr: `(action != '$TAGS_WRITE' && (action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders')) ||
  all(keys(reqTags), # in ['Project', 'Program', 'Owner'])`,
		CEL: `(action != '$TAGS_WRITE' && (action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders')) ||
  reqTags.all(k, k in ['Project', 'Program', 'Owner'])`,
		Rego: `
deny if {
	input.action == "$TAGS_WRITE"
	not ok
}

deny if {
	input.action == "$BLOB_WRITE"
	input.subOp == "blob.write.withtagheaders"
	not ok
}

ok if {
	every k, _ in input.reqTags {
		k in {"Project", "Program", "Owner"}
	}
}`,
		Cedar: `(context.action != "$TAGS_WRITE" && (context.action != "$BLOB_WRITE" || context.subOp != "blob.write.withtagheaders")) ||
  ["Project", "Program", "Owner"].containsAll(context.reqTagKeys)`,
		Go: func(r *Req) bool {
			if r.Action != aTagsWrite && (r.Action != aBlobWrite || r.SubOp != "blob.write.withtagheaders") {
				return true
			}
			return tagKeysIn(r.ReqTags, "Project", "Program", "Owner")
		},
	},

	"17-new-blob-requires-tag": {
		Expr: `(action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  ('Project' in reqTags && reqTags.Project in ['Cascade', 'Baker', 'Skagit'])`,
		CEL: `(action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  ('Project' in reqTags && reqTags.Project in ['Cascade', 'Baker', 'Skagit'])`,
		Rego: `
deny if {
	input.action == "$BLOB_WRITE"
	not ok
}

deny if {
	input.action == "$BLOB_ADD"
	not ok
}

ok if input.reqTags.Project in {"Cascade", "Baker", "Skagit"}`,
		Cedar: `(context.action != "$BLOB_WRITE" && context.action != "$BLOB_ADD") ||
  (context.reqTags has Project && ["Cascade", "Baker", "Skagit"].contains(context.reqTags.Project))`,
		Go: func(r *Req) bool {
			if r.Action != aBlobWrite && r.Action != aBlobAdd {
				return true
			}
			p, ok := r.ReqTags["Project"]
			return ok && (p == "Cascade" || p == "Baker" || p == "Skagit")
		},
	},

	"18-queue-ignorecase": {
		Expr: `action != '$QUEUE_READ' ||
  (queue != nil && lower(queue) startsWith 'orders-' && !(lower(queue) endsWith '-test') &&
   account != nil && lower(account) == 'contosodata')`,
		CEL: `action != '$QUEUE_READ' ||
  (has(s.queue) && s.queue.lowerAscii().startsWith('orders-') && !s.queue.lowerAscii().endsWith('-test') &&
   has(s.account) && s.account.lowerAscii() == 'contosodata')`,
		Rego: `
deny if {
	input.action == "$QUEUE_READ"
	not ok
}

ok if {
	startswith(lower(input.queue), "orders-")
	not endswith(lower(input.queue), "-test")
	lower(input.account) == "contosodata"
}`,
		Cedar: `context.action != "$QUEUE_READ" ||
  (context.fold has queue && context.fold.queue like "orders-*" && !(context.fold.queue like "*-test") &&
   context.fold has account && context.fold.account == "contosodata")`,
		Go: func(r *Req) bool {
			if r.Action != aQueueRead {
				return true
			}
			q := r.Queue.V
			return r.Queue.OK && hasPrefixFold(q, "orders-") && !hasSuffixFold(q, "-test") && strings.EqualFold(r.Account.V, "ContosoData")
		},
	},

	"19-delete-exclusions": {
		Expr: `action != '$BLOB_DELETE' ||
  (container not in ['audit', 'backups', 'archive'] && !(path startsWith 'retained/') && lower(meta.Retention) != 'legal-hold')`,
		CEL: `action != '$BLOB_DELETE' ||
  (!(has(s.container) && s.container in ['audit', 'backups', 'archive']) &&
   !(has(s.path) && s.path.startsWith('retained/')) &&
   !(has(meta.Retention) && meta.Retention.lowerAscii() == 'legal-hold'))`,
		Rego: `
deny if {
	input.action == "$BLOB_DELETE"
	not ok
}

ok if {
	not excluded_container
	not retained_path
	not legal_hold
}

excluded_container if input.container in {"audit", "backups", "archive"}

retained_path if startswith(input.path, "retained/")

legal_hold if lower(input.meta.Retention) == "legal-hold"`,
		Cedar: `context.action != "$BLOB_DELETE" ||
  (!(context has container && ["audit", "backups", "archive"].contains(context.container)) &&
   !(context has path && context.path like "retained/*") &&
   !(context.fold.meta has Retention && context.fold.meta.Retention == "legal-hold"))`,
		Go: func(r *Req) bool {
			if r.Action != aBlobDelete {
				return true
			}
			c := r.Container.V
			return (!r.Container.OK || (c != "audit" && c != "backups" && c != "archive")) &&
				!strings.HasPrefix(r.Path.V, "retained/") &&
				!strings.EqualFold(r.Meta["Retention"], "legal-hold")
		},
	},

	"20-version-or-current": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (versionId != nil && versionId == $T(2022-06-01T23:38:32.8883645Z)) || isCurrentVersion == true`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(t.versionId) && t.versionId == $T(2022-06-01T23:38:32.8883645Z)) || (has(b.isCurrentVersion) && b.isCurrentVersion)`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if input.versionId == $T(2022-06-01T23:38:32.8883645Z)

ok if input.isCurrentVersion == true`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has versionId && context.versionId == $T(2022-06-01T23:38:32.8883645Z)) ||
  (context has isCurrentVersion && context.isCurrentVersion)`,
		Go: func(r *Req) bool {
			return r.Action != aBlobRead || r.SubOp == "blob.list" ||
				(r.VersionID.OK && r.VersionID.V == t20Version) || r.IsCurrentVersion.V
		},
	},

	"21-no-snapshot-modify": {
		Expr: `((action != '$BLOB_WRITE' && action != '$BLOB_DELETE') || snapshot == nil) &&
(action != '$BLOB_DELETE' || isHnsEnabled == true)`,
		CEL: `((action != '$BLOB_WRITE' && action != '$BLOB_DELETE') || !has(t.snapshot)) &&
(action != '$BLOB_DELETE' || (has(b.isHnsEnabled) && b.isHnsEnabled))`,
		Rego: `
deny if {
	input.action == "$BLOB_WRITE"
	input.snapshot
}

deny if {
	input.action == "$BLOB_DELETE"
	input.snapshot
}

deny if {
	input.action == "$BLOB_DELETE"
	not input.isHnsEnabled == true
}`,
		Cedar: `((context.action != "$BLOB_WRITE" && context.action != "$BLOB_DELETE") || !(context has snapshot)) &&
(context.action != "$BLOB_DELETE" || (context has isHnsEnabled && context.isHnsEnabled))`,
		Go: func(r *Req) bool {
			switch r.Action {
			case aBlobWrite:
				return !r.Snapshot.OK
			case aBlobDelete:
				return !r.Snapshot.OK && r.IsHnsEnabled.V
			}
			return true
		},
	},

	"22-queue-wildcard-actions": {
		Expr: `!(action startsWith '$QUEUE_MSG') || (queue in ['orders', 'invoices'] && isPrivateLink == true)`,
		CEL: `!action.startsWith('$QUEUE_MSG') ||
  (has(s.queue) && s.queue in ['orders', 'invoices'] && has(b.isPrivateLink) && b.isPrivateLink)`,
		Rego: `
deny if {
	startswith(input.action, "$QUEUE_MSG")
	not ok
}

ok if {
	input.queue in {"orders", "invoices"}
	input.isPrivateLink == true
}`,
		Cedar: `!(context.action like "$QUEUE_MSG*") ||
  (context has queue && ["orders", "invoices"].contains(context.queue) &&
   context has isPrivateLink && context.isPrivateLink)`,
		Go: func(r *Req) bool {
			if !strings.HasPrefix(r.Action, aQueueMsg) {
				return true
			}
			return (r.Queue.V == "orders" || r.Queue.V == "invoices") && r.IsPrivateLink.V
		},
	},

	"23-csa-numeric-clearance": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' || container == nil || container != 'restricted' ||
  (len(csaInt.Security_Clearance) == 1 && csaInt.Security_Clearance[0] >= 3)`,
		CEL: `action != '$BLOB_READ' || subOp == 'blob.list' || !(has(s.container) && s.container == 'restricted') ||
  (has(csaInt.Security_Clearance) && size(csaInt.Security_Clearance) == 1 && csaInt.Security_Clearance[0] >= 3)`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	input.container == "restricted"
	not cleared
}

cleared if {
	count(input.csaInt.Security_Clearance) == 1
	input.csaInt.Security_Clearance[0] >= 3
}`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  !(context has container && context.container == "restricted") ||
  (context.csaIntOne has Security_Clearance && context.csaIntOne.Security_Clearance >= 3)`,
		Go: func(r *Req) bool {
			if r.Action != aBlobRead || r.SubOp == "blob.list" || r.Container.V != "restricted" {
				return true
			}
			c := r.CSAInt["Security_Clearance"]
			return len(c) == 1 && c[0] >= 3
		},
	},

	"24-partner-combined": {
		Expr: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  ('Project' in resTags && resTags.Project in csa.Engineering_Project)) &&
((action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  (isPrivateLink == true && utcNow != nil && utcNow >= $T(2024-01-01T00:00:00Z) && utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$BLOB_DELETE' || path startsWith 'tmp/')`,
		CEL: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(resTags.Project) && has(csa.Engineering_Project) && resTags.Project in csa.Engineering_Project)) &&
((action != '$BLOB_WRITE' && action != '$BLOB_ADD') ||
  (has(b.isPrivateLink) && b.isPrivateLink && has(t.utcNow) && t.utcNow >= $T(2024-01-01T00:00:00Z) && t.utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$BLOB_DELETE' || (has(s.path) && s.path.startsWith('tmp/')))`,
		Rego: `
deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not read_ok
}

read_ok if input.resTags.Project in input.csa.Engineering_Project

deny if {
	input.action == "$BLOB_WRITE"
	not write_ok
}

deny if {
	input.action == "$BLOB_ADD"
	not write_ok
}

write_ok if {
	input.isPrivateLink == true
	input.utcNow >= $T(2024-01-01T00:00:00Z)
	input.utcNow < $T(2026-01-01T00:00:00Z)
}

deny if {
	input.action == "$BLOB_DELETE"
	not delete_ok
}

delete_ok if startswith(input.path, "tmp/")`,
		Cedar: `(context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context.resTags has Project && context.csa has Engineering_Project &&
   context.csa.Engineering_Project.contains(context.resTags.Project))) &&
((context.action != "$BLOB_WRITE" && context.action != "$BLOB_ADD") ||
  (context has isPrivateLink && context.isPrivateLink &&
   context has utcNow && context.utcNow >= $T(2024-01-01T00:00:00Z) && context.utcNow < $T(2026-01-01T00:00:00Z))) &&
(context.action != "$BLOB_DELETE" || (context has path && context.path like "tmp/*"))`,
		Go: func(r *Req) bool {
			switch r.Action {
			case aBlobRead:
				if r.SubOp == "blob.list" {
					return true
				}
				t, ok := r.ResTags["Project"]
				if !ok {
					return false
				}
				for _, p := range r.CSA["Engineering_Project"] {
					if p == t {
						return true
					}
				}
				return false
			case aBlobWrite, aBlobAdd:
				return r.IsPrivateLink.V && r.UtcNow.OK && r.UtcNow.V >= t2024 && r.UtcNow.V < t2026
			case aBlobDelete:
				return strings.HasPrefix(r.Path.V, "tmp/")
			}
			return true
		},
	},

	"25-large-8-blocks": {
		Expr: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  (container in [$C12] &&
   (resTags.Project == 'Cascade' || lower(resTags.Program) == 'alpine') &&
   (path matches '^(?s)logs/.*/2024-.*\\.json$' || path startsWith 'reports/public/') &&
   isPrivateLink == true)) &&
(action != '$BLOB_WRITE' || subOp == 'blob.write.tier' ||
  (all(keys(reqTags), # in ['Project', 'Program', 'Owner', 'CostCenter']) &&
   reqTags.Project in ['Cascade', 'Baker', 'Skagit'] &&
   container in [$C12] &&
   !(path startsWith 'archive/') &&
   utcNow != nil && utcNow >= $T(2024-01-01T00:00:00Z) && utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$BLOB_ADD' ||
  (all(keys(reqTags), lower(#) in ['project', 'program', 'owner']) &&
   reqTags.Project == 'Cascade' &&
   path startsWith 'uploads/' &&
   account != nil && lower(account) == 'contosodata' &&
   isPrivateLink == true)) &&
(action != '$BLOB_DELETE' ||
  (!(path startsWith 'retained/') &&
   container not in ['audit', 'backups', 'archive'] &&
   lower(meta.Retention) != 'legal-hold' &&
   utcNow != nil && utcNow > $T(2024-03-31T23:59:59.9999999Z) &&
   isPrivateLink == true)) &&
(action != '$TAGS_READ' ||
  resTags.Project in ['Cascade', 'Baker'] ||
  lower(resTags.Program) startsWith 'alp' ||
  (container in [$C12] && path startsWith 'shared/' && isPrivateLink == true)) &&
(action != '$TAGS_WRITE' ||
  (all(keys(reqTags), # in ['Project', 'Program', 'Owner', 'CostCenter']) &&
   'Project' in reqTags && 'Project' in resTags && reqTags.Project == resTags.Project &&
   container in [$C12] &&
   (!('CostCenter' in reqTags) || reqTags.CostCenter startsWith 'CC-'))) &&
(action != '$QUEUE_READ' ||
  (queue startsWith 'orders-' &&
   account != nil && lower(account) == 'contosodata' &&
   isPrivateLink == true &&
   utcNow != nil && utcNow >= $T(2024-01-01T00:00:00Z) && utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$RA_WRITE' ||
  (reqRoleDef in ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', '19e7f393-937e-4f77-808e-94535e297925', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', '8a0f0c08-91a1-4084-bc3d-661d67233fed'] &&
   reqRoleDef not in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'] &&
   reqPrincipalType != nil && lower(reqPrincipalType) in ['serviceprincipal', 'group'] &&
   reqPrincipalId != nil && reqPrincipalId != '00000000-0000-0000-0000-000000000000' &&
   utcNow != nil && utcNow < $T(2026-01-01T00:00:00Z)))`,
		CEL: `(action != '$BLOB_READ' || subOp == 'blob.list' ||
  (has(s.container) && s.container in [$C12] &&
   ((has(resTags.Project) && resTags.Project == 'Cascade') || (has(resTags.Program) && resTags.Program.lowerAscii() == 'alpine')) &&
   has(s.path) && (s.path.matches(r'^(?s)logs/.*/2024-.*\.json$') || s.path.startsWith('reports/public/')) &&
   has(b.isPrivateLink) && b.isPrivateLink)) &&
(action != '$BLOB_WRITE' || subOp == 'blob.write.tier' ||
  (reqTags.all(k, k in ['Project', 'Program', 'Owner', 'CostCenter']) &&
   has(reqTags.Project) && reqTags.Project in ['Cascade', 'Baker', 'Skagit'] &&
   has(s.container) && s.container in [$C12] &&
   !(has(s.path) && s.path.startsWith('archive/')) &&
   has(t.utcNow) && t.utcNow >= $T(2024-01-01T00:00:00Z) && t.utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$BLOB_ADD' ||
  (reqTags.all(k, k.lowerAscii() in ['project', 'program', 'owner']) &&
   has(reqTags.Project) && reqTags.Project == 'Cascade' &&
   has(s.path) && s.path.startsWith('uploads/') &&
   has(s.account) && s.account.lowerAscii() == 'contosodata' &&
   has(b.isPrivateLink) && b.isPrivateLink)) &&
(action != '$BLOB_DELETE' ||
  (!(has(s.path) && s.path.startsWith('retained/')) &&
   !(has(s.container) && s.container in ['audit', 'backups', 'archive']) &&
   !(has(meta.Retention) && meta.Retention.lowerAscii() == 'legal-hold') &&
   has(t.utcNow) && t.utcNow > $T(2024-03-31T23:59:59.9999999Z) &&
   has(b.isPrivateLink) && b.isPrivateLink)) &&
(action != '$TAGS_READ' ||
  (has(resTags.Project) && resTags.Project in ['Cascade', 'Baker']) ||
  (has(resTags.Program) && resTags.Program.lowerAscii().startsWith('alp')) ||
  (has(s.container) && s.container in [$C12] && has(s.path) && s.path.startsWith('shared/') && has(b.isPrivateLink) && b.isPrivateLink)) &&
(action != '$TAGS_WRITE' ||
  (reqTags.all(k, k in ['Project', 'Program', 'Owner', 'CostCenter']) &&
   has(reqTags.Project) && has(resTags.Project) && reqTags.Project == resTags.Project &&
   has(s.container) && s.container in [$C12] &&
   (!has(reqTags.CostCenter) || reqTags.CostCenter.startsWith('CC-')))) &&
(action != '$QUEUE_READ' ||
  (has(s.queue) && s.queue.startsWith('orders-') &&
   has(s.account) && s.account.lowerAscii() == 'contosodata' &&
   has(b.isPrivateLink) && b.isPrivateLink &&
   has(t.utcNow) && t.utcNow >= $T(2024-01-01T00:00:00Z) && t.utcNow < $T(2026-01-01T00:00:00Z))) &&
(action != '$RA_WRITE' ||
  (has(s.reqRoleDef) &&
   s.reqRoleDef in ['2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', '19e7f393-937e-4f77-808e-94535e297925', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', '8a0f0c08-91a1-4084-bc3d-661d67233fed'] &&
   !(s.reqRoleDef in ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']) &&
   has(s.reqPrincipalType) && s.reqPrincipalType.lowerAscii() in ['serviceprincipal', 'group'] &&
   has(s.reqPrincipalId) && s.reqPrincipalId != '00000000-0000-0000-0000-000000000000' &&
   has(t.utcNow) && t.utcNow < $T(2026-01-01T00:00:00Z)))`,
		Rego: `
containers := {$C12}

deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not read_ok
}

read_ok if {
	containers[input.container]
	read_tag_ok
	read_path_ok
	input.isPrivateLink == true
}

read_tag_ok if input.resTags.Project == "Cascade"

read_tag_ok if lower(input.resTags.Program) == "alpine"

read_path_ok if glob.match("logs/*/2024-*.json", null, input.path)

read_path_ok if startswith(input.path, "reports/public/")

deny if {
	input.action == "$BLOB_WRITE"
	input.subOp != "blob.write.tier"
	not write_ok
}

write_ok if {
	every k, _ in input.reqTags {
		k in {"Project", "Program", "Owner", "CostCenter"}
	}
	input.reqTags.Project in {"Cascade", "Baker", "Skagit"}
	containers[input.container]
	not archive_path
	input.utcNow >= $T(2024-01-01T00:00:00Z)
	input.utcNow < $T(2026-01-01T00:00:00Z)
}

deny if {
	input.action == "$BLOB_ADD"
	not add_ok
}

add_ok if {
	every k, _ in input.reqTags {
		lower(k) in {"project", "program", "owner"}
	}
	input.reqTags.Project == "Cascade"
	startswith(input.path, "uploads/")
	lower(input.account) == "contosodata"
	input.isPrivateLink == true
}

deny if {
	input.action == "$BLOB_DELETE"
	not delete_ok
}

archive_path if startswith(input.path, "archive/")

delete_ok if {
	not retained_path
	not excluded_container
	not legal_hold
	input.utcNow > $T(2024-03-31T23:59:59.9999999Z)
	input.isPrivateLink == true
}

retained_path if startswith(input.path, "retained/")

excluded_container if input.container in {"audit", "backups", "archive"}

legal_hold if lower(input.meta.Retention) == "legal-hold"

deny if {
	input.action == "$TAGS_READ"
	not tags_read_ok
}

tags_read_ok if input.resTags.Project in {"Cascade", "Baker"}

tags_read_ok if startswith(lower(input.resTags.Program), "alp")

tags_read_ok if {
	containers[input.container]
	startswith(input.path, "shared/")
	input.isPrivateLink == true
}

deny if {
	input.action == "$TAGS_WRITE"
	not tags_write_ok
}

tags_write_ok if {
	every k, _ in input.reqTags {
		k in {"Project", "Program", "Owner", "CostCenter"}
	}
	input.reqTags.Project == input.resTags.Project
	containers[input.container]
	cost_center_ok
}

cost_center_ok if not input.reqTags.CostCenter

cost_center_ok if startswith(input.reqTags.CostCenter, "CC-")

deny if {
	input.action == "$QUEUE_READ"
	not queue_read_ok
}

queue_read_ok if {
	startswith(input.queue, "orders-")
	lower(input.account) == "contosodata"
	input.isPrivateLink == true
	input.utcNow >= $T(2024-01-01T00:00:00Z)
	input.utcNow < $T(2026-01-01T00:00:00Z)
}

deny if {
	input.action == "$RA_WRITE"
	not ra_write_ok
}

ra_write_ok if {
	input.reqRoleDef in {"2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "19e7f393-937e-4f77-808e-94535e297925", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "8a0f0c08-91a1-4084-bc3d-661d67233fed"}
	not input.reqRoleDef in {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"}
	lower(input.reqPrincipalType) in {"serviceprincipal", "group"}
	input.reqPrincipalId != "00000000-0000-0000-0000-000000000000"
	input.utcNow < $T(2026-01-01T00:00:00Z)
}`,
		Cedar: `(context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has container && [$C12].contains(context.container) &&
   ((context.resTags has Project && context.resTags.Project == "Cascade") ||
    (context.fold.resTags has Program && context.fold.resTags.Program == "alpine")) &&
   context has path && (context.path like "logs/*/2024-*.json" || context.path like "reports/public/*") &&
   context has isPrivateLink && context.isPrivateLink)) &&
(context.action != "$BLOB_WRITE" || context.subOp == "blob.write.tier" ||
  (["Project", "Program", "Owner", "CostCenter"].containsAll(context.reqTagKeys) &&
   context.reqTags has Project && ["Cascade", "Baker", "Skagit"].contains(context.reqTags.Project) &&
   context has container && [$C12].contains(context.container) &&
   !(context has path && context.path like "archive/*") &&
   context has utcNow && context.utcNow >= $T(2024-01-01T00:00:00Z) && context.utcNow < $T(2026-01-01T00:00:00Z))) &&
(context.action != "$BLOB_ADD" ||
  (["project", "program", "owner"].containsAll(context.fold.reqTagKeys) &&
   context.reqTags has Project && context.reqTags.Project == "Cascade" &&
   context has path && context.path like "uploads/*" &&
   context.fold has account && context.fold.account == "contosodata" &&
   context has isPrivateLink && context.isPrivateLink)) &&
(context.action != "$BLOB_DELETE" ||
  (!(context has path && context.path like "retained/*") &&
   !(context has container && ["audit", "backups", "archive"].contains(context.container)) &&
   !(context.fold.meta has Retention && context.fold.meta.Retention == "legal-hold") &&
   context has utcNow && context.utcNow > $T(2024-03-31T23:59:59.9999999Z) &&
   context has isPrivateLink && context.isPrivateLink)) &&
(context.action != "$TAGS_READ" ||
  (context.resTags has Project && ["Cascade", "Baker"].contains(context.resTags.Project)) ||
  (context.fold.resTags has Program && context.fold.resTags.Program like "alp*") ||
  (context has container && [$C12].contains(context.container) &&
   context has path && context.path like "shared/*" &&
   context has isPrivateLink && context.isPrivateLink)) &&
(context.action != "$TAGS_WRITE" ||
  (["Project", "Program", "Owner", "CostCenter"].containsAll(context.reqTagKeys) &&
   context.reqTags has Project && context.resTags has Project && context.reqTags.Project == context.resTags.Project &&
   context has container && [$C12].contains(context.container) &&
   (!(context.reqTags has CostCenter) || context.reqTags.CostCenter like "CC-*"))) &&
(context.action != "$QUEUE_READ" ||
  (context has queue && context.queue like "orders-*" &&
   context.fold has account && context.fold.account == "contosodata" &&
   context has isPrivateLink && context.isPrivateLink &&
   context has utcNow && context.utcNow >= $T(2024-01-01T00:00:00Z) && context.utcNow < $T(2026-01-01T00:00:00Z))) &&
(context.action != "$RA_WRITE" ||
  (context has reqRoleDef &&
   ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "19e7f393-937e-4f77-808e-94535e297925", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "8a0f0c08-91a1-4084-bc3d-661d67233fed"].contains(context.reqRoleDef) &&
   !(["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"].contains(context.reqRoleDef)) &&
   context.fold has reqPrincipalType && ["serviceprincipal", "group"].contains(context.fold.reqPrincipalType) &&
   context has reqPrincipalId && context.reqPrincipalId != "00000000-0000-0000-0000-000000000000" &&
   context has utcNow && context.utcNow < $T(2026-01-01T00:00:00Z)))`,
		Go: large,
	},

	"26-container-set-200": {
		Expr: `action != '$BLOB_READ' || subOp == 'blob.list' || container in [$C200]`,
		CEL:  `action != '$BLOB_READ' || subOp == 'blob.list' || (has(s.container) && s.container in [$C200])`,
		Rego: `
allowed := {$C200}

deny if {
	input.action == "$BLOB_READ"
	input.subOp != "blob.list"
	not ok
}

ok if allowed[input.container]`,
		Cedar: `context.action != "$BLOB_READ" || context.subOp == "blob.list" ||
  (context has container && [$C200].contains(context.container))`,
		Go: func(r *Req) bool {
			if r.Action != aBlobRead || r.SubOp == "blob.list" {
				return true
			}
			_, ok := set200[r.Container.V]
			return r.Container.OK && ok
		},
	},

	"27-forbid-reserved-tag-keys": {
		Expr: `(action != '$TAGS_WRITE' && (action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders')) ||
  none(keys(reqTags), lower(#) in ['classification', 'legalhold'])`,
		CEL: `(action != '$TAGS_WRITE' && (action != '$BLOB_WRITE' || subOp != 'blob.write.withtagheaders')) ||
  reqTags.all(k, !(k.lowerAscii() in ['classification', 'legalhold']))`,
		Rego: `
deny if {
	input.action == "$TAGS_WRITE"
	reserved_key
}

deny if {
	input.action == "$BLOB_WRITE"
	input.subOp == "blob.write.withtagheaders"
	reserved_key
}

reserved_key if {
	some k, _ in input.reqTags
	lower(k) in {"classification", "legalhold"}
}`,
		Cedar: `(context.action != "$TAGS_WRITE" && (context.action != "$BLOB_WRITE" || context.subOp != "blob.write.withtagheaders")) ||
  !(context.fold.reqTagKeys.containsAny(["classification", "legalhold"]))`,
		Go: func(r *Req) bool {
			if r.Action != aTagsWrite && (r.Action != aBlobWrite || r.SubOp != "blob.write.withtagheaders") {
				return true
			}
			for k := range r.ReqTags {
				if strings.EqualFold(k, "Classification") || strings.EqualFold(k, "LegalHold") {
					return false
				}
			}
			return true
		},
	},
}

var (
	t09End     = MustTime("2025-07-01T02:00:00+02:00")
	t20Version = MustTime("2022-06-01T23:38:32.8883645Z")
	t25Delete  = MustTime("2024-03-31T23:59:59.9999999Z")
)

// large is 25-large-8-blocks in Go: a switch on the action, each case its block.
func large(r *Req) bool {
	switch r.Action {
	case aBlobRead:
		if r.SubOp == "blob.list" {
			return true
		}
		_, inSet := set12[r.Container.V]
		return r.Container.OK && inSet &&
			(r.ResTags["Project"] == "Cascade" || strings.EqualFold(r.ResTags["Program"], "alpine")) &&
			r.Path.OK && (like(r.Path.V, "logs/*/2024-*.json") || strings.HasPrefix(r.Path.V, "reports/public/")) &&
			r.IsPrivateLink.V
	case aBlobWrite:
		if r.SubOp == "blob.write.tier" {
			return true
		}
		if !tagKeysIn(r.ReqTags, "Project", "Program", "Owner", "CostCenter") {
			return false
		}
		p, ok := r.ReqTags["Project"]
		_, inSet := set12[r.Container.V]
		return ok && (p == "Cascade" || p == "Baker" || p == "Skagit") &&
			r.Container.OK && inSet &&
			!strings.HasPrefix(r.Path.V, "archive/") &&
			r.UtcNow.OK && r.UtcNow.V >= t2024 && r.UtcNow.V < t2026
	case aBlobAdd:
		for k := range r.ReqTags {
			if !strings.EqualFold(k, "project") && !strings.EqualFold(k, "program") && !strings.EqualFold(k, "owner") {
				return false
			}
		}
		p, ok := r.ReqTags["Project"]
		return ok && p == "Cascade" &&
			strings.HasPrefix(r.Path.V, "uploads/") &&
			strings.EqualFold(r.Account.V, "ContosoData") && r.Account.OK &&
			r.IsPrivateLink.V
	case aBlobDelete:
		c := r.Container.V
		return !strings.HasPrefix(r.Path.V, "retained/") &&
			(!r.Container.OK || (c != "audit" && c != "backups" && c != "archive")) &&
			!strings.EqualFold(r.Meta["Retention"], "legal-hold") &&
			r.UtcNow.OK && r.UtcNow.V > t25Delete &&
			r.IsPrivateLink.V
	case aTagsRead:
		if p, ok := r.ResTags["Project"]; ok && (p == "Cascade" || p == "Baker") {
			return true
		}
		if hasPrefixFold(r.ResTags["Program"], "alp") {
			return true
		}
		_, inSet := set12[r.Container.V]
		return r.Container.OK && inSet && strings.HasPrefix(r.Path.V, "shared/") && r.IsPrivateLink.V
	case aTagsWrite:
		if !tagKeysIn(r.ReqTags, "Project", "Program", "Owner", "CostCenter") {
			return false
		}
		p, ok1 := r.ReqTags["Project"]
		q, ok2 := r.ResTags["Project"]
		_, inSet := set12[r.Container.V]
		cc, hasCC := r.ReqTags["CostCenter"]
		return ok1 && ok2 && p == q && r.Container.OK && inSet && (!hasCC || strings.HasPrefix(cc, "CC-"))
	case aQueueRead:
		return strings.HasPrefix(r.Queue.V, "orders-") &&
			r.Account.OK && strings.EqualFold(r.Account.V, "ContosoData") &&
			r.IsPrivateLink.V &&
			r.UtcNow.OK && r.UtcNow.V >= t2024 && r.UtcNow.V < t2026
	case aRAWrite:
		g := r.ReqRoleDef.V
		t := r.ReqPrincipalType.V
		return r.ReqRoleDef.OK &&
			(g == gBlobReader || g == gBlobContrib || g == gQueueReader || g == g974c || g == g8a0f) &&
			!privileged(g) &&
			(strings.EqualFold(t, "ServicePrincipal") || strings.EqualFold(t, "Group")) &&
			r.ReqPrincipalID.OK && r.ReqPrincipalID.V != gZero &&
			r.UtcNow.OK && r.UtcNow.V < t2026
	}
	return true
}
