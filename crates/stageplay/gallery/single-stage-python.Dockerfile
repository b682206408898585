# A single-stage FastAPI image: the "before" of the founding guide's production pattern.
FROM python:3.12

WORKDIR /app

RUN apt-get update && apt-get install -y gcc libpq-dev

COPY . .
RUN pip install -r requirements.txt

EXPOSE 8000

CMD ["fastapi", "run", "app/main.py", "--host", "0.0.0.0", "--port", "8000"]
