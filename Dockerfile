# syntax=docker/dockerfile:1
# Candor's two images, built by docker-compose.yml (README.md, "Running in production"):
#   target "app": the intake and the review console, as a non-root user on a read-only file system;
#   target "tor": Debian's tor with the rendered torrc of the two onion services.
# Both come from one build stage, so the torrc is rendered by the same code the tests check.

ARG NODE_IMAGE=node:24-trixie-slim
ARG DEBIAN_IMAGE=debian:trixie-slim

# ---- build: the devDependencies, the compiled server, the browser clients, the torrc ----
# better-sqlite3 ships its Node-API binaries in the package, so no stage needs a compiler.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# A secret in the build context would end up in the image: .dockerignore leaves out the usual names,
# and this stops the build if a directory key pair or an OpenPGP private key got in under another
# (the source code, which names these markers, is not searched).
RUN if grep -rlE --exclude-dir=node_modules --exclude='*.ts' --exclude='*.tsx' --exclude=Dockerfile -e '"secretKey"' -e 'BEGIN PGP PRIVATE KEY BLOCK' . ; then \
      echo "The files above hold secret keys: move them out of the build context (keep them offline)." >&2; \
      exit 1; \
    fi
# The browser clients trust only the directory keys compiled into them (docs/protocol.md §11.4), so
# the image is built for one deployment's keys: its public, pinned-keys file (README.md).
ENV CANDOR_PINNED_KEYS_FILE=/app/config/pinned-directory-keys.json
RUN test -f "$CANDOR_PINNED_KEYS_FILE" || { \
      echo "config/pinned-directory-keys.json is missing: write your bodies' pinned directory keys there before building (README.md, Running in production)." >&2; \
      exit 1; }
# `npm run build`: the server bundled into dist/server/, and both clients built for the pinned keys
# into dist/intake/ and dist/console/ (bundles, asset manifest, build stamp): at run time the file
# system is read-only, and the image has no build tools, so it must hold them complete.
RUN npm run build
# The intake's asset manifest signed offline for exactly this build, when there is one (README.md):
# the intake serves it at /asset-manifest.json, so anyone can check the served code against it.
RUN if [ -f config/asset-manifest.signed.json ]; then cp config/asset-manifest.signed.json dist/intake/; fi
# The address the app listens on inside the compose project's internal network (docker-compose.yml
# passes it); tor's HiddenServicePort needs an IP address, not a host name.
ARG CANDOR_APP_ADDRESS=127.0.0.1
RUN export CANDOR_INTAKE_HOST="$CANDOR_APP_ADDRESS" CANDOR_CONSOLE_HOST="$CANDOR_APP_ADDRESS" \
 && mkdir /tor-config \
 && npm run admin -- torrc --out /tor-config/torrc \
 && npm run admin -- torrc --without-console --out /tor-config/torrc.intake-only

# ---- app: what `npm start` runs, compiled, with the dependencies only ----
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production \
    CANDOR_DATA_DIR=/var/lib/candor \
    CANDOR_PINNED_KEYS_FILE=/app/config/pinned-directory-keys.json \
    NPM_CONFIG_CACHE=/tmp/npm-cache \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
RUN groupadd --system --gid 10001 candor \
 && useradd --system --uid 10001 --gid candor --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin candor \
 && install -d -o candor -g candor -m 0700 /var/lib/candor /var/lib/candor-backups
WORKDIR /app
# Owned by root: the app cannot change its own code, whatever the file system's mount options.
# The dependencies only: no bundler, test runner, TypeScript runner or browser driver.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf /tmp/npm-cache
# The compiled server and the built clients; the configuration files (the pinned keys, the torrc
# template); and the step `npm start` and `npm run admin` take before running dist/, which finds no
# sources here and runs dist/ as it is.
COPY --from=build /app/dist/ dist/
COPY --from=build /app/config/ config/
COPY --from=build /app/tools/runtime/ tools/runtime/
COPY --from=build /app/tools/server-build/build-stamp.ts tools/server-build/
USER candor:candor
# What `npm start` runs, without npm in between, so that SIGTERM reaches the server directly.
CMD ["node", "dist/server/start.js"]

# ---- tor: Debian's tor, the rendered torrc, and an entry point that keeps the console private ----
FROM ${DEBIAN_IMAGE} AS tor
RUN apt-get update \
 && apt-get install -y --no-install-recommends tor \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /tor-config/ /etc/tor/candor/
COPY --chmod=0755 config/tor-entrypoint.sh /usr/local/bin/candor-tor
USER debian-tor
ENTRYPOINT ["/usr/local/bin/candor-tor"]
