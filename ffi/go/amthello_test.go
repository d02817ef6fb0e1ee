package amthello

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unsafe"
)

const data = "../../tests/data"

type vector struct {
	Name   string          `json:"name"`
	Hex    string          `json:"hex"`
	Expect json.RawMessage `json:"expect"`
	Error  struct {
		Kind   string `json:"kind"`
		Offset int    `json:"offset"`
		Needed int    `json:"needed"`
	} `json:"error"`
	Lenient string `json:"lenient"`
}

func vectors(t testing.TB) (valid, invalid []vector) {
	text, err := os.ReadFile(filepath.Join(data, "hello-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Valid, Invalid []vector }
	if err := json.Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	return v.Valid, v.Invalid
}

// captures are the real Hellos of tests/data/real, with their expected objects.
func captures(t testing.TB) []vector {
	text, err := os.ReadFile(filepath.Join(data, "real", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]json.RawMessage
	if err := json.Unmarshal(text, &expected); err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join(data, "real", "*.hex"))
	var out []vector
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		out = append(out, vector{Name: name, Hex: strings.Join(strings.Fields(string(raw)), ""), Expect: expected[name]})
	}
	if len(out) != 3 {
		t.Fatalf("%d captures in %s/real, expected.json has %d", len(out), data, len(expected))
	}
	return out
}

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON compares two JSON texts as values.
func sameJSON(t *testing.T, name string, got, want []byte) {
	t.Helper()
	var g, w interface{}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if fmt.Sprint(g) != fmt.Sprint(w) {
		t.Errorf("%s:\n got %s\nwant %s", name, got, want)
	}
}

func TestValid(t *testing.T) {
	valid, _ := vectors(t)
	for _, v := range append(valid, captures(t)...) {
		for _, lenient := range []bool{false, true} {
			b := mustHex(t, v.Hex)
			h, err := Parse(b, lenient)
			if err != nil {
				t.Fatalf("%s (lenient %v): %v", v.Name, lenient, err)
			}
			got, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, v.Name, got, v.Expect)
			if h.Len != len(b) || len(h.UUID) != 16 || (h.Version == 2) != (h.PID != nil) {
				t.Errorf("%s: %+v", v.Name, h)
			}
			// A copy: the caller's bytes may change without changing the Hello.
			for i := range b {
				b[i] ^= 0xff
			}
			if again, _ := json.Marshal(h); !bytes.Equal(again, got) {
				t.Errorf("%s: the Hello changed with the input", v.Name)
			}
		}
	}
}

func TestInvalid(t *testing.T) {
	_, invalid := vectors(t)
	if len(invalid) == 0 {
		t.Fatal("no invalid vectors")
	}
	for _, v := range invalid {
		h, err := Parse(mustHex(t, v.Hex), false)
		var de *DecodeError
		if h != nil || !errors.As(err, &de) {
			t.Fatalf("%s: %v, %v", v.Name, h, err)
		}
		if de.Kind != v.Error.Kind || de.Offset != v.Error.Offset {
			t.Errorf("%s: kind %s offset %d, want %s %d", v.Name, de.Kind, de.Offset, v.Error.Kind, v.Error.Offset)
		}
		if v.Error.Needed != 0 && de.Needed != v.Error.Needed {
			t.Errorf("%s: needed %d, want %d", v.Name, de.Needed, v.Error.Needed)
		}
		if !regexp.MustCompile(fmt.Sprintf(`byte %d\b`, v.Error.Offset)).MatchString(err.Error()) {
			t.Errorf("%s: message %q does not name byte %d", v.Name, err, v.Error.Offset)
		}
		// Wrapped, it is still found.
		if !errors.As(fmt.Errorf("hello from 10.0.0.1: %w", err), &de) || de.Error() != err.Error() {
			t.Errorf("%s: errors.As through a wrap", v.Name)
		}
		h, err = Parse(mustHex(t, v.Hex), true)
		if (v.Lenient == "ok") != (err == nil) || (err == nil) != (h != nil) {
			t.Errorf("%s: lenient %s, got %v", v.Name, v.Lenient, err)
		}
		if err != nil && !(errors.As(err, &de) && de.Kind == v.Error.Kind) {
			t.Errorf("%s: lenient kind %v", v.Name, err)
		}
	}
}

// The library has no state: goroutines parse at once and each gets its own Hello.
func TestConcurrent(t *testing.T) {
	caps := captures(t)
	want, input := make([][]byte, len(caps)), make([][]byte, len(caps))
	for i, c := range caps {
		input[i] = mustHex(t, c.Hex)
		h, err := Parse(input[i], false)
		if err != nil {
			t.Fatal(err)
		}
		want[i], _ = json.Marshal(h)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for n := 0; n < 100; n++ {
				i := (g + n) % len(caps)
				h, err := Parse(input[i], false)
				if err != nil {
					errs <- err
					return
				}
				if got, _ := json.Marshal(h); !bytes.Equal(got, want[i]) {
					errs <- fmt.Errorf("goroutine %d: %s differs", g, caps[i].Name)
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// The messages are the Rust crate's, which the decode command prints after "error: ".
func TestMessage(t *testing.T) {
	_, err := Parse([]byte{1, 0}, false)
	want := "truncated Hello: the field at byte 2 is incomplete; the message needs at least 24 bytes, 2 present"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	if _, err := Parse(nil, false); err == nil || err.(*DecodeError).Kind != "truncated" {
		t.Fatalf("empty input: %v", err)
	}
}

func TestFrame(t *testing.T) {
	valid, _ := vectors(t)
	for _, v := range append(valid, captures(t)...) {
		b := mustHex(t, v.Hex)
		for n := 0; n < len(b); n++ {
			h, needed, err := Frame(b[:n], false)
			if h != nil || err != nil || needed <= n || needed > len(b) {
				t.Fatalf("%s: prefix of %d: %v, needed %d, %v", v.Name, n, h, needed, err)
			}
		}
		h, needed, err := Frame(append(b, 0xaa, 0xbb), false)
		if err != nil || h == nil || h.Len != len(b) || needed != len(b) {
			t.Fatalf("%s with 2 more bytes: %v, %d, %v", v.Name, h, needed, err)
		}
	}
	var de *DecodeError
	if _, _, err := Frame([]byte{2, 0}, false); !errors.As(err, &de) || de.Kind != "invalid_admin_credentials" {
		t.Fatalf("a bad prefix: %v", err)
	}
}

func TestSchedule(t *testing.T) {
	for _, c := range []struct {
		name     string
		attempts []Attempt
		count    int
		window   time.Duration
	}{
		{"first", FirstWindow(), 39, 24 * time.Hour},
		{"reopened", ReopenedWindow(), 21, 6 * time.Hour},
	} {
		if len(c.attempts) != c.count {
			t.Fatalf("%s window: %d attempts, want %d", c.name, len(c.attempts), c.count)
		}
		same, err := Schedule(c.window)
		if err != nil || fmt.Sprint(same) != fmt.Sprint(c.attempts) {
			t.Errorf("%s: Schedule(%v) differs: %v", c.name, c.window, err)
		}
		var at time.Duration
		for i, a := range c.attempts {
			at += a.Delay
			retry := uint32(i)
			if retry > 14 {
				retry = 14
			}
			if a.Number != i || a.At != at || a.At >= c.window || a.RetryCount != retry || a.IsLast != (i == c.count-1) {
				t.Errorf("%s: attempt %d: %+v", c.name, i, a)
			}
		}
	}
	first := FirstWindow()
	if first[1].Delay != time.Minute || first[len(first)-1].Delay != time.Hour {
		t.Errorf("cadence: %v then %v", first[1].Delay, first[len(first)-1].Delay)
	}
	if a, err := Schedule(0); err != nil || len(a) != 0 {
		t.Errorf("an empty window: %v, %v", a, err)
	}
	var de *DecodeError
	if _, err := Schedule(256 * time.Hour); !errors.As(err, &de) || de.Kind != "out_of_range" {
		t.Errorf("256 h: %v", err)
	}
}

// The structs as this package's conversions read them (the Go type each field converts to), in
// plain Go: cgo follows the header wherever it goes, so these are what make a changed header
// fail this test as it fails the C# binding's.
type (
	view struct {
		bytes               unsafe.Pointer
		len                 uintptr
		version             uint16
		adminCredentialsSet bool
		retryCount          uint32
		hashCount           uint8
		uniformDigestLen    uint8
	}
	decodeError struct {
		kind          uint32
		offset        uintptr
		found         uint64
		needed        uintptr
		neededIsExact bool
		code          uint8
	}
	hashIter struct {
		bytes                  unsafe.Pointer
		len, offset, remaining uintptr
	}
	certHash struct {
		code, len uint8
		digest    unsafe.Pointer
	}
	schedule struct {
		windowMs uint64
		next     uint32
	}
	attempt struct {
		number        uint32
		atMs, delayMs uint64
		retryCount    uint32
		isLast        bool
	}
	message struct {
		version             uint16
		adminCredentialsSet bool
		retryCount          uint32
		uuid                [16]uint8
		pid                 [8]uint8
		hashes              unsafe.Pointer
		hashCount           uintptr
	}
)

// goLayout is the plain-Go structs' layout in layout()'s names.
func goLayout() map[string]string {
	return structLayout(map[string]interface{}{
		"AmtHelloView": view{}, "AmtHelloError": decodeError{}, "AmtHelloHashIter": hashIter{},
		"AmtHelloCertHash": certHash{}, "AmtHelloSchedule": schedule{}, "AmtHelloAttempt": attempt{},
		"AmtHelloMessage": message{},
	})
}

// TestLayout holds the header's layouts and constants, from ffi/c/layout.c compiled with it,
// against what cgo made of them (layout()) and against the plain-Go structs above: every line
// of each struct this package uses, both ways, and the constants it uses. AMT_HELLO_LAYOUT
// names a built helper; otherwise the test builds it with cc and pkg-config.
func TestLayout(t *testing.T) {
	helper := os.Getenv("AMT_HELLO_LAYOUT")
	if helper == "" {
		helper = filepath.Join(t.TempDir(), "layout")
		flags, err := exec.Command("pkg-config", "--cflags", "amt-hello").Output()
		if err != nil {
			t.Fatalf("pkg-config --cflags amt-hello: %v", err)
		}
		args := append(strings.Fields(string(flags)), "../c/layout.c", "-o", helper)
		if out, err := exec.Command("cc", args...).CombinedOutput(); err != nil {
			t.Fatalf("cc %v: %v\n%s", args, err, out)
		}
	}
	out, err := exec.Command(helper).Output()
	if err != nil {
		t.Fatalf("%s: %v", helper, err)
	}
	c := map[string]string{}
	for s := bufio.NewScanner(bytes.NewReader(out)); s.Scan(); {
		if name, value, ok := strings.Cut(s.Text(), " "); ok {
			c[name] = value
		}
	}
	cgo, plain := layout(), goLayout()
	for name, value := range cgo {
		if _, ok := plain[name]; !ok && strings.HasPrefix(name, "Amt") {
			t.Errorf("%s: cgo's %q has no plain-Go field", name, value)
		}
	}
	structs := map[string]bool{}
	for name := range cgo {
		if strings.HasSuffix(name, ".size") {
			structs[strings.TrimSuffix(name, ".size")] = true
		}
	}
	names := []string{}
	for name := range c {
		if before, _, ok := strings.Cut(name, "."); ok && structs[before] {
			names = append(names, name)
		}
	}
	for name := range cgo {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if c[name] != cgo[name] {
			t.Errorf("%s: the header says %q, cgo %q", name, c[name], cgo[name])
		}
		if _, ok := plain[name]; (ok || strings.HasPrefix(name, "Amt")) && c[name] != plain[name] {
			t.Errorf("%s: the header says %q, the Go binding expects %q", name, c[name], plain[name])
		}
	}
	if len(structs) != 7 || len(cgo) < 45 {
		t.Errorf("%d structs, %d lines", len(structs), len(cgo))
	}
}

// FuzzParse: no input makes the binding fail other than with a *DecodeError, a Hello is a
// whole message, and Frame agrees with Parse. Seeded with every vector and capture.
func FuzzParse(f *testing.F) {
	valid, invalid := vectors(f)
	for _, v := range append(append(valid, invalid...), captures(f)...) {
		f.Add(mustHex(f, v.Hex), false)
		f.Add(mustHex(f, v.Hex), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, lenient bool) {
		h, err := Parse(b, lenient)
		var de *DecodeError
		if err != nil {
			if h != nil || !errors.As(err, &de) || de.Kind == "" || de.Error() == "" || de.Offset > len(b) {
				t.Fatalf("%x: %v, %#v", b, h, err)
			}
			return
		}
		if h.Len != len(b) {
			t.Fatalf("%x: Len %d", b, h.Len)
		}
		if _, err := json.Marshal(h); err != nil {
			t.Fatal(err)
		}
		framed, needed, err := Frame(append(b, 0), lenient)
		if err != nil || framed == nil || framed.Len != len(b) || needed != len(b) {
			t.Fatalf("%x: Frame: %v, %d, %v", b, framed, needed, err)
		}
	})
}
