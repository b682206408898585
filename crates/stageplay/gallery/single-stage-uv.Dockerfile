# A single-stage uv project: the "before" of the founding guide's uv pattern.
FROM python:3.12

COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /uvx /bin/

WORKDIR /app
COPY . /app
RUN uv sync --locked

EXPOSE 8000

CMD ["uv", "run", "fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
