package dev.presign.operator.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key prefix of the policy. {@code ${namespace}} stands for the link's namespace, so that one
 * rule gives each team its own prefix; no other variable exists.
 */
public final class KeyPrefix {

  static final String NAMESPACE = "${namespace}";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final String text;

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public KeyPrefix(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a key prefix must not be null");
    }
    Matcher variables = VARIABLE.matcher(text);
    while (variables.find()) {
      if (!variables.group().equals(NAMESPACE)) {
        throw new IllegalArgumentException(
            "unknown variable "
                + variables.group()
                + " in key prefix '"
                + text
                + "'; the only one is "
                + NAMESPACE);
      }
    }
    this.text = text;
  }

  /** The prefix for links of {@code namespace}. */
  public String in(String namespace) {
    return text.replace(NAMESPACE, namespace);
  }

  @Override
  public String toString() {
    return text;
  }
}
