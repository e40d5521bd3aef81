/**
 * A bounds-checked reader over candid bytes. Every failure is a CandidError with a short
 * message: decoding runs on caller-supplied bytes, and the message may reach the caller.
 */
import { Encoded } from './encoded';
import { malformed } from './errors';
import { principalIdFromBytes, rememberPrincipalBytes, type PrincipalId } from './principal';
import { decodeUtf8 } from './utf8';
import { lebSize, rememberLongText } from './writer';

export class Reader {
  pos: number;
  readonly end: number;
  /** Public for the generated decoders (generate.ts), which read fixed-size runs directly. */
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(bytes: Uint8Array, start = 0) {
    this.bytes = bytes;
    this.pos = start;
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (n > this.end - at) throw malformed('unexpected end of message');
    this.pos = at + n;
    return at;
  }

  byte(): number {
    if (this.pos >= this.end) throw malformed('unexpected end of message');
    return this.bytes[this.pos++]!;
  }

  /** `n` bytes as a view into the message (copy it if it is kept). */
  slice(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  /** Unsigned LEB128 that must fit a safe integer (lengths, indices). */
  leb(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (;;) {
      b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 49) throw malformed('number too large');
    }
    if (value > Number.MAX_SAFE_INTEGER) throw malformed('number too large');
    return value;
  }

  /** Unsigned LEB128 of any size (`nat`). */
  lebBig(): bigint {
    const start = this.pos;
    let b = this.byte();
    if (b < 0x80) return BigInt(b);
    // Up to 7 bytes (49 bits) fit a number exactly; longer values go the bigint way.
    let value = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 7; i++) {
      b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return BigInt(value);
      scale *= 0x80;
    }
    this.pos = start;
    let big = 0n;
    let shift = 0n;
    do {
      b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b >= 0x80);
    return big;
  }

  /** Signed LEB128 of any size (`int`). */
  slebBig(): bigint {
    let big = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b >= 0x80);
    if ((b & 0x40) !== 0) big -= 1n << shift;
    return big;
  }

  u8(): number {
    return this.byte();
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  i16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /** A candid `text` value; invalid UTF-8 is an error, as the candid spec requires. */
  text(): string {
    const start = this.pos;
    const n = this.leb();
    const at = this.take(n);
    const text = decodeUtf8(this.bytes.subarray(at, at + n), { fatal: true });
    // Only a minimal length prefix is what the writer would produce itself.
    if (n >= 2048 && at - start === lebSize(n)) {
      rememberLongText(text, this.bytes.subarray(start, at + n));
    }
    return text;
  }

  /**
   * A `text` value left encoded: its bytes (LEB128 length + UTF-8) as a view into the message,
   * NOT checked for valid UTF-8. Only for bytes this canister wrote itself (stable records),
   * whose texts go back out in a reply unchanged; see encoded.ts.
   */
  rawText(): Encoded {
    const start = this.pos;
    const n = this.leb();
    this.take(n);
    return new Encoded(this.bytes.subarray(start, this.pos));
  }

  principal(): PrincipalId {
    if (this.byte() !== 1) throw malformed('opaque principal reference');
    const n = this.leb();
    if (n > 29) throw malformed('principal too long');
    const bytes = this.slice(n);
    const id = principalIdFromBytes(bytes);
    rememberPrincipalBytes(id, bytes);
    return id;
  }

  /** A `vec nat8`, copied out of the message. */
  blob(): Uint8Array {
    return this.slice(this.leb()).slice();
  }
}
