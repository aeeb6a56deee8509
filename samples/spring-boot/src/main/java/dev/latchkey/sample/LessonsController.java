package dev.latchkey.sample;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** The demo server's API: lessons and completions per user, everyone's progress for admins. */
@RestController
class LessonsController {
  private final Course course = new Course();

  @GetMapping("/api/status")
  Map<String, String> status() {
    return Map.of("status", "ok");
  }

  @GetMapping("/api/lessons")
  List<Course.LessonView> lessons(@AuthenticationPrincipal Jwt jwt) {
    return course.lessonsOf(jwt.getSubject());
  }

  @PutMapping("/api/lessons/{id}/completion")
  ResponseEntity<Map<String, Object>> complete(
      @PathVariable int id, @AuthenticationPrincipal Jwt jwt) {
    return mark(id, jwt, true);
  }

  @DeleteMapping("/api/lessons/{id}/completion")
  ResponseEntity<Map<String, Object>> uncomplete(
      @PathVariable int id, @AuthenticationPrincipal Jwt jwt) {
    return mark(id, jwt, false);
  }

  /** Every user's completed lessons; {@code /api/admin/**} is for role admin. */
  @GetMapping("/api/admin/progress")
  Map<String, List<Integer>> progress() {
    return course.progress();
  }

  private ResponseEntity<Map<String, Object>> mark(int id, Jwt jwt, boolean completed) {
    if (!course.mark(jwt.getSubject(), id, completed)) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("error", "not_found", "message", "There is no such lesson."));
    }
    return ResponseEntity.ok(Map.of("id", id, "completed", completed));
  }
}
