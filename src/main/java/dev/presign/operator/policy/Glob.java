package dev.presign.operator.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.regex.Pattern;

/**
 * A name pattern of the policy: {@code *} stands for any run of characters, {@code ?} for one;
 * everything else matches itself. Namespace and bucket names hold no other special characters.
 */
public final class Glob {

  private final String text;
  private final Pattern pattern;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Glob(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a name or glob must not be empty");
    }
    this.text = text;
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    this.pattern = Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString());
  }

  public boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
