/**
 * The HTTP contract between the Latchkey auth server, its clients and the application servers that
 * verify its tokens, defined once: both the verifier's adapters and the auth server use these
 * classes, so the two sides cannot drift apart.
 *
 * <ul>
 *   <li>{@link dev.latchkey.verifier.wire.TokenType}: the {@code typ} header of a session token;
 *   <li>{@link dev.latchkey.verifier.wire.Roles}: the {@code roles} claim and the 403 of a missing
 *       role;
 *   <li>{@link dev.latchkey.verifier.wire.BearerToken}: reading {@code Authorization: Bearer};
 *   <li>{@link dev.latchkey.verifier.wire.Dpop}: reading {@code Authorization: DPoP}, the {@code
 *       DPoP} and {@code DPoP-Nonce} headers and the {@code DPoP} challenge (RFC 9449);
 *   <li>{@link dev.latchkey.verifier.wire.Xsrf}: the double-submit cookie and header of cookie
 *       mode;
 *   <li>{@link dev.latchkey.verifier.wire.ErrorResponse}: the JSON error body and the RFC 6750
 *       {@code WWW-Authenticate} challenge;
 *   <li>{@link dev.latchkey.verifier.wire.RevocationFeedFormat}: the revocation feed's JSON;
 *   <li>{@link dev.latchkey.verifier.wire.Digests}: the one SHA-256 → base64url, of the XSRF claim
 *       and of everything the auth server stores only as a digest.
 * </ul>
 *
 * <p>The package depends on nothing but the JDK, Nimbus's JSON helpers and (for the DPoP challenge)
 * the Nimbus OAuth SDK's {@code DPoPTokenError}.
 */
package dev.latchkey.verifier.wire;
