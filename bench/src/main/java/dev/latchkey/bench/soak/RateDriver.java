package dev.latchkey.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Sends requests from {@code workers} threads until a deadline, either as fast as they answer
 * (closed loop, {@code perSecond <= 0}) or at a fixed rate (open loop): request k is due at {@code
 * start + k / perSecond}, and its latency is counted from that due time, so a server that falls
 * behind shows it in the latency instead of silently slowing the load (no coordinated omission).
 */
final class RateDriver {
  /**
   * One request: its kind (for the recorder) and the call, which says whether it went as expected.
   */
  interface Request {
    String kind();

    boolean call() throws Exception;
  }

  private RateDriver() {}

  /**
   * Runs until {@code untilNanos} and returns; every answer goes to {@code recorder}. {@code pick}
   * gives the k-th request.
   */
  static void run(
      double perSecond, int workers, long untilNanos, LongFunction<Request> pick, Recorder recorder)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread t =
          new Thread(
              () -> {
                while (true) {
                  long k = next.getAndIncrement();
                  long due =
                      perSecond > 0 ? start + (long) (k * 1e9 / perSecond) : System.nanoTime();
                  if (due >= untilNanos) {
                    return;
                  }
                  for (long wait = due - System.nanoTime();
                      wait > 0;
                      wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                  }
                  Request request = pick.apply(k);
                  boolean ok;
                  try {
                    ok = request.call();
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    ok = false;
                  }
                  long end = System.nanoTime();
                  recorder.record(request.kind(), end, end - due, ok);
                }
              },
              "load-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** Starts {@link #run} on a thread of its own (for loads that run beside another). */
  static Thread background(
      double perSecond,
      int workers,
      long untilNanos,
      LongFunction<Request> pick,
      Recorder recorder) {
    Thread t =
        new Thread(
            () -> {
              try {
                run(perSecond, workers, untilNanos, pick, recorder);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "driver");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
