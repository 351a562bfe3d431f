import { expect } from "chai";
import { DEVELOPMENT_SECRET, loadConfig } from "../../src/config";

describe("configuration from the environment", () => {
  const secret = "a-long-random-production-secret-0123456789";

  it("production refuses to start without a session secret or with the development one", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).to.throw(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", SESSION_SECRET: DEVELOPMENT_SECRET })).to.throw(/development value/);
    expect(() => loadConfig({ NODE_ENV: "production", SESSION_SECRET: "too-short" })).to.throw(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret }).sessionSecret).to.equal(secret);
  });

  it("loads demo data by default only outside production; DEMO_DATA decides when set", () => {
    expect(loadConfig({}).demoData).to.equal(true);
    expect(loadConfig({ NODE_ENV: "test" }).demoData).to.equal(true);
    expect(loadConfig({ DEMO_DATA: "0" }).demoData).to.equal(false);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret }).demoData).to.equal(false);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret, DEMO_DATA: "1" }).demoData).to.equal(true);
    expect(() => loadConfig({ DEMO_DATA: "maybe" })).to.throw(/DEMO_DATA/);
  });

  it("production sets Secure cookies; PUBLIC_URL loses its trailing slash", () => {
    const config = loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret, PUBLIC_URL: "https://dagdeel.example.nl/" });
    expect(config.secureCookies).to.equal(true);
    expect(config.publicUrl).to.equal("https://dagdeel.example.nl");
    expect(loadConfig({}).secureCookies).to.equal(false);
  });
});
