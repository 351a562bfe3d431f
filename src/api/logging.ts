/** A pino-http request serializer (over the already serialized request) that drops the bearer token: request logs must not keep API tokens. */
export function withoutApiToken<R extends { headers?: unknown }>(req: R): R {
  const headers = req.headers as Record<string, unknown> | undefined;
  if (!headers || headers.authorization === undefined) return req;
  return { ...req, headers: { ...headers, authorization: "[token]" } };
}
