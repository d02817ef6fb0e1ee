// node cjs.cjs DATA: the package by `require`.
'use strict';
require('./check.cjs')(require('amt-hello'), process.argv[2], 'CommonJS (require)');
