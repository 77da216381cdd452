// Which published version is the champion, and what --baseline names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishedReference } from '../../../server/pipeline/baselineRef';
import { previousVersionTag } from '../../../server/pipeline/champion';

test('the champion is the highest semver tag strictly below this version; labels and newer versions are ignored', () => {
  const tags = ['stable', 'latest', '0.9.0', '1.0.0', '1.1.0-rc.1', '1.1.0', '2.0.0', 'sha256-abc'];
  assert.equal(previousVersionTag(tags, '1.1.0'), '1.1.0-rc.1');
  assert.equal(previousVersionTag(tags, '1.0.5'), '1.0.0');
  assert.equal(previousVersionTag(tags, '3.0.0'), '2.0.0');
  assert.equal(previousVersionTag(tags, '0.9.0'), undefined);
  assert.equal(previousVersionTag(['1.0.0_build.1'], '1.0.1'), '1.0.0_build.1', 'build metadata is stored as _');
  assert.equal(previousVersionTag(tags, 'not-semver'), undefined);
});

test('--baseline: registry references and tagged layouts are published versions; manifest paths are not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-baseline-ref-'));
  try {
    mkdirSync(join(dir, 'layout'));
    writeFileSync(join(dir, 'layout', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    mkdirSync(join(dir, 'champ'));
    writeFileSync(join(dir, 'champ', 'model.yaml'), 'x');
    assert.equal(publishedReference('oci://127.0.0.1:5000/ml/bc:1.0.0', dir), 'oci://127.0.0.1:5000/ml/bc:1.0.0');
    assert.equal(
      publishedReference('modelgate://reg.example.com/ml/bc@sha256:' + 'a'.repeat(64), dir),
      'modelgate://reg.example.com/ml/bc@sha256:' + 'a'.repeat(64),
    );
    assert.equal(publishedReference('registry.example.com:5000/ml/bc:1.0.0', dir), 'oci://registry.example.com:5000/ml/bc:1.0.0');
    assert.equal(publishedReference('layout:1.0.0', dir), 'layout:1.0.0');
    assert.equal(publishedReference('oci:layout:1.0.0', dir), 'oci:layout:1.0.0');
    assert.equal(publishedReference('champ/model.yaml', dir), undefined);
    assert.equal(publishedReference('champ', dir), undefined);
    assert.equal(publishedReference('layout', dir), undefined, 'a layout without a tag is not a version');
    assert.equal(publishedReference('missing/model.yaml', dir), undefined, 'left to loadManifest, which names the path');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
