/** Small fetch wrappers for tests that talk to a real server process. */
export interface HttpResult {
  status: number;
  body: string;
  headers: Headers;
}

export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

export function postEventsTo(base: string, token: string, events: unknown[]): Promise<HttpResult> {
  return request(`${base}/internal/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
}

export function getCallFrom(base: string, key: string, id: string): Promise<HttpResult> {
  return request(`${base}/v1/call/${id}`, { headers: { authorization: `Bearer ${key}` } });
}

/** Runs `tasks` with at most `width` in flight at once. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}
