package abacc_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/bundle"
)

func testKey(n byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{n}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

func namedPrograms(t testing.TB) []abacc.NamedProgram {
	t.Helper()
	var out []abacc.NamedProgram
	for name, src := range map[string]string{
		"private-link": `@Environment[isPrivateLink] BoolEquals true`,
		"reports":      `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'`,
	} {
		p, err := abacc.Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, abacc.NamedProgram{Name: name, Program: p})
	}
	return out
}

func TestLoadBundleWithTrust(t *testing.T) {
	oldPub, oldKey := testKey(1)
	newPub, newKey := testKey(2)
	otherPub, _ := testKey(3)
	var buf bytes.Buffer
	if err := abacc.WriteSignedBundle(&buf, namedPrograms(t), true, oldKey, newKey); err != nil {
		t.Fatal(err)
	}
	signed := buf.Bytes()
	ids := []string{abacc.BundleKeyID(oldPub), abacc.BundleKeyID(newPub)}

	b, err := abacc.LoadBundleWith(signed, abacc.BundleOptions{TrustedKeys: []ed25519.PublicKey{newPub}})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Signers(); fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("Signers %v, want %v", got, ids)
	}
	if got := b.VerifiedSigners(); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("VerifiedSigners %v, want [%s]", got, ids[1])
	}
	req := abacc.NewRequest()
	_ = req.UnmarshalJSON([]byte(`{"action": "a", "environment": {"isPrivateLink": true}}`))
	if p := b.Program("private-link"); p == nil || !p.Eval(req) || !p.HasSource() {
		t.Errorf("program private-link: %v", p)
	}

	// Without trust the signatures are listed, not verified.
	b, err = abacc.LoadBundle(signed)
	if err != nil || len(b.Signers()) != 2 || len(b.VerifiedSigners()) != 0 {
		t.Errorf("LoadBundle: %v, signers %v, verified %v", err, b.Signers(), b.VerifiedSigners())
	}

	// Untrusted key, unsigned bundle: *bundle.Error naming the reason.
	var be *bundle.Error
	_, err = abacc.LoadBundleWith(signed, abacc.BundleOptions{TrustedKeys: []ed25519.PublicKey{otherPub}})
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "untrusted keys") {
		t.Errorf("untrusted key: %v", err)
	}
	buf.Reset()
	if err := abacc.WriteBundle(&buf, namedPrograms(t), true); err != nil {
		t.Fatal(err)
	}
	if b, err := abacc.LoadBundle(buf.Bytes()); err != nil || b.Signers() != nil {
		t.Errorf("unsigned bundle: %v", err)
	}
	_, err = abacc.LoadBundleWith(buf.Bytes(), abacc.BundleOptions{TrustedKeys: []ed25519.PublicKey{oldPub}})
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "unsigned") {
		t.Errorf("unsigned bundle with trust: %v", err)
	}
	if err := abacc.WriteSignedBundle(&buf, namedPrograms(t), true); err == nil {
		t.Error("WriteSignedBundle without keys wrote a bundle")
	}
}

// bigBundle is a bundle of n copies of one small program named p0 … p(n-1), without sources.
func bigBundle(t testing.TB, n int) []byte {
	t.Helper()
	p, err := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true`)
	if err != nil {
		t.Fatal(err)
	}
	progs := make([]abacc.NamedProgram, n)
	for i := range progs {
		progs[i] = abacc.NamedProgram{Name: fmt.Sprintf("p%d", i), Program: p}
	}
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, progs, false); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	bigOnce  sync.Once
	bigSizes = []int{10, 1000, 100_000}
	bigByN   = map[int]*abacc.Bundle{}
)

func bigBundles(t testing.TB) map[int]*abacc.Bundle {
	bigOnce.Do(func() {
		for _, n := range bigSizes {
			data := bigBundle(t, n)
			b, err := abacc.LoadBundle(data)
			if err != nil {
				t.Fatal(err)
			}
			bigByN[n] = b
		}
	})
	return bigByN
}

// TestBundleLookupConstant: finding one program of a 100,000-program bundle costs what it costs
// in a 10-program bundle (one map lookup, no allocation), where a scan would cost 10,000 times
// more.
func TestBundleLookupConstant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-program bundle")
	}
	bs := bigBundles(t)
	big, small := bs[100_000], bs[10]
	if big.Len() != 100_000 || big.Program("p99999") == nil || big.Program("p100000") != nil {
		t.Fatalf("big bundle: %d programs", big.Len())
	}
	if n := testing.AllocsPerRun(100, func() { big.Program("p99999") }); n != 0 {
		t.Errorf("Program allocates %v times", n)
	}
	per := func(b *abacc.Bundle, name string) time.Duration {
		best := time.Duration(1 << 62)
		for round := 0; round < 5; round++ {
			start := time.Now()
			for i := 0; i < 10_000; i++ {
				if b.Program(name) == nil {
					t.Fatal(name)
				}
			}
			best = min(best, time.Since(start)/10_000)
		}
		return best
	}
	tBig, tSmall := per(big, "p99999"), per(small, "p9")
	t.Logf("lookup of the last program: %v in a 100,000-program bundle, %v in a 10-program one", tBig, tSmall)
	if tBig > 20*tSmall+200*time.Nanosecond {
		t.Errorf("lookup in 100,000 programs takes %v, in 10 %v: not constant", tBig, tSmall)
	}
}

// BenchmarkBundleProgram: ns/op stays flat from 10 to 100,000 programs.
func BenchmarkBundleProgram(b *testing.B) {
	bs := bigBundles(b)
	for _, n := range bigSizes {
		name := fmt.Sprintf("p%d", n-1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			bn := bs[n]
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if bn.Program(name) == nil {
					b.Fatal(name)
				}
			}
		})
	}
}
