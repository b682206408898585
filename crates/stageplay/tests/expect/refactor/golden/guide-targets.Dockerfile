# Written for the Stageplay refactor test set: single-stage starting point for the founding guide's "Named Stages and Targets".
# =============================================================================
# Base stage
# =============================================================================
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt
COPY ./app ./app

# =============================================================================
# Development target
# =============================================================================
FROM base AS development
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install pytest pytest-cov black ruff mypy
CMD ["fastapi", "dev", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]

# =============================================================================
# Production target
# =============================================================================
FROM base AS production

RUN groupadd --gid 1000 appuser \
    && useradd --uid 1000 --gid 1000 --no-create-home --shell /bin/false appuser

USER appuser
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \
    CMD python -c "import socket; socket.create_connection(('127.0.0.1', 8000), 5).close()" || exit 1

CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
