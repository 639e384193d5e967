package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/diag"
	"github.com/abacc/abacc/internal/hooks"
	"github.com/abacc/abacc/internal/syntax/ast"
	"github.com/abacc/abacc/internal/syntax/parser"
	"github.com/abacc/abacc/internal/vm"
)

// compileAll loads and compiles every condition of every file, printing diagnostics (warnings
// too, when showWarnings) to stderr. It reports whether all compiled.
func (c *cli) compileFiles(paths []string, strict, showWarnings bool, opts hooks.Options) ([]condition, []*abacc.Program, bool) {
	ok := true
	var conds []condition
	var progs []*abacc.Program
	for _, path := range paths {
		data, good := c.readLimited(path)
		if !good {
			ok = false
			continue
		}
		cs, err := loadConditions(path, data)
		if err != nil {
			c.errorf("%v", err)
			ok = false
			continue
		}
		for _, cond := range cs {
			p, good := c.compileWith(cond, strict, showWarnings, opts)
			if !good {
				ok = false
				continue
			}
			conds = append(conds, cond)
			progs = append(progs, p)
		}
	}
	return conds, progs, ok
}

func (c *cli) compile(cond condition, strict, showWarnings bool) (*abacc.Program, bool) {
	return c.compileWith(cond, strict, showWarnings, hooks.Options{})
}

func (c *cli) compileWith(cond condition, strict, showWarnings bool, opts hooks.Options) (*abacc.Program, bool) {
	opts.Name, opts.Strict, opts.Dialect = cond.label, strict, uint8(c.dialect)
	p, err := compileOpts(cond.src, opts)
	if err != nil {
		c.printCompileError(cond, err)
		return nil, false
	}
	if showWarnings {
		for _, d := range p.Warnings() {
			fmt.Fprint(c.stderr, d.Text)
		}
	}
	return p, true
}

func (c *cli) printCompileError(cond condition, err error) {
	var ce *abacc.Error
	if errors.As(err, &ce) {
		for _, d := range ce.Diagnostics {
			fmt.Fprint(c.stderr, d.Text)
		}
		return
	}
	c.errorf("%s: %v", cond.label, err)
}

func (c *cli) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	c.dialectFlag(fs)
	strict := fs.Bool("strict", false, "treat warnings as errors")
	format := fs.String("format", formatText, "output: text (diagnostics on stderr), json, sarif or github (on stdout)")
	files, ok := c.parseFiles(fs, args)
	if !ok {
		return exitUsage
	}
	switch *format {
	case formatText, formatJSON, formatSARIF, formatGitHub:
	default:
		c.errorf("check: -format must be text, json, sarif or github")
		return exitUsage
	}
	r := &reporter{c: c, format: *format}
	c.checkArgs(files, *strict, r)
	r.finish()
	if r.failed {
		return exitInvalid
	}
	return exitOK
}

func (c *cli) format(args []string) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	c.dialectFlag(fs)
	write := fs.Bool("w", false, "rewrite files in place (condition files; condition literals in Terraform, ARM, Bicep and JSON exports)")
	files, ok := c.parseFiles(fs, args)
	if !ok {
		return exitUsage
	}
	status := exitOK
	for _, path := range files {
		if c.formatArg(path, *write) != exitOK {
			status = exitInvalid
		}
	}
	return status
}

// formatConditionFile is fmt of a condition file (text, or role-assignment JSON), as fmt always
// did it.
func (c *cli) formatConditionFile(path string, write bool) int {
	conds, progs, ok := c.compileFiles([]string{path}, false, false, hooks.Options{})
	if !ok {
		return exitInvalid
	}
	if len(conds) == 1 && conds[0].name == "" {
		out := progs[0].Format() + "\n"
		// fmt never turns valid input into input that is not: the canonical layout adds
		// indentation, which a condition just under the size limit has no room for.
		if len(out) > parser.MaxSource {
			c.errorf("%s: the canonical form would be %d bytes, over the %d-byte limit of a condition; left as it is", path, len(out), parser.MaxSource)
			return exitInvalid
		}
		if write && path != "-" {
			// A temporary file renamed over the original: an interrupted or failed write never
			// leaves a half-written condition.
			if err := writeAtomic(path, []byte(out)); err != nil {
				c.errorf("%v", err)
				return exitInvalid
			}
			return exitOK
		}
		fmt.Fprint(c.stdout, out)
		return exitOK
	}
	if write {
		c.errorf("%s: fmt -w rewrites condition text files only; this is JSON", path)
		return exitInvalid
	}
	for i, p := range progs {
		fmt.Fprintf(c.stdout, "# %s\n%s\n", conds[i].name, p.Format())
	}
	return exitOK
}

func (c *cli) eval(args []string) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	c.dialectFlag(fs)
	condFile := fs.String("c", "", "condition file")
	bundleFile := fs.String("b", "", "bundle file (from abacc compile -o)")
	text := fs.String("e", "", "condition text")
	name := fs.String("name", "", "condition name within a JSON array or bundle")
	reqFile := fs.String("r", "", "request JSON file (- for standard input)")
	explain := fs.Bool("explain", false, "trace each comparison: operands, result, short-circuits")
	asJSON := fs.Bool("json", false, "print one JSON object")
	engine := fs.String("engine", "vm", "vm (bytecode) or ref (reference interpreter)")
	var trust keyFlags
	fs.Var(&trust, "trust", "with -b: require a valid signature by this public key (NAME.pub); repeatable")
	rest, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(rest) > 0 {
		c.errorf("eval: unexpected argument %q", rest[0])
		return exitUsage
	}
	if *engine != "vm" && *engine != "ref" {
		c.errorf("eval: -engine must be vm or ref")
		return exitUsage
	}
	if len(trust) > 0 && *bundleFile == "" {
		c.errorf("eval: -trust checks the signatures of a bundle; give -b BUNDLE")
		return exitUsage
	}
	if *reqFile == "-" && (*condFile == "-" || *bundleFile == "-") {
		c.errorf("eval: only one of the condition (or bundle) and the request can be read from standard input (-)")
		return exitUsage
	}
	given := 0
	for _, s := range []string{*condFile, *text, *bundleFile} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		c.errorf("eval: give exactly one of -c FILE, -e TEXT or -b BUNDLE")
		return exitUsage
	}
	if *reqFile == "" {
		c.errorf("eval: -r REQUEST is required")
		return exitUsage
	}
	var cond condition
	var prog *abacc.Program
	switch {
	case *bundleFile != "":
		keys, ok := c.loadPublicKeys(trust)
		if !ok {
			return exitInvalid
		}
		b, code := c.loadBundleWith(*bundleFile, keys)
		if code != exitOK {
			return code
		}
		cond, prog, code = c.pickBundle(b, *name)
		if code != exitOK {
			return code
		}
	case *text != "":
		cond = condition{label: "<-e>", src: *text}
	default:
		data, ok := c.readLimited(*condFile)
		if !ok {
			return exitInvalid
		}
		conds, err := loadConditions(*condFile, data)
		if err != nil {
			c.errorf("%v", err)
			return exitInvalid
		}
		picked, code := c.pick(conds, *name)
		if code != exitOK {
			return code
		}
		cond = picked
	}
	if prog == nil {
		var ok bool
		if prog, ok = c.compile(cond, false, false); !ok {
			return exitInvalid
		}
	}
	req, code := c.loadRequest(*reqFile)
	if code != exitOK {
		return code
	}
	if *engine == "ref" && !prog.HasSource() {
		c.errorf("eval: -engine=ref needs the condition text, and this bundle has none")
		return exitInvalid
	}
	if !*explain && !*asJSON {
		if *engine == "ref" {
			fmt.Fprintln(c.stdout, prog.EvalReference(req))
		} else {
			fmt.Fprintln(c.stdout, prog.Eval(req))
		}
		return exitOK
	}
	ex := prog.Explain(req)
	if *engine == "ref" {
		ex = prog.ExplainReference(req)
	}
	if *asJSON {
		out := map[string]any{"result": ex.Result}
		if cond.name != "" {
			out["name"] = cond.name
		}
		if *explain {
			out["blocks"] = ex.Blocks
			out["steps"] = ex.Steps
			if ex.Note != "" {
				out["note"] = ex.Note
			}
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(c.stdout, string(b))
		return exitOK
	}
	fmt.Fprintln(c.stdout, ex.Result)
	fmt.Fprint(c.stdout, ex.String())
	return exitOK
}

// pick selects a condition by name from a file's conditions.
func (c *cli) pick(conds []condition, name string) (condition, int) {
	if name == "" {
		if len(conds) == 1 {
			return conds[0], exitOK
		}
		var names []string
		for _, cd := range conds {
			names = append(names, cd.name)
		}
		c.errorf("eval: the file holds %d conditions; choose one with -name (%s)", len(conds), strings.Join(names, ", "))
		return condition{}, exitUsage
	}
	for _, cd := range conds {
		if cd.name == name {
			return cd, exitOK
		}
	}
	// An assignment's condition may also be named by its assignment's GUID (the id's last
	// segment), in any case.
	for _, cd := range conds {
		if i := strings.LastIndexByte(cd.name, '/'); i >= 0 && strings.EqualFold(cd.name[i+1:], name) {
			return cd, exitOK
		}
	}
	c.errorf("eval: no condition named %q", name)
	return condition{}, exitInvalid
}

// pickBundle selects a program of a bundle by name like pick, without listing the bundle's
// programs as conditions: one lookup by name, a single pass over the names only when the name
// is not found (an assignment's GUID) or not given.
func (c *cli) pickBundle(b *abacc.Bundle, name string) (condition, *abacc.Program, int) {
	found := func(n string) (condition, *abacc.Program, int) {
		p := b.Program(n)
		return condition{name: n, label: n, src: p.Source()}, p, exitOK
	}
	if name == "" {
		names := b.Names()
		if len(names) == 1 {
			return found(names[0])
		}
		c.errorf("eval: the file holds %d conditions; choose one with -name (%s)", len(names), strings.Join(names, ", "))
		return condition{}, nil, exitUsage
	}
	if b.Program(name) != nil {
		return found(name)
	}
	for _, n := range b.Names() {
		if i := strings.LastIndexByte(n, '/'); i >= 0 && strings.EqualFold(n[i+1:], name) {
			return found(n)
		}
	}
	c.errorf("eval: no condition named %q", name)
	return condition{}, nil, exitInvalid
}

// loadRequest reads and decodes a request file, reporting errors at their line and column.
func (c *cli) loadRequest(path string) (*abacc.Request, int) {
	data, ok := c.readLimited(path)
	if !ok {
		return nil, exitInvalid
	}
	req := abacc.NewRequest()
	if err := req.UnmarshalJSON(data); err != nil {
		label := path
		if path == "-" {
			label = "<stdin>"
		}
		var re *attrs.RequestError
		if errors.As(err, &re) {
			f := diag.NewFile(label, string(data))
			line, col := f.Position(diag.Pos(re.Offset))
			fmt.Fprintf(c.stderr, "%s:%d:%d: error: %s\n", label, line, col, re.Msg)
			if re.Hint != "" {
				fmt.Fprintf(c.stderr, "    hint: %s\n", re.Hint)
			}
		} else {
			fmt.Fprintf(c.stderr, "%s: error: %v\n", label, err)
		}
		return nil, exitInvalid
	}
	return req, exitOK
}

func (c *cli) version(args []string) int {
	if len(args) > 0 {
		c.errorf("version takes no arguments")
		return exitUsage
	}
	fmt.Fprintf(c.stdout, "abacc %s\ncondition version 2.0\nbytecode format %d\n", abacc.Version, vm.FormatVersion)
	return exitOK
}

func (c *cli) compileCmd(args []string) int {
	fs := flag.NewFlagSet("compile", flag.ContinueOnError)
	c.dialectFlag(fs)
	dump := fs.String("dump", "", "print a compiler stage's result: "+strings.Join(dumpStages(), ", ")+" (ir = optimize, bytecode = verify)")
	out := fs.String("o", "", "write a bundle of the conditions to OUT")
	noSource := fs.Bool("no-source", false, "leave the condition texts out of the bundle")
	noOpt := fs.Bool("O0", false, "skip the optimizer")
	var sign keyFlags
	fs.Var(&sign, "sign", "with -o: sign the bundle with this private key (NAME.key of abacc keygen); repeatable")
	files, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	stage := map[string]string{"ir": "optimize", "bytecode": "verify"}[*dump]
	if stage == "" {
		stage = *dump
	}
	if len(files) == 0 || (*dump == "") == (*out == "") || (*dump != "" && !slices.Contains(dumpStages(), stage)) {
		c.errorf("compile: give -o OUT (a bundle) or -dump=STAGE (%s, ir, bytecode), and at least one FILE", strings.Join(dumpStages(), ", "))
		return exitUsage
	}
	if len(sign) > 0 && *out == "" {
		c.errorf("compile: -sign signs a bundle; give -o OUT")
		return exitUsage
	}
	if *out != "" {
		keys, ok := c.loadPrivateKeys(sign)
		if !ok {
			return exitInvalid
		}
		return c.writeBundle(files, *out, !*noSource, hooks.Options{NoOptimize: *noOpt}, keys)
	}
	if stage == "optimize" || stage == "verify" {
		// The optimized IR and the bytecode are the program's own (bundles included).
		return c.eachProgram(files, hooks.Options{NoOptimize: *noOpt}, func(p *abacc.Program) string {
			if stage == "optimize" {
				return p.DumpIR()
			}
			return p.Disassemble()
		})
	}
	status := exitOK
	for _, path := range files {
		data, ok := c.readLimited(path)
		if !ok {
			status = exitInvalid
			continue
		}
		conds, err := loadConditions(path, data)
		if err != nil {
			c.errorf("%v", err)
			status = exitInvalid
			continue
		}
		for _, cond := range conds {
			u, text, err := compiler.Dump(cond.label, cond.src, compiler.Options{NoOptimize: *noOpt, Dialect: ast.Dialect(c.dialect)}, stage)
			if err != nil {
				c.errorf("%v", err)
				return exitUsage
			}
			if !u.OK() {
				fmt.Fprint(c.stderr, u.File.FormatAll(&u.Diags))
				status = exitInvalid
				continue
			}
			if len(conds) > 1 {
				fmt.Fprintf(c.stdout, "; %s\n", cond.label)
			}
			fmt.Fprint(c.stdout, text)
		}
	}
	return status
}

func (c *cli) disasm(args []string) int {
	fs := flag.NewFlagSet("disasm", flag.ContinueOnError)
	c.dialectFlag(fs)
	noOpt := fs.Bool("O0", false, "skip the optimizer")
	files, ok := c.parseFiles(fs, args)
	if !ok {
		return exitUsage
	}
	return c.eachProgram(files, hooks.Options{NoOptimize: *noOpt}, (*abacc.Program).Disassemble)
}

// eachProgram compiles every condition of the files and prints show(program) for each, with a
// header naming it when a file holds several.
func (c *cli) eachProgram(files []string, opts hooks.Options, show func(*abacc.Program) string) int {
	status := exitOK
	for _, path := range files {
		data, ok := c.readLimited(path)
		if !ok {
			status = exitInvalid
			continue
		}
		if isBundle(data) {
			b, err := abacc.LoadBundleWith(data, abacc.BundleOptions{Dialect: c.dialect})
			if err != nil {
				fmt.Fprintf(c.stderr, "%s: error: %v\n", path, err)
				status = exitInvalid
				continue
			}
			fmt.Fprintf(c.stdout, "; %s: bundle of %s by %s, %s\n", path, programCount(b.Len()), b.Compiler, signersText(b, false))
			for _, n := range b.Names() {
				fmt.Fprintf(c.stdout, "; %s[%s]\n", path, n)
				fmt.Fprint(c.stdout, show(b.Program(n)))
			}
			continue
		}
		conds, err := loadConditions(path, data)
		if err != nil {
			c.errorf("%v", err)
			status = exitInvalid
			continue
		}
		for _, cond := range conds {
			o := opts
			o.Name, o.Dialect = cond.label, uint8(c.dialect)
			p, err := compileOpts(cond.src, o)
			if err != nil {
				c.printCompileError(cond, err)
				status = exitInvalid
				continue
			}
			if len(conds) > 1 || len(files) > 1 {
				fmt.Fprintf(c.stdout, "; %s\n", cond.label)
			}
			fmt.Fprint(c.stdout, show(p))
		}
	}
	return status
}

// loadBundleWith reads and verifies a bundle file, reporting a corrupt one as invalid input.
// With trusted keys, a bundle without a valid signature by one of them is invalid too.
func (c *cli) loadBundleWith(path string, trusted []ed25519.PublicKey) (*abacc.Bundle, int) {
	data, ok := c.readLimited(path)
	if !ok {
		return nil, exitInvalid
	}
	b, err := abacc.LoadBundleWith(data, abacc.BundleOptions{TrustedKeys: trusted, Dialect: c.dialect})
	if err != nil {
		fmt.Fprintf(c.stderr, "%s: error: %v\n", path, err)
		return nil, exitInvalid
	}
	return b, exitOK
}

// isBundle reports whether data starts with the bundle magic.
func isBundle(data []byte) bool { return bytes.HasPrefix(data, []byte(bundle.Magic)) }

// writeBundle compiles every condition of the files into one bundle, signed by each of keys.
// Names come from JSON inputs or, for text files, from the file name without its extension.
func (c *cli) writeBundle(files []string, out string, withSource bool, opts hooks.Options, keys []ed25519.PrivateKey) int {
	conds, progs, ok := c.compileFiles(files, false, false, opts)
	if !ok {
		return exitInvalid
	}
	var named []abacc.NamedProgram
	seen := map[string]string{}
	for i, cd := range conds {
		name := cd.name
		if name == "" {
			base := filepath.Base(cd.label)
			name = strings.TrimSuffix(base, filepath.Ext(base))
		}
		if prev, dup := seen[name]; dup {
			c.errorf("compile: %s and %s both give a program named %q", prev, cd.label, name)
			return exitInvalid
		}
		seen[name] = cd.label
		named = append(named, abacc.NamedProgram{Name: name, Program: progs[i]})
	}
	var buf bytes.Buffer
	var err error
	if len(keys) > 0 {
		err = abacc.WriteSignedBundle(&buf, named, withSource, keys...)
	} else {
		err = abacc.WriteBundle(&buf, named, withSource)
	}
	if err != nil {
		c.errorf("compile: %v", err)
		return exitInvalid
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		c.errorf("compile: %v", err)
		return exitInvalid
	}
	return exitOK
}

// compileOpts compiles with the compiler's internal options (-O0), which the public API does
// not offer.
func compileOpts(src string, o hooks.Options) (*abacc.Program, error) {
	p, err := hooks.Compile(src, o)
	if err != nil {
		return nil, err
	}
	return p.(*abacc.Program), nil
}

// dumpStages lists the compiler stages -dump can show, from the compiler's own list.
func dumpStages() []string {
	var out []string
	for _, s := range compiler.Stages {
		if s.Dump != nil {
			out = append(out, s.Name)
		}
	}
	return out
}
