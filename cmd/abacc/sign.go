package main

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/abacc/abacc"
)

// keyFlags is a repeatable flag naming key files (-sign K1 -sign K2).
type keyFlags []string

func (k *keyFlags) String() string { return strings.Join(*k, ", ") }

func (k *keyFlags) Set(v string) error {
	if v == "" {
		return errors.New("empty key file name")
	}
	*k = append(*k, v)
	return nil
}

// keygen writes a new Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (PKIX
// PEM). It never overwrites a file.
func (c *cli) keygen(args []string) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	out := fs.String("o", "", "write the key pair to NAME.key (private) and NAME.pub (public)")
	rest, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if *out == "" || len(rest) > 0 {
		c.errorf("keygen: give -o NAME and no other argument")
		return exitUsage
	}
	privPath, pubPath := *out+".key", *out+".pub"
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			c.errorf("keygen: %s exists; not overwriting it", p)
			return exitInvalid
		}
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		c.errorf("keygen: %v", err)
		return exitInvalid
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		c.errorf("keygen: %v", err)
		return exitInvalid
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		c.errorf("keygen: %v", err)
		return exitInvalid
	}
	if err := writeNew(privPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}), 0o600); err != nil {
		c.errorf("keygen: %v", err)
		return exitInvalid
	}
	if err := writeNew(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), 0o644); err != nil {
		os.Remove(privPath) // no half key pair
		c.errorf("keygen: %v", err)
		return exitInvalid
	}
	fmt.Fprintf(c.stdout, "wrote %s (private: keep it secret) and %s\nkey id %s\n", privPath, pubPath, abacc.BundleKeyID(pub))
	return exitOK
}

// writeNew creates path with data, failing if it exists (O_EXCL: no race with another writer).
func writeNew(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s exists; not overwriting it", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// readPEM reads the one PEM block of a key file.
func (c *cli) readPEM(path string) (*pem.Block, error) {
	data, err := c.readFile(path)
	if err != nil {
		return nil, err
	}
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: not a PEM key file", path)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("%s: data after the %s block", path, block.Type)
	}
	return block, nil
}

// loadPrivateKey reads an Ed25519 private key written by abacc keygen (PKCS#8 PEM).
func (c *cli) loadPrivateKey(path string) (ed25519.PrivateKey, error) {
	block, err := c.readPEM(path)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PRIVATE KEY":
	case "PUBLIC KEY":
		return nil, fmt.Errorf("%s is a public key; -sign needs the private key (the .key file of abacc keygen)", path)
	default:
		return nil, fmt.Errorf("%s: a PEM %q block, not a PKCS#8 \"PRIVATE KEY\"", path, block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid PKCS#8 private key (%v)", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: %s key, not Ed25519", path, keyKind(k))
	}
	return priv, nil
}

// loadPublicKey reads an Ed25519 public key written by abacc keygen (PKIX PEM).
func (c *cli) loadPublicKey(path string) (ed25519.PublicKey, error) {
	block, err := c.readPEM(path)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PUBLIC KEY":
	case "PRIVATE KEY":
		return nil, fmt.Errorf("%s is a private key; -trust takes the public key (the .pub file of abacc keygen)", path)
	default:
		return nil, fmt.Errorf("%s: a PEM %q block, not a PKIX \"PUBLIC KEY\"", path, block.Type)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid PKIX public key (%v)", path, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s: %s key, not Ed25519", path, keyKind(k))
	}
	return pub, nil
}

func keyKind(k any) string {
	switch k.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return "an RSA"
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "an ECDSA"
	case *ecdh.PrivateKey, *ecdh.PublicKey:
		return "an ECDH (X25519)"
	}
	return fmt.Sprintf("a %T", k)
}

// loadPrivateKeys reads -sign key files, reporting the first bad one.
func (c *cli) loadPrivateKeys(paths []string) ([]ed25519.PrivateKey, bool) {
	var out []ed25519.PrivateKey
	for _, p := range paths {
		k, err := c.loadPrivateKey(p)
		if err != nil {
			c.errorf("%v", err)
			return nil, false
		}
		out = append(out, k)
	}
	return out, true
}

// loadPublicKeys reads -trust key files, reporting the first bad one.
func (c *cli) loadPublicKeys(paths []string) ([]ed25519.PublicKey, bool) {
	var out []ed25519.PublicKey
	for _, p := range paths {
		k, err := c.loadPublicKey(p)
		if err != nil {
			c.errorf("%v", err)
			return nil, false
		}
		out = append(out, k)
	}
	return out, true
}

// verify checks that each bundle carries a valid signature by a trusted key and loads.
func (c *cli) verify(args []string) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	c.dialectFlag(fs)
	var trust keyFlags
	fs.Var(&trust, "trust", "trusted public key file (NAME.pub of abacc keygen); repeatable")
	files, ok := c.parseFlags(fs, args)
	if !ok {
		return exitUsage
	}
	if len(trust) == 0 || len(files) == 0 {
		c.errorf("verify: give -trust KEY.pub (at least one) and the BUNDLE files to check")
		return exitUsage
	}
	keys, ok := c.loadPublicKeys(trust)
	if !ok {
		return exitInvalid
	}
	status := exitOK
	for _, path := range files {
		b, code := c.loadBundleWith(path, keys)
		if code != exitOK {
			status = code
			continue
		}
		fmt.Fprintf(c.stdout, "%s: verified: %s, %s\n", path, programCount(b.Len()), signersText(b, true))
	}
	return status
}

// signersText describes a bundle's signatures; checked says whether trusted keys were given.
func signersText(b *abacc.Bundle, checked bool) string {
	all := b.Signers()
	if len(all) == 0 {
		return "unsigned"
	}
	ids := "key id "
	if len(all) > 1 {
		ids = "key ids "
	}
	if !checked {
		return fmt.Sprintf("signed by %s%s (not checked: abacc verify -trust KEY.pub checks)", ids, strings.Join(all, ", "))
	}
	verified := map[string]bool{}
	for _, id := range b.VerifiedSigners() {
		verified[id] = true
	}
	var parts []string
	for _, id := range all {
		if verified[id] {
			parts = append(parts, id+" (trusted, verified)")
		} else {
			parts = append(parts, id+" (not trusted, not checked)")
		}
	}
	return "signed by " + ids + strings.Join(parts, ", ")
}

func programCount(n int) string {
	if n == 1 {
		return "1 program"
	}
	return fmt.Sprintf("%d programs", n)
}
