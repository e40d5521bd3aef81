/**
 * A growable byte writer for candid values. Bulk copies use Uint8Array.set (native); numbers go
 * through a DataView. The generated encoders (generate.ts) write fixed-size runs straight into
 * `buf` / `view` at constant offsets after one capacity check, so those fields are public. Texts are the expensive part in Azle (no native UTF-8 encoder is exposed
 * except the candid text parser), so with a native encoder installed the writer leaves a gap
 * for each text and `finish()` encodes all of a message's texts in ONE native call, then splices
 * their bytes in: the per-call overhead of the native encoder is paid once per message.
 */
import { encodedText } from './encoded';
import { CandidError } from './errors';
import { principalIdToBytes } from './principal';
import {
  encodeUtf8Js,
  isAscii,
  getNativeCandidEncoder,
  nativeTextLiteral,
  nativeTextsStart,
  type NativeCandidEncoder,
} from './utf8';

const TWO_53 = 0x20000000000000n;

export const cannot = (what: string) => new CandidError('cannot encode ' + what);

export function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  throw cannot(what);
}

/**
 * Texts at least this long are encoded on their own and remembered: a message that stores a
 * long body and replies with it (a new proposal, an edit) encodes it once. Comparing a
 * remembered text costs a native comparison, far less than encoding it again.
 */
const LONG_TEXT = 2048;
/**
 * ASCII texts up to this long (vote sides, tags, cursors) are written char by char: a record
 * whose only texts are such does not call the native encoder, whose call costs ≈ 0.1 M
 * instructions however short its texts (measured: storing a vote's side 'Up' cost 135,000
 * instructions of encoding, a 3-byte value, and 74,000 this way). The loop costs a few
 * thousand instructions a char, so longer texts go native: at 64, a new proposal's 43-char
 * title in its reply made submitProposal 0.15 M dearer.
 */
const SHORT_TEXT = 16;
let lastLongText: { text: string; encoded: Uint8Array } | undefined;

/**
 * Remembers the candid value bytes (LEB128 length + UTF-8) a long text was decoded from: well-
 * formed UTF-8 has exactly one encoding, so a message that stores or repeats the text it was
 * given reuses these bytes instead of encoding it again (the reader calls this).
 */
export function rememberLongText(text: string, encoded: Uint8Array): void {
  if (text.length >= LONG_TEXT) lastLongText = { text, encoded };
}

/**
 * The UTF-8 of `text` taken from the last remembered long text, when `text` is that text with
 * leading or trailing whitespace trimmed (the domain trims what it stores, and a body typed in
 * a text area often ends with a line break) and the remembered text was ASCII, so that its
 * chars are its bytes. Otherwise undefined. Costs a native comparison, not an encoding.
 */
function trimmedLongTextUtf8(text: string): Uint8Array | undefined {
  const last = lastLongText;
  if (last === undefined || text.length >= last.text.length) return undefined;
  const full = last.text;
  // One byte per char means ASCII: a char from U+0080 up takes two bytes or more.
  const lengthBytes = lebSize(full.length);
  if (last.encoded.length !== lengthBytes + full.length) return undefined;
  const utf8 = last.encoded.subarray(lengthBytes);
  // Trimmed at the start (and maybe the end), or at the end only.
  const leading = full.length - full.trimStart().length;
  const start = full.startsWith(text, leading) ? leading : full.startsWith(text) ? 0 : -1;
  return start < 0 ? undefined : utf8.subarray(start, start + text.length);
}

function encodedLongText(text: string): Uint8Array {
  if (lastLongText !== undefined && lastLongText.text === text) return lastLongText.encoded;
  const { bytes } = encodedText(text);
  lastLongText = { text, encoded: bytes };
  return bytes;
}

/** Bytes of the minimal LEB128 encoding of `n`. */
export function lebSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

export class Writer {
  /** The buffer and a view of it; both are replaced when the buffer grows. */
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  private readonly native: NativeCandidEncoder | undefined;
  /** JSON literals of the texts left as gaps, and where in `buf` each gap is. */
  private literals: string[] = [];
  private gaps: number[] = [];

  constructor(
    initialCapacity = 256,
    native: NativeCandidEncoder | undefined = getNativeCandidEncoder(),
  ) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
    this.native = native;
  }

  /** Empties the writer for another value, keeping its buffer (see `encodeValue`). */
  reset(): void {
    this.pos = 0;
    if (this.literals.length > 0) {
      this.literals = [];
      this.gaps = [];
    }
  }

  /** Makes room for `needed` more bytes after `pos` (replacing `buf` and `view`). */
  grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = b;
  }

  bytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  /** Unsigned LEB128 of a non-negative safe integer (lengths, indices, small nats). */
  leb(value: number): void {
    if (value < 0x80) {
      this.byte(value);
      return;
    }
    let v = value;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  /** A candid `nat`: bigint or integral number, non-negative. */
  nat(value: unknown): void {
    const n = toBigInt(value, 'nat');
    if (n < 0n) throw cannot('nat');
    this.lebBig(n);
  }

  /** A candid `int`: bigint or integral number. */
  int(value: unknown): void {
    this.slebBig(toBigInt(value, 'int'));
  }

  /** A candid `principal` from a PrincipalId. */
  principal(value: unknown): void {
    if (typeof value !== 'string') throw cannot('principal: not a PrincipalId');
    const bytes = principalIdToBytes(value);
    this.byte(1);
    this.leb(bytes.length);
    this.bytes(bytes);
  }

  /** A candid `blob` (vec nat8) from a Uint8Array or an array of bytes. */
  blob(value: unknown): void {
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value;
    else if (Array.isArray(value)) bytes = Uint8Array.from(value as number[]);
    else throw cannot('vec nat8');
    this.leb(bytes.length);
    this.bytes(bytes);
  }

  /** Unsigned LEB128 of a `nat`. */
  lebBig(value: bigint): void {
    if (value < TWO_53) {
      this.leb(Number(value));
      return;
    }
    let v = value;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  /** Signed LEB128 of an `int`. */
  slebBig(value: bigint): void {
    let v = value;
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  /**
   * Reserves `n` bytes and returns where they start. Call it BEFORE reading `this.view`: it may
   * grow the buffer and replace the view.
   */
  private room(n: number): number {
    if (this.pos + n > this.buf.length) this.grow(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u16(v: number): void {
    const at = this.room(2);
    this.view.setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.room(4);
    this.view.setUint32(at, v, true);
  }
  u64(v: bigint): void {
    const at = this.room(8);
    this.view.setBigUint64(at, v, true);
  }
  i8(v: number): void {
    const at = this.room(1);
    this.view.setInt8(at, v);
  }
  i16(v: number): void {
    const at = this.room(2);
    this.view.setInt16(at, v, true);
  }
  i32(v: number): void {
    const at = this.room(4);
    this.view.setInt32(at, v, true);
  }
  i64(v: bigint): void {
    const at = this.room(8);
    this.view.setBigInt64(at, v, true);
  }
  f32(v: number): void {
    const at = this.room(4);
    this.view.setFloat32(at, v, true);
  }
  f64(v: number): void {
    const at = this.room(8);
    this.view.setFloat64(at, v, true);
  }

  /** A candid `text` value: LEB128 byte length + UTF-8. */
  text(text: string): void {
    if (typeof text !== 'string') throw new CandidError('cannot encode text: not a string');
    if (text.length >= LONG_TEXT) {
      const trimmed = trimmedLongTextUtf8(text);
      if (trimmed === undefined) {
        this.bytes(encodedLongText(text));
      } else {
        this.leb(trimmed.length);
        this.bytes(trimmed);
      }
      return;
    }
    if (text.length <= SHORT_TEXT && isAscii(text)) {
      const n = text.length;
      // One byte of LEB128 length (n < 0x80), then one byte per char.
      const at = this.room(n + 1);
      const buf = this.buf;
      buf[at] = n;
      for (let i = 0; i < n; i++) buf[at + 1 + i] = text.charCodeAt(i);
      return;
    }
    if (this.native !== undefined) {
      const literal = nativeTextLiteral(text);
      if (literal !== undefined) {
        this.literals.push(literal);
        this.gaps.push(this.pos);
        return;
      }
    }
    const utf8 = encodeUtf8Js(text);
    this.leb(utf8.length);
    this.bytes(utf8);
  }

  /** The bytes written (a copy); the writer must not be used afterwards until `reset`. */
  finish(): Uint8Array {
    const count = this.literals.length;
    if (count === 0) return this.buf.slice(0, this.pos);
    const texts = this.native!('(' + this.literals.join(',') + ')');
    // The native output is header + the texts' values back to back: everything after the
    // header is text bytes, so the total size is known without walking the texts.
    const start = nativeTextsStart(texts, count);
    const out = new Uint8Array(this.pos + texts.length - start);
    const buf = this.buf;
    const gaps = this.gaps;
    const end = texts.length;
    // One pass: copy the bytes before each gap, then the text's LEB128 length + UTF-8.
    let from = 0;
    let to = 0;
    let p = start;
    for (let i = 0; i < count; i++) {
      const gap = gaps[i]!;
      out.set(buf.subarray(from, gap), to);
      to += gap - from;
      from = gap;
      const q = p;
      let b = texts[p++]!;
      let len = b & 0x7f;
      let scale = 0x80;
      while (b >= 0x80) {
        b = texts[p++]!;
        len += (b & 0x7f) * scale;
        scale *= 0x80;
      }
      p += len;
      if (p > end) throw new Error('unexpected output from the native candid encoder');
      out.set(texts.subarray(q, p), to);
      to += p - q;
    }
    if (p !== end) throw new Error('unexpected output from the native candid encoder');
    out.set(buf.subarray(from, this.pos), to);
    return out;
  }
}
