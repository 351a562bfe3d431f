import { expect } from "chai";
import helmet from "helmet";
import type { Request, Response } from "express";
import { securityHeaders } from "../../src/web/security-headers";

// The headers worked out once must be exactly the ones helmet itself sets on each response.
describe("security headers: helmet's, worked out once", () => {
  function headersAfter(middleware: (req: Request, res: Response, next: () => void) => void) {
    const headers = new Map<string, string>([["x-powered-by", "Express"]]);
    const res = { setHeader: (n: string, v: unknown) => void headers.set(n.toLowerCase(), String(v)), removeHeader: (n: string) => void headers.delete(n.toLowerCase()) };
    let nexted = false;
    middleware({} as Request, res as unknown as Response, () => (nexted = true));
    expect(nexted).to.equal(true);
    return Object.fromEntries(headers);
  }

  for (const [label, options] of [
    ["the app's options (development, tests)", { contentSecurityPolicy: { directives: { "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"], "upgrade-insecure-requests": null } } }],
    ["the app's options (production)", { contentSecurityPolicy: { directives: { "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"], "upgrade-insecure-requests": [] } } }],
    ["helmet's defaults", {}],
  ] as const) {
    it(label, () => {
      const ours = headersAfter(securityHeaders(options));
      expect(ours).to.deep.equal(headersAfter(helmet(options)));
      expect(ours).to.have.property("content-security-policy").that.contains("script-src 'self'");
      expect(ours).to.not.have.property("x-powered-by");
    });
  }
});
