package dev.latchkey.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes a section of a docs/*.md page documents, read from the first column of the tables in
 * it, to hold against a server's own route table.
 *
 * <p>The rule for writers: in the section's tables, the first cell of a row names routes as code
 * spans {@code `METHOD /path`}, where METHOD may be several joined by {@code /} ({@code `GET/POST
 * /login`}); a request description may follow the path in the span ({@code `POST /api/login
 * {"email","password"}`}), and a query string is ignored ({@code `GET /login?return_to=URL`}). A
 * span holding only a path takes the method of the span before it in the same cell ({@code `OPTIONS
 * /api/login`, `/api/signup`}). Other spans, and other columns, are free text.
 */
public final class HttpReference {
  private static final String METHODS = "GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD";
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
  private static final Pattern ROUTE =
      Pattern.compile("^((?:" + METHODS + ")(?:/(?:" + METHODS + "))*)\\s+(/[^\\s?]*)");
  private static final Pattern PATH_ONLY = Pattern.compile("^(/[^\\s?]*)$");

  private HttpReference() {}

  /** The routes, as {@code METHOD /path}, that the tables of the section under {@code heading}. */
  public static Set<String> documentedRoutes(Path page, String heading) throws IOException {
    return routesIn(section(Files.readString(page, StandardCharsets.UTF_8), heading));
  }

  /**
   * Fails, naming each, when a route has no entry in the section or an entry names no route.
   *
   * @param page the page, to name in the message
   * @param heading the section, to name in the message
   */
  public static void assertSame(
      Collection<String> routes, Set<String> documented, Path page, String heading) {
    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> gone = new TreeSet<>(documented);
    gone.removeAll(routes);
    List<String> problems = new ArrayList<>();
    for (String route : undocumented) {
      problems.add(
          route + " is a route without an entry in " + page.getFileName() + ", " + heading);
    }
    for (String route : gone) {
      problems.add(
          route
              + " is documented in "
              + page.getFileName()
              + ", "
              + heading
              + ", but no such route exists");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          String.join("\n", problems)
              + "\n(the first column of the section's table names each route as `METHOD /path`;"
              + " see dev.latchkey.testing.HttpReference)");
    }
  }

  /** The text from the heading line to the next heading of the same or a higher level. */
  static String section(String page, String heading) {
    int level = heading.indexOf(' ');
    int start = page.indexOf("\n" + heading + "\n");
    if (start < 0) {
      throw new AssertionError("no section \"" + heading + "\" in the page");
    }
    int end = page.length();
    Matcher next = Pattern.compile("\n#{1," + level + "} ").matcher(page);
    if (next.find(start + heading.length() + 1)) {
      end = next.start();
    }
    return page.substring(start, end);
  }

  static Set<String> routesIn(String section) {
    Set<String> routes = new LinkedHashSet<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("|") || line.startsWith("| ---") || line.startsWith("|---")) {
        continue;
      }
      String firstCell = line.substring(1).split("(?<!\\\\)\\|", 2)[0];
      List<String> methods = List.of();
      Matcher span = CODE_SPAN.matcher(firstCell);
      while (span.find()) {
        String code = span.group(1).strip();
        Matcher route = ROUTE.matcher(code);
        Matcher pathOnly = PATH_ONLY.matcher(code);
        String path;
        if (route.find()) {
          methods = List.of(route.group(1).split("/"));
          path = route.group(2);
        } else if (pathOnly.find() && !methods.isEmpty()) {
          path = pathOnly.group(1);
        } else {
          continue;
        }
        for (String method : methods) {
          routes.add(method + " " + path);
        }
      }
    }
    return routes;
  }
}
