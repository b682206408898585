# The three COPY --from forms of the founding guide ("COPY --from Syntax"), in one build.
FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --target=/app/deps -r requirements.txt

FROM python:3.12-slim
WORKDIR /app
# From named stage
COPY --from=builder /app/deps /usr/local/lib/python3.12/site-packages/
# From stage number
COPY --from=0 /app/deps /usr/local/lib/python3.12/site-packages/
# Copy binary from external image
COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv
COPY ./app ./app
CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
