// Latchkey's revocation feed for a Node API: polls GET <issuer>/api/revocations and refuses the
// tokens of logged-out sessions (claim `sid`) and of revoked signing keys (header `kid`) until they
// would have expired anyway. No dependency beyond Node 20's fetch.
//
//   import { revocationFeed } from './revocations.mjs';
//   const feed = revocationFeed({ url: 'https://auth.example.com/api/revocations', intervalMs: 30_000 });
//   app.get('/api/lessons', checkIfAuthenticated, feed.middleware, handler);   // after express-jwt
//
// The feed answers {"revoked":[{"sid","at","until"}],"keys":[{"kid","at","until"}],"cursor":n,
// "snapshot":bool,"now":epochSeconds}: the first call (no `after`) is a snapshot of everything that
// still matters; each later call asks for what came after the last cursor. A snapshot replaces
// what is held (the server sends one when the cursor is older than what it keeps). A token of a
// revoked session is refused within intervalMs (plus one request) of the logout. While the feed
// cannot be read, what is held keeps being enforced, and after `maxStaleMs` without a successful
// poll every request is answered 503 (nothing can be said about logouts since).

export function revocationFeed({ url, intervalMs = 30_000, maxStaleMs = 5 * intervalMs, fetchImpl = fetch }) {
  const sessions = new Map(); // sid -> until (epoch s)
  const keys = new Map(); // kid -> until (epoch s)
  let cursor = null;
  let lastSuccess = 0;
  let timer = null;

  function hold(target, entries, idField) {
    for (const entry of entries ?? []) {
      target.set(String(entry[idField]), Number(entry.until));
    }
  }

  function forgetExpired(nowSeconds) {
    for (const target of [sessions, keys]) {
      for (const [id, until] of target) {
        if (until < nowSeconds) target.delete(id);
      }
    }
  }

  async function poll() {
    const address = cursor === null ? url : `${url}?after=${encodeURIComponent(cursor)}`;
    const response = await fetchImpl(address, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`revocation feed answered ${response.status}`);
    }
    const feed = await response.json();
    if (feed.snapshot) {
      sessions.clear();
      keys.clear();
    }
    hold(sessions, feed.revoked, 'sid');
    hold(keys, feed.keys, 'kid');
    cursor = feed.cursor;
    forgetExpired(Number(feed.now) || Date.now() / 1000);
    lastSuccess = Date.now();
  }

  async function pollQuietly() {
    try {
      await poll();
    } catch (err) {
      console.error(`latchkey revocation feed: ${err.message}`);
    }
  }

  function kidOf(req) {
    const header = req.headers.authorization ?? '';
    const token = header.replace(/^(Bearer|DPoP)\s+/i, '');
    try {
      return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).kid ?? null;
    } catch {
      return null;
    }
  }

  /** Express middleware, after express-jwt (it reads req.auth.sid). */
  function middleware(req, res, next) {
    if (Date.now() - lastSuccess > maxStaleMs) {
      res
        .status(503)
        .set('Retry-After', String(Math.ceil(intervalMs / 1000)))
        .json({ error: 'revocations_unavailable', message: 'Logouts cannot be checked now; retry shortly.' });
      return;
    }
    const sid = req.auth?.sid;
    const kid = kidOf(req);
    if ((sid !== undefined && sessions.has(String(sid))) || (kid !== null && keys.has(kid))) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token", error_description="The session has ended"')
        .json({ error: 'revoked', message: 'The session has ended; log in again.' });
      return;
    }
    next();
  }

  return {
    middleware,
    /** Reads the feed once (the snapshot), then every intervalMs. */
    async start() {
      await pollQuietly();
      timer = setInterval(pollQuietly, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    /** For tests and metrics: how many sessions and keys are held. */
    held() {
      return { sessions: sessions.size, keys: keys.size, cursor };
    },
  };
}
