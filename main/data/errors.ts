// How a data file goes wrong. A DataImportError stops the import (binary file, not UTF-8, a missing
// column, a moved file) and says where; a RowError is one bad example, skipped and reported with its line
// unless the user asked for strict mode.

export interface RowError {
  /** 1-based line where the row starts. */
  line: number;
  message: string;
  field?: string;
  /** The same for every row skipped for this cause ("wrong number of fields"), to count them together. */
  reason?: string;
}

export type DataErrorCode =
  'binary' | 'encoding' | 'not-found' | 'moved' | 'columns' | 'empty' | 'row' | 'format' | 'cancelled';

export class DataImportError extends Error {
  constructor(
    message: string,
    readonly code: DataErrorCode,
    readonly where: { line?: number; byte?: number; field?: string; path?: string } = {},
  ) {
    super(message);
    this.name = 'DataImportError';
  }
}

/** Most row errors kept for the report; the count goes on. */
export const MAX_REPORTED_ROW_ERRORS = 100;
