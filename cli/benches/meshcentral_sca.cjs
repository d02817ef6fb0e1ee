// MeshCentral's Intel AMT Hello server (amtprovisioningserver.js, Apache-2.0, from its npm
// package) running on its own, for cli/benches/listen.sh: node meshcentral_sca.cjs FILE PORT.
//
// Its dependencies are stubbed so that every Hello takes MeshCentral's real path as far as it
// goes without a database: the socket handlers, parseHelloData, and processHelloData up to the
// device-group check (which fails: there is no device group, so no activation and no DNS
// lookup). Two changes keep it honest as a benchmark and as a neighbour: its table of devices
// being activated ignores writes (otherwise every Hello after the first from 127.0.0.1 would be
// dropped before parsing), and it listens on 127.0.0.1 only.
'use strict';
const fs = require('fs');
const net = require('net');

const [file, port] = process.argv.slice(2);
const source = fs.readFileSync(file, 'utf8');

const loopbackNet = {
  ...net,
  createServer(handler) {
    const server = net.createServer(handler);
    const listen = server.listen.bind(server);
    server.listen = (p) => listen(p, '127.0.0.1');
    return server;
  },
};
const stubs = { net: loopbackNet, dns: require('dns') };
const requireStub = (name) => stubs[name] ?? {};

const parent = {
  debug(...args) {
    if (process.env.MESHCENTRAL_DEBUG) console.error(...args);
  },
  certificateOperations: {
    forge: { pki: { certificateFromPem: () => ({ subject: { getField: () => ({ value: 'stub' }) } }) } },
  },
  certificates: { root: { cert: '' } },
  webserver: { meshes: {} },
  config: { domains: {} },
};
const module_ = { exports: {} };
new Function('module', 'exports', 'require', source)(module_, module_.exports, requireStub);
const log = console.log;
console.log = () => {}; // its start-up line
const sca = module_.exports.CreateAmtProvisioningServer(parent, {
  devicegroup: 'none',
  newmebxpassword: 'P@ssw0rd1',
  port: Number(port),
});
console.log = log;
sca.devices = new Proxy({}, { set: () => true });
