package dev.presign.operator.template;

import java.io.Writer;

/**
 * Collects a rendering while counting its bytes of UTF-8 against a budget, and stops at once when
 * the budget is spent: a template of a few KiB that repeats the URL would otherwise fill the
 * operator's heap before the size of the Secret could be refused.
 */
final class BoundedWriter extends Writer {

  /** Bytes left for the renderings that share it. */
  static final class Budget {
    private final long limit;
    private long left;

    Budget(long limit) {
      this.limit = limit;
      this.left = limit;
    }

    /** A budget of the same size for text rendered apart, such as an escaping's body. */
    Budget fresh() {
      return new Budget(limit);
    }
  }

  /** The budget is spent. */
  static final class OverBudget extends RuntimeException {
    OverBudget() {
      super(null, null, false, false);
    }
  }

  private final Budget budget;
  private final StringBuilder text = new StringBuilder();

  BoundedWriter(Budget budget) {
    this.budget = budget;
  }

  Budget budget() {
    return budget;
  }

  @Override
  public void write(char[] buffer, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = buffer[i];
      // A surrogate pair is 4 bytes of UTF-8: 2 for each half.
      budget.left -= c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    if (budget.left < 0) {
      throw new OverBudget();
    }
    text.append(buffer, offset, length);
  }

  @Override
  public void write(String string, int offset, int length) {
    write(string.toCharArray(), offset, length);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return text.toString();
  }
}
