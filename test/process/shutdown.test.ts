import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { startServer } from "../support/process";

// SIGTERM (a deploy, docker stop) while a request is still arriving: the server takes no new
// connections, answers the request in flight, closes the database and exits 0.
describe("SIGTERM: in-flight requests finish, then the database closes", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-sigterm-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const waitFor = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!check()) throw new Error(`never saw: ${what}`);
  };

  it("answers the request whose body is still arriving, refuses new connections, exits 0", async () => {
    const app = startServer({ DATABASE_URL: `sqlite:${path.join(dir, "db.sqlite")}`, DEMO_DATA: "0" });
    const port = await app.listening;

    // A login form whose body arrives in two parts: between them, the request is in flight.
    const body = "email=iemand%40voorbeeld.nl&password=geheim-geheim";
    const socket = net.connect(port, "127.0.0.1");
    let response = "";
    socket.on("data", (chunk) => (response += chunk.toString("utf8")));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);

    app.child.kill("SIGTERM");
    await waitFor(() => app.output().includes("stopping: finishing the requests in flight"), "the stopping line");
    // No new connections once stopping.
    const refused = await new Promise<string>((resolve) => {
      const other = net.connect(port, "127.0.0.1");
      other.once("connect", () => {
        other.destroy();
        resolve("accepted");
      });
      other.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(refused).to.equal("ECONNREFUSED");
    expect(app.child.exitCode).to.equal(null);

    socket.write(body.slice(10));
    await closed;
    // The request was answered in full: the login form refuses it for want of a CSRF token.
    expect(response).to.match(/^HTTP\/1\.1 403 /);
    expect(response).to.contain("</html>");
    expect(await app.exited).to.equal(0);
    expect(app.output()).to.contain("stopped; the database is closed");
  });
});
