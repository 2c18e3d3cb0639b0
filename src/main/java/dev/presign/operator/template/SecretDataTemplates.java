package dev.presign.operator.template;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import dev.presign.operator.template.TemplateException.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The templates of spec.secretTemplate.data, parsed (DESIGN §2): Mustache with {{ }} delimiters,
 * made strict for a Secret. A template names only the values of {@link TemplateValues} (a name it
 * may not see is an error at parse time, not an empty string), escapes only where a section of
 * {@link Escaping} asks, and reads nothing but those values: no partials or template inheritance
 * (no files), no lambdas, no reflection on objects (no calls), no sections over values.
 *
 * <p>Parsed at each reconcile, by validation, so that an error is the link's InvalidSpec before
 * anything is signed; rendered with the URL when the Secret is written, all keys at once.
 */
public final class SecretDataTemplates {

  private static final SecretDataTemplates NONE = new SecretDataTemplates(new TreeMap<>());
  private static final Pattern MISMATCHED =
      Pattern.compile("Mismatched start/end tags: (.*) != (.*) in .*");
  private static final Pattern NOT_CLOSED = Pattern.compile("Failed to close '(.*)' tag");

  private final SortedMap<String, Mustache> templates;

  private SecretDataTemplates(SortedMap<String, Mustache> templates) {
    this.templates = templates;
  }

  public static SecretDataTemplates none() {
    return NONE;
  }

  /**
   * @param templates Secret data key to template
   * @param formFields whether the link is a form (POST) and so has fields a template may name
   * @throws TemplateException for the first template, by key, that cannot be used
   */
  public static SecretDataTemplates parse(Map<String, String> templates, boolean formFields) {
    SortedMap<String, Mustache> parsed = new TreeMap<>();
    new TreeMap<>(templates).forEach((key, text) -> parsed.put(key, parse(key, text, formFields)));
    return new SecretDataTemplates(parsed);
  }

  private static Mustache parse(String key, String text, boolean formFields) {
    StrictMustacheFactory factory = new StrictMustacheFactory(key, text, formFields);
    try {
      return factory.compile();
    } catch (MustacheException e) {
      throw parseError(key, factory, e);
    }
  }

  /** The parser's own error, with the position of the tag it stopped at. */
  private static TemplateException parseError(
      String key, StrictMustacheFactory factory, MustacheException e) {
    String message = e.getMessage().replaceFirst(" @\\[.*\\]$", "");
    Matcher notClosed = NOT_CLOSED.matcher(message);
    if (notClosed.matches()) {
      return new TemplateException(
          key, factory.openSection(), "the section {{#" + notClosed.group(1) + "}} is not closed");
    }
    Matcher mismatched = MISMATCHED.matcher(message);
    if (mismatched.matches()) {
      message =
          "{{/"
              + mismatched.group(2)
              + "}} does not close the open {{#"
              + mismatched.group(1)
              + "}}";
    }
    return new TemplateException(key, factory.lastTag(), message);
  }

  /** The Secret data keys the templates write. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(templates.keySet());
  }

  public boolean isEmpty() {
    return templates.isEmpty();
  }

  /**
   * Renders every template with the values of one URL.
   *
   * @param limitBytes what all rendered keys together may hold, in bytes of UTF-8
   * @return Secret data key to its rendered text, in the order of the keys
   * @throws TemplateException when a template names a form field the link does not have, or the
   *     keys together would hold more than {@code limitBytes}
   */
  public SortedMap<String, String> render(TemplateValues values, long limitBytes) {
    Map<String, String> byName = values.byName();
    BoundedWriter.Budget budget = new BoundedWriter.Budget(limitBytes);
    SortedMap<String, String> rendered = new TreeMap<>();
    templates.forEach(
        (key, template) -> {
          BoundedWriter out = new BoundedWriter(budget);
          try {
            template.execute(out, List.of(byName)).flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (RuntimeException e) {
            throw renderError(key, e, limitBytes);
          }
          rendered.put(key, out.toString());
        });
    return rendered;
  }

  /** What stopped a rendering; mustache.java wraps what a value's writing throws. */
  private static RuntimeException renderError(String key, RuntimeException thrown, long limit) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof BoundedWriter.OverBudget) {
        return new TemplateException.TooLarge(key, limit);
      }
      if (cause instanceof StrictMustacheFactory.UnknownValue unknown) {
        return new TemplateException(key, Optional.of(unknown.position()), unknown.getMessage());
      }
    }
    return thrown;
  }

  /** For tests and messages: a position in {@code text}, counted from 1. */
  static Position position(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Position(line, offset - lineStart + 1);
  }
}
