// tsc --strict: the package's declarations from CommonJS.
import amtHello = require('amt-hello');

const hello: amtHello.Hello<Uint8Array> = amtHello.parseHello(new Uint8Array(32), { digests: 'bytes' });
const dev: amtHello.MeshCentralHello | null = amtHello.parseHelloData(new Uint8Array(32), '192.0.2.1');
export const used = [hello.uuid, dev?.hashes.length];
