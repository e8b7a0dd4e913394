/** A problem+json error from the API, with its field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code?: string,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail);
  }

  /** The message of one field, for a form. */
  field(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** JSON fetch against /api/v1 with the session cookie; throws ApiError for problem+json answers. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined && !(init.body instanceof FormData) ? { 'content-type': 'application/json' } : {},
    body: init.body instanceof FormData ? init.body : init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: init.signal,
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.detail ?? res.statusText, data.code, data.errors);
  return data as T;
}

/** `?a=1&b=x,y` from an object, skipping empty values. */
export function qs(params: Record<string, string | number | boolean | (string | number)[] | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    s.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const str = s.toString();
  return str ? `?${str}` : '';
}
