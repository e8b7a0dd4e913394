import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// v2: the purpose is bound as additional authenticated data; v1 values (no purpose) are refused.
const VERSION = 'v2';
const KEY_FILE = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts secrets that Vigie must give back to other systems (an identity provider's client secret, a
 * mailbox password, a TOTP seed), with AES-256-GCM: a stolen database alone does not reveal them. Each value
 * is bound to its purpose (authenticated, not encrypted): a value sealed for one use never opens as another.
 * @example const box = new SecretBox(key); box.open(box.seal('s3cret', 'totp.seed'), 'totp.seed') === 's3cret'
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  }

  seal(plain: string, purpose: SecretPurpose): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
  }

  /** Throws when the value was sealed with another key or for another purpose, or altered. */
  open(sealed: string, purpose: SecretPurpose): string {
    const [version, body] = sealed.split('.', 2);
    if (version !== VERSION || !body) throw new Error('Not a sealed secret');
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** What a sealed value is for; part of what the tag authenticates. */
export type SecretPurpose = 'sso.client_secret' | 'sso.attempt' | 'totp.seed' | 'key.check';

/**
 * The key from `VIGIE_SECRET_KEY` (64 hex characters or 32 bytes in base64; every node of a cluster needs
 * the same), else from `<dataDir>/secret.key`, generated on first start with owner-only permissions.
 */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return parseKey(fromEnv, 'VIGIE_SECRET_KEY');
  const file = path.join(dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process started at the same time wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseKey(fs.readFileSync(file, 'utf8').trim(), file);
}

function parseKey(value: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${source}: expected 32 bytes as 64 hex characters or base64`);
  return key;
}
