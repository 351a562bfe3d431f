// The yardstick: a bare express "hello" in a process of its own, measured in the same run under
// the same load as the app, so throughput is reported as a share of what this machine can do.

import express from "express";

const app = express();
app.get("/", (_req, res) => {
  res.send("hello");
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ type: "ready", port: typeof address === "object" && address ? address.port : 0 });
});
process.on("disconnect", () => process.exit(0));
