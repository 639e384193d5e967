package iac_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/abacc/abacc/internal/iac"
)

func Example() {
	src := []byte(`resource "azurerm_role_assignment" "reader" {
  scope     = var.scope
  condition = <<-EOT
    @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]
      StringEquals 'reports'
  EOT
}

resource "azurerm_role_assignment" "computed" {
  condition = templatefile("reader.tpl", {})
}
`)
	conds, notes, err := iac.Extract("main.tf", src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, c := range conds {
		off := strings.Index(c.Text, "StringEquals")
		line, col := c.Pos(off)
		fmt.Printf("%s %s: %q\n  StringEquals is at %s:%d:%d\n", c.Kind, c.Where, c.Text, c.File, line, col)
		lit, ok := c.Rewrite("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'")
		fmt.Printf("  rewritten: %v\n%s\n", ok, lit)
	}
	for _, n := range notes {
		fmt.Printf("%s:%d:%d: %s: %s\n", n.File, n.Line, n.Col, n.Where, n.Msg)
	}
	// Output:
	// terraform azurerm_role_assignment.reader: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]\n  StringEquals 'reports'\n"
	//   StringEquals is at main.tf:5:7
	//   rewritten: true
	// <<-EOT
	//     @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'
	//   EOT
	// main.tf:10:15: azurerm_role_assignment.computed: condition is computed by templatefile(...); not checkable statically
}
