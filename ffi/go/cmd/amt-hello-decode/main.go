// Command amt-hello-decode is the Go twin of `amt-hello decode` (cli/), over the C ABI:
//
//	amt-hello-decode [--lenient] [HEX]...
//
// It decodes Intel AMT Hello messages given as hex (the arguments, or one per line on stdin
// when there are none) and prints one JSON object per message on stdout, byte for byte what
// `amt-hello decode` prints. An invalid message prints `error: <message>` on stderr; the exit
// status is 1 if any message was invalid, 2 for a usage error. (The certificate options of
// `amt-hello decode` are not offered.)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	amthello "github.com/amt-hello/amt-hello/ffi/go"
)

// isSpace is Rust's u8::is_ascii_whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// debugString is Rust's Debug form of a two-byte string (valid UTF-8).
func debugString(pair []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	if pair[0] < 0x80 {
		for _, c := range pair {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == 0:
				b.WriteString(`\0`)
			case c < 0x20 || c == 0x7f:
				fmt.Fprintf(&b, `\u{%x}`, c)
			default:
				b.WriteByte(c)
			}
		}
	} else {
		cp, _ := utf8.DecodeRune(pair)
		if cp < 0xa0 || cp == 0xad || (cp >= 0x300 && cp < 0x370) {
			fmt.Fprintf(&b, `\u{%x}`, cp)
		} else {
			b.Write(pair)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hexToBytes decodes hex, whitespace ignored, with `amt-hello decode`'s error messages.
func hexToBytes(text string) ([]byte, error) {
	digits := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		if !isSpace(text[i]) {
			digits = append(digits, text[i])
		}
	}
	if len(digits)%2 != 0 {
		return nil, fmt.Errorf("odd number of hex digits (%d)", len(digits))
	}
	out := make([]byte, 0, len(digits)/2)
	for i := 0; i < len(digits); i += 2 {
		hi, lo := hexValue(digits[i]), hexValue(digits[i+1])
		if hi >= 0 && lo >= 0 {
			out = append(out, byte(hi<<4|lo))
			continue
		}
		pair := digits[i : i+2]
		if !(pair[0] < 0x80 && pair[1] < 0x80) && !(utf8.Valid(pair) && utf8.RuneCount(pair) == 1) {
			return nil, errors.New("non-ASCII input")
		}
		return nil, errors.New("not a hex byte: " + debugString(pair))
	}
	return out, nil
}

// decode prints one message's JSON line or error line; it reports whether it was valid.
func decode(text string, lenient bool) bool {
	b, err := hexToBytes(text)
	var hello *amthello.Hello
	if err == nil {
		hello, err = amthello.Parse(b, lenient)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %s\n", err)
		return false
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(hello); err != nil {
		fmt.Fprintf(os.Stderr, "error: %s\n", err)
		return false
	}
	// One write per result, unbuffered: with stdout and stderr in one pipe, in input order.
	os.Stdout.Write(line.Bytes())
	return true
}

// stdinLines calls f on each of stdin's lines as Rust's BufRead::lines reads them ("\n" or
// "\r\n" ends one), up to the first that is not UTF-8.
func stdinLines(f func(string)) {
	r := bufio.NewReader(os.Stdin)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			return
		}
		if n := len(line); n > 0 && line[n-1] == '\n' {
			line = line[:n-1]
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
		}
		if !utf8.Valid(line) {
			return
		}
		f(string(line))
		if err == io.EOF {
			return
		}
	}
}

func main() {
	lenient, options := false, true
	var messages []string
	for _, arg := range os.Args[1:] {
		switch {
		case !utf8.ValidString(arg):
			fmt.Fprintln(os.Stderr, "error: invalid UTF-8 was detected in one or more arguments")
			os.Exit(2)
		case options && arg == "--":
			options = false
		case options && arg == "--lenient":
			lenient = true
		case options && (arg == "--help" || arg == "-h"):
			fmt.Print("Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.\n\n" +
				"Usage: amt-hello-decode [--lenient] [HEX]...\n")
			os.Exit(0)
		case options && strings.HasPrefix(arg, "-") && len(arg) > 1:
			fmt.Fprintf(os.Stderr, "error: unexpected argument %s found (the Go decoder takes --lenient and hex)\n",
				"'"+arg+"'")
			os.Exit(2)
		default:
			messages = append(messages, arg)
		}
	}
	status := 0
	run := func(text string) {
		if !decode(text, lenient) {
			status = 1
		}
	}
	if len(messages) == 0 {
		stdinLines(func(line string) {
			if strings.TrimSpace(line) != "" {
				run(line)
			}
		})
	}
	for _, m := range messages {
		run(m)
	}
	os.Exit(status)
}
