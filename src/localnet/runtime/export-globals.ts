/**
 * Adds exports for every mutable global, the memory and table 0 by editing the export
 * section of the binary directly. Adding exports changes no index, so unlike a binaryen
 * round trip (seconds for Azle's 3.5 MB module) this takes milliseconds; binaryen is only
 * needed when metering rewrites function bodies.
 */
export const GLOBAL_EXPORT_PREFIX = '__localnet_global_';
export const MEMORY_EXPORT = '__localnet_memory';
export const TABLE_EXPORT = '__localnet_table';

export interface ExportedState {
  wasm: Uint8Array;
  globalExports: string[];
  memoryExport: string | undefined;
  tableExport: string | undefined;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}
  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new Error('unexpected end of module');
    return b;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
  valType(): void {
    const t = this.byte();
    // (ref null? <heaptype>) in the GC encoding carries a heap type.
    if (t === 0x63 || t === 0x64) this.skipLeb();
  }
  limits(): void {
    const flags = this.byte();
    this.skipLeb();
    if (flags & 1) this.skipLeb();
  }
  constExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2 || op === 0xd0) this.skipLeb();
      else if (op === 0x43) this.pos += 4;
      else if (op === 0x44) this.pos += 8;
      else if (op === 0xfd) {
        this.skipLeb();
        this.pos += 16;
      } else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) {
        throw new Error(`unsupported opcode 0x${op.toString(16)} in a constant expression`);
      }
    }
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

export function exportState(wasm: Uint8Array): ExportedState {
  let pos = 8;
  const mutableGlobals: number[] = [];
  let globalIndex = 0;
  let hasMemory = false;
  let hasTable = false;
  let exportSection: { start: number; end: number } | undefined;
  let insertAt = wasm.length;
  const sections: { id: number; start: number; end: number }[] = [];
  while (pos < wasm.length) {
    const start = pos;
    const r = new Reader(wasm, pos);
    const id = r.byte();
    const size = r.u32();
    const body = r.pos;
    const end = body + size;
    sections.push({ id, start, end });
    if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) r.skipLeb();
        else if (kind === 1) {
          r.valType();
          r.limits();
          hasTable = true;
        } else if (kind === 2) {
          r.limits();
          hasMemory = true;
        } else if (kind === 3) {
          r.valType();
          if (r.byte() === 1) mutableGlobals.push(globalIndex);
          globalIndex++;
        } else if (kind === 4) {
          r.byte();
          r.skipLeb();
        } else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 4) {
      if (r.u32() > 0) hasTable = true;
    } else if (id === 5) {
      if (r.u32() > 0) hasMemory = true;
    } else if (id === 6) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        r.valType();
        if (r.byte() === 1) mutableGlobals.push(globalIndex);
        globalIndex++;
        r.constExpr();
      }
    } else if (id === 7) {
      exportSection = { start, end };
    }
    if (insertAt === wasm.length && [8, 9, 12, 10, 11].includes(id)) insertAt = start;
    pos = end;
  }

  const entries: { name: string; kind: number; index: number }[] = [];
  if (exportSection) {
    const r = new Reader(wasm, exportSection.start + 1);
    r.u32();
    const n = r.u32();
    for (let i = 0; i < n; i++) entries.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  }
  const find = (kind: number, index: number): string | undefined =>
    entries.find((e) => e.kind === kind && e.index === index)?.name;
  const added: { name: string; kind: number; index: number }[] = [];
  const globalExports = mutableGlobals.map((index) => {
    const existing = find(3, index);
    if (existing !== undefined) return existing;
    const name = `${GLOBAL_EXPORT_PREFIX}${index}`;
    added.push({ name, kind: 3, index });
    return name;
  });
  let memoryExport: string | undefined;
  if (hasMemory) {
    memoryExport = find(2, 0);
    if (memoryExport === undefined) {
      memoryExport = MEMORY_EXPORT;
      added.push({ name: MEMORY_EXPORT, kind: 2, index: 0 });
    }
  }
  let tableExport: string | undefined;
  if (hasTable) {
    tableExport = find(1, 0);
    if (tableExport === undefined) {
      tableExport = TABLE_EXPORT;
      added.push({ name: TABLE_EXPORT, kind: 1, index: 0 });
    }
  }
  if (added.length === 0) return { wasm, globalExports, memoryExport, tableExport };

  const encoder = new TextEncoder();
  const body: number[] = [...leb(entries.length + added.length)];
  for (const e of [...entries, ...added]) {
    const name = encoder.encode(e.name);
    body.push(...leb(name.length), ...name, e.kind, ...leb(e.index));
  }
  const section = new Uint8Array([7, ...leb(body.length), ...body]);
  const before = exportSection ? exportSection.start : insertAt;
  const after = exportSection ? exportSection.end : insertAt;
  const out = new Uint8Array(before + section.length + (wasm.length - after));
  out.set(wasm.subarray(0, before), 0);
  out.set(section, before);
  out.set(wasm.subarray(after), before + section.length);
  return { wasm: out, globalExports, memoryExport, tableExport };
}
