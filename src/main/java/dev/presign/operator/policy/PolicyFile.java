package dev.presign.operator.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.validation.GoDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the policy file (R7):
 *
 * <pre>
 * rules:
 *   - namespaces: ["team-*"]          # names or globs; or namespaceSelector: {matchLabels: {...}}
 *     buckets: ["acme-*"]
 *     keyPrefixes: ["shared/", "tenants/${namespace}/"]
 *     methods: [GET, PUT]
 *     maxExpiresIn: 24h
 * </pre>
 *
 * Anything it does not understand is an error naming the line, never a rule silently ignored: a
 * typo in a security policy must not widen or narrow it unnoticed.
 */
public final class PolicyFile {

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  record Document(List<RuleOnLine> rules) {}

  record NamespaceSelector(Map<String, String> matchLabels) {}

  record Rule(
      List<Glob> namespaces,
      NamespaceSelector namespaceSelector,
      List<Glob> buckets,
      List<KeyPrefix> keyPrefixes,
      List<HttpMethod> methods,
      @JsonDeserialize(using = GoDurationDeserializer.class) Duration maxExpiresIn) {}

  /** A rule with the line it starts on; the checks that span fields report that line. */
  @JsonDeserialize(using = RuleDeserializer.class)
  record RuleOnLine(PolicyRule rule) {}

  private PolicyFile() {}

  /**
   * @param source the file's name, for messages
   * @throws PolicyFileException naming the line of the first problem
   */
  public static Policy parse(String yaml, String source) {
    try (JsonParser parser = YAML.createParser(yaml)) {
      if (parser.nextToken() == null) {
        throw new PolicyFileException(
            "policy file " + source + " is empty; `rules: []` permits nothing, no file permits all",
            null);
      }
      Document document = YAML.readValue(parser, Document.class);
      if (document.rules() == null) {
        throw new PolicyFileException(
            "policy file " + source + ", line 1: `rules` is required", null);
      }
      return new Policy(source, document.rules().stream().map(RuleOnLine::rule).toList());
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String line =
          where == null || where.getLineNr() < 1 ? "" : ", line " + lineOf(e, where, yaml);
      throw new PolicyFileException("policy file " + source + line + ": " + describe(e), e);
    } catch (IOException e) {
      throw new PolicyFileException("policy file " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The parser reports an unknown field where its value starts, which may be the next line; the
   * user wrote the mistake on the line of the field's name.
   */
  private static int lineOf(JsonProcessingException e, JsonLocation where, String yaml) {
    Optional<MarkedYAMLException> syntax = syntaxError(e);
    if (syntax.isPresent()) {
      // Where the broken construct starts, such as an unclosed [, rather than where YAML gave up.
      Mark mark =
          Optional.ofNullable(syntax.get().getContextMark()).orElse(syntax.get().getProblemMark());
      return mark == null ? where.getLineNr() : mark.getLine() + 1;
    }
    if (!(e instanceof UnrecognizedPropertyException unknown)) {
      return where.getLineNr();
    }
    Pattern key =
        Pattern.compile(
            "^[\\s-]*[\"']?" + Pattern.quote(unknown.getPropertyName()) + "[\"']?\\s*:.*");
    List<String> lines = yaml.lines().toList();
    for (int line = Math.min(where.getLineNr(), lines.size()); line >= 1; line--) {
      if (key.matcher(lines.get(line - 1)).matches()) {
        return line;
      }
    }
    return where.getLineNr();
  }

  private static Optional<MarkedYAMLException> syntaxError(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException syntax) {
        return Optional.of(syntax);
      }
    }
    return Optional.empty();
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field `"
          + unknown.getPropertyName()
          + "`; known fields here: "
          + unknown.getKnownPropertyIds();
    }
    Optional<MarkedYAMLException> syntax = syntaxError(e);
    if (syntax.isPresent()) {
      return Stream.of(syntax.get().getContext(), syntax.get().getProblem())
          .filter(Objects::nonNull)
          .collect(Collectors.joining(": "));
    }
    // Checks of single values (globs, prefixes) throw IllegalArgumentException with a plain
    // message.
    if (e.getCause() instanceof IllegalArgumentException invalid) {
      return invalid.getMessage();
    }
    return e.getOriginalMessage();
  }

  private static PolicyRule checked(Rule rule, int line) {
    if ((rule.namespaces() == null) == (rule.namespaceSelector() == null)) {
      throw new IllegalArgumentException(
          "a rule takes either `namespaces` or `namespaceSelector`, and needs one of them");
    }
    if (rule.namespaces() != null && rule.namespaces().isEmpty()) {
      throw new IllegalArgumentException("`namespaces` must name at least one namespace");
    }
    if (rule.namespaceSelector() != null && rule.namespaceSelector().matchLabels() == null) {
      throw new IllegalArgumentException("`namespaceSelector` needs `matchLabels`");
    }
    if (rule.buckets() == null || rule.buckets().isEmpty()) {
      throw new IllegalArgumentException("`buckets` is required: the buckets the rule allows");
    }
    if (rule.methods() != null && rule.methods().isEmpty()) {
      throw new IllegalArgumentException("`methods` must not be empty; leave it out to allow all");
    }
    return new PolicyRule(
        line,
        entries("namespaces", rule.namespaces()),
        Optional.ofNullable(rule.namespaceSelector()).map(s -> Map.copyOf(s.matchLabels())),
        entries("buckets", rule.buckets()),
        entries("keyPrefixes", rule.keyPrefixes()),
        rule.methods() == null
            ? EnumSet.allOf(HttpMethod.class)
            : EnumSet.copyOf(entries("methods", rule.methods())),
        Optional.ofNullable(rule.maxExpiresIn()));
  }

  private static <T> List<T> entries(String field, List<T> values) {
    if (values == null) {
      return List.of();
    }
    if (values.contains(null)) {
      throw new IllegalArgumentException("`" + field + "` has an empty entry");
    }
    return List.copyOf(values);
  }

  static final class RuleDeserializer extends StdDeserializer<RuleOnLine> {
    RuleDeserializer() {
      super(RuleOnLine.class);
    }

    @Override
    public RuleOnLine deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonLocation start = parser.currentTokenLocation();
      Rule rule = context.readValue(parser, Rule.class);
      try {
        return new RuleOnLine(checked(rule, start.getLineNr()));
      } catch (IllegalArgumentException e) {
        throw new JsonMappingException(parser, e.getMessage(), start);
      }
    }

    @Override
    public RuleOnLine getNullValue(DeserializationContext context) throws JsonMappingException {
      JsonParser parser = context.getParser();
      throw new JsonMappingException(parser, "empty rule", parser.currentTokenLocation());
    }
  }

  static final class GoDurationDeserializer extends StdDeserializer<Duration> {
    GoDurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      try {
        return GoDuration.parse(parser.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw new JsonMappingException(parser, e.getMessage(), parser.currentTokenLocation());
      }
    }
  }
}
