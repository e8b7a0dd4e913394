export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type of Vigie. `code` is stable and per module (e.g. `incident.invalid_transition`);
 * the global handler turns it into `application/problem+json`.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[], message = 'The request has invalid fields'): AppError {
    return new AppError('validation', 422, message, errors);
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', 404, `${what} not found`);
  }

  static forbidden(message = 'Your role does not allow this'): AppError {
    return new AppError('forbidden', 403, message);
  }

  static conflict(code: string, message: string): AppError {
    return new AppError(code, 409, message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
