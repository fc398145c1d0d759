import { describe, expect, it } from 'vitest';
import { countApkInstalled, countDpkgStatus, countDpkgStatusD } from '../../src/measure/base-facts.js';

describe('counting installed packages from an image’s own database', () => {
  it('counts dpkg status entries that are installed, not those only known', () => {
    const status = [
      'Package: base-files\nStatus: install ok installed\nVersion: 12.4',
      'Package: removed-thing\nStatus: deinstall ok config-files\nVersion: 1',
      'Package: libc6\nArchitecture: amd64\nStatus: install ok installed\nVersion: 2.36',
    ].join('\n\n');
    expect(countDpkgStatus(`${status}\n`)).toBe(2);
  });

  it('counts distroless status.d control files, not their md5sums', () => {
    expect(countDpkgStatusD(['status.d/base-files', 'status.d/base-files.md5sums', 'status.d/netbase', 'status.d/tzdata'])).toBe(3);
  });

  it('counts apk packages by their P: lines', () => {
    expect(countApkInstalled('C:Q1abc\nP:musl\nV:1.2.5\n\nC:Q1def\nP:busybox\nV:1.36\n')).toBe(2);
  });
});
