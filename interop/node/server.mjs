// The seed design's application server: GET /api/lessons behind express-jwt + jwks-rsa, with the
// keys fetched from a Latchkey auth server's JWKS URL. Used by ExpressJwtInteropTest.
//
//   LATCHKEY_JWKS_URI=http://localhost:9000/.well-known/jwks.json \
//   LATCHKEY_ISSUER=http://localhost:9000 LATCHKEY_AUDIENCE=latchkey-demo node server.mjs
//
// With LATCHKEY_REVOCATIONS_URI set (e.g. http://localhost:9000/api/revocations) it also polls
// Latchkey's revocation feed every LATCHKEY_REVOCATION_POLL_MS (default 30000) and refuses the
// tokens of logged-out sessions (revocations.mjs).
//
// Listens on 127.0.0.1, port LATCHKEY_APP_PORT (default 0: a free port), prints the port on the
// first line of stdout and exits when stdin closes (so the process that started it never leaks it).
import express from 'express';
import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { revocationFeed } from './revocations.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

const jwksUri = required('LATCHKEY_JWKS_URI');
const issuer = required('LATCHKEY_ISSUER');
const audience = required('LATCHKEY_AUDIENCE');
const port = Number(process.env.LATCHKEY_APP_PORT ?? 0);

const checkIfAuthenticated = expressjwt({
  secret: jwksRsa.expressJwtSecret({
    cache: true,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    jwksUri,
  }),
  algorithms: ['RS256'],
  issuer,
  audience,
});

const revocationsUri = process.env.LATCHKEY_REVOCATIONS_URI;
const feed = revocationsUri
  ? revocationFeed({
      url: revocationsUri,
      intervalMs: Number(process.env.LATCHKEY_REVOCATION_POLL_MS ?? 30_000),
    })
  : null;
if (feed) {
  await feed.start();
}
const revocationCheck = feed ? feed.middleware : (req, res, next) => next();

const app = express();
app.disable('x-powered-by');

app.get('/api/lessons', checkIfAuthenticated, revocationCheck, (req, res) => {
  res.json({
    user: req.auth.sub,
    lessons: [
      { id: 1, title: 'Where a JWT is created' },
      { id: 2, title: 'How a JWT is checked' },
    ],
  });
});

// express-jwt reports every refusal as an UnauthorizedError (status 401): answer it as RFC 6750
// says, with a JSON body. Anything else is a fault of this server, not of the token.
app.use((err, req, res, next) => {
  if (res.headersSent) {
    return next(err);
  }
  if (err.name === 'UnauthorizedError') {
    // No token at all: a bare challenge; a malformed header: invalid_request; else invalid_token.
    const challenge =
      err.code === 'credentials_required'
        ? 'Bearer'
        : err.code === 'credentials_bad_scheme' || err.code === 'credentials_bad_format'
          ? 'Bearer error="invalid_request"'
          : 'Bearer error="invalid_token"';
    res.status(401).set('WWW-Authenticate', challenge).json({ error: err.code, message: err.message });
    return;
  }
  if (err.name === 'JwksRateLimitError' || err.name === 'JwksError') {
    // The keys could not be fetched (rate limit reached, auth server unreachable): not the
    // client's fault, and worth a retry.
    console.error(err.message);
    res.status(503).set('Retry-After', '60').json({ error: 'keys_unavailable', message: err.message });
    return;
  }
  console.error(err);
  res.status(500).json({ error: 'internal_error', message: 'internal error' });
});

const server = app.listen(port, '127.0.0.1', (err) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(server.address().port);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
