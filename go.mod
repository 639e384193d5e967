module github.com/abacc/abacc

go 1.26.8
