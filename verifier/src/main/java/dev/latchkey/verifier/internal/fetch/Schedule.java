package dev.latchkey.verifier.internal.fetch;

import java.time.Duration;

/**
 * When a polled document is fetched, on the monotonic ticker.
 *
 * @param refreshAfter a fetch is due this long after the request of the held document was sent
 * @param minSpacing no two fetches start closer than this (a rate limit), except forced ones
 * @param backgroundCheck the background thread looks at least this often whether a fetch is due
 */
public record Schedule(Duration refreshAfter, Duration minSpacing, Duration backgroundCheck) {}
