"""The founding guide's FastAPI service: a greeting and the /health its HEALTHCHECK calls."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root():
    return {"message": "hello from the guide's fastapi app"}


@app.get("/health")
def health():
    return {"status": "ok"}
