// node esm.mjs DATA: the package by `import`, and the same functions as by `require`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parseHello, frame, parseHelloData } from 'amt-hello';
import check from './check.cjs';

assert.equal(createRequire(import.meta.url)('amt-hello').parseHello, parseHello, 'one implementation');
check({ parseHello, frame, parseHelloData }, process.argv[2], 'ESM (import)');
