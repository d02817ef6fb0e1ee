// node meshcentral.cjs amtprovisioningserver.js DATA: MeshCentral's Intel AMT Hello server
// (amtprovisioningserver.js, Apache-2.0, from its npm package) with its parseHelloData replaced
// by one line that requires this package, fed the real captures and a truncated Hello over TCP.
// Its dependencies are stubbed as in cli/benches/meshcentral_sca.cjs: each Hello takes
// MeshCentral's real path (socket handlers, parseHelloData, processHelloData) up to the
// device-group check; its table of devices being activated records what it is given.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');

const [file, data] = process.argv.slice(2);
const source = fs.readFileSync(file, 'utf8');

// The drop-in: MeshCentral's 35-line function out, one line in.
const DROP_IN = "var parseHelloData = require('amt-hello').parseHelloData;";
const start = source.indexOf('function parseHelloData(data, addr) {');
assert.ok(start > 0, 'parseHelloData not found in amtprovisioningserver.js');
let end = source.indexOf('{', start);
for (let depth = 0; end < source.length; end++) {
  if (source[end] === '{') depth++;
  else if (source[end] === '}' && --depth === 0) break;
}
const original = source.slice(start, end + 1);
const swapped = source.replace(original, DROP_IN);
console.log(`package-test: MeshCentral: parseHelloData (${original.split('\n').length} lines) replaced by: ${DROP_IN}`);

// A server on 127.0.0.1, on a port of the system's choosing.
const loopbackNet = {
  ...net,
  createServer(handler) {
    const server = net.createServer(handler);
    const listen = server.listen.bind(server);
    server.listen = (p) => listen(p, '127.0.0.1');
    return server;
  },
};
const stubs = { net: loopbackNet, dns: require('node:dns'), 'amt-hello': require('amt-hello') };
const requireStub = (name) => stubs[name] ?? {};
let heard = null;
const parent = {
  debug(...args) {
    const text = args.join(' ');
    if (/hello from/.test(text) && heard) heard(text);
  },
  certificateOperations: {
    forge: { pki: { certificateFromPem: () => ({ subject: { getField: () => ({ value: 'stub' }) } }) } },
  },
  certificates: { root: { cert: '' } },
  webserver: { meshes: {} },
  config: { domains: {} },
};
const module_ = { exports: {} };
new Function('module', 'exports', 'require', swapped)(module_, module_.exports, requireStub);
const log = console.log;
console.log = () => {}; // its start-up line
const sca = module_.exports.CreateAmtProvisioningServer(parent, { devicegroup: 'none', newmebxpassword: 'P@ssw0rd1', port: 0 });
console.log = log;
const accepted = [];
sca.devices = new Proxy({}, { set: (_, __, dev) => accepted.push(dev) > 0 });

/** Sends one Hello as a device does (connect, send, close); resolves with MeshCentral's verdict. */
function send(bytes) {
  return new Promise((resolve) => {
    heard = resolve;
    const socket = net.connect(sca.server.address().port, '127.0.0.1', () => socket.end(bytes));
  });
}

(async () => {
  await new Promise((resolve) => (sca.server.listening ? resolve() : sca.server.once('listening', resolve)));
  const expected = JSON.parse(fs.readFileSync(join(data, 'real', 'expected.json'), 'utf8'));
  const names = Object.keys(expected).filter((name) => name.endsWith('.hex'));
  let last;
  for (const name of names) {
    last = Buffer.from(fs.readFileSync(join(data, 'real', name), 'utf8').replace(/\s/g, ''), 'hex');
    assert.match(await send(last), /^amtsca Got hello from/, name);
    const dev = accepted.pop();
    assert.equal(dev.guid, expected[name].uuid, name);
    assert.deepEqual(dev.hashes, expected[name].cert_hashes.map((h) => h.digest), name);
  }
  assert.match(await send(last.subarray(0, 40)), /Got invalid hello from/, 'truncated');
  assert.equal(accepted.length, 0);
  // MeshCentral's own function, for contrast (not asserted: it may be fixed one day).
  const theirs = new Function(`${original}\n${source.match(/function guidToStr\(g\) \{.*\}/)[0]}\nreturn parseHelloData;`)();
  const their = theirs(last.subarray(0, 40), '127.0.0.1');
  console.log(
    `package-test: MeshCentral with amt-hello: ${names.length} real captures accepted, a truncated Hello (40 bytes) refused` +
      (their ? ` (MeshCentral's own parseHelloData accepts it, with ${their.hashes.filter((h) => h === '').length} empty hashes)` : ''),
  );
  sca.server.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
