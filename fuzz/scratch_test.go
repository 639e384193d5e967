package fuzz
import ("testing";"fmt";"time";"strings";"github.com/abacc/abacc";"github.com/abacc/abacc/compiler")
func TestScratchSuggest(t *testing.T){
 for _, n := range []int{5000, 10000, 20000} {
  name := "x:" + strings.Repeat("a", n)
  src := "@Resource[" + name + "] StringEquals 'a'"
  st := time.Now(); compiler.Frontend("x", src, compiler.Options{}); d1 := time.Since(st)
  js := `{"action":"a","resource":{"` + name + `":"v"}}`
  r := abacc.NewRequest()
  st = time.Now(); err := r.UnmarshalJSON([]byte(js)); d2 := time.Since(st)
  fmt.Println(n, len(src), d1, d2, err != nil)
 }
}
