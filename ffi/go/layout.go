package amthello

// #include <amt_hello.h>
import "C"

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// layout is what cgo made of the header's structs this package uses and of its constants, in
// ffi/c/layout.c's line format (name → value): the test compares it with that helper's output,
// both ways, so a header this package was not written for fails it. (cgo cannot be used in
// _test.go files, hence here.)
func layout() map[string]string {
	m := structLayout(map[string]interface{}{
		"AmtHelloView": C.AmtHelloView{}, "AmtHelloError": C.AmtHelloError{},
		"AmtHelloHashIter": C.AmtHelloHashIter{}, "AmtHelloCertHash": C.AmtHelloCertHash{},
		"AmtHelloSchedule": C.AmtHelloSchedule{}, "AmtHelloAttempt": C.AmtHelloAttempt{},
		"AmtHelloMessage": C.AmtHelloMessage{},
	})
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

// structLayout gives each struct's lines as ffi/c/layout.c prints them (`NAME.size SIZE`,
// `NAME.field OFFSET SIZE`), by reflection; fields named _ (cgo's padding) are left out, and
// Go names are spelt as the header's (retryCount → retry_count).
func structLayout(structs map[string]interface{}) map[string]string {
	m := map[string]string{}
	for name, v := range structs {
		t := reflect.TypeOf(v)
		m[name+".size"] = fmt.Sprint(t.Size())
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.Name != "_" {
				m[name+"."+snake(f.Name)] = fmt.Sprintf("%d %d", f.Offset, f.Type.Size())
			}
		}
	}
	return m
}

var upper = regexp.MustCompile(`[A-Z]`)

func snake(name string) string {
	return upper.ReplaceAllStringFunc(name, func(c string) string { return "_" + strings.ToLower(c) })
}
