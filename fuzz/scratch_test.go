package fuzz
import ("testing";"fmt";"math/rand";"time";"os";"github.com/abacc/abacc")
func TestScratchHunt(t *testing.T){
 r := rand.New(rand.NewSource(time.Now().UnixNano()))
 deadline := time.Now().Add(60*time.Second)
 n, found := 0, 0
 for time.Now().Before(deadline) {
  b := make([]byte, 32+r.Intn(300)); r.Read(b); if b[0]==rawMarker { b[0]=0 }
  c := decodeCase(b); n++
  opt, err := abacc.Compile(c.cond); if err != nil { continue }
  no, _ := abacc.CompileWith(c.cond, abacc.Options{NoOptimize:true})
  for _, q := range c.reqs {
   req := abacc.NewRequest()
   if c.setter { if _, err := q.apply(req); err != nil { continue } } else if req.UnmarshalJSON([]byte(q.JSON())) != nil { continue }
   if opt.Eval(req) != opt.EvalReference(req) || no.Eval(req) != opt.EvalReference(req) {
     found++
     if found == 1 { fmt.Printf("FOUND setter=%v\n%s\n", c.setter, c.cond); os.WriteFile("/tmp/hunt.bin", b, 0644) }
   }
  }
 }
 fmt.Println("inputs", n, "found", found)
}
