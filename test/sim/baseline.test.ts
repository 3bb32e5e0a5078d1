// The generated baseline (baseline.ts) is the hand-kept baseline.yaml, document for document.
import fs from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baselineDocuments } from './baseline';
import { SCENARIO_DIR } from './scenario';

test('baseline.ts generates the documents of baseline.yaml', () => {
  const yaml = (loadAll(fs.readFileSync(path.join(SCENARIO_DIR, 'baseline.yaml'), 'utf8')) as unknown[]).filter(Boolean);
  const generated = JSON.parse(JSON.stringify(baselineDocuments())) as unknown[];
  assert.is(generated.length, yaml.length);
  yaml.forEach((doc, i) => assert.equal(generated[i], doc, `document ${i}`));
});

test.run();
