// The explorer reads the same HTTP API that scripts use (docs/http-api.md).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET `path` with `params` (URLSearchParams or object); resolves to the JSON body. */
export async function api(path, params = {}, { signal } = {}) {
  const query = new URLSearchParams(params);
  for (const [k, v] of [...query.entries()]) if (v === "" || v === "undefined") query.delete(k);
  const url = query.toString() ? `${path}?${query}` : path;
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, `the Lapwing server did not answer (${path}): is lapwing serve still running?`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.error?.message || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  // A proxy or a server from another program may answer 200 with a page: say so, never return null.
  if (body === null) throw new ApiError(response.status, `the server's answer to ${path} was not JSON: is this a Lapwing server?`);
  return body;
}

/** Run `load(signal)` and drop the previous call's result when a newer one starts. */
export function latest() {
  let controller = null;
  return async (load) => {
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    try {
      const result = await load(mine.signal);
      return mine.signal.aborted ? undefined : result;
    } catch (err) {
      if (err.name === "AbortError") return undefined;
      throw err;
    }
  };
}
