import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Diagnostics, formatConfigFileError } from './diagnostics.ts';
import { readJson, readYaml } from './read.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'judged-config-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const teams = z.array(z.object({ id: z.string(), name: z.string() }));
const hint = (field: string) => `check ${field || 'the file'}`;

function read(name: string, text: string, how: 'json' | 'yaml') {
  fs.writeFileSync(path.join(dir, name), text);
  const diag = new Diagnostics('', dir);
  const file = path.join(dir, name);
  const data = how === 'json' ? readJson(file, teams, diag, hint) : readYaml(file, teams, diag, hint)?.data;
  return { data, errors: diag.errors.map(formatConfigFileError) };
}

describe('config files', () => {
  it('reads valid YAML and JSON to the same value', () => {
    const json = read('t.json', '[{"id": "a", "name": "A"}]', 'json');
    const yaml = read('t.yaml', '- id: a\n  name: A\n', 'yaml');
    expect(json).toEqual({ data: [{ id: 'a', name: 'A' }], errors: [] });
    expect(yaml.errors).toEqual([]);
    expect(yaml.data).toEqual(json.data);
  });

  it('names the line and field of a JSON value the schema refuses', () => {
    const r = read('teams.json', '[\n  {"id": "a", "name": "A"},\n  {"id": "b",\n   "name": 7}\n]\n', 'json');
    expect(r.data).toBeUndefined();
    expect(r.errors).toEqual([expect.stringMatching(/^teams\.json:4: 1\.name: .+ — check 1\.name$/)]);
  });

  it('names the line of a JSON syntax error', () => {
    const r = read('bad.json', '[\n  {"id": "a",\n   "name": "A",}\n]\n', 'json');
    expect(r.errors).toEqual([expect.stringMatching(/^bad\.json:3: not valid JSON: /)]);
  });

  it('names the line and field of a YAML value the schema refuses, and a YAML syntax error', () => {
    expect(read('t2.yaml', '- id: a\n  name: A\n- id: b\n  name: [1]\n', 'yaml').errors).toEqual([expect.stringMatching(/^t2\.yaml:4: 1\.name: /)]);
    expect(read('t3.yaml', '- id: a\n  name: "A\n', 'yaml').errors).toEqual([expect.stringMatching(/^t3\.yaml:\d+: YAML syntax error: /)]);
  });

  it('says a missing file cannot be read', () => {
    const diag = new Diagnostics('', dir);
    expect(readJson(path.join(dir, 'none.json'), teams, diag, hint)).toBeUndefined();
    expect(diag.errors.map(formatConfigFileError)).toEqual([expect.stringMatching(/^none\.json: cannot read: /)]);
  });
});
