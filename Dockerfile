# Gatehouse container image: `docker build -t gatehouse .`
# Build stage: all dependencies, compile TypeScript to dist/ (`npm run build`).
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and argon2 ship prebuilt binaries for linux-x64; these are only for other platforms.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only (the postinstall step generates the Prisma clients).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime: compiled JavaScript, production dependencies, no compiler, not root.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATABASE_URL=file:/data/gatehouse.db
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json package-lock.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root prisma ./prisma
COPY --chown=root:root interactions/assets ./interactions/assets
COPY --chown=root:root src/accounts/common-passwords.txt ./src/accounts/common-passwords.txt
# The code is owned by root and read-only to the service; only /data (SQLite file, KEK file) is
# writable, by the unprivileged `node` user (uid 1000) the image ships.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]
USER node
EXPOSE 3000 9464
# /healthz: the process answers (the database is /readyz's business, for the load balancer).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: stop accepting, finish requests in flight (up to 10 s), close the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/gatehouse.js"]
CMD ["serve"]
