/** Renders bench/RESULTS.md from one run's measurements. */
import { writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import type { BundleReport, VisibleReport } from './frontend';
import { LOADER_CONCURRENCY, type Counts, type Throughput } from './load';
import type { LocalnetFigures } from './localnet';
import { MERGE_VOTERS } from './merge-case';

export interface LevelResult {
  proposals: number;
  counts: Counts;
  instructions: Map<string, { median: number; max: number }>;
  /** Candid argument bytes of each case (for ingress fees). */
  argumentBytes: Map<string, number>;
  /** How many items a page or search case returned (absent for other calls and old reports). */
  items?: Map<string, number>;
  latencyMs: Map<string, number>;
  /** Neuron links and the voting-power lens (bench/neurons-case.ts): instructions, or counts. */
  neurons?: Map<string, number>;
  /** Merging a duplicate with many voters (bench/merge-case.ts): instructions, or counts. */
  merges?: Map<string, number>;
  upgradeInstructions: number;
  stableBytes: number;
  heapBytes: number;
  /**
   * The search index after an upgrade: the wasm heap it adds once its timer messages rebuilt
   * it, and those messages' instructions (absent from reports written before it was measured).
   */
  searchIndex?: { heapBytes: number; rebuildInstructions: number };
}

export interface RunResult {
  date: string;
  commit: string;
  commitSubject: string;
  dirtyBackend: string[];
  wasmSha256: string;
  wasmBytes: number;
  cpus: string;
  loadAverage: [number, number];
  config: {
    sizes: number[];
    votesPerProposal: number;
    commentsPerProposal: number;
    reps: number;
    httpReps: number;
    browserLoads: number;
  };
  install: { instructions: number; roadmapImportInstructions: number };
  levels: LevelResult[];
  throughput: Throughput[];
  bundle: BundleReport | undefined;
  visible: VisibleReport | undefined;
  /** Localnet's own throughput and latency (`bench/localnet.ts`), measured once per run. */
  localnet: LocalnetFigures | undefined;
  durationSeconds: number;
}

export const UPDATE_LIMIT = 40e9;
export const QUERY_LIMIT = 5e9;
export const INSTALL_LIMIT = 300e9;
/** Azle's own benchmark: a trivial update. */
export const AZLE_TRIVIAL_UPDATE = 1.4e6;
/** A method whose cost grows more than this between the smallest and largest size is flagged. */
export const GROWTH_FLAG = 1.3;
const BUNDLE_BUDGET = 250 * 1024;
const VISIBLE_BUDGET_MS = 1000;

/** Instruction budgets per call (DESIGN.md §7), by the first words of a bench case's label. */
const BUDGETS: Array<[RegExp, number]> = [
  [/^(whoami|getProfile|getMyPriorities|getSettings|getUnreadCount)$/, 2e6],
  [/^getNotifications/, 20e6],
  [/^(voteProposal|setPriorityVotes|editComment|deleteComment|setProfile)$/, 5e6],
  [/^(submitProposal|editProposal|postComment)/, 10e6],
  [/^listProposals .*limit 50/, 40e6],
  [/^listProposals /, 20e6],
  [/^(searchProposals|similarProposals) /, 20e6],
  [/^listVotesByMember /, 20e6],
  [/^(getProposal|getItem)/, 5e6],
  [/^getThread/, 20e6],
  [/^(getActivity|listCommentsByAuthor)/, 10e6],
  [/^getRoadmap$/, 10e6],
  // A page's worth of tallies and their witness: a 20-item page's budget.
  [/^getTallyProof 20 proposals \(/, 20e6],
];

export function budgetOf(label: string): number | undefined {
  return BUDGETS.find(([pattern]) => pattern.test(label))?.[1];
}

/**
 * The IC's fees on a 13-node application subnet (cycles): a base fee per update message, a fee
 * per executed instruction, and fees per ingress message and per ingress byte. Queries are
 * free on the IC today. 1 XDR = 10¹² cycles; the USD rate is the one stated here.
 */
const FEES = {
  updateMessage: 5_000_000,
  perInstruction: 0.4,
  ingressMessage: 1_200_000,
  ingressByte: 2_000,
};
const USD_PER_XDR = 1.35;
/** The envelope of a signed ingress message besides the argument (sender, key, signature). */
const ENVELOPE_BYTES = 350;

/** What DESIGN §7 asks for, to extrapolate loading time from the measured rates. */
const DESIGN_TARGETS: {
  what: string;
  method: string;
  kind: 'proposals' | 'votes' | 'comments';
  count: number;
}[] = [
  { what: '10k proposals', method: 'submitProposal', kind: 'proposals', count: 10_000 },
  { what: '100k proposals', method: 'submitProposal', kind: 'proposals', count: 100_000 },
  { what: '1M votes', method: 'voteProposal', kind: 'votes', count: 1_000_000 },
  { what: '100k comments', method: 'postComment', kind: 'comments', count: 100_000 },
];

const m = (n: number): string => `${(n / 1e6).toFixed(1)} M`;
const b = (n: number): string => `${(n / 1e9).toFixed(2)} B`;
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(2)} %`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, c) => a - c);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Growth {
  label: string;
  first: number;
  last: number;
  ratio: number;
  /** Items the call returned at the smallest and largest size, when it returns a page. */
  items?: [number, number];
  /** `ratio` per item returned, when both sizes returned some. */
  perItemRatio?: number;
}

/**
 * Growth that follows the data, not the page: a page that was short at the smallest size (a
 * rare filter finds fewer matches in less data) costs more when it fills, and that is the
 * page's cost, so such a call is judged per item returned.
 */
export function growsWithData(g: Growth): boolean {
  if (g.ratio <= GROWTH_FLAG) return false;
  return g.perItemRatio === undefined || g.perItemRatio > GROWTH_FLAG;
}

function fullerPage(g: Growth): boolean {
  return g.ratio > GROWTH_FLAG && !growsWithData(g);
}

export function growthOf(result: RunResult): Growth[] {
  const first = result.levels[0];
  const last = result.levels[result.levels.length - 1];
  if (!first || !last || first === last) return [];
  const out: Growth[] = [];
  for (const [label, { median: firstValue }] of first.instructions) {
    const lastValue = last.instructions.get(label)?.median;
    if (lastValue === undefined) continue;
    const ratio = lastValue / firstValue;
    const firstItems = first.items?.get(label);
    const lastItems = last.items?.get(label);
    if (firstItems === undefined || lastItems === undefined || firstItems === lastItems) {
      out.push({ label, first: firstValue, last: lastValue, ratio });
      continue;
    }
    const perItemRatio =
      firstItems > 0 && lastItems > 0
        ? lastValue / lastItems / (firstValue / firstItems)
        : undefined;
    out.push({
      label,
      first: firstValue,
      last: lastValue,
      ratio,
      items: [firstItems, lastItems],
      perItemRatio,
    });
  }
  return out;
}

export function renderReport(r: RunResult): string {
  const labels = [...(r.levels[0]?.instructions.keys() ?? [])];
  const sizesHeader = r.levels.map((l) => `${l.proposals.toLocaleString('en')} proposals`);
  const growth = new Map(growthOf(r).map((g) => [g.label, g]));
  const queries = new Set(
    labels.filter(
      (l) =>
        !/^(submitProposal|voteProposal|setPriorityVotes|postComment|editComment|http_request_update)/.test(
          l,
        ),
    ),
  );
  const out: string[] = [];
  out.push('# Benchmark results');
  out.push('');
  out.push(
    `Written by \`npm run bench\` (bench/run.ts) on ${r.date.slice(0, 16).replace('T', ' ')} UTC, ` +
      `in ${Math.round(r.durationSeconds || 0)} s.`,
  );
  out.push('');
  out.push(`- Commit measured: \`${r.commit}\` (${r.commitSubject})`);
  out.push(
    r.dirtyBackend.length === 0
      ? '- Backend sources: identical to that commit.'
      : `- Backend sources: the commit plus uncommitted changes others were making at the time (${r.dirtyBackend.map((l) => `\`${l.trim()}\``).join(', ')}); the wasm measured is the one built from that tree.`,
  );
  out.push(
    `- Backend wasm: ${(r.wasmBytes / 1e6).toFixed(2)} MB, sha256 \`${r.wasmSha256.slice(0, 16)}…\``,
  );
  out.push(
    `- Machine: ${r.cpus}. Other processes were running (1-minute load average ${r.loadAverage[0].toFixed(1)} at the start, ${r.loadAverage[1].toFixed(1)} at the end), so wall-clock numbers are noisy and pessimistic; instruction counts do not depend on load.`,
  );
  out.push(
    `- Configuration: sizes ${r.config.sizes.join(', ')} proposals (BENCH_SIZES), ${r.config.votesPerProposal} votes and ${r.config.commentsPerProposal} comments per proposal, ${r.config.reps} metered repetitions (median), ${r.config.httpReps} HTTP repetitions (median).`,
  );
  out.push('');
  out.push('## How it measures');
  out.push('');
  out.push(
    "All data is created through the canister's real update methods (candid encoded with the generated `idlFactory`, submitted with `LocalReplica.update`, no HTTP or signatures) by many self-authenticating members, under the default rate limits (each author writes 4 proposals; votes are spread over the members, at least one voter per 20 votes). Votes and comments are skewed towards a few proposals, 40 % of comments are replies, some proposals are triaged by an admin (activity log). At each size the state folder is reopened twice: once without metering for loading and for the latency of each method through the HTTP interface with `@dfinity/agent` (a signed Ed25519 member identity; update latency includes the agent's `read_state` polling), and once with metering for the instructions of each method (`MessageLog.instructions`, the entry point's executed wasm instructions as the IC counts them) and for an upgrade.",
  );
  out.push('');

  out.push('## Data loaded');
  out.push('');
  out.push(
    table(
      [
        'proposals',
        'proposal votes',
        'comments',
        'priority allocations',
        'members',
        'status changes',
        'stable memory',
        'wasm heap',
        'search index',
        'upgrade instructions',
      ],
      r.levels.map((l) => [
        l.counts.proposals.toLocaleString('en'),
        l.counts.votes.toLocaleString('en'),
        l.counts.comments.toLocaleString('en'),
        l.counts.priorityVotes.toLocaleString('en'),
        l.counts.members.toLocaleString('en'),
        l.counts.statusChanges.toLocaleString('en'),
        mib(l.stableBytes),
        mib(l.heapBytes),
        l.searchIndex === undefined
          ? '–'
          : l.searchIndex.heapBytes <= 0
            ? 'within free heap'
            : `${mib(l.searchIndex.heapBytes)} (${Math.round(l.searchIndex.heapBytes / l.counts.proposals).toLocaleString('en')} B per proposal)`,
        b(l.upgradeInstructions),
      ]),
    ),
  );
  out.push('');
  out.push(
    `Install (init) of an empty canister: ${b(r.install.instructions)} instructions (${pct(r.install.instructions, INSTALL_LIMIT)} of the 300 B install limit); importing data/roadmap.json: ${m(r.install.roadmapImportInstructions)}. Upgrade instructions per size are in the table above (limit 300 B).`,
  );
  out.push('');
  out.push(
    `"search index" is the wasm heap the full-text index adds: the state is reopened (an upgrade, which leaves the index to be rebuilt) with timers run one round at a time, and the heap is measured before and after the follow-up messages that rebuild it${indexRebuilds(r)}; "within free heap" means the wasm memory did not grow, as happens at small sizes, where the heap has room to spare after an upgrade. "wasm heap" is measured after the metered calls and an upgrade.`,
  );
  out.push('');

  out.push('## Loading throughput');
  out.push('');
  out.push(
    `Direct replica calls without metering, ${LOADER_CONCURRENCY} in flight (the replica runs them one at a time; one fsync covers the journal records written meanwhile).`,
  );
  out.push('');
  out.push(
    table(
      ['method', 'calls', 'seconds', 'calls/s', 'ms per call'],
      r.throughput.map((t) => [
        t.method,
        t.calls.toLocaleString('en'),
        t.seconds.toFixed(1),
        (t.calls / t.seconds).toFixed(1),
        ((1000 * t.seconds) / t.calls).toFixed(0),
      ]),
    ),
  );
  out.push('');
  const rate = new Map(r.throughput.map((t) => [t.method, t.seconds / t.calls]));
  const largest = r.levels[r.levels.length - 1];
  const missed = DESIGN_TARGETS.filter((t) => (largest?.counts[t.kind] ?? 0) < t.count);
  if (missed.length > 0) {
    out.push('### Sizes of DESIGN §7 not reached');
    out.push('');
    out.push(
      `The largest size measured is ${largest ? `${largest.counts.proposals.toLocaleString('en')} proposals, ${largest.counts.votes.toLocaleString('en')} votes and ${largest.counts.comments.toLocaleString('en')} comments` : 'none'}. At the loading rates above, the sizes DESIGN §7 asks for that it does not reach would take (one replica, one update at a time, this machine):`,
    );
    out.push('');
    out.push(
      table(
        ['target', 'ms per call', 'estimated loading time'],
        missed.map((t) => {
          const perCall = rate.get(t.method);
          if (perCall === undefined) return [t.what, '–', 'not measured'];
          const hours = (perCall * t.count) / 3600;
          return [
            t.what,
            (perCall * 1000).toFixed(0),
            hours < 1 ? `${(hours * 60).toFixed(0)} min` : `${hours.toFixed(1)} h`,
          ];
        }),
      ),
    );
    out.push('');
    out.push(
      'Those sizes were therefore not loaded; no numbers below are extrapolated except where a row says so. Whether cost grows with data size is judged from the sizes that were measured.',
    );
    out.push('');
  }

  out.push('## Instructions per call');
  out.push('');
  out.push(
    `Median executed wasm instructions per call (M = million). "budget" is DESIGN.md §7's, checked at every size. "growth" is the largest size over the smallest; calls growing more than ${GROWTH_FLAG}× are flagged: their cost depends on the total amount of data rather than on their page or input. A page or search that returned fewer items at the smallest size (a rare filter matches less in less data) is judged per item returned instead, and marked "fuller page" when that stays within ${GROWTH_FLAG}×. "limit" is the largest size's median as a share of the IC's per-message limit (40 B for updates, 5 B for queries).`,
  );
  out.push('');
  out.push(
    table(
      ['call', ...sizesHeader, 'budget', 'growth', 'limit', 'flag'],
      labels.map((label) => {
        const values = r.levels.map((l) => l.instructions.get(label)?.median);
        const g = growth.get(label);
        const lastValue = values[values.length - 1] ?? 0;
        const limit = queries.has(label) ? QUERY_LIMIT : UPDATE_LIMIT;
        const budget = budgetOf(label);
        const over = budget !== undefined && values.some((v) => v !== undefined && v > budget);
        const flags = [
          over ? '**over budget**' : '',
          g && growsWithData(g) ? '**grows with data**' : '',
          g && fullerPage(g)
            ? `fuller page: ${g.items![0]} → ${g.items![1]} items (${g.perItemRatio!.toFixed(2)}× per item)`
            : '',
        ].filter(Boolean);
        return [
          label,
          ...values.map((v) => (v === undefined ? '–' : m(v))),
          budget === undefined ? '–' : `≤ ${m(budget)}`,
          g ? `${g.ratio.toFixed(2)}×` : '–',
          pct(lastValue, limit),
          flags.join(', '),
        ];
      }),
    ),
  );
  out.push('');

  out.push(...neuronsSection(r));
  out.push(...mergeSection(r));
  out.push('## Cycles per action');
  out.push('');
  out.push(
    `What each update costs on a 13-node subnet at the largest size, from the IC's fee table: ${FEES.updateMessage.toLocaleString('en')} cycles per update message, ${FEES.perInstruction} per instruction, ${FEES.ingressMessage.toLocaleString('en')} per ingress message and ${FEES.ingressByte.toLocaleString('en')} per ingress byte (argument plus about ${ENVELOPE_BYTES} bytes of signed envelope). Queries cost no cycles on the IC today. 10¹² cycles = 1 XDR; USD at 1 XDR = ${USD_PER_XDR} USD.`,
  );
  out.push('');
  if (largest) {
    const updatesAtLargest = [...largest.instructions.entries()].filter(([l]) => !queries.has(l));
    out.push(
      table(
        ['update', 'instructions', 'argument bytes', 'cycles', 'USD per 1,000'],
        updatesAtLargest.map(([label, v]) => {
          const argBytes = largest.argumentBytes.get(label) ?? 0;
          const cycles =
            FEES.updateMessage +
            FEES.perInstruction * v.median +
            FEES.ingressMessage +
            FEES.ingressByte * (argBytes + ENVELOPE_BYTES);
          const usdPerThousand = ((cycles * 1000) / 1e12) * USD_PER_XDR;
          return [
            label,
            m(v.median),
            argBytes.toLocaleString('en'),
            `${(cycles / 1e6).toFixed(2)} M`,
            `$${usdPerThousand.toFixed(4)}`,
          ];
        }),
      ),
    );
  }
  out.push('');

  out.push('## Latency through HTTP');
  out.push('');
  out.push(
    'Median wall-clock milliseconds per call with `@dfinity/agent` against localnet (unmetered).',
  );
  out.push('');
  out.push(
    table(
      ['call', ...sizesHeader],
      labels.map((label) => [
        label,
        ...r.levels.map((l) => {
          const v = l.latencyMs.get(label);
          return v === undefined ? '–' : v.toFixed(0);
        }),
      ]),
    ),
  );
  out.push('');

  out.push("## Against IC limits and Azle's reference numbers");
  out.push('');
  if (largest) {
    const entries = [...largest.instructions.entries()];
    const updates = entries.filter(([l]) => !queries.has(l));
    const qs = entries.filter(([l]) => queries.has(l));
    const maxOf = (list: typeof entries): [string, number] =>
      list.reduce<[string, number]>(
        (best, [l, v]) => (v.max > best[1] ? [l, v.max] : best),
        ['–', 0],
      );
    const [maxUpdateLabel, maxUpdate] = maxOf(updates);
    const [maxQueryLabel, maxQuery] = maxOf(qs);
    const minUpdate = updates.reduce((min, [, v]) => Math.min(min, v.median), Infinity);
    out.push(
      `- Most expensive update at the largest size: ${maxUpdateLabel}, ${m(maxUpdate)} = ${pct(maxUpdate, UPDATE_LIMIT)} of 40 B.`,
    );
    out.push(
      `- Most expensive query at the largest size: ${maxQueryLabel}, ${m(maxQuery)} = ${pct(maxQuery, QUERY_LIMIT)} of 5 B.`,
    );
    out.push(
      `- Cheapest update: ${m(minUpdate)}, ${(minUpdate / AZLE_TRIVIAL_UPDATE).toFixed(0)}× Azle's trivial update (≈ 1.4 M) and ${(minUpdate / 10e6).toFixed(1)}× its large StableBTreeMap insert (≈ 10 M).`,
    );
    out.push(
      `- Upgrade at the largest size: ${b(largest.upgradeInstructions)} = ${pct(largest.upgradeInstructions, INSTALL_LIMIT)} of 300 B.`,
    );
  }
  out.push('');

  out.push('## Frontend');
  out.push('');
  if (r.bundle) {
    const verdict = r.bundle.totalGzip <= BUNDLE_BUDGET ? 'within' : '**over**';
    out.push(
      `Initial JS (module scripts of dist/frontend/index.html and their modulepreload links, gzip level 9): **${kib(r.bundle.totalGzip)}** gzipped (${kib(r.bundle.totalRaw)} raw), ${verdict} the 250 KiB budget.`,
    );
    out.push('');
    out.push(
      table(
        ['chunk', 'raw', 'gzip'],
        [
          ...r.bundle.chunks,
          ...r.bundle.css.map((c) => ({ ...c, file: `${c.file} (CSS, not counted)` })),
        ].map((c) => [`\`${c.file}\``, kib(c.bytes), kib(c.gzipBytes)]),
      ),
    );
  } else {
    out.push('Initial JS: not measured in this run.');
  }
  out.push('');
  if (r.visible && r.visible.coldMs.length > 0) {
    const cold = median(r.visible.coldMs);
    const warm = median(r.visible.warmMs);
    out.push(
      `Roadmap visible (headless /usr/bin/chromium, playwright-core, \`startLocalnet\` with the frontend and demo data; time from \`goto\` to the first roadmap theme heading being visible, after one unrecorded warm-up load): median of ${r.visible.coldMs.length} first visits in fresh browser contexts **${cold.toFixed(0)} ms** (${r.visible.coldMs.map((v) => v.toFixed(0)).join(', ')}), ${cold <= VISIBLE_BUDGET_MS ? 'within' : '**over**'} the ${VISIBLE_BUDGET_MS / 1000} s budget; repeat visits with a warm cache ${warm.toFixed(0)} ms (${r.visible.warmMs.map((v) => v.toFixed(0)).join(', ')}).`,
    );
  } else {
    out.push('Roadmap visible: not measured in this run.');
  }
  out.push('');

  out.push(...localnetSection(r.localnet));

  out.push('## Findings');
  out.push('');
  const flagged = growthOf(r).filter(growsWithData);
  if (r.levels.length < 2) {
    out.push('- Only one size was measured, so growth with data size could not be judged.');
  } else if (flagged.length === 0) {
    out.push(
      `- No call's instruction count grew more than ${GROWTH_FLAG}× between ${r.levels[0]!.proposals.toLocaleString('en')} and ${largest!.proposals.toLocaleString('en')} proposals.`,
    );
  } else {
    for (const g of flagged) {
      out.push(
        `- **${g.label}** grows with the data: ${m(g.first)} at ${r.levels[0]!.proposals.toLocaleString('en')} proposals, ${m(g.last)} at ${largest!.proposals.toLocaleString('en')} (${g.ratio.toFixed(2)}×).`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * A case measured after the others (neurons and the lens, merging), per size. Rows are
 * instructions, except the counts of follow-up messages.
 */
function caseSection(
  r: RunResult,
  title: string,
  pick: (level: LevelResult) => Map<string, number> | undefined,
  intro: string,
): string[] {
  const levels = r.levels.filter((l) => pick(l) !== undefined);
  const out = [`## ${title}`, ''];
  if (levels.length === 0) return [...out, 'Not measured in this run.', ''];
  out.push(intro, '');
  const labels = [...pick(levels[0]!)!.keys()];
  const cell = (label: string, value: number | undefined): string =>
    value === undefined ? '–' : label.includes('follow-up messages') ? String(value) : m(value);
  out.push(
    table(
      ['', ...levels.map((l) => `${l.proposals.toLocaleString('en')} proposals`)],
      labels.map((label) => [label, ...levels.map((l) => cell(label, pick(l)!.get(label)))]),
    ),
  );
  out.push('');
  return out;
}

/** Neuron links and the lens; the lens's own cost on a page is the difference of two rows. */
function neuronsSection(r: RunResult): string[] {
  const out = caseSection(
    r,
    'Neurons and the voting-power lens',
    (l) => l.neurons,
    "Measured on the metered replica after the cases above (bench/neurons-case.ts): members vote, then link neurons that localnet's NNS governance stand-in holds; the canister asks governance itself, so a link is its request message plus the callback that decides. A member's earlier votes are re-weighed inline up to 4 and by follow-up timer messages beyond. The lens adds to a list page the difference between its first two rows (the page reads the weighed tallies from the heap). Calls to governance and its answers are not counted: governance is native in localnet.",
  );
  const last = r.levels.filter((l) => l.neurons !== undefined).at(-1);
  if (last === undefined) return out;
  const lens =
    (last.neurons!.get('listProposals New 20, every proposal weighed by linked voters') ?? 0) -
    (last.neurons!.get('listProposals New 20, no linked voters') ?? 0);
  out.push(
    `At ${last.proposals.toLocaleString('en')} proposals the lens adds ${m(Math.max(0, lens))} to a 20-item page (budget 2 M): the weighed tallies are part of each card on the heap.`,
  );
  out.push('');
  return out;
}

function mergeSection(r: RunResult): string[] {
  return caseSection(
    r,
    'Merging a duplicate',
    (l) => l.merges,
    `Measured on the metered replica after the cases above (bench/merge-case.ts): ${MERGE_VOTERS.toLocaleString('en')} members vote on a duplicate (one in four against it, one in ten also for its target), an admin merges it into its target and then undoes the merge. The merge's own message moves only the author's vote (budget: a write, 10 M); follow-up timer messages of up to 2 B instructions move the rest. "Per vote" divides every message of the merge (or the unmerge) by the votes it moved.`,
  );
}

/** DESIGN §7: ≥ 300 updates/s from 50 concurrent agents, query p50 ≤ 5 ms. */
const LOCALNET_UPDATES_BUDGET = 300;
const LOCALNET_QUERY_P50_BUDGET_MS = 5;

function localnetSection(f: LocalnetFigures | undefined): string[] {
  const out = ['## Localnet', ''];
  if (!f) return [...out, 'Localnet throughput: not measured in this run.', ''];
  const ms = (v: number | undefined): string => (v === undefined ? '–' : `${v.toFixed(1)} ms`);
  const perCore = (cpuMs: number): string => `${Math.round(1000 / cpuMs)}`;
  // Server and agents share the machine: its cores bound the rate at their CPU together.
  const machineBound = (load: LocalnetFigures['verifying']): string =>
    `${Math.round((f.cores * 1000) / (load.serverCpuMsPerUpdate + load.agentCpuMsPerUpdate))}`;
  out.push(
    `A fresh localnet (\`startLocalnet\`, roadmap only) in a child process of its own; ${f.agents} agents (\`@dfinity/agent\`, the deployer's Ed25519 identity, so rate limits do not apply) in ${f.agentProcesses} further processes post ${f.updatesPerRun} comments per run through the HTTP interface (v3 sync calls; a reply waits for the fsync of its journal record). In the first run the agents verify every certificate's BLS signature, as applications do (about 25 ms of client CPU each); in the second they skip only that check, so the rate shows what the server sustains on a machine it shares with its clients. Server CPU is the localnet process's user + system time over the run, per update (the wasm included). ${f.cores} cores, shared with the agents (and whatever else ran).`,
  );
  out.push('');
  out.push(
    table(
      [
        'run',
        'updates/s',
        'update p50',
        'update p99',
        'server CPU per update',
        'one core at that CPU',
        "agents' CPU per update",
        `${f.cores} cores at both`,
        'query p50 / p99 meanwhile',
        'failed',
      ],
      [
        ['agents verify certificates', f.verifying],
        ['agents skip the BLS check', f.serverBound],
      ].map(([name, l]) => {
        const load = l as LocalnetFigures['verifying'];
        return [
          String(name),
          load.updatesPerSecond.toFixed(1),
          ms(load.updateP50Ms),
          ms(load.updateP99Ms),
          ms(load.serverCpuMsPerUpdate),
          `${perCore(load.serverCpuMsPerUpdate)} updates/s`,
          ms(load.agentCpuMsPerUpdate),
          `${machineBound(load)} updates/s`,
          load.queryUnderLoadP50Ms === undefined
            ? '–'
            : `${ms(load.queryUnderLoadP50Ms)} / ${ms(load.queryUnderLoadP99Ms)}`,
          String(load.failedUpdates),
        ];
      }),
    ),
  );
  out.push('');
  const best = Math.max(f.verifying.updatesPerSecond, f.serverBound.updatesPerSecond);
  out.push(
    `- Updates: ${best.toFixed(1)}/s at best, ${best >= LOCALNET_UPDATES_BUDGET ? 'meeting' : '**short of**'} the ${LOCALNET_UPDATES_BUDGET}/s goal; at ${f.serverBound.serverCpuMsPerUpdate.toFixed(1)} ms of server CPU per update one core sustains about ${perCore(f.serverBound.serverCpuMsPerUpdate)} updates/s, and with the agents' ${ms(f.serverBound.agentCpuMsPerUpdate)} of CPU per update on the same ${f.cores} cores the machine sustains at most about ${machineBound(f.serverBound)}.`,
  );
  out.push(
    `- Queries (\`getProposal\`, one agent, idle server): p50 ${ms(f.queryIdleP50Ms)}, p99 ${ms(f.queryIdleP99Ms)}, ${f.queryIdleP50Ms <= LOCALNET_QUERY_P50_BUDGET_MS ? 'within' : '**over**'} the ${LOCALNET_QUERY_P50_BUDGET_MS} ms p50 goal; server CPU ${ms(f.serverCpuMsPerQuery)} and the agent's CPU ${ms(f.agentCpuMsPerQuery)} per query (the agent checks the node's signature on every query reply).`,
  );
  out.push(
    `- Journal: ${f.journalBytesPerUpdate.toLocaleString('en')} bytes per update (a comment with its record).`,
  );
  out.push('');
  return out;
}

/** Writes the report formatted as `npm run lint` wants it (aligned tables). */
export async function writeReport(path: string, result: RunResult): Promise<void> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(renderReport(result), { ...options, filepath: path }));
}

function indexRebuilds(r: RunResult): string {
  const measured = r.levels.filter((l) => l.searchIndex !== undefined);
  if (measured.length === 0) return '';
  const each = measured.map(
    (l) =>
      `${(l.searchIndex!.rebuildInstructions >= 1e9 ? b : m)(l.searchIndex!.rebuildInstructions)} at ${l.proposals.toLocaleString('en')} proposals`,
  );
  return ` (their instructions: ${each.join(', ')})`;
}
