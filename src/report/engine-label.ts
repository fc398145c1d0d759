import type { EngineRecord } from '../results/types.js';

/** "docker-current-containerd (Docker Engine 26.1.5, containerd store, runc)" */
export function engineLabel(record: Pick<EngineRecord, 'name' | 'product' | 'version' | 'imageStore' | 'runtime'>): string {
  const store = record.imageStore === 'containers-storage' ? 'containers/storage' : `${record.imageStore} store`;
  return `${record.name} (${record.product} ${record.version}, ${store}, ${record.runtime.split(' ')[0]})`;
}
