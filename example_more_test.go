package abacc_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/abacc/abacc"
)

// A build compiles its conditions into one bundle; a service loads the bundle (checksum,
// version and bytecode verification) and evaluates a program by name.
func ExampleWriteBundle() {
	var progs []abacc.NamedProgram
	for name, src := range map[string]string{
		"private-link": `@Environment[isPrivateLink] BoolEquals true`,
		"reports":      `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'`,
	} {
		p, err := abacc.Compile(src)
		if err != nil {
			fmt.Println(err)
			return
		}
		progs = append(progs, abacc.NamedProgram{Name: name, Program: p})
	}
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, progs, true); err != nil {
		fmt.Println(err)
		return
	}
	b, err := abacc.LoadBundle(buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	req := abacc.NewRequest()
	_ = req.UnmarshalJSON([]byte(`{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
		"resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "reports"}}`))
	fmt.Println(b.Len(), b.Program("reports").Eval(req), b.Program("private-link").Eval(req), b.Program("missing") == nil)
	// Output: 2 true false true
}

// Errors carry every diagnostic as data: a code, a position, the message and a hint.
func ExampleError() {
	_, err := abacc.Compile(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'reports'`)
	var ce *abacc.Error
	if errors.As(err, &ce) {
		for _, d := range ce.Diagnostics {
			fmt.Printf("%s %d:%d %s (%s)\n", d.Code, d.Line, d.Column, d.Message, d.Hint)
		}
	}
	// Output: ABAC2001 1:75 unknown operator "StringEqual" (did you mean StringEquals?)
}

// A malformed request is an error that names the attribute; nothing is evaluated against it.
func ExampleRequest_UnmarshalJSON() {
	req := abacc.NewRequest()
	err := req.UnmarshalJSON([]byte(`{"action": "a", "environment": {"isPrivateLink": "yes"}}`))
	fmt.Println(err)
	// Output: isPrivateLink: want a Boolean value, got a string
}
