module github.com/abacc/abacc

go 1.26.8

require github.com/leanovate/gopter v0.2.11 // indirect
