package attrs

import (
	"bytes"
	"runtime"
	"syscall"
	"testing"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// The requests of BenchmarkDecodeRequest.
var benchRequests = []struct{ name, doc string }{
	// A typical Blob Storage data-plane request: action, subOperation, six resource attributes
	// (one of them the blob index tags dictionary) and a request attribute.
	{"blob", `{
  "action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
  "subOperation": "Blob.Read.WithTagConditions",
  "resource": {
    "Microsoft.Storage/storageAccounts:name": "sampleaccount",
    "Microsoft.Storage/storageAccounts/blobServices/containers:name": "container1",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path": "readonly/2024/report.txt",
    "Microsoft.Storage/storageAccounts:isHnsEnabled": false,
    "Microsoft.Storage/storageAccounts/encryptionScopes:name": "scope1",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade", "Program": "Alpine", "Department": "Finance"}
  },
  "environment": {
    "isPrivateLink": true
  }
}`},
	// A small control-plane request: a role assignment write with the Authorization attributes.
	{"control", `{"action": "Microsoft.Authorization/roleAssignments/write", "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Microsoft.Authorization/roleAssignments:PrincipalId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Microsoft.Authorization/roleAssignments:PrincipalType": "User"}}`},
	// A principal's custom security attributes, flattened and as a dictionary, of every kind.
	{"principal", `{
  "action": "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  "resource": {"Microsoft.KeyVault/vaults:name": "vault1", "Microsoft.KeyVault/vaults/secrets:name": "db-password"},
  "principal": {
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"],
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level": 4,
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_OnCall": true
  },
  "environment": {"UtcNow": "2023-05-01T13:00:00.0000000Z"}
}`},
}

// benchThreadCPU returns the CPU time of the calling OS thread in nanoseconds (-1 if it cannot be
// read). BenchmarkDecodeRequest locks its goroutine to its thread and reports cpu-ns/op beside
// ns/op: on a shared machine it leaves out the time the benchmark spends descheduled.
func benchThreadCPU() int64 {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return -1
	}
	return ts.Nano()
}

// tokensOnly reads a document's tokens with jsontext as UnmarshalJSON does (PeekKind, then
// ReadToken or ReadValue) and does nothing with them: the floor under the decoder.
func tokensOnly(dec *jsontext.Decoder, in *bytes.Buffer, data []byte) error {
	*in = *bytes.NewBuffer(data)
	dec.Reset(in, jsonOptions...)
	for {
		var err error
		switch dec.PeekKind() {
		case '{', '}', '[', ']':
			_, err = dec.ReadToken()
		default:
			_, err = dec.ReadValue()
		}
		if err != nil {
			return err
		}
		if dec.StackDepth() == 0 {
			return nil
		}
	}
}

// BenchmarkDecodeRequest decodes each request into one reused Vector: impl=jsontext is
// UnmarshalJSON, impl=legacy the encoding/json decoder it replaced (json_legacy_test.go), and
// impl=tokens only reads the tokens with jsontext (tokensOnly), for scale.
func BenchmarkDecodeRequest(b *testing.B) {
	var dec jsontext.Decoder
	var in bytes.Buffer
	for _, impl := range []struct {
		name   string
		decode func(v *Vector, data []byte) error
	}{
		{"jsontext", func(v *Vector, data []byte) error { return v.UnmarshalJSON(data) }},
		{"legacy", func(v *Vector, data []byte) error { return v.decodeLegacy(data, "") }},
		{"tokens", func(v *Vector, data []byte) error { return tokensOnly(&dec, &in, data) }},
	} {
		for _, r := range benchRequests {
			b.Run("req="+r.name+"/impl="+impl.name, func(b *testing.B) {
				data := []byte(r.doc)
				v := NewVector(Default)
				if err := impl.decode(v, data); err != nil {
					b.Fatal(err)
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				cpu0 := benchThreadCPU()
				b.ResetTimer()
				for b.Loop() {
					if err := impl.decode(v, data); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				if cpu0 >= 0 {
					b.ReportMetric(float64(benchThreadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}
