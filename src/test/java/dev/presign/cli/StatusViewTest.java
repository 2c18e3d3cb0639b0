package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.SecretTemplate;
import dev.presign.operator.api.v1alpha1.Upload;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusViewTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T14:48:00Z"), ZoneOffset.UTC);
  private final StatusView view = new StatusView(CLOCK);

  @Test
  void aReadyLinkShowsItsExpiryAndNextRotationAsRelativeTimes() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    SampleLinks.serviceAccount(link, "reader", "2026-11-22T15:48:00Z");
    SampleLinks.restarted(link, "Deployment", "mailer", "2026-11-22T10:00:00Z");

    assertThat(view.render(LinkFacts.of(link)))
        .isEqualTo(
            """
            Link:            analytics/q3-report
            Object:          GET s3://acme-reports/reports/2026/q3.pdf
            Ready:           True (Rotated)
            Verified:        True (Verified)
            Secret:          q3-report, key url
            Expires:         in 7h12m (2026-11-22T22:00:00Z)
            Next rotation:   in 3h12m (2026-11-22T18:00:00Z)
            Credentials:     ServiceAccount reader (its IAM role), expire in 1h (2026-11-22T15:48:00Z)
            Rotations:       14
            Restarts:        Deployment/mailer restarted 4h48m ago (2026-11-22T10:00:00Z)
            """);
  }

  @Test
  void aPostLinkShowsTheLimitsOfItsForm() {
    PresignedObjectLink link = SampleLinks.ready("drop");
    link.getSpec().setMethod(HttpMethod.POST);
    Upload upload = new Upload();
    upload.setMinSize(new Quantity("1"));
    upload.setMaxSize(new Quantity("10Mi"));
    upload.setContentType("image/");
    upload.setSuccessActionStatus(201);
    link.getSpec().setUpload(upload);

    assertThat(view.render(LinkFacts.of(link)))
        .contains(
            "Object:          POST s3://acme-reports/reports/2026/q3.pdf\n"
                + "Upload limits:   1 to 10Mi bytes, Content-Type image/*, answered with 201\n"
                + "Ready:");
    assertThat(Output.json.write(LinkFacts.of(link)))
        .contains(
            "\"upload\" : {\n"
                + "    \"maxSize\" : \"10Mi\",\n"
                + "    \"minSize\" : \"1\",\n"
                + "    \"contentType\" : \"image/\",\n"
                + "    \"successActionStatus\" : 201\n"
                + "  }");
  }

  @Test
  void theKeysRenderedBesideTheUrlAreListedUnderTheSecret() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    SecretTemplate template = new SecretTemplate();
    template.setData(Map.of("download.env", "URL={{ url }}", "config.json", "{}"));
    link.getSpec().setSecretTemplate(template);

    LinkFacts facts = LinkFacts.of(link);
    assertThat(facts.secret().templatedKeys()).containsExactly("config.json", "download.env");
    assertThat(view.render(facts))
        .contains(
            "Secret:           q3-report, key url\n"
                + "Templated keys:   config.json, download.env\n"
                + "Expires:");
    assertThat(view.render(LinkFacts.of(SampleLinks.ready("plain"))))
        .doesNotContain("Templated keys:");
  }

  @Test
  void aLinkThatIsNotReadySaysWhyAndHasNoExpiry() {
    String shown = view.render(LinkFacts.of(SampleLinks.notPermitted("q3-report")));

    assertThat(shown)
        .contains(
            "Ready:           False (NotPermitted): bucket acme-reports is not allowed for"
                + " namespace analytics\n")
        .contains("Expires:         -\n")
        .contains("Credentials:     the operator's identity\n")
        .doesNotContain("Verified:");
  }

  @Test
  void readersThatNeverSeeANewUrlAreTakenFromTheReadyMessageOnePerRow() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    String web =
        "Deployment/web reads Secret q3-report through env var REPORT_URL (container app) and is"
            + " not a restart target: it keeps the URL its pods started with";
    String cron =
        "CronJob/nightly reads Secret q3-report through envFrom (container job) and is not a"
            + " restart target: it keeps the URL its pods started with";
    link.getStatus()
        .getConditions()
        .get(0)
        .setMessage(
            "URL valid until 2026-11-22T22:00:00Z; next rotation 2026-11-22T18:00:00Z; "
                + cron
                + "; "
                + web);

    LinkFacts facts = LinkFacts.of(link);
    assertThat(facts.unrestartedReaders()).containsExactly(cron, web);
    assertThat(view.render(facts))
        .contains("Never updated:   " + cron + "\n                 " + web + "\n");
  }

  @Test
  void withEventsTheLatestFollowTheTableOldestFirst() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    var events =
        List.of(
            SampleLinks.event("Normal", "Rotated", "2026-11-22T10:00:00Z", "URL rotated"),
            SampleLinks.event("Normal", "Issued", "2026-11-21T22:00:00Z", "URL issued"),
            SampleLinks.event(
                "Warning", "VerificationFailed", "2026-11-22T14:47:30Z", "NoSuchKey: gone"));

    assertThat(view.render(LinkFacts.of(link, events)))
        .endsWith(
            """
            Events:
              TYPE      REASON               AGE      MESSAGE
              Normal    Issued               16h48m   URL issued
              Normal    Rotated              4h48m    URL rotated
              Warning   VerificationFailed   30s      NoSuchKey: gone
            """);
  }

  @Test
  void theDataFormsCarryTheSameFactsWithAbsoluteTimesAndNoUrl() {
    PresignedObjectLink link = SampleLinks.ready("q3-report");
    String json = Output.json.write(Map.of("links", List.of(LinkFacts.of(link))));
    String yaml = Output.yaml.write(Map.of("links", List.of(LinkFacts.of(link))));

    assertThat(json)
        .contains("\"name\" : \"q3-report\"")
        .contains("\"ready\" : {\n      \"status\" : \"True\",\n      \"reason\" : \"Rotated\"")
        .contains("\"expiresAt\" : \"2026-11-22T22:00:00Z\"")
        .contains("\"credentials\" : {\n      \"source\" : \"operator\"")
        .contains("\"rotations\" : 14")
        .doesNotContain("events")
        .doesNotContain("\"true\"");
    assertThat(yaml)
        .startsWith("links:\n- namespace: analytics\n  name: q3-report\n")
        .contains("  renewalTime: 2026-11-22T18:00:00Z\n")
        .contains("  secret:\n    name: q3-report\n    key: url\n");
  }
}
