package attrs

import (
	"fmt"
	"unsafe"

	"github.com/abacc/abacc/match"
)

// Slot holds one attribute's values in a Vector: whether it is present, the type the values are
// stored as, and their range in the request's arena for that type.
type Slot struct {
	// Present is false for a missing attribute.
	Present bool
	// Kind is the type of the stored values: TypeString, TypeInteger, TypeBoolean, TypeDateTime or
	// TypeGuid (Untyped only for an empty slot). Untyped attributes keep their JSON kind: a string
	// stays a string until an operator reads it as a DateTime or a Guid.
	Kind Type
	// Off and N locate the values: Strs, Nums or Guids[Off:Off+N] by Kind.
	Off, N uint32
}

// Entry is one key of a dictionary attribute with its values.
type Entry struct {
	Key string
	Slot
}

// Vector is a reusable vector of attribute values indexed by catalog id. Values live in three
// arenas (strings, 64-bit numbers, GUIDs) that Reset truncates and later fills reuse, so a warmed
// up request is refilled without allocating. A Vector belongs to one goroutine at a time.
type Vector struct {
	cat *Catalog
	// action is the request's action; subOp its suboperation when hasSubOp. The folded forms
	// (simple case folding, in reusable buffers) let ActionMatches and SubOperationMatches
	// compare bytes instead of folding on every test.
	action, subOp         string
	hasSubOp              bool
	actionFold, subOpFold string
	actionBuf, subOpBuf   []byte
	// Slots is indexed by attribute id.
	Slots []Slot
	// Dicts holds the entries of each dictionary attribute, indexed by id (nil for others).
	Dicts [][]Entry
	// Strs holds string values; Nums integers, booleans (0/1) and instants; Guids GUIDs.
	Strs  []string
	Nums  []int64
	Guids []Guid
}

// NewVector returns an empty request over catalog c.
func NewVector(c *Catalog) *Vector {
	r := &Vector{cat: c, Slots: make([]Slot, c.Len()), Dicts: make([][]Entry, c.Len())}
	for i := range c.attrs {
		if c.attrs[i].Dict != NotDict {
			r.Dicts[i] = make([]Entry, 0, 4)
		}
	}
	return r
}

// Catalog returns the catalog the request's ids refer to.
func (r *Vector) Catalog() *Catalog { return r.cat }

// Reset empties the request for reuse, keeping its storage.
func (r *Vector) Reset() {
	r.action, r.subOp, r.hasSubOp, r.actionFold, r.subOpFold = "", "", false, "", ""
	clear(r.Slots)
	for i := range r.Dicts {
		if r.Dicts[i] != nil {
			clear(r.Dicts[i]) // drop string references
			r.Dicts[i] = r.Dicts[i][:0]
		}
	}
	clear(r.Strs)
	r.Strs, r.Nums, r.Guids = r.Strs[:0], r.Nums[:0], r.Guids[:0]
}

// SetAction sets the request's action.
func (r *Vector) SetAction(action string) {
	r.action = action
	r.actionBuf = match.AppendFold(r.actionBuf[:0], action)
	r.actionFold = unsafe.String(unsafe.SliceData(r.actionBuf), len(r.actionBuf))
}

// SetSubOperation sets the request's suboperation.
func (r *Vector) SetSubOperation(subOp string) {
	r.subOp, r.hasSubOp = subOp, true
	r.subOpBuf = match.AppendFold(r.subOpBuf[:0], subOp)
	r.subOpFold = unsafe.String(unsafe.SliceData(r.subOpBuf), len(r.subOpBuf))
}

// Action returns the request's action.
func (r *Vector) Action() string { return r.action }

// ActionFolded returns the action under simple case folding (match.FoldString).
func (r *Vector) ActionFolded() string { return r.actionFold }

// SubOp returns the request's suboperation ("" when it has none).
func (r *Vector) SubOp() string { return r.subOp }

// SubOpFolded returns the suboperation under simple case folding.
func (r *Vector) SubOpFolded() string { return r.subOpFold }

// HasSubOp reports whether the request has a suboperation.
func (r *Vector) HasSubOp() bool { return r.hasSubOp }

// Values of a slot, by kind. The slices alias the request's arenas.

// StrsOf returns the string values of s.
func (r *Vector) StrsOf(s Slot) []string { return r.Strs[s.Off : s.Off+s.N] }

// NumsOf returns the integer, boolean or instant values of s.
func (r *Vector) NumsOf(s Slot) []int64 { return r.Nums[s.Off : s.Off+s.N] }

// GuidsOf returns the GUID values of s.
func (r *Vector) GuidsOf(s Slot) []Guid { return r.Guids[s.Off : s.Off+s.N] }

// Entry returns the slot of key in dictionary id; the slot is not Present if the dictionary or
// the key is missing. Keys are compared exactly (case-sensitive).
func (r *Vector) Entry(id ID, key string) Slot {
	for i := range r.Dicts[id] {
		if r.Dicts[id][i].Key == key {
			return r.Dicts[id][i].Slot
		}
	}
	return Slot{}
}

// SetError reports a typed setter applied to the wrong attribute.
type SetError struct {
	Attr *Attribute
	Want Type
}

func (e *SetError) Error() string {
	if e.Want == Untyped {
		if e.Attr.Dict != NotDict {
			return fmt.Sprintf("@%s[%s] is a dictionary: set it by key", e.Attr.Source, e.Attr.Name)
		}
		return fmt.Sprintf("@%s[%s] is not a dictionary: it has no keys", e.Attr.Source, e.Attr.Name)
	}
	return fmt.Sprintf("@%s[%s] holds %s values, not %s", e.Attr.Source, e.Attr.Name, e.Attr.Type, e.Want)
}

// check verifies that values of type t may be stored in attribute id (or one of its keys).
func (r *Vector) check(id ID, t Type, keyed bool) error {
	a := &r.cat.attrs[id]
	if (a.Dict != NotDict) != keyed {
		return &SetError{Attr: a, Want: Untyped}
	}
	if a.Type != Untyped && a.Type != t && !(t == TypeString && (a.Type == TypeDateTime || a.Type == TypeGuid)) {
		return &SetError{Attr: a, Want: t}
	}
	return nil
}

func (r *Vector) strSlot(vs []string) Slot {
	s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.Strs)), N: uint32(len(vs))}
	r.Strs = append(r.Strs, vs...)
	return s
}

func (r *Vector) numSlot(kind Type, vs []int64) Slot {
	s := Slot{Present: true, Kind: kind, Off: uint32(len(r.Nums)), N: uint32(len(vs))}
	r.Nums = append(r.Nums, vs...)
	return s
}

func (r *Vector) guidSlot(vs []Guid) Slot {
	s := Slot{Present: true, Kind: TypeGuid, Off: uint32(len(r.Guids)), N: uint32(len(vs))}
	r.Guids = append(r.Guids, vs...)
	return s
}

// SetStrings sets a String attribute (or an Untyped one) to the given values; an empty slice
// makes it present with no values.
func (r *Vector) SetStrings(id ID, vs ...string) error {
	if err := r.check(id, TypeString, false); err != nil {
		return err
	}
	if t := r.cat.attrs[id].Type; t == TypeDateTime || t == TypeGuid {
		return &SetError{Attr: &r.cat.attrs[id], Want: TypeString}
	}
	r.Slots[id] = r.strSlot(vs)
	return nil
}

// SetString sets a single-valued String attribute.
func (r *Vector) SetString(id ID, v string) error {
	if err := r.check(id, TypeString, false); err != nil {
		return err
	}
	if t := r.cat.attrs[id].Type; t == TypeDateTime || t == TypeGuid {
		return &SetError{Attr: &r.cat.attrs[id], Want: TypeString}
	}
	s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.Strs)), N: 1}
	r.Strs = append(r.Strs, v)
	r.Slots[id] = s
	return nil
}

// SetInts sets an Integer attribute.
func (r *Vector) SetInts(id ID, vs ...int64) error {
	if err := r.check(id, TypeInteger, false); err != nil {
		return err
	}
	r.Slots[id] = r.numSlot(TypeInteger, vs)
	return nil
}

// SetBool sets a Boolean attribute.
func (r *Vector) SetBool(id ID, v bool) error {
	if err := r.check(id, TypeBoolean, false); err != nil {
		return err
	}
	s := Slot{Present: true, Kind: TypeBoolean, Off: uint32(len(r.Nums)), N: 1}
	r.Nums = append(r.Nums, b2i(v))
	r.Slots[id] = s
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// SetDateTimes sets a DateTime attribute.
func (r *Vector) SetDateTimes(id ID, vs ...Instant) error {
	if err := r.check(id, TypeDateTime, false); err != nil {
		return err
	}
	s := Slot{Present: true, Kind: TypeDateTime, Off: uint32(len(r.Nums)), N: uint32(len(vs))}
	for _, v := range vs {
		r.Nums = append(r.Nums, int64(v))
	}
	r.Slots[id] = s
	return nil
}

// SetGuids sets a Guid attribute.
func (r *Vector) SetGuids(id ID, vs ...Guid) error {
	if err := r.check(id, TypeGuid, false); err != nil {
		return err
	}
	r.Slots[id] = r.guidSlot(vs)
	return nil
}

// SetDict marks dictionary id present (with whatever keys are set on it), so that its key set
// exists even when empty.
func (r *Vector) SetDict(id ID) error {
	if r.cat.attrs[id].Dict == NotDict {
		return &SetError{Attr: &r.cat.attrs[id], Want: Untyped}
	}
	r.Slots[id] = Slot{Present: true}
	return nil
}

// putEntry stores a dictionary entry, replacing an earlier one with the same key.
func (r *Vector) putEntry(id ID, key string, s Slot) {
	r.Slots[id].Present = true
	for i := range r.Dicts[id] {
		if r.Dicts[id][i].Key == key {
			r.Dicts[id][i].Slot = s
			return
		}
	}
	r.Dicts[id] = append(r.Dicts[id], Entry{Key: key, Slot: s})
}

// SetKeyStrings sets the string values under key of dictionary id (a blob index tag, a metadata
// entry, a custom security attribute).
func (r *Vector) SetKeyStrings(id ID, key string, vs ...string) error {
	if err := r.check(id, TypeString, true); err != nil {
		return err
	}
	r.putEntry(id, key, r.strSlot(vs))
	return nil
}

// SetKeyInts sets integer values under key of an untyped dictionary.
func (r *Vector) SetKeyInts(id ID, key string, vs ...int64) error {
	if err := r.check(id, TypeInteger, true); err != nil {
		return err
	}
	r.putEntry(id, key, r.numSlot(TypeInteger, vs))
	return nil
}

// SetKeyBools sets boolean values under key of an untyped dictionary.
func (r *Vector) SetKeyBools(id ID, key string, vs ...bool) error {
	if err := r.check(id, TypeBoolean, true); err != nil {
		return err
	}
	s := Slot{Present: true, Kind: TypeBoolean, Off: uint32(len(r.Nums)), N: uint32(len(vs))}
	for _, v := range vs {
		r.Nums = append(r.Nums, b2i(v))
	}
	r.putEntry(id, key, s)
	return nil
}
