package abacc_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"github.com/abacc/abacc"
)

// A service compiles a condition once and decides many requests with it.
func Example() {
	prog, err := abacc.Compile(`(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}))
		OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'`)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := abacc.NewRequest()
	err = req.UnmarshalJSON([]byte(`{
		"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		"resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "reports"}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(prog.Eval(req))
	// Output: true
}

// Compile reports every diagnostic with its position, snippet and hint.
func ExampleCompile_error() {
	_, err := abacc.Compile(`@Environment[isPrivateLink] BoolEquals 'yes'`)
	fmt.Println(err)
	// Output:
	// condition:1:40: error: BoolEquals compares Boolean values, but 'yes' is a string literal [ABAC2006]
	//     @Environment[isPrivateLink] BoolEquals 'yes'
	//                                            ^~~~~
	//     hint: write true or false without quotes
}

// Hot paths fill a reused request with typed setters through handles resolved once; after
// warm-up neither the setters nor Eval allocate.
func ExampleRequest_SetString() {
	prog, _ := abacc.Compile(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'`)
	project, _ := abacc.LookupAttr(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]`)
	req := abacc.NewRequest()
	for _, tag := range []string{"Cascade", "Baker"} {
		req.Reset()
		req.SetAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")
		if err := req.SetString(project, tag); err != nil {
			fmt.Println(err)
		}
		fmt.Println(tag, prog.Eval(req))
	}
	// Output:
	// Cascade true
	// Baker false
}

// Explain shows why a decision came out as it did.
func ExampleProgram_Explain() {
	prog, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true OR @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'public/'`)
	req := abacc.NewRequest()
	_ = req.UnmarshalJSON([]byte(`{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		"request": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix": "private/"}}`))
	fmt.Print(prog.Explain(req))
	// Output:
	// 1:1     false    @Environment[isPrivateLink] BoolEquals true
	//                  left  @Environment[isPrivateLink] is missing
	// 1:48    false    @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'public/'
	//                  left  @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] = "private/"
}

// A build signs its bundle; a service that trusts the build's public key loads it, and rejects
// a bundle that is unsigned, signed only by other keys or changed after signing.
func ExampleLoadBundleWith() {
	pub, priv, err := ed25519.GenerateKey(rand.Reader) // abacc keygen writes such a pair to files
	if err != nil {
		fmt.Println(err)
		return
	}
	prog, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true`)
	var buf bytes.Buffer
	err = abacc.WriteSignedBundle(&buf, []abacc.NamedProgram{{Name: "private-link-only", Program: prog}}, true, priv)
	if err != nil {
		fmt.Println(err)
		return
	}

	b, err := abacc.LoadBundleWith(buf.Bytes(), abacc.BundleOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.VerifiedSigners()[0] == abacc.BundleKeyID(pub))
	req := abacc.NewRequest()
	_ = req.UnmarshalJSON([]byte(`{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		"environment": {"isPrivateLink": true}}`))
	fmt.Println(b.Program("private-link-only").Eval(req))

	var unsigned bytes.Buffer
	_ = abacc.WriteBundle(&unsigned, []abacc.NamedProgram{{Name: "private-link-only", Program: prog}}, true)
	_, err = abacc.LoadBundleWith(unsigned.Bytes(), abacc.BundleOptions{TrustedKeys: []ed25519.PublicKey{pub}})
	fmt.Println(err)
	// Output:
	// true
	// true
	// bundle: unsigned (format 1.0 has no signatures), but trusted keys are configured
}
