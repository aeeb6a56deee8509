/**
 * The claims of a JWT, read without checking the signature: only for what the page shows
 * (roles). Every decision is the server's, which checks the signature. Null when the token
 * is not a JWT with a JSON object payload.
 */
export function jwtClaims(token: string | null | undefined): Record<string, unknown> | null {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The `roles` claim (an array of strings); empty when absent or malformed. */
export function rolesOf(token: string | null | undefined): readonly string[] {
  const roles = jwtClaims(token)?.['roles'];
  return Array.isArray(roles)
    ? Object.freeze(roles.filter((r): r is string => typeof r === 'string'))
    : [];
}
