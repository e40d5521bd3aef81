import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Ed25519KeyIdentity } from '@dfinity/identity';

/**
 * The deployer: the identity that creates, installs and upgrades the project's canisters on
 * localnet, like dfx's default identity. It is a controller, so the backend treats it as an
 * admin. The key stays in the state folder so upgrades across restarts keep working.
 */
export function loadOrCreateDeployer(stateDir: string): Ed25519KeyIdentity {
  const file = join(stateDir, 'deployer.json');
  if (existsSync(file)) {
    const { seedHex } = JSON.parse(readFileSync(file, 'utf8')) as { seedHex: string };
    return Ed25519KeyIdentity.generate(Uint8Array.from(Buffer.from(seedHex, 'hex')));
  }
  const seed = new Uint8Array(randomBytes(32));
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ seedHex: Buffer.from(seed).toString('hex') }), {
    mode: 0o600,
  });
  return Ed25519KeyIdentity.generate(seed);
}
