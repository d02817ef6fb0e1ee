// amt-hello for Node.js: the Rust parser, built for wasm32-unknown-unknown (amt_hello.wasm,
// `make -C ffi wasm`), behind three functions. No npm dependencies; Node 16.4 or later (SIMD128).
//
//   import { parseHello, frame, parseHelloData } from './amt_hello.mjs';
//   parseHello(bytes, { lenient })  -> the decode example's object, or throws an Error with
//                                      .kind, .offset (and .needed) and the Rust message
//   frame(bytes, { lenient })       -> { complete: true, len, hello } or
//                                      { complete: false, needed, exact }; throws if invalid
//   parseHelloData(buffer, addr)    -> MeshCentral's object shape, or null
//
// The module owns one linear memory and uses it as scratch: the fixed structs first, then the
// input, growing the memory when a message needs it. Calls are synchronous, so one scratch
// area is enough.

import { readFileSync } from 'node:fs';

const wasm = new WebAssembly.Instance(
  new WebAssembly.Module(readFileSync(new URL('./amt_hello.wasm', import.meta.url))),
  {},
).exports;

const OK = 0;
const INCOMPLETE = 1;
const MESSAGE_SIZE = 160;
const PID_TEXT_SIZE = 34;
const PAGE = 65536;

// Scratch layout above the module's own data; the offsets inside the structs are those of the
// C header on wasm32, which ffi/src/view.rs pins at compile time.
const base = (wasm.__heap_base.value + 15) & ~15;
const VIEW = base; //        AmtHelloView, 20 bytes
const ERROR = base + 32; //  AmtHelloError, 24 bytes
const ITER = base + 64; //   AmtHelloHashIter, 16 bytes
const HASH = base + 80; //   AmtHelloCertHash, 8 bytes
const LEN = base + 88; //    size_t
const TEXT = base + 96; //   text out, MESSAGE_SIZE bytes
const INPUT = TEXT + MESSAGE_SIZE;

let bytesView, dataView, memoryBuffer;
function views() {
  bytesView = new Uint8Array(wasm.memory.buffer);
  dataView = new DataView(wasm.memory.buffer);
  memoryBuffer = typeof Buffer === 'function' ? Buffer.from(wasm.memory.buffer) : null;
}
views();

/** Copies `bytes` to the input area, with room after it for their text (see `texts`), growing
 * the memory if needed. */
function load(bytes) {
  const end = INPUT + 3 * bytes.length + 36 + PID_TEXT_SIZE;
  // Only this module grows the memory (the crate does not allocate), so the views' length is
  // its size: no `memory.buffer` getter on the common path.
  if (end > bytesView.length) {
    wasm.memory.grow(Math.ceil((end - bytesView.length) / PAGE));
    views();
  }
  bytesView.set(bytes, INPUT);
}

/** The text the last text call wrote at TEXT. */
function text() {
  return latin1(TEXT, dataView.getUint32(LEN, true));
}

function statusName(status) {
  const at = wasm.amt_hello_status_name(status);
  let end = at;
  while (bytesView[end] !== 0) end++;
  return String.fromCharCode.apply(null, bytesView.subarray(at, end));
}

/** The Error for the status a call returned, from the AmtHelloError at ERROR. */
function failure(status) {
  wasm.amt_hello_error_message(ERROR, TEXT, MESSAGE_SIZE, LEN);
  const error = new Error(text());
  error.kind = statusName(status);
  error.offset = dataView.getUint32(ERROR + 4, true);
  if (status === INCOMPLETE || error.kind === 'truncated') {
    error.needed = dataView.getUint32(ERROR + 16, true);
    error.exact = bytesView[ERROR + 20] === 1;
  }
  return error;
}

/**
 * The text of the parsed message at `message` (`len` bytes, in the input area), made by the
 * crate and turned into one JS string: its hex, then its GUID, then (PSK) its PID. One string
 * costs one call out of JS; the fields are slices of it.
 */
function texts(message, len, version) {
  const hexAt = INPUT + len; // after the message, where load() made room
  const guidAt = hexAt + 2 * len;
  let end = guidAt + 36;
  wasm.amt_hello_digest_hex(message, len, hexAt, 2 * len + 1, LEN);
  wasm.amt_hello_uuid_text(message + 8, guidAt, 37, LEN); // over the hex's NUL
  if (version === 2) {
    wasm.amt_hello_pid_text(message + 24, end, PID_TEXT_SIZE, LEN);
    end += dataView.getUint32(LEN, true);
  }
  return latin1(hexAt, end - hexAt);
}

/** `len` bytes of linear memory at `at` as a one-byte string: Node's latin1Slice, the fastest
 * way from bytes to a string there; TextDecoder elsewhere. */
const latin1 =
  typeof Buffer === 'function'
    ? (at, len) => memoryBuffer.latin1Slice(at, at + len)
    : (at, len) => decoder.decode(bytesView.subarray(at, at + len));
const decoder = new TextDecoder('latin1');

// Algorithm names by (code, length), asked of the crate once each; the last one is kept in
// front, as a device sends one algorithm throughout.
const algorithmNames = new Map();
let lastKey = -1;
let lastName = '';
function algorithmName(code, len) {
  const key = code * 256 + len;
  if (key === lastKey) return lastName;
  let name = algorithmNames.get(key);
  if (name === undefined) {
    wasm.amt_hello_algorithm_name(code, len, TEXT, MESSAGE_SIZE, LEN);
    name = text();
    algorithmNames.set(key, name);
  }
  lastKey = key;
  lastName = name;
  return name;
}

/** The parsed view at VIEW (its message in the input area) as the decode example's object.
 * With `digestsOnly`, `cert_hashes` holds the digests' hex alone, as MeshCentral's `hashes`. */
function helloObject(digestsOnly = false) {
  const message = dataView.getUint32(VIEW, true);
  const len = dataView.getUint32(VIEW + 4, true);
  const version = dataView.getUint16(VIEW + 8, true);
  const text = texts(message, len, version);
  // The parser proved every entry inside the message: walk the length bytes here rather than
  // call into the module once an entry.
  const count = bytesView[VIEW + 16];
  const hashes = new Array(count);
  for (let i = 0, at = 25; i < count; i++) {
    const size = bytesView[message + at + 1];
    const digest = text.slice(2 * (at + 2), 2 * (at + 2 + size));
    hashes[i] = digestsOnly
      ? digest
      : { algorithm: algorithmName(bytesView[message + at], size), digest };
    at += 2 + size;
  }
  return {
    len,
    version,
    admin_credentials_set: bytesView[VIEW + 10] === 1,
    retry_count: dataView.getUint32(VIEW + 12, true),
    uuid: text.slice(2 * len, 2 * len + 36),
    uuid_raw: text.slice(16, 48),
    pid: version === 2 ? text.slice(2 * len + 36) : null,
    cert_hashes: hashes,
  };
}

/**
 * Parses one whole Hello (a Uint8Array or Buffer). Returns the decode example's object:
 * { len, version, admin_credentials_set, retry_count, uuid, uuid_raw, pid, cert_hashes }.
 * Throws an Error with `kind` (e.g. 'truncated'), `offset` and the Rust crate's message.
 */
export function parseHello(bytes, { lenient = false } = {}) {
  load(bytes);
  const status = wasm.amt_hello_parse(INPUT, bytes.length, lenient, VIEW, ERROR);
  if (status !== OK) throw failure(status);
  return helloObject();
}

/**
 * Is a whole Hello at the front of the bytes received so far? `{ complete: true, len, hello }`
 * (bytes after `len` are not part of it), or `{ complete: false, needed, exact }`: read more,
 * the message needs `needed` bytes in all (exactly, or at least). Throws when the bytes can
 * never become a valid Hello.
 */
export function frame(bytes, { lenient = false } = {}) {
  load(bytes);
  const status = wasm.amt_hello_frame(INPUT, bytes.length, lenient, VIEW, ERROR);
  if (status === INCOMPLETE) {
    return {
      complete: false,
      needed: dataView.getUint32(ERROR + 16, true),
      exact: bytesView[ERROR + 20] === 1,
    };
  }
  if (status !== OK) throw failure(status);
  const hello = helloObject();
  return { complete: true, len: hello.len, hello };
}

/**
 * A drop-in for MeshCentral's `parseHelloData(data, addr)` in amtprovisioningserver.js: the same
 * object ({ time, addr, adminCredentialsSet, helloversion, retryCount, guidhex, guid, hashes })
 * or null, but with the protocol's strict checks: whole messages only, no trailing bytes,
 * unsigned fields, SHA-512 entries, and PSK Hellos (version 2, with `pid` and no hashes).
 */
export function parseHelloData(data, addr) {
  load(data);
  if (wasm.amt_hello_parse(INPUT, data.length, false, VIEW, ERROR) !== OK) return null;
  const hello = helloObject(true);
  const result = {
    time: Date.now(),
    addr,
    adminCredentialsSet: hello.admin_credentials_set,
    helloversion: hello.version,
    retryCount: hello.retry_count,
    guidhex: hello.uuid_raw,
    guid: hello.uuid,
    hashes: hello.cert_hashes,
  };
  if (hello.pid !== null) result.pid = hello.pid;
  return result;
}
