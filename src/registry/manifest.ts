import type { RegistryCredentials } from '../engine/credentials.js';

export interface BlobDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface ManifestFacts {
  mediaType: string;
  configBytes: number;
  layerBytes: number[];
  config: BlobDescriptor;
  layers: BlobDescriptor[];
  /** Layers plus config: what a cold pull downloads. */
  compressedBytes: number;
}

const MANIFEST_ACCEPT = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'].join(', ');

/** Fetches an image manifest over the distribution API, answering a bearer challenge if asked. */
export async function fetchManifestFacts(
  registryUrl: string,
  repository: string,
  reference: string,
  credentials?: RegistryCredentials,
): Promise<ManifestFacts> {
  const url = `${registryUrl}/v2/${repository}/manifests/${reference}`;
  let response = await fetch(url, { headers: { Accept: MANIFEST_ACCEPT } });
  if (response.status === 401) {
    const authorization = await authorizationFor(response.headers.get('www-authenticate') ?? '', credentials);
    response = await fetch(url, { headers: { Accept: MANIFEST_ACCEPT, Authorization: authorization } });
  }
  if (!response.ok) throw new Error(`manifest ${repository}:${reference}: registry answered HTTP ${response.status}`);
  const manifest = (await response.json()) as { mediaType?: string; config?: BlobDescriptor; layers?: BlobDescriptor[] };
  if (!manifest.config || !manifest.layers) {
    throw new Error(`manifest ${repository}:${reference}: not a single-platform image manifest (${manifest.mediaType ?? 'no mediaType'})`);
  }
  const layerBytes = manifest.layers.map((layer) => layer.size);
  return {
    mediaType: manifest.mediaType ?? response.headers.get('content-type') ?? 'unknown',
    configBytes: manifest.config.size,
    layerBytes,
    config: manifest.config,
    layers: manifest.layers.map((layer) => ({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size })),
    compressedBytes: manifest.config.size + layerBytes.reduce((sum, size) => sum + size, 0),
  };
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function authorizationFor(challenge: string, credentials?: RegistryCredentials): Promise<string> {
  if (/^basic/i.test(challenge)) {
    if (!credentials) throw new Error('registry asks for credentials and the Docker config has none for it');
    return basic(credentials);
  }
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
  if (!params.realm) throw new Error(`registry sent an authentication challenge basebench cannot answer`);
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
  const tokenResponse = await fetch(tokenUrl, { headers: credentials ? { Authorization: basic(credentials) } : {} });
  if (!tokenResponse.ok) throw new Error(`registry token service answered HTTP ${tokenResponse.status}`);
  const token = (await tokenResponse.json()) as { token?: string; access_token?: string };
  return `Bearer ${token.token ?? token.access_token ?? ''}`;
}
