package amthello

// #include <amt_hello.h>
import "C"

import (
	"fmt"
	"unsafe"
)

// layout is what cgo made of the header's structs this package uses and of its constants, in
// ffi/c/layout.c's line format (name → value): the test compares it with that helper's output,
// both ways, so a header this package was not written for fails it. (cgo cannot be used in
// _test.go files, hence here.)
func layout() map[string]string {
	m := map[string]string{}
	field := func(name string, offset, size uintptr) { m[name] = fmt.Sprintf("%d %d", offset, size) }
	size := func(name string, size uintptr) { m[name+".size"] = fmt.Sprint(size) }

	var v C.AmtHelloView
	size("AmtHelloView", unsafe.Sizeof(v))
	field("AmtHelloView.bytes", unsafe.Offsetof(v.bytes), unsafe.Sizeof(v.bytes))
	field("AmtHelloView.len", unsafe.Offsetof(v.len), unsafe.Sizeof(v.len))
	field("AmtHelloView.version", unsafe.Offsetof(v.version), unsafe.Sizeof(v.version))
	field("AmtHelloView.admin_credentials_set", unsafe.Offsetof(v.admin_credentials_set), unsafe.Sizeof(v.admin_credentials_set))
	field("AmtHelloView.retry_count", unsafe.Offsetof(v.retry_count), unsafe.Sizeof(v.retry_count))
	field("AmtHelloView.hash_count", unsafe.Offsetof(v.hash_count), unsafe.Sizeof(v.hash_count))
	field("AmtHelloView.uniform_digest_len", unsafe.Offsetof(v.uniform_digest_len), unsafe.Sizeof(v.uniform_digest_len))

	var e C.AmtHelloError
	size("AmtHelloError", unsafe.Sizeof(e))
	field("AmtHelloError.kind", unsafe.Offsetof(e.kind), unsafe.Sizeof(e.kind))
	field("AmtHelloError.offset", unsafe.Offsetof(e.offset), unsafe.Sizeof(e.offset))
	field("AmtHelloError.found", unsafe.Offsetof(e.found), unsafe.Sizeof(e.found))
	field("AmtHelloError.needed", unsafe.Offsetof(e.needed), unsafe.Sizeof(e.needed))
	field("AmtHelloError.needed_is_exact", unsafe.Offsetof(e.needed_is_exact), unsafe.Sizeof(e.needed_is_exact))
	field("AmtHelloError.code", unsafe.Offsetof(e.code), unsafe.Sizeof(e.code))

	var it C.AmtHelloHashIter
	size("AmtHelloHashIter", unsafe.Sizeof(it))
	field("AmtHelloHashIter.bytes", unsafe.Offsetof(it.bytes), unsafe.Sizeof(it.bytes))
	field("AmtHelloHashIter.len", unsafe.Offsetof(it.len), unsafe.Sizeof(it.len))
	field("AmtHelloHashIter.offset", unsafe.Offsetof(it.offset), unsafe.Sizeof(it.offset))
	field("AmtHelloHashIter.remaining", unsafe.Offsetof(it.remaining), unsafe.Sizeof(it.remaining))

	var h C.AmtHelloCertHash
	size("AmtHelloCertHash", unsafe.Sizeof(h))
	field("AmtHelloCertHash.code", unsafe.Offsetof(h.code), unsafe.Sizeof(h.code))
	field("AmtHelloCertHash.len", unsafe.Offsetof(h.len), unsafe.Sizeof(h.len))
	field("AmtHelloCertHash.digest", unsafe.Offsetof(h.digest), unsafe.Sizeof(h.digest))

	var s C.AmtHelloSchedule
	size("AmtHelloSchedule", unsafe.Sizeof(s))
	field("AmtHelloSchedule.window_ms", unsafe.Offsetof(s.window_ms), unsafe.Sizeof(s.window_ms))
	field("AmtHelloSchedule.next", unsafe.Offsetof(s.next), unsafe.Sizeof(s.next))

	var a C.AmtHelloAttempt
	size("AmtHelloAttempt", unsafe.Sizeof(a))
	field("AmtHelloAttempt.number", unsafe.Offsetof(a.number), unsafe.Sizeof(a.number))
	field("AmtHelloAttempt.at_ms", unsafe.Offsetof(a.at_ms), unsafe.Sizeof(a.at_ms))
	field("AmtHelloAttempt.delay_ms", unsafe.Offsetof(a.delay_ms), unsafe.Sizeof(a.delay_ms))
	field("AmtHelloAttempt.retry_count", unsafe.Offsetof(a.retry_count), unsafe.Sizeof(a.retry_count))
	field("AmtHelloAttempt.is_last", unsafe.Offsetof(a.is_last), unsafe.Sizeof(a.is_last))

	// The message struct only for the UUID and PID lengths this package takes from it.
	var msg C.AmtHelloMessage
	field("AmtHelloMessage.uuid", unsafe.Offsetof(msg.uuid), unsafe.Sizeof(msg.uuid))
	field("AmtHelloMessage.pid", unsafe.Offsetof(msg.pid), unsafe.Sizeof(msg.pid))

	for name, value := range map[string]uint64{
		"AMT_HELLO_MESSAGE_SIZE":            C.AMT_HELLO_MESSAGE_SIZE,
		"AMT_HELLO_UUID_TEXT_SIZE":          C.AMT_HELLO_UUID_TEXT_SIZE,
		"AMT_HELLO_PID_TEXT_SIZE":           C.AMT_HELLO_PID_TEXT_SIZE,
		"AMT_HELLO_STATUS_OK":               C.AMT_HELLO_STATUS_OK,
		"AMT_HELLO_STATUS_INCOMPLETE":       C.AMT_HELLO_STATUS_INCOMPLETE,
		"AMT_HELLO_STATUS_BUFFER_TOO_SMALL": C.AMT_HELLO_STATUS_BUFFER_TOO_SMALL,
	} {
		m[name] = fmt.Sprint(value)
	}
	return m
}
