package abacc

import (
	"io"

	"github.com/abacc/abacc/attrs"
	"github.com/abacc/abacc/bundle"
	"github.com/abacc/abacc/compiler"
)

// NamedProgram is a program with the name it has in a bundle.
type NamedProgram struct {
	Name    string
	Program *Program
}

// WriteBundle writes programs as a precompiled bundle (see bundle.Write); withSource keeps
// their condition texts so that explanations can quote them.
func WriteBundle(w io.Writer, progs []NamedProgram, withSource bool) error {
	entries := make([]bundle.Entry, len(progs))
	for i, np := range progs {
		entries[i] = bundle.Entry{Name: np.Name, Source: np.Program.src, Program: np.Program.code}
	}
	return bundle.Write(w, "abacc "+Version, entries, withSource)
}

// Bundle is a loaded bundle of named, verified programs.
type Bundle struct {
	// Compiler is the version of abacc that wrote the bundle.
	Compiler string
	names    []string
	progs    []*Program
}

// LoadBundle reads a bundle written by WriteBundle (or `abacc compile -o`), linking its programs
// to this abacc's attribute catalog and verifying each before it can run. Corrupt, truncated,
// tampered or unverifiable bundles give an error naming the problem.
func LoadBundle(data []byte) (*Bundle, error) {
	b, err := bundle.Read(data, attrs.Default)
	if err != nil {
		return nil, err
	}
	out := &Bundle{Compiler: b.Compiler}
	for _, e := range b.Entries {
		p := &Program{src: e.Source, code: e.Program}
		if e.Source != "" {
			// The source is parsed again for the reference interpreter and explanations; the
			// bytecode that runs is the bundle's.
			if u := compiler.Frontend(e.Name, e.Source, compiler.Options{}); u.OK() {
				p.expr = u.Expr
			}
		}
		out.names = append(out.names, e.Name)
		out.progs = append(out.progs, p)
	}
	return out, nil
}

// Names lists the bundle's program names in order.
func (b *Bundle) Names() []string { return append([]string(nil), b.names...) }

// Program returns the program with the given name, or nil.
func (b *Bundle) Program(name string) *Program {
	for i, n := range b.names {
		if n == name {
			return b.progs[i]
		}
	}
	return nil
}
