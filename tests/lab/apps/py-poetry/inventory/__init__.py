"""Inventory service: stock levels over HTTP."""
import falcon

STOCK = {"widgets": 12, "gadgets": 3}


class Stock:
    def on_get(self, req, resp):
        resp.media = {"service": "inventory", "stock": STOCK}


app = falcon.App()
app.add_route("/", Stock())
