// This file keeps the request decoder that abacc used before the jsontext rewrite (commit
// 4987e91's attrs/json.go, on encoding/json's Decoder.Token), unchanged but for its names, as the
// differential oracle of json_diff_test.go and the "before" of BenchmarkDecodeRequest: the new
// decoder must accept and reject exactly what it did, with the same messages, hints and offsets.

package attrs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// legacyDecoder walks a request document token by token so that every error names the key it
// is about and duplicate keys are caught (encoding/json would silently keep the last one).
type legacyDecoder struct {
	dec  *json.Decoder
	data []byte
	r    *Vector
	// off is the offset of the last token read.
	off int64
	// set records the attributes and dictionary keys already given, so that one attribute
	// spelled two ways (names match case-insensitively; a tag may come inside its dictionary
	// or as a flattened key) is an error rather than a silent overwrite. It is also the index
	// that lets dictionary entries be appended without a scan.
	set map[string]bool
	// entries counts the keys read, against the request's limits.
	entries int
}

func (d *legacyDecoder) errf(hint, format string, args ...any) error {
	return &RequestError{Offset: d.off, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

func (d *legacyDecoder) token() (json.Token, error) {
	// InputOffset is just past the previous token; skip the separators that follow it so that
	// errors point at the token itself, not at the end of the line before.
	d.off = d.dec.InputOffset()
	for d.off < int64(len(d.data)) && strings.IndexByte(" \t\r\n,:", d.data[d.off]) >= 0 {
		d.off++
	}
	t, err := d.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, d.errf("", "unexpected end of request JSON")
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &RequestError{Offset: se.Offset, Msg: "malformed JSON: " + se.Error()}
		}
		return nil, d.errf("", "malformed JSON: %v", err)
	}
	return t, nil
}

var legacyTopKeys = []string{"action", "subOperation", "resource", "request", "principal", "environment"}

// decodeLegacy is DecodeJSON for a document whose "action" may be absent when defaultAction is
// not empty: the request then has defaultAction (RBAC requests name the action outside the
// attributes). A document that has an action keeps it; the caller compares the two.
func (r *Vector) decodeLegacy(data []byte, defaultAction string) error {
	r.Reset()
	if r.limits.MaxBytes > 0 && len(data) > r.limits.MaxBytes {
		return &RequestError{Msg: fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes", len(data), r.limits.MaxBytes),
			Hint: "raise the request's limits (abacc.Request.SetLimits) if this is intended"}
	}
	// A UTF-8 byte-order mark is allowed before the document; error offsets still count it.
	if bom := "\xef\xbb\xbf"; len(data) >= 3 && string(data[:3]) == bom {
		err := r.decodeLegacy(data[3:], defaultAction)
		var re *RequestError
		if errors.As(err, &re) && re.Offset > 0 {
			re.Offset += 3
		}
		return err
	}
	d := &legacyDecoder{dec: json.NewDecoder(bytes.NewReader(data)), data: data, r: r, set: map[string]bool{}}
	d.dec.UseNumber()
	if err := d.expectDelim('{', "a request must be a JSON object"); err != nil {
		return err
	}
	seen := map[string]bool{}
	hasAction := false
	for d.dec.More() {
		key, err := d.key(seen, "request")
		if err != nil {
			return err
		}
		switch key {
		case "action", "subOperation":
			t, err := d.token()
			if err != nil {
				return err
			}
			s, ok := t.(string)
			if !ok {
				return d.errf("", "%q must be a string", key)
			}
			if key == "action" {
				r.SetAction(s)
				hasAction = true
			} else {
				r.SetSubOperation(s)
			}
		case "resource", "request", "principal", "environment":
			src, _ := ParseSource(key)
			if err := d.section(src); err != nil {
				return err
			}
		default:
			hint := ""
			if c := Closest(key, legacyTopKeys); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			return d.errf(hint, "unknown key %q in request (allowed: action, subOperation, resource, request, principal, environment)", key)
		}
	}
	if _, err := d.token(); err != nil { // the closing brace
		return err
	}
	d.off = d.dec.InputOffset()
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		return d.errf("", "unexpected data after the request object")
	}
	if !hasAction && defaultAction != "" {
		r.SetAction(defaultAction)
		hasAction = true
	}
	if !hasAction {
		return &RequestError{Msg: `request has no "action"`, Hint: `add "action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read" or the action being checked`}
	}
	return nil
}

func (d *legacyDecoder) expectDelim(want json.Delim, msg string) error {
	t, err := d.token()
	if err != nil {
		return err
	}
	if t != want {
		return d.errf("", "%s", msg)
	}
	return nil
}

// key reads an object key, rejecting duplicates.
func (d *legacyDecoder) key(seen map[string]bool, where string) (string, error) {
	t, err := d.token()
	if err != nil {
		return "", err
	}
	k := t.(string) // inside an object the decoder only yields string keys
	if end := d.dec.InputOffset(); d.off < end && end <= int64(len(d.data)) && !utf8.Valid(d.data[d.off:end]) {
		return "", d.errf("", "a key in %s is not valid UTF-8", where)
	}
	if d.entries++; d.r.limits.MaxEntries > 0 && d.entries > d.r.limits.MaxEntries {
		return "", d.errf("raise the request's limits (abacc.Request.SetLimits) if this is intended",
			"request has more than %d keys", d.r.limits.MaxEntries)
	}
	if seen[k] {
		return "", d.errf("", "duplicate key %q in %s", k, where)
	}
	seen[k] = true
	return k, nil
}

// section reads the attributes of one source.
func (d *legacyDecoder) section(src Source) error {
	if err := d.expectDelim('{', fmt.Sprintf("%q must be an object from attribute name to value", src.JSONKey())); err != nil {
		return err
	}
	seen := map[string]bool{}
	for d.dec.More() {
		name, err := d.key(seen, src.JSONKey())
		if err != nil {
			return err
		}
		keyOff := d.off
		if id, ok := d.r.cat.Lookup(src, name); ok {
			a := &d.r.cat.attrs[id]
			if err := d.once(keyOff, fmt.Sprintf("%d", id), name); err != nil {
				return err
			}
			if a.Dict != NotDict {
				if err := d.dict(id, a); err != nil {
					return err
				}
				continue
			}
			s, err := d.values(a, name, a.Type)
			if err != nil {
				return err
			}
			d.r.slots[id] = s
			continue
		}
		ref, err := d.r.cat.Resolve(src, name)
		if err != nil {
			var re *ResolveError
			errors.As(err, &re)
			return &RequestError{Offset: keyOff, Msg: re.Msg, Hint: re.Hint}
		}
		if ref.Sel != SelKey {
			return &RequestError{Offset: keyOff, Msg: fmt.Sprintf("%s is derived from the dictionary and cannot be set", name),
				Hint: fmt.Sprintf("give the dictionary @%s[%s] as an object", src, d.r.cat.attrs[ref.ID].Name)}
		}
		a := &d.r.cat.attrs[ref.ID]
		if err := d.once(keyOff, fmt.Sprintf("%d:%s", ref.ID, ref.Key), name); err != nil {
			return err
		}
		s, err := d.values(a, name, a.Type)
		if err != nil {
			return err
		}
		d.r.appendEntry(ref.ID, ref.Key, s)
	}
	_, err := d.token()
	return err
}

// once records that an attribute (or dictionary key) is given, rejecting a second spelling.
func (d *legacyDecoder) once(off int64, id, name string) error {
	if d.set[id] {
		return &RequestError{Offset: off, Msg: fmt.Sprintf("%s is given twice (names match case-insensitively; a tag may be given in its dictionary or as a key, not both)", name)}
	}
	d.set[id] = true
	return nil
}

// dict reads a dictionary attribute given as an object from key to value(s).
func (d *legacyDecoder) dict(id ID, a *Attribute) error {
	if err := d.expectDelim('{', fmt.Sprintf("@%s[%s] is a dictionary: give it as an object from key to value", a.Source, a.Name)); err != nil {
		return err
	}
	d.r.slots[id].Present = true
	seen := map[string]bool{}
	for d.dec.More() {
		key, err := d.key(seen, a.Name)
		if err != nil {
			return err
		}
		if err := d.once(d.off, fmt.Sprintf("%d:%s", id, key), a.Name+":"+key); err != nil {
			return err
		}
		s, err := d.values(a, a.Name+":"+key, a.Type)
		if err != nil {
			return err
		}
		d.r.appendEntry(id, key, s)
	}
	_, err := d.token()
	return err
}

// values reads a scalar or an array of scalars of type t (Untyped: the JSON kind decides) into
// the arenas and returns their slot.
func (d *legacyDecoder) values(a *Attribute, name string, t Type) (Slot, error) {
	tok, err := d.token()
	if err != nil {
		return Slot{}, err
	}
	if tok == json.Delim('[') {
		start := Slot{Present: true, Kind: t}
		first := true
		for d.dec.More() {
			el, err := d.token()
			if err != nil {
				return Slot{}, err
			}
			if el == json.Delim('[') || el == json.Delim('{') {
				return Slot{}, d.errf("", "%s: array elements must be scalars", name)
			}
			s, err := d.scalar(name, t, el)
			if err != nil {
				return Slot{}, err
			}
			if first {
				start.Kind, start.Off, first = s.Kind, s.Off, false
				t = s.Kind // an untyped array takes the kind of its first element
			}
			start.N++
		}
		if _, err := d.token(); err != nil {
			return Slot{}, err
		}
		if first && start.Kind == Untyped {
			start.Kind = TypeString
		}
		return start, nil
	}
	if tok == json.Delim('{') {
		return Slot{}, d.errf("", "%s: want %s value or an array of them, got an object", name, legacyDescribe(t))
	}
	return d.scalar(name, t, tok)
}

// describe names the values a type admits, with its article.
func legacyDescribe(t Type) string {
	switch t {
	case Untyped:
		return "a string, integer or boolean"
	case TypeInteger:
		return "an Integer"
	}
	return "a " + t.String()
}

// scalar appends one value to the arena of its kind; the returned slot has N=1.
func (d *legacyDecoder) scalar(name string, t Type, tok json.Token) (Slot, error) {
	r := d.r
	bad := func(got string) error {
		return d.errf("", "%s: want %s value, got %s", name, legacyDescribe(t), got)
	}
	switch v := tok.(type) {
	case nil:
		return Slot{}, d.errf("leave the attribute out to make it missing", "%s: null is not a value", name)
	case string:
		// encoding/json reads invalid UTF-8 as U+FFFD; the raw token must be valid text.
		if end := d.dec.InputOffset(); d.off < end && end <= int64(len(d.data)) && !utf8.Valid(d.data[d.off:end]) {
			return Slot{}, d.errf("", "%s: the value is not valid UTF-8", name)
		}
		switch t {
		case TypeString, Untyped:
			return r.legacyStrSlot1(v), nil
		case TypeDateTime:
			i, err := ParseDateTime(v)
			if err != nil {
				return Slot{}, d.errf("", "%s: bad DateTime %q: %v", name, v, err)
			}
			return r.legacyNumSlot1(TypeDateTime, int64(i)), nil
		case TypeGuid:
			g, err := ParseGuid(v)
			if err != nil {
				return Slot{}, d.errf("", "%s: bad Guid %q: %v", name, v, err)
			}
			s := Slot{Present: true, Kind: TypeGuid, Off: uint32(len(r.guids)), N: 1}
			r.guids = append(r.guids, g)
			return s, nil
		}
		return Slot{}, bad("a string")
	case json.Number:
		if t != TypeInteger && t != Untyped {
			return Slot{}, bad("a number")
		}
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return Slot{}, d.errf("integers are 64-bit signed, without fraction or exponent", "%s: %s is not a 64-bit integer", name, v)
		}
		return r.legacyNumSlot1(TypeInteger, n), nil
	case bool:
		if t != TypeBoolean && t != Untyped {
			return Slot{}, bad("a boolean")
		}
		return r.legacyNumSlot1(TypeBoolean, b2i(v)), nil
	}
	return Slot{}, bad(fmt.Sprint(tok))
}

func (r *Vector) legacyStrSlot1(v string) Slot {
	s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.strs)), N: 1}
	r.strs = append(r.strs, v)
	return s
}

func (r *Vector) legacyNumSlot1(kind Type, v int64) Slot {
	s := Slot{Present: true, Kind: kind, Off: uint32(len(r.nums)), N: 1}
	r.nums = append(r.nums, v)
	return s
}
