package dev.presign.operator.template;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The escapings a template asks for with a section, {{#json}}{{ url }}{{/json}}: each turns what
 * the section renders into one complete literal of its format, quotes included, so that any value
 * can stand there. Without a section nothing is escaped (a URL's &amp; stays &amp;).
 */
public enum Escaping {
  /** A JSON string: "..." with ", \ and control characters escaped. */
  JSON("json") {
    @Override
    String apply(String text) {
      return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }
  },
  /**
   * A YAML double-quoted scalar: a JSON string, which YAML reads as one, with the characters YAML
   * does not take as they are (C1 controls, NEL, DEL, BOM, noncharacters) escaped as well.
   */
  YAML("yaml") {
    @Override
    String apply(String text) {
      String json = JSON.apply(text);
      StringBuilder yaml = new StringBuilder(json.length());
      json.chars()
          .forEach(
              c -> {
                if (yamlPrintable(c)) {
                  yaml.append((char) c);
                } else {
                  yaml.append(String.format("\\u%04X", c));
                }
              });
      return yaml.toString();
    }
  },
  /** A POSIX shell word: '...' with each ' written as '\''. */
  SHELL("shell") {
    @Override
    String apply(String text) {
      return "'" + text.replace("'", "'\\''") + "'";
    }
  },
  /**
   * A URL component (RFC 3986): every byte of its UTF-8 but letters, digits and -._~
   * percent-encoded, so that it can be a query parameter's value or a path segment.
   */
  URLENCODE("urlencode") {
    @Override
    String apply(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8)
          .replace("+", "%20")
          .replace("*", "%2A")
          .replace("%7E", "~");
    }
  };

  private final String section;

  Escaping(String section) {
    this.section = section;
  }

  /** The section name a template writes: {{#json}}...{{/json}}. */
  public String section() {
    return section;
  }

  abstract String apply(String text);

  static Optional<Escaping> named(String section) {
    return Arrays.stream(values()).filter(e -> e.section.equals(section)).findFirst();
  }

  /**
   * YAML 1.2's printable characters, as JSON escaping leaves them, less the BOM and NEL (U+0085),
   * which YAML would read as a line break and fold.
   */
  private static boolean yamlPrintable(int c) {
    return c == 0x09
        || c == 0x0A
        || c == 0x0D
        || (c >= 0x20 && c <= 0x7E)
        || (c >= 0xA0 && c <= 0xFFFD && c != 0xFEFF);
  }
}
