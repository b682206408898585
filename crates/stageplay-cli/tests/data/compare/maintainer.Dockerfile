FROM python:3.12-slim
MAINTAINER someone <someone@example.com>
RUN pip install flask
USER 10001
CMD ["python", "-m", "flask", "run"]
