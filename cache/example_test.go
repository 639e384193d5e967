package cache_test

import (
	"fmt"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/cache"
)

// A service that receives condition strings (with every role assignment it reads) compiles each
// distinct text once through the cache; invalid texts are cached as their errors.
func ExampleNew() {
	c, err := cache.New(16<<20, abacc.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	src := `@Environment[isPrivateLink] BoolEquals true`
	first, _ := c.Compile(src)
	c.Wait() // ristretto admits entries asynchronously
	second, _ := c.Compile(src)
	fmt.Println(first == second, c.Metrics().Hits, c.Metrics().Misses)
	// Output: true 1 1
}
