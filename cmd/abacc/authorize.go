package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/abacc/abacc/rbac"
)

// maxRBACInput caps one RBAC input document: a tenant's exported assignments can run to
// hundreds of megabytes, still far from exhausting memory.
const maxRBACInput = 1 << 30

// tenantFlags are the inputs every authorize command reads.
type tenantFlags struct {
	roles, assignments, deny, hierarchy string
}

func (t *tenantFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.roles, "roles", "", "role definitions JSON (default: the built-in snapshot)")
	fs.StringVar(&t.assignments, "assignments", "", "role assignments JSON (az role assignment list --all --include-inherited)")
	fs.StringVar(&t.deny, "deny", "", "deny assignments JSON")
	fs.StringVar(&t.hierarchy, "hierarchy", "", "management-group parents JSON {child: parent}")
}

// readDoc reads one input document ("" leaves it empty).
func (c *cli) readDoc(path string) (rbac.Document, bool) {
	if path == "" {
		return rbac.Document{}, true
	}
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(c.stdin, maxRBACInput+1))
	} else {
		var f *os.File
		if f, err = os.Open(path); err == nil {
			if st, serr := f.Stat(); serr == nil && st.IsDir() {
				err = fmt.Errorf("%s is a directory", path)
			} else {
				data, err = io.ReadAll(io.LimitReader(f, maxRBACInput+1))
			}
			f.Close()
		}
	}
	if err != nil {
		c.errorf("%v", err)
		return rbac.Document{}, false
	}
	if len(data) > maxRBACInput {
		c.errorf("%s: larger than %d MiB", path, maxRBACInput>>20)
		return rbac.Document{}, false
	}
	if len(data) == 0 {
		c.errorf("%s: empty file", path)
		return rbac.Document{}, false
	}
	return rbac.Document{Name: path, Data: data}, true
}

func (c *cli) loadTenant(t *tenantFlags) (*rbac.Engine, bool) {
	var in rbac.Inputs
	var ok bool
	for _, f := range []struct {
		path string
		dst  *rbac.Document
	}{{t.roles, &in.Roles}, {t.assignments, &in.Assignments}, {t.deny, &in.Deny}, {t.hierarchy, &in.Hierarchy}} {
		if *f.dst, ok = c.readDoc(f.path); !ok {
			return nil, false
		}
	}
	eng, err := rbac.Load(in)
	if err != nil {
		c.errorf("%v", err)
		return nil, false
	}
	return eng, true
}

func (c *cli) authorize(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "who":
			return c.authorizeWho(args[1:])
		case "check":
			return c.authorizeCheck(args[1:])
		}
	}
	fs := flag.NewFlagSet("authorize", flag.ContinueOnError)
	var t tenantFlags
	t.register(fs)
	principal := fs.String("principal", "", "principal JSON {\"id\": ..., \"groupIds\": [...]}")
	request := fs.String("request", "", "request JSON {\"action\"|\"dataAction\", \"resourceId\", \"attributes\"}")
	asJSON := fs.Bool("json", false, "print the decision as one JSON object")
	explain := fs.Bool("explain", false, "list every assignment and deny assignment considered, and why")
	pos, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(pos) > 0 {
		c.errorf("authorize: unexpected argument %q", pos[0])
		return exitUsage
	}
	if t.assignments == "" || *principal == "" || *request == "" {
		c.errorf("authorize: --assignments, --principal and --request are required")
		return exitUsage
	}
	if *asJSON && *explain {
		c.errorf("authorize: choose one of --json and --explain")
		return exitUsage
	}
	if countStdin(t.roles, t.assignments, t.deny, t.hierarchy, *principal, *request) > 1 {
		c.errorf("authorize: only one input can be read from standard input (-)")
		return exitUsage
	}
	eng, ok := c.loadTenant(&t)
	if !ok {
		return exitInvalid
	}
	pdoc, ok := c.readDoc(*principal)
	if !ok {
		return exitInvalid
	}
	p, err := rbac.ParsePrincipal(pdoc)
	if err != nil {
		c.errorf("%v", err)
		return exitInvalid
	}
	qdoc, ok := c.readDoc(*request)
	if !ok {
		return exitInvalid
	}
	req, err := rbac.ParseRequest(qdoc)
	if err != nil {
		c.errorf("%v", err)
		return exitInvalid
	}
	d := eng.Decide(&p, req)
	// The explanation evaluates every assignment, so it has the complete list of failed
	// conditions; its decision is Decide's (checked here, since a disagreement is a bug).
	x := eng.Explain(&p, req)
	if x.Decision.Allowed != d.Allowed || x.Decision.Reason != d.Reason {
		c.errorf("internal error: the explanation (%s) disagrees with the decision (%s)", x.Decision.Reason, d.Reason)
		return exitInvalid
	}
	failed := x.ConditionFailed
	if failed == nil {
		failed = []string{}
	}
	switch {
	case *asJSON:
		out := struct {
			Decision        string   `json:"decision"`
			Reason          string   `json:"reason"`
			DecidedBy       *string  `json:"decidedBy"`
			ConditionFailed []string `json:"conditionFailed"`
		}{Decision: decisionWord(d), Reason: d.Reason.String(), ConditionFailed: failed}
		if d.DecidedBy != "" {
			out.DecidedBy = &d.DecidedBy
		}
		return c.writeJSON(out)
	case *explain:
		d.ConditionFailed = failed
		x.Decision = d
		return c.write(x.String())
	}
	d.ConditionFailed = failed
	return c.write(d.Summary() + "\n")
}

func decisionWord(d rbac.Decision) string {
	if d.Allowed {
		return "allow"
	}
	return "deny"
}

func countStdin(paths ...string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}

// write prints text to stdout and reports a failed write (a full disk, a closed pipe).
func (c *cli) write(text string) int {
	if _, err := io.WriteString(c.stdout, text); err != nil {
		c.errorf("writing output: %v", err)
		return exitInvalid
	}
	return exitOK
}

func (c *cli) writeJSON(v any) int {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		c.errorf("internal error: %v", err)
		return exitInvalid
	}
	return c.write(string(out) + "\n")
}

func (c *cli) authorizeWho(args []string) int {
	fs := flag.NewFlagSet("authorize who", flag.ContinueOnError)
	var t tenantFlags
	t.register(fs)
	action := fs.String("action", "", "a control-plane action")
	dataAction := fs.String("data-action", "", "a data action")
	resource := fs.String("resource", "", "the resource id")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	pos, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(pos) > 0 {
		c.errorf("authorize who: unexpected argument %q", pos[0])
		return exitUsage
	}
	if t.assignments == "" || *resource == "" || (*action == "") == (*dataAction == "") {
		c.errorf("authorize who: --assignments, --resource and exactly one of --action and --data-action are required")
		return exitUsage
	}
	plane, op := rbac.Control, *action
	if *dataAction != "" {
		plane, op = rbac.Data, *dataAction
	}
	eng, ok := c.loadTenant(&t)
	if !ok {
		return exitInvalid
	}
	w, err := eng.Who(plane, op, *resource)
	if err != nil {
		c.errorf("%v", err)
		return exitInvalid
	}
	if *asJSON {
		return c.writeJSON(w)
	}
	return c.write(w.String())
}

func (c *cli) authorizeCheck(args []string) int {
	fs := flag.NewFlagSet("authorize check", flag.ContinueOnError)
	var t tenantFlags
	t.register(fs)
	strict := fs.Bool("strict", false, "treat findings as errors (exit 1)")
	pos, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(pos) > 0 {
		c.errorf("authorize check: unexpected argument %q", pos[0])
		return exitUsage
	}
	if t.assignments == "" && t.roles == "" && t.deny == "" {
		c.errorf("authorize check: give at least one of --roles, --assignments, --deny")
		return exitUsage
	}
	eng, ok := c.loadTenant(&t)
	if !ok {
		return exitInvalid
	}
	findings := eng.Lint()
	var b strings.Builder
	for _, f := range findings {
		b.WriteString(f.String())
		b.WriteString("\n")
	}
	fmt.Fprint(c.stderr, b.String())
	if *strict && len(findings) > 0 {
		return exitInvalid
	}
	return exitOK
}
