// tsc --strict: the package's declarations from an ES module.
import { parseHello, frame, parseHelloData, type Hello, type HelloError } from 'amt-hello';

const bytes: Uint8Array = new Uint8Array(32);
const hex: Hello = parseHello(bytes, { lenient: true });
const digest: string | undefined = hex.cert_hashes[0]?.digest;
const raw: Uint8Array | undefined = parseHello(bytes, { digests: 'bytes' }).cert_hashes[0]?.digest;
const f = frame(bytes);
const len: number = f.complete ? f.hello.len : f.needed;
const guid: string | undefined = parseHelloData(bytes, '192.0.2.1')?.guid;
let kind = '';
try {
  parseHello(bytes);
} catch (e) {
  kind = (e as HelloError).kind;
}
export const used = [digest, raw, len, guid, hex.pid ?? 'PKI', kind];
