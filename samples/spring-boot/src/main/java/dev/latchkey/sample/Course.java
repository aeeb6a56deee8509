package dev.latchkey.sample;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The course and who completed what (in memory, keyed by the token's subject). */
final class Course {
  /** One lesson of the course as a user sees it. */
  record LessonView(int id, String title, String summary, int minutes, boolean completed) {}

  private record Lesson(int id, String title, String summary, int minutes) {}

  private static final List<Lesson> LESSONS =
      List.of(
          new Lesson(1, "What a JWT is", "Three base64url parts and what each proves.", 12),
          new Lesson(2, "Signing with RS256", "The private key stays on the auth server.", 18),
          new Lesson(3, "Sending the token back", "An interceptor adds the header.", 9),
          new Lesson(4, "Validating on the server", "Signature, issuer, audience, expiry.", 15),
          new Lesson(5, "Rotating keys", "Publish the next key before it signs.", 21));

  private final Map<String, Set<Integer>> done = new ConcurrentHashMap<>();

  List<LessonView> lessonsOf(String subject) {
    Set<Integer> mine = done.getOrDefault(subject, Set.of());
    return LESSONS.stream()
        .map(
            l -> new LessonView(l.id(), l.title(), l.summary(), l.minutes(), mine.contains(l.id())))
        .toList();
  }

  /** Marks a lesson; false when there is no such lesson. */
  boolean mark(String subject, int lesson, boolean completed) {
    if (LESSONS.stream().noneMatch(l -> l.id() == lesson)) {
      return false;
    }
    Set<Integer> mine = done.computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet());
    if (completed) {
      mine.add(lesson);
    } else {
      mine.remove(lesson);
    }
    return true;
  }

  /** Every user's completed lessons. */
  Map<String, List<Integer>> progress() {
    Map<String, List<Integer>> all = new java.util.TreeMap<>();
    done.forEach((subject, ids) -> all.put(subject, ids.stream().sorted().toList()));
    return all;
  }
}
