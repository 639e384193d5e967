package attrs

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/abacc/abacc/internal/match"
)

// ID is the dense interned id of a catalog attribute: its index in the request vector.
type ID uint16

// DictForm says how a dictionary attribute's entries are selected in a condition.
type DictForm uint8

// Dictionary forms.
const (
	// NotDict marks a plain attribute.
	NotDict DictForm = iota
	// DictTagged is read as `NAME:KEY<$key_case_sensitive$>` (value under KEY) and
	// `NAME&$keys$&` (the set of keys): blob index tags.
	DictTagged
	// DictPlain is read as `NAME:KEY`: container metadata and custom security attributes.
	DictPlain
)

// Attribute describes one attribute (or one dictionary of attributes) of the catalog.
type Attribute struct {
	Source Source
	// Name is the text between the brackets of @Source[...]; for a dictionary, the part before
	// its key selector.
	Name string
	// Type is the value type; Untyped lets the operators that use the attribute decide.
	Type Type
	// Multi reports a multi-valued attribute (a set of values).
	Multi bool
	// Dict is NotDict for a plain attribute, otherwise how keys are selected.
	Dict DictForm
	// Title is Azure's display name of the attribute.
	Title string
	// Service names the Azure service that defines it.
	Service string
	// Actions lists the actions whose requests supply the attribute; patterns may use Azure's
	// `*` wildcard. Empty means every action (environment and principal attributes).
	Actions []string
}

// Action describes an Azure action that conditions can target.
type Action struct {
	Name          string
	Title         string
	Service       string
	SubOperations []string
}

// Catalog is an immutable table of attributes with their ids.
type Catalog struct {
	attrs   []Attribute
	byKey   map[string]ID // source + "\x00" + lower-case name
	actions []Action
	// actionKeys maps each action's folded name to its key (index + 1), so that a request
	// resolves its action once when it is set and evaluators test it by number.
	actionKeys map[string]int32
	// foldedActions[key] is the folded name of the action with that key ("" for key 0).
	foldedActions []string
	// operations lists every operation a request can present by its key (see Operation);
	// firstOperation[action key] is the key of that action's operation without suboperation,
	// followed by one per listed suboperation (foldedSubOps[action key], in order) and one for
	// any other suboperation.
	operations     []Operation
	firstOperation []int32
	foldedSubOps   [][]string

	// suppliers[id] is the set of catalog actions (bit i: actions[i]) whose requests supply
	// attribute id, and byFolded finds actions by match.FoldString of their names; both are
	// built on first use (see SuppliesAny and MatchActions).
	suppliersOnce sync.Once
	suppliers     []ActionSet
	byFolded      map[string][]int

	// names is the request decoder's name index (indexOf), which find uses too.
	namesOnce sync.Once
	names     *nameIndex
}

// Default is the catalog of Azure's documented attributes (see catalog_data.go).
var Default = NewCatalog(azureAttributes, azureActions)

// NewCatalog builds a catalog; the ids are the indexes in attrs. It panics on a duplicate entry,
// which is a programming error in the static tables.
func NewCatalog(attrs []Attribute, actions []Action) *Catalog {
	c := &Catalog{attrs: attrs, byKey: make(map[string]ID, len(attrs)), actions: actions}
	for i, a := range attrs {
		k := catalogKey(a.Source, a.Name)
		if _, dup := c.byKey[k]; dup {
			panic(fmt.Sprintf("attrs: duplicate catalog entry @%s[%s]", a.Source, a.Name))
		}
		c.byKey[k] = ID(i)
	}
	c.actionKeys = make(map[string]int32, len(actions))
	c.foldedActions = make([]string, len(actions)+1)
	c.firstOperation = make([]int32, len(actions)+1)
	c.foldedSubOps = make([][]string, len(actions)+1)
	c.operations = []Operation{{}} // key 0: an action the catalog does not list
	for i, a := range actions {
		key := int32(i + 1)
		c.foldedActions[key] = match.FoldString(a.Name)
		c.actionKeys[c.foldedActions[key]] = key
		c.firstOperation[key] = int32(len(c.operations))
		c.operations = append(c.operations, Operation{Action: key, SubOp: NoSubOp})
		for _, s := range a.SubOperations {
			f := match.FoldString(s)
			c.foldedSubOps[key] = append(c.foldedSubOps[key], f)
			c.operations = append(c.operations, Operation{Action: key, SubOp: KnownSubOp, SubOpFolded: f})
		}
		c.operations = append(c.operations, Operation{Action: key, SubOp: OtherSubOp})
	}
	return c
}

// Operation is what a request asks to do, as far as ActionMatches and SubOperationMatches can
// tell: a catalog action with no suboperation, with one the catalog lists for it, or with any
// other. A request resolves its operation to a key once, when its action and suboperation are
// set (Vector.OperationKey), so that an evaluator can decide every action and suboperation test
// of a program ahead of time, per key.
type Operation struct {
	// Action is the catalog's key of the action (ActionKey); 0 for the operation of key 0, an
	// action the catalog does not list, about which nothing is known.
	Action int32
	// SubOp says what is known of the suboperation.
	SubOp SubOpKind
	// SubOpFolded is the suboperation's folded name when SubOp is KnownSubOp.
	SubOpFolded string
}

// SubOpKind is what an Operation knows of the request's suboperation.
type SubOpKind uint8

// The kinds of suboperation an Operation stands for.
const (
	// NoSubOp: the request has no suboperation.
	NoSubOp SubOpKind = iota
	// KnownSubOp: the suboperation is the one in Operation.SubOpFolded.
	KnownSubOp
	// OtherSubOp: the request has a suboperation the catalog does not list for the action.
	OtherSubOp
)

// Operations returns every operation by key (Vector.OperationKey); callers must not modify it.
func (c *Catalog) Operations() []Operation { return c.operations }

// OperationKey returns the key of the operation of a request with the catalog action of key
// action (0 for none) and, when hasSubOp, the suboperation whose folded name is subOpFolded.
func (c *Catalog) OperationKey(action int32, hasSubOp bool, subOpFolded string) int32 {
	if action <= 0 || int(action) >= len(c.firstOperation) {
		return 0
	}
	first := c.firstOperation[action]
	if !hasSubOp {
		return first
	}
	subs := c.foldedSubOps[action]
	for i, s := range subs {
		if s == subOpFolded {
			return first + 1 + int32(i)
		}
	}
	return first + 1 + int32(len(subs))
}

// ActionKey returns the key of the catalog action whose folded name is folded: its index in
// Actions plus one, or 0 when the catalog has no such action.
func (c *Catalog) ActionKey(folded string) int32 { return c.actionKeys[folded] }

// FoldedActionNames returns the folded name of every catalog action by key (index 0, no
// action, is ""); callers must not modify it.
func (c *Catalog) FoldedActionNames() []string { return c.foldedActions }

func catalogKey(s Source, name string) string { return s.String() + "\x00" + strings.ToLower(name) }

// find looks catalogKey(src, name) up. The compiler resolves every attribute reference this
// way, so an ASCII name is looked up as the request decoder does (the catalog's spelling, then
// ASCII case folding, in the name index), and other names with a key built on the stack.
func (c *Catalog) find(src Source, name string) (ID, bool) {
	if src <= Environment && isASCII(name) {
		c.namesOnce.Do(func() { c.names = indexOf(c) })
		b := unsafe.Slice(unsafe.StringData(name), len(name)) // only read
		if id, ok := c.names.exact[src].find(b); ok {
			return id, true
		}
		return c.names.folded[src].find(b)
	}
	var buf [128]byte
	k := append(buf[:0], src.String()...)
	k = append(k, 0)
	for i := 0; i < len(name); i++ {
		b := name[i]
		if b >= utf8.RuneSelf {
			id, ok := c.byKey[catalogKey(src, name)]
			return id, ok
		}
		if 'A' <= b && b <= 'Z' { // strings.ToLower of an ASCII string
			b += 'a' - 'A'
		}
		k = append(k, b)
	}
	id, ok := c.byKey[string(k)]
	return id, ok
}

// Len is the number of attributes, and so the length of a request vector.
func (c *Catalog) Len() int { return len(c.attrs) }

// Attr returns the attribute with the given id.
func (c *Catalog) Attr(id ID) *Attribute { return &c.attrs[id] }

// Attributes returns the catalog's attributes in id order; callers must not modify them.
func (c *Catalog) Attributes() []Attribute { return c.attrs }

// Actions returns the catalog's actions; callers must not modify them.
func (c *Catalog) Actions() []Action { return c.actions }

// Selector says which part of an attribute a reference reads.
type Selector uint8

// Selectors.
const (
	// SelValue reads a plain attribute's value(s).
	SelValue Selector = iota
	// SelKey reads the value under one key of a dictionary.
	SelKey
	// SelKeys reads the set of keys of a dictionary.
	SelKeys
)

// Ref is an attribute reference resolved against the catalog.
type Ref struct {
	ID  ID
	Sel Selector
	// Key is the dictionary key for SelKey.
	Key string
	// Type is the type of the values read (Untyped when the operator decides).
	Type Type
	// Multi is true when the reference is known to read a set; MaybeMulti when it may.
	Multi, MaybeMulti bool
}

// ResolveError explains why a reference did not resolve.
type ResolveError struct {
	Msg  string
	Hint string
}

func (e *ResolveError) Error() string { return e.Msg }

// KeySuffix is the suffix that marks a case-sensitive dictionary key in a tag selector.
const KeySuffix = "<$key_case_sensitive$>"

// KeysSuffix selects the set of keys of a tag dictionary.
const KeysSuffix = "&$keys$&"

// Resolve resolves `@src[name]`. A name outside the catalog gives a *ResolveError with a
// suggestion where one is close.
func (c *Catalog) Resolve(src Source, name string) (Ref, error) {
	ref, err := c.resolve(src, name)
	if err == errNotFound {
		return Ref{}, c.unknown(src, name)
	}
	return ref, err
}

var errNotFound = &ResolveError{Msg: "not found"}

// resolve looks a name up without building suggestions; errNotFound means no entry matched.
func (c *Catalog) resolve(src Source, name string) (Ref, error) {
	if id, ok := c.find(src, name); ok {
		a := &c.attrs[id]
		if a.Dict != NotDict {
			return Ref{}, &ResolveError{
				Msg:  fmt.Sprintf("@%s[%s] is a dictionary and needs a key", src, a.Name),
				Hint: "write " + dictExample(src, a),
			}
		}
		return Ref{ID: id, Type: a.Type, Multi: a.Multi, MaybeMulti: a.Multi}, nil
	}
	// Dictionary selectors: NAME:KEY... and NAME&$keys$&.
	if strings.HasSuffix(name, KeysSuffix) {
		base := name[:len(name)-len(KeysSuffix)]
		if id, ok := c.find(src, base); ok && c.attrs[id].Dict == DictTagged {
			return Ref{ID: id, Sel: SelKeys, Type: TypeString, Multi: true, MaybeMulti: true}, nil
		}
	}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		if id, ok := c.find(src, name[:i]); ok {
			a := &c.attrs[id]
			key := name[i+1:]
			switch a.Dict {
			case DictTagged:
				if !strings.HasSuffix(key, KeySuffix) {
					return Ref{}, &ResolveError{
						Msg:  fmt.Sprintf("tag key %q lacks the %s marker", key, KeySuffix),
						Hint: fmt.Sprintf("write @%s[%s:%s%s]", src, a.Name, key, KeySuffix),
					}
				}
				key = key[:len(key)-len(KeySuffix)]
				fallthrough
			case DictPlain:
				if key == "" {
					return Ref{}, &ResolveError{Msg: "empty dictionary key", Hint: "write " + dictExample(src, a)}
				}
				return Ref{ID: id, Sel: SelKey, Key: key, Type: a.Type, Multi: a.Multi, MaybeMulti: a.Multi || a.Type == Untyped}, nil
			}
		}
	}
	return Ref{}, errNotFound
}

func dictExample(src Source, a *Attribute) string {
	if a.Dict == DictTagged {
		return fmt.Sprintf("@%s[%s:KEY%s] or @%s[%s%s]", src, a.Name, KeySuffix, src, a.Name, KeysSuffix)
	}
	return fmt.Sprintf("@%s[%s:KEY]", src, a.Name)
}

// unknown builds the error for a name outside the catalog: the attribute under another source,
// else the closest name.
func (c *Catalog) unknown(src Source, name string) error {
	for _, other := range Sources {
		if other == src {
			continue
		}
		if _, err := c.resolve(other, name); err == nil {
			return &ResolveError{
				Msg:  fmt.Sprintf("%s is not a %s attribute", name, src),
				Hint: fmt.Sprintf("did you mean @%s[%s]?", other, name),
			}
		}
	}
	e := &ResolveError{Msg: fmt.Sprintf("unknown attribute @%s[%s]", src, name)}
	if s := c.Suggest(src, name); s != "" {
		e.Hint = fmt.Sprintf("did you mean @%s[%s]?", src, s)
	}
	return e
}

// Suggest returns the catalog name of the given source closest to name, or "" if none is close.
func (c *Catalog) Suggest(src Source, name string) string {
	if len(name) > 1024 {
		return "" // no attribute name is that long; don't spend time on a hostile one
	}
	var cands []string
	for _, a := range c.attrs {
		if a.Source != src {
			continue
		}
		switch a.Dict {
		case NotDict:
			cands = append(cands, a.Name)
		case DictTagged:
			cands = append(cands, a.Name+KeysSuffix)
			if i := strings.IndexByte(name, ':'); i >= 0 {
				cands = append(cands, a.Name+name[i:])
			}
		case DictPlain:
			if i := strings.IndexByte(name, ':'); i >= 0 {
				cands = append(cands, a.Name+name[i:])
			}
		}
	}
	return Closest(name, cands)
}

// Closest returns the candidate nearest to s by case-insensitive edit distance, if the distance
// is small relative to the length; otherwise "".
func Closest(s string, cands []string) string {
	limit := min(len(s)/3+1, 8)
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range cands {
		// Lengths further apart than the limit cannot be close; skipping them keeps hostile
		// long names from costing a quadratic edit distance each.
		if d := len(c) - len(s); d > limit || -d > limit {
			continue
		}
		d := editDistance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if bestD == 0 || bestD > limit {
		if bestD == 0 {
			return best
		}
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance over bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Lookup finds the catalog entry of a request-JSON key (the name as written between brackets) in
// the given source, including dictionaries given by their selector names.
func (c *Catalog) Lookup(src Source, name string) (ID, bool) {
	return c.find(src, name)
}

// Supplies reports whether a request for action supplies attribute id, using Azure's wildcard
// rule for the catalog's action patterns.
func (c *Catalog) Supplies(id ID, action string) bool {
	a := &c.attrs[id]
	if len(a.Actions) == 0 {
		return true
	}
	for _, p := range a.Actions {
		if ActionPatternMatch(p, action) {
			return true
		}
	}
	return false
}

// ActionSet is a set of catalog actions: bit i stands for Actions()[i].
type ActionSet []uint64

// NewActionSet returns an empty set sized for the catalog's actions.
func (c *Catalog) NewActionSet() ActionSet { return make(ActionSet, (len(c.actions)+63)/64) }

// Add puts catalog action i in the set.
func (s ActionSet) Add(i int) { s[i/64] |= 1 << (i % 64) }

// SuppliesAny reports whether a request for any action of set supplies attribute id: whether
// Supplies(id, a.Name) holds for some catalog action a in set. The answers for every pair are
// computed once per catalog, so a compilation pays no pattern matching for them.
func (c *Catalog) SuppliesAny(id ID, set ActionSet) bool {
	c.suppliersOnce.Do(c.indexActions)
	for i, w := range c.suppliers[id] {
		if w&set[i] != 0 {
			return true
		}
	}
	return false
}

// indexActions builds suppliers and byFolded.
func (c *Catalog) indexActions() {
	c.suppliers = make([]ActionSet, len(c.attrs))
	for i := range c.attrs {
		bits := c.NewActionSet()
		for j, a := range c.actions {
			if c.Supplies(ID(i), a.Name) {
				bits.Add(j)
			}
		}
		c.suppliers[i] = bits
	}
	c.byFolded = make(map[string][]int, len(c.actions))
	for j, a := range c.actions {
		f := match.FoldString(a.Name)
		c.byFolded[f] = append(c.byFolded[f], j)
	}
}

// MatchActions adds to set the catalog actions that match an action pattern
// (ActionPatternMatch) and reports whether there was any. A pattern without `*` matches the
// actions whose names fold as it does, which an index finds without comparing every name.
func (c *Catalog) MatchActions(pattern string, set ActionSet) bool {
	if strings.IndexByte(pattern, '*') < 0 {
		c.suppliersOnce.Do(c.indexActions)
		var buf [128]byte
		folded := match.AppendFold(buf[:0], pattern)
		for _, j := range c.byFolded[string(folded)] {
			set.Add(j)
		}
		return len(c.byFolded[string(folded)]) > 0
	}
	matched := false
	for j, a := range c.actions {
		if ActionPatternMatch(pattern, a.Name) {
			set.Add(j)
			matched = true
		}
	}
	return matched
}

// ActionPatternMatch reports whether action matches an Azure permission pattern: the whole
// string, `*` any run of characters, under Unicode simple case folding. It is match.Action, the
// VM's rule, so that the checker, the linter and the VM agree on every action.
func ActionPatternMatch(pattern, action string) bool { return match.Action(pattern, action) }

// ActionNames returns every catalog action name, sorted.
func (c *Catalog) ActionNames() []string {
	names := make([]string, len(c.actions))
	for i, a := range c.actions {
		names[i] = a.Name
	}
	sort.Strings(names)
	return names
}
