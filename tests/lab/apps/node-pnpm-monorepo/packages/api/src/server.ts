import express from "express";
import { greet } from "@mono/lib";

const app = express();
app.get("/", (_req, res) => {
  res.send(greet("visitor") + "\n");
});
app.listen(3000, () => console.log("api listening on 3000"));
