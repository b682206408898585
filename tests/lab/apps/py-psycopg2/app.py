"""Reports the psycopg2 build and the libpq it links, over HTTP (no database needed)."""
import json
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg2
import psycopg2.extensions


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(
            {
                "psycopg2": psycopg2.__version__,
                "libpq": psycopg2.extensions.libpq_version(),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
