# Proofup, production profile, non-root. Build: docker build -t proofup .   Run: docker run --env-file .env -p 3978:3978 proofup
# The base image is pinned to an exact Node 20 release (the version the project is developed and tested with).
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY locales ./locales
RUN npm run build && rm -rf dist/src/sandbox && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    PROOFUP_PROFILE=production \
    PORT=3978
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY cards ./cards
COPY locales ./locales
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3978
# Ready = storage answers and no shutdown under way (the load balancer and the orchestrator use the same probe).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--disable-warning=DEP0111", "dist/src/index.js"]
