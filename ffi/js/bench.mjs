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

/** Median ns per call over 15 rounds of a calibrated loop. */
function measure(f, bytes) {
  let n = 1;
  for (let t = 0n; t < 20_000_000n; n *= 2) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(bytes);
    t = process.hrtime.bigint() - start;
  }
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(bytes);
    rounds.push(Number(process.hrtime.bigint() - start) / n);
  }
  return rounds.sort((a, b) => a - b)[7];
}

console.log(`node ${process.version}; ns per call, median of 15 rounds`);
console.log('message           MeshCentral parseHelloData   parseHello (wasm)   parseHelloData (wasm)   speed-up');
for (const [name, bytes] of messages) {
  const mesh = meshParseHelloData(bytes, '127.0.0.1');
  const ours = parseHelloData(bytes, '127.0.0.1');
  if (JSON.stringify(mesh.hashes) !== JSON.stringify(ours.hashes) || mesh.guid !== ours.guid) {
    throw new Error(`${name}: the two parsers disagree`);
  }
  const m = measure((b) => meshParseHelloData(b, '127.0.0.1'), bytes);
  const p = measure((b) => parseHello(b), bytes);
  const d = measure((b) => parseHelloData(b, '127.0.0.1'), bytes);
  console.log(`${name.padEnd(17)} ${m.toFixed(0).padStart(26)} ${p.toFixed(0).padStart(19)} ${d.toFixed(0).padStart(23)} ${(m / p).toFixed(1).padStart(9)}x`);
}
