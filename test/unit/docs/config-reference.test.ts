// The configuration reference is generated (npm run docs:config): the schemas, .env.example and docs/configuration.md
// must name the same variables, and the written reference must be what the generator writes today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  documentedVariables,
  PROFILE_VARS,
  REFERENCE_PATH,
  renderReference,
  schemaVariables,
} from '../../../scripts/config-reference.js';

describe('configuration reference', () => {
  const documented = new Set(documentedVariables().map((d) => d.name));
  const read = schemaVariables();

  it('every variable a schema reads is documented in .env.example', () => {
    expect([...read.keys()].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('every variable in .env.example is read by a schema (or chooses the profile)', () => {
    expect([...documented].filter((name) => !read.has(name) && !PROFILE_VARS.includes(name))).toEqual([]);
  });

  it('docs/configuration.md is what npm run docs:config writes', () => {
    expect(readFileSync(REFERENCE_PATH, 'utf8')).toBe(renderReference());
  });
});
