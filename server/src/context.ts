import type { Db, Dialect } from './db/database.ts';
import type { AttachmentStorage } from './attachments/attachment-storage.ts';
import type { Clock } from './lib/clock.ts';
import type { SecretBox } from './lib/secret-box.ts';

/** What use cases need from the outside world; built once in app.ts and handed to each module. */
export interface Ctx {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  sessionDays: number;
  secureCookies: boolean;
  storage: AttachmentStorage;
  attachmentMaxBytes: number;
  /** Encrypts secrets stored for later use (client secrets, TOTP seeds). */
  secrets: SecretBox;
}
