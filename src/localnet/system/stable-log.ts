/**
 * An append-only record log in a system canister's stable memory: the canister's history is
 * its state (a ledger's blocks, the minting canister's notifications), so appending one
 * record is the only write a message makes, and the journal receives a few hundred bytes per
 * message. Layout: u64 end offset at 0, then records of u32 length ‖ JSON, little-endian.
 */
import { PAGE_SIZE, type StableMemory } from '../runtime/stable-memory';

const HEADER_BYTES = 8;

export class StableLog<T> {
  constructor(
    private readonly memory: () => StableMemory,
    /** Told of every append, so the owner knows which canisters a message changed. */
    private readonly onAppend: () => void = () => undefined,
  ) {}

  private end(): number {
    const stable = this.memory();
    if (stable.size === 0) return HEADER_BYTES;
    const header = new Uint8Array(HEADER_BYTES);
    stable.read(0, header);
    const end = Number(new DataView(header.buffer).getBigUint64(0, true));
    return end === 0 ? HEADER_BYTES : end;
  }

  /** Appends a record; the write belongs to the canister's open transaction. */
  append(record: T): void {
    const stable = this.memory();
    const body = new TextEncoder().encode(JSON.stringify(record));
    const start = this.end();
    const end = start + 4 + body.length;
    const needed = Math.ceil(end / PAGE_SIZE) - stable.size;
    if (needed > 0 && stable.grow(needed) < 0) throw new Error('stable memory is full');
    const frame = new Uint8Array(4 + body.length);
    new DataView(frame.buffer).setUint32(0, body.length, true);
    frame.set(body, 4);
    stable.write(start, frame);
    const header = new Uint8Array(HEADER_BYTES);
    new DataView(header.buffer).setBigUint64(0, BigInt(end), true);
    stable.write(0, header);
    this.onAppend();
  }

  /** Every record in the order appended. */
  *records(): Generator<T> {
    const stable = this.memory();
    const end = this.end();
    let pos = HEADER_BYTES;
    const lengthBytes = new Uint8Array(4);
    while (pos < end) {
      stable.read(pos, lengthBytes);
      const length = new DataView(lengthBytes.buffer).getUint32(0, true);
      const body = new Uint8Array(length);
      stable.read(pos + 4, body);
      yield JSON.parse(new TextDecoder().decode(body)) as T;
      pos += 4 + length;
    }
  }
}
