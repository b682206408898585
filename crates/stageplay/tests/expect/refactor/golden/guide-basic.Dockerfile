# Written for the Stageplay refactor test set: single-stage starting point for the founding guide's "Basic Multi-Stage Pattern".
# =============================================================================
# Stage 1: Builder
# =============================================================================
FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt .
ENV PYTHONPATH="/install/lib/python3.12/site-packages${PYTHONPATH:+:$PYTHONPATH}" \
    PATH="/install/bin:$PATH"
RUN pip install --prefix=/install --no-cache-dir -r requirements.txt

# =============================================================================
# Stage 2: Production
# =============================================================================
FROM python:3.12-slim AS production
WORKDIR /app
COPY --from=builder /install /usr/local
COPY ./app ./app
CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
