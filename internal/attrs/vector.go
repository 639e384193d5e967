package attrs

import (
	"fmt"
	"unsafe"

	"github.com/abacc/abacc/internal/match"
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
	// actionKey is the catalog's key of the action (Catalog.ActionKey), 0 for an action the
	// catalog does not list.
	actionKey int32
	// operationKey is the catalog's key of the action and suboperation together
	// (Catalog.OperationKey), 0 for an action the catalog does not list.
	operationKey        int32
	actionBuf, subOpBuf []byte
	// dictIDs lists the dictionary attributes, so Reset visits only them.
	dictIDs []ID
	// slots is indexed by attribute id.
	slots []Slot
	// dicts holds the entries of each dictionary attribute, indexed by id (nil for others).
	dicts [][]Entry
	// strs holds string values; nums integers, booleans (0/1) and instants; guids GUIDs. The
	// fields are unexported so that slots always point inside the arenas: evaluation relies on it.
	strs  []string
	nums  []int64
	guids []Guid
	// limits bound what the JSON decoder accepts.
	limits Limits
}

// Limits bound a request document: its size in bytes and the number of keys it holds (all
// attribute names and dictionary keys together). Zero means unlimited.
type Limits struct {
	MaxBytes   int
	MaxEntries int
}

// DefaultLimits are generous for Azure's attributes (a blob holds at most 10 index tags) and
// keep a hostile request from exhausting memory.
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxEntries: 1 << 20}

// SetLimits replaces the request's limits.
func (r *Vector) SetLimits(l Limits) { r.limits = l }

// NewVector returns an empty request over catalog c.
func NewVector(c *Catalog) *Vector {
	r := &Vector{cat: c, slots: make([]Slot, c.Len()), dicts: make([][]Entry, c.Len()), limits: DefaultLimits}
	for i := range c.attrs {
		if c.attrs[i].Dict != NotDict {
			r.dicts[i] = make([]Entry, 0, 4)
			r.dictIDs = append(r.dictIDs, ID(i))
		}
	}
	return r
}

// Catalog returns the catalog the request's ids refer to.
func (r *Vector) Catalog() *Catalog { return r.cat }

// Reset empties the request for reuse, keeping its storage.
func (r *Vector) Reset() {
	r.action, r.subOp, r.hasSubOp, r.actionFold, r.subOpFold = "", "", false, "", ""
	r.actionKey, r.operationKey = 0, 0
	clear(r.slots)
	for _, id := range r.dictIDs {
		clear(r.dicts[id]) // drop string references
		r.dicts[id] = r.dicts[id][:0]
	}
	clear(r.strs)
	r.strs, r.nums, r.guids = r.strs[:0], r.nums[:0], r.guids[:0]
}

// SetAction sets the request's action.
func (r *Vector) SetAction(action string) {
	r.action = action
	r.actionBuf = match.AppendFold(r.actionBuf[:0], action)
	r.actionFold = unsafe.String(unsafe.SliceData(r.actionBuf), len(r.actionBuf))
	r.actionKey = r.cat.ActionKey(r.actionFold)
	r.operationKey = r.cat.OperationKey(r.actionKey, r.hasSubOp, r.subOpFold)
}

// SetSubOperation sets the request's suboperation.
func (r *Vector) SetSubOperation(subOp string) {
	r.subOp, r.hasSubOp = subOp, true
	r.subOpBuf = match.AppendFold(r.subOpBuf[:0], subOp)
	r.subOpFold = unsafe.String(unsafe.SliceData(r.subOpBuf), len(r.subOpBuf))
	r.operationKey = r.cat.OperationKey(r.actionKey, true, r.subOpFold)
}

// Action returns the request's action.
func (r *Vector) Action() string { return r.action }

// ActionFolded returns the action under simple case folding (match.FoldString).
func (r *Vector) ActionFolded() string { return r.actionFold }

// OperationKey returns the catalog's key of the request's action and suboperation together
// (Catalog.OperationKey): 0 when the catalog does not list the action.
func (r *Vector) OperationKey() int32 { return r.operationKey }

// SubOp returns the request's suboperation ("" when it has none).
func (r *Vector) SubOp() string { return r.subOp }

// SubOpFolded returns the suboperation under simple case folding.
func (r *Vector) SubOpFolded() string { return r.subOpFold }

// HasSubOp reports whether the request has a suboperation.
func (r *Vector) HasSubOp() bool { return r.hasSubOp }

// Read access for evaluators. The slices alias the request's arenas: read them, never write.

// Slot returns the values of attribute id (for a dictionary: whether it is present).
func (r *Vector) Slot(id ID) Slot { return r.slots[id] }

// Entries returns the keys and values of dictionary id (nil for other attributes).
func (r *Vector) Entries(id ID) []Entry { return r.dicts[id] }

// Str returns string value i of the arena (a slot's values are at Off..Off+N).
func (r *Vector) Str(i uint32) string { return r.strs[i] }

// Num returns numeric value i of the arena.
func (r *Vector) Num(i uint32) int64 { return r.nums[i] }

// GuidAt returns GUID value i of the arena.
func (r *Vector) GuidAt(i uint32) Guid { return r.guids[i] }

// StrsOf returns the string values of s.
func (r *Vector) StrsOf(s Slot) []string { return r.strs[s.Off : s.Off+s.N] }

// NumsOf returns the integer, boolean or instant values of s.
func (r *Vector) NumsOf(s Slot) []int64 { return r.nums[s.Off : s.Off+s.N] }

// GuidsOf returns the GUID values of s.
func (r *Vector) GuidsOf(s Slot) []Guid { return r.guids[s.Off : s.Off+s.N] }

// Entry returns the slot of key in dictionary id; the slot is not Present if the dictionary or
// the key is missing. Keys are compared exactly (case-sensitive).
func (r *Vector) Entry(id ID, key string) Slot {
	for i := range r.dicts[id] {
		if r.dicts[id][i].Key == key {
			return r.dicts[id][i].Slot
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
	s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.strs)), N: uint32(len(vs))}
	r.strs = append(r.strs, vs...)
	return s
}

func (r *Vector) numSlot(kind Type, vs []int64) Slot {
	s := Slot{Present: true, Kind: kind, Off: uint32(len(r.nums)), N: uint32(len(vs))}
	r.nums = append(r.nums, vs...)
	return s
}

func (r *Vector) guidSlot(vs []Guid) Slot {
	s := Slot{Present: true, Kind: TypeGuid, Off: uint32(len(r.guids)), N: uint32(len(vs))}
	r.guids = append(r.guids, vs...)
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
	r.slots[id] = r.strSlot(vs)
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
	s := Slot{Present: true, Kind: TypeString, Off: uint32(len(r.strs)), N: 1}
	r.strs = append(r.strs, v)
	r.slots[id] = s
	return nil
}

// SetInts sets an Integer attribute.
func (r *Vector) SetInts(id ID, vs ...int64) error {
	if err := r.check(id, TypeInteger, false); err != nil {
		return err
	}
	r.slots[id] = r.numSlot(TypeInteger, vs)
	return nil
}

// SetBool sets a Boolean attribute.
func (r *Vector) SetBool(id ID, v bool) error {
	if err := r.check(id, TypeBoolean, false); err != nil {
		return err
	}
	s := Slot{Present: true, Kind: TypeBoolean, Off: uint32(len(r.nums)), N: 1}
	r.nums = append(r.nums, b2i(v))
	r.slots[id] = s
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
	s := Slot{Present: true, Kind: TypeDateTime, Off: uint32(len(r.nums)), N: uint32(len(vs))}
	for _, v := range vs {
		r.nums = append(r.nums, int64(v))
	}
	r.slots[id] = s
	return nil
}

// SetGuids sets a Guid attribute.
func (r *Vector) SetGuids(id ID, vs ...Guid) error {
	if err := r.check(id, TypeGuid, false); err != nil {
		return err
	}
	r.slots[id] = r.guidSlot(vs)
	return nil
}

// SetDict marks dictionary id present (with whatever keys are set on it), so that its key set
// exists even when empty.
func (r *Vector) SetDict(id ID) error {
	if r.cat.attrs[id].Dict == NotDict {
		return &SetError{Attr: &r.cat.attrs[id], Want: Untyped}
	}
	r.slots[id] = Slot{Present: true}
	return nil
}

// putEntry stores a dictionary entry, replacing an earlier one with the same key.
func (r *Vector) putEntry(id ID, key string, s Slot) {
	r.slots[id].Present = true
	for i := range r.dicts[id] {
		if r.dicts[id][i].Key == key {
			r.dicts[id][i].Slot = s
			return
		}
	}
	r.dicts[id] = append(r.dicts[id], Entry{Key: key, Slot: s})
}

// appendEntry stores an entry whose key the dictionary does not hold yet (the JSON decoder
// knows, from its record of keys given), without scanning the entries.
func (r *Vector) appendEntry(id ID, key string, s Slot) {
	r.slots[id].Present = true
	r.dicts[id] = append(r.dicts[id], Entry{Key: key, Slot: s})
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
	s := Slot{Present: true, Kind: TypeBoolean, Off: uint32(len(r.nums)), N: uint32(len(vs))}
	for _, v := range vs {
		r.nums = append(r.nums, b2i(v))
	}
	r.putEntry(id, key, s)
	return nil
}
