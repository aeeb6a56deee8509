package dev.latchkey.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spring.testing.AppClient;
import dev.latchkey.spring.testing.AuthServerFixture;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample with {@code sample.admin-requires-mfa=true}, in front of a real auth server. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.admin-requires-mfa=true")
class SampleSecondFactorTest {
  private static AuthServerFixture auth;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void latchkey(DynamicPropertyRegistry registry) {
    auth = AuthServerFixture.start();
    registry.add("latchkey.issuer-uri", auth::issuer);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private HttpResponse<String> progress(String email, String... amr) throws Exception {
    String token = auth.issue(email, List.of(amr)).token();
    return new AppClient(port)
        .send("GET", "/api/admin/progress", "Authorization", "Bearer " + token);
  }

  @Test
  void theAdminPageNeedsTheAdminRoleAndASecondFactor() throws Exception {
    HttpResponse<String> password = progress(AuthServerFixture.ADMIN, "pwd");
    HttpResponse<String> student = progress(AuthServerFixture.STUDENT, "pwd", "otp", "mfa");
    HttpResponse<String> code = progress(AuthServerFixture.ADMIN, "pwd", "otp", "mfa");
    HttpResponse<String> passkey = progress(AuthServerFixture.ADMIN, "hwk", "mfa");

    assertThat(password.statusCode()).isEqualTo(403);
    assertThat(password.body()).contains("\"error\":\"insufficient_user_authentication\"");
    assertThat(password.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_user_authentication\"");
    assertThat(student.statusCode()).isEqualTo(403);
    assertThat(student.body()).contains("\"error\":\"insufficient_scope\"");
    assertThat(code.statusCode()).isEqualTo(200);
    assertThat(passkey.statusCode()).isEqualTo(200);
  }
}
