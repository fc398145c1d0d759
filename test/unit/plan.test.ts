import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { planVariants } from '../../src/pipeline/plan.js';
import { loadScenario } from '../../src/scenario/load.js';
import { projectCatalog } from '../fixtures/catalog.js';

const scenario = (name: string) => loadScenario(path.join(PROJECT_ROOT, 'scenarios', name, 'scenario.yaml'), projectCatalog());

describe('the variants a run plans', () => {
  it('takes only the variants marked quick with --quick, and a filter by name or app/name', () => {
    const go = scenario('go-hello');
    const quick = planVariants([go], [], true).map((item) => item.id);
    expect(quick).toEqual(go.variants.filter((variant) => variant.quick).map((variant) => `go-hello/${variant.name}`));
    expect(quick.length).toBeLessThan(go.variants.length);
    expect(planVariants([go], ['scratch', 'go-hello/debian-slim']).map((item) => item.id)).toEqual([
      'go-hello/scratch',
      'go-hello/debian-slim',
    ]);
  });

  it('refuses a filter that names no variant, and --quick on scenarios that mark none quick, naming the files', () => {
    const go = scenario('go-hello');
    expect(() => planVariants([go], ['scrach'])).toThrow(/^--variant scrach: no such variant \(known: go-hello\/scratch, /);
    const unmarked = { ...go, variants: go.variants.map((variant) => ({ ...variant, quick: false })) };
    expect(() => planVariants([unmarked], [], true)).toThrow(
      `--quick: no variant of ${go.file} is marked "quick: true" (mark the ones to measure, or leave out --quick to measure them all)`,
    );
    expect(planVariants([unmarked], [])).toHaveLength(go.variants.length);
  });
});
