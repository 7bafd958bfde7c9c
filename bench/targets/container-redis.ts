import { randomBytes } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import { InfraError } from '../errors.ts';
import { registerCleanup } from '../core/cleanup-registry.ts';
import { DEFAULT_MANAGED_REDIS_CONFIG } from './redis-config.ts';
import type { RedisConfigOverrides } from './redis-config.ts';

/** The image of docker-compose.yml's redis service. */
export const CONTAINER_REDIS_IMAGE = 'redis:7.0';
const REDIS_PORT = 6379;

export type DockerEngineCheck = { readonly reachable: true } | { readonly reachable: false; readonly reason: string };

/**
 * Whether testcontainers finds a Docker (or Podman) engine: DOCKER_HOST, the testcontainers config,
 * the default socket. Answers within about a second when there is none.
 */
export async function checkDockerEngine(): Promise<DockerEngineCheck> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { reachable: true };
  } catch (error) {
    return { reachable: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export interface ContainerRedis {
  /** redis://:password@host:mapped-port: a random password, since the engine may publish the port beyond loopback. */
  readonly url: string;
  readonly version: string;
  /** The image it runs (CONTAINER_REDIS_IMAGE). */
  readonly image: string;
  /** Stops and removes the container; idempotent. */
  stop(): Promise<void>;
}

/**
 * A redis-server in a container (`--target container`), configured like a managed one (the
 * document's redis.conf plus the scenario's overrides). Stopped by stop(), by the process cleanups on
 * Ctrl-C / SIGTERM, and by testcontainers' reaper if the process dies without either.
 */
export async function startContainerRedis(overrides: RedisConfigOverrides = {}): Promise<ContainerRedis> {
  const engine = await checkDockerEngine();
  if (!engine.reachable) {
    throw new InfraError(`--target container needs a Docker engine, and none is reachable (${engine.reason})`, {
      hint: 'start Docker (or set DOCKER_HOST), or run without --target container to let rpb start a redis-server process itself',
    });
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  // bind: inside the container loopback would refuse the mapped port. The engine publishes that port on
  // its own terms (often every interface), hence a random password for this run.
  const password = randomBytes(18).toString('hex');
  const config = { ...DEFAULT_MANAGED_REDIS_CONFIG, ...overrides, bind: '0.0.0.0', requirepass: password };
  const args = Object.entries(config).flatMap(([key, value]) => [`--${key}`, String(value)]);
  let container: StartedTestContainer;
  try {
    container = await new GenericContainer(CONTAINER_REDIS_IMAGE)
      .withCommand(['redis-server', ...args])
      .withExposedPorts(REDIS_PORT)
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .withStartupTimeout(60_000)
      .start();
  } catch (error) {
    throw new InfraError(
      `could not start the ${CONTAINER_REDIS_IMAGE} container: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'check that the engine can pull the image (or pre-pull it: docker pull redis:7.0)',
        cause: error,
      },
    );
  }
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      unregister();
      await container.stop({ remove: true });
    })());
  const unregister = registerCleanup(`redis container ${container.getId().slice(0, 12)}`, stop);
  try {
    const host = container.getHost();
    const url = `redis://:${password}@${host.includes(':') ? `[${host}]` : host}:${container.getMappedPort(REDIS_PORT)}`;
    const { stdout } = await container.exec(['redis-server', '--version']);
    const version = /v=(\S+)/.exec(stdout)?.[1] ?? 'unknown';
    return { url, version, image: CONTAINER_REDIS_IMAGE, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
