import path from 'node:path';
import { PROJECT_ROOT } from '../common/project-root.js';
import type { Scenario } from '../scenario/load.js';

/** The engine's floor (floor/): the smallest static HTTP server on scratch, measured beside the variants. */
export const FLOOR_SCENARIO = path.join(PROJECT_ROOT, 'floor', 'scenario.yaml');
/** The floor's builder (floor/scenario.yaml), which also builds the cri engine's pause image (floor/pause). */
export const FLOOR_BUILDER = 'go-builder';

export interface PlannedVariant {
  id: string;
  scenario: Scenario;
  variant: Scenario['variants'][number];
}

/** Every variant of every scenario (only the quick ones with `quick`), kept when the filter is empty or names it ("name" or "app/name"). */
export function planVariants(scenarios: readonly Scenario[], variantFilter: readonly string[], quick = false): PlannedVariant[] {
  const planned = scenarios.flatMap((scenario) =>
    scenario.variants
      .filter((variant) => !quick || variant.quick)
      .map((variant) => ({ id: `${scenario.app.name}/${variant.name}`, scenario, variant })),
  );
  // A user's own scenario marks no variant quick: without this, --quick would measure the floor alone and say nothing.
  if (quick && planned.length === 0)
    throw new Error(
      `--quick: no variant of ${scenarios.map((scenario) => scenario.file).join(', ')} is marked "quick: true" ` +
        '(mark the ones to measure, or leave out --quick to measure them all)',
    );
  if (variantFilter.length === 0) return planned;
  const kept = planned.filter((item) => variantFilter.some((wanted) => wanted === item.variant.name || wanted === item.id));
  const unmatched = variantFilter.filter((wanted) => !planned.some((item) => wanted === item.variant.name || wanted === item.id));
  if (unmatched.length > 0) {
    throw new Error(`--variant ${unmatched.join(', ')}: no such variant (known: ${planned.map((item) => item.id).join(', ')})`);
  }
  return kept;
}
