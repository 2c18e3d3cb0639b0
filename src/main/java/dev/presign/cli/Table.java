package dev.presign.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of cells laid out in columns, as kubectl prints them: each column as wide as its widest
 * cell, three spaces between columns, no trailing spaces. The last column is never padded, so a
 * long message does not widen the others.
 */
public final class Table {

  private final List<List<String>> rows = new ArrayList<>();

  /** Adds a row; null cells print as empty. */
  public Table row(String... cells) {
    List<String> row = new ArrayList<>(cells.length);
    for (String cell : cells) {
      row.add(cell == null ? "" : cell);
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The rows, each ending in a newline. */
  public String render() {
    return render("");
  }

  /** The rows, each starting with {@code indent} and ending in a newline. */
  public String render(String indent) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size() - 1; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
