module github.com/amt-hello/amt-hello/ffi/go

go 1.18
