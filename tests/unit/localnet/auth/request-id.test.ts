import { describe, expect, it } from 'vitest';
import { requestIdOf as agentRequestIdOf } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { hashOfMap, requestIdOf } from '../../../../src/localnet/auth/request-id';
import { callContent, wire } from './envelopes';

describe('request id', () => {
  const sender = Principal.fromText('2vxsx-fae');

  it('matches the agent for call content after a CBOR round trip', () => {
    const content = callContent(sender);
    expect(bytesToHex(requestIdOf(wire(content)))).toBe(bytesToHex(agentRequestIdOf(content)));
  });

  it('matches the agent for read_state paths (nested arrays)', () => {
    const content = {
      request_type: 'read_state',
      paths: [[new TextEncoder().encode('request_status'), new Uint8Array(32).fill(9)]],
      sender,
      ingress_expiry: 1_700_000_000_000_000_000n,
    };
    expect(bytesToHex(requestIdOf(wire(content)))).toBe(bytesToHex(agentRequestIdOf(content)));
  });

  it('hashes nested maps recursively (sender_info of newer agents)', () => {
    const content = callContent(sender, {
      sender_info: {
        info: new Uint8Array([1]),
        signer: new Uint8Array([2]),
        sig: new Uint8Array([3]),
      },
    });
    expect(bytesToHex(requestIdOf(wire(content)))).toBe(bytesToHex(agentRequestIdOf(content)));
  });

  it('is independent of field order and sensitive to every value', () => {
    const a = hashOfMap({ x: 1, y: 'two' });
    expect(bytesToHex(hashOfMap({ y: 'two', x: 1 }))).toBe(bytesToHex(a));
    expect(bytesToHex(hashOfMap({ x: 2, y: 'two' }))).not.toBe(bytesToHex(a));
    expect(bytesToHex(hashOfMap({ x: 1n, y: 'two' }))).toBe(bytesToHex(a));
  });
});
