# pactum in a container: the static Linux binary on a distroless base (no shell, no package
# manager), running as an unprivileged user. Build from this repository:
#
#   docker build -t pactum .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work pactum check
#
# Run it as the user who owns the mounted repository (--user): Git refuses to read a
# repository that belongs to someone else. `.dockerignore` keeps the build context to the
# sources (no target/, no .git).

FROM rust:1-alpine AS build
# musl-dev's version is the one of the image's Alpine release: pinning it would break the
# build at the next release of the rust image, and the image tag already fixes it.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# The image's own target (x86_64 or aarch64, musl: a static binary), so that the same file
# builds on either architecture, natively or with `docker buildx build --platform`.
RUN cargo build --locked --profile dist \
 && cp target/dist/pactum /pactum

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /pactum /usr/local/bin/pactum
ENTRYPOINT ["/usr/local/bin/pactum"]
CMD ["--help"]
