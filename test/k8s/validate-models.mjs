// Validates objects with kubernetes-models (ESM only, hence a process of its own): each model's
// validate() is the Kubernetes OpenAPI schema of its kind compiled by ajv (types, required fields,
// enums, formats). stdin: [{ id, module, model, data }]; stdout: ["<id><instancePath> <message>", ...].
import { readFileSync } from 'node:fs';

const checks = JSON.parse(readFileSync(0, 'utf8'));
const errors = [];
for (const c of checks) {
  const mod = await import(c.module);
  const Model = mod[c.model];
  if (!Model) {
    errors.push(`${c.id}: kubernetes-models has no ${c.model} in ${c.module}`);
    continue;
  }
  try {
    new Model(c.data).validate();
  } catch (e) {
    for (const err of e.errors ?? [{ instancePath: '', message: e.message }]) errors.push(`${c.id}${err.instancePath} ${err.message}`);
  }
}
process.stdout.write(JSON.stringify(errors));
