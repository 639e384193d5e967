package fuzz
import ("testing";"fmt";"github.com/abacc/abacc/attrs")
func TestScratchDump(t *testing.T){
 for i,a:=range attrs.Default.Attributes(){ fmt.Println(i,a.Source,a.Name,a.Type,a.Multi,a.Dict) }
}
