package dev.latchkey.bench.verifier;

import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.bench.BenchTokens;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.bench.load.LessonsServers;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.verifier.JwtVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The heap one verified-token cache entry takes, measured: real session tokens from a real auth
 * server's {@link TokenIssuer}, a verifier on its JWKS with the default cache size, and the used
 * heap after full collections before and after {@code --tokens N} distinct tokens entered the cache
 * (each verified twice: once the cache is full a token enters at its second sighting, and the
 * fingerprint table that remembers first sightings is part of what the cache costs). The tokens
 * themselves are held by this harness before and after, so they are not counted; the cache stores
 * only their SHA-256. Also reported: the fixed cost of an empty cache (a verifier with the cache on
 * against one with it off), and so the memory of a full default cache.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar dev.latchkey.bench.verifier.CacheEntryBytes --tokens 20000
 * </pre>
 */
public final class CacheEntryBytes {

  private CacheEntryBytes() {}

  public static void main(String[] args) throws Exception {
    int count = args.length == 2 && args[0].equals("--tokens") ? Integer.parseInt(args[1]) : 20_000;
    Path dataDir = TempDirs.create("latchkey-bench-cache-bytes");
    try (AuthServer auth = LessonsServers.startAuthServer(dataDir)) {
      String subject = auth.store().users().findEnabled(LessonsServers.EMAIL).orElseThrow().id();
      TokenIssuer issuer = auth.store().tokens(auth.issuer());
      List<String> tokens =
          IntStream.range(0, count)
              .parallel()
              .mapToObj(i -> BenchTokens.bearer(issuer, subject).token())
              .toList();
      JWKSet keys = JWKSet.parse(fetch(auth.baseUrl() + "/.well-known/jwks.json"));
      double tokenChars = tokens.stream().mapToInt(String::length).average().orElse(0);

      long before = HeapUse.usedAfterGc();
      JwtVerifier off = verifier(keys, auth.issuer(), false);
      long withOff = HeapUse.usedAfterGc();
      JwtVerifier on = verifier(keys, auth.issuer(), true);
      long empty = HeapUse.usedAfterGc();
      for (int round = 0; round < 2; round++) {
        tokens.forEach(on::verify);
      }
      long full = HeapUse.usedAfterGc();
      long hits = on.metrics().cacheHits();
      tokens.forEach(on::verify);
      long hitsAfter = on.metrics().cacheHits() - hits;

      double perEntry = (double) (full - empty) / count;
      long fixed = empty - withOff;
      int defaultSize = dev.latchkey.verifier.Defaults.VERIFIED_TOKEN_CACHE_SIZE;
      System.out.printf(
          "tokens: %d distinct, %.0f characters on average (real session tokens, RS256 2048)%n",
          count, tokenChars);
      System.out.printf(
          "cache hits in a third pass over the tokens: %d of %d (all must be cached)%n",
          hitsAfter, count);
      System.out.printf(
          "used heap after GC: before %,d; verifier cache off %,d; cache on, empty %,d; %d entries %,d%n",
          before, withOff, empty, count, full);
      System.out.printf("bytes per cached entry: %.0f%n", perEntry);
      System.out.printf("fixed cost of the empty cache (on − off): %,d bytes%n", fixed);
      System.out.printf(
          "default size %d entries: %.1f MB when full (fixed + entries × bytes per entry)%n",
          defaultSize, (fixed + perEntry * defaultSize) / 1e6);
      if (hitsAfter != count) {
        throw new IllegalStateException("not every token was cached: the figure is wrong");
      }
      off.close();
      on.close();
    } finally {
      TempDirs.delete(dataDir);
    }
  }

  private static JwtVerifier verifier(JWKSet keys, String issuer, boolean cache) {
    return JwtVerifier.withJwkSet(keys)
        .issuer(issuer)
        .audience(dev.latchkey.demo.DemoConfig.DEFAULT_AUDIENCE)
        .verifiedTokenCache(cache)
        .build();
  }

  private static String fetch(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
