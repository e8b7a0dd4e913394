import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('opens what it sealed, and never seals the same value twice alike', () => {
    const a = box.seal('client-secret é');
    expect(a).not.toContain('client-secret');
    expect(box.open(a)).toBe('client-secret é');
    expect(box.seal('client-secret é')).not.toBe(a);
  });

  it('refuses a value sealed with another key, or altered', () => {
    const sealed = box.seal('x');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(altered)).toThrow();
    expect(() => box.open('plain text')).toThrow('Not a sealed secret');
  });
});

describe('loadSecretKey', () => {
  it('generates the key once in the data folder, owner-only, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-key-'));
    const first = loadSecretKey(dir, undefined);
    expect(first).toHaveLength(32);
    expect(loadSecretKey(dir, undefined).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prefers VIGIE_SECRET_KEY, in hex or base64, and names a bad one', () => {
    const hex = 'ab'.repeat(32);
    expect(loadSecretKey('/nonexistent', hex).toString('hex')).toBe(hex);
    expect(loadSecretKey('/nonexistent', Buffer.alloc(32, 1).toString('base64')).equals(Buffer.alloc(32, 1))).toBe(true);
    expect(() => loadSecretKey('/nonexistent', 'short')).toThrow('VIGIE_SECRET_KEY');
  });
});
