/** RFC 3986 unreserved characters: their percent-encoded form means the same path to a router. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const PERCENT = /%([0-9A-Fa-f]{2})/g;

/**
 * The path the router matches, decoded, or undefined when the request's path could mean different
 * things to different readers: an encoded `/` or `\`, a dot or empty segment, an encoded unreserved
 * character (`/v2/%61uth` is `/v2/auth` to the router but not to a prefix check), bad encoding, a `#`
 * (never valid in a request, and the router stops there) or an absolute URL. Such a path has no honest use, so the
 * edge refuses it rather than guess which reading the upstream will make.
 */
export function routerPath(url: string): string | undefined {
  const raw = url.split('?', 1)[0];
  if (!raw.startsWith('/') || raw.includes('#') || raw.includes('//')) return undefined;
  for (const [, hex] of raw.matchAll(PERCENT)) {
    const char = String.fromCharCode(parseInt(hex, 16));
    if (char === '/' || char === '\\' || UNRESERVED.test(char)) return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return path.split('/').some((s) => s === '.' || s === '..') ? undefined : path;
}
