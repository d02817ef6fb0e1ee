// node ffi/benches/node.mjs [amtprovisioningserver.js]: parseHello and parseHelloData (WebAssembly)
// against MeshCentral's own parseHelloData on the same bytes, in one process, in three workloads
// (see `workload`), and parseHello with `digests: 'bytes'`, which has no MeshCentral counterpart.
// Not run by CI: without a path to MeshCentral's amtprovisioningserver.js it fetches the
// meshcentral package with `npm pack` into a temporary directory and keeps nothing of it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHello, parseHelloData } from '../js/amt_hello.mjs';

function meshCentralSource() {
  if (process.argv[2]) return readFileSync(process.argv[2], 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'meshcentral-'));
  try {
    const tarball = execFileSync('npm', ['pack', 'meshcentral', '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim();
    execFileSync('tar', ['-xzf', join(dir, tarball.split('\n').pop()), '-C', dir, 'package/amtprovisioningserver.js']);
    return readFileSync(join(dir, 'package', 'amtprovisioningserver.js'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The two functions as MeshCentral defines them, inside its server's closure.
const source = meshCentralSource();
const body = (name) => {
  const start = source.indexOf(`function ${name}(`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`${name} not found`);
};
const meshParseHelloData = new Function(`${body('parseHelloData')}\n${body('guidToStr')}\nreturn parseHelloData;`)();

const data = new URL('../../tests/data/', import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('hello-vectors.json', data)));
const vector = (name) => Buffer.from(vectors.valid.find((v) => v.name === name).hex, 'hex');
const capture = Buffer.from(readFileSync(new URL('real/meshcentral-pki-v3-1.hex', data), 'utf8').replace(/\s/g, ''), 'hex');
const messages = [
  ['pki23_sha256', capture],
  ['pki255_sha384', vector('pki_255_sha384')],
];

/**
 * The messages of a workload, `count` of them made from `bytes`:
 * - `repeat`: the same bytes every call, as a device sends on each retry;
 * - `fleet`: a new device every call (its own UUID), with the same root hashes, as a firmware
 *   generation's devices send;
 * - `cold`: every digest new: `fresh` writes a counter into each digest before each call (for
 *   every parser; about 2 ns a digest), so no digest is ever seen twice.
 */
function workload(bytes, kind, count) {
  const random = (n) => Buffer.from(Array.from({ length: n }, () => (Math.random() * 256) | 0));
  return Array.from({ length: kind === 'repeat' ? 1 : count }, () => {
    const message = Buffer.from(bytes);
    if (kind !== 'repeat') random(16).copy(message, 8);
    for (let i = 0, at = 25; kind === 'cold' && i < message[24]; i++) {
      random(message[at + 1]).copy(message, at + 2);
      at += 2 + message[at + 1];
    }
    return message;
  });
}

/** Median ns per call of each function over 21 rounds of a calibrated loop through the
 * messages. The rounds take turns (A B C, A B C, ...), so every function meets the same
 * garbage collector and clock. */
function measure(fs, messages, fresh) {
  const mask = messages.length - 1; // a power of two
  const digests = [];
  for (let i = 0, at = 25; i < messages[0][24]; i++, at += 2 + messages[0][at + 1]) digests.push(at + 2);
  let counter = 0;
  const run = (f, n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const message = messages[i & mask];
      if (fresh) {
        counter = (counter + 1) >>> 0;
        for (const at of digests) message.writeUInt32LE(counter, at + 4);
      }
      f(message, '127.0.0.1');
    }
    return Number(process.hrtime.bigint() - start) / n;
  };
  const counts = fs.map((f) => {
    let n = messages.length;
    while (run(f, n) * n < 20_000_000) n *= 2;
    return n;
  });
  const rounds = fs.map(() => []);
  for (let r = 0; r < 21; r++) fs.forEach((f, k) => rounds[k].push(run(f, counts[k])));
  return rounds.map((times) => times.sort((a, b) => a - b)[10]);
}

const cell = (x, width) => x.toFixed(0).padStart(width);
const times = (x, width) => `${x.toFixed(1)}x`.padStart(width);
console.log(`node ${process.version}; ns per call, median of 21 interleaved rounds`);
console.log('message          workload  MeshCentral  parseHello speed-up  parseHelloData speed-up  bytes');
for (const [name, bytes] of messages) {
  for (const kind of ['repeat', 'fleet', 'cold']) {
    const set = workload(bytes, kind, name.startsWith('pki255') ? 64 : 1024);
    for (const message of set) {
      const mesh = meshParseHelloData(message, '127.0.0.1');
      const ours = parseHelloData(message, '127.0.0.1');
      const hashes = parseHello(message).cert_hashes.map((h) => h.digest);
      const theirs = JSON.stringify([mesh.hashes, mesh.hashes, mesh.guidhex, mesh.guid]);
      if (theirs !== JSON.stringify([ours.hashes, hashes, ours.guidhex, ours.guid])) {
        throw new Error(`${name} ${kind}: the parsers disagree`);
      }
    }
    const asBytes = { digests: 'bytes' };
    const [m, p, d, b] = measure(
      [meshParseHelloData, (x) => parseHello(x), parseHelloData, (x) => parseHello(x, asBytes)],
      set,
      kind === 'cold',
    );
    console.log(
      `${name.padEnd(16)} ${kind.padEnd(8)} ${cell(m, 12)} ${cell(p, 11)} ${times(m / p, 8)}` +
        ` ${cell(d, 15)} ${times(m / d, 8)} ${cell(b, 6)}`,
    );
  }
}
