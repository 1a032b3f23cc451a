// Runs Electronegativity over the Electron shell (electron/) and fails on any finding that has not been
// reviewed. Reviewed findings live in electron/electronegativity-review.json, each with its reason; a
// review that no longer matches a finding also fails, so the list cannot go stale.
// AvailableSecurityFixesGlobalCheck is excluded: it asks the network for Electron releases.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const run = require('@doyensec/electronegativity');

const root = join(__dirname, '..');
const electronVersion = require(join(root, 'node_modules/electron/package.json')).version;

(async () => {
  const result = await run({
    input: join(root, 'electron'),
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    parserPlugins: ['typescript'],
  });
  const reviews = JSON.parse(readFileSync(join(root, 'electron/electronegativity-review.json'), 'utf8'));
  const key = (f) => `${f.id} ${f.file}`;
  const reviewed = new Map(reviews.map((r) => [key(r), r]));
  const seen = new Set();
  let failures = 0;
  let accepted = 0;
  for (const issue of result.issues) {
    const k = key(issue);
    const review = reviewed.get(k);
    if (review) {
      seen.add(k);
      accepted++;
      console.log(`reviewed  ${issue.id} ${issue.file}:${issue.location?.line ?? 0} — ${review.reason}`);
    } else {
      failures++;
      console.log(
        `FINDING   ${issue.id} ${issue.file}:${issue.location?.line ?? 0} ` + `— ${issue.description}`,
      );
    }
  }
  for (const review of reviews) {
    if (!seen.has(key(review))) {
      failures++;
      console.log(
        `STALE     ${review.id} ${review.file}: reviewed but no longer found; remove it from the review list`,
      );
    }
  }
  for (const error of result.errors) {
    if (!error.tolerable) {
      failures++;
      console.log(`ERROR     ${error.file}: ${error.message}`);
    }
  }
  console.log(
    `electronegativity (Electron ${electronVersion}): ${result.issues.length} findings, ` +
      `${accepted} reviewed with reasons, ${failures} problems`,
  );
  process.exitCode = failures === 0 ? 0 : 1;
})().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
