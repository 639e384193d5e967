// Command abacc checks, formats, compiles and evaluates Azure role-assignment conditions.
// See ../../../shared/spec/cli.md for the contract and README.md for examples.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/abacc/abacc"
)

// Exit codes of the CLI contract.
const (
	exitOK      = 0
	exitInvalid = 1 // invalid input or failed test
	exitUsage   = 2
)

// cli carries the streams so tests can run commands in-process as well as through the binary.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// dialect is the -dialect of the running command (the standard dialect by default).
	dialect abacc.Dialect
}

// dialectValue is the -dialect flag: standard or extended.
type dialectValue struct{ d *abacc.Dialect }

// String returns the dialect's name (flag.Value).
func (v dialectValue) String() string {
	if v.d == nil {
		return abacc.DialectStandard.String()
	}
	return v.d.String()
}

// Set reads "standard" or "extended" (flag.Value).
func (v dialectValue) Set(s string) error {
	d, err := abacc.ParseDialect(s)
	if err != nil {
		return fmt.Errorf("standard or extended")
	}
	*v.d = d
	return nil
}

// dialectFlag registers -dialect on fs, setting c.dialect.
func (c *cli) dialectFlag(fs *flag.FlagSet) {
	fs.Var(dialectValue{&c.dialect}, "dialect", "the language: standard (Azure's) or extended (adds the IP, time-of-day, range and list operators)")
}

func main() {
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(c.run(os.Args[1:]))
}

type command struct {
	name, args, help string
	run              func(c *cli, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"check", "[-strict] [-dialect=extended] [-format=text|json|sarif|github] PATH...", "parse, type-check and lint conditions (files, Terraform, ARM, Bicep, exports; directories); warnings on stderr", (*cli).check},
		{"fmt", "[-w] [-dialect=extended] PATH...", "print (or rewrite) conditions in canonical form (in .tf/ARM/.bicep/exports: the literals only)", (*cli).format},
		{"compile", "[-dialect=extended] -o OUT [-no-source] [-sign KEY.key]... FILE... | -dump=ir|bytecode FILE...", "write a precompiled (optionally signed) bundle, or show IR or bytecode", (*cli).compileCmd},
		{"disasm", "[-dialect=extended] FILE|BUNDLE", "list the bytecode, one instruction a line, with source spans", (*cli).disasm},
		{"eval", "(-c FILE | -e TEXT | -b BUNDLE [-name N] [-trust KEY.pub]...) -r REQUEST [-dialect=extended] [-explain] [-json] [-engine=vm|ref]", "evaluate a condition against a request", (*cli).eval},
		{"test", "[-v] [-dialect=extended] FILE...", "run table tests (YAML or JSON): request → expected decision", (*cli).test},
		{"authorize", "[who|check] --assignments A [--roles R] [--deny D] [--hierarchy H] --principal P --request Q [--json|--explain]", "decide a whole Azure RBAC request (who: who may; check: validate and lint)", (*cli).authorize},
		{"keygen", "-o NAME", "write an Ed25519 key pair for signing bundles: NAME.key (private) and NAME.pub", (*cli).keygen},
		{"verify", "-trust KEY.pub [-trust KEY.pub]... [-dialect=extended] BUNDLE...", "check that bundles carry a valid signature by a trusted key", (*cli).verify},
		{"explain-code", "CODE", "explain a diagnostic code (ABAC2001, ...) with an example", (*cli).explainCode},
		{"version", "", "print the version", (*cli).version},
	}
}

func (c *cli) usage() {
	fmt.Fprintln(c.stderr, "usage: abacc COMMAND [flags] [args]\n\ncommands:")
	for _, cmd := range commands {
		fmt.Fprintf(c.stderr, "  %-8s %-48s %s\n", cmd.name, cmd.args, cmd.help)
	}
}

func (c *cli) run(args []string) (code int) {
	// abacc never prints a Go stack trace: an internal failure is reported as such.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.stderr, "abacc: internal error: %v\n", r)
			code = exitInvalid
		}
	}()
	if len(args) == 0 {
		c.usage()
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		c.usage()
		return exitOK
	}
	if name == "-version" || name == "--version" {
		name = "version"
	}
	for _, cmd := range commands {
		if cmd.name == name {
			// Every write to standard output is checked: output lost to a full disk or a
			// closed pipe is a failure, not a success.
			out := &checkedWriter{w: c.stdout}
			c.stdout = out
			code := cmd.run(c, args[1:])
			if out.err != nil {
				fmt.Fprintf(c.stderr, "abacc: writing output: %v\n", out.err)
				return exitInvalid
			}
			return code
		}
	}
	fmt.Fprintf(c.stderr, "abacc: unknown command %q\n", name)
	c.usage()
	return exitUsage
}

// parseFlags parses flags interleaved with positional arguments (flag stops at the first
// positional one otherwise, so `abacc check FILE -strict` would ignore -strict).
func (c *cli) parseFlags(fs *flag.FlagSet, args []string) ([]string, bool) {
	fs.SetOutput(c.stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, false
			}
			return nil, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, true
		}
		// A lone "-" is a positional argument (standard input).
		pos = append(pos, rest[0])
		args = rest[1:]
		if rest[0] == "--" {
			pos = append(pos[:len(pos)-1], args...)
			return pos, true
		}
	}
}

// parseFiles parses flags and requires at least one FILE argument (- for standard input).
func (c *cli) parseFiles(fs *flag.FlagSet, args []string) ([]string, bool) {
	files, ok := c.parseFlags(fs, args)
	if ok && len(files) == 0 {
		c.errorf("%s: no files (use - for standard input)", fs.Name())
		return nil, false
	}
	return files, ok
}

func (c *cli) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "abacc: "+format+"\n", args...)
}

// readFile reads a path, or standard input for "-".
func (c *cli) readFile(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(c.stdin, maxInput+1))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	return io.ReadAll(io.LimitReader(f, maxInput+1))
}

// maxInput caps what abacc reads from one file: well above the 1 MiB condition limit (JSON
// escaping can double a condition), well below what could exhaust memory.
const maxInput = 64 << 20

func (c *cli) readLimited(path string) ([]byte, bool) {
	data, err := c.readFile(path)
	if err != nil {
		c.errorf("%v", err)
		return nil, false
	}
	if len(data) > maxInput {
		c.errorf("%s: larger than %d MiB", path, maxInput>>20)
		return nil, false
	}
	return data, true
}

// checkedWriter remembers the first write error of the writer it wraps.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (cw *checkedWriter) Write(p []byte) (int, error) {
	if cw.err != nil {
		return 0, cw.err
	}
	n, err := cw.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	cw.err = err
	return n, err
}
