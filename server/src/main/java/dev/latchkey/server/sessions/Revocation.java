package dev.latchkey.server.sessions;

import java.time.Instant;

/** A revoked session: its id (the tokens' {@code sid}) and when it was revoked. */
public record Revocation(String sid, Instant at) {}
