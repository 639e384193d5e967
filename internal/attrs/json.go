package attrs

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// RequestError is an error in a request's JSON, with the byte offset near where it was found.
type RequestError struct {
	Offset int64
	Msg    string
	Hint   string
}

func (e *RequestError) Error() string { return e.Msg }

// The request decoder reads a document token by token with jsontext (the streaming tokenizer
// of the encoding/json/v2 prototype) so that every error names the key it is about, duplicate
// keys are caught and the attributes go straight into the Vector's arenas.
//
// Its behaviour is that of the encoding/json decoder it replaced, message for message and
// offset for offset (testdata/request_errors.golden; json_diff_test.go compares the two on
// generated and mutated requests):
//
//   - Errors about well-formed JSON (unknown keys, duplicates, types, limits, invalid UTF-8)
//     are found in the same order and point at the start of the token they are about.
//   - A document that is not well-formed JSON is re-read, on that error path only, with
//     encoding/json's Decoder.Token as before (syntaxError), so that the message ("malformed
//     JSON: invalid character ...") and its offset are encoding/json's, which the CLI prints as
//     line:column.
//
// Allocation: the decoder state (the jsontext.Decoder reading straight from the document,
// buffers, the record of keys given) is kept in a sync.Pool rather than in each Vector, so an
// idle Vector holds no decoding buffers; with the catalog's name index (built once per
// catalog) it is reused from one decode to the next. The text of every string a request holds
// (action, suboperation, string values, dictionary keys) is unquoted into the free end of an
// append-only chunk of memory (textChunk bytes, or more for a large request), and the
// request's strings are unsafe.String views of it. Bytes handed out are never written again:
// later decodes append after them, and a full chunk is replaced, never reused, so strings read
// from a Vector stay valid and unchanged after it is reset or refilled (Explain keeps them; a
// buffer reused in place would change them under it). A warmed-up decode thus allocates
// nothing but a new chunk when the current one is full (once per twenty or so typical
// requests; TestDecodeAllocations), plus arena growth when a request holds more values than
// any before it. A string kept from a request keeps its chunk in memory.

// jsonOptions configure the tokenizer. abacc finds duplicate names itself (its messages
// distinguish a repeated key from one attribute spelled two ways) and checks UTF-8 itself (its
// message names the attribute; action and subOperation accept invalid UTF-8 as U+FFFD, as
// encoding/json did).
var jsonOptions = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

var topKeys = []string{"action", "subOperation", "resource", "request", "principal", "environment"}

// sectionKeys are Source.JSONKey without its allocation.
var sectionKeys = [...]string{Resource: "resource", Request: "request", Principal: "principal", Environment: "environment"}

const limitsHint = "raise the request's limits (abacc.Request.SetLimits) if this is intended"

// UnmarshalJSON replaces the request's contents with the request document of request.md.
// Attribute names are checked against the catalog and values against the attributes' types.
func (r *Vector) UnmarshalJSON(data []byte) error { return r.DecodeJSON(data, "") }

// DecodeJSON is UnmarshalJSON for a document whose "action" may be absent when defaultAction is
// not empty: the request then has defaultAction (RBAC requests name the action outside the
// attributes). A document that has an action keeps it; the caller compares the two.
func (r *Vector) DecodeJSON(data []byte, defaultAction string) error {
	r.Reset()
	if r.limits.MaxBytes > 0 && len(data) > r.limits.MaxBytes {
		return &RequestError{Msg: fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes", len(data), r.limits.MaxBytes),
			Hint: limitsHint}
	}
	// UTF-8 byte-order marks are allowed before the document; error offsets still count them
	// (an error at offset 0 stays there).
	boms := 0
	for len(data) >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf {
		data = data[3:]
		boms++
	}
	d := jsonStates.Get().(*jsonDecoder)
	err := d.decode(r, data, defaultAction)
	d.release()
	jsonStates.Put(d)
	if re, ok := err.(*RequestError); ok && boms > 0 && re.Offset > 0 {
		re.Offset += 3 * int64(boms)
	}
	return err
}

var jsonStates = sync.Pool{New: func() any { return new(jsonDecoder) }}

// span locates bytes in one of the decoder's buffers.
type span struct{ lo, hi int }

// rawSpan locates a token in the document.
type rawSpan struct{ lo, hi int }

// keyRecord remembers the JSON key that gave an attribute (id) or a flattened dictionary entry
// (id and entry), to tell a repeated key from another spelling of the same attribute.
type keyRecord struct {
	id    ID
	entry int32 // -1 for an attribute
	key   rawSpan
}

// jsonDecoder is the pooled state of one decode.
type jsonDecoder struct {
	dec  jsontext.Decoder
	in   bytes.Buffer
	data []byte
	r    *Vector
	idx  *nameIndex
	// off is the offset of the start of the last token read.
	off int64
	// entries counts the keys read, against the request's limits.
	entries int
	// text is the chunk of string text; the request's starts at base (what precedes was
	// handed out and is never written again). Spans are relative to base. The strings and
	// dictionary entries read are stored in the Vector by finish, when the text is handed out:
	// strSpans are the string values, dictSpans[p] the entries of the p-th dictionary of the
	// catalog.
	text      []byte
	base      int
	strSpans  []span
	dictSpans [][]pendingEntry
	// bigDicts index the keys of dictionaries with many entries, by position like dictSpans.
	// The keys alias text (never overwritten during a decode); release clears the maps.
	bigDicts            []map[string]int32
	action, subOp       span
	hasAction, hasSubOp bool
	// raw is the last key read, as written; keyBuf holds its text when it has escapes or
	// non-ASCII bytes (else the text is a view of the document); lower and scratch are
	// buffers for names and dictionary keys.
	raw                    rawSpan
	keyBuf, lower, scratch []byte
	// given[id] == epoch marks an attribute (or a dictionary given as an object) as given.
	given   []uint32
	epoch   uint32
	records []keyRecord
}

// pendingEntry is a dictionary entry read but not yet stored.
type pendingEntry struct {
	key span
	Slot
}

// bigDict is the number of entries from which a dictionary's keys are indexed by a map.
const bigDict = 16

// textChunk is the size of the chunks that hold the text of requests' strings.
const textChunk = 4 << 10

func (d *jsonDecoder) decode(r *Vector, data []byte, defaultAction string) error {
	d.r, d.data = r, data
	if d.idx == nil || d.idx.cat != r.cat {
		d.idx = indexOf(r.cat)
		d.given = make([]uint32, r.cat.Len())
		d.epoch = 0
		d.dictSpans = make([][]pendingEntry, len(d.idx.dicts))
		d.bigDicts = make([]map[string]int32, len(d.idx.dicts))
	}
	if d.epoch++; d.epoch == 0 {
		clear(d.given)
		d.epoch = 1
	}
	d.off, d.entries = 0, 0
	d.base = len(d.text)
	d.strSpans, d.records = d.strSpans[:0], d.records[:0]
	for p := range d.dictSpans {
		d.dictSpans[p] = d.dictSpans[p][:0]
	}
	d.hasAction, d.hasSubOp = false, false
	d.in = *bytes.NewBuffer(data)
	d.dec.Reset(&d.in, jsonOptions...)

	err := d.document()
	d.finish()
	if err != nil {
		return err
	}
	if !d.hasAction && defaultAction != "" {
		r.SetAction(defaultAction)
		d.hasAction = true
	}
	if !d.hasAction {
		return &RequestError{Msg: `request has no "action"`, Hint: `add "action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read" or the action being checked`}
	}
	return nil
}

// finish hands the request's text out: its strings become views of it.
func (d *jsonDecoder) finish() {
	r := d.r
	var text string
	if n := len(d.text) - d.base; n > 0 {
		text = unsafe.String(&d.text[d.base], n)
	}
	d.base = len(d.text) // never written again
	for _, sp := range d.strSpans {
		r.strs = append(r.strs, text[sp.lo:sp.hi])
	}
	for p, pending := range d.dictSpans {
		id := d.idx.dicts[p]
		for _, e := range pending {
			r.dicts[id] = append(r.dicts[id], Entry{Key: text[e.key.lo:e.key.hi], Slot: e.Slot})
		}
	}
	if d.hasAction {
		r.SetAction(text[d.action.lo:d.action.hi])
	}
	if d.hasSubOp {
		r.SetSubOperation(text[d.subOp.lo:d.subOp.hi])
	}
}

// release drops what the pooled state must not keep: the caller's document when it is large
// (a small one stays referenced by the idle tokenizer until the next decode), the maps that
// alias the text, and buffers a huge request grew.
func (d *jsonDecoder) release() {
	d.r = nil
	if len(d.data) > 64<<10 {
		d.in = bytes.Buffer{}
		d.dec.Reset(&d.in) // drop the decoder's reference to the document
	}
	d.data = nil
	// The index of a big dictionary is not kept: its size is the request's, so keeping it would
	// make a decode's cost depend on the requests before it (and pin their memory).
	clear(d.bigDicts)
	const keep = 1 << 20
	if cap(d.text) > keep {
		d.text, d.base = nil, 0 // the strings handed out keep what they need of it
	}
	if cap(d.keyBuf) > keep || cap(d.strSpans) > keep/8 || cap(d.records) > keep/16 {
		d.keyBuf, d.strSpans, d.records = nil, nil, nil
		for p := range d.dictSpans {
			d.dictSpans[p] = nil
		}
	}
}

// mark is the end of the text, relative to the request's start.
func (d *jsonDecoder) mark() int { return len(d.text) - d.base }

// reserve makes room for n more bytes of text. A full chunk is left as it is (strings of
// earlier requests view it) and the request's text so far moves to a new one.
func (d *jsonDecoder) reserve(n int) {
	if cap(d.text)-len(d.text) >= n {
		return
	}
	used := len(d.text) - d.base
	size := max(textChunk, 2*(used+n)) // doubling keeps many small values amortized linear
	if n > textChunk {
		size = used + n + textChunk // a big value is sized for, not doubled
	}
	t := make([]byte, 0, size)
	d.text, d.base = append(t, d.text[d.base:]...), 0
}

// textAt returns the text at sp.
func (d *jsonDecoder) textAt(sp span) []byte { return d.text[d.base+sp.lo : d.base+sp.hi] }

// textString views the text at sp as a string: valid as long as the text is not written over,
// which is until the end of the decode for text not yet handed out.
func (d *jsonDecoder) textString(sp span) string {
	b := d.textAt(sp)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (d *jsonDecoder) errf(hint, format string, args ...any) error {
	return &RequestError{Offset: d.off, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// Reading tokens. PeekKind says what comes next; '{', '[', '}' and ']' are read with ReadToken
// and the others with ReadValue, never an object or array whole, so that the document is read
// token by token exactly as before. Any tokenizer error means the JSON is malformed.

// delim reads the delimiter that PeekKind announced.
func (d *jsonDecoder) delim() error {
	if _, err := d.dec.ReadToken(); err != nil {
		return d.syntax(err)
	}
	d.off = d.dec.InputOffset() - 1
	return nil
}

// scalar reads a string, number or literal (PeekKind said it is none of '{', '[').
func (d *jsonDecoder) scalar() ([]byte, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return nil, d.syntax(err)
	}
	d.off = d.dec.InputOffset() - int64(len(v))
	return v, nil
}

// skip reads a token of kind k whatever it is, so that a value of the wrong shape is reported
// once it is known to be well-formed.
func (d *jsonDecoder) skip(k jsontext.Kind) error {
	switch k {
	case '{', '[', '}', ']':
		return d.delim()
	}
	_, err := d.scalar()
	return err
}

// syntax reports malformed JSON as encoding/json's Decoder.Token reports it (see syntaxError).
func (d *jsonDecoder) syntax(err error) error {
	if e := syntaxError(d.data); e != nil {
		return e
	}
	// Not reached: encoding/json and jsontext accept the same grammar (json_diff_test.go).
	off := d.dec.InputOffset()
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off = se.ByteOffset
	}
	return &RequestError{Offset: off, Msg: "malformed JSON: " + err.Error()}
}

// syntaxError reads data with encoding/json's Decoder.Token, as abacc's decoder did before
// jsontext, and returns the first error as that decoder reported it, or nil if the first value
// is well-formed. decode calls it only when every token before the malformed one was accepted,
// and the two tokenizers accept the same grammar token for token, so this is the error the
// previous decoder met first (json_diff_test.go holds the two decoders to it).
func syntaxError(data []byte) *RequestError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	depth := 0
	for {
		// InputOffset is just past the previous token; the separators that follow it are
		// skipped so that errors point at the token itself.
		off := dec.InputOffset()
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		t, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return &RequestError{Offset: off, Msg: "unexpected end of request JSON"}
			}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return &RequestError{Offset: se.Offset, Msg: "malformed JSON: " + se.Error()}
			}
			return &RequestError{Offset: off, Msg: fmt.Sprintf("malformed JSON: %v", err)}
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// key reads an object key (PeekKind said a key or something malformed comes next), checks it
// and the entry limit, and returns its text: a view of the document or of d.keyBuf, valid until
// the next key.
func (d *jsonDecoder) key(where string) ([]byte, error) {
	raw, err := d.scalar()
	if err != nil {
		return nil, err
	}
	return d.checkKey(raw, plainASCII(raw[1:len(raw)-1]), where)
}

// checkKey is key after the read; plain says raw's body is known to be plainASCII.
func (d *jsonDecoder) checkKey(raw []byte, plain bool, where string) ([]byte, error) {
	d.raw = rawSpan{int(d.off), int(d.off) + len(raw)}
	body := raw[1 : len(raw)-1]
	if !plain && !utf8.Valid(raw) {
		return nil, d.errf("", "a key in %s is not valid UTF-8", where)
	}
	if d.entries++; d.r.limits.MaxEntries > 0 && d.entries > d.r.limits.MaxEntries {
		return nil, d.errf(limitsHint, "request has more than %d keys", d.r.limits.MaxEntries)
	}
	if plain {
		return body, nil
	}
	d.keyBuf = appendUnquoted(d.keyBuf[:0], raw, false)
	return d.keyBuf, nil
}

// plainASCII reports whether a string's body is ASCII without escapes (so valid UTF-8, and its
// own text), eight bytes at a time.
func plainASCII(b []byte) bool {
	const hi, ones, backslashes = 0x8080808080808080, 0x0101010101010101, 0x5c5c5c5c5c5c5c5c
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		x := w ^ backslashes // a zero byte where b has a backslash
		if w&hi != 0 || (x-ones)&^x&hi != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf || c == '\\' {
			return false
		}
	}
	return true
}

// appendUnquoted appends the text of the JSON string raw (well-formed, with its quotes) to dst;
// plain says its body is known to be plainASCII. Invalid UTF-8 and unpaired surrogate escapes
// become U+FFFD, as encoding/json decoded them.
func appendUnquoted(dst, raw []byte, plain bool) []byte {
	body := raw[1 : len(raw)-1]
	if plain || plainASCII(body) {
		return append(dst, body...)
	}
	dst, _ = jsontext.AppendUnquote(dst, raw) // the errors report the replacements
	return dst
}

// rawText returns the text of the key at sp in the document (for messages and duplicates).
func (d *jsonDecoder) rawText(sp rawSpan) []byte {
	return appendUnquoted(nil, d.data[sp.lo:sp.hi], false)
}

// document reads the request object.
func (d *jsonDecoder) document() error {
	if k := d.dec.PeekKind(); k != '{' {
		if err := d.skip(k); err != nil {
			return err
		}
		return d.errf("", "a request must be a JSON object")
	}
	if err := d.delim(); err != nil {
		return err
	}
	var seen uint8
	for {
		k := d.dec.PeekKind()
		if k == '}' {
			break
		}
		name, err := d.key("request")
		if err != nil {
			return err
		}
		var bit uint8
		var src Source
		switch string(name) {
		case "action":
			bit = 1
		case "subOperation":
			bit = 2
		case "resource":
			bit, src = 4, Resource
		case "request":
			bit, src = 8, Request
		case "principal":
			bit, src = 16, Principal
		case "environment":
			bit, src = 32, Environment
		}
		if seen&bit != 0 {
			return d.errf("", "duplicate key %q in request", name)
		}
		seen |= bit
		switch bit {
		case 0:
			key := string(name)
			hint := ""
			if c := Closest(key, topKeys); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			return d.errf(hint, "unknown key %q in request (allowed: action, subOperation, resource, request, principal, environment)", key)
		case 1, 2:
			key := topKeys[bit-1]
			if k := d.dec.PeekKind(); k != '"' {
				if err := d.skip(k); err != nil {
					return err
				}
				return d.errf("", "%q must be a string", key)
			}
			raw, err := d.scalar()
			if err != nil {
				return err
			}
			d.reserve(3 * len(raw)) // an invalid byte becomes U+FFFD, three bytes
			lo := d.mark()
			d.text = appendUnquoted(d.text, raw, false)
			if bit == 1 {
				d.action, d.hasAction = span{lo, d.mark()}, true
			} else {
				d.subOp, d.hasSubOp = span{lo, d.mark()}, true
			}
		default:
			if err := d.section(src); err != nil {
				return err
			}
		}
	}
	if err := d.delim(); err != nil { // the closing brace
		return err
	}
	end := d.dec.InputOffset()
	for _, c := range d.data[end:] {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			d.off = end
			return d.errf("", "unexpected data after the request object")
		}
	}
	return nil
}

// section reads the attributes of one source.
func (d *jsonDecoder) section(src Source) error {
	where := sectionKeys[src]
	if k := d.dec.PeekKind(); k != '{' {
		if err := d.skip(k); err != nil {
			return err
		}
		return d.errf("", "%q must be an object from attribute name to value", where)
	}
	if err := d.delim(); err != nil {
		return err
	}
	cat := d.r.cat
	for d.dec.PeekKind() != '}' {
		raw, err := d.scalar()
		if err != nil {
			return err
		}
		// Most keys are attribute names as the catalog spells them, which are plain ASCII:
		// found as written, they need no other check.
		id, exact := d.idx.exact[src].find(raw[1 : len(raw)-1])
		name, err := d.checkKey(raw, exact || plainASCII(raw[1:len(raw)-1]), where)
		if err != nil {
			return err
		}
		keyRaw, keyOff := d.raw, d.off
		ok := exact
		if !ok {
			id, ok = d.lookup(src, name)
		}
		if ok {
			a := &cat.attrs[id]
			if err := d.once(id, name, keyRaw, keyOff, where); err != nil {
				return err
			}
			if a.Dict != NotDict {
				if err := d.dict(id, a); err != nil {
					return err
				}
				continue
			}
			s, err := d.values(valueName{raw: keyRaw}, a.Type)
			if err != nil {
				return err
			}
			d.r.slots[id] = s
			continue
		}
		ref, err := d.resolve(src, name)
		if err != nil {
			var re *ResolveError
			errors.As(err, &re)
			return &RequestError{Offset: keyOff, Msg: re.Msg, Hint: re.Hint}
		}
		if ref.Sel != SelKey {
			return &RequestError{Offset: keyOff, Msg: fmt.Sprintf("%s is derived from the dictionary and cannot be set", name),
				Hint: fmt.Sprintf("give the dictionary @%s[%s] as an object", src, cat.attrs[ref.ID].Name)}
		}
		a := &cat.attrs[ref.ID]
		p := d.idx.dictPos[ref.ID]
		d.reserve(len(d.scratch))
		klo := d.mark()
		d.text = append(d.text, d.scratch...) // resolve left the key there
		entryKey := span{klo, d.mark()}
		if e := d.findEntry(p, d.textAt(entryKey)); e >= 0 {
			d.off = keyOff
			for _, rec := range d.records {
				if rec.id == ref.ID && rec.entry == e && bytes.Equal(d.rawText(rec.key), name) {
					return d.errf("", "duplicate key %q in %s", name, where)
				}
			}
			return d.errf("", "%s is given twice (names match case-insensitively; a tag may be given in its dictionary or as a key, not both)", name)
		}
		s, err := d.values(valueName{raw: keyRaw}, a.Type)
		if err != nil {
			return err
		}
		d.records = append(d.records, keyRecord{id: ref.ID, entry: int32(len(d.dictSpans[p])), key: keyRaw})
		d.addEntry(ref.ID, p, entryKey, s)
	}
	return d.delim()
}

// once records that attribute id (or dictionary id, given as an object) is given, rejecting a
// second time: the same key again, or another spelling of the name.
func (d *jsonDecoder) once(id ID, name []byte, key rawSpan, keyOff int64, where string) error {
	if d.given[id] != d.epoch {
		d.given[id] = d.epoch
		d.records = append(d.records, keyRecord{id: id, entry: -1, key: key})
		return nil
	}
	d.off = keyOff
	for _, rec := range d.records {
		if rec.id == id && rec.entry < 0 && bytes.Equal(d.rawText(rec.key), name) {
			return d.errf("", "duplicate key %q in %s", name, where)
		}
	}
	return d.errf("", "%s is given twice (names match case-insensitively; a tag may be given in its dictionary or as a key, not both)", name)
}

// dict reads a dictionary attribute given as an object from key to value(s).
func (d *jsonDecoder) dict(id ID, a *Attribute) error {
	if k := d.dec.PeekKind(); k != '{' {
		if err := d.skip(k); err != nil {
			return err
		}
		return d.errf("", "@%s[%s] is a dictionary: give it as an object from key to value", a.Source, a.Name)
	}
	if err := d.delim(); err != nil {
		return err
	}
	d.r.slots[id].Present = true
	p := d.idx.dictPos[id]
	start := int32(len(d.dictSpans[p]))
	for d.dec.PeekKind() != '}' {
		k, err := d.key(a.Name)
		if err != nil {
			return err
		}
		d.reserve(len(k))
		lo := d.mark()
		d.text = append(d.text, k...)
		key := span{lo, d.mark()}
		if e := d.findEntry(p, d.textAt(key)); e >= 0 {
			if e >= start {
				return d.errf("", "duplicate key %q in %s", d.textAt(key), a.Name)
			}
			return d.errf("", "%s:%s is given twice (names match case-insensitively; a tag may be given in its dictionary or as a key, not both)", a.Name, d.textAt(key))
		}
		s, err := d.values(valueName{dict: a.Name, key: key}, a.Type)
		if err != nil {
			return err
		}
		d.addEntry(id, p, key, s)
	}
	return d.delim()
}

// findEntry returns the index of the entry with key in the p-th dictionary, or -1.
func (d *jsonDecoder) findEntry(p int32, key []byte) int32 {
	if m := d.bigDicts[p]; len(m) > 0 {
		if e, ok := m[string(key)]; ok {
			return e
		}
		return -1
	}
	for i, e := range d.dictSpans[p] {
		if bytes.Equal(d.textAt(e.key), key) {
			return int32(i)
		}
	}
	return -1
}

// addEntry adds an entry (its key in the text) to dictionary id, the p-th. Its key in
// bigDicts is a view of the text, which is not written over during the decode (nor after, once
// handed out); release clears the maps all the same.
func (d *jsonDecoder) addEntry(id ID, p int32, key span, s Slot) {
	d.r.slots[id].Present = true
	spans := append(d.dictSpans[p], pendingEntry{key, s})
	d.dictSpans[p] = spans
	if n := len(spans); n >= bigDict {
		m := d.bigDicts[p]
		if m == nil {
			m = make(map[string]int32, 2*bigDict)
			d.bigDicts[p] = m
		}
		if len(m) == 0 {
			for i, e := range spans[:n-1] {
				m[d.textString(e.key)] = int32(i)
			}
		}
		m[d.textString(key)] = int32(n - 1)
	}
}

// valueName names the attribute whose values are read, for messages: the JSON key (raw, in the
// document), or dict:key with the key in the text.
type valueName struct {
	raw  rawSpan
	dict string
	key  span
}

func (d *jsonDecoder) nameOf(n valueName) string {
	if n.dict != "" {
		return n.dict + ":" + string(d.textAt(n.key))
	}
	return string(d.rawText(n.raw))
}

// values reads a scalar or an array of scalars of type t (Untyped: the JSON kind decides) into
// the arenas and returns their slot.
func (d *jsonDecoder) values(n valueName, t Type) (Slot, error) {
	switch d.dec.PeekKind() {
	case '[':
		if err := d.delim(); err != nil {
			return Slot{}, err
		}
		start := Slot{Present: true, Kind: t}
		first := true
		for {
			k := d.dec.PeekKind()
			if k == ']' {
				break
			}
			if k == '[' || k == '{' {
				if err := d.delim(); err != nil {
					return Slot{}, err
				}
				return Slot{}, d.errf("", "%s: array elements must be scalars", d.nameOf(n))
			}
			s, err := d.value(n, t)
			if err != nil {
				return Slot{}, err
			}
			if first {
				start.Kind, start.Off, first = s.Kind, s.Off, false
				t = s.Kind // an untyped array takes the kind of its first element
			}
			start.N++
		}
		if err := d.delim(); err != nil {
			return Slot{}, err
		}
		if first && start.Kind == Untyped {
			start.Kind = TypeString
		}
		return start, nil
	case '{':
		if err := d.delim(); err != nil {
			return Slot{}, err
		}
		return Slot{}, d.errf("", "%s: want %s value or an array of them, got an object", d.nameOf(n), describe(t))
	}
	return d.value(n, t)
}

// describe names the values a type admits, with its article.
func describe(t Type) string {
	switch t {
	case Untyped:
		return "a string, integer or boolean"
	case TypeInteger:
		return "an Integer"
	}
	return "a " + t.String()
}

// value reads one scalar and appends it to the arena of its kind; the returned slot has N=1.
func (d *jsonDecoder) value(n valueName, t Type) (Slot, error) {
	raw, err := d.scalar()
	if err != nil {
		return Slot{}, err
	}
	r := d.r
	switch c := raw[0]; c {
	case 'n':
		return Slot{}, d.errf("leave the attribute out to make it missing", "%s: null is not a value", d.nameOf(n))
	case 't', 'f':
		if t != TypeBoolean && t != Untyped {
			return Slot{}, d.errf("", "%s: want %s value, got %s", d.nameOf(n), describe(t), "a boolean")
		}
		return r.numSlot1(TypeBoolean, b2i(c == 't')), nil
	case '"':
		plain := plainASCII(raw[1 : len(raw)-1])
		if !plain && !utf8.Valid(raw) {
			return Slot{}, d.errf("", "%s: the value is not valid UTF-8", d.nameOf(n))
		}
		d.reserve(len(raw)) // valid UTF-8: the text is no longer than the JSON string
		lo := d.mark()
		switch t {
		case TypeString, Untyped:
			d.text = appendUnquoted(d.text, raw, plain)
			s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.strs) + len(d.strSpans)), N: 1}
			d.strSpans = append(d.strSpans, span{lo, d.mark()})
			return s, nil
		case TypeDateTime:
			d.text = appendUnquoted(d.text, raw, plain)
			v := d.textString(span{lo, d.mark()})
			i, err := ParseDateTime(v)
			if err != nil {
				return Slot{}, d.errf("", "%s: bad DateTime %q: %v", d.nameOf(n), v, err)
			}
			d.text = d.text[:d.base+lo] // (v is not kept)
			return r.numSlot1(TypeDateTime, int64(i)), nil
		case TypeGuid:
			d.text = appendUnquoted(d.text, raw, plain)
			v := d.textString(span{lo, d.mark()})
			g, err := ParseGuid(v)
			if err != nil {
				return Slot{}, d.errf("", "%s: bad Guid %q: %v", d.nameOf(n), v, err)
			}
			d.text = d.text[:d.base+lo]
			s := Slot{Present: true, Kind: TypeGuid, Off: uint32(len(r.guids)), N: 1}
			r.guids = append(r.guids, g)
			return s, nil
		}
		return Slot{}, d.errf("", "%s: want %s value, got %s", d.nameOf(n), describe(t), "a string")
	}
	// A number.
	if t != TypeInteger && t != Untyped {
		return Slot{}, d.errf("", "%s: want %s value, got %s", d.nameOf(n), describe(t), "a number")
	}
	v, ok := parseInt64(raw)
	if !ok {
		return Slot{}, d.errf("integers are 64-bit signed, without fraction or exponent", "%s: %s is not a 64-bit integer", d.nameOf(n), raw)
	}
	return r.numSlot1(TypeInteger, v), nil
}

// parseInt64 parses a JSON number that is a 64-bit signed integer (no fraction, no exponent):
// strconv.ParseInt(s, 10, 64) on JSON's grammar, without allocating.
func parseInt64(b []byte) (int64, bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 { // 19 digits cannot overflow a uint64
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return int64(-u), true
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

func (r *Vector) numSlot1(kind Type, v int64) Slot {
	s := Slot{Present: true, Kind: kind, Off: uint32(len(r.nums)), N: 1}
	r.nums = append(r.nums, v)
	return s
}

// The catalog's names, indexed for the decoder.

// nameIndex finds attributes by their request-JSON names without building catalogKey strings.
type nameIndex struct {
	cat *Catalog
	// exact finds each source's names as the catalog spells them (the usual spelling in
	// requests); folded finds an ASCII name under ASCII case folding among the names whose
	// strings.ToLower (the catalog's case-insensitive key) is ASCII; lower maps every
	// strings.ToLower(name), for the names that are not ASCII.
	exact, folded [Environment + 1]nameTable
	lower         [Environment + 1]map[string]ID
	// dicts lists the dictionary attributes in id order (as Vector.dictIDs); dictPos is the
	// position of each in it.
	dicts   []ID
	dictPos []int32
}

// nameIndexes holds the index of each catalog decoded against, built on first use and kept
// (catalogs are immutable and live as long as the program).
var nameIndexes sync.Map // *Catalog -> *nameIndex

func indexOf(c *Catalog) *nameIndex {
	if x, ok := nameIndexes.Load(c); ok {
		return x.(*nameIndex)
	}
	x := &nameIndex{cat: c, dictPos: make([]int32, len(c.attrs))}
	for s := range x.lower {
		x.lower[s] = map[string]ID{}
	}
	var names, lowers [Environment + 1][]string
	var ids, lowerIDs [Environment + 1][]ID
	for i, a := range c.attrs {
		x.dictPos[i] = -1
		if a.Dict != NotDict {
			x.dictPos[i] = int32(len(x.dicts))
			x.dicts = append(x.dicts, ID(i))
		}
		if a.Source < Resource || a.Source > Environment {
			continue // no request section holds it
		}
		if plainASCII([]byte(a.Name)) { // (section relies on it)
			names[a.Source] = append(names[a.Source], a.Name)
			ids[a.Source] = append(ids[a.Source], ID(i))
		}
		l := strings.ToLower(a.Name)
		x.lower[a.Source][l] = ID(i)
		if isASCII(l) {
			lowers[a.Source] = append(lowers[a.Source], l)
			lowerIDs[a.Source] = append(lowerIDs[a.Source], ID(i))
		}
	}
	for s := range x.exact {
		x.exact[s] = newNameTable(names[s], ids[s], false)
		x.folded[s] = newNameTable(lowers[s], lowerIDs[s], true)
	}
	y, _ := nameIndexes.LoadOrStore(c, x)
	return y.(*nameIndex)
}

// lookup is Catalog.Lookup on the name's bytes.
func (d *jsonDecoder) lookup(src Source, name []byte) (ID, bool) {
	if id, ok := d.idx.exact[src].find(name); ok {
		return id, true
	}
	if isASCII(name) { // strings.ToLower(name) is ASCII, so it is in folded if anywhere
		return d.idx.folded[src].find(name)
	}
	d.lower = appendLower(d.lower[:0], name)
	id, ok := d.idx.lower[src][string(d.lower)]
	return id, ok
}

// isASCII reports whether s is ASCII, eight bytes at a time.
func isASCII[T string | []byte](s T) bool {
	for len(s) >= 8 {
		if (uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56)&0x8080808080808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendLower appends strings.ToLower(s) to dst (s is valid UTF-8).
func appendLower(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range string(s[i:]) {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// resolve is Catalog.Resolve for a name that lookup did not find, with the key of a SelKey
// reference left in d.scratch (Ref.Key is not set). The common success, a dictionary key
// (`NAME:KEY`, `NAME:KEY<$key_case_sensitive$>`), is resolved here without allocating;
// everything else (errors, key sets, the rare names this does not follow) is Catalog.Resolve's.
func (d *jsonDecoder) resolve(src Source, name []byte) (Ref, error) {
	if !bytes.HasSuffix(name, []byte(KeysSuffix)) {
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			if id, ok := d.lookup(src, name[:i]); ok {
				a := &d.r.cat.attrs[id]
				key := name[i+1:]
				ok := a.Dict == DictPlain
				if a.Dict == DictTagged && bytes.HasSuffix(key, []byte(KeySuffix)) {
					key, ok = key[:len(key)-len(KeySuffix)], true
				}
				if ok && len(key) > 0 {
					d.scratch = append(d.scratch[:0], key...)
					return Ref{ID: id, Sel: SelKey}, nil
				}
			}
		}
	}
	ref, err := d.r.cat.Resolve(src, string(name))
	d.scratch = append(d.scratch[:0], ref.Key...)
	return ref, err
}

// nameTable is an open-addressing hash table from names to ids, hashed on the length and two
// 8-byte windows of the name: cheaper than hashing all of a long attribute name, and the
// names of one source differ there (a collision only costs a probe). A folding table holds
// lower-case ASCII names and finds ASCII names under ASCII case folding.
type nameTable struct {
	slots []nameSlot
	mask  uint64
	fold  bool
}

type nameSlot struct {
	name string
	id   ID
	used bool
}

func newNameTable(names []string, ids []ID, fold bool) nameTable {
	n := 8
	for n < 4*len(names) {
		n *= 2
	}
	t := nameTable{slots: make([]nameSlot, n), mask: uint64(n - 1), fold: fold}
	for k, name := range names {
		i := nameHash([]byte(name), fold) & t.mask
		for t.slots[i].used {
			i = (i + 1) & t.mask
		}
		t.slots[i] = nameSlot{name: name, id: ids[k], used: true}
	}
	return t
}

func (t *nameTable) find(name []byte) (ID, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	for i := nameHash(name, t.fold) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if !s.used {
			return 0, false
		}
		if t.fold && equalFoldASCII(name, s.name) || !t.fold && s.name == string(name) {
			return s.id, true
		}
	}
}

func nameHash(b []byte, fold bool) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	if n := len(b); n >= 8 {
		w1, w2 := binary.LittleEndian.Uint64(b[n-8:]), binary.LittleEndian.Uint64(b[n/2-4:])
		if fold {
			w1, w2 = lower8(w1), lower8(w2)
		}
		h ^= w1
		h *= 0xff51afd7ed558ccd
		h ^= w2
	} else {
		for _, c := range b {
			if fold && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * 0x100000001b3
		}
	}
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>29
}

// lower8 maps the ASCII upper-case letters among the eight bytes of w to lower case; bytes
// from 0x80 up are left alone.
func lower8(w uint64) uint64 {
	const ones, hi = 0x0101010101010101, 0x8080808080808080
	b := w &^ hi
	upper := (b + (0x80-'A')*ones) &^ (b + (0x80-'Z'-1)*ones) &^ w & hi
	return w | upper>>2
}

// equalFoldASCII reports whether b equals the lower-case ASCII name under ASCII case folding.
func equalFoldASCII(b []byte, name string) bool {
	if len(b) != len(name) {
		return false
	}
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if lower8(binary.LittleEndian.Uint64(b[i:])) != binary.LittleEndian.Uint64([]byte(name[i:i+8])) {
			return false
		}
	}
	for ; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}
