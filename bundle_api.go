package abacc

import (
	"crypto/ed25519"
	"errors"
	"io"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
)

// NamedProgram is a program with the name it has in a bundle.
type NamedProgram struct {
	Name    string
	Program *Program
}

// WriteBundle writes programs as a precompiled, unsigned bundle (see bundle.Write); withSource
// keeps their condition texts so that explanations can quote them.
func WriteBundle(w io.Writer, progs []NamedProgram, withSource bool) error {
	return bundle.WriteWith(w, bundleEntries(progs), bundle.WriteOptions{Compiler: "abacc " + Version, WithSource: withSource})
}

// WriteSignedBundle writes programs as a bundle signed with every one of keys (Ed25519; at
// least one). Several keys let readers that trust either the old or the new key of a rotation
// accept the bundle. LoadBundleWith with TrustedKeys checks the signatures.
func WriteSignedBundle(w io.Writer, progs []NamedProgram, withSource bool, keys ...ed25519.PrivateKey) error {
	if len(keys) == 0 {
		return errors.New("abacc: WriteSignedBundle needs at least one signing key")
	}
	return bundle.WriteWith(w, bundleEntries(progs), bundle.WriteOptions{Compiler: "abacc " + Version, WithSource: withSource, SigningKeys: keys})
}

func bundleEntries(progs []NamedProgram) []bundle.Entry {
	entries := make([]bundle.Entry, len(progs))
	for i, np := range progs {
		entries[i] = bundle.Entry{Name: np.Name, Source: np.Program.src, Program: np.Program.code, Extended: np.Program.dialect == DialectExtended}
	}
	return entries
}

// BundleKeyID returns the key id that names pub in bundles and in Bundle.Signers: 16 hex
// digits, the first 8 bytes of SHA-256 of the raw public key.
func BundleKeyID(pub ed25519.PublicKey) string { return bundle.KeyIDOf(pub).String() }

// BundleOptions configure LoadBundleWith.
type BundleOptions struct {
	// TrustedKeys, when not empty, make loading require a valid signature by one of these keys:
	// an unsigned bundle (of any format version), one signed only by other keys, and one with a
	// signature by a trusted key that does not verify are all rejected before anything is
	// decompressed. Signatures by other keys are listed by Signers and otherwise ignored.
	TrustedKeys []ed25519.PublicKey
	// Dialect is the most a loaded program may use: with DialectStandard (the zero value) a
	// bundle holding a program compiled with the extended dialect is refused with an error
	// naming it; DialectExtended allows both dialects.
	Dialect Dialect
}

// Bundle is a loaded bundle of named, verified programs.
type Bundle struct {
	// Compiler is the version of abacc that wrote the bundle.
	Compiler string
	names    []string
	progs    []*Program
	index    map[string]int
	sigs     []bundle.Signature
}

// LoadBundle reads a bundle written by WriteBundle (or `abacc compile -o`), linking its programs
// to this abacc's attribute catalog and verifying each before it can run. Corrupt, truncated,
// tampered or unverifiable bundles give an error naming the problem. Signatures are not
// required (see LoadBundleWith).
func LoadBundle(data []byte) (*Bundle, error) { return LoadBundleWith(data, BundleOptions{}) }

// LoadBundleWith reads a bundle like LoadBundle, enforcing opts; errors are *bundle.Error.
func LoadBundleWith(data []byte, opts BundleOptions) (*Bundle, error) {
	b, err := bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{TrustedKeys: opts.TrustedKeys, AllowExtended: opts.Dialect == DialectExtended})
	if err != nil {
		return nil, err
	}
	out := &Bundle{Compiler: b.Compiler, index: make(map[string]int, len(b.Entries)), sigs: b.Signatures}
	out.names = make([]string, 0, len(b.Entries))
	out.progs = make([]*Program, 0, len(b.Entries))
	for _, e := range b.Entries {
		p := &Program{src: e.Source, code: e.Program}
		if e.Extended {
			p.dialect = DialectExtended
		}
		// The source, if any, is parsed again when the reference interpreter or an explanation
		// first needs its tree (Program.syntax); the bytecode that runs is the bundle's.
		out.index[e.Name] = len(out.names)
		out.names = append(out.names, e.Name)
		out.progs = append(out.progs, p)
	}
	return out, nil
}

// Names lists the bundle's program names in order.
func (b *Bundle) Names() []string { return append([]string(nil), b.names...) }

// Len is the number of programs.
func (b *Bundle) Len() int { return len(b.names) }

// Program returns the program with the given name, or nil. It is one map lookup, whatever the
// bundle's size.
func (b *Bundle) Program(name string) *Program {
	if i, ok := b.index[name]; ok {
		return b.progs[i]
	}
	return nil
}

// Signers lists the key ids (BundleKeyID) of the bundle's signatures in file order, trusted or
// not; none for an unsigned bundle.
func (b *Bundle) Signers() []string {
	var out []string
	for _, s := range b.sigs {
		out = append(out, s.KeyID.String())
	}
	return out
}

// VerifiedSigners lists the key ids whose signatures were verified: those of trusted keys when
// the bundle was loaded with BundleOptions.TrustedKeys, none otherwise.
func (b *Bundle) VerifiedSigners() []string {
	var out []string
	for _, s := range b.sigs {
		if s.Verified {
			out = append(out, s.KeyID.String())
		}
	}
	return out
}
