import { PROBLEM_STATUS, ProblemCode } from './problem-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failure the caller is meant to see: it becomes one RFC 9457 problem with a stable `code`.
 * Domain code throws these; the global filter renders them, nothing else formats errors.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? code);
    this.name = 'AppError';
    this.status = PROBLEM_STATUS[code];
  }
}
