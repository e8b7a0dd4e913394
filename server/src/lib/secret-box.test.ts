import { createCipheriv } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('opens what it sealed, and never seals the same value twice alike', () => {
    const a = box.seal('client-secret é', 'sso.client_secret');
    expect(a).toMatch(/^v2\./);
    expect(a).not.toContain('client-secret');
    expect(box.open(a, 'sso.client_secret')).toBe('client-secret é');
    expect(box.seal('client-secret é', 'sso.client_secret')).not.toBe(a);
  });

  it('refuses a value sealed with another key, or altered', () => {
    const sealed = box.seal('x', 'totp.seed');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'totp.seed')).toThrow();
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(altered, 'totp.seed')).toThrow();
    expect(() => box.open('plain text', 'totp.seed')).toThrow('Not a sealed secret');
    expect(() => box.open('v2.AAAA', 'totp.seed')).toThrow('Not a sealed secret');
  });

  it('binds each value to its purpose: a sealed sign-in attempt never opens as a client secret or a TOTP seed', () => {
    const attempt = box.seal('{"state":"s"}', 'sso.attempt');
    expect(box.open(attempt, 'sso.attempt')).toBe('{"state":"s"}');
    expect(() => box.open(attempt, 'sso.client_secret')).toThrow();
    expect(() => box.open(attempt, 'totp.seed')).toThrow();
  });

  it('refuses a truncated authentication tag (GCM would otherwise check only its first bytes)', () => {
    const raw = Buffer.from(box.seal('', 'totp.seed').slice(3), 'base64url');
    const truncated = `v2.${raw.subarray(0, 12 + 4).toString('base64url')}`;
    expect(() => box.open(truncated, 'totp.seed')).toThrow();
  });

  it('refuses values sealed without a purpose (v1)', () => {
    const key = Buffer.alloc(32, 7);
    const iv = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update('seed', 'utf8'), cipher.final()]);
    const v1 = `v1.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
    expect(() => box.open(v1, 'totp.seed')).toThrow('Not a sealed secret');
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
