package dev.latchkey.bench.verifier;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The used heap as the memory benchmarks read it: the least of four reads, each after a GC. */
final class HeapUse {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapUse() {}

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
