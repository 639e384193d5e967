module github.com/abacc/abacc

go 1.26.8

require (
	github.com/klauspost/compress v1.20.4
	github.com/leanovate/gopter v0.2.11
)
