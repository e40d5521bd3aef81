import { describe, expect, it } from 'vitest';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { createHash } from 'node:crypto';
import {
  ALICE,
  BOB,
  installFixture,
  openReplica,
  readState,
  replyOf,
  update,
  wasm,
  enc,
  idArg,
  MGMT,
} from '../fixtures/harness';
import {
  CanisterIdRecord,
  CanisterStatusResult,
  InstallChunkedCodeArgs,
  InstallCodeArgs,
  ProvisionalCreateArgs,
  UpdateSettingsArgs,
  UploadChunkArgs,
} from '../../../../src/localnet/management/candid';

const II = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');

describe('localnet management canister', { timeout: 60_000 }, () => {
  it('creates a canister with a specified id over ingress and refuses a duplicate', async () => {
    const replica = await openReplica();
    const arg = enc(ProvisionalCreateArgs, {
      amount: [1_000n],
      settings: [],
      specified_id: [II],
      sender_canister_version: [],
    });
    const created = replyOf(
      await update(replica, MGMT, 'provisional_create_canister_with_cycles', arg, ALICE),
    );
    const [rec] = IDL.decode([CanisterIdRecord], created) as unknown as [
      { canister_id: Principal },
    ];
    expect(rec.canister_id.toText()).toBe(II.toText());
    expect(replica.canister(II)?.controllers.map((p) => p.toText())).toEqual([ALICE.toText()]);
    expect(
      await update(replica, MGMT, 'provisional_create_canister_with_cycles', arg, ALICE),
    ).toMatchObject({
      kind: 'rejected',
    });
  });

  it('allows only controllers to install, read status, change settings, stop and delete', async () => {
    const replica = await openReplica();
    const id = await installFixture(replica, { controllers: [ALICE] });
    for (const [method, arg] of [
      ['canister_status', idArg(id)],
      ['stop_canister', idArg(id)],
      ['delete_canister', idArg(id)],
      [
        'install_code',
        enc(InstallCodeArgs, {
          mode: { reinstall: null },
          canister_id: id,
          wasm_module: wasm(),
          arg: new Uint8Array(),
          sender_canister_version: [],
        }),
      ],
      [
        'update_settings',
        enc(UpdateSettingsArgs, {
          canister_id: id,
          settings: {
            controllers: [[BOB]],
            compute_allocation: [],
            memory_allocation: [],
            freezing_threshold: [],
            reserved_cycles_limit: [],
            log_visibility: [],
            wasm_memory_limit: [],
          },
          sender_canister_version: [],
        }),
      ],
    ] as const) {
      expect(await update(replica, MGMT, method, arg, BOB), method).toMatchObject({
        kind: 'rejected',
        errorCode: 'IC0512',
      });
    }
    const status = IDL.decode(
      [CanisterStatusResult],
      replyOf(await update(replica, MGMT, 'canister_status', idArg(id), ALICE)),
    ) as unknown as [{ status: Record<string, null>; module_hash: [] | [Uint8Array] }];
    expect(Object.keys(status[0].status)).toEqual(['running']);
    expect(Buffer.from(status[0].module_hash[0] ?? []).toString('hex')).toBe(
      createHash('sha256').update(wasm()).digest('hex'),
    );
    // Hand control to BOB; ALICE loses it.
    replyOf(
      await update(
        replica,
        MGMT,
        'update_settings',
        enc(UpdateSettingsArgs, {
          canister_id: id,
          settings: {
            controllers: [[BOB]],
            compute_allocation: [],
            memory_allocation: [],
            freezing_threshold: [],
            reserved_cycles_limit: [],
            log_visibility: [],
            wasm_memory_limit: [],
          },
          sender_canister_version: [],
        }),
        ALICE,
      ),
    );
    expect(await update(replica, MGMT, 'canister_status', idArg(id), ALICE)).toMatchObject({
      errorCode: 'IC0512',
    });
    expect(await update(replica, MGMT, 'delete_canister', idArg(id), BOB)).toMatchObject({
      errorCode: 'IC0510',
    });
    replyOf(await update(replica, MGMT, 'stop_canister', idArg(id), BOB));
    replyOf(await update(replica, MGMT, 'delete_canister', idArg(id), BOB));
    expect(replica.canister(id)).toBeUndefined();
  });

  it('installs a module uploaded in chunks and checks the hash', async () => {
    const replica = await openReplica();
    const id = replica.createCanister({ controllers: [ALICE] });
    const bytes = wasm();
    const half = Math.floor(bytes.length / 2);
    const hashes: Uint8Array[] = [];
    for (const chunk of [bytes.subarray(0, half), bytes.subarray(half)]) {
      const reply = replyOf(
        await update(
          replica,
          MGMT,
          'upload_chunk',
          enc(UploadChunkArgs, { canister_id: id, chunk }),
          ALICE,
        ),
      );
      hashes.push(
        (
          IDL.decode([IDL.Record({ hash: IDL.Vec(IDL.Nat8) })], reply) as unknown as [
            { hash: Uint8Array },
          ]
        )[0].hash,
      );
    }
    const install = (moduleHash: Uint8Array): Uint8Array =>
      enc(InstallChunkedCodeArgs, {
        mode: { install: null },
        target_canister: id,
        store_canister: [],
        chunk_hashes_list: hashes.map((hash) => ({ hash })),
        wasm_module_hash: moduleHash,
        arg: new Uint8Array(),
        sender_canister_version: [],
      });
    expect(
      await update(replica, MGMT, 'install_chunked_code', install(new Uint8Array(32)), ALICE),
    ).toMatchObject({
      kind: 'rejected',
    });
    replyOf(
      await update(
        replica,
        MGMT,
        'install_chunked_code',
        install(createHash('sha256').update(bytes).digest()),
        ALICE,
      ),
    );
    expect((await readState(replica, id)).counter).toBe(0n);
    expect(Buffer.from(replica.canister(id)?.moduleHash ?? []).toString('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
  });

  it('answers raw_rand with 32 fresh bytes', async () => {
    const replica = await openReplica();
    const draw = async (): Promise<Uint8Array> =>
      (
        IDL.decode(
          [IDL.Vec(IDL.Nat8)],
          replyOf(
            await update(replica, MGMT, 'raw_rand', new Uint8Array(IDL.encode([], [])), ALICE),
          ),
        ) as unknown as [Uint8Array]
      )[0];
    const a = await draw();
    const b = await draw();
    expect(a.length).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
