package dev.presign.cli;

import dev.presign.cli.LinkFacts.ConditionFact;
import dev.presign.cli.LinkFacts.CredentialsFact;
import dev.presign.cli.LinkFacts.EventFact;
import dev.presign.cli.LinkFacts.RestartFact;
import dev.presign.cli.LinkFacts.UploadFact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/** The table {@code kubectl presign status} prints for one link: one row per fact. */
public final class StatusView {

  private final Clock clock;

  public StatusView(Clock clock) {
    this.clock = clock;
  }

  /** The rows of one link, as label and value, then its events when it has them. */
  public String render(LinkFacts link) {
    Instant now = clock.instant();
    Table table = new Table();
    table.row("Link:", link.namespace() + "/" + link.name());
    table.row(
        "Object:",
        (link.method() == null ? "" : link.method() + " ")
            + "s3://"
            + nullToEmpty(link.bucket())
            + "/"
            + nullToEmpty(link.key()));
    if (link.upload() != null) {
      table.row("Upload limits:", limits(link.upload()));
    }
    table.row("Ready:", condition(link.ready(), true));
    if (link.verified() != null) {
      table.row("Verified:", condition(link.verified(), false));
    }
    if (!link.observed()) {
      table.row("", "the operator has not handled the latest spec yet");
    }
    table.row("Secret:", link.secret().name() + ", key " + link.secret().key());
    if (!link.secret().templatedKeys().isEmpty()) {
      table.row("Templated keys:", String.join(", ", link.secret().templatedKeys()));
    }
    table.row("Expires:", time(link.expiresAt(), now));
    table.row("Next rotation:", time(link.renewalTime(), now));
    table.row("Credentials:", credentials(link.credentials(), now));
    table.row("Rotations:", Long.toString(link.rotations()));
    restarts(table, link.restarts(), now);
    if (!link.unrestartedReaders().isEmpty()) {
      String label = "Never updated:";
      for (String reader : link.unrestartedReaders()) {
        table.row(label, reader);
        label = "";
      }
    }
    StringBuilder out = new StringBuilder(table.render());
    if (link.events() != null) {
      out.append(events(link.events(), now));
    }
    return out.toString();
  }

  /**
   * "True (Issued)"; a condition that is not True adds its message, which says what went wrong. The
   * Ready message of a good link repeats the expiry and readers shown in their own rows.
   */
  static String condition(ConditionFact condition, boolean ready) {
    String shown = condition.status() + " (" + nullToEmpty(condition.reason()) + ")";
    if (condition.isTrue() || condition.message() == null || condition.message().isBlank()) {
      return shown;
    }
    String message = condition.message();
    if (ready) {
      List<String> readers = LinkFacts.unrestartedReaders(message);
      message =
          String.join(
              "; ",
              Arrays.stream(message.split("; ")).filter(part -> !readers.contains(part)).toList());
    }
    return shown + ": " + message;
  }

  /** "1 to 10Mi bytes, Content-Type image/*, answered with 201": what S3 takes through the form. */
  static String limits(UploadFact upload) {
    StringBuilder limits =
        new StringBuilder(
            upload.minSize() == null
                ? "up to " + upload.maxSize() + " bytes"
                : upload.minSize() + " to " + upload.maxSize() + " bytes");
    if (upload.contentType() != null) {
      limits
          .append(", Content-Type ")
          .append(upload.contentType())
          .append(upload.contentType().endsWith("/") ? "*" : "");
    }
    if (upload.successActionStatus() != null) {
      limits.append(", answered with ").append(upload.successActionStatus());
    }
    return limits.toString();
  }

  /** What {@code url} says on stderr of the URL it prints: how long it stays valid. */
  public static String validity(LinkFacts link, Instant now) {
    return "expires "
        + time(link.expiresAt(), now)
        + "; next rotation "
        + time(link.renewalTime(), now);
  }

  /** "in 3h12m (2026-11-22T22:00:00Z)", or a dash when there is no time. */
  static String time(String rfc3339, Instant now) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return "-";
    }
    try {
      return RelativeTime.of(Instant.parse(rfc3339), now) + " (" + rfc3339 + ")";
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }

  static String credentials(CredentialsFact credentials, Instant now) {
    String source =
        switch (credentials.source()) {
          case "serviceAccount" -> "ServiceAccount " + credentials.name() + " (its IAM role)";
          case "secret" -> "keys of Secret " + credentials.name();
          default -> "the operator's identity";
        };
    if (credentials.expiresAt() == null) {
      return source;
    }
    Instant expiry = parse(credentials.expiresAt());
    String when =
        expiry == null
            ? credentials.expiresAt()
            : (expiry.isAfter(now) ? "expire " : "expired ")
                + RelativeTime.of(expiry, now)
                + " ("
                + credentials.expiresAt()
                + ")";
    return source + ", " + when;
  }

  private static void restarts(Table table, List<RestartFact> restarts, Instant now) {
    if (restarts.isEmpty()) {
      table.row("Restarts:", "-");
      return;
    }
    String label = "Restarts:";
    for (RestartFact restart : restarts) {
      table.row(
          label,
          restart.kind() + "/" + restart.name() + " restarted " + time(restart.restartedAt(), now));
      label = "";
    }
  }

  private static String events(List<EventFact> events, Instant now) {
    if (events.isEmpty()) {
      return "Events: none\n";
    }
    Table table = new Table().row("TYPE", "REASON", "AGE", "MESSAGE");
    for (EventFact event : events) {
      Instant time = parse(event.time());
      String age =
          time == null
              ? "-"
              : RelativeTime.span(Duration.between(time, now))
                  + (event.count() > 1 ? " (x" + event.count() + ")" : "");
      table.row(event.type(), event.reason(), age, event.message());
    }
    return "Events:\n" + table.render("  ");
  }

  private static Instant parse(String rfc3339) {
    try {
      return rfc3339 == null ? null : Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
