/**
 * Fails when the committed generated files drift from the source: rebuilds the candid file and
 * the declarations into a temporary folder, compares them with the working tree, and also
 * fails when the working tree differs from git (CI runs `build:backend` first, which rewrites
 * backend.did in place, so a drifted commit shows up as a working-tree change).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildBackend, DID_PATH, ROOT } from './build-backend';
import { DECLARATIONS_DIR, generateDeclarations } from './generate-declarations';

const GENERATED = [
  'src/backend/backend.did',
  'src/backend/canister/codecs.generated.ts',
  'src/declarations/backend',
];

function diff(expected: string, actual: string): string {
  const result = spawnSync('diff', ['-ru', expected, actual], { encoding: 'utf8' });
  return result.status === 0 ? '' : result.stdout || result.stderr;
}

const dir = mkdtempSync(join(tmpdir(), 'check-generated-'));
let failed = false;
try {
  const expected = join(dir, 'expected');
  const committed = join(dir, 'committed');
  mkdirSync(join(expected, 'declarations'), { recursive: true });
  mkdirSync(committed, { recursive: true });
  // Rebuilds the wasm too (with its candid metadata), exactly as npm run build:backend does.
  buildBackend(join(expected, 'backend.did'));
  await generateDeclarations(join(expected, 'backend.did'), join(expected, 'declarations'));
  cpSync(DID_PATH, join(committed, 'backend.did'));
  cpSync(DECLARATIONS_DIR, join(committed, 'declarations'), { recursive: true });

  const drift = diff(committed, expected);
  if (drift !== '') {
    failed = true;
    console.error('Generated files differ from what the source produces:\n');
    console.error(drift);
  }

  const uncommitted = execFileSync('git', ['status', '--porcelain', '--', ...GENERATED], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (uncommitted.trim() !== '') {
    failed = true;
    console.error('Generated files differ from the committed ones:\n');
    console.error(uncommitted);
    console.error(
      execFileSync('git', ['diff', '--stat', '--', ...GENERATED], { cwd: ROOT, encoding: 'utf8' }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failed) {
  console.error('Run `npm run build:backend && npm run generate` and commit the result.');
  process.exit(1);
}
console.log('generated files are up to date');
