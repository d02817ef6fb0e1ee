// node ffi/js/bench.mjs: parseHello (WebAssembly) against MeshCentral's own parseHelloData on the
// same bytes, in one process. Not run by CI: it fetches the meshcentral package with `npm pack`
// into a temporary directory and takes the function from its amtprovisioningserver.js (nothing
// of it is kept). Pass a path to an amtprovisioningserver.js to skip the download.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHello, parseHelloData } from './amt_hello.mjs';

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
 * The strings and objects alone: each function's result made from hex already in memory, with
 * one latin1 string and a slice per field, as the module makes it. No parser that returns that
 * shape from one string can be faster, so MeshCentral's time over this bounds the speed-up.
 * `decode` is parseHello's shape (entries of { algorithm, digest }), `mesh` parseHelloData's.
 */
function floorsFor(bytes) {
  const len = bytes.length;
  const memory = Buffer.from(bytes.toString('hex') + '00000000-0000-0000-0000-000000000000', 'latin1');
  const names = parseHello(bytes).cert_hashes.map((h) => h.algorithm);
  const at = [];
  for (let i = 0, p = 25; i < bytes[24]; i++) {
    at.push(p + 2, bytes[p + 1]);
    p += 2 + bytes[p + 1];
  }
  const digest = (text, i) => text.slice(2 * at[2 * i], 2 * (at[2 * i] + at[2 * i + 1]));
  const mesh = (b, addr) => {
    const text = memory.latin1Slice(0, memory.length);
    const hashes = new Array(names.length);
    for (let i = 0; i < hashes.length; i++) hashes[i] = digest(text, i);
    return {
      time: Date.now(), addr, adminCredentialsSet: b[0] === 1, helloversion: 3, retryCount: b[4],
      guidhex: text.slice(16, 48), guid: text.slice(2 * len), hashes,
    };
  };
  const decode = (b) => {
    const text = memory.latin1Slice(0, memory.length);
    const hashes = new Array(names.length);
    for (let i = 0; i < hashes.length; i++) hashes[i] = { algorithm: names[i], digest: digest(text, i) };
    return {
      len, version: 3, admin_credentials_set: b[0] === 1, retry_count: b[4],
      uuid: text.slice(2 * len), uuid_raw: text.slice(16, 48), pid: null, cert_hashes: hashes,
    };
  };
  return { mesh, decode };
}

/** Median ns per call of each function over 21 rounds of a calibrated loop. The rounds take
 * turns (A B C D, A B C D, ...), so every function meets the same garbage collector and clock. */
function measure(fs, bytes) {
  const counts = fs.map((f) => {
    let n = 1;
    for (let t = 0n; t < 20_000_000n; n *= 2) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) f(bytes, '127.0.0.1');
      t = process.hrtime.bigint() - start;
    }
    return n;
  });
  const rounds = fs.map(() => []);
  for (let r = 0; r < 21; r++) {
    fs.forEach((f, k) => {
      const n = counts[k];
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) f(bytes, '127.0.0.1');
      rounds[k].push(Number(process.hrtime.bigint() - start) / n);
    });
  }
  return rounds.map((times) => times.sort((a, b) => a - b)[10]);
}

const cell = (x, width) => x.toFixed(0).padStart(width);
const times = (x, width) => `${x.toFixed(1)}x`.padStart(width);
console.log(`node ${process.version}; ns per call, median of 21 interleaved rounds; "alone": the`);
console.log('strings and objects of that result alone; "bound": MeshCentral over "alone"');
console.log('                            parseHello                    parseHelloData (wasm)');
console.log('message          MeshCentral   ns  alone speed-up  bound     ns  alone speed-up  bound');
for (const [name, bytes] of messages) {
  const floor = floorsFor(bytes);
  const mesh = meshParseHelloData(bytes, '127.0.0.1');
  const ours = parseHelloData(bytes, '127.0.0.1');
  const least = floor.mesh(bytes, '127.0.0.1');
  for (const other of [ours, least]) {
    if (JSON.stringify(mesh.hashes) !== JSON.stringify(other.hashes) || mesh.guidhex !== other.guidhex) {
      throw new Error(`${name}: the parsers disagree`);
    }
  }
  if (mesh.guid !== ours.guid) throw new Error(`${name}: the GUIDs disagree`);
  if (JSON.stringify(floor.decode(bytes).cert_hashes) !== JSON.stringify(parseHello(bytes).cert_hashes)) {
    throw new Error(`${name}: parseHello and its floor disagree`);
  }
  const [m, p, pf, d, df] = measure(
    [meshParseHelloData, (b) => parseHello(b), floor.decode, parseHelloData, floor.mesh],
    bytes,
  );
  console.log(
    `${name.padEnd(16)} ${cell(m, 11)} ${cell(p, 5)} ${cell(pf, 6)} ${times(m / p, 8)} ${times(m / pf, 6)}` +
      ` ${cell(d, 6)} ${cell(df, 6)} ${times(m / d, 8)} ${times(m / df, 6)}`,
  );
}
