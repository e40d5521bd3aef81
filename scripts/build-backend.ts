/**
 * Builds the backend canister offline: `azle build` writes `.azle/backend/backend.wasm` and an
 * inline candid file; this script then rewrites that candid with the type names of
 * `src/backend/canister/idl.ts` (Azle inlines every type, which would leave the generated
 * bindings without a `Proposal` or `Comment` type), and checks that the named file expands
 * back to exactly what Azle produced.
 *
 * Usage: tsx scripts/build-backend.ts [candid output path]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { IDL } from '@dfinity/candid';

import * as contract from '../src/backend/canister/idl';
import { generateCodecs } from './generate-codecs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const DID_PATH = join(ROOT, 'src/backend/backend.did');

/** Runs `azle build backend` and returns the candid text Azle wrote. */
export function azleBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'azle-did-'));
  try {
    const rawPath = join(dir, 'backend.did');
    execFileSync('npx', ['azle', 'build', 'backend'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CANISTER_CANDID_PATH: rawPath },
    });
    return readFileSync(rawPath, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CANDID_KEYWORDS = new Set(
  'blob bool composite_query empty float32 float64 func import int int16 int32 int64 int8 nat nat16 nat32 nat64 nat8 null oneway opt principal query record reserved service text type variant vec'.split(
    ' ',
  ),
);

const fieldName = (name: string) => (CANDID_KEYWORDS.has(name) ? `"${name}"` : name);

/** Candid text in Azle's inline format, so it can be found inside Azle's output. */
export function inlineCandid(type: IDL.Type): string {
  if (type instanceof IDL.RecClass) throw new Error('recursive types are not used');
  if (type instanceof IDL.VariantClass) {
    const fields = type._fields.map(([name, field]) =>
      field instanceof IDL.NullClass
        ? fieldName(name)
        : `${fieldName(name)}:${inlineCandid(field)}`,
    );
    return `variant {${fields.join('; ')}}`;
  }
  if (type instanceof IDL.RecordClass) {
    const fields = type._fields.map(([name, field]) => `${fieldName(name)}:${inlineCandid(field)}`);
    return `record {${fields.join('; ')}}`;
  }
  if (type instanceof IDL.OptClass) return `opt ${inlineCandid(type._type)}`;
  if (type instanceof IDL.VecClass) return `vec ${inlineCandid(type._type)}`;
  return type.display();
}

/** The exported records and variants of idl.ts, by name; primitive aliases stay inline. */
function namedTypes(): Array<[string, string]> {
  const named: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(contract)) {
    if (value instanceof IDL.RecordClass || value instanceof IDL.VariantClass) {
      named.push([name, inlineCandid(value)]);
    }
  }
  const seen = new Map<string, string>();
  for (const [name, text] of named) {
    const other = seen.get(text);
    if (other !== undefined) throw new Error(`${name} and ${other} have the same candid type`);
    seen.set(text, name);
  }
  return named;
}

const referenceTo = (name: string) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_:])`, 'g');

/** Replaces inline types with their names, largest first so that nested types stay named. */
export function nameTypes(rawDid: string): string {
  const named = namedTypes().sort(([, a], [, b]) => b.length - a.length);
  let service = rawDid.trim();
  const definitions = new Map<string, string>();
  for (const [name, text] of named) {
    if (!service.includes(text) && ![...definitions.values()].some((d) => d.includes(text))) {
      continue;
    }
    service = service.split(text).join(name);
    for (const [other, definition] of definitions) {
      definitions.set(other, definition.split(text).join(name));
    }
    definitions.set(name, text);
  }
  const sorted = [...definitions.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const did = [...sorted.map(([name, text]) => `type ${name} = ${text};`), service].join('\n');

  // The named file must mean exactly what Azle generated.
  let expanded = service;
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, text] of definitions) {
      const next = expanded.replace(referenceTo(name), text);
      if (next !== expanded) {
        expanded = next;
        changed = true;
      }
    }
  }
  if (expanded !== rawDid.trim()) {
    throw new Error('naming the candid types changed their meaning; see scripts/build-backend.ts');
  }
  return `${did}\n`;
}

export const WASM_PATH = join(ROOT, '.azle/backend/backend.wasm');

function leb128(value: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return Buffer.from(bytes);
}

/**
 * Appends a wasm custom section. `icp:public candid:service` is where the IC (and dfx, which
 * adds it after building) keeps a canister's interface, so agents and explorers can read it
 * from `read_state` at `canister/<id>/metadata/candid:service`.
 */
export function withCustomSection(wasm: Buffer, name: string, content: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const payload = Buffer.concat([
    leb128(nameBytes.length),
    nameBytes,
    Buffer.from(content, 'utf8'),
  ]);
  return Buffer.concat([wasm, Buffer.from([0]), leb128(payload.length), payload]);
}

export function buildBackend(didPath: string): void {
  generateCodecs();
  const raw = azleBuild();
  const did = nameTypes(raw);
  writeFileSync(didPath, did);
  writeFileSync(
    WASM_PATH,
    withCustomSection(readFileSync(WASM_PATH), 'icp:public candid:service', did),
  );
  console.log(`wrote ${WASM_PATH} (with candid:service metadata) and ${didPath}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildBackend(resolve(process.argv[2] ?? DID_PATH));
}
