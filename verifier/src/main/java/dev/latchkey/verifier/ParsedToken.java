package dev.latchkey.verifier;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A compact JWS that passed the {@link TokenGate}: header and claims parsed once, signature not yet
 * checked.
 *
 * @param signingInput the ASCII bytes of {@code header.payload}, as the signature covers them
 */
record ParsedToken(
    JWSHeader header, JWTClaimsSet claims, byte[] signingInput, Base64URL signature) {}
