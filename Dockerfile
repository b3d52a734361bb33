# pactum in a container: the static Linux binary on a distroless base (no shell, no package
# manager), running as an unprivileged user. Build from this repository:
#
#   docker build -t pactum .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work pactum check
#
# Run it as the user who owns the mounted repository (--user): Git refuses to read a
# repository that belongs to someone else.

FROM rust:1-alpine AS build
# musl-dev's version is the one of the image's Alpine release: pinning it would break the
# build at the next release of the rust image, and the image tag already fixes it.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --locked --profile dist --target x86_64-unknown-linux-musl \
 && cp target/x86_64-unknown-linux-musl/dist/pactum /pactum

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /pactum /usr/local/bin/pactum
ENTRYPOINT ["/usr/local/bin/pactum"]
CMD ["--help"]
