// Typed errors carry a code that callers branch on; the message is for logs only.

export class NotFoundError extends Error {
  readonly code = "not_found";
  constructor(what = "resource") {
    super(`${what} not found`);
  }
}

export class ForbiddenError extends Error {
  readonly code = "forbidden";
  constructor(reason = "forbidden") {
    super(reason);
  }
}

/** A rule refused the input; fields maps a form field (or "_form") to a locale key. */
export class ValidationError extends Error {
  readonly code = "validation";
  constructor(
    readonly fields: Record<string, string>,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`validation failed: ${Object.keys(fields).join(", ")}`);
  }
}
