package dev.latchkey.verifier.dpop;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;

/**
 * A DPoP proof that passed every check of {@link DpopProofChecker}.
 *
 * @param thumbprint the RFC 7638 SHA-256 thumbprint of the proof's key (base64url): the value a
 *     bound token carries as {@code cnf.jkt}
 * @param key the proof's public key
 * @param tokenId the proof's {@code jti}
 * @param issuedAt the proof's {@code iat}
 */
public record DpopProof(String thumbprint, JWK key, String tokenId, Instant issuedAt) {}
