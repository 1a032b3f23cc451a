// The columns of a `TextTable`: what each shows of a row, as text, and how it is set.

export interface TextColumn<Row> {
  /** Names the column's slots (`cell-<key>`, `header-<key>`); unique within a table. */
  key: string;
  /** The header text (a slot `header-<key>` or `header` may draw more). */
  label: string;
  /** The cell's text; a slot `cell-<key>` or `cell` draws anything else (a checkbox, tokens). */
  text?: (row: Row) => string;
  /** Code-like values (settings, numbers to compare digit by digit) in the monospace font. */
  mono?: boolean;
  /** Numbers, right-aligned so their digits line up. */
  numeric?: boolean;
  /** A fixed width, e.g. '44px' for a line-number column. */
  width?: string;
  /** Extra classes on the column's header and cells (style them with `:deep()` from the view). */
  class?: string | Record<string, boolean>;
  /** A `data-test` name on the column's cells, for the walk-throughs. */
  test?: string;
  /** A `data-testid` on the column's cells (Playwright's getByTestId). */
  testId?: string;
}
