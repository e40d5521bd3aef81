/**
 * The certificate batcher (`certificate-batcher.ts`): a lone certificate is signed at once;
 * when several wait, the next signature is held back so that signing takes at most its share
 * of a core, and every waiting request rides on it with a witness of its own paths.
 */
import { utf8ToBytes } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';
import {
  CertificateBatcher,
  SIGNING_SHARE,
} from '../../../../src/localnet/certification/certificate-batcher';
import type { Certifier } from '../../../../src/localnet/certification/certifier';
import { generateNetworkKeys } from '../../../../src/localnet/certification/keys';
import {
  lookupPath,
  toHashTree,
  type LabeledTree,
  type TreePath,
} from '../../../../src/localnet/certification/hash-tree';
import type { RequestStatus } from '../../../../src/localnet/core/replica-api';

const SIGNING_MS = 20;
const keys = generateNetworkKeys();

/** Records when each batch was signed and with how many certificates; signs nothing. */
class FakeCertifier {
  readonly keys = keys;
  readonly signingMillis = SIGNING_MS;
  readonly batches: { at: number; size: number; witnesses: TreePath[][] }[] = [];

  async certifyEach(_state: LabeledTree, pathsList: TreePath[][]): Promise<Uint8Array[]> {
    this.batches.push({ at: performance.now(), size: pathsList.length, witnesses: pathsList });
    await new Promise((resolve) => setTimeout(resolve, SIGNING_MS));
    return pathsList.map((paths) => Uint8Array.from(paths.flat().flatMap((l) => [...l])));
  }
}

const replied = (text: string): RequestStatus => ({
  status: 'replied',
  outcome: { kind: 'replied', reply: utf8ToBytes(text) },
  finishedAtNanos: 0n,
});

function rid(i: number): Uint8Array {
  return new Uint8Array(32).fill(i);
}

describe('certificate batcher', () => {
  it('signs a lone certificate at once', async () => {
    const certifier = new FakeCertifier();
    const batcher = new CertificateBatcher(certifier as unknown as Certifier, () => 1n);
    const started = performance.now();
    await batcher.certifyStatus(rid(1), replied('one'));
    expect(certifier.batches).toHaveLength(1);
    expect((certifier.batches[0] as { at: number }).at - started).toBeLessThan(SIGNING_MS);
  });

  it('holds the next signature back while several wait, then signs them together', async () => {
    const certifier = new FakeCertifier();
    const batcher = new CertificateBatcher(certifier as unknown as Certifier, () => 1n);
    const first = batcher.certifyStatus(rid(1), replied('one'));
    // These arrive while the first signature is being made.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const rest = [2, 3, 4, 5].map((i) => batcher.certifyStatus(rid(i), replied(`r${i}`)));
    await Promise.all([first, ...rest]);
    expect(certifier.batches.map((b) => b.size)).toEqual([1, 4]);
    const [a, b] = certifier.batches.map((batch) => batch.at) as [number, number];
    // Allow a little timer slack below the exact hold.
    expect(b - a).toBeGreaterThanOrEqual(SIGNING_MS / SIGNING_SHARE - 2);
  });

  it('gives each request of a batch a witness of its own paths only', async () => {
    const certifier = new FakeCertifier();
    const batcher = new CertificateBatcher(certifier as unknown as Certifier, () => 1n);
    await Promise.all([1, 2, 3].map((i) => batcher.certifyStatus(rid(i), replied(`r${i}`))));
    const witnesses = certifier.batches.flatMap((b) => b.witnesses);
    expect(witnesses).toEqual([1, 2, 3].map((i) => [[utf8ToBytes('request_status'), rid(i)]]));
  });

  it('reads what read_state reveals when the batch is built, not when it was asked for', async () => {
    const certifier = new FakeCertifier();
    let signedState: LabeledTree | undefined;
    const record = certifier.certifyEach.bind(certifier);
    certifier.certifyEach = (state, paths) => {
      signedState = state;
      return record(state, paths);
    };
    const batcher = new CertificateBatcher(certifier as unknown as Certifier, () => 7n);
    let status: RequestStatus = { status: 'processing' };
    const certificate = batcher.certify({
      paths: [[utf8ToBytes('request_status'), rid(9)]],
      gather: (into) => into.requestStatuses.set('09', [rid(9), status]),
    });
    status = replied('done by now');
    await certificate;
    expect(signedState).toBeDefined();
    const tree = toHashTree(signedState as LabeledTree);
    expect(
      lookupPath(tree, [utf8ToBytes('request_status'), rid(9), utf8ToBytes('status')]),
    ).toEqual({ status: 'found', value: utf8ToBytes('replied') });
  });
});
