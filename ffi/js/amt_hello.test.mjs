// node --test ffi/js: the ES module over the shared vectors and the real captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseHello, frame, parseHelloData } from './amt_hello.mjs';

const data = new URL('../../tests/data/', import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('hello-vectors.json', data)));
const expected = JSON.parse(readFileSync(new URL('real/expected.json', data)));
const captures = readdirSync(new URL('real/', data))
  .filter((name) => name.endsWith('.hex'))
  .map((name) => ({
    name,
    bytes: Buffer.from(readFileSync(new URL(`real/${name}`, data), 'utf8').replace(/\s/g, ''), 'hex'),
    expect: expected[name],
  }));
/** The module's exports in an instance of their own, to call the C ABI directly: the start `at`
 * of its free memory, and the memory, grown by 64 KiB, as a Buffer. */
function instance() {
  const wasm = new WebAssembly.Instance(
    new WebAssembly.Module(readFileSync(new URL('./amt_hello.wasm', import.meta.url))),
    {},
  ).exports;
  wasm.memory.grow(1);
  return { wasm, at: (wasm.__heap_base.value + 15) & ~15, memory: Buffer.from(wasm.memory.buffer) };
}

const valid = [
  ...vectors.valid.map((v) => ({ name: v.name, bytes: Buffer.from(v.hex, 'hex'), expect: v.expect })),
  ...captures,
];

test('every valid vector and capture decodes to its expected object, again, from a Buffer or a Uint8Array', () => {
  assert.equal(captures.length, 3);
  // The second round after other messages: no call depends on what an earlier one left.
  for (const round of [0, 1]) {
    for (const v of valid) {
      const bytes = round === 0 ? v.bytes : new Uint8Array(v.bytes);
      assert.deepEqual(parseHello(bytes), v.expect, `${v.name}, round ${round}`);
      assert.deepEqual(parseHelloData(bytes, 'x').hashes, v.expect.cert_hashes.map((h) => h.digest), v.name);
    }
  }
});

test('every invalid vector throws its kind and offset, and the lenient policy decides as the vectors say', () => {
  for (const v of vectors.invalid) {
    const bytes = Buffer.from(v.hex, 'hex');
    assert.throws(
      () => parseHello(bytes),
      (e) => {
        assert.equal(e.kind, v.error.kind, v.name);
        assert.equal(e.offset, v.error.offset, v.name);
        if (v.error.needed !== undefined) assert.equal(e.needed, v.error.needed, v.name);
        assert.match(e.message, new RegExp(`byte ${v.error.offset}\\b`), v.name);
        return true;
      },
    );
    if (v.lenient === 'ok') assert.doesNotThrow(() => parseHello(bytes, { lenient: true }), v.name);
    else assert.throws(() => parseHello(bytes, { lenient: true }), { kind: v.error.kind }, v.name);
  }
});

test('frame: every prefix asks for more, a longer buffer gives the message alone', () => {
  for (const v of valid) {
    for (let n = 0; n < v.bytes.length; n++) {
      const f = frame(v.bytes.subarray(0, n));
      assert.equal(f.complete, false, `${v.name}[..${n}]`);
      assert.ok(f.needed > n && f.needed <= v.bytes.length, `${v.name}[..${n}]`);
      if (f.exact) assert.equal(f.needed, v.bytes.length);
    }
    const longer = Buffer.concat([v.bytes, Buffer.from([1, 0, 2, 0])]);
    assert.deepEqual(frame(longer), { complete: true, len: v.bytes.length, hello: v.expect }, v.name);
  }
  assert.throws(() => frame(Buffer.from('0200', 'hex')), { kind: 'invalid_admin_credentials', offset: 0 });
});

test('parseHelloData has MeshCentral\'s shape, with the spec\'s strictness and PSK support', () => {
  const v = captures[0];
  const before = Date.now();
  const hello = parseHelloData(v.bytes, '127.0.0.1');
  assert.ok(hello.time >= before && hello.time <= Date.now());
  const expect = {
    time: hello.time,
    addr: '127.0.0.1',
    adminCredentialsSet: v.expect.admin_credentials_set,
    helloversion: 3,
    retryCount: v.expect.retry_count,
    guidhex: v.expect.uuid_raw,
    guid: v.expect.uuid,
    hashes: v.expect.cert_hashes.map((h) => h.digest),
  };
  assert.deepEqual(Object.entries(hello), Object.entries(expect)); // the keys' order too
  // Where MeshCentral's parser accepts what the spec does not, this one returns null:
  // the first segment alone, trailing bytes.
  assert.equal(parseHelloData(v.bytes.subarray(0, 100), '127.0.0.1'), null);
  assert.equal(parseHelloData(Buffer.concat([v.bytes, Buffer.from([0])]), '127.0.0.1'), null);
  // A PSK Hello is a device too.
  const psk = parseHelloData(Buffer.from(vectors.valid[0].hex, 'hex'), '127.0.0.2');
  assert.deepEqual([psk.helloversion, psk.pid, psk.hashes], [2, 'ABCD-1234', []]);
});

test('a message larger than the scratch memory grows it', () => {
  // The longest Hello (255 entries of 255 bytes, an unknown algorithm: lenient) fits the first
  // memory, its text does not: the text call asks for room once.
  const digest = Buffer.from(Array.from({ length: 255 }, (_, i) => i));
  const longest = pki(Buffer.alloc(16, 7), Array.from({ length: 255 }, () => [0x7f, digest]));
  const hashes = parseHello(longest, { lenient: true }).cert_hashes;
  assert.equal(hashes.length, 255);
  assert.ok(hashes.every((h) => h.digest === digest.toString('hex') && h.algorithm === 'unknown(127)'));
  const big = valid.reduce((a, b) => (a.bytes.length > b.bytes.length ? a : b));
  const padded = Buffer.concat([big.bytes, Buffer.alloc(200000)]);
  assert.equal(frame(padded).len, big.bytes.length);
  assert.throws(() => parseHello(padded), { kind: 'trailing_bytes', offset: big.bytes.length });
  assert.deepEqual(parseHello(big.bytes), big.expect);
});

test('the module\'s hex (16 bytes a step with SIMD128) is Node\'s at every length and byte', () => {
  const { wasm, at, memory } = instance();
  const len = at; // a size_t, before the bytes
  const input = at + 8;
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 167 + 13) & 0xff));
  for (let n = 0; n <= 100; n++) {
    const source = bytes.subarray(n, 2 * n); // different bytes at each length
    const out = input + source.length;
    memory.set(source, input);
    memory.fill(0x78, out, out + 2 * n + 2);
    assert.equal(wasm.amt_hello_digest_hex(input, n, out, 2 * n + 1, len), 0);
    assert.equal(memory.latin1Slice(out, out + 2 * n), source.toString('hex'), `length ${n}`);
    assert.equal(memory[out + 2 * n], 0, 'NUL');
    assert.equal(memory[out + 2 * n + 1], 0x78, 'nothing past the NUL');
    assert.equal(memory.readUInt32LE(len), 2 * n);
  }
  // Every byte value in one call, across whole blocks and a tail.
  memory.set(bytes, input);
  assert.equal(wasm.amt_hello_digest_hex(input, 256, input + 256, 513, len), 0);
  assert.equal(memory.latin1Slice(input + 256, input + 768), bytes.toString('hex'));
});

/** A strict PKI Hello: UUID `uuid` (16 bytes) and these [code, digest] entries. */
function pki(uuid, entries) {
  const head = Buffer.from([1, 0, 3, 0, 2, 0, 0, 0]);
  const list = entries.flatMap(([code, digest]) => [Buffer.from([code, digest.length]), digest]);
  return Buffer.concat([head, uuid, Buffer.from([entries.length]), ...list]);
}

/** A deterministic stream of 32-bit numbers (xorshift). */
function numbers(seed) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

test("digests: 'bytes' gives each digest's bytes, copied, and the rest as in hex", () => {
  const asBytes = (expect) => ({
    ...expect,
    cert_hashes: expect.cert_hashes.map((h) => ({ ...h, digest: new Uint8Array(Buffer.from(h.digest, 'hex')) })),
  });
  const parsed = valid.map((v) => {
    const hello = parseHello(v.bytes, { digests: 'bytes' });
    assert.deepEqual(hello, asBytes(v.expect), v.name);
    assert.deepEqual(frame(v.bytes, { digests: 'bytes' }).hello, hello, v.name);
    assert.deepEqual(parseHello(v.bytes, { digests: 'hex' }), v.expect, v.name);
    return hello;
  });
  // Copies: later parses (which overwrite the module's memory) leave them as they were; their
  // buffer is the parse's own copy of the message.
  valid.forEach((v, i) => {
    assert.deepEqual(parsed[i], asBytes(v.expect), v.name);
    for (const h of parsed[i].cert_hashes) assert.equal(h.digest.buffer.byteLength, v.bytes.length);
  });
  assert.throws(() => parseHello(valid[0].bytes, { digests: 'base64' }), TypeError);
});

test('random lists of mixed lengths give every digest, and the GUID (SIMD128 shuffles) is the crate\'s and MeshCentral\'s', () => {
  // guidToStr from MeshCentral's amtprovisioningserver.js, of the UUID's hex.
  const guidToStr = (g) =>
    `${g.slice(6, 8)}${g.slice(4, 6)}${g.slice(2, 4)}${g.slice(0, 2)}-${g.slice(10, 12)}${g.slice(8, 10)}` +
    `-${g.slice(14, 16)}${g.slice(12, 14)}-${g.slice(16, 20)}-${g.slice(20)}`;
  // amt_hello_uuid_text is the crate's Uuid::text_into, built without SIMD, in its own instance.
  const { wasm, at, memory } = instance();
  const next = numbers(0x2545f491);
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => next() & 0xff));
  for (let round = 0; round < 1000; round++) {
    const uuid = bytes(16);
    const entries = Array.from({ length: next() % 40 }, () => {
      const [code, len] = [[1, 20], [2, 32], [3, 48], [3, 64]][next() % 4];
      return [code, bytes(len)];
    });
    const message = pki(uuid, entries);
    const hex = parseHello(message).cert_hashes;
    const digests = entries.map(([, d]) => d.toString('hex'));
    assert.deepEqual(hex.map((h) => h.digest), digests, `round ${round}`);
    const raw = parseHello(message, { digests: 'bytes' }).cert_hashes;
    const expected = hex.map((h) => ({ algorithm: h.algorithm, digest: new Uint8Array(Buffer.from(h.digest, 'hex')) }));
    assert.deepEqual(raw, expected, `round ${round}`);
    const hello = parseHelloData(message, 'x');
    const guid = [uuid.toString('hex'), guidToStr(uuid.toString('hex'))];
    assert.deepEqual([hello.hashes, hello.guidhex, hello.guid], [digests, ...guid], `round ${round}`);
    memory.set(uuid, at);
    assert.equal(wasm.amt_hello_uuid_text(at, at + 16, 37, at + 56), 0);
    assert.equal(hello.guid, memory.latin1Slice(at + 16, at + 52));
  }
});
