package ast

// Equal reports whether two trees are the same condition: same structure, operators and
// literal values, ignoring positions and how keywords were spelled (AND or &&, casing).
func Equal(a, b Node) bool {
	switch x := a.(type) {
	case *BinaryExpr:
		y, ok := b.(*BinaryExpr)
		return ok && x.Op == y.Op && Equal(x.X, y.X) && Equal(x.Y, y.Y)
	case *NotExpr:
		y, ok := b.(*NotExpr)
		return ok && x.Bang == y.Bang && Equal(x.X, y.X)
	case *ParenExpr:
		y, ok := b.(*ParenExpr)
		return ok && Equal(x.X, y.X)
	case *ExistsExpr:
		y, ok := b.(*ExistsExpr)
		return ok && x.Negated == y.Negated && Equal(x.Attr, y.Attr)
	case *MatchesExpr:
		y, ok := b.(*MatchesExpr)
		if !ok || x.Func != y.Func || len(x.Patterns) != len(y.Patterns) {
			return false
		}
		for i := range x.Patterns {
			if !Equal(x.Patterns[i], y.Patterns[i]) {
				return false
			}
		}
		return true
	case *Comparison:
		y, ok := b.(*Comparison)
		return ok && x.Op.Quant == y.Op.Quant && x.Op.Base == y.Op.Base && Equal(x.Left, y.Left) && Equal(x.Right, y.Right)
	case *AttrRef:
		y, ok := b.(*AttrRef)
		return ok && x.Source == y.Source && x.Name == y.Name
	case *Literal:
		y, ok := b.(*Literal)
		if !ok || x.Kind != y.Kind {
			return false
		}
		switch x.Kind {
		case StringLit:
			return x.Str == y.Str
		case IntLit:
			return x.Int == y.Int
		case BoolLit:
			return x.Bool == y.Bool
		}
		return x.Raw == y.Raw
	case *SetLit:
		y, ok := b.(*SetLit)
		if !ok || len(x.Elems) != len(y.Elems) {
			return false
		}
		for i := range x.Elems {
			if !Equal(x.Elems[i], y.Elems[i]) {
				return false
			}
		}
		return true
	case *PairLit:
		y, ok := b.(*PairLit)
		return ok && Equal(x.Lo, y.Lo) && Equal(x.Hi, y.Hi)
	case *BadExpr:
		_, ok := b.(*BadExpr)
		return ok
	}
	return false
}
