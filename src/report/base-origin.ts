import type { ResolvedBase, RunResults } from '../results/types.js';

/** A rehearsal's "upstream" bytes are local stand-ins under upstream names: every mention says so. */
const REHEARSAL = 'rehearsal: stand-in bytes';

export const isRehearsal = (results: RunResults) => results.provenance.bases.rehearsal === true;

/** One or two words for a base's source column. */
export function sourceWord(base: ResolvedBase, rehearsal: boolean): string {
  switch (base.source) {
    case 'local':
      return 'local stand-in';
    case 'image':
      return rehearsal ? `named image (${REHEARSAL})` : 'named image';
    case 'upstream':
      return rehearsal ? `upstream (${REHEARSAL})` : 'upstream';
    case 'empty':
      return 'empty';
  }
}

/** Where a base's bytes came from: the reference asked for, the mirror they came through, the digest. */
export function baseOrigin(base: ResolvedBase, rehearsal: boolean): string {
  const via = base.mirror ? ` via ${base.mirror.via}` : '';
  const asked = base.mirror?.upstream ?? base.ref;
  switch (base.source) {
    case 'empty':
      return 'nothing to pull';
    case 'local':
      return `local stand-in for ${base.standsInFor ?? 'no upstream image'}`;
    case 'image':
      return `${asked}${via} (named by the scenario, ${base.digest.slice(0, 19)}${rehearsal ? `; ${REHEARSAL}` : ''})`;
    case 'upstream':
      return `${asked}${via} (upstream, ${base.digest.slice(0, 19)}${rehearsal ? `; ${REHEARSAL}` : ''})`;
  }
}
