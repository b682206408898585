# syntax=docker/dockerfile:1
# The founding guide's BuildKit features: cache, secret and bind mounts.
FROM python:3.12-slim AS deps
WORKDIR /app

# Cache mounts
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt

# Secret mounts (for private packages)
RUN --mount=type=secret,id=pip_conf,target=/root/.pip/pip.conf \
    pip install -r requirements.txt

# Bind mounts (avoid copying during build)
RUN --mount=type=bind,source=requirements.txt,target=requirements.txt \
    pip install --no-cache-dir -r requirements.txt

COPY ./app ./app
CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
