import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_MANAGED_REDIS_CONFIG } from '../targets/redis-config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
} & Record<string, unknown>;
const services = compose.services;

/** `--flag value` pairs of a redis-server command line. */
function flags(command: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; i < command.length; i += 1)
    if (command[i]!.startsWith('--')) out[command[i]!.slice(2)] = command[i + 1] ?? '';
  return out;
}

describe('docker-compose.yml', () => {
  it('has the redis, signal service, Prometheus, bench runner and cluster services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'redis',
        'signal-service',
        'prometheus',
        'bench',
        'redis-cluster-1',
        'redis-cluster-2',
        'redis-cluster-3',
        'redis-cluster-init',
      ]),
    );
    expect(services.bench!.profiles).toEqual(['bench']);
    for (const name of ['redis-cluster-1', 'redis-cluster-2', 'redis-cluster-3', 'redis-cluster-init'])
      expect(services[name]!.profiles).toEqual(['cluster']);
    expect(services.redis!.profiles).toBeUndefined();
  });

  it("configures redis with the document's redis.conf recommendations and a password from the environment", () => {
    const f = flags(services.redis!.command!);
    for (const [directive, value] of Object.entries(DEFAULT_MANAGED_REDIS_CONFIG)) {
      if (directive === 'bind') continue; // 0.0.0.0 inside the container; the host port is loopback only
      expect({ directive, value: f[directive] }).toEqual({ directive, value: String(value) });
    }
    expect(f.requirepass).toBe('${REDIS_PASSWORD:?set REDIS_PASSWORD}');
  });

  it('publishes every port on the host loopback only, the host port a variable with the old default', () => {
    const hostPorts: Record<string, string> = {};
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) {
        const match = /^127\.0\.0\.1:\$\{([A-Z0-9_]+_HOST_PORT):-(\d+)\}:(\d+)$/.exec(port);
        expect({ name, port, match: match !== null }).toEqual({ name, port, match: true });
        hostPorts[match![1]!] = `${match![2]}:${match![3]}`;
      }
    }
    expect(hostPorts).toEqual({
      REDIS_HOST_PORT: '6379:6379',
      SERVICE_HOST_PORT: '8080:8080',
      PROMETHEUS_HOST_PORT: '9090:9090',
      REDIS_CLUSTER_1_HOST_PORT: '7001:7001',
      REDIS_CLUSTER_2_HOST_PORT: '7002:7002',
      REDIS_CLUSTER_3_HOST_PORT: '7003:7003',
    });
  });

  it('has no top-level name (Compose 1.29 rejects it): the project name is given with -p', () => {
    expect(Object.keys(compose).filter((key) => !key.startsWith('x-'))).toEqual(['services']);
  });

  it("names the compose service of the bench runner's Redis (RPB_COMPOSE_SERVICE = the URL host)", () => {
    const env = services.bench!.environment!;
    expect(new URL(env.REDIS_URL!.replace(/\$\{[^}]*\}/, 'pw')).hostname).toBe(env.RPB_COMPOSE_SERVICE);
    expect(Object.keys(services)).toContain(env.RPB_COMPOSE_SERVICE);
  });

  it('points the signal service and the bench runner at the compose redis with the password', () => {
    const env = services['signal-service']!.environment!;
    expect(env.REDIS_URL).toBe('redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379/0');
    expect(env).toMatchObject({ REDIS_ENABLED: 'true', HOST: '0.0.0.0', PORT: '8080' });
    expect(services['signal-service']!.command).toEqual(['node', 'bench/rpb.mjs', 'serve']);
    expect(services.bench!.environment!.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD[^}]*\}@redis:6379\/\d+$/);
    expect(services.bench!.command!.slice(0, 3)).toEqual(['node', 'bench/rpb.mjs', 'run']);
  });

  it('mounts a Prometheus config that scrapes the service /metrics', () => {
    const mount = services.prometheus!.volumes!.find((v) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'));
    expect(mount).toBeDefined();
    const file = path.join(ROOT, mount!.split(':')[0]!);
    expect(existsSync(file)).toBe(true);
    const prometheus = parse(readFileSync(file, 'utf8')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs[0]!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0]!.targets).toEqual([`signal-service:${services['signal-service']!.environment!.PORT}`]);
  });

  it('creates a 3-master cluster from the three cluster nodes', () => {
    const create = services['redis-cluster-init']!.command!.join(' ');
    expect(create).toMatch(
      /--cluster create redis-cluster-1:7001 redis-cluster-2:7002 redis-cluster-3:7003 --cluster-replicas 0/,
    );
    for (const n of [1, 2, 3])
      expect(flags(services[`redis-cluster-${n}`]!.command!)).toMatchObject({
        port: `700${n}`,
        'cluster-enabled': 'yes',
        'maxmemory-policy': 'volatile-lru',
      });
  });
});
