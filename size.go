package abacc

import (
	"reflect"
	"unsafe"
)

// SizeEstimate returns an estimate, in bytes, of the memory the program keeps alive: the
// program itself, its condition text, bytecode (with its constant pools, spans and the tables
// derived from it) and diagnostics, and its syntax tree once an explanation, Format or the
// reference interpreter has parsed it again. It walks everything reachable from the program
// once, counting each allocation once (rounded up to the Go allocator's size classes) and
// strings that point into the condition text not at all. Memory shared with other programs (the attribute catalog) is
// not reachable from a program and not counted. The Cache charges this as an entry's cost.
func (p *Program) SizeEstimate() int {
	if p == nil {
		return 0
	}
	return estimateSize(p, p.src)
}

// estimateSize estimates the heap memory reachable from root (a pointer). Strings whose bytes
// lie inside text are not counted beyond text itself, counted once here.
func estimateSize(root any, text string) int {
	w := &sizeWalker{seen: map[uintptr]bool{}, ptrs: map[reflect.Type]bool{}}
	if len(text) > 0 {
		w.textLo = uintptr(unsafe.Pointer(unsafe.StringData(text)))
		w.textHi = w.textLo + uintptr(len(text))
		w.seen[w.textLo] = true
		w.total += allocSize(len(text))
	}
	w.value(reflect.ValueOf(&root).Elem())
	return w.total
}

type sizeWalker struct {
	total          int
	seen           map[uintptr]bool // start addresses of allocations already counted
	ptrs           map[reflect.Type]bool
	textLo, textHi uintptr
}

// value adds the memory v refers to (not v's own bytes, which its container counted).
func (w *sizeWalker) value(v reflect.Value) {
	if !w.hasPointers(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !w.first(v.Pointer()) {
			return
		}
		w.total += allocSize(int(v.Type().Elem().Size()))
		w.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer || e.Kind() == reflect.Map || e.Kind() == reflect.Chan || e.Kind() == reflect.Func || e.Kind() == reflect.UnsafePointer {
			w.value(e) // stored in the interface word itself
			return
		}
		// Other dynamic values are boxed (small scalars may be interned by the runtime;
		// counting them is a slight overestimate).
		w.total += allocSize(int(e.Type().Size()))
		w.value(e)
	case reflect.String:
		s := v.String()
		if len(s) == 0 {
			return
		}
		d := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		if d >= w.textLo && d < w.textHi || !w.first(d) {
			return
		}
		w.total += allocSize(len(s))
	case reflect.Slice:
		if v.Cap() == 0 || !w.first(v.Pointer()) {
			return
		}
		w.total += allocSize(v.Cap() * int(v.Type().Elem().Size()))
		if w.hasPointers(v.Type().Elem()) {
			for i := 0; i < v.Len(); i++ {
				w.value(v.Index(i))
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			w.value(v.Index(i))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			w.value(v.Field(i))
		}
	case reflect.Map:
		if v.IsNil() || !w.first(v.Pointer()) {
			return
		}
		// Buckets hold keys and values with about 1/8 slack, plus a control byte per slot.
		slot := int(v.Type().Key().Size()+v.Type().Elem().Size()) + 1
		w.total += allocSize(v.Len()*slot*9/8 + 48)
		it := v.MapRange()
		for it.Next() {
			w.value(it.Key())
			w.value(it.Value())
		}
	}
	// Chan, Func and UnsafePointer: not owned by a program; not counted.
}

// first reports whether the allocation at addr is met for the first time.
func (w *sizeWalker) first(addr uintptr) bool {
	if addr == 0 || w.seen[addr] {
		return false
	}
	w.seen[addr] = true
	return true
}

// hasPointers reports whether values of t can refer to other memory.
func (w *sizeWalker) hasPointers(t reflect.Type) bool {
	if r, ok := w.ptrs[t]; ok {
		return r
	}
	w.ptrs[t] = true // recursive types refer to memory
	r := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.String, reflect.Slice, reflect.Map:
		r = true
	case reflect.Array:
		r = t.Len() > 0 && w.hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField() && !r; i++ {
			r = w.hasPointers(t.Field(i).Type)
		}
	}
	w.ptrs[t] = r
	return r
}

// allocSize rounds n up to the size the Go allocator hands out for it: its size classes up to
// 32 KiB, whole 8 KiB pages above.
func allocSize(n int) int {
	if n <= 0 {
		return 0
	}
	if n > sizeClasses[len(sizeClasses)-1] {
		return (n + 8191) &^ 8191
	}
	lo, hi := 0, len(sizeClasses)-1
	for lo < hi {
		m := (lo + hi) / 2
		if sizeClasses[m] < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return sizeClasses[lo]
}

// sizeClasses are the Go runtime's small-object size classes (runtime/sizeclasses.go).
var sizeClasses = [...]int{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240,
	256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408,
	1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192,
	9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
	28672, 32768}

// ErrorSize estimates the memory a compile error keeps alive (its diagnostics and their
// rendered text), for caches that keep errors beside programs.
func ErrorSize(err error) int {
	if err == nil {
		return 0
	}
	return estimateSize(err, "")
}
