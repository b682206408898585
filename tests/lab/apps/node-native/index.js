const http = require("node:http");
const { hash } = require("./build/Release/fnv.node");

http
  .createServer((req, res) => {
    res.end(`fnv1a(${req.url}) = ${hash(req.url).toString(16)}\n`);
  })
  .listen(8080, () => console.log("listening on 8080"));
