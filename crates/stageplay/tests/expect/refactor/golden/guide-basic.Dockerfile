# Written for the Stageplay refactor test set: single-stage starting point for the founding guide's "Basic Multi-Stage Pattern".
# =============================================================================
# Stage 1: Builder
# =============================================================================
FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --target=/app/deps -r requirements.txt

# =============================================================================
# Stage 2: Production
# =============================================================================
FROM python:3.12-slim AS production
WORKDIR /app
COPY --from=builder /app/deps /usr/local/lib/python3.12/site-packages/
COPY --from=builder /app/deps/bin /usr/local/bin/
COPY ./app ./app
CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
