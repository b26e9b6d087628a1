# paychat wallet. Build from the repository root:
#   docker build -f docker/wallet.Dockerfile -t paychat/wallet .
# The four Dockerfiles differ only in the app name (infra/test/docker.spec.ts checks that they do).

# Production dependencies only, in their own stage so code changes do not reinstall them.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# Everything, dev dependencies included, to compile TypeScript to dist/ (SWC).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production node_modules + compiled code, owned by root and run as the unprivileged node user.
# Every image holds the whole build, so any of them can run the one-off migration
# (node dist/scripts/migrate.js; both databases' migrations are compiled into dist/apps).
FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/scripts ./dist/scripts
COPY --from=build /app/dist/openapi ./dist/openapi
COPY --from=build /app/dist/console ./dist/console
USER node
EXPOSE 3000
# node's fetch, as the slim image has no curl; liveness only (readiness is the load balancer's check).
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (the apps handle it: fail readiness, drain, exit 0).
# They spawn no children, so no init process is needed to reap zombies.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/wallet/src/main.js"]
