import { createServer } from "node:http";
import ms from "ms";

const started = Date.now();

const server = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end(`uptime service: up ${ms(Date.now() - started + 1000, { long: true })}\n`);
});

server.listen(Number(process.env.PORT ?? 8080), () => console.log("listening"));
