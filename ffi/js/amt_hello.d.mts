// Types of amt-hello's ES module entry (amt_hello.mjs): those of amt_hello.cjs, which it re-exports.
export * from './amt_hello.cjs';
