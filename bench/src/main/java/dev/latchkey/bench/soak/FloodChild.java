package dev.latchkey.bench.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The login flood of {@link LoginFlood} in a JVM of its own, so that it can be kept on the auth
 * server's CPUs ({@code --auth-cpus}): the attackers' traffic then lands where the auth server
 * runs, as it would on separate machines. Prints {@code flooding} when its workers start, then,
 * after {@code --seconds}, one {@code <status> <count>} line per answer status.
 *
 * <p>Options: {@code --auth-url URL --seconds N --workers N --accounts N --addresses N}.
 */
public final class FloodChild {
  private FloodChild() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> o = ChildArgs.pairs(args);
    String authUrl = o.get("--auth-url");
    long start = System.nanoTime();
    long end = start + Long.parseLong(o.get("--seconds")) * 1_000_000_000L;
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    Thread flood =
        RateDriver.background(
            0,
            Integer.parseInt(o.get("--workers")),
            end,
            LoginFlood.floodRequests(
                new Calls(authUrl, authUrl),
                Integer.parseInt(o.get("--accounts")),
                Integer.parseInt(o.get("--addresses")),
                statuses),
            new Recorder(start));
    System.out.println("flooding");
    System.out.flush();
    flood.join();
    Map<Integer, Long> counted = new TreeMap<>();
    statuses.forEach((status, n) -> counted.put(status, n.sum()));
    counted.forEach((status, n) -> System.out.println(status + " " + n));
    System.out.flush();
    System.exit(0); // the HTTP client's threads would keep the JVM up
  }
}
