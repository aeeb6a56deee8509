package dev.latchkey.demo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which lessons each user has completed, keyed by the token's subject. Kept in memory: the demo's
 * one piece of per-user state, there to give the client an unsafe request (PUT, DELETE) to send.
 */
final class Progress {

  /** A lesson as one user sees it. */
  record LessonView(int id, String title, String summary, int minutes, boolean completed) {}

  private final Map<String, Set<Integer>> completedBySubject = new ConcurrentHashMap<>();

  List<LessonView> lessonsFor(String subject) {
    Set<Integer> completed = completedBySubject.getOrDefault(subject, Set.of());
    return Lesson.CATALOGUE.stream()
        .map(
            lesson ->
                new LessonView(
                    lesson.id(),
                    lesson.title(),
                    lesson.summary(),
                    lesson.minutes(),
                    completed.contains(lesson.id())))
        .toList();
  }

  void mark(String subject, int lessonId, boolean completed) {
    Set<Integer> lessons =
        completedBySubject.computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet());
    if (completed) {
      lessons.add(lessonId);
    } else {
      lessons.remove(lessonId);
    }
  }

  /** Every user's completed lessons, by subject (sorted), for the admin page. */
  Map<String, List<Integer>> everyone() {
    Map<String, List<Integer>> all = new java.util.TreeMap<>();
    completedBySubject.forEach(
        (subject, ids) -> {
          if (!ids.isEmpty()) {
            all.put(subject, ids.stream().sorted().toList());
          }
        });
    return all;
  }

  static boolean exists(int lessonId) {
    return Lesson.CATALOGUE.stream().anyMatch(lesson -> lesson.id() == lessonId);
  }
}
