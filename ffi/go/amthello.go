// Package amthello decodes the Intel AMT Setup-Mode Hello message through amt-hello's C ABI
// (libamt_hello, found with pkg-config: `make -C ffi install PREFIX=…` installs it and
// amt-hello.pc; set PKG_CONFIG_PATH to PREFIX/lib/pkgconfig if that is not a system prefix).
//
// Everything it returns is a Go copy: no value points into C memory or into the caller's
// slice, and the caller's slice is never handed to C.
package amthello

// cgo links what pkg-config names (-lamt_hello): the shared library where it is installed (so
// LD_LIBRARY_PATH must find it outside the system's directories), else the static one.

/*
#cgo pkg-config: amt-hello
#include <stdlib.h>
#include <amt_hello.h>
*/
import "C"

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"time"
	"unsafe"
)

// Lengths from the header: its buffer sizes, and the raw UUID's and PID's as its struct for
// encoding declares them.
const (
	messageSize = C.AMT_HELLO_MESSAGE_SIZE
	uuidLen     = len(C.AmtHelloMessage{}.uuid)
	pidLen      = len(C.AmtHelloMessage{}.pid)
	nameSize    = 16 // a first guess for an algorithm's name: text() asks again if it is short
)

// A CertHash is one root-certificate hash of a PKI Hello.
type CertHash struct {
	// Code is the algorithm's wire code (1 SHA-1, 2 SHA-256, 3 SHA-384 or SHA-512).
	Code uint8
	// Algorithm is its name: sha1, sha256, sha384, sha512, or unknown(CODE) (lenient only).
	Algorithm string
	// Digest is the hash's bytes.
	Digest []byte
}

// A Hello is a parsed Hello message, copied out of the C library.
type Hello struct {
	// Len is the message's length in bytes.
	Len int
	// Version is the interface version: 2 (PSK, with a PID) or 3 (PKI, with certificate hashes).
	Version uint16
	// AdminCredentialsSet is false when the BIOS is localized: the SCA must set new credentials.
	AdminCredentialsSet bool
	// RetryCount is 0 to 14, or any value under the lenient policy.
	RetryCount uint32
	// UUID is the 16 raw bytes, in wire order.
	UUID [uuidLen]byte
	// GUID is the UUID's text, e.g. 33221100-5544-7766-8899-aabbccddeeff.
	GUID string
	// PID is the Provisioning ID's 8 bytes (PSK); nil for PKI.
	PID []byte
	// PIDText is the PID as ABCD-1234 (odd bytes as \xNN); "" for PKI.
	PIDText string
	// CertHashes are the hashes in the device's order (PKI); empty for PSK.
	CertHashes []CertHash
}

// A DecodeError says why bytes are not a Hello. Its message is the Rust crate's (and
// `amt-hello decode`'s, after "error: ").
type DecodeError struct {
	// Kind is the snake_case name of the error: truncated, invalid_pid, trailing_bytes, …
	Kind string
	// Offset is the byte offset of the offending field.
	Offset int
	// Found is the value found there (truncated: the bytes present).
	Found uint64
	// Needed is the length the message needs (truncated), where known; 0 otherwise.
	Needed int
	// NeededIsExact says whether Needed is exact (otherwise a lower bound).
	NeededIsExact bool
	// Code is the algorithm code of a hash_length_mismatch.
	Code    uint8
	message string
}

func (e *DecodeError) Error() string { return e.message }

// Parse decodes b as one whole Hello. lenient accepts what the lenient policy does (retry
// counts above 14, odd PID bytes, unknown hash algorithms). Errors are *DecodeError.
func Parse(b []byte, lenient bool) (*Hello, error) {
	h, _, err := decode(b, lenient, false)
	return h, err
}

// Frame looks for a whole Hello at the front of b, the bytes a stream has delivered so far.
// A whole one: h describes it and needed is h.Len (its first h.Len bytes; what follows is not
// part of it). A valid prefix of one: h and err are nil and needed is the length the message
// needs in all (at least; read more and call again). Otherwise err is a *DecodeError: the
// bytes can never become a Hello.
func Frame(b []byte, lenient bool) (h *Hello, needed int, err error) {
	return decode(b, lenient, true)
}

// decode is Parse and Frame. The view the C library fills holds a pointer to the bytes it
// parsed, and every later call reads through it: cgo forbids passing Go memory that holds a
// Go pointer ("Go pointer to Go pointer" panic), and Go 1.19 has no runtime.Pinner, so the
// bytes are copied into C memory, everything is copied out into Go values, and the C copy is
// freed before returning.
func decode(b []byte, lenient, frame bool) (*Hello, int, error) {
	// SAFETY: C.CBytes copies b into memory from C's malloc, which the Go GC neither moves nor
	// frees; it is freed on every path by the deferred free, after the last call that reads it.
	cbytes := (*C.uint8_t)(C.CBytes(b))
	defer C.free(unsafe.Pointer(cbytes))
	var view C.AmtHelloView
	var cerr C.AmtHelloError
	var status C.AmtHelloStatus
	if frame {
		status = C.amt_hello_frame(cbytes, C.size_t(len(b)), C.bool(lenient), &view, &cerr)
	} else {
		status = C.amt_hello_parse(cbytes, C.size_t(len(b)), C.bool(lenient), &view, &cerr)
	}
	switch status {
	case C.AMT_HELLO_STATUS_OK:
	case C.AMT_HELLO_STATUS_INCOMPLETE:
		return nil, int(cerr.needed), nil
	default:
		return nil, 0, newDecodeError(&cerr)
	}
	h, err := copyHello(&view)
	if err != nil {
		return nil, 0, err
	}
	return h, h.Len, nil
}

func newDecodeError(cerr *C.AmtHelloError) *DecodeError {
	return &DecodeError{
		Kind:          statusName(C.AmtHelloStatus(cerr.kind)),
		Offset:        int(cerr.offset),
		Found:         uint64(cerr.found),
		Needed:        int(cerr.needed),
		NeededIsExact: bool(cerr.needed_is_exact),
		Code:          uint8(cerr.code),
		message: text(messageSize, func(out *C.char, size C.size_t, n *C.size_t) C.AmtHelloStatus {
			return C.amt_hello_error_message(cerr, out, size, n)
		}),
	}
}

// statusName is the ABI's snake_case name of a status ("" for none).
func statusName(status C.AmtHelloStatus) string {
	// The name is a static string of the library's: C.GoString copies it.
	return C.GoString(C.amt_hello_status_name(C.uint32_t(status)))
}

// callError turns a status from a call on a valid view (which cannot fail) into an error.
func callError(status C.AmtHelloStatus) error {
	if status == C.AMT_HELLO_STATUS_OK {
		return nil
	}
	var cerr C.AmtHelloError
	cerr.kind = C.uint32_t(status)
	return newDecodeError(&cerr)
}

// text calls one of the ABI's text functions with a Go buffer of size bytes, and once more
// with the size it asks for if that is short, and returns the text ("" if the call fails).
func text(size int, call func(out *C.char, size C.size_t, n *C.size_t) C.AmtHelloStatus) string {
	for {
		buf := make([]byte, size)
		var n C.size_t
		// SAFETY: buf is Go memory holding no Go pointers, which cgo lets C write for the
		// call's duration; the call writes at most size bytes and keeps no pointer to it.
		switch call((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(size), &n) {
		case C.AMT_HELLO_STATUS_OK:
			return string(buf[:n])
		case C.AMT_HELLO_STATUS_BUFFER_TOO_SMALL:
			if int(n) >= size {
				size = int(n) + 1
				continue
			}
		}
		return ""
	}
}

// copyHello copies everything a valid view describes into Go values.
func copyHello(view *C.AmtHelloView) (*Hello, error) {
	h := &Hello{
		Len:                 int(view.len),
		Version:             uint16(view.version),
		AdminCredentialsSet: bool(view.admin_credentials_set),
		RetryCount:          uint32(view.retry_count),
		CertHashes:          []CertHash{},
	}
	// SAFETY: the UUID array is Go memory without pointers; the call writes its 16 bytes.
	if err := callError(C.amt_hello_uuid(view, (*C.uint8_t)(unsafe.Pointer(&h.UUID[0])))); err != nil {
		return nil, err
	}
	h.GUID = text(C.AMT_HELLO_UUID_TEXT_SIZE, func(out *C.char, size C.size_t, n *C.size_t) C.AmtHelloStatus {
		// SAFETY: as above: 16 readable bytes of Go memory without pointers.
		return C.amt_hello_uuid_text((*C.uint8_t)(unsafe.Pointer(&h.UUID[0])), out, size, n)
	})
	if h.Version == 2 {
		h.PID = make([]byte, pidLen)
		// SAFETY: PID is 8 bytes of Go memory without pointers; the call writes 8.
		if err := callError(C.amt_hello_pid(view, (*C.uint8_t)(unsafe.Pointer(&h.PID[0])))); err != nil {
			return nil, err
		}
		h.PIDText = text(C.AMT_HELLO_PID_TEXT_SIZE, func(out *C.char, size C.size_t, n *C.size_t) C.AmtHelloStatus {
			// SAFETY: as above, 8 readable bytes.
			return C.amt_hello_pid_text((*C.uint8_t)(unsafe.Pointer(&h.PID[0])), out, size, n)
		})
	}
	var it C.AmtHelloHashIter
	if err := callError(C.amt_hello_hashes(view, &it)); err != nil {
		return nil, err
	}
	var hash C.AmtHelloCertHash
	for C.amt_hello_hashes_next(&it, &hash) {
		// hash.digest points into the C copy of the message, alive until decode returns:
		// C.GoBytes copies the digest out.
		code, n := hash.code, hash.len
		h.CertHashes = append(h.CertHashes, CertHash{
			Code: uint8(code),
			Algorithm: text(nameSize, func(out *C.char, size C.size_t, written *C.size_t) C.AmtHelloStatus {
				return C.amt_hello_algorithm_name(code, n, out, size, written)
			}),
			Digest: C.GoBytes(unsafe.Pointer(hash.digest), C.int(n)),
		})
	}
	return h, nil
}

// An Attempt is one Hello a device sends in its Setup-Mode window.
type Attempt struct {
	// Number counts from 0.
	Number int
	// At is the time since the window opened.
	At time.Duration
	// Delay is the time since the previous attempt (0 for the first).
	Delay time.Duration
	// RetryCount is what this attempt's Hello carries: min(Number, 14).
	RetryCount uint32
	// IsLast says whether the window closes after it.
	IsLast bool
}

// Schedule is the default cadence over a window (every minute until 5 min, every 5 min until
// 60 min, then hourly). A window over 255 hours is an error; under a millisecond, no attempts.
func Schedule(window time.Duration) ([]Attempt, error) {
	var s C.AmtHelloSchedule
	if err := callError(C.amt_hello_schedule_init(&s, C.uint64_t(window.Milliseconds()))); err != nil {
		return nil, err
	}
	return attempts(&s), nil
}

// FirstWindow is the schedule of a device's first Setup-Mode window: 24 hours, 39 attempts.
func FirstWindow() []Attempt {
	var s C.AmtHelloSchedule
	C.amt_hello_schedule_first_window(&s)
	return attempts(&s)
}

// ReopenedWindow is the schedule of a re-opened window: 6 hours, 21 attempts.
func ReopenedWindow() []Attempt {
	var s C.AmtHelloSchedule
	C.amt_hello_schedule_reopened_window(&s)
	return attempts(&s)
}

func attempts(s *C.AmtHelloSchedule) []Attempt {
	out := make([]Attempt, 0, int(C.amt_hello_schedule_len(s)))
	var a C.AmtHelloAttempt
	for C.amt_hello_schedule_next(s, &a) {
		out = append(out, Attempt{
			Number:     int(a.number),
			At:         time.Duration(a.at_ms) * time.Millisecond,
			Delay:      time.Duration(a.delay_ms) * time.Millisecond,
			RetryCount: uint32(a.retry_count),
			IsLast:     bool(a.is_last),
		})
	}
	return out
}

// MarshalJSON writes the object `amt-hello decode` prints for the Hello: len, version,
// admin_credentials_set, retry_count, uuid (the GUID), uuid_raw (hex), pid (text, or null),
// cert_hashes (algorithm and hex digest each), in that order.
func (h Hello) MarshalJSON() ([]byte, error) {
	type certHash struct {
		Algorithm string `json:"algorithm"`
		Digest    string `json:"digest"`
	}
	hashes := make([]certHash, len(h.CertHashes))
	for i, c := range h.CertHashes {
		hashes[i] = certHash{c.Algorithm, hex.EncodeToString(c.Digest)}
	}
	var pid *string
	if h.PID != nil {
		pid = &h.PIDText
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Rust's serde_json leaves <, > and & as they are.
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Len                 int        `json:"len"`
		Version             uint16     `json:"version"`
		AdminCredentialsSet bool       `json:"admin_credentials_set"`
		RetryCount          uint32     `json:"retry_count"`
		UUID                string     `json:"uuid"`
		UUIDRaw             string     `json:"uuid_raw"`
		PID                 *string    `json:"pid"`
		CertHashes          []certHash `json:"cert_hashes"`
	}{h.Len, h.Version, h.AdminCredentialsSet, h.RetryCount, h.GUID, hex.EncodeToString(h.UUID[:]), pid, hashes})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}
