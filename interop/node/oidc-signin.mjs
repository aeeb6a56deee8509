// openid-client (panva, v6) signing a user in to a Latchkey auth server: discovery from the issuer
// alone, the authorization code flow with PKCE S256, the hosted login page's form filled in with
// plain HTTP (a cookie jar, redirects followed by hand), a protected route called with the access
// token, userinfo, a refresh, and RP-initiated logout. Prints one JSON object of what it saw.
//
// Environment: LATCHKEY_ISSUER, CLIENT_ID, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI, EMAIL, PASSWORD,
// PROTECTED_URL.
import * as client from "openid-client";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const issuer = env("LATCHKEY_ISSUER");
const redirectUri = env("REDIRECT_URI");

// the issuer is http://127.0.0.1 in the test, so plain HTTP is allowed explicitly
const config = await client.discovery(new URL(issuer), env("CLIENT_ID"), undefined, client.None(), {
  execute: [client.allowInsecureRequests],
});

const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: "openid email offline_access",
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256",
  state,
  nonce,
});

// --- the browser part, with plain HTTP ---------------------------------------------------------
const jar = new Map();
const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
async function browse(url, init = {}) {
  const res = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...(init.headers ?? {}), cookie: cookieHeader() },
  });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value === "" || /Max-Age=0/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
  return res;
}
const hidden = (html, name) => {
  const m = html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`));
  if (!m) throw new Error(`no hidden field ${name}`);
  return unescape(m[1]);
};

let res = await browse(authorizationUrl);
let callback;
const hops = [];
const unescape = (v) =>
  v
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
for (let i = 0; i < 6 && !callback; i++) {
  let next = res.headers.get("location");
  if (res.status === 200) {
    // right after the login form the auth server continues with a meta refresh, as a browser does
    const m = (await res.text()).match(/<meta http-equiv="refresh" content="0;url=([^"]*)">/);
    if (!m) throw new Error("a 200 answer without a meta refresh");
    next = unescape(m[1]);
  }
  const location = new URL(next, issuer).href;
  hops.push(location.split("?")[0]);
  if (location.startsWith(redirectUri.split("?")[0])) {
    callback = location;
  } else if (new URL(location).pathname === "/login") {
    const page = await (await browse(location)).text();
    res = await browse(new URL("/login", issuer), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        email: env("EMAIL"),
        password: env("PASSWORD"),
        return_to: hidden(page, "return_to"),
        csrf: hidden(page, "csrf"),
      }),
    });
  } else {
    res = await browse(location);
  }
}
if (!callback) throw new Error(`no redirect back to the client: ${hops}`);

// --- the client again -------------------------------------------------------------------------
const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
  pkceCodeVerifier: codeVerifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const guarded = await fetch(env("PROTECTED_URL"), {
  headers: { authorization: `Bearer ${tokens.access_token}` },
});
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
const endSession = client.buildEndSessionUrl(config, {
  id_token_hint: refreshed.id_token ?? tokens.id_token,
  post_logout_redirect_uri: env("POST_LOGOUT_REDIRECT_URI"),
  state: "bye",
});
const loggedOut = await browse(endSession);
const afterLogout = await fetch(env("PROTECTED_URL"), {
  headers: { authorization: `Bearer ${refreshed.access_token}` },
});

console.log(
  JSON.stringify({
    hops,
    sub: claims.sub,
    aud: claims.aud,
    nonceMatched: claims.nonce === nonce,
    sid: claims.sid,
    protectedStatus: guarded.status,
    protectedBody: await guarded.text(),
    userinfo,
    refreshedAccessToken: refreshed.access_token !== tokens.access_token,
    refreshedRefreshToken: refreshed.refresh_token !== tokens.refresh_token,
    logoutStatus: loggedOut.status,
    logoutLocation: loggedOut.headers.get("location"),
    ssoCookieLeft: [...jar.keys()].some((k) => k.endsWith("latchkey-sso")),
    afterLogoutStatus: afterLogout.status,
  }),
);
