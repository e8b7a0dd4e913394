import { expect } from 'vitest';

/** A live-update message as `/api/v1/live` sends it. */
export interface LiveMessage {
  id: number;
  type: string;
  incidentId: number | null;
  orgId: number | null;
}

export interface LiveStream {
  who: string;
  messages: LiveMessage[];
  close(): void;
}

/** Opens the Server-Sent Events stream at `url` with an API token and collects its messages until closed. */
export async function openLiveStream(url: string, token: string, who = 'stream'): Promise<LiveStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  expect(res.status, who).toBe(200);
  const stream: LiveStream = { who, messages: [], close: () => abort.abort() };
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) stream.messages.push(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // aborted
    }
  })();
  return stream;
}
