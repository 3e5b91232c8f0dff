# syntax=docker/dockerfile:1
# Build: dependencies first in their own cached layer, then the app.
FROM rust:1.95-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rust-toolchain.toml ./
# The bundled SQLite's compile options (see the file).
COPY .cargo .cargo
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src
COPY src src
COPY migrations migrations
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin masthead

# Run: a slim image, a non-root user, the SQLite file on a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/masthead masthead \
 && mkdir -p /var/lib/masthead && chown masthead:masthead /var/lib/masthead
COPY --from=build /src/target/release/masthead /usr/local/bin/masthead
USER masthead
WORKDIR /var/lib/masthead
ENV DATABASE_URL=/var/lib/masthead/masthead.db \
    MASTHEAD_BIND=0.0.0.0:8080
VOLUME ["/var/lib/masthead"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["masthead"]
CMD ["serve"]
