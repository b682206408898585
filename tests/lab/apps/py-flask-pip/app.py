"""A small Flask service: a greeting and a health endpoint."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from flask\n"


@app.get("/health")
def health():
    return jsonify(status="ok")
