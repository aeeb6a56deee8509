package dev.latchkey.server.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends account mails off the request thread: {@link #send} only queues. Each mail is tried up to
 * {@link MailSettings#attempts()} times with a doubling delay; a mail that still fails is logged
 * (its kind and the error, never the link) and counted in {@link #failed()}, and the user who asked
 * for it is told nothing either way.
 */
public final class Mailer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mailer.class);

  /**
   * Mails waiting beyond this many are dropped (counted as failed): a flood must not fill memory.
   */
  static final int MAX_PENDING = 1000;

  /**
   * How long {@link #later} work waits, so that the answer of the request that asked leaves first.
   */
  static final Duration AFTER_THE_ANSWER = Duration.ofMillis(25);

  private final MailSettings settings;
  private final List<MailTransport> transports;
  private final Session session;
  private final ScheduledExecutorService worker;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  Mailer(MailSettings settings, List<MailTransport> transports, Session session) {
    this.settings = settings;
    this.transports = List.copyOf(transports);
    this.session = session;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "latchkey-mail");
              t.setDaemon(true);
              return t;
            });
  }

  /** A mailer for these settings: SMTP when a host is set, the folder when one is set. */
  public static Mailer create(MailSettings settings, Clock clock, PrintStream console) {
    List<MailTransport> transports = new ArrayList<>();
    Session session;
    if (settings.smtpHost() != null) {
      SmtpTransport smtp = new SmtpTransport(settings);
      transports.add(smtp);
      session = smtp.session();
    } else {
      session = Session.getInstance(new Properties());
    }
    if (settings.mailDir() != null) {
      transports.add(new MailDirTransport(settings.mailDir(), clock, console));
    }
    if (transports.isEmpty()) {
      log.info("No mail transport configured (--smtp-host, --mail-dir): account mails are dropped");
    }
    return new Mailer(settings, transports, session);
  }

  /** Whether mails can leave (an SMTP server or a mail folder is configured). */
  public boolean configured() {
    return !transports.isEmpty();
  }

  /**
   * Runs work that decides whether to mail (database look-ups, tokens) on the mail thread, so that
   * the request that asked answers at once and in the same time whatever the work finds. Beyond
   * {@link #MAX_PENDING} waiting pieces of work, or once stopped, the work is dropped and logged.
   * The work starts {@link #AFTER_THE_ANSWER} after it is handed over: started at once, it would
   * compete with the answer it must not slow down for the CPU, and a busy machine would show in the
   * answer's time whether an account exists.
   */
  public void later(String what, Runnable work) {
    if (waiting.incrementAndGet() > MAX_PENDING) {
      waiting.decrementAndGet();
      log.warn("Dropped {}: {} are already waiting", what, MAX_PENDING);
      return;
    }
    try {
      worker.schedule(
          () -> {
            waiting.decrementAndGet();
            try {
              work.run();
            } catch (RuntimeException e) {
              log.warn("{} failed: {}", what, e.toString());
            }
          },
          AFTER_THE_ANSWER.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      waiting.decrementAndGet();
      log.warn("Dropped {}: the mailer is stopped", what);
    }
  }

  /** Queues a mail; returns at once. */
  public void send(OutgoingMail mail) {
    if (transports.isEmpty()) {
      log.warn("Dropped a {} mail: no mail transport is configured", mail.kind());
      failed.incrementAndGet();
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      failed.incrementAndGet();
      log.warn("Dropped a {} mail: {} mails are already waiting", mail.kind(), MAX_PENDING);
      return;
    }
    try {
      worker.execute(() -> attempt(mail, 1));
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      failed.incrementAndGet();
      log.warn("Dropped a {} mail: the mailer is stopped", mail.kind());
    }
  }

  private void attempt(OutgoingMail mail, int attempt) {
    try {
      MimeMessage message = build(mail);
      for (MailTransport transport : transports) {
        transport.deliver(message, mail);
      }
      sent.incrementAndGet();
      pending.decrementAndGet();
    } catch (MessagingException | IOException | RuntimeException e) {
      if (attempt < settings.attempts()) {
        long delay = settings.retryDelay().toMillis() << Math.min(attempt - 1, 10);
        log.info(
            "A {} mail failed (attempt {} of {}), retrying in {} ms: {}",
            mail.kind(),
            attempt,
            settings.attempts(),
            delay,
            e.toString());
        try {
          worker.schedule(() -> attempt(mail, attempt + 1), delay, TimeUnit.MILLISECONDS);
          return;
        } catch (RejectedExecutionException stopped) {
          // fall through: counted as failed
        }
      }
      failed.incrementAndGet();
      pending.decrementAndGet();
      log.error(
          "A {} mail could not be sent after {} attempts: {}", mail.kind(), attempt, e.toString());
    }
  }

  MimeMessage build(OutgoingMail mail) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from(), true));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
    message.setSubject(mail.subject(), "UTF-8");
    message.setSentDate(new Date());
    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.text(), "UTF-8", "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.html(), "UTF-8", "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    message.setContent(alternative);
    message.saveChanges();
    return message;
  }

  /** Mails delivered so far. */
  public long sent() {
    return sent.get();
  }

  /** Mails given up on (after every attempt, or dropped). */
  public long failed() {
    return failed.get();
  }

  /** Work handed to {@link #later} that has not started yet. */
  public int waitingWork() {
    return waiting.get();
  }

  /** Mails queued or waiting for a retry. */
  public int pending() {
    return pending.get();
  }

  /** Stops; mails still waiting are not sent. */
  @Override
  public void close() {
    worker.shutdownNow();
    int left = pending.get();
    if (left > 0) {
      log.warn("Mailer stopped with {} mails unsent", left);
    }
  }
}
