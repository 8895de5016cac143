# syntax=docker/dockerfile:1

# 1. The theme: nhsuk-frontend compiled with sass.
FROM node:20-slim AS css
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY build-icons.mjs ./
COPY static/scss static/scss
RUN npm run --silent build:css

# 2. The application on a slim Python, run by an unprivileged user.
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY --from=css /build/static/css static/css
COPY --from=css /build/static/nhsuk-icons static/nhsuk-icons
# collectstatic needs settings but no database: give it throwaway values.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --no-input -v 0 \
 && useradd --create-home --uid 10001 embedded \
 && mkdir -p /app/media && chown embedded /app/media
USER embedded
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "embedded.wsgi"]
