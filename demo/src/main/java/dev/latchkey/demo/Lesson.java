package dev.latchkey.demo;

import java.util.List;

/** A lesson of the seed's example course: what {@code GET /api/lessons} lists. */
public record Lesson(int id, String title, String summary, int minutes) {

  static final List<Lesson> CATALOGUE =
      List.of(
          new Lesson(
              1,
              "What a JWT is",
              "Header, payload and signature: three base64url parts and what each one proves.",
              12),
          new Lesson(
              2,
              "Signing with RS256",
              "Why the auth server alone holds the private key, and the application servers"
                  + " only need the public one.",
              18),
          new Lesson(
              3,
              "Sending the token back",
              "An Angular HTTP interceptor adds the Authorization header to every API request.",
              9),
          new Lesson(
              4,
              "Validating on the server",
              "A middleware on chosen routes checks signature, issuer, audience and expiry.",
              15),
          new Lesson(
              5,
              "Rotating keys without downtime",
              "Publish the next key before it signs; keep the old one until its tokens expire.",
              21));
}
