package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DPoP in a real browser (issue 24): the demo client in body mode binds its session to an ECDSA key
 * pair that WebCrypto made non-extractable and IndexedDB keeps, and signs a proof for every
 * request; the token in {@code localStorage} is then worth nothing without the key.
 */
class DpopBrowserTest {

  @RegisterExtension static final BrowserJourney journey = BrowserJourney.bodyMode();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The stored key pair, read as any script of the page could, and what exporting it gives. */
  private static final String READ_STORED_KEY =
      """
      async () => {
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open('latchkey-dpop');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        if (!db.objectStoreNames.contains('keys')) return { stored: false };
        const pair = await new Promise((resolve, reject) => {
          const get = db.transaction('keys').objectStore('keys').get('session');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        });
        db.close();
        if (!pair) return { stored: false };
        const attempt = async (format) => {
          try { await crypto.subtle.exportKey(format, pair.privateKey); return 'exported'; }
          catch (e) { return e.name; }
        };
        const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
        return {
          stored: true,
          extractable: pair.privateKey.extractable,
          curve: pair.privateKey.algorithm.namedCurve,
          jwk: await attempt('jwk'),
          pkcs8: await attempt('pkcs8'),
          publicX: publicJwk.x,
        };
      }
      """;

  private static Response logIn(Page page) {
    Response lessons =
        page.waitForResponse(
            r -> r.url().equals(journey.appUrl() + "/api/lessons"),
            () -> journey.logIn(RunningSystem.PASSWORD));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
    return lessons;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> storedKey(Page page) {
    return (Map<String, Object>) page.evaluate(READ_STORED_KEY);
  }

  /** The key is deleted at logout, asynchronously: within 5 s. */
  private static void awaitKeyDeleted(Page page) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (Boolean.TRUE.equals(storedKey(page).get("stored")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(storedKey(page)).containsEntry("stored", false);
  }

  private static String storage(Page page, String key) {
    return (String) page.evaluate("key => localStorage.getItem(key)", key);
  }

  /** The {@code jwk} header of a request's DPoP proof, after its {@code typ} and {@code alg}. */
  private static JsonNode proofKey(Request request) throws Exception {
    String proof = request.headers().get("dpop");
    assertThat(proof).as("the DPoP proof of " + request.url()).isNotBlank();
    JsonNode header =
        JSON.readTree(
            new String(
                Base64.getUrlDecoder().decode(proof.substring(0, proof.indexOf('.'))),
                StandardCharsets.UTF_8));
    assertThat(header.path("typ").asText()).isEqualTo("dpop+jwt");
    assertThat(header.path("alg").asText()).isEqualTo("ES256");
    assertThat(header.path("jwk").has("d")).isFalse();
    return header.path("jwk");
  }

  private static HttpResponse<String> lessonsFromJava(Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(journey.appUrl() + "/api/lessons"));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theKeyPairIsInIndexedDbAndItsPrivateKeyCannotBeExported(Page page) throws Exception {
    Response lessons = logIn(page);

    Map<String, Object> key = storedKey(page);
    assertThat(key).containsEntry("stored", true).containsEntry("curve", "P-256");
    assertThat(key).containsEntry("extractable", false);
    assertThat(key).containsEntry("jwk", "InvalidAccessError");
    assertThat(key).containsEntry("pkcs8", "InvalidAccessError");
    // and it is the key that signs the page's requests
    assertThat(proofKey(lessons.request()).path("x").asText()).isEqualTo(key.get("publicX"));
    assertThat(proofKey(journey.requestTo(journey.authUrl() + "/api/login")).path("x").asText())
        .isEqualTo(key.get("publicX"));
  }

  @Test
  void aTokenCopiedOutOfLocalStorageIsRefusedWithoutTheKeyWhileThePageWorksOn(Page page)
      throws Exception {
    Response lessons = logIn(page);
    String token = storage(page, "id_token");
    assertThat(storage(page, "token_type")).isEqualTo("DPoP");
    assertThat(lessons.status()).isEqualTo(200);
    assertThat(lessons.request().headers().get("authorization")).isEqualTo("DPoP " + token);

    HttpResponse<String> asBearer = lessonsFromJava(Map.of("Authorization", "Bearer " + token));
    assertThat(asBearer.statusCode()).as(asBearer.body()).isEqualTo(401);
    assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("DPoP");
    assertThat(asBearer.body()).contains("\"error\":\"dpop_required\"");

    HttpResponse<String> withoutProof = lessonsFromJava(Map.of("Authorization", "DPoP " + token));
    assertThat(withoutProof.statusCode()).as(withoutProof.body()).isEqualTo(401);
    assertThat(withoutProof.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_dpop_proof\"");
    assertThat(withoutProof.body()).contains("\"error\":\"dpop_proof_missing\"");

    // nor does a proof seen on the wire help: it was for one request, and is spent
    String seenProof = lessons.request().headers().get("dpop");
    HttpResponse<String> replayed =
        lessonsFromJava(Map.of("Authorization", "DPoP " + token, "DPoP", seenProof));
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(401);
    assertThat(replayed.body()).contains("\"error\":\"dpop_proof_replayed\"");

    // the page itself is untouched: its next request, with its own fresh proof, goes through
    Response completion =
        page.waitForResponse(
            r -> r.url().endsWith("/completion") && r.request().method().equals("PUT"),
            () -> page.getByTestId("lesson-complete").first().click());
    assertThat(completion.status()).isEqualTo(200);
    assertThat(completion.request().headers().get("dpop")).isNotEqualTo(seenProof);
    assertThat(page.getByTestId("lesson-complete").first()).hasAttribute("aria-pressed", "true");
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
  }

  @Test
  void theKeySurvivesAReloadAndTheSessionWithIt(Page page) throws Exception {
    Response before = logIn(page);
    JsonNode keyBefore = proofKey(before.request());

    Response after =
        page.waitForResponse(
            r -> r.url().equals(journey.appUrl() + "/api/lessons"), () -> page.reload());

    assertThat(after.status()).isEqualTo(200);
    assertThat(proofKey(after.request())).isEqualTo(keyBefore);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  @Test
  void logoutDropsTheKeyAndTheNextSessionGetsANewOne(Page page) throws Exception {
    Response lessons = logIn(page);
    JsonNode firstKey = proofKey(lessons.request());
    String token = storage(page, "id_token");

    Response logout =
        page.waitForResponse(
            r -> r.url().endsWith("/api/logout") && r.request().method().equals("POST"),
            () -> page.getByTestId("nav-logout").click());
    assertThat(logout.status()).isLessThan(300);
    assertThat(logout.request().headers().get("authorization")).isEqualTo("DPoP " + token);
    assertThat(proofKey(logout.request())).isEqualTo(firstKey); // signed before it was dropped
    assertThat(page.getByTestId("nav-login")).isVisible();

    awaitKeyDeleted(page);
    assertThat(storage(page, "token_type")).isNull();

    Response again = logIn(page);
    assertThat(proofKey(again.request()).path("x").asText())
        .isNotEqualTo(firstKey.path("x").asText());
    assertThat(again.status()).isEqualTo(200);
  }
}
