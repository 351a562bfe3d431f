import { expect } from "chai";
import { errorSerializer, redactUrl, requestSerializer, responseSerializer } from "../../src/web/request-log";

describe("request log redaction", () => {
  it("hides searched text, BSN-like numbers and reset tokens in URLs, keeps the rest", () => {
    expect(redactUrl("/clienten?q=999990019&status=alle")).to.equal("/clienten?q=%5Bredacted%5D&status=alle");
    expect(redactUrl("/clienten?q=Jansen")).to.equal("/clienten?q=%5Bredacted%5D");
    expect(redactUrl("/toewijzingen?nummer=999990019")).to.equal("/toewijzingen?nummer=%5Bredacted%5D");
    expect(redactUrl("/clienten/999990019")).to.equal("/clienten/[redacted]");
    expect(redactUrl("/beheer/gebruikers?zoek=Geurts&rol=provider")).to.equal("/beheer/gebruikers?zoek=%5Bredacted%5D&rol=provider");
    expect(redactUrl("/beheer/audit?gebruikersnaam=Geurts&clientnaam=Peeters&soort=schedule")).to.equal("/beheer/audit?gebruikersnaam=%5Bredacted%5D&clientnaam=%5Bredacted%5D&soort=schedule");
    expect(redactUrl("/wachtwoord-herstel/abc_DEF-123")).to.equal("/wachtwoord-herstel/[redacted]");
    expect(redactUrl("/planning/locaties/12?week=2026-W48")).to.equal("/planning/locaties/12?week=2026-W48");
    expect(redactUrl("/declaraties/2026-10")).to.equal("/declaraties/2026-10");
  });

  it("drops cookie, authorization and CSRF headers, and set-cookie", () => {
    const req = requestSerializer({ url: "/", headers: { cookie: "dagdeel.sid=s%3Aabc", authorization: "Basic x", "x-csrf-token": "t", host: "h" } });
    expect(req.headers).to.deep.equal({ cookie: "[redacted]", authorization: "[redacted]", "x-csrf-token": "[redacted]", host: "h" });
    expect(responseSerializer({ headers: { "set-cookie": "dagdeel.sid=s%3Aabc", "content-type": "text/html" } }).headers).to.deep.equal({ "set-cookie": "[redacted]", "content-type": "text/html" });
  });

  it("keeps an error's stack but not a BSN bound into a failed query", () => {
    const err = errorSerializer({ type: "Error", message: "insert into clients (bsn) values ('999990019') - UNIQUE", stack: "Error: insert … '999990019'\n    at x" });
    expect(err.message).to.equal("insert into clients (bsn) values ('[redacted]') - UNIQUE");
    expect(err.stack).to.not.contain("999990019");
    expect(err.stack).to.contain("at x");
  });
});
