package dev.presign.operator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretDataTemplatesTest {

  private static final String URL =
      "https://s3.example/reports/q3.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc";
  private static final TemplateValues GET =
      new TemplateValues(
          URL,
          Instant.parse("2026-11-22T22:00:00Z"),
          Instant.parse("2026-11-22T10:00:00Z"),
          "GET",
          "reports",
          "q3 \"final\" it's.pdf",
          "eu-west-1",
          Map.of());
  private static final long MIB = 1024 * 1024;

  private static Map<String, String> render(String template, TemplateValues values) {
    return SecretDataTemplates.parse(Map.of("k", template), !values.fields().isEmpty())
        .render(values, MIB);
  }

  private static String render(String template) {
    return render(template, GET).get("k");
  }

  private static TemplateException parseError(String template) {
    return (TemplateException)
        org.assertj.core.api.Assertions.catchThrowable(
            () -> SecretDataTemplates.parse(Map.of("config.json", template), false));
  }

  @Test
  void aUrlIsWrittenAsItIsWithItsAmpersands() {
    assertThat(render("{\"reportUrl\": \"{{ url }}\", \"validUntil\": \"{{expiresAt}}\"}"))
        .isEqualTo("{\"reportUrl\": \"" + URL + "\", \"validUntil\": \"2026-11-22T22:00:00Z\"}");
    assertThat(render("{{{url}}}|{{& url}}")).isEqualTo(URL + "|" + URL);
  }

  @Test
  void everyValueOfTheLinkCanBeNamed() {
    assertThat(render("{{method}} {{bucket}} {{region}} {{issuedAt}} {{key}}"))
        .isEqualTo("GET reports eu-west-1 2026-11-22T10:00:00Z q3 \"final\" it's.pdf");
  }

  @Test
  void aJsonSectionWritesAStringThatJacksonReadsBack() throws Exception {
    String rendered = render("{\"key\": {{#json}}{{ key }}\t\\{{/json}}}");
    assertThat(new ObjectMapper().readTree(rendered).get("key").asText())
        .isEqualTo("q3 \"final\" it's.pdf\t\\");
  }

  @Test
  void aYamlSectionWritesAScalarThatYamlReadsBack() throws Exception {
    String rendered =
        render("key: {{#yaml}}{{ key }}: \u0085\u007f{{/yaml}}\nurl: {{#yaml}}{{url}}{{/yaml}}");
    Map<?, ?> read = new ObjectMapper(new YAMLFactory()).readValue(rendered, Map.class);
    assertThat(read.get("key")).isEqualTo("q3 \"final\" it's.pdf: \u0085\u007f");
    assertThat(read.get("url")).isEqualTo(URL);
  }

  @Test
  void aShellSectionQuotesAWord() {
    assertThat(render("curl -o out {{#shell}}{{url}}{{/shell}} # {{#shell}}{{key}}{{/shell}}"))
        .isEqualTo("curl -o out '" + URL + "' # 'q3 \"final\" it'\\''s.pdf'");
  }

  @Test
  void aUrlencodeSectionEncodesAComponent() {
    assertThat(
            render(
                "https://viewer.example/?src={{#urlencode}}{{url}}{{/urlencode}}&k={{#urlencode}}{{key}}{{/urlencode}}"))
        .isEqualTo(
            "https://viewer.example/?src=https%3A%2F%2Fs3.example%2Freports%2Fq3.pdf%3FX-Amz-Algorithm%3DAWS4-HMAC-SHA256%26X-Amz-Signature%3Dabc"
                + "&k=q3%20%22final%22%20it%27s.pdf");
  }

  @Test
  void anUnknownNameIsAnErrorWithItsLineAndColumnNotAnEmptyString() {
    TemplateException error = parseError("{\n  \"a\": \"{{ url }}\",\n  \"b\": \"{{ ur }}\"\n}");
    assertThat(error.key()).isEqualTo("config.json");
    assertThat(error.position()).contains(new TemplateException.Position(3, 9));
    assertThat(error.getMessage())
        .isEqualTo(
            "[config.json]: line 3, column 9: unknown value 'ur'; a template may use url,"
                + " expiresAt, issuedAt, method, bucket, key, region");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a {{> secrets}}                  | 1 | 3 | {{> secrets}}: partials are not allowed
          x{{< base}}{{/base}}             | 1 | 2 | {{< base}}: inheritance are not allowed
          {{^url}}none{{/url}}             | 1 | 1 | {{^url}}: inverted sections are not allowed
          {{#url}}{{.}}{{/url}}            | 1 | 9 | unknown value '.'
          {{#region}}x{{/region}}          | 1 | 1 | {{#region}}: a section may only escape what it holds: json, yaml, shell, urlencode
          {{%IMPLICIT-ITERATOR}}           | 1 | 1 | pragmas are not allowed
          {{ json }}                       | 1 | 1 | 'json' is an escaping: write {{#json}}{{ url }}{{/json}}
          {{ url.length }}                 | 1 | 1 | unknown value 'url.length'
          {{ fields.policy }}              | 1 | 1 | 'fields.policy': only POST links have form fields
          {{ env.HOME }}                   | 1 | 1 | unknown value 'env.HOME'
          ok\\n  {{#json}}{{url}}          | 2 | 3 | the section {{#json}} is not closed
          {{#json}}{{url}}{{/yaml}}        | 1 | 17 | {{/yaml}} does not close the open {{#json}}
          {{{ url }}                       | 1 | 1 | Improperly closed variable
          "{{}}"                           | 1 | 2 | Empty mustache
          """)
  void aTemplateThatWouldReadMoreOrDoesNotParseIsRefusedWhereItsTagIs(
      String template, int line, int column, String problem) {
    TemplateException error = parseError(template.replace("\\n", "\n"));
    assertThat(error.position()).contains(new TemplateException.Position(line, column));
    assertThat(error.problem()).contains(problem);
  }

  @Test
  void aPostFormsFieldsAreNamedOneByOneOrAsTheirJsonObject() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("key", "uploads/${filename}");
    fields.put("policy", "eyJ9");
    fields.put("x-amz-signature", "f00d");
    TemplateValues post =
        new TemplateValues(
            "https://s3.example/b",
            GET.expiresAt(),
            GET.issuedAt(),
            "POST",
            "b",
            "uploads/${filename}",
            "eu-west-1",
            fields);
    assertThat(render("{{ fields.policy }} {{fields.x-amz-signature}} {{ fields }}", post).get("k"))
        .isEqualTo(
            "eyJ9 f00d {\"key\":\"uploads/${filename}\",\"policy\":\"eyJ9\",\"x-amz-signature\":\"f00d\"}");
    assertThatThrownBy(() -> render("a\n {{ fields.acl }}", post))
        .isInstanceOfSatisfying(
            TemplateException.class,
            error -> {
              assertThat(error.position()).contains(new TemplateException.Position(2, 2));
              assertThat(error.problem()).isEqualTo("this POST form has no field 'fields.acl'");
            });
  }

  @Test
  void keysTogetherOverTheLimitAreRefusedBeforeTheyFillTheHeap() {
    SecretDataTemplates templates =
        SecretDataTemplates.parse(
            Map.of(
                "a",
                "{{url}}".repeat(2000),
                "b",
                "{{#json}}" + "{{url}}".repeat(2000) + "{{/json}}"),
            false);
    assertThat(templates.render(GET, 2000L * 2 * URL.length() + 2).values())
        .allSatisfy(text -> assertThat(text.length()).isGreaterThanOrEqualTo(2000 * URL.length()));
    assertThatThrownBy(() -> templates.render(GET, 3000L * URL.length()))
        .isInstanceOfSatisfying(
            TemplateException.TooLarge.class,
            error -> {
              assertThat(error.key()).isEqualTo("b");
              assertThat(error.problem())
                  .isEqualTo(
                      "the rendered keys would hold more than " + 3000L * URL.length() + " bytes");
            });
  }

  @Test
  void theKeysAreRenderedInOrder() {
    assertThat(
            SecretDataTemplates.parse(Map.of("b.env", "B={{bucket}}", "a.txt", "{{method}}"), false)
                .render(GET, MIB))
        .containsExactly(Map.entry("a.txt", "GET"), Map.entry("b.env", "B=reports"));
    assertThat(List.copyOf(SecretDataTemplates.none().keys())).isEmpty();
  }
}
