ARG BASE=python:3.12
FROM ${BASE}
COPY . /app
RUN pip install -r /app/requirements.txt
CMD ["python", "/app/main.py"]
