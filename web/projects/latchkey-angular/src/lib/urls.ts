/**
 * The origin a request URL goes to, resolved against the page's address:
 * relative URLs ("/api/x", "api/x") get the page's origin; protocol-relative
 * ones ("//host/x") get the host they name. Returns null for anything that is
 * not http(s) (data:, blob:, javascript:, unparsable).
 */
export function requestOrigin(url: string, pageHref: string): string | null {
  try {
    const resolved = new URL(url, pageHref);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.origin : null;
  } catch {
    return null;
  }
}

/**
 * A safe in-app path to go to after login (a `?returnUrl=`): only a path on this origin
 * ("/lessons?x=1"), never "//evil.example" or "https://evil.example", nor the login route
 * itself; `fallback` otherwise.
 */
export function safeReturnUrl(value: unknown, fallback = '/', loginPath = '/login'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    return fallback;
  }
  if (value.includes('\\') || /[\u0000-\u001f]/.test(value)) {
    return fallback;
  }
  if (
    value === loginPath ||
    value.startsWith(`${loginPath}?`) ||
    value.startsWith(`${loginPath}/`)
  ) {
    return fallback;
  }
  return value;
}
