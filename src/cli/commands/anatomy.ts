import { z } from 'zod';
import { anatomyOfImages } from '../../pipeline/anatomy-of.js';
import { efficiencyTableOf, kindsTableOf, layersTableOf, sharedLayersTableOf } from '../../report/anatomy-tables.js';
import { mb } from '../../report/format.js';
import { tableMarkdown } from '../../export/render-markdown.js';
import { fileKind } from '../../results/base-schema.js';
import type { Table } from '../../report/table.js';
import { command } from '../command.js';

/** The run's tables, about images named here: "image" heads the first column, the notes say what holds for any image. */
const asImages = (table: Table): Table => ({
  ...table,
  header: ['image', ...table.header.slice(1)],
  notes: table.notes.filter((note) => !/anatomy\.md|run's registry/.test(note)),
});

export const anatomyCommand = command({
  name: 'anatomy',
  title: 'Where the bytes of any image are: its layers, their waste, its files by kind',
  summary:
    'Where the bytes of any image are, no scenario needed: its layers and their instructions, what\n' +
    "stacking them wastes (dive's efficiency), its files by kind, and the layers the images share.",
  positionals: 'IMAGE…',
  options: {
    base: {
      type: 'string',
      value: 'IMAGE',
      help: "the images' base: layers shared with it from the bottom count as base, the rest as app (default: every layer sorted by path)",
    },
  },
  details: [
    'Docker. Images not in the engine are pulled, and removed again afterwards. Markdown on stdout.',
    'Example: npm run anatomy -- debian:bookworm-slim gcr.io/distroless/static-debian12',
  ],
  schema: z.object({ base: z.string().optional(), positionals: z.array(z.string()).min(1, 'name at least one image') }),
  async run(values, log) {
    const reports = await anatomyOfImages(values.positionals, values.base, log);
    const images = reports.map((report) => ({ name: report.ref, anatomy: report.anatomy }));
    const kinds = values.base ? fileKind.options : fileKind.options.filter((kind) => kind !== 'app');
    const lines = [
      '# Image anatomy',
      '',
      ...reports.map(
        (report) =>
          `- ${report.ref}: ${report.id.slice(0, 19)}, ${report.anatomy.layers.length} layer(s), ${mb(report.compressedBytes)} ` +
          `compressed (gzip, as pushed to a registry)`,
      ),
      '',
      tableMarkdown(layersTableOf(images)),
      '',
      tableMarkdown(asImages(efficiencyTableOf(images))),
      '',
      tableMarkdown({ ...asImages(kindsTableOf(images, kinds)), title: 'Bytes by kind of file' }),
      '',
      ...(images.length > 1 ? [tableMarkdown(asImages(sharedLayersTableOf(images))), ''] : []),
    ];
    process.stdout.write(lines.join('\n'));
    return 0;
  },
});
