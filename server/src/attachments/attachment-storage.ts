import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

/** Files live under <data dir>/attachments/<organization id>/<random key>; names never come from users. */
export class AttachmentStorage {
  constructor(private readonly dataDir: string) {}

  async write(orgId: number, content: Buffer): Promise<string> {
    const key = `${orgId}/${randomBytes(16).toString('hex')}`;
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content, { flag: 'wx' });
    return key;
  }

  pathOf(key: string): string {
    if (!/^\d+\/[0-9a-f]{32}$/.test(key)) throw new Error(`Invalid storage key ${key}`);
    return path.join(this.dataDir, 'attachments', key);
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}

/** The content type from the bytes themselves; plain text when it decodes as UTF-8, else octet-stream. */
export async function sniffContentType(content: Buffer): Promise<string> {
  const type = await fileTypeFromBuffer(content);
  if (type) return type.mime;
  const head = content.subarray(0, 8192);
  if (!head.includes(0) && isUtf8(head)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

function isUtf8(buf: Buffer): boolean {
  // A multi-byte character cut at the end of the sample is still text.
  return [0, 1, 2, 3].some((cut) => decodes(buf.subarray(0, buf.length - cut)));
}

function decodes(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}
