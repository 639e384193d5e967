module github.com/abacc/abacc/bench/peers

go 1.26.8

replace github.com/abacc/abacc => ../..
