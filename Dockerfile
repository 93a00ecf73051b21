# The Waymark API and its web workspace. Configure it with WAYMARK_* environment
# variables (docker-compose.yml sets WAYMARK_DATABASE_URL and WAYMARK_TOKEN_SECRET).

# The workspace, built as bin/build-workspace builds it: its operations are typed
# from the committed schema.graphql, so a schema that breaks it fails the build.
FROM node:20-slim AS workspace
WORKDIR /src
COPY schema.graphql ./
COPY web/package.json web/package-lock.json ./web/
RUN npm ci --prefix web --no-audit --no-fund --loglevel=error
COPY web ./web
RUN npm run --prefix web build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY domain ./domain
COPY projections ./projections
COPY storage ./storage
COPY api ./api
COPY demo ./demo
COPY interchange ./interchange
RUN pip install --require-hashes -r requirements.lock \
    && pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /data --create-home waymark

# The installed package has no checkout beside it: say where the workspace is.
COPY --from=workspace /src/web/dist /srv/waymark/workspace
ENV WAYMARK_WORKSPACE_DIR=/srv/waymark/workspace

# Without WAYMARK_DATABASE_URL the API keeps a SQLite file in /data.
WORKDIR /data
USER waymark
EXPOSE 8000
CMD ["waymark", "serve", "--host", "0.0.0.0", "--port", "8000"]
