/**
 * The production deployment as docker-compose.yml and the Dockerfile describe it, checked without
 * Docker (which the build machine lacks): nothing published on the host, non-root and read-only
 * containers, the data on named volumes, tor the only way in, and tor's configuration (rendered as
 * the image build renders it) aiming at exactly where the app listens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { resolveConfig } from '../../../config/schema';
import { onionServiceDirectories, readTorrcTemplate, renderTorrc, TOR_IMAGE_DATA_DIRECTORY } from '../../../server/operations/torrc';

const serviceSchema = z.looseObject({
  build: z.strictObject({ context: z.literal('.'), target: z.string(), args: z.record(z.string(), z.string()).optional() }),
  user: z.string().optional(),
  read_only: z.boolean().optional(),
  cap_drop: z.array(z.string()).optional(),
  security_opt: z.array(z.string()).optional(),
  tmpfs: z.array(z.string()).optional(),
  ports: z.unknown().optional(),
  expose: z.unknown().optional(),
  privileged: z.boolean().optional(),
  network_mode: z.string().optional(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.looseObject({ ipv4_address: z.string().optional() }).nullable())]).optional(),
  volumes: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string().nullable()).optional(),
});
type Service = z.infer<typeof serviceSchema>;

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  networks: z.record(
    z.string(),
    z.looseObject({ internal: z.boolean().optional(), ipam: z.object({ config: z.array(z.object({ subnet: z.string() })) }).optional() }).nullable(),
  ),
  volumes: z.record(z.string(), z.unknown()),
});

function loadCompose(text = readFileSync('docker-compose.yml', 'utf8')) {
  // Compose resolves YAML merge keys (<<), which YAML 1.2 leaves to the reader.
  return composeSchema.parse(parse(text, { merge: true }));
}

/** Each build stage of the Dockerfile by name, its instructions with continuation lines joined. */
function dockerfileStages(text = readFileSync('Dockerfile', 'utf8')): Map<string, string[]> {
  const instructions = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const instruction of instructions) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(instruction);
    if (from) stages.set(from[1]!, (current = []));
    else current.push(instruction);
  }
  return stages;
}

/** A relative import as the file tsx loads: the .ts or .tsx file, or the folder's index.ts. */
function resolveSource(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => /\.tsx?$/.test(path) && existsSync(path));
  if (found === undefined) throw new Error(`${from} imports ${specifier}, which is no source file`);
  return found;
}

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/**
 * The npm packages that the code reachable from `entries` loads when it runs: static imports and
 * re-exports that are not type-only (tsx erases those), separately from dynamic `import()`s.
 */
function runtimeImports(entries: readonly string[]): { readonly loaded: Set<string>; readonly onDemand: Set<string> } {
  const loaded = new Set<string>();
  const onDemand = new Set<string>();
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const staticSpecifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;]*?\s+from\s+)?'([^']+)';/gms)].map((match) => match[1]!);
    const dynamicSpecifiers = [...source.matchAll(/\bimport\('([^']+)'\)/g)].map((match) => match[1]!);
    for (const [specifiers, packages] of [[staticSpecifiers, loaded], [dynamicSpecifiers, onDemand]] as const) {
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) pending.push(resolveSource(file, specifier));
        else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) packages.add(packageOf(specifier));
      }
    }
  }
  return { loaded, onDemand };
}

/** Whether .dockerignore leaves `path` out of the build context (its patterns: `**`, `*`, no `!`). */
function leftOutOfBuildContext(path: string, text = readFileSync('.dockerignore', 'utf8')): boolean {
  const patterns = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (patterns.some((pattern) => pattern.startsWith('!'))) throw new Error('exceptions in .dockerignore: extend this matcher');
  const asRegExp = (pattern: string) =>
    new RegExp(`^${pattern.split('**/').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('(?:.*/)?')}(?:/.*)?$`);
  return patterns.some((pattern) => asRegExp(pattern).test(path));
}

const service = (name: string): Service => {
  const found = loadCompose().services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** The container paths of a service's named volumes (never host directories). */
function namedVolumeTargets(entry: Service): Map<string, string> {
  const declared = loadCompose().volumes;
  return new Map(
    (entry.volumes ?? []).map((mount) => {
      const [source = '', target = ''] = mount.split(':');
      expect(Object.keys(declared), `${source} is a named volume`).toContain(source);
      return [target, source];
    }),
  );
}

function ipv4Number(address: string): number {
  const parts = address.split('.').map(Number);
  expect(parts).toHaveLength(4);
  return parts.reduce((value, part) => value * 256 + part, 0);
}

function inSubnet(address: string, cidr: string): boolean {
  const [base = '', bits = ''] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4Number(address) / size) === Math.floor(ipv4Number(base) / size);
}

function isRoot(user: string | undefined): boolean {
  return user === undefined || /^(root|0)(:|$)/.test(user);
}

describe('docker-compose.yml', () => {
  it('when parsed, then it has the app and tor, and nothing else', () => {
    expect(Object.keys(loadCompose().services).sort()).toEqual(['candor', 'tor']);
  });

  it.each(['candor', 'tor'])('when the %s service runs, then it publishes no port, runs as a non-root user, read-only, without capabilities or privilege gain', (name) => {
    const entry = service(name);
    expect(entry.ports).toBeUndefined();
    expect(entry.expose).toBeUndefined();
    expect(entry.network_mode === 'host').toBe(false);
    expect(entry.privileged ?? false).toBe(false);
    expect(isRoot(entry.user), `user ${entry.user}`).toBe(false);
    expect(entry.read_only).toBe(true);
    expect(entry.cap_drop).toEqual(['ALL']);
    expect(entry.security_opt).toContain('no-new-privileges:true');
    expect(entry.tmpfs?.map((mount) => mount.split(':')[0])).toEqual(['/tmp']);
  });

  it('when the app stores data, then its data directory and backups are named volumes', () => {
    const candor = service('candor');
    const dataDir = candor.environment?.CANDOR_DATA_DIR;
    expect(dataDir).toMatch(/^\//);
    const volumes = namedVolumeTargets(candor);
    expect(volumes.has(dataDir!)).toBe(true);
    expect(volumes.has('/var/lib/candor-backups')).toBe(true);
  });

  it('when the app is on a network, then only internal ones: it has no route to the Internet, and only tor shares it', () => {
    const compose = loadCompose();
    const candorNetworks = Object.keys(service('candor').networks ?? {});
    expect(candorNetworks.length).toBeGreaterThan(0);
    for (const network of candorNetworks) expect(compose.networks[network]?.internal, network).toBe(true);
    const torNetworks = service('tor').networks;
    expect(Array.isArray(torNetworks) ? torNetworks : Object.keys(torNetworks ?? {})).toEqual(expect.arrayContaining(candorNetworks));
  });

  it("when tor runs, then its state (onion keys, hostnames, the console's authorized clients) is a named volume at its data directory", () => {
    const volumes = namedVolumeTargets(service('tor'));
    expect(volumes.has(TOR_IMAGE_DATA_DIRECTORY)).toBe(true);
    expect(onionServiceDirectories(TOR_IMAGE_DATA_DIRECTORY).consoleClients.startsWith(`${TOR_IMAGE_DATA_DIRECTORY}/`)).toBe(true);
  });

  it("when tor forwards to the app, then the torrc the image renders targets exactly the address and ports the app listens on, with proof of work on both services", () => {
    const candor = service('candor');
    const tor = service('tor');
    const [network, attachment] = Object.entries(candor.networks as Record<string, { ipv4_address?: string } | null>)[0]!;
    const appAddress = attachment?.ipv4_address;
    expect(appAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const subnets = loadCompose().networks[network]?.ipam?.config.map((entry) => entry.subnet) ?? [];
    expect(subnets.some((subnet) => inSubnet(appAddress!, subnet)), `${appAddress} in ${subnets.join(', ')}`).toBe(true);
    // Both images are built with the app's address, which the tor image's torrc is rendered for.
    expect(candor.build.args?.CANDOR_APP_ADDRESS).toBe(appAddress);
    expect(tor.build.args?.CANDOR_APP_ADDRESS).toBe(appAddress);

    // Where the app listens: its configuration from the environment compose gives it.
    const environment = Object.fromEntries(Object.entries(candor.environment ?? {}).filter((entry): entry is [string, string] => entry[1] !== null));
    const app = resolveConfig({}, environment);
    // What the tor image renders: the build stage sets both hosts to the build argument.
    const rendered = resolveConfig({}, { CANDOR_INTAKE_HOST: appAddress, CANDOR_CONSOLE_HOST: appAddress });
    const torrc = renderTorrc(readTorrcTemplate(), {
      dataDirectory: TOR_IMAGE_DATA_DIRECTORY,
      intake: { address: rendered.intake.host, port: rendered.intake.port },
      console: { address: rendered.console.host, port: rendered.console.port },
      withConsole: true,
    });
    const directories = onionServiceDirectories(TOR_IMAGE_DATA_DIRECTORY);
    const block = (dir: string) => torrc.slice(torrc.indexOf(`HiddenServiceDir ${dir}\n`)).split('\nHiddenServiceDir ')[0]!;
    expect(block(directories.intake)).toContain(`HiddenServicePort 80 ${app.intake.host}:${app.intake.port}\n`);
    expect(block(directories.console)).toContain(`HiddenServicePort 80 ${app.console.host}:${app.console.port}\n`);
    for (const dir of [directories.intake, directories.console]) expect(block(dir)).toContain('HiddenServicePoWDefensesEnabled 1\n');
  });

  it("when the entry point of the tor image looks for authorized investigators, then it looks in the console's onion service directory", () => {
    const entrypoint = readFileSync('config/tor-entrypoint.sh', 'utf8');
    expect(entrypoint).toContain(`clients_dir=\${CANDOR_CONSOLE_CLIENTS_DIR:-${onionServiceDirectories(TOR_IMAGE_DATA_DIRECTORY).consoleClients}}`);
  });
});

describe('Dockerfile', () => {
  it('when built, then it has a build stage, the app image and the tor image', () => {
    expect([...dockerfileStages().keys()]).toEqual(['build', 'app', 'tor']);
  });

  it('when the images are made, then none installs a compiler (better-sqlite3 ships its binaries) and the app runs as its own non-root user', () => {
    const stages = dockerfileStages();
    for (const name of ['build', 'app', 'tor']) expect(stages.get(name)!.join('\n')).not.toMatch(/g\+\+|\bmake\b|python3/);
    const users = (name: string) => stages.get(name)!.filter((line) => line.startsWith('USER ')).map((line) => line.slice(5));
    expect(users('app')).toEqual(['candor:candor']);
    expect(users('tor')).toEqual(['debian-tor']);
    expect(service('candor').user).toBe('10001:10001');
    expect(stages.get('app')!.join('\n')).toContain('--uid 10001');
  });

  it('when the app image starts, then it runs the compiled entry point of npm start', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    const entry = /&& exec node (dist\/\S+\.js)$/.exec(start)?.[1];
    expect(entry).toBeDefined();
    const cmd = dockerfileStages().get('app')!.find((line) => line.startsWith('CMD '));
    expect(JSON.parse(cmd!.slice(4))).toEqual(['node', entry]);
  });

  it('when the app image is made, then it installs only the dependencies, and those are all that the compiled server and the admin commands load', () => {
    const build = dockerfileStages().get('build')!;
    expect(build).toContain('RUN npm run build');
    const app = dockerfileStages().get('app')!;
    expect(app).toEqual(expect.arrayContaining(['COPY package.json package-lock.json ./', 'COPY --from=build /app/dist/ dist/']));
    expect(app.find((line) => line.startsWith('RUN npm ci'))).toMatch(/^RUN npm ci --omit=dev /);
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const { loaded, onDemand } = runtimeImports(['server/start.ts', 'server/prepare.ts', 'server/cli.ts', 'tools/runtime/server-build.ts']);
    expect(loaded).toContain('express');
    expect([...loaded].filter((name) => manifest.dependencies[name] === undefined)).toEqual([]);
    // The build tools are for development: the image runs compiled code and builds nothing.
    for (const tool of ['tsx', 'vite']) expect(manifest.devDependencies[tool], tool).toBeDefined();
    // Loaded only to build the clients, which the image does at build time, never at run time.
    expect([...onDemand].filter((name) => manifest.dependencies[name] === undefined)).toEqual(['vite']);
    // The serving process never even holds the code that would load it (server/prepare.ts builds); it
    // loads only the security-key library on demand, at the first security-key sign-in (idle memory).
    expect([...runtimeImports(['server/start.ts']).onDemand]).toEqual(['@simplewebauthn/server']);
  });

  it('when the build context is sent, then the secret files the README names are left out, and the build stops on one under another name', () => {
    for (const secret of ['city-integrity-office-directory-key.json', 'directory-key.json', 'config/other-directory-key.json', 'restore-keys/passphrase.txt', 'restore-keys/admin-private.asc', 'admin-public.asc', 'data/demo-secrets/investigator.asc', 'ana.auth_private', 'passphrase.txt']) {
      expect(leftOutOfBuildContext(secret), secret).toBe(true);
    }
    for (const kept of ['config/pinned-directory-keys.json', 'server/start.ts', 'package.json', 'config/torrc.template']) expect(leftOutOfBuildContext(kept), kept).toBe(false);
    // Every file the image builds or runs from is sent: a pattern too wide would break the build.
    const tracked = spawnSync('git', ['ls-files'], { encoding: 'utf8' }).stdout.split('\n');
    const needed = tracked.filter((path) => /^(server|client|protocol|tools|crypto|config)\//.test(path) || ['package.json', 'package-lock.json', 'tsconfig.json'].includes(path));
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter((path) => leftOutOfBuildContext(path))).toEqual([]);

    const guard = dockerfileStages().get('build')!.find((line) => line.includes('BEGIN PGP PRIVATE KEY BLOCK'));
    expect(guard).toMatch(/^RUN /);
    const context = mkdtempSync(join(tmpdir(), 'candor-build-context-'));
    try {
      mkdirSync(join(context, 'config'));
      writeFileSync(join(context, 'config', 'pinned-directory-keys.json'), '{"format": "candor-pinned-directory-keys", "version": 2, "bodies": {"city-integrity-office": {"keys": ["abc"], "minimumSerial": 1}}}');
      const runGuard = () => spawnSync('sh', ['-c', guard!.slice(4)], { cwd: context, encoding: 'utf8' });
      expect(runGuard().status).toBe(0);
      writeFileSync(join(context, 'config', 'keys-for-later.json'), '{"publicKey": "abc", "secretKey": "def"}');
      const refused = runGuard();
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain('keys-for-later.json');
      rmSync(join(context, 'config', 'keys-for-later.json'));
      writeFileSync(join(context, 'notes.txt'), '-----BEGIN PGP PRIVATE KEY BLOCK-----\n');
      expect(runGuard().status).toBe(1);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  it('when the build renders the torrc, then it takes the app address from the build argument compose passes', () => {
    const build = dockerfileStages().get('build')!;
    expect(build).toContain('ARG CANDOR_APP_ADDRESS=127.0.0.1');
    expect(build.join('\n')).toMatch(/CANDOR_INTAKE_HOST="\$CANDOR_APP_ADDRESS" CANDOR_CONSOLE_HOST="\$CANDOR_APP_ADDRESS"/);
    expect(build.join('\n')).toContain('npm run admin -- torrc --out /tor-config/torrc ');
    expect(build.join('\n')).toContain('npm run admin -- torrc --without-console --out /tor-config/torrc.intake-only');
    expect(dockerfileStages().get('tor')).toEqual(expect.arrayContaining(['COPY --from=build /tor-config/ /etc/tor/candor/', 'ENTRYPOINT ["/usr/local/bin/candor-tor"]']));
  });
});
