/**
 * SHA-256 (FIPS 180-4) for the certification tree, written for QuickJS, where every
 * interpreted operation costs about a thousand wasm instructions: one function, no object per
 * call, the message schedule in one preallocated Int32Array, 32-bit arithmetic with `| 0`,
 * and the digest written into the caller's buffer. The tree hashes short inputs (at most 81
 * bytes, two blocks), so the padding is done in place in a scratch block rather than through
 * a streaming interface.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W = new Int32Array(64);
const H = new Int32Array(8);
/** The padded message: inputs here are short, so two blocks cover most; grown when needed. */
let padded = new Uint8Array(128);

/** Compresses the 64 bytes of `block` at `at` into H. */
function compress(block: Uint8Array, at: number): void {
  for (let t = 0; t < 16; t++) {
    const i = at + t * 4;
    W[t] = (block[i]! << 24) | (block[i + 1]! << 16) | (block[i + 2]! << 8) | block[i + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const a = W[t - 15]!;
    const b = W[t - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        K[t]! +
        W[t]!) |
      0;
    const t2 =
      ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/**
 * Writes SHA-256 of `data[0..length)` into `out` at `outAt` (32 bytes). `length` defaults to
 * the whole array, so callers may hash the start of a reused scratch buffer.
 */
export function sha256Into(
  data: Uint8Array,
  out: Uint8Array,
  outAt = 0,
  length = data.length,
): void {
  const blocks = ((length + 8) >>> 6) + 1;
  const size = blocks * 64;
  if (padded.length < size) padded = new Uint8Array(size * 2);
  padded.set(data.length === length ? data : data.subarray(0, length));
  padded.fill(0, length, size);
  padded[length] = 0x80;
  // Bit length, big-endian, in the last 8 bytes (inputs here stay far below 2^32 bits).
  const bits = length * 8;
  padded[size - 4] = bits >>> 24;
  padded[size - 3] = (bits >>> 16) & 0xff;
  padded[size - 2] = (bits >>> 8) & 0xff;
  padded[size - 1] = bits & 0xff;
  padded[size - 5] = Math.floor(length / 0x20000000) & 0xff;
  H[0] = 0x6a09e667;
  H[1] = 0xbb67ae85 | 0;
  H[2] = 0x3c6ef372;
  H[3] = 0xa54ff53a | 0;
  H[4] = 0x510e527f;
  H[5] = 0x9b05688c | 0;
  H[6] = 0x1f83d9ab;
  H[7] = 0x5be0cd19;
  for (let i = 0; i < blocks; i++) compress(padded, i * 64);
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    const o = outAt + i * 4;
    out[o] = v >>> 24;
    out[o + 1] = (v >>> 16) & 0xff;
    out[o + 2] = (v >>> 8) & 0xff;
    out[o + 3] = v & 0xff;
  }
}

/** SHA-256 of `data` as a new 32-byte array. */
export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(data, out);
  return out;
}
