// Types of amt-hello (amt_hello.cjs; amt_hello.d.mts re-exports them for `import`).

/** `parseHello` and `frame` options. */
export interface ParseOptions {
  /** Accept what the lenient policy does (e.g. a retry count above 14). Default false. */
  lenient?: boolean;
  /** 'hex' (the default): each digest as lowercase hex. 'bytes': each as a Uint8Array over a
   * copy of the message made for that parse, and no hex made. */
  digests?: 'hex' | 'bytes';
}

/** One certificate hash: its algorithm's name (e.g. 'sha256') and its digest. */
export interface CertHash<Digest = string> {
  algorithm: string;
  digest: Digest;
}

/** A parsed Hello: the object `amt-hello decode` prints. */
export interface Hello<Digest = string> {
  /** The message's length in bytes. */
  len: number;
  /** 2 (PSK, with `pid`) or 3 (PKI, with `cert_hashes`). */
  version: number;
  admin_credentials_set: boolean;
  retry_count: number;
  /** The GUID, e.g. '939b524b-13d4-1d18-e487-1c697a6b7a2b'. */
  uuid: string;
  /** The UUID's 16 bytes as lowercase hex, in wire order. */
  uuid_raw: string;
  /** The PSK one-time PID, e.g. 'ABCD-1234'; null for PKI. */
  pid: string | null;
  cert_hashes: CertHash<Digest>[];
}

/** What `frame` says of the bytes received so far. */
export type Frame<Digest = string> =
  | { complete: true; len: number; hello: Hello<Digest> }
  | { complete: false; needed: number; exact: boolean };

/** The Error `parseHello` and `frame` throw: the Rust crate's message, and its fields. */
export interface HelloError extends Error {
  /** The error's kind, e.g. 'truncated', 'unsupported_version'. */
  kind: string;
  /** The byte offset of the offending field. */
  offset: number;
  /** 'truncated' only: the bytes the message needs in all (exactly, or at least). */
  needed?: number;
  exact?: boolean;
}

/** MeshCentral's `parseHelloData` object. */
export interface MeshCentralHello<Addr = string> {
  time: number;
  addr: Addr;
  adminCredentialsSet: boolean;
  helloversion: number;
  retryCount: number;
  guidhex: string;
  guid: string;
  /** Each digest as lowercase hex. */
  hashes: string[];
  /** PSK Hellos only. */
  pid?: string;
}

/** Parses one whole Hello; throws a `HelloError` if it is not one. */
export function parseHello(bytes: Uint8Array, options: ParseOptions & { digests: 'bytes' }): Hello<Uint8Array>;
export function parseHello(bytes: Uint8Array, options?: ParseOptions & { digests?: 'hex' }): Hello<string>;

/** Is a whole Hello at the front of the bytes received so far? Throws a `HelloError` when the
 * bytes can never become a valid one. */
export function frame(bytes: Uint8Array, options: ParseOptions & { digests: 'bytes' }): Frame<Uint8Array>;
export function frame(bytes: Uint8Array, options?: ParseOptions & { digests?: 'hex' }): Frame<string>;

/** A drop-in for MeshCentral's `parseHelloData(data, addr)`: its object, or null. */
export function parseHelloData<Addr = string>(data: Uint8Array, addr: Addr): MeshCentralHello<Addr> | null;
