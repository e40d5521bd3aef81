/**
 * The cycles minting canister (`rkp4c-7iaaa-aaaaa-aaaca-cai`): turns ICP sent to it into
 * cycles. A client transfers ICP to the CMC's account under a subaccount derived from the
 * beneficiary, with a memo naming the purpose, then notifies the CMC with the block index:
 *   MINT  notify_mint_cycles      cycles on the cycles ledger (`icp cycles mint`)
 *   CREA  notify_create_canister  a new canister holding the cycles
 *   TPUP  notify_top_up           cycles added to a canister
 * The ICP is burned, and each block is honoured once: notifying it again returns the first
 * result, as on mainnet. The exchange rate is fixed at the one icp-cli's local networks use.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { accountKey, principalSubaccount } from './accounts';
import { decodeArg, reply } from './dispatch';
import type { CanisterFactory } from './cycles-ledger';
import { keyOf } from './icrc';
import type { Ledger } from './ledger';
import {
  IcpXdrConversionRateResponse,
  NotifyCreateCanisterArg,
  NotifyCreateCanisterResult,
  NotifyMintCyclesArg,
  NotifyMintCyclesResult,
  NotifyTopUpArg,
  NotifyTopUpResult,
  SubnetTypesToSubnetsResponse,
} from './cmc-candid';
import { CYCLES_MINTING_CANISTER_ID } from './ids';
import type { StableLog } from './stable-log';
import type { Response } from '../core/messages';
import type { NativeCall } from '../core/native-canister';
import { ManagementError } from '../management/management-canister';

/** 3.52 XDR per ICP: 1 ICP buys 3.52 T cycles (1 XDR = 1 T cycles). */
export const XDR_PERMYRIAD_PER_ICP = 35_200n;
const CYCLES_PER_E8 = XDR_PERMYRIAD_PER_ICP;

const MEMO = { mint: 0x544e494dn, create: 0x41455243n, topUp: 0x50555054n } as const;

type Purpose = keyof typeof MEMO;

/** What one notification achieved, kept so that a repeated notification gets the same. */
export type Notification = { block: string } & (
  | { kind: 'mint'; cyclesBlock: string; minted: string; balance: string }
  | { kind: 'create'; canister: string }
  | { kind: 'topUp'; cycles: string }
  | { kind: 'refunded'; reason: string; refundBlock: string }
);

type Opt<T> = [] | [T];

export interface MintingContext {
  icp: Ledger;
  cycles: Ledger;
  factory: CanisterFactory;
  log: StableLog<Notification>;
  notified: Map<string, Notification>;
  subnetId: Principal;
}

function notifyError(n: Notification): Record<string, unknown> | undefined {
  if (n.kind !== 'refunded') return undefined;
  return { Refunded: { reason: n.reason, block_index: [BigInt(n.refundBlock)] } };
}

function invalid(message: string): { Err: Record<string, unknown> } {
  return { Err: { InvalidTransaction: message } };
}

/**
 * Checks that ICP ledger block `index` sends ICP to the CMC for `beneficiary` with the memo of
 * `purpose`, and returns the e8s it carries and the sender's account (for refunds).
 */
function paidBlock(
  ctx: MintingContext,
  index: bigint,
  beneficiary: Principal,
  purpose: Purpose,
): { e8s: bigint; from: string; to: string } | string {
  const block = ctx.icp.block(index);
  if (!block) return `block ${index} does not exist`;
  if (block.op !== 'transfer') return `block ${index} is not a transfer`;
  const to = accountKey({
    owner: CYCLES_MINTING_CANISTER_ID,
    subaccount: [principalSubaccount(beneficiary)],
  });
  if (block.to !== to) {
    return `block ${index} is not a transfer to the cycles minting canister for ${beneficiary.toText()}`;
  }
  const memo = block.legacyMemo === undefined ? undefined : BigInt(block.legacyMemo);
  if (memo !== MEMO[purpose]) {
    return `block ${index} has memo ${memo ?? 'none'}, expected ${MEMO[purpose]} for ${purpose}`;
  }
  return { e8s: BigInt(block.amount), from: block.from, to };
}

/** Burns the ICP of a notified block and records what the notification achieved. */
function settle(
  ctx: MintingContext,
  call: NativeCall,
  paid: { e8s: bigint; to: string },
  n: Notification,
): void {
  const burned = ctx.icp.burn(
    { dedupOf: `cmc:${n.block}`, now: call.timeNanos },
    paid.to,
    paid.e8s,
    0n,
  );
  if ('err' in burned) throw new Error(`cycles minting canister: burn failed: ${burned.err.kind}`);
  ctx.log.append(n);
  ctx.notified.set(n.block, n);
}

/** Sends the ICP back (less the ledger fee) when the notification cannot be honoured. */
function refund(
  ctx: MintingContext,
  call: NativeCall,
  paid: { e8s: bigint; from: string; to: string },
  block: bigint,
  reason: string,
): Notification {
  const fee = ctx.icp.config.fee;
  const back = ctx.icp.transfer(
    { dedupOf: `cmc-refund:${block}`, now: call.timeNanos },
    { from: paid.to, to: paid.from, amount: paid.e8s > fee ? paid.e8s - fee : 0n, fee: undefined },
  );
  if ('err' in back) throw new Error(`cycles minting canister: refund failed: ${back.err.kind}`);
  const n: Notification = {
    block: block.toString(),
    kind: 'refunded',
    reason,
    refundBlock: back.ok.toString(),
  };
  ctx.log.append(n);
  ctx.notified.set(n.block, n);
  return n;
}

function notifyMint(ctx: MintingContext, call: NativeCall): Response {
  const a = decodeArg<{ block_index: bigint; to_subaccount: Opt<Uint8Array> }>(
    NotifyMintCyclesArg,
    call.arg,
    call.method,
  );
  const done = ctx.notified.get(a.block_index.toString());
  if (done) {
    if (done.kind === 'mint') {
      return reply(NotifyMintCyclesResult, {
        Ok: {
          block_index: BigInt(done.cyclesBlock),
          minted: BigInt(done.minted),
          balance: BigInt(done.balance),
        },
      });
    }
    return reply(NotifyMintCyclesResult, {
      Err: notifyError(done) ?? invalid('block was notified for another purpose').Err,
    });
  }
  const paid = paidBlock(ctx, a.block_index, call.caller, 'mint');
  if (typeof paid === 'string') return reply(NotifyMintCyclesResult, invalid(paid));
  const minted = paid.e8s * CYCLES_PER_E8;
  const fee = ctx.cycles.config.fee;
  if (minted <= fee) {
    const n = refund(
      ctx,
      call,
      paid,
      a.block_index,
      `${minted} cycles do not cover the cycles ledger fee of ${fee}`,
    );
    return reply(NotifyMintCyclesResult, { Err: notifyError(n) });
  }
  const to = keyOf(call.caller, a.to_subaccount);
  // The deposit pays the cycles ledger's fee, as a deposit on mainnet does.
  const cyclesBlock = ctx.cycles.mint(to, minted - fee, call.timeNanos);
  const balance = ctx.cycles.balance(to);
  settle(ctx, call, paid, {
    block: a.block_index.toString(),
    kind: 'mint',
    cyclesBlock: cyclesBlock.toString(),
    minted: minted.toString(),
    balance: balance.toString(),
  });
  return reply(NotifyMintCyclesResult, { Ok: { block_index: cyclesBlock, minted, balance } });
}

function notifyCreate(ctx: MintingContext, call: NativeCall): Response {
  const a = decodeArg<{
    block_index: bigint;
    controller: Principal;
    settings: Opt<{ controllers: Opt<Principal[]> }>;
  }>(NotifyCreateCanisterArg, call.arg, call.method);
  const done = ctx.notified.get(a.block_index.toString());
  if (done) {
    if (done.kind === 'create') {
      return reply(NotifyCreateCanisterResult, { Ok: Principal.fromText(done.canister) });
    }
    return reply(NotifyCreateCanisterResult, {
      Err: notifyError(done) ?? invalid('block was notified for another purpose').Err,
    });
  }
  if (call.caller.compareTo(a.controller) !== 'eq') {
    return reply(
      NotifyCreateCanisterResult,
      invalid('only the controller named in the request may notify it'),
    );
  }
  const paid = paidBlock(ctx, a.block_index, a.controller, 'create');
  if (typeof paid === 'string') return reply(NotifyCreateCanisterResult, invalid(paid));
  const controllers = a.settings[0]?.controllers[0] ?? [a.controller];
  let id: Principal;
  try {
    id = ctx.factory.create(controllers, paid.e8s * CYCLES_PER_E8);
  } catch (err) {
    if (!(err instanceof ManagementError)) throw err;
    const n = refund(ctx, call, paid, a.block_index, err.message);
    return reply(NotifyCreateCanisterResult, { Err: notifyError(n) });
  }
  settle(ctx, call, paid, {
    block: a.block_index.toString(),
    kind: 'create',
    canister: id.toText(),
  });
  return reply(NotifyCreateCanisterResult, { Ok: id });
}

function notifyTopUp(ctx: MintingContext, call: NativeCall): Response {
  const a = decodeArg<{ block_index: bigint; canister_id: Principal }>(
    NotifyTopUpArg,
    call.arg,
    call.method,
  );
  const done = ctx.notified.get(a.block_index.toString());
  if (done) {
    if (done.kind === 'topUp') return reply(NotifyTopUpResult, { Ok: BigInt(done.cycles) });
    return reply(NotifyTopUpResult, {
      Err: notifyError(done) ?? invalid('block was notified for another purpose').Err,
    });
  }
  const paid = paidBlock(ctx, a.block_index, a.canister_id, 'topUp');
  if (typeof paid === 'string') return reply(NotifyTopUpResult, invalid(paid));
  const cycles = paid.e8s * CYCLES_PER_E8;
  if (!ctx.factory.topUp(a.canister_id, cycles)) {
    const n = refund(
      ctx,
      call,
      paid,
      a.block_index,
      `Canister ${a.canister_id.toText()} not found`,
    );
    return reply(NotifyTopUpResult, { Err: notifyError(n) });
  }
  settle(ctx, call, paid, {
    block: a.block_index.toString(),
    kind: 'topUp',
    cycles: cycles.toString(),
  });
  return reply(NotifyTopUpResult, { Ok: cycles });
}

export function cmcQuery(ctx: MintingContext, call: NativeCall): Response | undefined {
  switch (call.method) {
    case 'get_default_subnets':
      return reply(IDL.Vec(IDL.Principal), [ctx.subnetId]);
    case 'get_subnet_types_to_subnets':
      return reply(SubnetTypesToSubnetsResponse, { data: [] });
    case 'get_icp_xdr_conversion_rate':
      // Mainnet certifies the rate; localnet's is a constant, so there is nothing to certify
      // and the tree and certificate are empty — a client that verifies them will say so.
      return reply(IcpXdrConversionRateResponse, {
        data: {
          timestamp_seconds: call.timeNanos / 1_000_000_000n,
          xdr_permyriad_per_icp: XDR_PERMYRIAD_PER_ICP,
        },
        hash_tree: new Uint8Array(0),
        certificate: new Uint8Array(0),
      });
    case 'get_build_metadata':
      return reply(IDL.Text, 'localnet: natively implemented cycles minting canister');
    default:
      return undefined;
  }
}

export function cmcUpdate(ctx: MintingContext, call: NativeCall): Response | undefined {
  switch (call.method) {
    case 'notify_mint_cycles':
      return notifyMint(ctx, call);
    case 'notify_create_canister':
      return notifyCreate(ctx, call);
    case 'notify_top_up':
      return notifyTopUp(ctx, call);
    default:
      return undefined;
  }
}
