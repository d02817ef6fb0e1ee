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
// The module owns one linear memory and uses it as scratch: the fixed structs and the digest
// table first, then the input, growing the memory when a message needs it. Calls are
// synchronous, so one scratch area is enough. The table remembers the digests the module has
// made strings of (170 KB of linear memory, and at most 2048 strings of up to 128 characters):
// from a digest's third sighting on, its string is the one made before.

import { readFileSync } from 'node:fs';

const wasm = new WebAssembly.Instance(
  new WebAssembly.Module(readFileSync(new URL('./amt_hello.wasm', import.meta.url))),
  {},
).exports;

const OK = 0;
const INCOMPLETE = 1;
const MESSAGE_SIZE = 160;
const PAGE = 65536;
const TABLE_SIZE = 256 * 41 + 2048 * 64 + 1024 * 17 + 4 + 1020 + 16830; // AmtHelloDigestTable
const SLOT_NEW = 0x8000; //  AmtHelloDigestSlot.slot: the digest's hex is new in the text
const FRESH = 0xffff; //     ... and not kept (AMT_HELLO_SLOT_NEW | AMT_HELLO_SLOT_NONE)
const TEXTS_EXTRA = 102;

// Scratch layout above the module's own data; the offsets inside the structs are those of the
// C header on wasm32, which ffi/src/view.rs pins at compile time.
const base = (wasm.__heap_base.value + 15) & ~15;
const VIEW = base; //        AmtHelloView, 20 bytes
const ERROR = base + 32; //  AmtHelloError, 24 bytes
const ITER = base + 64; //   AmtHelloHashIter, 16 bytes
const HASH = base + 80; //   AmtHelloCertHash, 8 bytes
const LEN = base + 88; //    size_t
const TEXT = base + 96; //   text out, MESSAGE_SIZE bytes
const SLOTS = TEXT + MESSAGE_SIZE; // AmtHelloDigestSlot[255], 4 bytes each
const TABLE = SLOTS + 4 * 256; //  AmtHelloDigestTable (zero, as fresh memory is, is empty)
const INPUT = TABLE + TABLE_SIZE;

// The string of each digest the table holds: devices send the same root-certificate hashes
// (a firmware generation's default list, repeated on every retry), so most digests are
// strings already made; see ffi/src/table.rs.
const digestStrings = new Array(2048).fill('');

// Looking digests up pays when they repeat. When they do not (a scan of devices never seen),
// each lookup costs cache misses and mispredicted branches: after 64 parses in a row found
// none of their digests, a parse looks them up only by a 1-in-64 chance (a chance, not every
// 64th, so that no workload's period can hide its repeats), until one finds some again.
let unfound = 0;

let bytesView, dataView, memoryBuffer;
function views() {
  bytesView = new Uint8Array(wasm.memory.buffer);
  dataView = new DataView(wasm.memory.buffer);
  memoryBuffer = typeof Buffer === 'function' ? Buffer.from(wasm.memory.buffer) : null;
}
views();

/** Copies `bytes` to the input area, with room after it for their text (see `helloObject`),
 * growing the memory if needed. */
function load(bytes) {
  const end = INPUT + 3 * bytes.length + TEXTS_EXTRA;
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

/** `len` bytes of linear memory at `at` as a one-byte string: Node's latin1Slice, the fastest
 * way from bytes to a string there; TextDecoder elsewhere. */
const latin1 =
  typeof Buffer === 'function'
    ? (at, len) => memoryBuffer.latin1Slice(at, at + len)
    : (at, len) => decoder.decode(bytesView.subarray(at, at + len));
const decoder = new TextDecoder('latin1');

// Algorithm names by code and length (the high half of an AmtHelloDigestSlot word: code, then
// length), asked of the crate once each.
const algorithmNames = new Map();
function algorithmName(key) {
  let name = algorithmNames.get(key);
  if (name === undefined) {
    wasm.amt_hello_algorithm_name(key & 0xff, key >>> 8, TEXT, MESSAGE_SIZE, LEN);
    name = text();
    algorithmNames.set(key, name);
  }
  return name;
}

/**
 * The `count` certificate hashes of the last `amt_hello_texts` into `out`: as { algorithm,
 * digest } objects, or with `digestsOnly` the digests alone. New digests' hex is in `text`
 * (written at `at`), in order; returns where in `text` they end.
 */
function certHashes(out, count, text, at, digestsOnly) {
  let next = 0;
  // A device sends one algorithm throughout: look its name up when it changes.
  let key = -1;
  let algorithm = '';
  for (let i = 0; i < count; i++) {
    // AmtHelloDigestSlot as one word: the slot (16 bits), then code and length (8 each).
    const entry = dataView.getUint32(SLOTS + 4 * i, true);
    const slot = entry & 0xffff;
    let digest;
    if (slot < SLOT_NEW) {
      digest = digestStrings[slot];
    } else {
      const size = 2 * (entry >>> 24);
      digest = slot === FRESH ? text.slice(next, next + size) : keep(slot - SLOT_NEW, at + next, size);
      next += size;
    }
    if (digestsOnly) {
      out[i] = digest;
    } else {
      if (entry >>> 16 !== key) algorithm = algorithmName((key = entry >>> 16));
      out[i] = { algorithm, digest };
    }
  }
  return next;
}

/** The string of a digest the table keeps from now on as `slot`'s: `size` characters at `at`
 * in linear memory, as a string of its own (a slice of the call's text would keep it alive). */
function keep(slot, at, size) {
  const digest = latin1(at, size);
  digestStrings[slot] = digest;
  return digest;
}

/** The parsed view at VIEW (its message in the input area) as the decode example's object.
 * With `digestsOnly`, `cert_hashes` holds the digests' hex alone, as MeshCentral's `hashes`. */
function helloObject(digestsOnly = false) {
  const len = dataView.getUint32(VIEW + 4, true);
  const version = dataView.getUint16(VIEW + 8, true);
  // One call writes the new digests' hex, the GUID, the UUID's hex and the PID after the
  // message, where load() made room; one string holds them all, and the fields are slices.
  const at = INPUT + len;
  const table = unfound < 64 || Math.random() < 1 / 64 ? TABLE : 0;
  const status = wasm.amt_hello_texts(VIEW, table, SLOTS, 255, at, 2 * len + TEXTS_EXTRA, LEN);
  if (status !== OK) throw failure(status);
  const text = latin1(at, dataView.getUint32(LEN, true));
  const count = version === 3 ? bytesView[VIEW + 16] : 0;
  const hashes = new Array(count);
  const next = certHashes(hashes, count, text, at, digestsOnly);
  // Found none: every digest's hex was new (2 characters a byte; each entry has 2 more bytes).
  if (count > 0) unfound = next === 2 * (len - 25 - 2 * count) ? unfound + 1 : 0;
  return {
    len,
    version,
    admin_credentials_set: bytesView[VIEW + 10] === 1,
    retry_count: dataView.getUint32(VIEW + 12, true),
    uuid: text.slice(next, next + 36),
    uuid_raw: text.slice(next + 36, next + 68),
    pid: version === 2 ? text.slice(next + 68) : null,
    cert_hashes: hashes,
  };
}

/** `{ lenient }` of the options, if any, without making a default object each call. */
const isLenient = (options) => (options !== undefined && options.lenient ? 1 : 0);

/**
 * Parses one whole Hello (a Uint8Array or Buffer). Returns the decode example's object:
 * { len, version, admin_credentials_set, retry_count, uuid, uuid_raw, pid, cert_hashes }.
 * Throws an Error with `kind` (e.g. 'truncated'), `offset` and the Rust crate's message.
 */
export function parseHello(bytes, options) {
  load(bytes);
  const status = wasm.amt_hello_parse(INPUT, bytes.length, isLenient(options), VIEW, ERROR);
  if (status !== OK) throw failure(status);
  return helloObject();
}

/**
 * Is a whole Hello at the front of the bytes received so far? `{ complete: true, len, hello }`
 * (bytes after `len` are not part of it), or `{ complete: false, needed, exact }`: read more,
 * the message needs `needed` bytes in all (exactly, or at least). Throws when the bytes can
 * never become a valid Hello.
 */
export function frame(bytes, options) {
  load(bytes);
  const status = wasm.amt_hello_frame(INPUT, bytes.length, isLenient(options), VIEW, ERROR);
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
