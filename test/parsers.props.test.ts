// Property tests (fast-check) for the parsers every flag goes through: quantities,
// durations, selectors, names and whole numbers.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDuration, checkSeconds, MAX_DURATION_MS } from '../src/kube/duration';
import { editDistance, nearestNames } from '../src/kube/nearest';
import { checkMemory, formatBytes, parseQuantity } from '../src/kube/quantity';
import { checkSelector, formatRequirements, matchesRequirements, type Requirement } from '../src/kube/selector';
import { checkTarget } from '../src/kube/target';
import { checkInteger, checkName, isDns1123Label, isDns1123Subdomain } from '../src/kube/validate';

const RUNS = { numRuns: 500 };
const BIN_UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

test('quantity: formatBytes → parseQuantity gives the same bytes', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 20 }), fc.constantFrom(...BIN_UNITS.slice(0, 4)), (n, unit) => {
    const bytes = n * 2 ** (10 * (BIN_UNITS.indexOf(unit) + 1));
    assert.is(parseQuantity(formatBytes(bytes)), bytes);
  }), RUNS);
});

test('quantity: parseQuantity never returns a non-finite number, whatever the text', () => {
  const digits = fc.stringMatching(/^[+-]?\d{1,400}(\.\d{0,5})?$/);
  const suffix = fc.constantFrom('', 'Ki', 'Mi', 'Gi', 'Ei', 'k', 'M', 'E', 'm', 'n', 'e308', 'e400', 'E-400', 'e99999');
  fc.assert(fc.property(fc.oneof(fc.string(), fc.tuple(digits, suffix).map(([d, s]) => d + s)), (text) => {
    const q = parseQuantity(text);
    assert.ok(q === null || Number.isFinite(q), `${text} → ${q}`);
  }), RUNS);
});

test('quantity: checkMemory accepts only finite, positive sizes with a byte unit, below 8Ei', () => {
  fc.assert(fc.property(fc.string({ maxLength: 30 }), (text) => {
    const c = checkMemory(text, '--memory');
    if (!c.ok) return;
    assert.ok(Number.isFinite(c.value) && c.value > 0 && c.value < 2 ** 63, `${text} → ${c.value}`);
    assert.match(text.trim(), /(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/);
  }), RUNS);
  fc.assert(fc.property(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('GB', 'gb', 'Gb', 'g', 'G ', 'gi', 'GiB'), (n, slip) => {
    const c = checkMemory(`${n}${slip}`, '--memory');
    if (slip === 'G ') { assert.ok(c.ok); return; } // "1G " is 1e9 bytes: a real quantity
    assert.not.ok(c.ok);
    if (!c.ok) assert.is(c.problem.hint, `did you mean ${n}Gi?`);
  }), RUNS);
});

const durationPart = fc.tuple(fc.integer({ min: 0, max: 500 }), fc.constantFrom('ms', 's', 'm', 'h'));
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

test('duration: the value is the sum of its components', () => {
  fc.assert(fc.property(fc.array(durationPart, { minLength: 1, maxLength: 5 }), (parts) => {
    const text = parts.map(([n, u]) => `${n}${u}`).join('');
    const want = parts.reduce((s, [n, u]) => s + n * UNIT_MS[u]!, 0);
    const c = checkDuration(text, '--timeout');
    if (want > MAX_DURATION_MS) assert.not.ok(c.ok);
    else assert.equal(c, { ok: true, value: want }, text);
  }), RUNS);
});

test('duration: never NaN, negative or beyond what a timer holds, for any text', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(/^-?[\d.]{0,12}(ms|s|m|h|x)?$/)), (text) => {
    const c = checkDuration(text, '--timeout');
    if (c.ok) assert.ok(Number.isInteger(c.value) && c.value >= 0 && c.value <= MAX_DURATION_MS, `${text} → ${c.value}`);
    else assert.match(c.problem.message, /^invalid value ".*" for --timeout: /);
  }), RUNS);
});

test('seconds: a bare integer and its "s" and minute spellings agree', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 35_000 }), (n) => {
    assert.equal(checkSeconds(String(n), '--period', 0), { ok: true, value: n });
    assert.equal(checkSeconds(`${n}s`, '--period', 0), { ok: true, value: n });
    assert.equal(checkSeconds(`${n}m`, '--period', 0), { ok: true, value: n * 60 });
  }), RUNS);
});

const labelName = fc.stringMatching(/^[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,20}[a-zA-Z0-9])?$/);
const prefix = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?(\.[a-z0-9]{1,8}){0,2}$/);
const key = fc.tuple(fc.option(prefix, { nil: undefined }), labelName).map(([p, n]) => (p ? `${p}/${n}` : n));
const value = fc.oneof(labelName, fc.constant(''));
const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(key, fc.constantFrom('in' as const, 'notin' as const), fc.uniqueArray(labelName, { minLength: 1, maxLength: 4 }))
    .map(([k, op, values]) => ({ key: k, op, values })),
  fc.tuple(key, fc.constantFrom('in' as const, 'notin' as const), value).map(([k, op, v]) => ({ key: k, op, values: [v] })),
  fc.tuple(key, fc.constantFrom('exists' as const, '!exists' as const)).map(([k, op]) => ({ key: k, op })),
);

test('selector: parse → string → parse gives the same requirements', () => {
  fc.assert(fc.property(fc.array(requirement, { maxLength: 5 }), (reqs) => {
    const text = formatRequirements(reqs);
    const once = checkSelector(text);
    assert.ok(once.ok, `${text}: ${once.ok ? '' : once.problem.message}`);
    if (!once.ok) return;
    assert.equal(once.value, reqs);
    const again = checkSelector(formatRequirements(once.value));
    assert.equal(again, once);
  }), RUNS);
});

test('selector: what it accepts, the API server would (keys and values valid, sets not empty)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => {
    const c = checkSelector(text);
    if (!c.ok) return;
    for (const r of c.value) {
      const name = r.key.slice(r.key.lastIndexOf('/') + 1);
      assert.ok(name.length >= 1 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name), r.key);
      if ('values' in r) {
        assert.ok(r.values.length > 0, text);
        for (const v of r.values) assert.ok(v === '' || /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v), v);
      }
    }
  }), RUNS);
});

test('selector: a requirement and its negation never both match', () => {
  fc.assert(fc.property(key, labelName, fc.option(labelName, { nil: undefined }), (k, v, actual) => {
    const labels = actual === undefined ? {} : { [k]: actual };
    const eq = checkSelector(`${k}=${v}`), ne = checkSelector(`${k}!=${v}`);
    assert.ok(eq.ok && ne.ok);
    if (eq.ok && ne.ok) assert.is(matchesRequirements(eq.value, labels), !matchesRequirements(ne.value, labels));
  }), RUNS);
});

test('names: checkName accepts exactly the DNS-1123 names, and says why it refuses', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[a-z0-9.-]{0,70}$/)), (text) => {
    const label = checkName(text, 'container', 'label');
    assert.is(label.ok, isDns1123Label(text) && text !== '');
    const sub = checkName(text, 'pod', 'subdomain');
    assert.is(sub.ok, isDns1123Subdomain(text) && text !== '');
    if (!label.ok) assert.match(label.problem.message, /container name/);
  }), RUNS);
});

test('targets: deployment/NAME in every kubectl spelling; anything else with a slash is refused', () => {
  fc.assert(fc.property(fc.constantFrom('deployment', 'deployments', 'deploy', 'deployment.apps', 'svc', 'pod', 'statefulset'),
    fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/), (kind, name) => {
      const c = checkTarget(`${kind}/${name}`);
      if (kind.startsWith('deploy')) assert.equal(c, { ok: true, value: { kind: 'deployment', name } });
      else assert.not.ok(c.ok);
      assert.equal(checkTarget(name), { ok: true, value: { kind: 'pod', name } });
    }), RUNS);
});

test('integers: exactly the whole numbers in range, never NaN', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String)), (text) => {
    const c = checkInteger(text, '--replicas', { min: 0 });
    const n = Number(text.trim());
    const want = /^[+-]?\d+$/.test(text.trim()) && n >= 0 && n <= 2 ** 31 - 1;
    assert.is(c.ok, want, text);
    if (c.ok) assert.is(c.value, n);
  }), RUNS);
});

test('near names: a name one typo away is suggested, the name itself never', () => {
  const name = fc.stringMatching(/^[a-z]{4,12}(-[a-z0-9]{3,6}){0,2}$/);
  fc.assert(fc.property(name, fc.nat(), fc.constantFrom('x', '-', '9'), (n, at, ch) => {
    const i = at % n.length;
    const typo = n.slice(0, i) + ch + n.slice(i + 1);
    if (typo === n) return;
    assert.is(editDistance(typo, n), 1);
    const near = nearestNames(typo, [n, 'zzzzzzzzzzzzzzzzzzzzzz']);
    assert.equal(near, [n]);
    assert.equal(nearestNames(n, [n]), []);
  }), RUNS);
});

test('near names: a Deployment name typed for its pod finds the pods', () => {
  assert.equal(nearestNames('dhakacart-backend', ['dhakacart-backend-7d9f8c6b5d-x2x9k', 'dhakacart-frontend-5c6d7-abcde', 'redis-0']),
    ['dhakacart-backend-7d9f8c6b5d-x2x9k']);
  assert.equal(nearestNames('nothing-like-it', ['dhakacart-backend', 'redis']), []);
});

test.run();
