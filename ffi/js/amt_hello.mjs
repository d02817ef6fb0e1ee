// The ES module entry of amt-hello (`import { parseHello, frame, parseHelloData } from
// 'amt-hello'`): the functions of amt_hello.cjs, the one implementation, so that a program
// that both imports and requires the package has one instance of it. Types: amt_hello.d.mts.
import amtHello from './amt_hello.cjs';

export const { parseHello, frame, parseHelloData } = amtHello;
