package abacc

import (
	"fmt"
	"strings"
	"time"

	"github.com/abacc/abacc/internal/attrs"
)

// Attr is a pre-resolved attribute handle for the typed setters of Request: resolve it once
// at start-up, then set values per request without lookups or allocation.
type Attr struct {
	ref attrs.Ref
}

// LookupAttr resolves an attribute reference written as in a condition, e.g.
// "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]" or
// "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]".
func LookupAttr(ref string) (Attr, error) {
	if !strings.HasPrefix(ref, "@") || !strings.HasSuffix(ref, "]") {
		return Attr{}, fmt.Errorf("attribute reference %q: want @Source[name]", ref)
	}
	i := strings.IndexByte(ref, '[')
	if i < 0 {
		return Attr{}, fmt.Errorf("attribute reference %q: want @Source[name]", ref)
	}
	src, ok := attrs.ParseSource(ref[1:i])
	if !ok {
		return Attr{}, fmt.Errorf("attribute reference %q: unknown source %q", ref, ref[1:i])
	}
	r, err := attrs.Default.Resolve(src, ref[i+1:len(ref)-1])
	if err != nil {
		return Attr{}, err
	}
	if r.Sel == attrs.SelKeys {
		return Attr{}, fmt.Errorf("attribute reference %q: the key set follows from the dictionary; set its keys instead", ref)
	}
	return Attr{ref: r}, nil
}

// SetAction sets the request's action.
func (r *Request) SetAction(action string) { r.v.SetAction(action) }

// SetSubOperation sets the request's suboperation.
func (r *Request) SetSubOperation(subOp string) { r.v.SetSubOperation(subOp) }

// SetString sets a String attribute (or dictionary key) to one value.
func (r *Request) SetString(a Attr, v string) error {
	if a.ref.Sel == attrs.SelKey {
		return r.v.SetKeyStrings(a.ref.ID, a.ref.Key, v)
	}
	return r.v.SetString(a.ref.ID, v)
}

// SetStrings sets a String attribute (or dictionary key) to several values.
func (r *Request) SetStrings(a Attr, vs ...string) error {
	if a.ref.Sel == attrs.SelKey {
		return r.v.SetKeyStrings(a.ref.ID, a.ref.Key, vs...)
	}
	return r.v.SetStrings(a.ref.ID, vs...)
}

// SetInts sets an Integer attribute (such as an integer custom security attribute).
func (r *Request) SetInts(a Attr, vs ...int64) error {
	if a.ref.Sel == attrs.SelKey {
		return r.v.SetKeyInts(a.ref.ID, a.ref.Key, vs...)
	}
	return r.v.SetInts(a.ref.ID, vs...)
}

// SetBool sets a Boolean attribute.
func (r *Request) SetBool(a Attr, v bool) error {
	if a.ref.Sel == attrs.SelKey {
		return r.v.SetKeyBools(a.ref.ID, a.ref.Key, v)
	}
	return r.v.SetBool(a.ref.ID, v)
}

// SetTime sets a DateTime attribute; the time is truncated to Azure's 100 ns precision.
func (r *Request) SetTime(a Attr, t time.Time) error {
	if a.ref.Sel == attrs.SelKey {
		return fmt.Errorf("dictionary keys hold strings: format the time")
	}
	return r.v.SetDateTimes(a.ref.ID, attrs.InstantOf(t))
}

// SetGuid sets a Guid attribute from its text (with or without hyphens).
func (r *Request) SetGuid(a Attr, text string) error {
	g, err := attrs.ParseGuid(text)
	if err != nil {
		return fmt.Errorf("bad Guid %q: %w", text, err)
	}
	if a.ref.Sel == attrs.SelKey {
		return r.v.SetKeyStrings(a.ref.ID, a.ref.Key, text)
	}
	return r.v.SetGuids(a.ref.ID, g)
}

// SetDictionaryPresent marks the dictionary that key handle a belongs to (blob index tags,
// container metadata) as present even if no key is set, so that its key set is empty rather
// than missing: the Go form of giving `"…/tags": {}` in JSON.
func (r *Request) SetDictionaryPresent(a Attr) error {
	if a.ref.Sel != attrs.SelKey {
		return fmt.Errorf("SetDictionaryPresent needs the handle of a dictionary key")
	}
	return r.v.SetDict(a.ref.ID)
}
