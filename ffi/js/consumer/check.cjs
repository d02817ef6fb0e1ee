// The consumer test of the installed package, run from ESM (esm.mjs) and from CommonJS
// (cjs.cjs) by ffi/js/package-test.sh: the real captures decode to their expected objects, a
// truncated Hello is refused. Usage: check(api, tests/data directory, label).
'use strict';
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function check({ parseHello, frame, parseHelloData }, data, label) {
  const expected = JSON.parse(readFileSync(join(data, 'real', 'expected.json'), 'utf8'));
  const names = Object.keys(expected).filter((name) => name.endsWith('.hex'));
  assert.equal(names.length, 3);
  for (const name of names) {
    const bytes = Buffer.from(readFileSync(join(data, 'real', name), 'utf8').replace(/\s/g, ''), 'hex');
    assert.deepEqual(parseHello(bytes), expected[name], name);
    assert.deepEqual(frame(bytes), { complete: true, len: bytes.length, hello: expected[name] }, name);
    assert.equal(parseHelloData(bytes, '192.0.2.1').guid, expected[name].uuid, name);
    const truncated = bytes.subarray(0, 40);
    assert.throws(() => parseHello(truncated), { kind: 'truncated', offset: 27 }, name);
    assert.equal(frame(truncated).complete, false, name);
    assert.equal(parseHelloData(truncated, '192.0.2.1'), null, name);
  }
  console.log(`package-test: ${label}: ${names.length} captures decode, a truncated Hello is refused`);
};
