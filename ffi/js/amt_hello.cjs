// amt-hello for Node.js: the Rust parser, built for wasm32-unknown-unknown (amt_hello.wasm,
// `make -C ffi wasm`), behind three functions. No npm dependencies; Node 18 or later (SIMD128;
// 16.4 cannot compile the module Rust makes today). In the npm package `amt-hello` (package.json)
// `require` loads this file and `import` amt_hello.mjs, its re-export. Types: amt_hello.d.cts.
//
// The module owns one linear memory and uses it as scratch: the fixed structs first, then the
// input and its text, growing the memory when a message needs it. Calls are synchronous, so
// one scratch area is enough; nothing is kept from one call to the next.
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const wasm = new WebAssembly.Instance(
  new WebAssembly.Module(readFileSync(join(__dirname, 'amt_hello.wasm'))),
  {},
).exports;

const OK = 0;
const INCOMPLETE = 1;
const BUFFER_TOO_SMALL = 11;
const MESSAGE_SIZE = 160; // AMT_HELLO_MESSAGE_SIZE
const GUID_LEN = 36; //      AMT_HELLO_UUID_TEXT_SIZE without its NUL
const UUID_HEX_LEN = 32; //  the UUID's 16 bytes as hex, after the GUID
const MAX_HASHES = 255; //   hash_count is one byte
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
const INFOS = TEXT + MESSAGE_SIZE; // AmtHelloDigestInfo[MAX_HASHES]: code and length bytes
const INPUT = INFOS + 2 * MAX_HASHES;

let bytesView, dataView, memoryBuffer;
function views() {
  bytesView = new Uint8Array(wasm.memory.buffer);
  dataView = new DataView(wasm.memory.buffer);
  memoryBuffer = typeof Buffer === 'function' ? Buffer.from(wasm.memory.buffer) : null;
}
views();

/** Grows the memory to hold `end` bytes. Only this module grows it (the crate does not
 * allocate), so the views' length is its size: no `memory.buffer` getter on the common path. */
function reserve(end) {
  if (end > bytesView.length) {
    wasm.memory.grow(Math.ceil((end - bytesView.length) / PAGE));
    views();
  }
}

/** Copies `bytes` to the input area and reads them with `call` (`amt_hello_parse` or
 * `amt_hello_frame`) under the options' `lenient`, if any, into VIEW and ERROR. */
function read(call, bytes, options) {
  reserve(INPUT + bytes.length);
  bytesView.set(bytes, INPUT);
  return call(INPUT, bytes.length, options !== undefined && options.lenient ? 1 : 0, VIEW, ERROR);
}

/** The text the last text call wrote at `at` (TEXT unless given). */
const text = (at = TEXT) => latin1(at, dataView.getUint32(LEN, true));

/** `{ needed, exact }` of the AmtHelloError at ERROR: the length the message needs in all. */
const need = () => ({ needed: dataView.getUint32(ERROR + 16, true), exact: bytesView[ERROR + 20] === 1 });

/** The Error for the status a call returned, from the AmtHelloError at ERROR. */
function failure(status) {
  wasm.amt_hello_error_message(ERROR, TEXT, MESSAGE_SIZE, LEN);
  const error = new Error(text());
  const name = wasm.amt_hello_status_name(status); // a NUL-terminated string
  error.kind = latin1(name, bytesView.indexOf(0, name) - name);
  error.offset = dataView.getUint32(ERROR + 4, true);
  if (status === INCOMPLETE || error.kind === 'truncated') Object.assign(error, need());
  return error;
}

/** `len` bytes of linear memory at `at` as a one-byte string: Node's latin1Slice, the fastest
 * way from bytes to a string there; TextDecoder elsewhere. */
const latin1 =
  typeof Buffer === 'function'
    ? (at, len) => memoryBuffer.latin1Slice(at, at + len)
    : (at, len) => decoder.decode(bytesView.subarray(at, at + len));
const decoder = new TextDecoder('latin1');

// Algorithm names by code and length (code | length << 8), asked of the crate once each.
const algorithmNames = new Map();
function algorithmName(code, len) {
  const key = code | (len << 8);
  let name = algorithmNames.get(key);
  if (name === undefined) {
    wasm.amt_hello_algorithm_name(code, len, TEXT, MESSAGE_SIZE, LEN);
    name = text();
    algorithmNames.set(key, name);
  }
  return name;
}

/** `amt_hello_texts` of the view at VIEW into the memory from `at` on (with the digests, and
 * their infos at INFOS, when `infos` is set). */
const texts = (at, infos) =>
  wasm.amt_hello_texts(VIEW, infos ? INFOS : 0, infos ? MAX_HASHES : 0, at, bytesView.length - at, LEN);

/** The view's text, written at `at` by one `amt_hello_texts` call, as one string. */
function viewText(at, infos) {
  let status = texts(at, infos);
  if (status === BUFFER_TOO_SMALL) {
    // The call says how long the text can be: make room for it and its NUL, once.
    reserve(at + dataView.getUint32(LEN, true) + 1);
    status = texts(at, infos);
  }
  if (status !== OK) throw failure(status);
  return text(at);
}

/** The parsed view at VIEW (its message in the input area) as amt-hello decode's object.
 * `digests`: 'hex' (the default), 'bytes', or 'only' (the hex alone, as MeshCentral's `hashes`). */
function helloObject(digests) {
  const len = dataView.getUint32(VIEW + 4, true);
  const version = dataView.getUint16(VIEW + 8, true);
  const count = bytesView[VIEW + 16]; // 0 for PSK
  const bytes = digests === 'bytes';
  const only = digests === 'only';
  // One call writes every digest's hex (unless the digests are wanted as bytes), the GUID, the
  // UUID's hex and the PID after the message: one string, of which the fields are slices.
  const text = viewText(INPUT + len, !bytes);
  const hashes = new Array(count);
  let next = 0;
  if (bytes) {
    // One copy of the message for all its digests: in V8 a typed array over an ArrayBuffer
    // costs about half as much as one with an ArrayBuffer of its own.
    const copy = count > 0 ? bytesView.slice(INPUT, INPUT + len).buffer : null;
    wasm.amt_hello_hashes(VIEW, ITER);
    for (let i = 0; i < count && wasm.amt_hello_hashes_next(ITER, HASH); i++) {
      const code = bytesView[HASH];
      const size = bytesView[HASH + 1];
      const at = dataView.getUint32(HASH + 4, true) - INPUT;
      hashes[i] = { algorithm: algorithmName(code, size), digest: new Uint8Array(copy, at, size) };
    }
  } else {
    // A device sends one algorithm throughout: look its name up when it changes.
    let key = -1;
    let algorithm = '';
    for (let i = 0; i < count; i++) {
      const code = bytesView[INFOS + 2 * i];
      const size = bytesView[INFOS + 2 * i + 1];
      const digest = text.slice(next, (next += 2 * size));
      if (!only && (code | (size << 8)) !== key) {
        key = code | (size << 8);
        algorithm = algorithmName(code, size);
      }
      hashes[i] = only ? digest : { algorithm, digest };
    }
  }
  const guidEnd = next + GUID_LEN;
  const uuidEnd = guidEnd + UUID_HEX_LEN;
  return {
    len,
    version,
    admin_credentials_set: bytesView[VIEW + 10] === 1,
    retry_count: dataView.getUint32(VIEW + 12, true),
    uuid: text.slice(next, guidEnd),
    uuid_raw: text.slice(guidEnd, uuidEnd),
    pid: uuidEnd < text.length ? text.slice(uuidEnd) : null,
    cert_hashes: hashes,
  };
}

/** `{ digests }` of the options: 'hex' or 'bytes'. */
function digestForm(options) {
  const form = options === undefined || options.digests === undefined ? 'hex' : options.digests;
  if (form !== 'hex' && form !== 'bytes') throw new TypeError(`digests: 'hex' or 'bytes', not ${String(form)}`);
  return form;
}

/**
 * Parses one whole Hello (a Uint8Array or Buffer). Returns amt-hello decode's object:
 * { len, version, admin_credentials_set, retry_count, uuid, uuid_raw, pid, cert_hashes }, each
 * of `cert_hashes` an { algorithm, digest }. Options: `lenient` (accept what the lenient policy
 * does); `digests`: 'hex' (the default: lowercase hex, as `amt-hello decode` prints) or 'bytes'
 * (for an SCA that compares raw fingerprints: no hex, each digest a Uint8Array over one copy of
 * the message made for this parse, never the module's memory, so later calls leave it as it
 * is). Throws an Error with `kind` (e.g. 'truncated'), `offset` and the Rust crate's message.
 */
function parseHello(bytes, options) {
  const digests = digestForm(options);
  const status = read(wasm.amt_hello_parse, bytes, options);
  if (status !== OK) throw failure(status);
  return helloObject(digests);
}

/**
 * Is a whole Hello at the front of the bytes received so far? `{ complete: true, len, hello }`
 * (bytes after `len` are not part of it), or `{ complete: false, needed, exact }`: read more,
 * the message needs `needed` bytes in all (exactly, or at least). Throws when the bytes can
 * never become a valid Hello. Options as for `parseHello`.
 */
function frame(bytes, options) {
  const digests = digestForm(options);
  const status = read(wasm.amt_hello_frame, bytes, options);
  if (status === INCOMPLETE) return { complete: false, ...need() };
  if (status !== OK) throw failure(status);
  const hello = helloObject(digests);
  return { complete: true, len: hello.len, hello };
}

/**
 * A drop-in for MeshCentral's `parseHelloData(data, addr)` in amtprovisioningserver.js: the same
 * object ({ time, addr, adminCredentialsSet, helloversion, retryCount, guidhex, guid, hashes })
 * or null, but with the protocol's strict checks: whole messages only, no trailing bytes,
 * unsigned fields, SHA-512 entries, and PSK Hellos (version 2, with `pid` and no hashes).
 */
function parseHelloData(data, addr) {
  if (read(wasm.amt_hello_parse, data) !== OK) return null;
  const hello = helloObject('only');
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

exports.parseHello = parseHello;
exports.frame = frame;
exports.parseHelloData = parseHelloData;
