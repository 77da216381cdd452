// Who we are to a registry. Sources, first match wins: an injected provider
// (the editor passes SecretStorage values), MODELGATE_REGISTRY_USERNAME /
// MODELGATE_REGISTRY_PASSWORD, then Docker's config.json (auths, credHelpers,
// credsStore). Credentials are never logged or put into error messages.
import { dockerCredentials } from './dockerConfig';

export interface RegistryCredentials {
  username: string;
  password: string;
  /** Where they came from, for messages (never the secret itself). */
  source?: string;
}

/** Returns credentials for `host[:port]`, or undefined for anonymous access. */
export type CredentialsProvider = (registry: string) => Promise<RegistryCredentials | undefined>;

export function envCredentials(env: NodeJS.ProcessEnv = process.env): RegistryCredentials | undefined {
  const username = env.MODELGATE_REGISTRY_USERNAME;
  const password = env.MODELGATE_REGISTRY_PASSWORD;
  if (username && password !== undefined) return { username, password, source: 'MODELGATE_REGISTRY_USERNAME/PASSWORD' };
  return undefined;
}

export interface DefaultCredentialsOptions {
  env?: NodeJS.ProcessEnv;
  /** Directory holding config.json; defaults to $DOCKER_CONFIG or ~/.docker */
  dockerConfigDir?: string;
}

export function defaultCredentials(injected?: CredentialsProvider, opts: DefaultCredentialsOptions = {}): CredentialsProvider {
  return async (registry) => {
    const fromInjected = injected ? await injected(registry) : undefined;
    if (fromInjected) return { source: 'the editor', ...fromInjected };
    const fromEnv = envCredentials(opts.env ?? process.env);
    if (fromEnv) return fromEnv;
    return dockerCredentials(registry, { env: opts.env, configDir: opts.dockerConfigDir });
  };
}

/** A fixed username/password, for tests and scripted use. */
export function staticCredentials(username: string, password: string): CredentialsProvider {
  return async () => ({ username, password, source: 'the caller' });
}
