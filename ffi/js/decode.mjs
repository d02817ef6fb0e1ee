#!/usr/bin/env node
// node ffi/js/decode.mjs [--lenient] [HEX]...
//
// The Node twin of `amt-hello decode` (cli/): one JSON object per message on stdout, byte for
// byte what `amt-hello decode` prints; `error: <message>` on stderr for an invalid one; exit
// status 1 if any message was invalid, 2 for a usage error. Messages come from the arguments,
// or one per line on stdin. (Its certificate options are not offered here.)

import { readFileSync } from 'node:fs';
import { parseHello } from './amt_hello.mjs';

const isSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
const hexValue = (c) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Rust's Debug form of a two-byte string (valid UTF-8). */
function debugString(pair) {
  let out = '"';
  if (pair[0] < 0x80) {
    for (const c of pair) {
      if (c === 0x22 || c === 0x5c) out += '\\' + String.fromCharCode(c);
      else if (c === 0) out += '\\0';
      else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
      else out += String.fromCharCode(c);
    }
  } else {
    const cp = ((pair[0] & 0x1f) << 6) | (pair[1] & 0x3f);
    out += cp < 0xa0 || cp === 0xad || (cp >= 0x300 && cp < 0x370) ? `\\u{${cp.toString(16)}}` : String.fromCodePoint(cp);
  }
  return out + '"';
}

/** Bytes from hex, whitespace ignored, with the error messages of `amt-hello decode`. */
function hexToBytes(text) {
  const digits = Buffer.from(text, 'utf8').filter((c) => !isSpace(c));
  if (digits.length % 2 !== 0) throw new Error(`odd number of hex digits (${digits.length})`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < digits.length; i += 2) {
    const hi = hexValue(digits[i]);
    const lo = hexValue(digits[i + 1]);
    if (hi >= 0 && lo >= 0) {
      bytes[i / 2] = (hi << 4) | lo;
      continue;
    }
    const pair = digits.subarray(i, i + 2);
    try {
      strictUtf8.decode(pair);
    } catch {
      throw new Error('non-ASCII input');
    }
    throw new Error(`not a hex byte: ${debugString(pair)}`);
  }
  return bytes;
}

/** stdin's lines as Rust's BufRead::lines reads them: up to the first that is not UTF-8. */
function stdinLines() {
  const input = readFileSync(0);
  const lines = [];
  let start = 0;
  while (start < input.length) {
    let end = input.indexOf(0x0a, start);
    if (end < 0) end = input.length;
    let line = input.subarray(start, end);
    if (end < input.length && line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
    try {
      lines.push(strictUtf8.decode(line));
    } catch {
      break;
    }
    start = end + 1;
  }
  return lines.filter((l) => l.trim() !== '');
}

let lenient = false;
let options = true;
const messages = [];
for (const arg of process.argv.slice(2)) {
  if (options && arg === '--') options = false;
  else if (options && arg === '--lenient') lenient = true;
  else if (options && (arg === '--help' || arg === '-h')) {
    console.log('Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.\n');
    console.log('Usage: node decode.mjs [--lenient] [HEX]...');
    process.exit(0);
  } else if (options && arg.startsWith('-') && arg.length > 1) {
    process.stderr.write(`error: unexpected argument '${arg}' found (the Node decoder takes --lenient and hex)\n`);
    process.exit(2);
  } else messages.push(arg);
}

// Each result as it is produced (writes to files and pipes are synchronous on POSIX), so with
// stdout and stderr in one pipe the lines come in input order.
for (const text of messages.length > 0 ? messages : stdinLines()) {
  try {
    process.stdout.write(JSON.stringify(parseHello(hexToBytes(text), { lenient })) + '\n');
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 1;
  }
}
