package dev.latchkey.demo;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lifecycle every browser test class shares, as one JUnit extension: for the class, the running
 * system ({@link RunningSystem}: auth server and demo server on an H2 file database in a fresh
 * folder) and a headless Chromium driven by Playwright; for each test, a fresh browser context and
 * page whose requests are recorded, given to a test that declares a {@link Page} (or {@link
 * BrowserContext}) parameter. Register it on a static field:
 *
 * <pre>{@code @RegisterExtension static final BrowserJourney journey = BrowserJourney.bodyMode();}
 * </pre>
 *
 * <p>Without Chromium or a built client the class is skipped, or fails where {@code
 * -Dbrowser.tests.required=true} ({@link Chromium#require}).
 */
final class BrowserJourney
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private final String delivery;
  private final boolean withSystem;
  private Duration sessionLength = Duration.ofHours(2);
  private UnaryOperator<AuthServerConfig> customise = config -> config;
  private Browser.NewContextOptions contextOptions = new Browser.NewContextOptions();
  private boolean bearerClient;
  private String codeFlowClientId;
  private final List<Prerequisite> prerequisites = new ArrayList<>();

  private Path dataDir;
  private RunningSystem system;
  private Playwright playwright;
  private Browser browser;
  private BrowserContext context;
  private Page page;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private record Prerequisite(BooleanSupplier holds, String why) {}

  private BrowserJourney(String delivery, boolean withSystem) {
    this.delivery = delivery;
    this.withSystem = withSystem;
  }

  /** The system with the session token delivered in the login answer's body. */
  static BrowserJourney bodyMode() {
    return new BrowserJourney("body", true);
  }

  /** The system with the session token in an HttpOnly cookie and an XSRF cookie. */
  static BrowserJourney cookieMode() {
    return new BrowserJourney("cookie", true);
  }

  /** Chromium only, for a test that starts what it browses itself. */
  static BrowserJourney browserOnly() {
    return new BrowserJourney("body", false);
  }

  /** How long a session lasts (2 h unless set). */
  BrowserJourney sessionLength(Duration length) {
    this.sessionLength = length;
    return this;
  }

  /** Changes the auth server's configuration before it starts. */
  BrowserJourney customise(UnaryOperator<AuthServerConfig> change) {
    this.customise = change;
    return this;
  }

  /** The size of each test's browser window. */
  BrowserJourney viewport(int width, int height) {
    this.contextOptions = new Browser.NewContextOptions().setViewportSize(width, height);
    return this;
  }

  /**
   * Each test's page runs the client with DPoP off ({@link BearerClient}): for a class that sends
   * the page's token from Java.
   */
  BrowserJourney bearerClient() {
    this.bearerClient = true;
    return this;
  }

  /** The client signs in with the code flow as this public client ({@code demo --code-flow}). */
  BrowserJourney codeFlow(String clientId) {
    this.codeFlowClientId = clientId;
    return this;
  }

  /** One more thing the class needs, checked like Chromium itself: skipped, or failed in CI. */
  BrowserJourney requires(BooleanSupplier holds, String why) {
    prerequisites.add(new Prerequisite(holds, why));
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext extension) throws IOException {
    Chromium.assumeAvailable();
    prerequisites.forEach(p -> Chromium.require(p.holds().getAsBoolean(), p.why()));
    dataDir = Files.createTempDirectory("latchkey-browser-");
    if (withSystem) {
      system = RunningSystem.start(dataDir, sessionLength, delivery, customise, codeFlowClientId);
    }
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @Override
  public void afterAll(ExtensionContext extension) {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (system != null) system.close();
    if (dataDir != null) deleteRecursively(dataDir);
  }

  @Override
  public void beforeEach(ExtensionContext extension) {
    requests.clear();
    context = browser.newContext(contextOptions);
    if (bearerClient) {
      BearerClient.use(context);
    }
    page = context.newPage();
    page.onRequest(requests::add);
  }

  @Override
  public void afterEach(ExtensionContext extension) {
    if (context != null) context.close();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    Class<?> type = parameter.getParameter().getType();
    return type == Page.class || type == BrowserContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == Page.class ? page : context;
  }

  RunningSystem system() {
    if (system == null) throw new IllegalStateException("browserOnly() starts no system");
    return system;
  }

  AuthServer auth() {
    return system().auth;
  }

  String appUrl() {
    return system().app.baseUrl();
  }

  String authUrl() {
    return system().auth.baseUrl();
  }

  /** The folder of the auth server's database and mails. */
  Path dataDir() {
    return dataDir;
  }

  /** For a second browser (another context) in the same test. */
  Browser browser() {
    return browser;
  }

  /** This test's browser context. */
  BrowserContext context() {
    return context;
  }

  /** This test's page. */
  Page page() {
    return page;
  }

  /** Every request this test's page has sent so far. */
  List<Request> requests() {
    return requests;
  }

  /** The first request to exactly this URL (preflights left out). */
  Request requestTo(String url) {
    return requests.stream()
        .filter(request -> request.url().equals(url) && !request.method().equals("OPTIONS"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request to " + url + " in " + requests));
  }

  /** Logs in as the demo user on this test's page, through the client's own login page. */
  void logIn(String password) {
    logIn(page, RunningSystem.EMAIL, password);
  }

  /**
   * Opens the client's login page and submits these credentials; the caller waits for what it
   * expects next (the lessons, or an error).
   */
  void logIn(Page on, String email, String password) {
    on.navigate(appUrl() + "/login");
    on.getByTestId("login-email").fill(email);
    on.getByTestId("login-password").fill(password);
    on.getByTestId("login-submit").click();
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(BrowserJourney::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a file the server still holds open: left for the OS's temp clean-up
    }
  }
}
