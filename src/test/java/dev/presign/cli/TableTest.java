package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellAndTheLastIsNeverPadded() {
    String table =
        new Table()
            .row("TYPE", "REASON", "MESSAGE")
            .row("Normal", "Issued", "URL valid until 2026-11-22T22:00:00Z")
            .row("Warning", "VerificationFailed", null)
            .render();

    assertThat(table)
        .isEqualTo(
            """
            TYPE      REASON               MESSAGE
            Normal    Issued               URL valid until 2026-11-22T22:00:00Z
            Warning   VerificationFailed
            """);
  }

  @Test
  void anIndentGoesBeforeEveryRow() {
    assertThat(new Table().row("a", "b").row("cc", "d").render("  "))
        .isEqualTo("  a    b\n  cc   d\n");
  }
}
