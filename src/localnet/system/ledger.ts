/**
 * A token ledger: balances, ICRC-2 allowances and the block log they are derived from. The
 * ICP ledger and the cycles ledger share it; each serves its own candid on top. Every change
 * is one block appended to the canister's stable log, and a restart replays the blocks.
 * Deduplication follows ICRC-1: a transaction with `created_at_time` inside the 24-hour
 * window that repeats an earlier one returns that one's block as `Duplicate`.
 */
import { createHash } from 'node:crypto';
import type { StableLog } from './stable-log';

/** Account keys are legacy account identifiers in hex (see accounts.ts). */
export type Block =
  | { op: 'mint'; to: string; amount: string; time: string; memo?: string; seed?: true }
  | {
      op: 'burn';
      from: string;
      amount: string;
      fee: string;
      time: string;
      memo?: string;
      dedup?: string;
    }
  | {
      op: 'transfer';
      from: string;
      to: string;
      amount: string;
      fee: string;
      time: string;
      /** ICRC-1 memo (hex) or the ICP ledger's legacy nat64 memo (decimal). */
      memo?: string;
      legacyMemo?: string;
      spender?: string;
      dedup?: string;
    }
  | {
      op: 'approve';
      from: string;
      spender: string;
      amount: string;
      fee: string;
      expiresAt?: string;
      time: string;
      dedup?: string;
    };

export type LedgerError =
  | { kind: 'BadFee'; expectedFee: bigint }
  | { kind: 'InsufficientFunds'; balance: bigint }
  | { kind: 'InsufficientAllowance'; allowance: bigint }
  | { kind: 'AllowanceChanged'; currentAllowance: bigint }
  | { kind: 'Expired'; ledgerTime: bigint }
  | { kind: 'TooOld' }
  | { kind: 'CreatedInFuture'; ledgerTime: bigint }
  | { kind: 'Duplicate'; duplicateOf: bigint }
  | { kind: 'GenericError'; errorCode: bigint; message: string };

export type LedgerResult = { ok: bigint } | { err: LedgerError };

export interface LedgerConfig {
  name: string;
  symbol: string;
  decimals: number;
  fee: bigint;
}

/** Common fields of a request that ends in a block. */
export interface Request {
  /** Nanoseconds, for ICRC-1 deduplication. */
  createdAtTime?: bigint;
  /** Identifies the request for deduplication: the caller and the candid argument. */
  dedupOf: string;
  now: bigint;
}

const TX_WINDOW_NANOS = 24n * 3600n * 1_000_000_000n;
const PERMITTED_DRIFT_NANOS = 60n * 1_000_000_000n;

function allowanceKey(from: string, spender: string): string {
  return `${from}:${spender}`;
}

export function dedupKey(caller: string, method: string, arg: Uint8Array): string {
  return createHash('sha256').update(`${caller}\n${method}\n`).update(arg).digest('hex');
}

export class Ledger {
  private balances = new Map<string, bigint>();
  private allowances = new Map<string, { amount: bigint; expiresAt?: bigint }>();
  private dedup = new Map<string, bigint>();
  private blocks: Block[] = [];
  private supply = 0n;
  /** Accounts funded by the network at start, so that a restart funds nobody twice. */
  readonly seeded = new Set<string>();

  constructor(
    readonly config: LedgerConfig,
    private readonly log: StableLog<Block>,
  ) {}

  /** Rebuilds balances from the block log (at start, and after a write the disk refused). */
  replay(): void {
    this.balances.clear();
    this.allowances.clear();
    this.dedup.clear();
    this.blocks = [];
    this.supply = 0n;
    this.seeded.clear();
    for (const block of this.log.records()) this.apply(block);
  }

  get totalSupply(): bigint {
    return this.supply;
  }

  get length(): bigint {
    return BigInt(this.blocks.length);
  }

  block(index: bigint): Block | undefined {
    return index < 0n || index >= this.length ? undefined : this.blocks[Number(index)];
  }

  balance(key: string): bigint {
    return this.balances.get(key) ?? 0n;
  }

  allowance(from: string, spender: string, now: bigint): { amount: bigint; expiresAt?: bigint } {
    const a = this.allowances.get(allowanceKey(from, spender));
    if (!a || (a.expiresAt !== undefined && a.expiresAt <= now)) return { amount: 0n };
    return a;
  }

  private append(block: Block): bigint {
    this.log.append(block);
    this.apply(block);
    return this.length - 1n;
  }

  private add(key: string, delta: bigint): void {
    const next = this.balance(key) + delta;
    if (next === 0n) this.balances.delete(key);
    else this.balances.set(key, next);
  }

  private apply(block: Block): void {
    const index = BigInt(this.blocks.length);
    this.blocks.push(block);
    switch (block.op) {
      case 'mint':
        this.add(block.to, BigInt(block.amount));
        this.supply += BigInt(block.amount);
        if (block.seed) this.seeded.add(block.to);
        break;
      case 'burn':
        this.add(block.from, -(BigInt(block.amount) + BigInt(block.fee)));
        this.supply -= BigInt(block.amount) + BigInt(block.fee);
        break;
      case 'transfer': {
        const amount = BigInt(block.amount);
        const fee = BigInt(block.fee);
        this.add(block.from, -(amount + fee));
        this.add(block.to, amount);
        this.supply -= fee;
        if (block.spender !== undefined) {
          const key = allowanceKey(block.from, block.spender);
          const a = this.allowances.get(key);
          if (a) a.amount -= amount + fee;
        }
        break;
      }
      case 'approve': {
        const fee = BigInt(block.fee);
        this.add(block.from, -fee);
        this.supply -= fee;
        const a: { amount: bigint; expiresAt?: bigint } = { amount: BigInt(block.amount) };
        if (block.expiresAt !== undefined) a.expiresAt = BigInt(block.expiresAt);
        this.allowances.set(allowanceKey(block.from, block.spender), a);
        break;
      }
    }
    if ('dedup' in block && block.dedup !== undefined) this.dedup.set(block.dedup, index);
  }

  /** The checks every request with a fee and a `created_at_time` goes through. */
  private precheck(req: Request, fee: bigint | undefined): LedgerError | undefined {
    if (fee !== undefined && fee !== this.config.fee) {
      return { kind: 'BadFee', expectedFee: this.config.fee };
    }
    const t = req.createdAtTime;
    if (t === undefined) return undefined;
    if (t + TX_WINDOW_NANOS + PERMITTED_DRIFT_NANOS < req.now) return { kind: 'TooOld' };
    if (t > req.now + PERMITTED_DRIFT_NANOS)
      return { kind: 'CreatedInFuture', ledgerTime: req.now };
    const seen = this.dedup.get(req.dedupOf);
    if (seen !== undefined) return { kind: 'Duplicate', duplicateOf: seen };
    return undefined;
  }

  private dedupField(req: Request): { dedup?: string } {
    return req.createdAtTime === undefined ? {} : { dedup: req.dedupOf };
  }

  /** Whether a request that debits `total` from `from` would succeed; writes nothing. */
  check(req: Request, from: string, total: bigint): LedgerError | undefined {
    const refused = this.precheck(req, undefined);
    if (refused) return refused;
    const balance = this.balance(from);
    return balance < total ? { kind: 'InsufficientFunds', balance } : undefined;
  }

  /** Mints without a fee (genesis, seeding and the minting canister's deposits). */
  mint(to: string, amount: bigint, now: bigint, opts: { memo?: string; seed?: true } = {}): bigint {
    return this.append({
      op: 'mint',
      to,
      amount: amount.toString(),
      time: now.toString(),
      ...opts,
    });
  }

  /** Burns `amount` plus `fee` from `from` (a canister creation, a withdrawal, a conversion). */
  burn(req: Request, from: string, amount: bigint, fee: bigint, memo?: string): LedgerResult {
    const refused = this.precheck(req, undefined);
    if (refused) return { err: refused };
    const balance = this.balance(from);
    if (balance < amount + fee) return { err: { kind: 'InsufficientFunds', balance } };
    const block: Block = {
      op: 'burn',
      from,
      amount: amount.toString(),
      fee: fee.toString(),
      time: req.now.toString(),
      ...this.dedupField(req),
    };
    if (memo !== undefined) block.memo = memo;
    return { ok: this.append(block) };
  }

  transfer(
    req: Request,
    t: {
      from: string;
      to: string;
      amount: bigint;
      fee: bigint | undefined;
      memo?: string;
      legacyMemo?: bigint;
      spender?: string;
    },
  ): LedgerResult {
    const refused = this.precheck(req, t.fee);
    if (refused) return { err: refused };
    const fee = this.config.fee;
    if (t.spender !== undefined && t.spender !== t.from) {
      const allowed = this.allowance(t.from, t.spender, req.now).amount;
      if (allowed < t.amount + fee) {
        return { err: { kind: 'InsufficientAllowance', allowance: allowed } };
      }
    }
    const balance = this.balance(t.from);
    if (balance < t.amount + fee) return { err: { kind: 'InsufficientFunds', balance } };
    const block: Block = {
      op: 'transfer',
      from: t.from,
      to: t.to,
      amount: t.amount.toString(),
      fee: fee.toString(),
      time: req.now.toString(),
      ...this.dedupField(req),
    };
    if (t.memo !== undefined) block.memo = t.memo;
    if (t.legacyMemo !== undefined) block.legacyMemo = t.legacyMemo.toString();
    if (t.spender !== undefined && t.spender !== t.from) block.spender = t.spender;
    return { ok: this.append(block) };
  }

  approve(
    req: Request,
    a: {
      from: string;
      spender: string;
      amount: bigint;
      fee: bigint | undefined;
      expectedAllowance?: bigint;
      expiresAt?: bigint;
    },
  ): LedgerResult {
    if (a.from === a.spender) {
      return {
        err: { kind: 'GenericError', errorCode: 1n, message: 'self approval is not allowed' },
      };
    }
    const refused = this.precheck(req, a.fee);
    if (refused) return { err: refused };
    if (a.expiresAt !== undefined && a.expiresAt <= req.now) {
      return { err: { kind: 'Expired', ledgerTime: req.now } };
    }
    const current = this.allowance(a.from, a.spender, req.now).amount;
    if (a.expectedAllowance !== undefined && a.expectedAllowance !== current) {
      return { err: { kind: 'AllowanceChanged', currentAllowance: current } };
    }
    const balance = this.balance(a.from);
    if (balance < this.config.fee) return { err: { kind: 'InsufficientFunds', balance } };
    const block: Block = {
      op: 'approve',
      from: a.from,
      spender: a.spender,
      amount: a.amount.toString(),
      fee: this.config.fee.toString(),
      time: req.now.toString(),
      ...this.dedupField(req),
    };
    if (a.expiresAt !== undefined) block.expiresAt = a.expiresAt.toString();
    return { ok: this.append(block) };
  }
}
