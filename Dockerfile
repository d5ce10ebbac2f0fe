# diffsmith in a container: Debian 12, two stages.
#   build:   the build dependencies (scripts/packages.txt), a release build,
#            and the Debian package (scripts/package.sh, CPack);
#   runtime: debian:12-slim with that package installed by apt, which pulls
#            exactly the shared libraries it declares (computed by
#            dpkg-shlibdeps), plus git, bubblewrap and CA certificates.
# Build and use (from a clone of diffsmith):
#   docker build -t diffsmith --build-arg GIT_COMMIT=$(git rev-parse --short=12 HEAD) .
#   docker run --rm --user "$(id -u):$(id -g)" -e OPENAI_API_KEY -v "$PWD:/repo" -w /repo \
#       --security-opt seccomp=unconfined diffsmith run "task" -t "make test"
# (seccomp=unconfined: Docker's default profile forbids the user namespaces
# bubblewrap needs; docs/sandbox.md. Without it pass --no-sandbox-tests.)
# The image holds no compilers or interpreters: a test command that needs a
# toolchain wants an image built FROM this one that adds it (docs/install.md).
FROM debian:12 AS build
ARG GIT_COMMIT=unknown
RUN apt-get update -qq
WORKDIR /src
COPY scripts/packages.txt scripts/packages.txt
RUN xargs -a scripts/packages.txt env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDIFFSMITH_GIT_COMMIT="${GIT_COMMIT}" \
    && cmake --build build --target diffsmith diffsmith_docs \
    && scripts/package.sh /dist

FROM debian:12-slim AS runtime
COPY --from=build /dist/ /tmp/dist/
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       /tmp/dist/diffsmith_*.deb git bubblewrap ca-certificates \
    && rm -rf /var/lib/apt/lists/* /tmp/dist \
    # The mounted repository belongs to the host's user, not to root in here:
    # let git and libgit2 open it anyway. libgit2 1.5 does not honour '*'
    # (git does), so /repo, the documented mount point, is named as well.
    && git config --system --add safe.directory /repo \
    && git config --system --add safe.directory '*' \
    # Not root: the sandbox holds as root too (no capabilities inside), but a
    # root uid still owns root's files and sockets (docs/sandbox.md). Pass
    # --user "$(id -u):$(id -g)" to write the mounted repository as yourself.
    && useradd --create-home --uid 1000 --user-group diffsmith
USER diffsmith
WORKDIR /repo
ENTRYPOINT ["diffsmith"]
CMD ["--help"]
