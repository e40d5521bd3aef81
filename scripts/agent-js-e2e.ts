/**
 * Runs the end-to-end suite of `@dfinity/agent` (dfinity/icp-js-core, e2e/node, at the release
 * of this project's agent version), unchanged, against localnet — issue 14's fidelity check.
 *
 *   npx tsx scripts/agent-js-e2e.ts [--agent-js <git repository or URL>] [--work-dir <dir>]
 *                                   [--isolate | --no-isolate] [-- <vitest arguments>]
 *
 * Arguments after `--` (file filters, `-t <name>`, …) go to the first vitest run only.
 *
 * 1. The suite: `git archive` of e2e/node at the pinned commit, from `--agent-js` (a clone or
 *    bare mirror of dfinity/icp-js-core, or a URL to clone) or else a shallow clone from
 *    GitHub. Its tree id is checked, and before every run each file's blob id: the suite runs
 *    exactly as released.
 * 2. Its dependencies: the published packages of that release from npm, installed in the work
 *    folder (never in this repository).
 * 3. Localnet on port 4943 (the suite hardcodes it) with the suite's canisters deployed as
 *    `dfx deploy` would (tests/agent-js-e2e/localnet.ts); a `dfx` stand-in on PATH answers
 *    `dfx canister id <name>`, which is how the suite finds them; the `.env` dfx writes.
 *    When 4943 is taken, or with `--isolate`, step 3 and 4 run in a private network namespace
 *    (`unshare -rn`), where 4943 and 8888 are always free.
 * 4. vitest, three times as upstream CI does: the suite without mainnet and mitm tests; the
 *    mainnet file's tests that need no network; mitm.test.ts with MITM=true behind the
 *    mitmdump stand-in. Then a table of every test, the skip list with reasons, and a report
 *    in <work-dir>/report.md. Exit code 1 when any test failed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteNet } from '../tests/agent-js-e2e/localnet';
import { startMitmProxy } from '../tests/agent-js-e2e/mitm-proxy';
import {
  MITM,
  RUN_ALONE,
  RUNNER_DEPENDENCIES,
  SKIPPED,
  SUITE,
  SUITE_PORT,
  usesMockReplica,
} from '../tests/agent-js-e2e/suite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Options {
  agentJs?: string;
  workDir: string;
  isolate?: boolean;
  /** Set when this process is the one re-executed inside the network namespace. */
  inNamespace: boolean;
  vitestArgs: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    workDir: join(tmpdir(), 'roadmap-commons-agent-js-e2e'),
    inNamespace: false,
    vitestArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--agent-js') {
      const source = value();
      options.agentJs = source.includes('://') ? source : resolve(source);
    } else if (arg === '--work-dir') options.workDir = resolve(value());
    else if (arg === '--isolate') options.isolate = true;
    else if (arg === '--no-isolate') options.isolate = false;
    else if (arg === '--in-namespace') options.inNamespace = true;
    else if (arg === '--') options.vitestArgs = argv.slice(i + 1);
    else if (arg === '--help' || arg === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (see --help)`);
    if (arg === '--') break;
  }
  return options;
}

const log = (line: string): void => console.log(`[agent-js-e2e] ${line}`);

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

// ---- 1. the suite, exactly as released

interface ManifestEntry {
  blob: string;
  path: string;
}

function suiteDirOf(workDir: string): string {
  return join(workDir, 'e2e', 'node');
}

/** Git's blob id of a file's content. */
function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function gitDirOf(path: string): string {
  return existsSync(join(path, '.git')) ? join(path, '.git') : path;
}

function prepareSuite(options: Options): void {
  const { workDir } = options;
  const stampFile = join(workDir, 'suite.json');
  if (existsSync(stampFile)) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { commit: string; tree: string };
    if (stamp.commit === SUITE.commit && stamp.tree === SUITE.tree) return;
  }
  let gitDir: string;
  if (options.agentJs && existsSync(options.agentJs)) {
    gitDir = gitDirOf(options.agentJs);
  } else {
    const url = options.agentJs ?? SUITE.repository;
    gitDir = join(workDir, 'icp-js-core.git');
    rmSync(gitDir, { recursive: true, force: true });
    log(`cloning ${url} at ${SUITE.tag}`);
    execFileSync('git', ['clone', '--bare', '--depth', '1', '--branch', SUITE.tag, url, gitDir], {
      stdio: 'inherit',
    });
  }
  const tree = git(gitDir, ['rev-parse', `${SUITE.commit}:e2e/node`]);
  if (tree !== SUITE.tree) {
    throw new Error(`e2e/node at ${SUITE.commit} is tree ${tree}, expected ${SUITE.tree}`);
  }
  const manifest: ManifestEntry[] = git(gitDir, ['ls-tree', '-r', SUITE.commit, ...SUITE.paths])
    .split('\n')
    .map((line) => {
      const [meta, path] = line.split('\t');
      return { blob: meta!.split(' ')[2]!, path: path! };
    });
  for (const path of SUITE.paths) rmSync(join(workDir, path), { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const archive = execFileSync(
    'git',
    ['--git-dir', gitDir, 'archive', SUITE.commit, ...SUITE.paths],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  execFileSync('tar', ['-x', '-C', workDir], { input: archive });
  writeFileSync(join(workDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(stampFile, JSON.stringify({ commit: SUITE.commit, tree: SUITE.tree }));
  log(`suite e2e/node of ${SUITE.tag} (${SUITE.commit.slice(0, 10)}) in ${workDir}`);
}

/** Every file of the suite still has the released content. */
function verifySuite(workDir: string): number {
  const manifest = JSON.parse(
    readFileSync(join(workDir, 'manifest.json'), 'utf8'),
  ) as ManifestEntry[];
  const changed = manifest.filter(({ blob, path }) => {
    const file = join(workDir, path);
    return !existsSync(file) || blobId(readFileSync(file)) !== blob;
  });
  if (changed.length > 0) {
    throw new Error(
      `the suite was changed: ${changed.map((e) => e.path).join(', ')}; delete ${workDir}/suite.json to extract it again`,
    );
  }
  return manifest.length;
}

// ---- 2. its dependencies

function installDependencies(workDir: string): void {
  const manifest = JSON.stringify(
    {
      name: 'agent-js-e2e-runner',
      private: true,
      type: 'module',
      dependencies: RUNNER_DEPENDENCIES,
    },
    null,
    2,
  );
  const stamp = join(workDir, 'node_modules', '.runner-dependencies.json');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === manifest) return;
  writeFileSync(join(workDir, 'package.json'), manifest);
  log(`installing ${Object.keys(RUNNER_DEPENDENCIES).length} packages from npm`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: workDir,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm install failed');
  writeFileSync(stamp, manifest);
}

// ---- 3 and 4. localnet, then vitest

async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, host, () => probe.close(() => resolvePromise(true)));
  });
}

interface AssertionResult {
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  failureMessages: string[];
  duration?: number | null;
}
interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: AssertionResult[];
}

interface Row {
  file: string;
  test: string;
  status: 'passed' | 'failed' | 'skipped';
  note: string;
}

function skipReason(file: string, test: string): string {
  const skip = SKIPPED.find((s) => s.file === file && (!s.tests || s.tests.includes(test)));
  if (skip) return skip.reason;
  if (file === MITM.file) return 'skipped by the suite (MITM unset)';
  return 'skipped by the suite itself';
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function firstLines(message: string, lines = 3): string {
  return message
    .replace(ANSI_COLOUR, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, lines)
    .join(' / ');
}

function rowsOf(resultsFile: string, suiteDir: string): Row[] {
  if (!existsSync(resultsFile)) return [];
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { testResults: FileResult[] };
  const rows: Row[] = [];
  for (const fileResult of results.testResults) {
    const file = fileResult.name.startsWith(suiteDir)
      ? fileResult.name.slice(suiteDir.length + 1)
      : fileResult.name;
    if (fileResult.assertionResults.length === 0 && fileResult.status === 'failed') {
      rows.push({ file, test: '(file)', status: 'failed', note: firstLines(fileResult.message) });
    }
    for (const test of fileResult.assertionResults) {
      const status =
        test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      rows.push({
        file,
        test: test.fullName,
        status,
        note:
          status === 'failed'
            ? firstLines(test.failureMessages.join('\n'))
            : status === 'skipped'
              ? skipReason(file, test.fullName)
              : '',
      });
    }
  }
  return rows;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function runSuite(options: Options): Promise<number> {
  const { workDir } = options;
  const suiteDir = suiteDirOf(workDir);
  const files = verifySuite(workDir);
  log(`suite verified: ${files} files as released in ${SUITE.tag}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'roadmap-commons-agent-js-e2e-state-'));
  const started = Date.now();
  let net;
  try {
    net = await startSuiteNet({
      suiteDir,
      stateDir,
      port: SUITE_PORT,
      preparedCacheDir: join(workDir, 'prepared-modules'),
      log: (line) => log(`localnet: ${line}`),
    });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  log(`localnet at ${net.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const cleanups: (() => Promise<void>)[] = [
    async () => {
      await net.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  ];
  try {
    // What `dfx deploy` leaves behind: ids for `dfx canister id`, and the .env of dfx.json's
    // output_env_file (test-setup.ts loads it with dotenv).
    const binDir = join(workDir, 'bin');
    mkdirSync(binDir, { recursive: true });
    const idsFile = join(workDir, 'canister-ids.txt');
    writeFileSync(
      idsFile,
      Object.entries(net.canisterIds)
        .map(([name, id]) => `${name}=${id}\n`)
        .join(''),
    );
    writeFileSync(join(binDir, 'dfx'), dfxStandIn(idsFile), { mode: 0o755 });
    chmodSync(join(binDir, 'dfx'), 0o755);
    writeFileSync(
      join(suiteDir, '.env'),
      [
        `DFX_NETWORK='local'`,
        ...Object.entries(net.canisterIds).map(
          ([name, id]) => `CANISTER_ID_${name.toUpperCase()}='${id}'`,
        ),
        '',
      ].join('\n'),
    );
    const env = {
      ...process.env,
      PATH: `${binDir}:${process.env.PATH ?? ''}`,
      REPLICA_PORT: String(SUITE_PORT),
      // Do not write snapshots: a missing one fails instead.
      CI: 'true',
    };
    const vitest = join(workDir, 'node_modules', '.bin', 'vitest');
    // Asynchronously: localnet answers from this process's event loop.
    const run = async (
      name: string,
      args: string[],
      extraEnv: Record<string, string> = {},
    ): Promise<Row[]> => {
      const output = join(workDir, `results-${name}.json`);
      rmSync(output, { force: true });
      log(`vitest ${name}: ${args.join(' ')}`);
      const child = spawn(
        vitest,
        ['run', '--reporter=verbose', '--reporter=json', `--outputFile.json=${output}`, ...args],
        { cwd: suiteDir, env: { ...env, ...extraEnv }, stdio: 'inherit' },
      );
      // Ctrl-C reaches vitest too (same process group); wait for it, then clean up below.
      let wasInterrupted = false;
      const interrupted = (): void => {
        wasInterrupted = true;
        child.kill('SIGINT');
      };
      process.on('SIGINT', interrupted);
      process.on('SIGTERM', interrupted);
      const code = await new Promise<number | null>((resolvePromise, reject) => {
        child.once('error', reject);
        child.once('exit', (exitCode, signal) => resolvePromise(signal ? null : exitCode));
      });
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      if (code === null || wasInterrupted) throw new Error(`vitest ${name} was interrupted`);
      const rows = rowsOf(output, suiteDir);
      if (code !== 0 && !rows.some((r) => r.status === 'failed')) {
        // A run that failed without a failed test (a crash, a bad filter) must not pass.
        rows.push({
          file: `(vitest ${name})`,
          test: '(run)',
          status: 'failed',
          note: `vitest exited with code ${code}${existsSync(output) ? '' : ' and wrote no results'}`,
        });
      }
      return rows;
    };

    const rows: Row[] = [];
    rows.push(
      ...(await run('suite', [
        ...SKIPPED.map((s) => `--exclude=${s.file}`),
        `--exclude=${MITM.file}`,
        ...options.vitestArgs,
      ])),
    );
    for (const { file, test } of RUN_ALONE) {
      rows.push(...(await run('no-network', [file, '-t', `^${escapeRegExp(test)}$`])));
    }
    if (await portIsFree(MITM.port)) {
      const proxy = await startMitmProxy(net.url, MITM.port);
      cleanups.unshift(() => proxy.close());
      log(`mitmdump stand-in at ${proxy.url} → ${net.url}`);
      rows.push(...(await run('mitm', [MITM.file], { MITM: 'true' })));
    } else {
      rows.push({
        file: MITM.file,
        test: '(file)',
        status: 'skipped',
        note: `port ${MITM.port} is taken: the mitm proxy cannot run (try --isolate)`,
      });
    }
    return report(workDir, rows);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

function dfxStandIn(idsFile: string): string {
  return `#!/bin/sh
# dfx stand-in for the agent-js e2e suite on localnet (scripts/agent-js-e2e.ts):
# answers \`dfx canister id <name>\` for the canisters deployed to localnet; nothing else.
if [ "$1" = canister ] && [ "$2" = id ] && [ $# -eq 3 ]; then
  id=$(sed -n "s/^$3=//p" '${idsFile}')
  if [ -n "$id" ]; then echo "$id"; exit 0; fi
  echo "Error: Cannot find canister id. Please issue 'dfx canister create $3'." >&2
  exit 255
fi
echo "dfx stand-in (agent-js e2e on localnet): only 'dfx canister id <name>' is supported, not: dfx $*" >&2
exit 2
`;
}

function report(workDir: string, rows: Row[]): number {
  const count = (status: Row['status']): number => rows.filter((r) => r.status === status).length;
  const target = (r: Row): string =>
    RUN_ALONE.some((t) => t.file === r.file && t.test === r.test)
      ? 'no network'
      : usesMockReplica(r.file, r.test)
        ? 'mock replica'
        : r.file === MITM.file
          ? 'localnet via mitm proxy'
          : 'localnet';
  const ran = rows.filter((r) => r.status !== 'skipped');
  const byTarget = ['localnet', 'localnet via mitm proxy', 'mock replica', 'no network']
    .map((t) => `${ran.filter((r) => target(r) === t).length} ${t}`)
    .join(', ');
  const lines = [
    `# @dfinity/agent e2e suite (${SUITE.repository} ${SUITE.tag}, e2e/node) against localnet`,
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
    '',
    `Tests run, by what they talk to: ${byTarget}.`,
    '',
    '| file | test | talks to | result | note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.file} | ${r.test.replace(/\|/g, '\\|')} | ${r.status === 'skipped' ? '' : target(r)} | ${r.status} | ${r.note.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  writeFileSync(join(workDir, 'report.md'), lines.join('\n'));
  console.log('');
  const skipped = new Map<string, Row[]>();
  for (const r of rows.filter((row) => row.status === 'skipped')) {
    const key = `${r.file}: ${r.note}`;
    skipped.set(key, [...(skipped.get(key) ?? []), r]);
  }
  for (const [key, group] of skipped) {
    log(`SKIPPED ${group.length} in ${key}`);
    for (const r of group) log(`    ${r.test}`);
  }
  for (const r of rows.filter((row) => row.status === 'failed')) {
    log(`FAILED ${r.file} › ${r.test}: ${r.note}`);
  }
  log(`tests run, by what they talk to: ${byTarget}`);
  log(
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped — report: ${join(workDir, 'report.md')}`,
  );
  return count('failed') > 0 ? 1 : 0;
}

/** Re-executes this script in a private network namespace (lo up), where 4943 is free. */
function runInNamespace(argv: string[]): number {
  const command = [process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)];
  const result = spawnSync(
    'unshare',
    [
      '-rn',
      'sh',
      '-c',
      'ip link set lo up && exec "$@"',
      'sh',
      ...command,
      '--in-namespace',
      ...argv,
    ],
    { stdio: 'inherit', cwd: ROOT },
  );
  if (result.error) throw result.error;
  return result.status ?? 1;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (!options.inNamespace) {
    mkdirSync(options.workDir, { recursive: true });
    prepareSuite(options);
    installDependencies(options.workDir);
    const isolate =
      options.isolate ?? !((await portIsFree(SUITE_PORT)) && (await portIsFree(MITM.port)));
    if (isolate) {
      log(`running localnet and the suite in a private network namespace (unshare -rn)`);
      process.exit(runInNamespace(argv));
    }
  }
  if (!(await portIsFree(SUITE_PORT))) {
    throw new Error(`port ${SUITE_PORT} is taken; the suite needs it (try --isolate)`);
  }
  process.exit(await runSuite(options));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
