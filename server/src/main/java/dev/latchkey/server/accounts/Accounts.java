package dev.latchkey.server.accounts;

import dev.latchkey.server.mail.Mailer;
import dev.latchkey.server.mail.OutgoingMail;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account flows behind sign-up, email verification, password reset and password change. Every
 * answer that involves an address is the same whether or not it has an account; what differs is
 * only whether a mail is sent, and mails go out off the request thread. Methods that hash run on
 * the caller's thread: call them on the hashing pool.
 */
public final class Accounts {
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  private final AccountSettings settings;
  private final Users users;
  private final SessionRevocation sessions;
  private final LoginThrottle loginThrottle;
  private final Mailer mailer;
  private final AccountTokens tokens;
  private final AccountMailThrottle mailThrottle;
  private final AccountMailThrottle signupThrottle;
  private final String authBaseUrl;

  /**
   * @param authBaseUrl the public URL of the auth server, for links to its hosted pages
   */
  public Accounts(
      AccountSettings settings,
      Database db,
      Users users,
      SessionRevocation sessions,
      LoginThrottle loginThrottle,
      Mailer mailer,
      String authBaseUrl,
      Clock clock) {
    this.settings = settings;
    this.users = users;
    this.sessions = sessions;
    this.loginThrottle = loginThrottle;
    this.mailer = mailer;
    this.tokens = new AccountTokens(db, clock);
    this.mailThrottle =
        new AccountMailThrottle(db, settings.mailLimit(), settings.mailWindow(), clock);
    this.signupThrottle =
        new AccountMailThrottle(db, settings.signupLimit(), settings.signupWindow(), clock);
    this.authBaseUrl = authBaseUrl;
  }

  public AccountSettings settings() {
    return settings;
  }

  /**
   * Counts a sign-up from this client address (before anything is hashed or mailed), so that one
   * client cannot have the server create any number of accounts and mail any number of addresses. A
   * password the policy refuses is refused first and not counted: a person correcting a typo does
   * not use up the limit.
   *
   * @param client the client address as the login throttle sees it
   * @throws UserException {@code weak_password}
   * @throws SignupLimitReached when the address made {@link AccountSettings#signupLimit()} sign-ups
   *     in the window
   */
  public void admitSignup(String client, String email, char[] password) {
    requireAcceptable(password, EmailAddress.normalize(email));
    Optional<Duration> wait = signupThrottle.admit("signup-client:" + client);
    if (wait.isPresent()) {
      log.info("A sign-up was refused: the client address reached the sign-up limit");
      throw new SignupLimitReached(wait.get());
    }
  }

  /**
   * Self-service sign-up: a new address gets an account (unverified when verification is required)
   * and a verification link; an address that has an account gets a mail telling its owner. The
   * caller answers the same either way. Hashes: run on the hashing pool.
   *
   * @throws UserException {@code invalid_email} or {@code weak_password}
   */
  public void signUp(String email, char[] password) {
    boolean verified = !settings.requireVerifiedEmail();
    Optional<String> created = users.signUp(email, password, verified);
    String address = EmailAddress.normalize(email);
    if (created.isPresent()) {
      if (!verified) {
        sendVerification(created.get(), address);
      }
    } else if (mailThrottle.allow("signup-existing:" + address)) {
      send(AccountMails.signupAttemptOnExisting(address, pageUrl("login")));
    }
  }

  /**
   * {@code POST /api/email-verification}: sends a fresh link when the address has an unverified,
   * enabled account and neither the address nor the account is over the mail limit. Returns at
   * once: the look-ups run on the mail thread, so that an address with an account costs the request
   * no more time than one without (issue 21).
   */
  public void resendVerification(String email) {
    Optional<String> address = EmailAddress.parse(email);
    if (address.isPresent()) {
      mailer.later("a verification request", () -> resendVerificationNow(address.get()));
    }
  }

  private void resendVerificationNow(String address) {
    if (!mailThrottle.allow("verify:" + address)) {
      return;
    }
    users
        .account(address)
        .filter(a -> !a.emailVerified() && !a.disabled())
        .filter(a -> mailThrottle.allow("verify-user:" + a.id()))
        .ifPresent(a -> sendVerification(a.id(), a.email()));
  }

  /**
   * The account a verification link was sent for, without spending the link: the caller checks the
   * account's password ({@code SignIn.checkPassword}) before {@link #confirmEmail}.
   *
   * @throws UserException {@code invalid_token}, {@code token_expired}, {@code token_used} or
   *     {@code token_superseded}
   */
  public String accountToVerify(String token) {
    return tokens.peek(token, TokenPurpose.VERIFY);
  }

  /**
   * {@code POST /api/email-verification/confirm}: marks the address of the link's account verified,
   * once the person who followed the link proved they know the account's password. Whoever signed
   * the address up chose that password: confirming with the link alone would let someone who signed
   * up with another person's address and a password of their own have that person make it usable
   * (pre-registration takeover). The real owner who did not sign up takes the address with a
   * password reset instead, which replaces the password.
   *
   * @param checkedUserId the account whose password was just checked
   * @throws UserException {@code invalid_token}, {@code token_expired}, {@code token_used} or
   *     {@code token_superseded}
   */
  public void confirmEmail(String token, String checkedUserId) {
    if (!tokens.peek(token, TokenPurpose.VERIFY).equals(checkedUserId)) {
      throw new UserException("invalid_token", "This link is not valid.");
    }
    String userId = tokens.redeem(token, TokenPurpose.VERIFY);
    users.markVerified(userId);
    log.info("A user verified their email address");
  }

  /**
   * {@code POST /api/password-reset}: mails a reset link when the address has an enabled account
   * and neither the address nor the account is over the mail limit; nothing otherwise. Returns at
   * once: the look-ups run on the mail thread, as for {@link #resendVerification}.
   */
  public void requestPasswordReset(String email) {
    Optional<String> address = EmailAddress.parse(email);
    if (address.isPresent()) {
      mailer.later("a password reset request", () -> requestPasswordResetNow(address.get()));
    }
  }

  private void requestPasswordResetNow(String address) {
    if (!mailThrottle.allow("reset:" + address)) {
      return;
    }
    users
        .account(address)
        .filter(a -> !a.disabled())
        .filter(a -> mailThrottle.allow("reset-user:" + a.id()))
        .ifPresent(
            a -> {
              String token = tokens.issue(a.id(), TokenPurpose.RESET, settings.resetTtl());
              send(AccountMails.passwordReset(a.email(), link(TokenPurpose.RESET, token)));
            });
  }

  /**
   * {@code POST /api/password-reset/confirm}: sets the new password, marks the address verified
   * (the link reached it), revokes every session of the user, clears the account's login throttle
   * and mails a notice. The link is spent only when the password is acceptable. Hashes: run on the
   * hashing pool.
   *
   * @throws UserException {@code invalid_token}, {@code token_expired}, {@code token_used}, {@code
   *     token_superseded} or {@code weak_password}
   */
  public void confirmPasswordReset(String token, char[] password) {
    String userId = tokens.peek(token, TokenPurpose.RESET);
    Account account =
        users.account(userId).orElseThrow(() -> new UserException("invalid_token", "gone"));
    requireAcceptable(password, account.email());
    tokens.redeem(token, TokenPurpose.RESET);
    users.setPasswordOf(userId, password, "password_reset");
    users.markVerified(userId);
    passwordChanged(account, "password_reset", "reset with a link sent to this address");
  }

  /**
   * {@code POST /api/password}: the logged-in user's new password, once the current one was checked
   * ({@code SignIn.checkPassword}, which runs this on the hashing pool). Every session of the user
   * is revoked, the current one too (a stolen copy of its tokens must not survive the change: the
   * caller starts a new session for the browser that asked), and every pending reset link stops
   * working. Hashes: run on the hashing pool.
   *
   * @throws UserException {@code weak_password}, {@code unknown_user}
   */
  public void changePassword(String userId, char[] fresh) {
    Account account =
        users
            .account(userId)
            .orElseThrow(() -> new UserException("unknown_user", "no user with this id"));
    requireAcceptable(fresh, account.email());
    users.setPasswordOf(userId, fresh, "password_change");
    tokens.supersedeAll(userId, TokenPurpose.RESET);
    passwordChanged(account, "password_change", "changed while logged in");
  }

  /** The one place a password change takes effect beyond the users table. */
  private void passwordChanged(Account account, String reason, String how) {
    sessions.revokeAllForUser(account.id(), null, reason);
    loginThrottle.recordSuccess(account.email()); // clears the account's lock
    log.info("A user's password was changed ({})", reason);
    send(AccountMails.passwordChanged(account.email(), how));
  }

  private void sendVerification(String userId, String address) {
    String token = tokens.issue(userId, TokenPurpose.VERIFY, settings.verificationTtl());
    send(AccountMails.verification(address, link(TokenPurpose.VERIFY, token)));
  }

  private void send(OutgoingMail mail) {
    mailer.send(mail);
  }

  /** Deletes spent account tokens and counters (from the server's clean-up schedule). */
  public void purgeExpired() {
    tokens.purgeExpired();
    mailThrottle.purgeOlderThan(
        settings.mailWindow().compareTo(settings.signupWindow()) > 0
            ? settings.mailWindow()
            : settings.signupWindow());
  }

  /** The link with its token in the fragment: kept out of server logs and {@code Referer}. */
  String link(TokenPurpose purpose, String token) {
    return pageUrl(purpose.page) + "#token=" + token;
  }

  private String pageUrl(String page) {
    return settings.pagesUrl() != null
        ? settings.pagesUrl() + "/" + page
        : authBaseUrl + "/login" + (page.equals("login") ? "" : "/" + page);
  }

  private static void requireAcceptable(char[] password, String email) {
    Optional<String> problem = Users.passwordProblem(password, email);
    if (problem.isPresent()) {
      throw new UserException("weak_password", problem.get());
    }
  }
}
